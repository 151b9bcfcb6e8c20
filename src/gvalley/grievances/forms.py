"""Forms of the grievances pages (KRDS classes, accessible errors, HTML neutralised, uploads checked)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gvalley.accounts.models import Organisation, User
from gvalley.core.forms import CheckedFileField, Form, PlainTextField
from gvalley.core.validators import DOCUMENT_TYPES, IMAGE_TYPES
from gvalley.directory.models import Building, Company, Complex

from .models import Answer, AnswerTemplate, Category, Question, Request, Visit
from .selectors import QueueFilters, responsible_organisations


class RadioSelect(forms.RadioSelect):
    """Radio buttons in KRDS markup (input, then its label, in ``.krds-form-check``): KRDS hides the native
    control and draws it on the label. Named like Django's so that ``widget_type`` stays "radioselect"."""

    option_template_name = "grievances/widgets/krds_option.html"


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    option_template_name = "grievances/widgets/krds_option.html"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleCheckedFileField(CheckedFileField):
    """Several files in one input, each checked for type and size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _lang() -> str:
    return "en" if get_language() == "en" else "ko"


def question_field(q: Question, language: str) -> forms.Field:
    label = q.display_label(language)
    help_text = q.display_help(language)
    common: dict[str, Any] = {"label": label, "required": q.required, "help_text": help_text}
    if q.datatype == Question.Datatype.TEXT:
        return PlainTextField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)
    if q.datatype == Question.Datatype.NUMBER:
        return forms.DecimalField(max_digits=14, decimal_places=2, **common)
    if q.datatype == Question.Datatype.DATETIME:
        return forms.DateTimeField(
            widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **common
        )
    if q.datatype == Question.Datatype.SINGLE:
        choices = q.choice_pairs(language)
        widget = RadioSelect if len(choices) <= 5 else forms.Select
        if widget is forms.Select:
            choices = [("", _("Choose"))] + choices
        return forms.ChoiceField(choices=choices, widget=widget, **common)
    if q.datatype == Question.Datatype.MULTI:
        return forms.MultipleChoiceField(
            choices=q.choice_pairs(language), widget=CheckboxSelectMultiple, **common
        )
    return PlainTextField(max_length=200, **common)


def _company_lookup(value: str) -> Company | None:
    """A company by business registration number (with or without dashes) or exact name."""
    value = (value or "").strip()
    if not value:
        return None
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 10:
        bizno = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
        company = Company.objects.filter(Q(business_number=bizno) | Q(business_number=digits)).first()
        if company:
            return company
    matches = list(Company.objects.filter(name=value)[:2])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ValidationError(_("Several companies have this name; enter the business registration number."))
    raise ValidationError(_("No company with this name or business registration number is in the directory."))


class CompanyField(forms.CharField):
    """Type a company's name or business registration number (10,000+ companies do not fit a list)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault(
            "help_text",
            _("The company's exact name or its business registration number (e.g. 220-81-62517)."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Company):
            return value.business_number
        return value

    def clean(self, value: Any) -> Company | None:  # type: ignore[override]
        value = super().clean(value)
        return _company_lookup(value)


class LocationFieldsMixin(forms.Form):
    complex = forms.ModelChoiceField(
        label=_("Complex"),
        queryset=Complex.objects.order_by("number"),
        required=False,
        empty_label=_("Not sure"),
    )
    building = forms.ModelChoiceField(
        label=_("Building"),
        queryset=Building.objects.filter(kind=Building.Kind.KNOWLEDGE_CENTRE)
        .select_related("complex")
        .order_by("name"),
        required=False,
        empty_label=_("None or not sure"),
    )
    address = PlainTextField(
        label=_("Address or place"),
        required=False,
        max_length=200,
        help_text=_("For example: the crossing in front of Gasan Digital Complex station, exit 7."),
    )
    map_x = forms.DecimalField(
        label=_("Point on the map: across (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Click the map to fill this in, or type the position from the left edge (0–100)."),
    )
    map_y = forms.DecimalField(
        label=_("Point on the map: down (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("The position from the top edge (0–100)."),
    )


class RequestForm(LocationFieldsMixin, Form):
    """The web intake form; extra questions of the category are added as ``attribute_<code>`` fields."""

    filer_type = forms.ChoiceField(
        label=_("I am filing as"), choices=Request.FilerType.choices, widget=RadioSelect
    )
    company = forms.ModelChoiceField(
        label=_("Company"), queryset=Company.objects.none(), required=False, empty_label=_("Choose")
    )
    title = PlainTextField(label=_("Title"), max_length=200)
    description = PlainTextField(
        label=pgettext_lazy("request", "Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What is the difficulty, since when, whom it affects, and what you ask for."),
    )
    attachments = MultipleCheckedFileField(
        label=_("Attachments"),
        required=False,
        allowed=DOCUMENT_TYPES,
        help_text=_("Up to 5 files: PDF, HWP, Office documents or images, 10 MB each at most."),
    )
    contact_name = PlainTextField(label=_("Name"), max_length=100)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_phone = PlainTextField(label=_("Phone"), max_length=30, required=False)
    contact_organisation = PlainTextField(label=_("Company or organisation"), max_length=150, required=False)
    anonymous = forms.BooleanField(
        label=_("Keep my identity from my employer (workers)"),
        required=False,
        help_text=_("Only the staff handling the request will see your name and contact details."),
    )
    consent = forms.BooleanField(
        label=_("I agree to the collection and use of my personal data for handling this request"),
        required=True,
    )

    field_order = [
        "filer_type",
        "company",
        "title",
        "description",
        "complex",
        "building",
        "address",
        "map_x",
        "map_y",
        "attachments",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_organisation",
        "anonymous",
        "consent",
    ]

    def __init__(self, *args: Any, category: Category, companies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        language = _lang()
        self.question_names = []
        if companies is not None and companies.exists():
            self.fields["company"].queryset = companies
        else:
            del self.fields["company"]
        insert_at = list(self.fields).index("description") + 1
        items = list(self.fields.items())
        extra = []
        for q in category.questions.all():
            name = f"attribute_{q.code}"
            extra.append((name, question_field(q, language)))
            self.question_names.append(name)
        self.fields = dict(items[:insert_at] + extra + items[insert_at:])  # type: ignore[assignment]
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["title"].widget.attrs["class"] = "krds-input gv-similar-source"
        self.fields["description"].widget.attrs["class"] = "krds-input gv-similar-source"

    def attribute_values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.question_names:
            value = self.cleaned_data.get(name)
            code = name.removeprefix("attribute_")
            if value in (None, "", []):
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif not isinstance(value, (list, str)):
                value = str(value)
            out[code] = value
        return out

    @property
    def main_fields(self) -> list[Any]:
        return [self[n] for n in ("filer_type", "company", "title", "description") if n in self.fields]

    @property
    def question_fields(self) -> list[Any]:
        return [self[n] for n in self.question_names]

    @property
    def location_fields(self) -> list[Any]:
        return [self[n] for n in ("complex", "building", "address")]

    @property
    def map_fields(self) -> list[Any]:
        return [self[n] for n in ("map_x", "map_y")]

    @property
    def contact_fields(self) -> list[Any]:
        return [
            self[n]
            for n in ("contact_name", "contact_email", "contact_phone", "contact_organisation", "anonymous")
        ]


class OnBehalfForm(RequestForm):
    """Staff file for someone who phoned, came to the office, spoke at a meeting or wrote."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (c.value, c.label)
            for c in (
                Request.Channel.PHONE,
                Request.Channel.IN_PERSON,
                Request.Channel.MEETING,
                Request.Channel.EMAIL,
            )
        ],
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("When the person phoned, came or spoke; the deadline runs from then."),
    )
    company_lookup = CompanyField(label=_("Company concerned"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _(
            "The person agreed to the collection and use of personal data for handling the request"
        )
        self.fields.pop("company", None)
        self.fields["received_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_received_at(self) -> Any:
        value = self.cleaned_data["received_at"]
        if value and value > timezone.now() + timezone.timedelta(minutes=5):
            raise ValidationError(_("A request cannot be received in the future."))
        return value

    @property
    def main_fields(self) -> list[Any]:
        return [
            self[n]
            for n in ("channel", "received_at", "filer_type", "company_lookup", "title", "description")
        ]


class SupportByEmailForm(Form):
    """'Me too' without an account: the address the confirmation link goes to, and the consent."""

    email = forms.EmailField(
        label=_("E-mail"), help_text=_("We send a link to this address; open it to join.")
    )
    consent = forms.BooleanField(
        label=_("I agree to the collection and use of my personal data as described above."), required=False
    )

    def clean_consent(self) -> bool:
        if not self.cleaned_data.get("consent"):
            raise ValidationError(
                _("The collection and use of personal data must be agreed to join a request.")
            )
        return True


class TrackForm(Form):
    number = forms.CharField(
        label=_("Tracking number"), max_length=20, help_text=_("As in the confirmation, e.g. GV21-7K3M9Q.")
    )


class QueueFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    organisation = forms.TypedChoiceField(
        label=pgettext_lazy("request", "Responsible organisation"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Request.Channel.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    agenda = forms.ChoiceField(
        label=_("On the council's agenda"),
        required=False,
        choices=[
            ("", _("All")),
            ("yes", _("Yes: escalated to the council")),
            ("no", _("No: not escalated")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("due", _("Due date")),
            ("-received", _("Newest first")),
            ("received", _("Oldest first")),
            ("-support", _("Most supporters")),
        ],
    )

    def __init__(self, *args: Any, organisations: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = _lang()
        self.fields["status"].choices = [
            ("", _("All")),
            ("open", _("Open (not answered)")),
            *Request.Status.choices,
        ]
        self.fields["organisation"].choices = [("", _("All organisations"))] + [
            (o.pk, o.display_name(language)) for o in organisations
        ]
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.pk, c.display_name(language)) for c in categories
        ]

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        d = self.cleaned_data
        return QueueFilters(
            q=d.get("q") or "",
            status=d.get("status") or "",
            organisation=d.get("organisation"),
            category=d.get("category"),
            overdue=bool(d.get("overdue")),
            channel=d.get("channel") or "",
            agenda=d.get("agenda") or "",
            sort=d.get("sort") or "due",
        )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name(_lang())


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name or obj.email


class AssignForm(Form):
    organisation = OrganisationChoiceField(
        label=pgettext_lazy("request", "Responsible organisation"), queryset=Organisation.objects.none()
    )
    handler = HandlerChoiceField(
        label=_("Handler"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet")
    )
    note = PlainTextField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, handlers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = responsible_organisations()
        self.fields["handler"].queryset = handlers if handlers is not None else User.objects.none()


class TransferForm(Form):
    organisation = OrganisationChoiceField(label=_("Transfer to"), queryset=Organisation.objects.none())
    reason = PlainTextField(
        label=_("Reason for the transfer"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = responsible_organisations()


class JointForm(Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations handling it jointly"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = responsible_organisations()
        language = _lang()
        self.fields["organisations"].label_from_instance = lambda o: o.display_name(language)  # type: ignore[attr-defined]


class StatusForm(Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (Request.Status.REVIEWING.value, Request.Status.REVIEWING.label),
            (Request.Status.IN_PROGRESS.value, Request.Status.IN_PROGRESS.label),
        ],
    )
    action_plan = PlainTextField(
        label=_("Planned action (for “in progress”)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    action_due_on = forms.DateField(label=_("Action scheduled for"), required=False, widget=DateInput())
    note = PlainTextField(label=_("Note to the filer"), required=False, max_length=1000)


class AnswerForm(Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Answer.Outcome.choices, widget=RadioSelect)
    body = PlainTextField(
        label=pgettext_lazy("request", "Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    reason = PlainTextField(
        label=_("Reasons (if not fully accepted)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    remedy = PlainTextField(
        label=_("Remedy available (if not fully accepted)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: an objection to the organisation within 30 days, or an administrative appeal."
        ),
    )


class TemplateChoiceForm(Form):
    template = forms.ModelChoiceField(
        label=_("Answer template"), queryset=AnswerTemplate.objects.none(), empty_label=_("Choose a template")
    )

    def __init__(self, *args: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class ReasonForm(Form):
    reason = PlainTextField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(Form):
    note = PlainTextField(label=_("Closing note"), required=False, max_length=1000)


class NoteForm(Form):
    note = PlainTextField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(label=_("Show on the public tracking page"), required=False)


class MergeForm(Form):
    duplicates = forms.ModelMultipleChoiceField(
        label=_("Possible duplicates to merge into this request"),
        queryset=Request.objects.none(),
        required=False,
        widget=CheckboxSelectMultiple,
    )
    numbers = forms.CharField(
        label=_("Other tracking numbers"),
        required=False,
        max_length=300,
        help_text=_("Separate several numbers with commas."),
    )
    note = PlainTextField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duplicates"].queryset = candidates
        self.fields["duplicates"].label_from_instance = lambda r: f"{r.tracking_number} {r.title}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        from .services import normalise_tracking_number

        data = super().clean() or {}
        chosen = list(data.get("duplicates") or [])
        numbers = [normalise_tracking_number(n) for n in (data.get("numbers") or "").split(",") if n.strip()]
        if numbers:
            found = {r.tracking_number: r for r in Request.objects.filter(tracking_number__in=numbers)}
            missing = [n for n in numbers if n not in found]
            if missing:
                raise ValidationError(_("Unknown tracking number: %(n)s") % {"n": ", ".join(missing)})
            chosen += [r for r in found.values() if r not in chosen]
        if not chosen:
            raise ValidationError(_("Choose at least one other request to merge."))
        data["requests"] = chosen
        return data


class SurveyForm(Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the handling of your request?"),
        coerce=int,
        choices=[
            (5, _("5 — very satisfied")),
            (4, _("4 — satisfied")),
            (3, _("3 — neither")),
            (2, _("2 — dissatisfied")),
            (1, _("1 — very dissatisfied")),
        ],
        widget=RadioSelect,
    )
    comment = PlainTextField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class HolidayForm(Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    name = PlainTextField(label=_("Name"), max_length=100, help_text=_("For example: 임시공휴일 (국군의 날)"))


class CategoryForm(Form):
    name = PlainTextField(label=_("Name"), max_length=100)
    name_en = PlainTextField(label=_("Name (English)"), max_length=100)
    description = PlainTextField(
        label=pgettext_lazy("request", "Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description_en = PlainTextField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("Kind of request"), choices=Category.Kind.choices)
    period = forms.CharField(
        label=_("Processing period"),
        max_length=20,
        help_text=_("For example 7d (7 days), 14d, 3h, 1m (one month) or immediate."),
    )
    default_organisation = OrganisationChoiceField(
        label=_("Default responsible organisation"), queryset=Organisation.objects.none(), required=False
    )
    is_active = forms.BooleanField(label=_("Open for new requests"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_organisation"].queryset = responsible_organisations()

    def clean_period(self) -> str:
        from .services import parse_period

        value = self.cleaned_data["period"].strip()
        try:
            parse_period(value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["period"])
        return value


class CategoryCreateForm(CategoryForm):
    """A new category: its code (the Open311 ``service_code``, fixed once created) and its settings."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Letters, digits and hyphens; used by Open311 and cannot be changed later."),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)

    field_order = ["code", "name", "name_en", "description", "description_en", "kind", "period"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        period = self.fields["period"]
        period.required = False
        period.help_text = _(
            "For example 7d (7 days), 14d, 3h, 1m (one month) or immediate. Leave it empty for the usual "
            "period of the kind of request."
        )

    def clean_period(self) -> str:
        if not (self.cleaned_data.get("period") or "").strip():
            return ""
        return super().clean_period()


class QuestionForm(Form):
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Letters, digits and hyphens; used by Open311.")
    )
    label = PlainTextField(label=_("Question"), max_length=200)
    label_en = PlainTextField(label=_("Question (English)"), max_length=200)
    help = PlainTextField(label=_("Help text"), max_length=300, required=False)
    help_en = PlainTextField(label=_("Help text (English)"), max_length=300, required=False)
    datatype = forms.ChoiceField(label=_("Answer type"), choices=Question.Datatype.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    choices_text = forms.CharField(
        label=_("Choices (list types)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: key | 한국어 | English"),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)

    def choices(self) -> list[dict[str, str]]:
        out = []
        for line in (self.cleaned_data.get("choices_text") or "").splitlines():
            parts = [p.strip() for p in line.split("|")]
            if not parts or not parts[0]:
                continue
            out.append(
                {
                    "key": parts[0],
                    "name": parts[1] if len(parts) > 1 else parts[0],
                    "name_en": parts[2] if len(parts) > 2 else "",
                }
            )
        return out


class QuestionEditForm(QuestionForm):
    """Edit an extra question. Its code stays: it keys the answers already given and Open311."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        lines = [
            " | ".join(p for p in (c["key"], c["name"], c.get("name_en", "")) if p) for c in question.choices
        ]
        return {
            "label": question.label,
            "label_en": question.label_en,
            "help": question.help,
            "help_en": question.help_en,
            "datatype": question.datatype,
            "required": question.required,
            "choices_text": "\n".join(lines),
            "order": question.order,
        }


class AnswerTemplateForm(Form):
    title = PlainTextField(label=_("Title"), max_length=150)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("order"),
        required=False,
        empty_label=_("Any category"),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Answer.Outcome.choices)
    body = PlainTextField(label=pgettext_lazy("request", "Answer"), widget=forms.Textarea(attrs={"rows": 5}))
    reason = PlainTextField(
        label=_("Reasons (if not fully accepted)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    remedy = PlainTextField(
        label=_("Remedy available (if not fully accepted)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class VisitForm(Form):
    company = CompanyField(label=_("Company visited"))
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    organisations = forms.ModelMultipleChoiceField(
        label=_("Visiting organisations"),
        queryset=Organisation.objects.none(),
        widget=CheckboxSelectMultiple,
    )
    visitor_names = PlainTextField(
        label=_("Visitors"),
        required=False,
        max_length=300,
        help_text=_("Names and positions of the people who went."),
    )
    people_met = PlainTextField(
        label=_("People met"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and positions."),
    )
    findings = PlainTextField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 6}))
    follow_up = PlainTextField(label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    revisit = forms.BooleanField(
        label=_("This is a revisit (links the company's previous visit)"), required=False
    )
    photo = CheckedFileField(
        label=_("Photo"),
        required=False,
        allowed=IMAGE_TYPES,
        help_text=_("PNG, JPEG, GIF or WebP, 10 MB at most."),
    )
    photo_alt = PlainTextField(
        label=_("What the photo shows (for people who cannot see it)"), required=False, max_length=200
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = responsible_organisations()
        language = _lang()
        self.fields["organisations"].label_from_instance = lambda o: o.display_name(language)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("photo") and not data.get("photo_alt"):
            self.add_error("photo_alt", _("Describe the photo for people who cannot see it."))
        return data


class PhotoForm(Form):
    photo = CheckedFileField(
        label=_("Photo"), allowed=IMAGE_TYPES, help_text=_("PNG, JPEG, GIF or WebP, 10 MB at most.")
    )
    photo_alt = PlainTextField(label=_("What the photo shows (for people who cannot see it)"), max_length=200)


class VisitRequestForm(Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=_("Choose")
    )
    title = PlainTextField(label=_("Title"), max_length=200)
    description = PlainTextField(
        label=pgettext_lazy("request", "Description"), widget=forms.Textarea(attrs={"rows": 4})
    )
    filer_type = forms.ChoiceField(
        label=_("Raised by"),
        choices=[
            (Request.FilerType.COMPANY.value, _("The company")),
            (Request.FilerType.WORKER.value, _("A worker (kept from the employer)")),
        ],
        widget=RadioSelect,
    )
    contact_name = PlainTextField(label=_("Name of the person who raised it"), max_length=100)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_phone = PlainTextField(label=_("Phone"), max_length=30, required=False)
    anonymous = forms.BooleanField(
        label=_("The worker asks to stay anonymous to the employer"), required=False
    )
    consent = forms.BooleanField(
        label=_("The person agreed to the collection and use of personal data for handling the request")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).order_by("order")
        language = _lang()
        self.fields["category"].label_from_instance = lambda c: c.display_name(language)  # type: ignore[attr-defined]


class VisitPlanForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    target = forms.IntegerField(label=_("Target number of visits"), min_value=0)
    notes = PlainTextField(label=_("Notes"), required=False, max_length=1000)


class VisitFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]


class ClusterForm(Form):
    title = PlainTextField(label=_("Title of the recurring issue"), max_length=200)
    description = PlainTextField(
        label=pgettext_lazy("request", "Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requests = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("request", "Requests"),
        queryset=Request.objects.none(),
        required=False,
        widget=CheckboxSelectMultiple,
    )
    visits = forms.ModelMultipleChoiceField(
        label=_("Company visits"),
        queryset=Visit.objects.none(),
        required=False,
        widget=CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, request_ids: list[int], visit_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requests"].queryset = Request.objects.filter(pk__in=request_ids)
        self.fields["requests"].label_from_instance = lambda r: f"{r.tracking_number} {r.title}"  # type: ignore[attr-defined]
        self.fields["visits"].queryset = Visit.objects.filter(pk__in=visit_ids).select_related("company")
        self.fields["visits"].label_from_instance = lambda v: f"{v.visited_on} {v.company.name}"  # type: ignore[attr-defined]
        if not visit_ids:
            del self.fields["visits"]


class DashboardFilterForm(Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    organisation = forms.TypedChoiceField(
        label=pgettext_lazy("request", "Responsible organisation"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, years: list[int], organisations: Any, categories: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        language = _lang()
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        self.fields["organisation"].choices = [("", _("All organisations"))] + [
            (o.pk, o.display_name(language)) for o in organisations
        ]
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.pk, c.display_name(language)) for c in categories
        ]
