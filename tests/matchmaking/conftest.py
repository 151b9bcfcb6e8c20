"""A small consultation world: one day (7 slots), 3 buyers, 4 companies, 2 interpreters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

import pytest

from gvalley.accounts.models import Organisation, Role
from gvalley.matchmaking import scheduling
from gvalley.matchmaking.models import Buyer, Event, Interpreter, Seller
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.matchmaking.factories import (
    BuyerFactory,
    EventFactory,
    InterpreterFactory,
    SellerFactory,
    add_sessions,
    programme_notice,
)

#: The scheduler's clock in these tests: before the test world's event (6 October 2021), so that every slot is
#: still to come. Tests of meetings that took place pass ``now`` or move the clock themselves.
BEFORE_THE_EVENT = datetime(2021, 9, 24, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def scheduler_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(scheduling, "clock", lambda: BEFORE_THE_EVENT)
    return BEFORE_THE_EVENT


@dataclass
class World:
    event: Event
    buyers: list[Buyer]
    sellers: list[Seller]
    interpreters: list[Interpreter]
    operator: Any
    handler: Any
    other_handler: Any

    @property
    def pk(self) -> int:
        return self.event.programme_id


@pytest.fixture
def world(db: Any) -> World:
    programme_notice()
    agency = OrganisationFactory(
        name="한국산업단지공단 서울지역본부", kind=Organisation.Kind.PUBLIC_ENTERPRISE
    )
    event = EventFactory(programme__operator=agency)
    add_sessions(event, days=1, morning=(time(10), time(12, 30)), afternoon=(time(13, 30), time(15, 30)))
    buyers = [
        BuyerFactory(event=event, language="id", timezone="Asia/Jakarta", country="ID"),
        BuyerFactory(event=event, language="vi", timezone="Asia/Ho_Chi_Minh", country="VN"),
        BuyerFactory(event=event, language="en", timezone="Asia/Singapore", country="SG"),
    ]
    sellers = [SellerFactory(event=event) for _ in range(4)]
    interpreters = [
        InterpreterFactory(event=event, languages=["id", "ms", "en"]),
        InterpreterFactory(event=event, languages=["vi", "en"]),
    ]
    operator = UserFactory(roles=[Role.OPERATOR])
    handler = UserFactory()
    MembershipFactory(user=handler, organisation=agency, role=Role.AGENCY_HANDLER)
    other_handler = UserFactory()
    MembershipFactory(user=other_handler, role=Role.AGENCY_HANDLER)
    return World(event, buyers, sellers, interpreters, operator, handler, other_handler)
