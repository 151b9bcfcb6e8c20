from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gvalley.core.forms import Form, KRDSFormMixin, ModelForm

from . import services
from .models import Membership, Organisation, PrivacyNotice, Role, User

COMMON_TIMEZONES = [
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Kuala_Lumpur",
    "Asia/Jakarta",
    "Asia/Bangkok",
    "Asia/Ho_Chi_Minh",
    "Asia/Manila",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
    "UTC",
]


def timezone_choices() -> list[tuple[str, str]]:
    others = sorted(zoneinfo.available_timezones() - set(COMMON_TIMEZONES))
    return [(tz, tz) for tz in COMMON_TIMEZONES] + [(tz, tz) for tz in others]


class LoginForm(KRDSFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": _(
            "The e-mail address or password is not correct. If you have just signed up, confirm your "
            "e-mail address first."
        ),
        "inactive": _("This account is not active yet. Confirm your e-mail address first."),
    }


class SignupForm(Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    name = forms.CharField(
        label=_("Name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not only digits and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices, initial=settings.TIME_ZONE)
    agree_account = forms.BooleanField(
        label=_("I agree to the collection and use of my personal data (required)")
    )
    agree_marketing = forms.BooleanField(
        label=_("Send me news of G-Valley programmes (optional)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notices = {
            n.purpose: n
            for n in PrivacyNotice.objects.filter(
                purpose__in=[PrivacyNotice.Purpose.ACCOUNT, PrivacyNotice.Purpose.MARKETING]
            ).order_by("purpose", "published_at")
        }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
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

    def chosen_notices(self) -> list[PrivacyNotice]:
        chosen = []
        if self.cleaned_data.get("agree_account") and PrivacyNotice.Purpose.ACCOUNT in self.notices:
            chosen.append(self.notices[PrivacyNotice.Purpose.ACCOUNT])
        if self.cleaned_data.get("agree_marketing") and PrivacyNotice.Purpose.MARKETING in self.notices:
            chosen.append(self.notices[PrivacyNotice.Purpose.MARKETING])
        return chosen


class ProfileForm(ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)

    class Meta:
        model = User
        fields = ["name", "phone", "language", "timezone"]


class TokenForm(Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class MembershipForm(ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "organisation", "title", "started_on"]
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Company representatives are added from the company's page; listing 10,000 companies here helps nobody.
        self.fields["organisation"].queryset = Organisation.objects.exclude(kind=Organisation.Kind.COMPANY)


class RoleFilterForm(Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])


class KRDSPasswordResetForm(KRDSFormMixin, PasswordResetForm):
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """The message goes out in the account holder's language, whatever the language of the page that asked."""
        user = context["user"]
        language = user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class KRDSSetPasswordForm(KRDSFormMixin, SetPasswordForm):
    """The new password through the e-mailed link; saved by the audited service."""

    def save(self, commit: bool = True) -> Any:
        return services.user_set_password(
            actor=self.user, user=self.user, password=self.cleaned_data["new_password1"], reason="reset"
        )


class KRDSPasswordChangeForm(KRDSFormMixin, PasswordChangeForm):
    """A signed-in user's new password (the old one is asked first); saved by the audited service."""

    def save(self, commit: bool = True) -> Any:
        return services.user_set_password(
            actor=self.user, user=self.user, password=self.cleaned_data["new_password1"], reason="change"
        )
