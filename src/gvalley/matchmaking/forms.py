from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gvalley.accounts.forms import timezone_choices
from gvalley.accounts.models import PrivacyNotice, User
from gvalley.core.forms import Form, ModelForm, PlainTextField
from gvalley.directory.models import Industry

from .models import (
    COUNTRIES,
    LANGUAGES,
    MEETINGS_LIMIT,
    ConsultationRecord,
    Event,
    Meeting,
    Preference,
    Session,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def meetings_field(label: Any, *, low: int, high: int, help_text: Any = "") -> forms.IntegerField:
    """An optional number of meetings. The bounds are only the browser's hint: the services check them and
    answer with a translated error."""
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": low, "max": high, "inputmode": "numeric"}),
    )


def wanted_max_field(cap: int) -> forms.IntegerField:
    return meetings_field(
        _("Most meetings you want"),
        low=1,
        high=cap,
        help_text=_("At most %(max)s. Leave it empty to accept up to %(max)s meetings.") % {"max": cap},
    )


def programme_days(event: Event) -> list[date]:
    start, end = event.programme.starts_on, event.programme.ends_on
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


class EventForm(ModelForm):
    timezone = forms.ChoiceField(label=_("time zone of the event"), choices=timezone_choices)
    languages = forms.MultipleChoiceField(
        label=_("buyer languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Event
        fields = [
            "timezone",
            "slot_minutes",
            "gap_minutes",
            "rooms",
            "languages",
            "interpretation",
            "registration_opens_at",
            "registration_closes_at",
            "preferences_close_at",
            "video_url_template",
            "buyer_min_meetings",
            "buyer_max_meetings",
            "seller_min_meetings",
            "seller_max_meetings",
            "recommendations",
            "exclude_met_before",
            "fairness",
            "time_limit_seconds",
        ]
        widgets = {
            "registration_opens_at": DATETIME,
            "registration_closes_at": DATETIME,
            "preferences_close_at": DATETIME,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("registration_opens_at", "registration_closes_at", "preferences_close_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def _post_clean(self) -> None:
        # Validation is the service's job (it returns translated errors per field).
        pass


class SessionForm(Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=date.fromisoformat)
    part = forms.ChoiceField(label=_("Session"), choices=Session.Part.choices)
    starts = forms.TimeField(label=_("Starts (event time)"), widget=TIME)
    ends = forms.TimeField(label=_("Ends (event time)"), widget=TIME)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [
            (d.isoformat(), d.strftime("%Y-%m-%d (%a)")) for d in programme_days(event)
        ]


class InterpreterForm(Form):
    email = forms.EmailField(
        label=_("Interpreter's e-mail address"),
        help_text=_("The interpreter needs an account on the platform."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages (besides Korean)"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    max_consecutive = forms.IntegerField(
        label=_("Most sessions in a row"), min_value=1, max_value=20, initial=4
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this e-mail address."))
        return user


class InterpreterEditForm(Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages (besides Korean)"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    max_consecutive = forms.IntegerField(label=_("Most sessions in a row"), min_value=1, max_value=20)


def account_fields() -> dict[str, forms.Field]:
    """Account fields for a visitor who registers without an account yet."""
    return {
        "email": forms.EmailField(
            label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
        ),
        "name": forms.CharField(
            label=_("Your name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
        ),
        "password1": forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=_("At least 10 characters; not only digits and not a common password."),
        ),
        "password2": forms.CharField(
            label=_("Password again"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
        "agree_account": forms.BooleanField(
            label=_("I agree to the collection and use of my personal data for my account (required)")
        ),
    }


class BuyerRegistrationForm(Form):
    company_name = PlainTextField(label=_("Company name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=[("", "—"), *COUNTRIES])
    timezone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=timezone_choices,
        help_text=_("Your availability and agenda are in this time zone."),
    )
    language = forms.ChoiceField(label=_("Meeting language"), choices=LANGUAGES, initial="en")
    products_sought = PlainTextField(
        label=_("Products you are looking for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("We use it to recommend companies, e.g. 'CCTV cameras, IoT modules'."),
    )
    purchase_volume_usd = forms.IntegerField(label=_("Yearly purchase volume (USD)"), min_value=0, initial=0)
    industries = forms.ModelMultipleChoiceField(
        label=_("Industries of interest"),
        queryset=Industry.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    agree_programme = forms.BooleanField(
        label=_("I agree to the use of my data to organise the consultation (required)")
    )

    def __init__(self, *args: Any, event: Event, anonymous: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(event.languages) or {code for code, _l in LANGUAGES}
        self.fields["language"].choices = [(c, label) for c, label in LANGUAGES if c in allowed]
        wanted = wanted_max_field(event.buyer_max_meetings)
        wanted.widget.attrs["class"] = "krds-input"
        self.fields["wanted_max_meetings"] = wanted
        self.order_fields([f for f in self.fields if f != "agree_programme"] + ["agree_programme"])
        self.anonymous = anonymous
        if anonymous:
            extra = account_fields()
            self.fields.update(extra)
            # KRDS classes for the added widgets (the mixin only saw the declared fields)
            for field in extra.values():
                if not isinstance(field.widget, forms.CheckboxInput):
                    field.widget.attrs["class"] = "krds-input"
            order = ["email", "name", "password1", "password2"]
            self.order_fields(order + [f for f in self.fields if f not in order])
        notices = PrivacyNotice.objects.filter(
            purpose__in=[PrivacyNotice.Purpose.ACCOUNT, PrivacyNotice.Purpose.PROGRAMME]
        ).order_by("purpose", "published_at")
        self.notices = {n.purpose: n for n in notices}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists. Log in first.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.anonymous:
            return data
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=data.get("email", ""), name=data.get("name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def account_notices(self) -> list[PrivacyNotice]:
        notice = self.notices.get(PrivacyNotice.Purpose.ACCOUNT)
        return [notice] if notice and self.cleaned_data.get("agree_account") else []


class BuyerProfileForm(Form):
    """A buyer's registration; ``cap``: the most meetings the organiser or the event allows him."""

    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES)
    timezone = forms.ChoiceField(label=_("Your time zone"), choices=timezone_choices)
    language = forms.ChoiceField(label=_("Meeting language"), choices=LANGUAGES)
    products_sought = PlainTextField(
        label=_("Products you are looking for"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    purchase_volume_usd = forms.IntegerField(label=_("Yearly purchase volume (USD)"), min_value=0)
    industries = forms.ModelMultipleChoiceField(
        label=_("Industries of interest"),
        queryset=Industry.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, cap: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wanted = wanted_max_field(cap)
        wanted.widget.attrs["class"] = "krds-input"
        self.fields["wanted_max_meetings"] = wanted


class MeetingLimitsForm(Form):
    """The organiser's minimum and maximum meetings for one buyer or company (empty = the event's value)."""

    min_meetings = meetings_field(_("Minimum meetings"), low=0, high=MEETINGS_LIMIT)
    max_meetings = meetings_field(_("Maximum meetings"), low=0, high=MEETINGS_LIMIT)

    def __init__(self, *args: Any, defaults: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = defaults
        self.fields["min_meetings"].help_text = _("Empty: the event's minimum (%(n)s).") % {"n": low}
        self.fields["max_meetings"].help_text = _("Empty: the event's maximum (%(n)s).") % {"n": high}


class SellerRegistrationForm(Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=None, empty_label=None)  # type: ignore[arg-type]
    products = PlainTextField(
        label=_("Products"),
        max_length=300,
        required=False,
        help_text=_("Left empty, the products of the company profile are used."),
    )
    products_en = PlainTextField(label=_("Products (English)"), max_length=300, required=False)
    certifications = PlainTextField(label=_("Certifications"), max_length=300, required=False)
    export_experience = PlainTextField(label=_("Export experience"), max_length=300, required=False)
    target_countries = PlainTextField(label=_("Target countries"), max_length=300, required=False)
    agree_programme = forms.BooleanField(
        label=_("I agree to the use of my data to organise the consultation (required)")
    )

    def __init__(self, *args: Any, companies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from gvalley.directory.models import Company

        self.fields["company"].queryset = Company.objects.filter(pk__in=[c.pk for c in companies]).order_by(
            "name"
        )


class SellerProfileForm(Form):
    products = PlainTextField(label=_("Products"), max_length=300)
    products_en = PlainTextField(label=_("Products (English)"), max_length=300, required=False)
    certifications = PlainTextField(label=_("Certifications"), max_length=300, required=False)
    export_experience = PlainTextField(label=_("Export experience"), max_length=300, required=False)
    target_countries = PlainTextField(label=_("Target countries"), max_length=300, required=False)


class AvailabilityRowForm(Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=date.fromisoformat, required=False)
    starts = forms.TimeField(label=_("Start time"), widget=TIME, required=False)
    ends = forms.TimeField(label=_("End time"), widget=TIME, required=False)

    def __init__(self, *args: Any, days: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [("", "—")] + [
            (d.isoformat(), d.strftime("%Y-%m-%d (%a)")) for d in days
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = [data.get(k) for k in ("day", "starts", "ends")]
        if any(v not in (None, "") for v in filled) and not all(v not in (None, "") for v in filled):
            raise forms.ValidationError(_("Give the day, the start and the end, or leave the row empty."))
        return data


class BaseAvailabilityFormSet(forms.BaseFormSet):
    def intervals(self) -> list[tuple[date, Any, Any]]:
        return [
            (f.cleaned_data["day"], f.cleaned_data["starts"], f.cleaned_data["ends"])
            for f in self.forms
            if f.cleaned_data.get("day") and f.cleaned_data.get("starts") and f.cleaned_data.get("ends")
        ]


AvailabilityFormSet = forms.formset_factory(
    AvailabilityRowForm, formset=BaseAvailabilityFormSet, extra=0, max_num=30, absolute_max=30
)


#: The organiser's session for a pair ("" = any session).
PAIR_SESSION_CHOICES = [
    ("", _("Any session")),
    ("morning", _("Morning only")),
    ("afternoon", _("Afternoon only")),
]


class PairForm(Form):
    buyer = forms.ModelChoiceField(label=_("Buyer"), queryset=None)  # type: ignore[arg-type]
    seller = forms.ModelChoiceField(label=_("Company"), queryset=None)  # type: ignore[arg-type]
    level = forms.ChoiceField(
        label=_("Organiser's decision"),
        choices=[("", _("No decision")), ("must", _("Fix the pair")), ("no", _("Exclude the pair"))],
        required=False,
    )
    session = forms.ChoiceField(label=_("Session"), choices=PAIR_SESSION_CHOICES, required=False)
    note = PlainTextField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = event.buyers.filter(withdrawn_at__isnull=True).select_related(
            "organisation"
        )
        self.fields["seller"].queryset = event.sellers.filter(withdrawn_at__isnull=True).select_related(
            "company"
        )


class PairDecisionForm(Form):
    level = forms.ChoiceField(
        label=_("Organiser's decision"),
        choices=[("", _("No decision")), ("must", _("Fix the pair")), ("no", _("Exclude the pair"))],
        required=False,
    )
    note = PlainTextField(label=_("Note"), max_length=300, required=False)


class MoveForm(Form):
    slot = forms.ModelChoiceField(label=_("New slot"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        field.queryset = event.slots.select_related("session").order_by("number")
        field.label_from_instance = lambda s: f"#{s.number} {_local(s.starts_at)}"


def _local(value: Any) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


class CancelForm(Form):
    reason = PlainTextField(label=_("Reason"), max_length=300, required=False)


class AddMeetingForm(Form):
    buyer = forms.ModelChoiceField(label=_("Buyer"), queryset=None)  # type: ignore[arg-type]
    seller = forms.ModelChoiceField(label=_("Company"), queryset=None)  # type: ignore[arg-type]
    slot = forms.ModelChoiceField(label=_("Slot"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = event.buyers.filter(withdrawn_at__isnull=True).select_related(
            "organisation"
        )
        self.fields["seller"].queryset = event.sellers.filter(withdrawn_at__isnull=True).select_related(
            "company"
        )
        self.fields["slot"].queryset = event.slots.order_by("number")
        self.fields["slot"].label_from_instance = lambda s: f"#{s.number} {_local(s.starts_at)}"


class AttendanceForm(Form):
    attendance = forms.ChoiceField(
        label=pgettext_lazy("consultation", "Attendance"), choices=Meeting.Attendance.choices
    )
    no_show_side = forms.ChoiceField(
        label=_("Who did not come"),
        choices=[("", "—"), ("buyer", _("Buyer")), ("seller", _("Company")), ("both", _("Both"))],
        required=False,
    )


class RecordForm(ModelForm):
    products_discussed = PlainTextField(label=_("Products discussed"), max_length=300)
    notes = PlainTextField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    class Meta:
        model = ConsultationRecord
        fields = ["products_discussed", "consultation_usd", "expected_contract_usd", "follow_up", "notes"]

    def _post_clean(self) -> None:
        pass


class SatisfactionForm(Form):
    score = forms.TypedChoiceField(
        label=_("How useful was this meeting?"),
        coerce=int,
        choices=[
            (5, _("5 — very useful")),
            (4, _("4 — useful")),
            (3, _("3 — neutral")),
            (2, _("2 — not very useful")),
            (1, _("1 — not useful")),
        ],
        widget=forms.RadioSelect,
    )
    comment = PlainTextField(label=_("Comment"), max_length=500, required=False)


PREFERENCE_CHOICES = [("", "—"), *Preference.Level.choices]
