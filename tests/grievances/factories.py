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


def trend_world() -> dict[str, Any]:
    """Seven requests over December 2020 – May 2021 for the dashboard's monthly trend (processing period
    7 days: due dates in the comments, Korean holidays counted). Organisation 가 and the first category
    have r1–r5; 나 and the second category have r6; r7 is merged into r3 (left out everywhere).

    * r1: received 01-10, answered 01-12, closed 01-20.
    * r2: received 01-20 (due 01-28), answered 02-08, closed 02-10, reopened 03-25 (new due 04-02),
      answered 05-06, closed 05-10 — overdue at the end of January (first round) and of April (second).
    * r3: received 03-15 (due 03-23), never answered.
    * r4: received 04-28 (due 05-07), answered 05-03.
    * r5: received 2020-12-20 (due 12-30), answered 02-15.
    * r6: received 04-05 (due 04-13), never answered.
    """
    ga, na = OrganisationFactory(name="가"), OrganisationFactory(name="나")
    first, second = CategoryFactory(period="7d", order=1), CategoryFactory(period="7d", order=2)

    def received(at: datetime, org: Organisation = ga, category: Category = first) -> Request:
        req = make_request(category=category, received_at=at)
        return services.request_assign(actor=None, request=req, organisation=org, at=at, notify=False)

    def answer(req: Request, at: datetime) -> None:
        services.request_answer(actor=None, request=req, outcome="accepted", body="조치", at=at, notify=False)

    r1 = received(seoul(2021, 1, 10, 10, 0))
    answer(r1, seoul(2021, 1, 12, 10, 0))
    services.request_close(actor=None, request=r1, at=seoul(2021, 1, 20, 10, 0), notify=False)
    r2 = received(seoul(2021, 1, 20, 10, 0))
    answer(r2, seoul(2021, 2, 8, 10, 0))
    services.request_close(actor=None, request=r2, at=seoul(2021, 2, 10, 10, 0), notify=False)
    services.request_reopen(
        actor=None, request=r2, reason="미해결", at=seoul(2021, 3, 25, 10, 0), notify=False
    )
    answer(r2, seoul(2021, 5, 6, 10, 0))
    services.request_close(actor=None, request=r2, at=seoul(2021, 5, 10, 10, 0), notify=False)
    r3 = received(seoul(2021, 3, 15, 10, 0))
    r4 = received(seoul(2021, 4, 28, 10, 0))
    answer(r4, seoul(2021, 5, 3, 10, 0))
    r5 = received(seoul(2020, 12, 20, 10, 0))
    answer(r5, seoul(2021, 2, 15, 10, 0))
    r6 = received(seoul(2021, 4, 5, 10, 0), na, second)
    r7 = received(seoul(2021, 3, 1, 10, 0))
    services.request_merge(actor=None, primary=r3, duplicates=[r7], notify=False)
    return {
        "ga": ga,
        "na": na,
        "first": first,
        "second": second,
        "requests": [r1, r2, r3, r4, r5, r6, r7],
    }


__all__ = [
    "CategoryFactory",
    "OrganisationFactory",
    "QuestionFactory",
    "UserFactory",
    "handler_of",
    "make_request",
    "request_notice",
    "seoul",
    "trend_world",
]
