"""The bridge to the scheduling engine: the engine's inputs read from the database, and the schedules it returns.

The engine's own properties (every constraint on random instances, relabelling) are tested in
tests/engines/test_schedule_product.py; here the schedules of factory-built events are checked against the
database rows."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from gvalley.engines.schedule import model as engine_model
from gvalley.engines.schedule import pairs as engine_pairs
from gvalley.matchmaking import scheduling, services
from gvalley.matchmaking.models import (
    Availability,
    Event,
    Meeting,
    PairSession,
    Preference,
    Slot,
    UnscheduledPair,
)
from tests.matchmaking.factories import (
    BuyerFactory,
    EventFactory,
    InterpreterFactory,
    SellerFactory,
    add_sessions,
)

SEOUL = ZoneInfo("Asia/Seoul")
DAY = date(2021, 10, 6)


def levels(world, b, s, **sides):
    for side, level in sides.items():
        Preference.objects.create(
            event=world.event, buyer=world.buyers[b], seller=world.sellers[s], side=side, level=level
        )


def ids(world, b, s):
    return (f"b{world.buyers[b].pk}", f"s{world.sellers[s].pk}")


@pytest.mark.django_db
def test_pairs_and_weights_from_both_sides_with_vetoes_and_fixed_pairs(world):
    levels(world, 0, 0, buyer="must", seller="want")
    levels(world, 0, 1, buyer="want")
    levels(world, 1, 0, seller="must")
    levels(world, 1, 1, buyer="must", seller="no")  # veto
    levels(world, 2, 3, organiser="must")
    levels(world, 2, 2, buyer="want", organiser="no")
    world.event.recommendations = 0
    world.event.save()
    data = scheduling.engine_inputs(world.event)
    selection = data["selection"]
    b, s = world.buyers, world.sellers
    P = engine_model.Preference
    assert sorted(selection.preferences, key=lambda p: (p.buyer, p.seller, p.side)) == sorted(
        [
            P(*ids(world, 0, 0), "buyer", "must"),
            P(*ids(world, 0, 0), "seller", "want"),
            P(*ids(world, 0, 1), "buyer", "want"),
            P(*ids(world, 1, 0), "seller", "must"),
            P(*ids(world, 1, 1), "buyer", "must"),
            P(*ids(world, 1, 1), "seller", "no"),
        ],
        key=lambda p: (p.buyer, p.seller, p.side),
    )
    assert selection.fixed_pairs == [ids(world, 2, 3)]
    assert selection.excluded_pairs == {ids(world, 2, 2)}
    assert selection.similarity is None and selection.met_before == set()
    assert data["excluded"] == {(b[2].pk, s[2].pk): "organiser_no"}
    assert data["requested"] == {
        (b[0].pk, s[0].pk),
        (b[0].pk, s[1].pk),
        (b[1].pk, s[0].pk),
        (b[1].pk, s[1].pk),
        (b[2].pk, s[3].pk),
    }
    chosen = engine_pairs.select_pairs(selection)
    assert {(p.buyer, p.seller): (p.weight, p.priority) for p in chosen.pairs} == {
        ids(world, 0, 0): (13, "must"),  # buyer must 10 + company want 3
        ids(world, 0, 1): (5, "want"),
        ids(world, 1, 0): (6, "must"),  # the company's wish weighs less than the buyer's
        ids(world, 2, 3): (100, "fixed"),
    }
    assert {(r.buyer, r.seller): r.code for r in chosen.rejected} == {
        ids(world, 1, 1): "veto",
        ids(world, 2, 2): "excluded",
    }
    outcome = scheduling.solve(world.event, deterministic=True, time_limit=5)
    assert {(u.buyer_id, u.seller_id): u.reason_code for u in outcome.unscheduled} == {
        (b[1].pk, s[1].pk): "veto",
        (b[2].pk, s[2].pk): "organiser_no",
    }


@pytest.mark.django_db
def test_a_silent_buyer_is_recommended_the_most_similar_companies(world):
    event = world.event
    for seller, products in zip(
        world.sellers, ["LED lighting", "CCTV cameras", "cosmetics", "LED lighting controllers"], strict=True
    ):
        seller.products_en = products
        seller.products = products
        seller.save()
    buyer = world.buyers[2]
    buyer.products_sought = "LED lighting for offices"
    buyer.save()
    for b in world.buyers[:2]:
        levels(world, world.buyers.index(b), 1, buyer="want")
        levels(world, world.buyers.index(b), 1, seller="want")
    for s in (0, 2, 3):  # every company states a wish: only the silent buyer needs recommendations
        levels(world, 0, s, seller="want")
    event.recommendations = 2
    event.save()
    data = scheduling.engine_inputs(event)
    scores = scheduling.similarity_scores([buyer], world.sellers)
    assert data["selection"].similarity[ids(world, 2, 0)] == scores[(buyer.pk, world.sellers[0].pk)]
    chosen = engine_pairs.select_pairs(data["selection"])
    recommended = {
        (p.buyer, p.seller): (p.weight, p.priority, p.score)
        for p in chosen.pairs
        if p.priority == "recommended"
    }
    top = sorted(world.sellers, key=lambda s: -scores[(buyer.pk, s.pk)])[:2]
    assert [s.pk for s in top] == [world.sellers[0].pk, world.sellers[3].pk]
    assert recommended == {
        (f"b{buyer.pk}", f"s{s.pk}"): (
            1 + round(2 * scores[(buyer.pk, s.pk)]),  # recommended weight 1 + 2 x score
            "recommended",
            scores[(buyer.pk, s.pk)],
        )
        for s in top
    }
    ranked = scheduling.recommendations(event, k=2)[buyer.pk]
    assert [sid for sid, _score in ranked] == [world.sellers[0].pk, world.sellers[3].pk]


@pytest.mark.django_db
def test_pairs_that_met_in_an_earlier_edition_are_excluded_on_request(world):
    b, s = world.buyers[0], world.sellers[0]
    earlier = EventFactory(programme__edition__year=2020, programme__edition__number=5)
    old_b = BuyerFactory(event=earlier, organisation=b.organisation, contact=b.contact)
    old_s = SellerFactory(event=earlier, company=s.company, contact=s.contact)
    add_sessions(earlier, days=1, afternoon=None)
    Meeting.objects.create(
        event=earlier, buyer=old_b, seller=old_s, slot=earlier.slots.first(), room=1, attendance="held"
    )
    levels(world, 0, 0, buyer="want")
    world.event.recommendations = 0
    world.event.save()
    assert scheduling.met_before(world.event) == {(b.pk, s.pk)}
    data = scheduling.engine_inputs(world.event)
    assert data["selection"].met_before == set()
    assert [(p.buyer, p.seller, p.weight) for p in engine_pairs.select_pairs(data["selection"]).pairs] == [
        (*ids(world, 0, 0), 5)
    ]
    world.event.exclude_met_before = True
    world.event.save()
    data = scheduling.engine_inputs(world.event)
    assert data["selection"].met_before == {ids(world, 0, 0)}
    assert data["selection"].exclude_met_before is True
    chosen = engine_pairs.select_pairs(data["selection"])
    assert chosen.pairs == []
    assert [(r.buyer, r.seller, r.code) for r in chosen.rejected] == [(*ids(world, 0, 0), "met_before")]
    outcome = scheduling.solve(world.event, deterministic=True, time_limit=5)
    assert (outcome.status, outcome.meetings) == ("optimal", [])
    assert [(u.buyer_id, u.seller_id, u.reason_code) for u in outcome.unscheduled] == [
        (b.pk, s.pk, "met_before")
    ]


@pytest.mark.django_db
def test_every_requested_pair_left_out_has_a_reason(world):
    b, s = world.buyers, world.sellers
    world.event.recommendations = 0
    world.event.buyer_max_meetings = 1
    world.event.save()
    services.availability_set(actor=None, owner=b[0], intervals=[(DAY, time(8), time(9))])  # 10–11 Seoul
    services.availability_set(actor=None, owner=s[0], intervals=[(DAY, time(13, 30), time(15, 30))])
    levels(world, 0, 0, buyer="must")  # no common time
    world.interpreters[1].languages = ["en"]
    world.interpreters[1].save()
    levels(world, 1, 1, buyer="must")  # Vietnamese: nobody interprets it now
    levels(world, 2, 2, buyer="must")
    levels(world, 2, 3, buyer="want")  # buyer already at his maximum of 1
    levels(world, 1, 2, buyer="want", seller="no")  # a veto
    outcome = scheduling.solve(world.event, time_limit=5, deterministic=True)
    assert outcome.stats["engine"] == "gvalley.engines.schedule"
    assert outcome.stats["deterministic"] is True
    assert [(m.buyer_id, m.seller_id) for m in outcome.meetings] == [(b[2].pk, s[2].pk)]
    reasons = {(u.buyer_id, u.seller_id): u.reason_code for u in outcome.unscheduled}
    assert reasons == {
        (b[0].pk, s[0].pk): "no_common_time",
        (b[1].pk, s[1].pk): "no_interpreter",
        (b[2].pk, s[3].pk): "buyer_full",
        (b[1].pk, s[2].pk): "veto",
    }
    assert outcome.status == "optimal"


@pytest.mark.django_db
def test_progress_comes_from_the_engine_and_ends_with_writing(world):
    levels(world, 0, 0, buyer="must")
    levels(world, 1, 1, buyer="want")
    world.event.recommendations = 0
    world.event.save()
    seen: list[tuple[int, int, str]] = []
    outcome = scheduling.solve(
        world.event, progress=lambda *a: seen.append(a), deterministic=True, time_limit=5
    )
    assert outcome.status == "optimal" and len(outcome.meetings) == 2
    done = [d for d, _t, _m in seen]
    assert done == sorted(done) and done[0] == 5 and done[-1] == 98
    assert {t for _d, t, _m in seen} == {100}


@pytest.mark.django_db
def test_locked_problems_name_the_meeting_and_the_reason(world):
    b = world.buyers[0]
    slot = world.event.slots.get(number=5)
    Meeting.objects.create(
        event=world.event,
        buyer=b,
        seller=world.sellers[0],
        slot=slot,
        room=1,
        interpreter=world.interpreters[1],
        locked=True,
    )
    from django.utils import translation

    with translation.override("en"):
        problems = scheduling.locked_problems(world.event)
    assert problems == [
        "Locked meeting at 2021-10-06 13:30: the interpreter "
        f"{world.interpreters[1].name} does not speak Indonesian."
    ]


# --- Schedules of factory-built events, checked against the database rows ----------------------------------


def inside(slot, rows) -> bool:
    return not rows or any(a.starts_at <= slot.starts_at and slot.ends_at <= a.ends_at for a in rows)


def check(event: Event, locked: list[tuple[int, int, int, int | None, int]]) -> list[Meeting]:
    """Every hard constraint, recomputed from the database rows of ``event`` and its scheduled meetings."""
    meetings = list(
        Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED).select_related(
            "slot__session", "buyer", "seller", "interpreter"
        )
    )
    slots = list(Slot.objects.filter(event=event).order_by("number"))
    rows = defaultdict(list)
    for a in Availability.objects.filter(event=event):
        rows[
            ("buyer", a.buyer_id)
            if a.buyer_id
            else ("seller", a.seller_id)
            if a.seller_id
            else ("i", a.interpreter_id)
        ].append(a)
    vetoed = set(Preference.objects.filter(event=event, level="no").values_list("buyer_id", "seller_id"))
    pairs = set()
    taken = set()
    count = defaultdict(int)
    rooms = defaultdict(set)
    for m in meetings:
        key = (m.buyer_id, m.seller_id)
        assert key not in pairs and key not in vetoed
        pairs.add(key)
        assert inside(m.slot, rows[("buyer", m.buyer_id)]) and inside(m.slot, rows[("seller", m.seller_id)])
        for who in (("buyer", m.buyer_id), ("seller", m.seller_id), ("i", m.interpreter_id)):
            assert (who, m.slot_id) not in taken, f"{who} twice in slot {m.slot.number}"
            taken.add((who, m.slot_id))
            count[who] += 1
        assert 1 <= m.room <= event.rooms and m.room not in rooms[m.slot_id]
        rooms[m.slot_id].add(m.room)
        if event.interpretation:
            assert m.interpreter is not None and m.buyer.language in m.interpreter.languages
            assert inside(m.slot, rows[("i", m.interpreter_id)])
    # each participant's own maximum (the organiser's override, the buyer's own, else the event's)
    limits = {("buyer", b.pk): b.meeting_limits(event).max for b in event.buyers.all()}
    limits |= {("seller", s.pk): s.meeting_limits(event).max for s in event.sellers.all()}
    for (kind, pk), n in count.items():
        if kind in ("buyer", "seller"):
            assert n <= limits[(kind, pk)]
    # a pair the organiser restricted to a session meets in that session
    restricted = {
        (b, s): part
        for b, s, part in PairSession.objects.filter(event=event).values_list("buyer_id", "seller_id", "part")
    }
    for m in meetings:
        if (m.buyer_id, m.seller_id) in restricted:
            assert m.slot.session.part == restricted[(m.buyer_id, m.seller_id)]
    # an interpreter has at most max_consecutive meetings in a row within a day (lunch is not a slot)
    for interp in event.interpreters.all():
        by_day = defaultdict(list)
        for t in slots:
            by_day[t.starts_at.astimezone(SEOUL).date()].append((("i", interp.pk), t.pk) in taken)
        for flags in by_day.values():
            run = 0
            for flag in flags:
                run = run + 1 if flag else 0
                assert run <= interp.max_consecutive
    kept = {(m.buyer_id, m.seller_id, m.slot_id, m.interpreter_id, m.room) for m in meetings if m.locked}
    assert set(locked) <= kept
    return meetings


def busy_world(world, seed: int):
    """The world, with 3 more buyers, 2 rooms, tired interpreters, availabilities, wishes, vetoes and a lock."""
    rng = random.Random(seed)
    event = world.event
    event.rooms = 2
    event.recommendations = 1
    event.save()
    buyers = world.buyers + [
        BuyerFactory(event=event, language=lang, timezone=tz)
        for lang, tz in (("id", "Asia/Jakarta"), ("vi", "Asia/Ho_Chi_Minh"), ("en", "Asia/Manila"))
    ]
    InterpreterFactory(event=event, languages=["en", "vi"], max_consecutive=2)
    for interp in world.interpreters:
        interp.max_consecutive = rng.choice([2, 3])
        interp.save()
    services.availability_set(
        actor=None, owner=world.interpreters[1], intervals=[(DAY, time(10), time(12, 30))]
    )
    for owner in rng.sample(buyers[1:], 2):  # in the buyer's own time zone (buyer 0 has the lock)
        services.availability_set(actor=None, owner=owner, intervals=[(DAY, time(9), time(12))])
    for owner in rng.sample(world.sellers[:3], 2):
        services.availability_set(actor=None, owner=owner, intervals=[(DAY, time(11), time(15, 30))])
    for buyer in buyers:
        picks = rng.sample(world.sellers, 3)
        services.preferences_set(
            actor=None, owner=buyer, levels={picks[0].pk: "must", picks[1].pk: "want", picks[2].pk: "no"}
        )
    lock = Meeting.objects.create(
        event=event,
        buyer=world.buyers[0],
        seller=world.sellers[3],
        slot=event.slots.get(number=2),
        room=2,
        interpreter=world.interpreters[0],
        locked=True,
    )
    return [(lock.buyer_id, lock.seller_id, lock.slot_id, lock.interpreter_id, lock.room)]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.django_db
def test_every_schedule_keeps_every_hard_constraint_and_explains_the_rest(world, seed):
    locked = busy_world(world, seed)
    run = services.schedule_request(actor=None, event=world.event, enqueue=False, kind="reoptimise")
    run = services.schedule_execute(run=run, deterministic=True, time_limit=5)
    assert run.status in ("optimal", "feasible")
    meetings = check(world.event, locked)
    assert run.scheduled_meetings == len(meetings) > 1
    # every pair someone asked for (and nobody vetoed) meets or has a reason
    wished = set(
        Preference.objects.filter(event=world.event, level__in=["must", "want"]).values_list(
            "buyer_id", "seller_id"
        )
    )
    vetoed = set(
        Preference.objects.filter(event=world.event, level="no").values_list("buyer_id", "seller_id")
    )
    held = {(m.buyer_id, m.seller_id) for m in meetings}
    explained = set(UnscheduledPair.objects.filter(run=run).values_list("buyer_id", "seller_id"))
    assert wished - vetoed <= held | explained
    assert not held & explained


@pytest.mark.django_db
def test_the_deterministic_mode_repeats_itself(world):
    busy_world(world, 4)

    def schedule():
        outcome = scheduling.solve(world.event, deterministic=True, time_limit=2)
        return (
            outcome.status,
            sorted((m.buyer_id, m.seller_id, m.slot_id, m.interpreter_id) for m in outcome.meetings),
            outcome.breaks,
        )

    first = schedule()
    assert first[0] in ("optimal", "feasible") and first[1]
    assert schedule() == first


@pytest.mark.django_db
def test_breaks_are_avoided_when_the_weight_allows():
    # One buyer, three companies, five slots in one session, each company away in another slot: the three
    # meetings can and do come in a row.
    event = EventFactory(rooms=2, recommendations=0)
    add_sessions(event, days=1, morning=(time(10), time(13, 10)), afternoon=None)
    assert event.slots.count() == 5
    buyer = BuyerFactory(event=event, language="en", timezone="Asia/Seoul")
    InterpreterFactory(event=event, languages=["en"], max_consecutive=5)
    away = {
        2: [(DAY, time(10), time(10, 30)), (DAY, time(11, 20), time(13, 10))],
        4: [(DAY, time(10), time(11, 50)), (DAY, time(12, 40), time(13, 10))],
        5: [(DAY, time(10), time(12, 30))],
    }
    sellers = []
    for intervals in away.values():
        seller = SellerFactory(event=event)
        services.availability_set(actor=None, owner=seller, intervals=intervals)
        sellers.append(seller)
    services.preferences_set(actor=None, owner=buyer, levels={s.pk: "want" for s in sellers})
    outcome = scheduling.solve(event, deterministic=True, time_limit=5)
    assert outcome.status == "optimal"
    assert len(outcome.meetings) == 3
    assert outcome.breaks == 0
    numbers = dict(Slot.objects.filter(event=event).values_list("pk", "number"))
    placed = sorted(numbers[m.slot_id] for m in outcome.meetings)
    assert placed[-1] - placed[0] == 2  # three slots in a row
    again = scheduling.solve(event, deterministic=True, time_limit=5)
    assert sorted(numbers[m.slot_id] for m in again.meetings) == placed


@pytest.mark.django_db
def test_engine_inputs_offer_only_slots_to_come_and_fix_the_meetings_that_took_place(world):
    from datetime import datetime

    event = world.event
    b, s, i = world.buyers, world.sellers, world.interpreters
    slot = {n: event.slots.get(number=n) for n in range(1, 8)}

    def meeting(buyer, seller, number, interpreter, **extra):
        return Meeting.objects.create(
            event=event,
            buyer=buyer,
            seller=seller,
            slot=slot[number],
            room=1,
            interpreter=interpreter,
            **extra,
        )

    held = meeting(b[0], s[0], 1, i[0], attendance="held")  # 10:00, has started
    meeting(b[1], s[1], 2, i[1])  # 10:40, has started (attendance not entered yet)
    early = meeting(b[2], s[2], 5, i[0], attendance="held")  # 13:30, recorded early: kept where it is
    meeting(b[1], s[3], 6, i[1])  # still to come, unlocked: the engine may move it
    meeting(b[0], s[3], 3, i[0], status="cancelled")  # cancelled: no part of the schedule
    levels(world, 0, 0, buyer="must")  # asked again, but it took place
    event.buyer_min_meetings, event.recommendations = 2, 0
    event.save()

    data = scheduling.engine_inputs(event, now=datetime(2021, 10, 6, 11, 30, tzinfo=SEOUL))

    assert [x.id for x in data["slots"]] == [str(slot[n].pk) for n in (4, 5, 6, 7)]
    assert [x.index for x in data["slots"]] == [0, 1, 2, 3]
    assert data["locked"] == [
        engine_model.FixedMeeting(f"b{b[2].pk}", f"s{s[2].pk}", str(slot[5].pk), f"i{i[0].pk}", 1)
    ]
    assert data["done"] == {(b[0].pk, s[0].pk), (b[1].pk, s[1].pk)}
    assert data["taken_place"] == {held.pk, early.pk, Meeting.objects.get(slot=slot[2]).pk}
    selection = data["selection"]
    assert selection.excluded_pairs == {ids(world, 0, 0), ids(world, 1, 1)}
    assert selection.preferences == []  # the held pair is not asked for again
    limits = {p.id: (p.min_meetings, p.max_meetings) for p in selection.buyers + selection.sellers}
    assert limits == {
        f"b{b[0].pk}": (1, 3),
        f"b{b[1].pk}": (1, 3),
        f"b{b[2].pk}": (2, 4),
        f"s{s[0].pk}": (0, 2),
        f"s{s[1].pk}": (0, 2),
        f"s{s[2].pk}": (0, 3),
        f"s{s[3].pk}": (0, 3),
    }
    assert data["excluded"] == {}
    assert data["requested"] == set()


@pytest.mark.django_db
def test_locked_meetings_that_took_place_are_not_checked_again(world):
    from datetime import datetime

    event = world.event
    buyer = world.buyers[0]
    slot = {n: event.slots.get(number=n) for n in (1, 2, 3)}
    held = Meeting.objects.create(
        event=event, buyer=buyer, seller=world.sellers[0], slot=slot[1], room=1, locked=True
    )
    services.record_save(actor=None, meeting=held, products_discussed="CCTV", consultation_usd=1)
    Meeting.objects.create(
        event=event, buyer=buyer, seller=world.sellers[1], slot=slot[2], room=1, locked=True
    )
    # the buyer is now available only at 11:20: neither locked meeting fits, but the first one took place
    Availability.objects.create(
        event=event, buyer=buyer, starts_at=slot[3].starts_at, ends_at=slot[3].ends_at
    )
    event.interpretation = False
    event.save()
    assert scheduling.locked_problems(event) == [
        f"2021-10-06 10:40 고정 상담: {buyer.name}이(가) 그 시간에 상담할 수 없습니다."
    ]
    # once 10:40 has started, that meeting took place too
    assert scheduling.locked_problems(event, now=datetime(2021, 10, 6, 10, 45, tzinfo=SEOUL)) == []


@pytest.mark.django_db
def test_each_participants_own_maximum_and_the_pairs_session_are_kept_and_explained(world):
    """The organiser raises two buyers' maximum above the event's and lowers a company's, a buyer states his own
    maximum, and two pairs are restricted to a session: the engine receives them, the schedule written to the
    database keeps them, and the pairs left out say why with the participant's own numbers."""
    event = world.event
    b, s = world.buyers, world.sellers
    event.recommendations = 0
    event.buyer_max_meetings = 2  # companies: 3
    event.save()
    services.meeting_limits_set(actor=world.operator, participant=b[1], min_meetings=None, max_meetings=4)
    services.meeting_limits_set(actor=world.operator, participant=b[2], min_meetings=1, max_meetings=3)
    services.meeting_limits_set(actor=world.operator, participant=s[3], min_meetings=None, max_meetings=1)
    buyer0 = b[0]
    services.buyer_update(
        actor=buyer0.contact,
        buyer=buyer0,
        country=buyer0.country,
        timezone_name=buyer0.timezone,
        language=buyer0.language,
        products_sought=buyer0.products_sought,
        purchase_volume_usd=0,
        wanted_max_meetings=1,
    )
    # company 1 can meet only in the afternoon (13:30–15:30 Seoul)
    services.availability_set(actor=None, owner=s[1], intervals=[(DAY, time(13, 30), time(15, 30))])
    for n in range(4):
        levels(world, 1, n, buyer="must" if n == 3 else "want")  # buyer 1 (Vietnamese) wants every company
    levels(world, 0, 2, buyer="must")
    levels(world, 0, 1, buyer="want")  # buyer 0 wants one meeting only: company 2 weighs more
    levels(world, 2, 0, buyer="want")
    levels(world, 2, 1, buyer="want")
    levels(world, 2, 3, buyer="want")  # company 3 has room for one meeting: buyer 1's must
    services.pair_decide(actor=world.operator, buyer=b[2], seller=s[0], level="", session="afternoon")
    services.pair_session_set(actor=world.operator, buyer=b[2], seller=s[1], session="morning")
    for p in (*b, *s):
        p.refresh_from_db()

    data = scheduling.engine_inputs(event)
    people = data["selection"].buyers + data["selection"].sellers
    assert {p.id: (p.min_meetings, p.max_meetings) for p in people} == {
        f"b{b[0].pk}": (0, 1),
        f"b{b[1].pk}": (0, 4),
        f"b{b[2].pk}": (1, 3),
        f"s{s[0].pk}": (0, 3),
        f"s{s[1].pk}": (0, 3),
        f"s{s[2].pk}": (0, 3),
        f"s{s[3].pk}": (0, 1),
    }
    assert data["pair_sessions"] == {ids(world, 2, 0): "afternoon", ids(world, 2, 1): "morning"}

    run = services.schedule_request(actor=world.operator, event=event, enqueue=False)
    with translation.override("en"):
        run = services.schedule_execute(run=run, deterministic=True, time_limit=5)
    assert run.status == "optimal"
    meetings = check(event, locked=[])
    assert {(m.buyer_id, m.seller_id) for m in meetings} == {
        (b[1].pk, s[0].pk),
        (b[1].pk, s[1].pk),
        (b[1].pk, s[2].pk),
        (b[1].pk, s[3].pk),  # 4 meetings: above the event's maximum of 2
        (b[0].pk, s[2].pk),  # his own maximum: 1
        (b[2].pk, s[0].pk),
    }
    session_of = {(m.buyer_id, m.seller_id): m.slot.session.part for m in meetings}
    assert session_of[(b[2].pk, s[0].pk)] == "afternoon"
    assert session_of[(b[1].pk, s[1].pk)] == "afternoon"  # company 1's availability
    left = {
        (u.buyer_id, u.seller_id): (u.reason_code, u.reason) for u in UnscheduledPair.objects.filter(run=run)
    }
    assert left == {
        (b[0].pk, s[1].pk): (
            "buyer_full",
            f"{b[0].name} already has the most meetings allowed (1), with pairs that weigh more.",
        ),
        (b[2].pk, s[3].pk): (
            "seller_full",
            f"{s[3].name} already has the most meetings allowed (1), with pairs that weigh more.",
        ),
        (b[2].pk, s[1].pk): (
            "no_common_time",
            f"{b[2].name} and {s[1].name} have no available time in common in the morning session "
            "(the organiser's restriction).",
        ),
    }
