"""Query counts of the public council pages that list items: the seat history (``/council/seats/``) and a
working body's page (``/council/bodies/<slug>/``), with 1 and then 3 items."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gvalley.council import selectors, services
from gvalley.council.models import Council, Meeting, Seat, Term
from tests.council.factories import MeetingFactory, aware
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(world) -> Council:
    return services.council_create(
        actor=None,
        slug="geumcheon",
        kind=Council.Kind.LOCAL_WORKING,
        parent=world.council,
        name="G밸리 금천구 실무협의회",
        name_en="Geumcheon-local working council",
    )


def _seat(council: Council, term: Term, position: str) -> Seat:
    member = services.council_member_add(
        actor=None,
        council=council,
        organisation=OrganisationFactory(),
        group="local_agency",
        joined_on=date(2019, 1, 1),
    )
    return services.seat_designate(
        actor=None,
        member=member,
        term=term,
        kind=Seat.Kind.WORKING_MEMBER,
        person=UserFactory(),
        position_title=position,
        designated_on=term.starts_on,
    )


def _seats_in_terms(council: Council, n: int) -> None:
    """The first call: term 1 with 1 seat. The next: term 2 (term 1 ends) with 1 seat, 1 more in term 1."""
    first = Term.objects.filter(council=council, number=1).first()
    if first is None:
        first = services.term_create(actor=None, council=council, number=1, starts_on=date(2019, 1, 1))
        _seat(council, first, "실무 담당 1")
        return
    _seat(council, first, "실무 담당 2")
    second = services.term_start(actor=None, council=council, number=2, starts_on=date(2021, 1, 1))
    _seat(council, second, "실무 담당 3")
    assert n == 2


def _body_items(council: Council, n: int) -> None:
    """Per call, ``n`` member organisations with a seat, upcoming meetings and held meetings."""
    term = Term.objects.filter(council=council).first() or services.term_create(
        actor=None, council=council, number=1, starts_on=date(2019, 1, 1)
    )
    for i in range(n):
        _seat(council, term, f"실무 담당 {i}")
        MeetingFactory(council=council, kind=Meeting.Kind.LOCAL_WORKING)
        day = timezone.localdate() - timedelta(days=10 + i)
        MeetingFactory(
            council=council,
            kind=Meeting.Kind.LOCAL_WORKING,
            status=Meeting.Status.HELD,
            starts_at=aware(day),
            ends_at=aware(day, 16),
        )


@pytest.mark.parametrize("who", ["anonymous", "member", "secretary"])
def test_the_seat_history_runs_a_fixed_number_of_queries(client, login, queries, world, local, who):
    if who != "anonymous":
        login(getattr(world, who))
    url = reverse("council:seats") + "?council=geumcheon"
    counts = []
    for n, rows in ((1, 1), (2, 3)):
        _seats_in_terms(local, n)
        with queries() as q:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('<tr><th scope="row">') == rows
        counts.append(len(q))
    assert counts[0] == counts[1], counts


def test_the_seat_history_selector_runs_two_queries(world, local, queries):
    _seats_in_terms(local, 1)
    _seats_in_terms(local, 2)
    with queries() as q:
        terms = selectors.seat_history(local)
        rows = [(t.number, s.position_title, s.ceased_on) for t in terms for s in t.seats.all()]
    assert len(q) == 2
    assert rows == [
        (2, "실무 담당 3", None),
        (1, "실무 담당 1", date(2021, 1, 1)),
        (1, "실무 담당 2", date(2021, 1, 1)),
    ]


@pytest.mark.parametrize("who", ["anonymous", "member", "secretary"])
def test_the_local_council_page_runs_a_fixed_number_of_queries(client, login, queries, world, local, who):
    if who != "anonymous":
        login(getattr(world, who))
    url = reverse("council:body", args=["geumcheon"])
    counts = []
    for n, items in ((1, 1), (2, 3)):
        _body_items(local, n)
        with queries() as q:
            response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert page.count('<strong class="cc-org">') == items  # member organisations, each with its seat
        assert page.count('<span class="cc-role">실무회원</span>') == items
        assert len(re.findall(r'<a href="/council/meetings/\d+/">', page)) == 2 * items  # upcoming, recent
        counts.append(len(q))
    assert counts[0] == counts[1], counts
