"""Forms of the council pages (KRDS classes and accessible errors come from ``core.forms``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gvalley.accounts.models import Organisation, User
from gvalley.core.forms import CheckedFileField, Form, PlainTextField
from gvalley.core.models import Visibility

from .metrics import all_metrics, metric_choices
from .models import (
    AgendaItem,
    Council,
    CouncilMember,
    Decision,
    Invitation,
    Meeting,
    PlanLine,
    PlanProgramme,
    Seat,
    Term,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _datetime_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"], **kwargs
    )


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), input_formats=["%Y-%m-%d"], **kwargs)


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _visibility_field(initial: str = Visibility.PUBLIC) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=initial,
        help_text=_(
            "The public sees only public items; members see members' items; the secretariat sees all."
        ),
    )


def bi_label(obj: Any, field: str) -> str:
    """An object's name or title for a choice list, in English on English pages when it has one."""
    value = getattr(obj, field, "") or ""
    if (get_language() or "ko") == "en":
        return getattr(obj, f"{field}_en", "") or value
    return value


class BilingualChoiceField(forms.ModelChoiceField):
    """Choices labelled with ``name`` / ``name_en`` (or another field pair) in the reader's language."""

    def __init__(self, *args: Any, text_field: str = "name", **kwargs: Any) -> None:
        self.text_field = text_field
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return bi_label(obj, self.text_field)


class BilingualMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, text_field: str = "name", **kwargs: Any) -> None:
        self.text_field = text_field
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return bi_label(obj, self.text_field)


class OrganisationChoiceField(BilingualChoiceField):
    pass


class PlanLineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.year} {bi_label(obj, 'title')}"


# --- Meetings ----------------------------------------------------------------------------------------------


class MeetingForm(Form):
    council = BilingualChoiceField(
        label=_("Council"), queryset=Council.objects.order_by("order", "id"), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Meeting.Kind.choices)
    title = PlainTextField(label=_("Title"), max_length=200)
    title_en = PlainTextField(label=_("Title (English)"), max_length=200, required=False)
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    place = PlainTextField(label=_("Place"), max_length=200, required=False)
    place_en = PlainTextField(label=_("Place (English)"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online meeting link"), required=False, assume_scheme="https")
    description = PlainTextField(label=_("Description"), widget=_textarea(), required=False)
    description_en = PlainTextField(label=_("Description (English)"), widget=_textarea(), required=False)
    quorum = forms.IntegerField(
        label=_("Quorum (organisations)"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_("Leave empty for a majority of the member organisations."),
    )
    visibility = _visibility_field()

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["council"]
            del self.fields["kind"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("Give a place or an online meeting link."))
        return data


class CancelMeetingForm(Form):
    reason = PlainTextField(label=_("Reason"), max_length=300)


class RSVPForm(Form):
    response = forms.ChoiceField(
        label=_("Will you attend?"),
        choices=[c for c in Invitation.Response.choices if c[0] != Invitation.Response.PENDING],
        widget=forms.RadioSelect,
    )
    note = PlainTextField(
        label=_("Note"), max_length=300, required=False, help_text=_("For example who comes in your place.")
    )


class AttendanceForm(Form):
    """One row per member organisation: present, who attended, note."""

    def __init__(
        self, *args: Any, members: list[CouncilMember], existing: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for member in members:
            org = member.organisation
            current = existing.get(org.pk)
            present = forms.BooleanField(label=_("%(org)s present") % {"org": org.name}, required=False)
            names = PlainTextField(
                label=_("%(org)s: who attended") % {"org": org.name}, max_length=300, required=False
            )
            note = PlainTextField(
                label=_("%(org)s: note") % {"org": org.name}, max_length=300, required=False
            )
            self.fields[f"present_{org.pk}"] = present
            self.fields[f"names_{org.pk}"] = names
            self.fields[f"note_{org.pk}"] = note
            if current is not None:
                self.initial.update(
                    {
                        f"present_{org.pk}": current.present,
                        f"names_{org.pk}": current.attendee_names,
                        f"note_{org.pk}": current.note,
                    }
                )
            self.rows.append((org, f"present_{org.pk}", f"names_{org.pk}", f"note_{org.pk}"))

    def bound_rows(self) -> list[tuple[Organisation, Any, Any, Any]]:
        return [(org, self[p], self[n], self[t]) for org, p, n, t in self.rows]


class DocumentForm(Form):
    title = PlainTextField(label=_("Title"), max_length=200)
    title_en = PlainTextField(label=_("Title (English)"), max_length=200, required=False)
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("The meeting as a whole"),
    )
    file = CheckedFileField(label=_("File (PDF, HWP, HWPX, DOCX, XLSX, PPTX, image)"))
    visibility = _visibility_field(Visibility.MEMBERS)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("order")


# --- Agenda ------------------------------------------------------------------------------------------------


class AgendaItemForm(Form):
    council = BilingualChoiceField(
        label=_("Council"), queryset=Council.objects.order_by("order", "id"), empty_label=None
    )
    meeting = BilingualChoiceField(
        text_field="title",
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Not yet on a meeting (proposed)"),
    )
    title = PlainTextField(label=_("Title"), max_length=300)
    title_en = PlainTextField(label=_("Title (English)"), max_length=300, required=False)
    description = PlainTextField(label=_("Description"), widget=_textarea(), required=False)
    description_en = PlainTextField(label=_("Description (English)"), widget=_textarea(), required=False)
    origin = forms.ChoiceField(label=_("Origin"), choices=AgendaItem.Origin.choices)
    source_note = PlainTextField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("For example the proposal or meeting it comes from."),
    )
    proposing_organisation = OrganisationChoiceField(
        label=_("Proposed by"), queryset=Organisation.objects.none(), required=False
    )
    presenter_organisation = OrganisationChoiceField(
        label=_("Presenting organisation"), queryset=Organisation.objects.none(), required=False
    )
    presenter_name = PlainTextField(label=_("Presenter"), max_length=100, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=480, initial=15
    )
    plan_line = PlanLineChoiceField(
        label=_("Yearly plan line"), queryset=PlanLine.objects.none(), required=False
    )
    works_on = BilingualMultipleChoiceField(
        text_field="title",
        label=_("Works on the development council's items"),
        queryset=AgendaItem.objects.none(),
        required=False,
        help_text=_("For items of the local working council."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    visibility = _visibility_field()

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(status=Meeting.Status.SCHEDULED)
            .select_related("council")
            .order_by("starts_at")
        )
        orgs = Organisation.objects.filter(council_memberships__isnull=False).distinct().order_by("name")
        self.fields["proposing_organisation"].queryset = orgs
        self.fields["presenter_organisation"].queryset = orgs
        self.fields["plan_line"].queryset = PlanLine.objects.order_by("-year", "order")
        self.fields["works_on"].queryset = (
            AgendaItem.objects.filter(council__parent__isnull=True)
            .exclude(status=AgendaItem.Status.WITHDRAWN)
            .order_by("-created_at")
        )
        if editing:
            del self.fields["council"]
            del self.fields["meeting"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        council, meeting = data.get("council"), data.get("meeting")
        if council is not None and meeting is not None and meeting.council_id != council.pk:
            self.add_error("meeting", _("The meeting belongs to another council."))
        if council is not None and council.parent_id is None and data.get("works_on"):
            self.add_error(
                "works_on", _("Only items of a local working council work on the council's items.")
            )
        return data


class ScheduleForm(Form):
    meeting = BilingualChoiceField(
        text_field="title", label=_("Meeting"), queryset=Meeting.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, council: Council, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = Meeting.objects.filter(council=council, status=Meeting.Status.SCHEDULED).order_by(
            "starts_at"
        )
        field.required = required
        if not required:
            field.empty_label = _("Not yet on a meeting (proposed)")


# --- Decisions and action items ----------------------------------------------------------------------------


class DecisionForm(Form):
    text = PlainTextField(label=_("Decision"), widget=_textarea())
    text_en = PlainTextField(label=_("Decision (English)"), widget=_textarea(), required=False)
    method = forms.ChoiceField(label=_("Method"), choices=Decision.Method.choices, widget=forms.RadioSelect)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, required=False)
    visibility = _visibility_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("method") == Decision.Method.VOTE:
            for name in ("votes_for", "votes_against", "votes_abstain"):
                if data.get(name) is None:
                    self.add_error(name, _("Give the count (0 if none)."))
        return data


class ActionItemForm(Form):
    title = PlainTextField(label=pgettext_lazy("council", "Action"), max_length=300)
    title_en = PlainTextField(label=_("Action (English)"), max_length=300, required=False)
    description = PlainTextField(label=_("Description"), widget=_textarea(3), required=False)
    owner_organisation = OrganisationChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none()
    )
    owner_person = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=User.objects.none(), required=False
    )
    due_on = _date_field(_("Due"))
    plan_line = PlanLineChoiceField(
        label=_("Yearly plan line"), queryset=PlanLine.objects.none(), required=False
    )
    visibility = _visibility_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = (
            Organisation.objects.filter(council_memberships__isnull=False).distinct().order_by("name")
        )
        today = timezone.localdate()
        holders = Seat.objects.filter(Q(ceased_on__isnull=True) | Q(ceased_on__gt=today)).values("person_id")
        self.fields["owner_person"].queryset = User.objects.filter(pk__in=holders).order_by("name")
        self.fields["owner_person"].label_from_instance = lambda u: u.name  # type: ignore[attr-defined]
        self.fields["plan_line"].queryset = PlanLine.objects.order_by("-year", "order")


class ProgressForm(Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = PlainTextField(
        label=_("Evidence and notes"),
        widget=_textarea(3),
        required=False,
        help_text=_("What was done, with references."),
    )
    file = CheckedFileField(label=_("Evidence file"), required=False)
    cancel = forms.BooleanField(
        label=_("Cancel this action item (give the reason in the note)"), required=False
    )


# --- Minutes -----------------------------------------------------------------------------------------------


class MinutesForm(Form):
    body = PlainTextField(label=_("Minutes"), widget=_textarea(14), strip=False)
    body_en = PlainTextField(label=_("Minutes (English)"), widget=_textarea(8), required=False, strip=False)


class CorrectionForm(MinutesForm):
    reason = PlainTextField(label=_("Reason for the correction"), max_length=500)


class CommentForm(Form):
    body = PlainTextField(label=_("Your comment"), widget=_textarea(3))


# --- Seats -------------------------------------------------------------------------------------------------


class SeatForm(Form):
    member = forms.ModelChoiceField(
        label=_("Member organisation"), queryset=CouncilMember.objects.none(), empty_label=None
    )
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Seat"), choices=Seat.Kind.choices)
    person_email = forms.EmailField(
        label=_("Person's e-mail address"), help_text=_("The person must have an account on the platform.")
    )
    position_title = PlainTextField(label=_("Position"), max_length=100)
    position_title_en = PlainTextField(label=_("Position (English)"), max_length=100, required=False)
    designated_on = _date_field(_("Designated on"))
    note = PlainTextField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member_field = self.fields["member"]
        member_field.queryset = (
            CouncilMember.objects.filter(council=council)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate()))
            .select_related("organisation")
        )
        member_field.label_from_instance = lambda m: bi_label(m.organisation, "name")  # type: ignore[attr-defined]
        term_field = self.fields["term"]
        term_field.queryset = Term.objects.filter(council=council).order_by("-number")
        term_field.label_from_instance = lambda t: (
            _("Term %(n)d (%(start)s–)")
            % {  # type: ignore[attr-defined]
                "n": t.number,
                "start": t.starts_on.isoformat(),
            }
        )

    def clean_person_email(self) -> User:
        email = self.cleaned_data["person_email"].strip().lower()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this e-mail address."))
        return user


class CeaseSeatForm(Form):
    ceased_on = _date_field(_("First day without the seat"))
    note = PlainTextField(label=_("Note"), max_length=300, required=False)


class LeadForm(Form):
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    unit = PlainTextField(label=_("Department"), max_length=200)
    unit_en = PlainTextField(label=_("Department (English)"), max_length=200, required=False)
    started_on = _date_field(_("Leads from"))

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            council_memberships__council=council
        ).order_by("name")


# --- Terms and member organisations -----------------------------------------------------------------------

#: Kinds of organisations that can sit on a council (companies and investors are represented by associations).
MEMBER_KINDS = [
    Organisation.Kind.GOVERNMENT,
    Organisation.Kind.PUBLIC_ENTERPRISE,
    Organisation.Kind.ASSOCIATION,
    Organisation.Kind.AGENCY,
    Organisation.Kind.OTHER,
]


class TermForm(Form):
    number = forms.IntegerField(label=_("Term number"), min_value=1, max_value=999)
    starts_on = _date_field(_("Starts on"))
    ends_on = _date_field(
        _("Ends on"), required=False, help_text=_("The last day of the term. Leave empty if not fixed yet.")
    )
    close_current = forms.BooleanField(
        label=_("End the current term the day before"),
        required=False,
        initial=True,
        help_text=_("Its seats still held cease on the first day of the new term; the history stays."),
    )
    carry_seats = forms.BooleanField(
        label=_("Designate the current holders again for the new term"),
        required=False,
        initial=True,
        help_text=_(
            "With the option above: each seat goes on with the same person and position; change them afterwards "
            "on the seats page. Without it the new term starts with no seats, and the people of the ended seats, "
            "you too, lose the council role that the seat gives."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data


class TermCloseForm(Form):
    ends_on = _date_field(_("Last day of the term"))


class MemberForm(Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Local governments, public enterprises, associations and agencies on the platform."),
    )
    group = forms.ChoiceField(label=_("Group"), choices=CouncilMember.Group.choices)
    joined_on = _date_field(_("Member since"))
    order = forms.IntegerField(
        label=_("Order"), min_value=0, max_value=999, help_text=_("Position in the organisation chart.")
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Organisation.objects.filter(kind__in=MEMBER_KINDS)
            .exclude(council_memberships__council=council)
            .order_by("name")
        )


class MemberEndForm(Form):
    left_on = _date_field(
        _("First day without membership"), help_text=_("Its seats still held cease on this day.")
    )
    note = PlainTextField(label=_("Note"), max_length=300, required=False)


# --- Yearly plan -------------------------------------------------------------------------------------------


class PlanImportForm(Form):
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=PlanProgramme.objects.order_by("-starts_on"), empty_label=None
    )
    file = CheckedFileField(label=_("File (.xlsx)"), allowed=("xlsx",))


class PlanForm(Form):
    council = BilingualChoiceField(
        label=_("Council"), queryset=Council.objects.order_by("order", "id"), empty_label=None
    )
    title = PlainTextField(label=_("Title"), max_length=200)
    title_en = PlainTextField(label=_("Title (English)"), max_length=200, required=False)
    starts_on = _date_field(_("Starts on"))
    ends_on = _date_field(
        _("Ends on"), help_text=_("For example 2022-06-30 for a plan that runs to June 2022.")
    )
    description = PlainTextField(label=_("Description"), widget=_textarea(3), required=False)
    description_en = PlainTextField(label=_("Description (English)"), widget=_textarea(3), required=False)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The plan must end on or after the day it starts."))
        return data


class PlanLineForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = PlainTextField(label=_("Plan line"), max_length=200)
    title_en = PlainTextField(label=_("Plan line (English)"), max_length=200, required=False)
    starts_on = _date_field(_("Period starts"), required=False, help_text=_("Empty: the start of the year."))
    ends_on = _date_field(
        _("Period ends"), required=False, help_text=_("Empty: the end of the year or of the plan.")
    )
    description = PlainTextField(label=_("Description"), widget=_textarea(3), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=1)
    visibility = _visibility_field()


class IndicatorForm(Form):
    metric = forms.ChoiceField(label=_("Metric"), choices=())
    label = PlainTextField(label=_("Indicator"), max_length=200)
    label_en = PlainTextField(label=_("Indicator (English)"), max_length=200, required=False)
    target = forms.DecimalField(label=_("Target"), min_value=0, max_digits=12, decimal_places=2)
    unit = PlainTextField(label=_("Unit"), max_length=30, required=False)
    unit_en = PlainTextField(label=_("Unit (English)"), max_length=30, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metric_choices()
        owned = [str(m.label) for m in all_metrics() if m.target is not None]
        if owned:
            self.fields["target"].help_text = _(
                "For %(metrics)s the target is the one kept by its own plan (e.g. the yearly visit plan) when "
                "that plan has one for the year; the value typed here is used otherwise."
            ) % {"metrics": ", ".join(owned)}


# --- Filters -----------------------------------------------------------------------------------------------


def council_choices() -> list[tuple[str, str]]:
    from django.utils.translation import get_language

    language = get_language() or "ko"
    return [("", _("All"))] + [
        (c.slug, c.bilingual("name", language)) for c in Council.objects.order_by("order", "id")
    ]


class MeetingFilterForm(Form):
    council = forms.ChoiceField(label=_("Council"), choices=(), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All"))] + list(Meeting.Kind.choices), required=False
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = council_choices()
        self.fields["year"].choices = [("", _("All"))] + [(y, str(y)) for y in years]


class AgendaFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    council = forms.ChoiceField(label=_("Council"), choices=(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + list(AgendaItem.Status.choices), required=False
    )
    origin = forms.ChoiceField(
        label=_("Origin"), choices=[("", _("All"))] + list(AgendaItem.Origin.choices), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = council_choices()


class ActionFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("All")),
            ("open", _("Open (not started or in progress)")),
            ("done", _("Done")),
            ("cancelled", _("Cancelled")),
        ],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    organisation = forms.TypedChoiceField(
        label=_("Responsible organisation"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("All"))] + organisations
