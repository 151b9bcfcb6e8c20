"""Account services: sign-up, e-mail confirmation, profile, roles and memberships, consent, TOTP devices."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from gvalley.core import notifications
from gvalley.core.services import audit, snapshot

from .models import Consent, Membership, Organisation, PrivacyNotice, User

CONFIRM_SALT = "gvalley.accounts.confirm-email"
CONFIRM_MAX_AGE = 3 * 24 * 3600


def _validate_timezone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"timezone": _("Unknown time zone: %(tz)s") % {"tz": name}})
    return name


def current_notice(purpose: str) -> PrivacyNotice:
    notice = PrivacyNotice.objects.filter(purpose=purpose).order_by("-published_at").first()
    if notice is None:
        raise ValidationError(_("No privacy notice has been published for this purpose."))
    return notice


@transaction.atomic
def consent_give(
    *,
    user: User | None,
    notice: PrivacyNotice,
    email: str = "",
    context: str = "",
    ip_address: str | None = None,
) -> Consent:
    consent = Consent.objects.create(
        user=user,
        email=email or (user.email if user else ""),
        notice=notice,
        context=context,
        ip_address=ip_address,
    )
    audit(actor=user, action="consent.give", obj=consent, after=snapshot(consent))
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent) -> Consent:
    if consent.user_id != actor.pk:
        raise ValidationError(_("You can only withdraw your own consent."))
    if consent.withdrawn_at is not None:
        return consent
    before = snapshot(consent)
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    audit(actor=actor, action="consent.withdraw", obj=consent, before=before, after=snapshot(consent))
    return consent


def confirmation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT)


def send_confirmation(*, user: User) -> None:
    url = settings.SITE_URL + reverse("accounts:confirm", args=[confirmation_token(user)])
    notifications.send(
        recipients=[notifications.Recipient.from_user(user)],
        template="accounts/email/confirm",
        context={"user": user, "url": url},
    )


@transaction.atomic
def user_signup(
    *,
    email: str,
    name: str,
    password: str,
    language: str = settings.LANGUAGE_CODE,
    timezone_name: str = settings.TIME_ZONE,
    notices: Iterable[PrivacyNotice] = (),
    ip_address: str | None = None,
) -> User:
    """Create an inactive account, record consent and send the confirmation e-mail."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    notices = list(notices)
    required = {n.purpose for n in PrivacyNotice.objects.filter(purpose=PrivacyNotice.Purpose.ACCOUNT)}
    if required and not any(n.purpose == PrivacyNotice.Purpose.ACCOUNT for n in notices):
        raise ValidationError(_("You must agree to the collection and use of personal data to sign up."))
    _validate_timezone(timezone_name)
    user = User.objects.create_user(
        email=email,
        password=password,
        name=name.strip(),
        language=language,
        timezone=timezone_name,
        is_active=False,
    )
    audit(actor=None, action="user.signup", obj=user, after=snapshot(user))
    for notice in notices:
        consent_give(user=user, notice=notice, context="signup", ip_address=ip_address)
    transaction.on_commit(lambda: send_confirmation(user=user))
    return user


@transaction.atomic
def user_confirm_email(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("This confirmation link has expired. Sign up again or ask for a new link."))
    except signing.BadSignature:
        raise ValidationError(_("This confirmation link is not valid."))
    user = User.objects.select_for_update().filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise ValidationError(_("This confirmation link is not valid."))
    if user.email_confirmed_at is None:
        before = snapshot(user)
        user.email_confirmed_at = timezone.now()
        user.is_active = True
        user.save(update_fields=["email_confirmed_at", "is_active"])
        audit(actor=user, action="user.confirm_email", obj=user, before=before, after=snapshot(user))
    return user


@transaction.atomic
def user_update_profile(
    *, actor: User, user: User, name: str, phone: str, language: str, timezone_name: str
) -> User:
    if actor.pk != user.pk and not actor.has_role("operator"):
        raise ValidationError(_("You may not change this account."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    _validate_timezone(timezone_name)
    before = snapshot(user)
    user.name, user.phone, user.language, user.timezone = name.strip(), phone.strip(), language, timezone_name
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "phone", "language", "timezone"])
    audit(actor=actor, action="user.update_profile", obj=user, before=before, after=snapshot(user))
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str, reason: str) -> User:
    """Set a new password (already validated by the form: Django's password validators). `reason` is "reset"
    (through the e-mailed link) or "change" (signed in, with the old password). The audit entry names the event,
    never the password or its hash."""
    if reason not in ("reset", "change"):
        raise ValueError(reason)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(actor=actor, action=f"user.password_{reason}", obj=user)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return
    before = snapshot(user, ["language"])
    user.language = language
    user.save(update_fields=["language"])
    audit(actor=user, action="user.set_language", obj=user, before=before, after=snapshot(user, ["language"]))


@transaction.atomic
def organisation_create(*, actor: Any, name: str, kind: str, **fields: Any) -> Organisation:
    org = Organisation(name=name, kind=kind, **fields)
    org.full_clean()
    org.save()
    audit(actor=actor, action="organisation.create", obj=org, after=snapshot(org))
    return org


@transaction.atomic
def membership_grant(
    *,
    actor: Any,
    user: User,
    role: str,
    organisation: Organisation | None = None,
    title: str = "",
    started_on: date | None = None,
) -> Membership:
    existing = Membership.objects.filter(
        user=user, role=role, organisation=organisation, ended_on__isnull=True
    ).first()
    if existing:
        return existing
    membership = Membership(
        user=user,
        role=role,
        organisation=organisation,
        title=title,
        started_on=started_on or timezone.localdate(),
    )
    membership.full_clean(validate_constraints=False)
    membership.save()
    user.__dict__.pop("role_set", None)
    audit(actor=actor, action="membership.grant", obj=membership, after=snapshot(membership))
    return membership


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, ended_on: date | None = None) -> Membership:
    before = snapshot(membership)
    membership.ended_on = ended_on or timezone.localdate()
    if membership.ended_on < membership.started_on:
        raise ValidationError(_("The end date cannot be before the start date."))
    membership.save(update_fields=["ended_on"])
    membership.user.__dict__.pop("role_set", None)
    audit(actor=actor, action="membership.end", obj=membership, before=before, after=snapshot(membership))
    return membership


# --- Two-factor authentication (TOTP) ---------------------------------------------------------------------


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for the user (replacing any earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    audit(actor=user, action="totp.start", obj=user)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    if device.user_id != user.pk:
        raise ValidationError(_("This device does not belong to you."))
    if not device.verify_token(token.strip().replace(" ", "")):
        raise ValidationError(
            {"token": _("The code is not correct. Check your device's clock and try again.")}
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit(actor=user, action="totp.confirm", obj=user)
    return device


@transaction.atomic
def totp_device_reset(*, actor: User, user: User) -> None:
    """The operator resets a person's second factor (lost phone); they enrol again at next sign-in."""
    if not actor.has_role("operator"):
        raise ValidationError(_("Only the platform operator can reset a second factor."))
    TOTPDevice.objects.filter(user=user).delete()
    audit(actor=actor, action="totp.reset", obj=user)
