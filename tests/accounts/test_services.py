from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from gvalley.accounts import services
from gvalley.accounts.models import Consent, Membership, Role, User
from gvalley.core.models import AuditLog
from tests.factories import OrganisationFactory, PrivacyNoticeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice():
    return PrivacyNoticeFactory(version="1.0")


def signup(notice, **kw):
    data = {
        "email": "New.Person@Example.com",
        "name": "신규회원",
        "password": "a-long-enough-passphrase",
        "language": "en",
        "timezone_name": "Asia/Jakarta",
        "notices": [notice],
    }
    data.update(kw)
    return services.user_signup(**data)


def test_signup_creates_an_inactive_account_with_consent_and_sends_the_link_in_the_users_language(
    notice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = signup(notice)
    assert user.email == "new.person@example.com"
    assert user.is_active is False
    consent = Consent.objects.get(user=user)
    assert (consent.notice, consent.notice.version, consent.withdrawn_at) == (notice, "1.0", None)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[G-Valley Hub] Confirm your e-mail address"
    assert AuditLog.objects.filter(action="user.signup", object_id=str(user.pk)).exists()


def test_signup_without_the_required_consent_writes_nothing(notice):
    with pytest.raises(ValidationError):
        signup(notice, notices=[])
    assert User.objects.count() == 0


def test_signup_rejects_an_existing_address_and_an_unknown_time_zone(notice):
    UserFactory(email="taken@example.com")
    with pytest.raises(ValidationError):
        signup(notice, email="TAKEN@example.com")
    with pytest.raises(ValidationError):
        signup(notice, timezone_name="Mars/Olympus")
    assert User.objects.count() == 1


def test_confirmation_activates_the_account_once(notice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = signup(notice)
    token = re.search(r"/accounts/confirm/([^/]+)/", mail.outbox[0].body).group(1)
    confirmed = services.user_confirm_email(token=token)
    assert confirmed.pk == user.pk and confirmed.is_active and confirmed.email_confirmed_at
    with pytest.raises(ValidationError):
        services.user_confirm_email(token=token + "x")


def test_profile_update_validates_language_and_time_zone():
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.user_update_profile(
            actor=user, user=user, name="x", phone="", language="fr", timezone_name="UTC"
        )
    services.user_update_profile(
        actor=user,
        user=user,
        name="새이름",
        phone="010-1111-2222",
        language="en",
        timezone_name="Asia/Kuala_Lumpur",
    )
    user.refresh_from_db()
    assert (user.name, user.language, user.timezone) == ("새이름", "en", "Asia/Kuala_Lumpur")


def test_someone_else_cannot_update_a_profile():
    user, other = UserFactory(), UserFactory()
    with pytest.raises(ValidationError):
        services.user_update_profile(
            actor=other, user=user, name="x", phone="", language="ko", timezone_name="UTC"
        )


def test_a_person_can_hold_several_roles_through_memberships():
    user = UserFactory()
    org = OrganisationFactory()
    services.membership_grant(actor=None, user=user, role=Role.AGENCY_HANDLER, organisation=org)
    services.membership_grant(actor=None, user=user, role=Role.JUDGE)
    again = services.membership_grant(actor=None, user=user, role=Role.JUDGE)
    assert Membership.objects.filter(user=user).count() == 2
    assert user.has_role(Role.JUDGE) and user.has_role(Role.AGENCY_HANDLER) and user.is_staff_role
    services.membership_end(actor=None, membership=again)
    user = User.objects.get(pk=user.pk)
    assert user.role_set == frozenset({Role.AGENCY_HANDLER})


def test_withdrawing_consent_keeps_the_record(notice):
    user = UserFactory()
    consent = services.consent_give(user=user, notice=notice)
    services.consent_withdraw(actor=user, consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=UserFactory(), consent=consent)


def test_totp_enrolment_needs_a_valid_code(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    from django_otp.oath import totp

    user = UserFactory(roles=[Role.OPERATOR])
    device = services.totp_device_start(user=user)
    with pytest.raises(ValidationError):
        services.totp_device_confirm(user=user, device=device, token="000000")
    code = f"{totp(device.bin_key):06d}"
    services.totp_device_confirm(user=user, device=device, token=code)
    device.refresh_from_db()
    assert device.confirmed is True
