"""Factories and helpers for the grievances tests. Requests are made through the service, as in the app."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import factory

from gvalley.accounts.models import Membership, Organisation, PrivacyNotice, Role
from gvalley.grievances import services
from gvalley.grievances.models import Category, Question, Request
from tests.factories import OrganisationFactory, PrivacyNoticeFactory, UserFactory

SEOUL = ZoneInfo("Asia/Seoul")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.Sequence(lambda n: f"분류{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    description = "설명"
    description_en = "Description"
    kind = Category.Kind.GRIEVANCE
    period = "7d"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    category = factory.SubFactory(CategoryFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    label = "질문"
    label_en = "Question"
    datatype = Question.Datatype.STRING
    required = False


def request_notice() -> PrivacyNotice:
    return PrivacyNotice.objects.filter(
        purpose=PrivacyNotice.Purpose.REQUEST
    ).first() or PrivacyNoticeFactory(
        purpose=PrivacyNotice.Purpose.REQUEST, title="애로사항 접수 개인정보 수집·이용 동의"
    )


def handler_of(org: Organisation, **kwargs: Any) -> Any:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, organisation=org, role=Role.AGENCY_HANDLER)
    user.__dict__.pop("role_set", None)
    return user


def make_request(
    *,
    category: Category | None = None,
    actor: Any = None,
    received_at: datetime | None = None,
    **overrides: Any,
) -> Request:
    request_notice()
    data: dict[str, Any] = {
        "title": "출퇴근 버스 증편 요청",
        "description": "가산디지털단지역에서 회사까지 출근 시간 셔틀버스가 부족합니다.",
        "filer_type": Request.FilerType.CITIZEN,
        "contact_name": "홍길동",
        "contact_email": "hong@example.com",
        "consent": True,
        "notify": False,
    }
    data.update(overrides)
    return services.request_submit(
        actor=actor,
        category=category or CategoryFactory(),
        received_at=received_at,
        **data,
    )


def seoul(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


__all__ = [
    "CategoryFactory",
    "OrganisationFactory",
    "QuestionFactory",
    "UserFactory",
    "handler_of",
    "make_request",
    "request_notice",
    "seoul",
]
