from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gvalley.accounts.models import Role, User
from gvalley.core.models import AccessLog, AuditLog
from tests.factories import PrivacyNoticeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_confirm_and_log_in(client, django_capture_on_commit_callbacks):
    PrivacyNoticeFactory(version="1.0")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {
                "email": "worker@example.com",
                "name": "근로자",
                "password1": "gasan-digital-2021",
                "password2": "gasan-digital-2021",
                "language": "ko",
                "timezone": "Asia/Seoul",
                "agree_account": "on",
            },
        )
    assert response.status_code == 200
    assert "worker@example.com" in response.content.decode()
    # Not active before the e-mail is confirmed.
    response = client.post(
        reverse("accounts:login"), {"username": "worker@example.com", "password": "gasan-digital-2021"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    link = re.search(r"http://testserver(/accounts/confirm/[^\s]+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 302
    response = client.post(
        reverse("accounts:login"), {"username": "worker@example.com", "password": "gasan-digital-2021"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="worker@example.com").pk


def test_sign_up_errors_are_shown_next_to_their_fields(client):
    PrivacyNoticeFactory(version="1.0")
    response = client.post(reverse("accounts:signup"), {"email": "bad", "password1": "1", "password2": "2"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html and 'id="id_email_error"' in html
    assert User.objects.count() == 0


def test_login_is_rate_limited_after_five_failures(client):
    UserFactory(email="target@example.com")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "target@example.com", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "target@example.com", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_staff_must_pass_the_totp_check(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    operator = UserFactory(email="op@example.com", roles=[Role.OPERATOR])
    device = TOTPDevice.objects.create(user=operator, name="d", confirmed=True)
    response = client.post(
        reverse("accounts:login"), {"username": "op@example.com", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor"))
    # Any page sends the unverified operator back to the check.
    response = client.get(reverse("accounts:audit_log"))
    assert response.status_code == 302 and reverse("accounts:two_factor") in response["Location"]
    response = client.post(reverse("accounts:two_factor"), {"token": "000000"})
    assert response.status_code == 200 and 'id="id_token_error"' in response.content.decode()
    response = client.post(
        reverse("accounts:two_factor"), {"token": f"{totp(device.bin_key):06d}", "next": "/"}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:audit_log")).status_code == 200


def test_staff_without_a_device_enrol_first(client):
    UserFactory(email="sec@example.com", roles=[Role.SECRETARIAT])
    response = client.post(
        reverse("accounts:login"), {"username": "sec@example.com", "password": "correct-horse-battery"}
    )
    assert reverse("accounts:two_factor_setup") in response["Location"]
    html = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert "data:image/svg+xml" in html


def test_non_staff_roles_need_no_second_factor(client):
    UserFactory(email="buyer@example.com", roles=[Role.BUYER])
    response = client.post(
        reverse("accounts:login"), {"username": "buyer@example.com", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_language_switch_is_remembered_for_the_user(client, login):
    user = UserFactory(language="ko")
    login(user)
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_profile_shows_dates_in_the_users_time_zone(client, login):
    user = UserFactory(timezone="Asia/Jakarta")
    login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Asia/Jakarta" in html


def test_operator_pages_are_closed_to_others(client, login):
    login(UserFactory(roles=[Role.COMPANY_REP]))
    for name in ("accounts:audit_log", "accounts:access_log", "accounts:consent_list", "accounts:user_list"):
        assert client.get(reverse(name)).status_code == 403


def test_viewing_a_persons_details_is_logged(client, login):
    operator = UserFactory(roles=[Role.OPERATOR])
    person = UserFactory(phone="010-1234-5678")
    login(operator)
    html = client.get(reverse("accounts:user_detail", args=[person.pk])).content.decode()
    assert "010-1234-5678" in html
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.kind, entry.subject) == (operator, "view", f"user:{person.pk}")


@pytest.mark.parametrize("n", [1, 3])
def test_user_list_masks_personal_data_at_a_fixed_number_of_queries(client, login, queries, n):
    operator = UserFactory(roles=[Role.OPERATOR])
    login(operator)
    for i in range(n):
        UserFactory(name=f"홍길동{i}", email=f"hong{i}@example.com", roles=[Role.WORKER])
    with queries() as ctx:
        html = client.get(reverse("accounts:user_list")).content.decode()
    assert "hong0@example.com" not in html and "ho***@example.com" in html
    assert len(ctx.captured_queries) == 7


@pytest.mark.parametrize("n", [1, 3])
def test_operator_logs_render_at_a_fixed_number_of_queries(client, login, queries, n):
    from gvalley.accounts.services import consent_give
    from gvalley.core.services import audit, log_access

    operator = UserFactory(roles=[Role.OPERATOR])
    login(operator)
    notice = PrivacyNoticeFactory()
    for i in range(n):
        person = UserFactory()
        audit(actor=operator, action=f"test.action{i}", obj=person)
        log_access(actor=operator, kind="view", subject=f"user:{person.pk}")
        consent_give(user=person, notice=notice)
    counts = {}
    for name in ("accounts:audit_log", "accounts:access_log", "accounts:consent_list"):
        with queries() as ctx:
            response = client.get(reverse(name))
        assert response.status_code == 200
        counts[name] = len(ctx.captured_queries)
    html = client.get(reverse("accounts:audit_log")).content.decode()
    assert all(f"test.action{i}" in html for i in range(n))
    assert counts == {"accounts:audit_log": 6, "accounts:access_log": 6, "accounts:consent_list": 6}


def test_password_reset_mail_is_in_the_users_language_not_the_pages(client):
    UserFactory(email="en.user@example.com", language="en")
    UserFactory(email="ko.user@example.com", language="ko")
    # asked from a Korean page: the English-speaking user still gets English
    client.post(reverse("accounts:password_reset"), {"email": "en.user@example.com"})
    assert mail.outbox[-1].subject == "[G-Valley Hub] Reset your password"
    assert "/accounts/reset/" in mail.outbox[-1].body
    # asked from an English page: the Korean-speaking user gets Korean
    client.get("/accounts/language/", {"language": "en", "next": "/"})
    client.post(reverse("accounts:password_reset"), {"email": "ko.user@example.com"})
    assert mail.outbox[-1].subject == "[G밸리 허브] 비밀번호 재설정"
    assert len(mail.outbox) == 2


def test_password_reset_through_the_link_is_audited(client):
    user = UserFactory(email="reset.me@example.com")
    client.post(reverse("accounts:password_reset"), {"email": "reset.me@example.com"})
    link = re.search(r"/accounts/reset/[^/\s]+/[^/\s]+/", mail.outbox[-1].body).group(0)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(
        form_url, {"new_password1": "Gvalley-new-2026!", "new_password2": "Gvalley-new-2026!"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Gvalley-new-2026!")
    entry = AuditLog.objects.get(action="user.password_reset")
    assert (entry.actor, entry.object_id, entry.before, entry.after) == (user, str(user.pk), None, None)


def test_signed_in_user_changes_the_password_with_the_old_one(client, login):
    user = UserFactory(email="change.me@example.com")
    user.set_password("Old-password-2026!")
    user.save()
    login(user)
    url = reverse("accounts:password_change")
    assert reverse("accounts:password_change") in client.get(reverse("accounts:profile")).content.decode()
    # a wrong old password: an error on the form and nothing written
    response = client.post(
        url,
        {
            "old_password": "wrong",
            "new_password1": "New-password-2026!",
            "new_password2": "New-password-2026!",
        },
    )
    assert response.status_code == 200
    assert "기존 비밀번호를 잘못 입력하셨습니다" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Old-password-2026!")
    assert not AuditLog.objects.filter(action="user.password_change").exists()
    # the right one: changed, audited, still signed in
    response = client.post(
        url,
        {
            "old_password": "Old-password-2026!",
            "new_password1": "New-password-2026!",
            "new_password2": "New-password-2026!",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password("New-password-2026!")
    assert AuditLog.objects.filter(action="user.password_change", actor=user).count() == 1
    page = client.get(reverse("accounts:profile"))
    assert page.status_code == 200 and "비밀번호가 변경되었습니다." in page.content.decode()


def test_privacy_notices_are_shown_in_the_readers_language(client):
    PrivacyNoticeFactory(
        version="2.0",
        title_en="Consent for your account",
        body_en="We collect your e-mail and name to manage your account.",
        items_en="E-mail, name, password",
        retention_en="Until you close your account",
    )
    PrivacyNoticeFactory(purpose="marketing", version="1.0", required=False)  # no English text yet

    def notices(html: str) -> list[str]:
        return re.findall(r"<summary>([^<]+)</summary>", html)

    korean = client.get(reverse("accounts:signup")).content.decode()
    assert notices(korean) == [
        "회원가입 개인정보 수집·이용 동의 (버전 2.0)",
        "회원가입 개인정보 수집·이용 동의 (버전 1.0)",
    ]
    client.get("/accounts/language/", {"language": "en", "next": "/"})
    english = client.get(reverse("accounts:signup")).content.decode()
    # the English text where there is one, the Korean one (the binding text) where there is not
    assert notices(english) == [
        "Consent for your account (version 2.0)",
        "회원가입 개인정보 수집·이용 동의 (version 1.0)",
    ]
    assert "We collect your e-mail and name to manage your account." in english
    assert "Until you close your account" in english and "E-mail, name, password" in english
