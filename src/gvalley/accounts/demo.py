"""Demo accounts (one per role), the privacy notices and the council's eight member organisations."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import STAFF_ROLES, Membership, Organisation, PrivacyNotice, Role, User

#: The eight member organisations of the G밸리 발전협의회 (seed 000).
COUNCIL_ORGANISATIONS = [
    # key, name, English name, short name, kind
    (
        "kgca",
        "(사)한국녹색도시협회",
        "Korea Green City Association",
        "녹색도시협회",
        Organisation.Kind.ASSOCIATION,
    ),
    (
        "sdic_ceo",
        "서울디지털산업단지 경영자협의회",
        "Seoul Digital Industrial Complex CEO Council",
        "경영자협의회",
        Organisation.Kind.ASSOCIATION,
    ),
    (
        "gvia",
        "(사)G밸리 산업협회",
        "G-Valley Industry Association",
        "G밸리산업협회",
        Organisation.Kind.ASSOCIATION,
    ),
    (
        "kdcbf",
        "(사)한국디지털단지 기업인연합회",
        "Korea Digital Complex Business Federation",
        "기업인연합회",
        Organisation.Kind.ASSOCIATION,
    ),
    ("seoul", "서울특별시", "Seoul Metropolitan Government", "서울시", Organisation.Kind.GOVERNMENT),
    ("geumcheon", "금천구", "Geumcheon-gu Office", "금천구", Organisation.Kind.GOVERNMENT),
    ("guro", "구로구", "Guro-gu Office", "구로구", Organisation.Kind.GOVERNMENT),
    (
        "kicox",
        "한국산업단지공단 서울지역본부",
        "KICOX Seoul Regional Headquarters",
        "산단공 서울본부",
        Organisation.Kind.PUBLIC_ENTERPRISE,
    ),
]

NOTICES = [
    (
        PrivacyNotice.Purpose.ACCOUNT,
        "1.0",
        "회원가입 개인정보 수집·이용 동의",
        "G밸리 허브는 회원 관리와 본인 확인, 서비스 안내를 위하여 아래 개인정보를 수집·이용합니다. "
        "동의를 거부할 수 있으나, 거부하면 회원가입을 할 수 없습니다.",
        "이메일, 이름, 비밀번호(암호화), 언어, 시간대",
        "회원 탈퇴 시까지",
        True,
        (
            "Consent to the collection and use of personal data for your account",
            "G-Valley Hub collects and uses the personal data below to manage your account, confirm who you are and send you service messages. You may refuse, but then you cannot create an account.",
            "E-mail, name, password (encrypted), language, time zone",
            "Until you close your account",
        ),
    ),
    (
        PrivacyNotice.Purpose.REQUEST,
        "1.0",
        "애로사항·요구과제 접수 개인정보 수집·이용 동의",
        "접수한 애로사항의 처리, 처리 결과 통지, 만족도 조사를 위하여 개인정보를 수집·이용합니다. "
        "근로자가 익명을 선택하면 신원은 처리 담당자에게만 보이며 기업에는 공개되지 않습니다.",
        "이름, 연락처(이메일·전화), 소속",
        "처리 완료 후 3년",
        True,
        (
            "Consent to the collection and use of personal data for filing a difficulty or request",
            "We collect and use personal data to handle your request, tell you the outcome and ask how satisfied you were. A worker who chooses to stay anonymous is known only to the staff handling the request, never to the company.",
            "Name, contact details (e-mail, telephone), organisation",
            "Three years after the request is closed",
        ),
    ),
    (
        PrivacyNotice.Purpose.PROGRAMME,
        "1.0",
        "G밸리 Week 프로그램 참가 개인정보 수집·이용 동의",
        "G밸리 Week 프로그램(수출상담회, 창업경진대회, 채용박람회 등)의 참가 신청과 운영을 위하여 "
        "개인정보를 수집·이용합니다.",
        "이름, 이메일, 전화, 소속, 국가, 시간대",
        "행사 종료 후 1년",
        True,
        (
            "Consent to the collection and use of personal data for G-Valley Week programmes",
            "We collect and use personal data to register you for G-Valley Week programmes (export consultation, startup competition, job fair and others) and to run them.",
            "Name, e-mail, telephone, organisation, country, time zone",
            "One year after the event",
        ),
    ),
    (
        PrivacyNotice.Purpose.MARKETING,
        "1.0",
        "G밸리 소식 수신 동의(선택)",
        "G밸리 프로그램과 행사 소식을 이메일로 보내 드립니다. 언제든지 철회할 수 있습니다.",
        "이메일, 이름",
        "동의 철회 시까지",
        False,
        (
            "Consent to receive G-Valley news (optional)",
            "We send you news of G-Valley programmes and events by e-mail. You can withdraw at any time.",
            "E-mail, name",
            "Until you withdraw",
        ),
    ),
]

#: (email, name, role, organisation key or None, position, language, time zone)
DEMO_ACCOUNTS = [
    (
        "operator@demo.gvalley.kr",
        "김종현",
        Role.OPERATOR,
        "geumcheon",
        "지역경제과 주무관",
        "ko",
        "Asia/Seoul",
    ),
    (
        "secretariat@demo.gvalley.kr",
        "이서연",
        Role.SECRETARIAT,
        "seoul",
        "산업거점활성화반 주무관",
        "ko",
        "Asia/Seoul",
    ),
    ("member@demo.gvalley.kr", "박준호", Role.COUNCIL_MEMBER, "gvia", "회장", "ko", "Asia/Seoul"),
    (
        "handler@demo.gvalley.kr",
        "정민지",
        Role.AGENCY_HANDLER,
        "kicox",
        "기획총괄팀 과장",
        "ko",
        "Asia/Seoul",
    ),
    ("company@demo.gvalley.kr", "최영수", Role.COMPANY_REP, None, "대표이사", "ko", "Asia/Seoul"),
    ("worker@demo.gvalley.kr", "한지민", Role.WORKER, None, "", "ko", "Asia/Seoul"),
    ("buyer@demo.gvalley.kr", "Siti Rahman", Role.BUYER, None, "Purchasing Director", "en", "Asia/Jakarta"),
    ("judge@demo.gvalley.kr", "윤태호", Role.JUDGE, None, "심사위원", "ko", "Asia/Seoul"),
    ("mentor@demo.gvalley.kr", "강은비", Role.MENTOR, None, "멘토", "ko", "Asia/Seoul"),
    ("investor@demo.gvalley.kr", "오세훈", Role.INVESTOR, None, "심사역", "ko", "Asia/Seoul"),
    ("startup@demo.gvalley.kr", "임하늘", Role.STARTUP_MEMBER, None, "공동창업자", "ko", "Asia/Seoul"),
    ("jobseeker@demo.gvalley.kr", "서지우", Role.JOB_SEEKER, None, "", "ko", "Asia/Seoul"),
    (
        "interpreter@demo.gvalley.kr",
        "Nur Aisyah",
        Role.INTERPRETER,
        None,
        "Interpreter (Malay/Indonesian)",
        "en",
        "Asia/Kuala_Lumpur",
    ),
]


@lru_cache(maxsize=4)
def _hash(password: str) -> str:
    return make_password(password)


def demo_password_hash() -> str:
    """The demo password, hashed once per process: Argon2 is slow on purpose (~0.1 s a hash) and the demo world
    creates ~200 accounts. Demo modules set ``user.password`` to this instead of hashing again."""
    return _hash(settings.GVALLEY_DEMO_PASSWORD)


def council_organisation(key: str) -> Organisation:
    name = next(o[1] for o in COUNCIL_ORGANISATIONS if o[0] == key)
    return Organisation.objects.get(name=name)


@transaction.atomic
def seed(*, stdout: Any = None) -> None:
    for purpose, version, title, body, items, retention, required, english in NOTICES:
        title_en, body_en, items_en, retention_en = english
        notice, _created = PrivacyNotice.objects.get_or_create(
            purpose=purpose,
            version=version,
            defaults={
                "title": title,
                "body": body,
                "items": items,
                "retention": retention,
                "required": required,
            },
        )
        if not notice.title_en:  # the English text of the same version (also for a world seeded before it)
            notice.title_en, notice.body_en = title_en, body_en
            notice.items_en, notice.retention_en = items_en, retention_en
            notice.save(update_fields=["title_en", "body_en", "items_en", "retention_en"])
    orgs = {}
    for key, name, name_en, short, kind in COUNCIL_ORGANISATIONS:
        orgs[key], _ = Organisation.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "short_name": short, "kind": kind}
        )
    account_notice = PrivacyNotice.objects.get(purpose=PrivacyNotice.Purpose.ACCOUNT, version="1.0")
    for email, name, role, org_key, title, language, tz in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=None,
                name=name,
                language=language,
                timezone=tz,
                email_confirmed_at=timezone.now(),
            )
            user.password = demo_password_hash()
            user.save(update_fields=["password"])
            user.consents.create(notice=account_notice, email=email, context="demo")
        org = orgs.get(org_key) if org_key else None
        Membership.objects.get_or_create(
            user=user, role=role, organisation=org, ended_on=None, defaults={"title": title}
        )
        if role in STAFF_ROLES and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    if not User.objects.filter(email="admin@demo.gvalley.kr").exists():
        admin = User.objects.create_superuser(
            email="admin@demo.gvalley.kr", password=settings.GVALLEY_DEMO_PASSWORD, name="플랫폼 관리자"
        )
        TOTPDevice.objects.create(user=admin, name="demo", confirmed=True)
