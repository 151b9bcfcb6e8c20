"""Factories of the export consultation: an event with sessions, buyers, companies and interpreters."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import factory
from django.utils import timezone

from gvalley.accounts.models import Organisation, PrivacyNotice, Role
from gvalley.matchmaking import services
from gvalley.matchmaking.models import Buyer, Event, Interpreter, Seller
from tests.factories import CompanyFactory, OrganisationFactory, PrivacyNoticeFactory, UserFactory
from tests.week.factories import EditionFactory, ProgrammeFactory


def programme_notice() -> PrivacyNotice:
    notice = PrivacyNotice.objects.filter(purpose=PrivacyNotice.Purpose.PROGRAMME).first()
    return notice or PrivacyNoticeFactory(purpose=PrivacyNotice.Purpose.PROGRAMME)


class EventFactory(factory.django.DjangoModelFactory):
    """An event whose registration and preference windows are open now, on 6–8 October of its edition."""

    class Meta:
        model = Event

    programme = factory.SubFactory(ProgrammeFactory, edition=factory.SubFactory(EditionFactory, year=2021))
    timezone = "Asia/Seoul"
    slot_minutes = 30
    gap_minutes = 10
    rooms = 10
    languages = ["en", "ms", "id", "vi", "th"]
    interpretation = True
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    preferences_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=12))
    buyer_max_meetings = 4
    seller_max_meetings = 3
    time_limit_seconds = 10


def add_sessions(
    event: Event,
    days: int = 1,
    morning: tuple[time, time] = (time(10), time(12, 30)),
    afternoon: tuple[time, time] | None = (time(13, 30), time(16, 10)),
) -> None:
    """Sessions in the event's time zone on the first ``days`` days of the programme."""
    start = event.programme.starts_on
    for n in range(days):
        day = start + timedelta(days=n)
        services.session_add(
            actor=None, event=event, day=day, part="morning", starts=morning[0], ends=morning[1]
        )
        if afternoon:
            services.session_add(
                actor=None, event=event, day=day, part="afternoon", starts=afternoon[0], ends=afternoon[1]
            )


class BuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Buyer

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=Organisation.Kind.FOREIGN_COMPANY,
        country="ID",
        name=factory.Sequence(lambda n: f"PT Buyer {n}"),
        name_en=factory.Sequence(lambda n: f"PT Buyer {n}"),
    )
    contact = factory.SubFactory(UserFactory, roles=[Role.BUYER], language="en", timezone="Asia/Jakarta")
    country = "ID"
    timezone = "Asia/Jakarta"
    language = "id"
    products_sought = "semiconductor equipment parts"
    purchase_volume_usd = 500_000


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seller

    event = factory.SubFactory(EventFactory)
    company = factory.SubFactory(CompanyFactory)
    contact = factory.SubFactory(UserFactory, roles=[Role.COMPANY_REP])
    products = "반도체장비 부품"
    products_en = "semiconductor equipment parts"
    timezone = "Asia/Seoul"


class InterpreterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interpreter

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory, roles=[Role.INTERPRETER])
    languages = ["en", "ms", "id"]
    max_consecutive = 4


def utc(*args: Any) -> datetime:
    return datetime(*args, tzinfo=UTC)


__all__ = ["date", "utc"]
