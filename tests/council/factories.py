"""Factories of the council app, and ``make_world()``: a small council with seats held by real users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone

from gvalley.accounts.models import Organisation, Role, User
from gvalley.council import services
from gvalley.council.models import (
    AgendaItem,
    Council,
    CouncilMember,
    Decision,
    Indicator,
    Meeting,
    PlanLine,
    PlanProgramme,
    Seat,
    Term,
)
from tests.factories import OrganisationFactory, UserFactory


def aware(day: date, hour: int = 14) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("slug",)

    slug = "gvalley"
    kind = Council.Kind.MAIN
    name = "G밸리 발전협의회"
    name_en = "G-Valley Development Council"
    contact_email = "council@example.com"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    council = factory.SubFactory(CouncilFactory)
    kind = Meeting.Kind.PLENARY
    title = factory.Sequence(lambda n: f"본회의 {n}")
    title_en = factory.Sequence(lambda n: f"Plenary {n}")
    starts_at = factory.LazyFunction(lambda: aware(timezone.localdate() + timedelta(days=14)))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "G밸리 비즈플라자"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    council = factory.SubFactory(CouncilFactory)
    title = factory.Sequence(lambda n: f"안건 {n}")
    title_en = factory.Sequence(lambda n: f"Item {n}")
    origin = AgendaItem.Origin.MEMBER_PROPOSAL


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    agenda_item = factory.SubFactory(AgendaItemFactory)
    text = factory.Sequence(lambda n: f"결정 {n}")
    method = Decision.Method.CONSENSUS
    decided_on = factory.LazyFunction(timezone.localdate)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanProgramme

    council = factory.SubFactory(CouncilFactory)
    title = "G밸리 발전협의회 확대 운영"
    title_en = "Expanded operation"
    starts_on = date(2018, 1, 1)
    ends_on = date(2022, 6, 30)


class PlanLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanLine

    plan = factory.SubFactory(PlanFactory)
    year = 2021
    starts_on = factory.LazyAttribute(lambda o: date(o.year, 1, 1))
    ends_on = factory.LazyAttribute(lambda o: date(o.year, 12, 31))
    title = factory.Sequence(lambda n: f"협의회 개최 {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    line = factory.SubFactory(PlanLineFactory)
    metric = "plenaries_held"
    label = "본회의 개최"
    target = 2


@dataclass
class World:
    council: Council
    orgs: list[Organisation]
    members: list[CouncilMember]
    term: Term
    co_chair: User
    member: User
    secretary: User  # a working member (secretariat role)
    other_member: User
    operator: User
    outsider: User

    @property
    def seats(self) -> list[Seat]:
        return list(Seat.objects.filter(member__council=self.council, ceased_on__isnull=True))


def make_world(n_orgs: int = 3) -> World:
    """A council of ``n_orgs`` organisations (term from 2020): org 0 has the co-chair, org 1 a member, org 2 a
    member; every org a working member (org 0's is ``secretary``)."""
    council = CouncilFactory()
    orgs = [OrganisationFactory(name=f"기관{i}", name_en=f"Org {i}") for i in range(n_orgs)]
    members = [
        services.council_member_add(
            actor=None,
            council=council,
            organisation=org,
            group=CouncilMember.Group.ASSOCIATION,
            joined_on=date(2019, 1, 1),
            order=i,
        )
        for i, org in enumerate(orgs)
    ]
    term = services.term_create(actor=None, council=council, number=1, starts_on=date(2020, 1, 1))
    co_chair = UserFactory(name="최선", email="cochair@example.com")
    member = UserFactory(name="박준호", email="member@example.com")
    other_member = UserFactory(name="김회원", email="member2@example.com")
    secretary = UserFactory(name="이서연", email="secretary@example.com")
    start = date(2020, 1, 1)
    services.seat_designate(
        actor=None,
        member=members[0],
        term=term,
        kind=Seat.Kind.CO_CHAIR,
        person=co_chair,
        position_title="이사장",
        designated_on=start,
    )
    services.seat_designate(
        actor=None,
        member=members[1],
        term=term,
        kind=Seat.Kind.MEMBER,
        person=member,
        position_title="회장",
        designated_on=start,
    )
    if n_orgs > 2:
        services.seat_designate(
            actor=None,
            member=members[2],
            term=term,
            kind=Seat.Kind.MEMBER,
            person=other_member,
            position_title="본부장",
            designated_on=start,
        )
    services.seat_designate(
        actor=None,
        member=members[0],
        term=term,
        kind=Seat.Kind.WORKING_MEMBER,
        person=secretary,
        position_title="사무국장",
        designated_on=start,
    )
    for m in members[1:]:
        services.seat_designate(
            actor=None,
            member=m,
            term=term,
            kind=Seat.Kind.WORKING_MEMBER,
            person=UserFactory(),
            position_title="사무국장",
            designated_on=start,
        )
    for user in (co_chair, member, other_member, secretary):
        user.__dict__.pop("role_set", None)
    return World(
        council=council,
        orgs=orgs,
        members=members,
        term=term,
        co_chair=co_chair,
        member=member,
        secretary=secretary,
        other_member=other_member,
        operator=UserFactory(roles=[Role.OPERATOR]),
        outsider=UserFactory(roles=[Role.COMPANY_REP]),
    )


def held_meeting(world: World, days_ago: int = 7, **kwargs: object) -> Meeting:
    """A plenary held ``days_ago`` days ago with every organisation present."""
    day = timezone.localdate() - timedelta(days=days_ago)
    meeting = services.meeting_schedule(
        actor=world.secretary,
        council=world.council,
        kind=kwargs.pop("kind", Meeting.Kind.PLENARY),
        title=kwargs.pop("title", "지난 본회의"),
        starts_at=aware(day),
        ends_at=aware(day, 16),
        place="회의실",
        **kwargs,
    )
    services.meeting_invite(actor=world.secretary, meeting=meeting, notify=False)
    services.attendance_record(
        actor=world.secretary,
        meeting=meeting,
        rows=[services.AttendanceRow(organisation=o, present=True) for o in world.orgs],
    )
    meeting.refresh_from_db()
    return meeting
