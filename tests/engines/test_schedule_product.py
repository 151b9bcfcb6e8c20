"""The product engine: time zones, pair selection, scheduling rules, re-optimisation, explanations."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gvalley.engines.schedule import (
    FixedMeeting,
    Interpreter,
    Interval,
    PairChoice,
    Participant,
    Precedence,
    Preference,
    ScheduledMeeting,
    ScheduleInput,
    ScheduleResult,
    SelectionInput,
    Weights,
    allowed_slots,
    generate,
    instance_from_dict,
    instance_to_dict,
    local_time,
    make_slots,
    plan,
    schedule,
    select_pairs,
)

DAY1, DAY2 = date(2021, 10, 26), date(2021, 10, 27)
ROOT = Path(__file__).resolve().parents[2]


def buyer(bid: str, **kw: object) -> Participant:
    return Participant(bid, "buyer", **kw)  # type: ignore[arg-type]


def seller(sid: str, **kw: object) -> Participant:
    return Participant(sid, "seller", **kw)  # type: ignore[arg-type]


def pair(b: str, s: str, w: int = 5, prio: str = "want") -> PairChoice:
    return PairChoice(b, s, w, prio)  # type: ignore[arg-type]


# -- an independent checker of product schedules ---------------------------------------------------------
def check_schedule(inp: ScheduleInput, res: ScheduleResult) -> list[str]:
    errs = []
    slots = {s.id: s for s in inp.slots}
    parts = {p.id: p for p in inp.participants}
    interps = {i.id: i for i in inp.interpreters}
    seen_pair = set()
    per_slot: dict[str, list[ScheduledMeeting]] = defaultdict(list)
    count: dict[str, int] = defaultdict(int)
    requested = {(p.buyer, p.seller) for p in inp.pairs} | {
        (f.buyer, f.seller) for f in inp.fixed + inp.locked
    }
    for mt in res.meetings:
        sl = slots[mt.slot]
        per_slot[mt.slot].append(mt)
        if (mt.buyer, mt.seller) not in requested:
            errs.append(f"not requested {mt}")
        if (mt.buyer, mt.seller) in seen_pair:
            errs.append(f"pair twice {mt}")
        seen_pair.add((mt.buyer, mt.seller))
        for pid in (mt.buyer, mt.seller):
            p = parts[pid]
            count[pid] += 1
            if (
                mt.slot in allowed_slots(inp.slots, p.availability, p.timezone)
                and mt.slot not in p.forbidden_slots
            ):
                continue
            errs.append(f"{pid} not available at {mt.slot}")
        b = parts[mt.buyer]
        if b.language not in inp.no_interpreter_languages:
            if mt.interpreter is None:
                errs.append(f"no interpreter {mt}")
            else:
                it = interps[mt.interpreter]
                if b.language not in it.languages:
                    errs.append(f"interpreter language {mt}")
                if mt.slot not in allowed_slots(inp.slots, it.availability, it.timezone):
                    errs.append(f"interpreter unavailable {mt}")
        sess = inp.pair_sessions.get((mt.buyer, mt.seller))
        if sess and sl.session != sess:
            errs.append(f"session {mt}")
        if (mt.day, mt.index) != (sl.day, sl.index):
            errs.append(f"slot data {mt}")
    for sid, ms in per_slot.items():
        if len(ms) > inp.capacity:
            errs.append(f"capacity {sid}")
        if len({m.room for m in ms}) != len(ms) or any(not 1 <= m.room <= inp.capacity for m in ms):
            errs.append(f"rooms {sid}")
        people = [x for m in ms for x in (m.buyer, m.seller)]
        if len(people) != len(set(people)):
            errs.append(f"double booking {sid}")
        its = [m.interpreter for m in ms if m.interpreter]
        if len(its) != len(set(its)):
            errs.append(f"interpreter twice {sid}")
    for pid, n in count.items():
        mx = parts[pid].max_meetings
        if mx is not None and n > mx:
            errs.append(f"max meetings {pid}")
    for it in inp.interpreters:  # consecutive cap within a day
        by_day: dict[date, list[int]] = defaultdict(list)
        for m in res.meetings:
            if m.interpreter == it.id:
                by_day[m.day].append(m.index)
        for idx in by_day.values():
            idx.sort()
            run = 1
            for a, b2 in zip(idx, idx[1:], strict=False):
                run = run + 1 if b2 == a + 1 else 1
                if run > it.max_consecutive:
                    errs.append(f"interpreter {it.id} over {it.max_consecutive} in a row")
    where = {(m.buyer, m.seller): (m.day, m.index) for m in res.meetings}
    for pc in inp.precedences:
        if pc.before in where and pc.after in where and not where[pc.before] < where[pc.after]:
            errs.append(f"precedence {pc}")
    for f in inp.fixed + inp.locked:
        got = [m for m in res.meetings if (m.buyer, m.seller) == (f.buyer, f.seller)]
        if not got or got[0].slot != f.slot or (f.interpreter and got[0].interpreter != f.interpreter):
            errs.append(f"fixed/locked moved {f}")
    # breaks recomputed per day
    per: dict[tuple[str, date], list[int]] = defaultdict(list)
    for m in res.meetings:
        per[(m.buyer, m.day)].append(m.index)
        per[(m.seller, m.day)].append(m.index)
    br: dict[str, int] = defaultdict(int)
    for (pid, _), idx in per.items():
        u = sorted(idx)
        br[pid] += sum(1 for a, b2 in zip(u, u[1:], strict=False) if b2 > a + 1)
    if {k: v for k, v in br.items() if v} != {k: v for k, v in res.breaks.items() if v}:
        errs.append("break counts")
    if res.objective.get("breaks") is not None and sum(br.values()) != res.objective["breaks"]:
        errs.append(f"breaks objective {sum(br.values())} != {res.objective['breaks']}")
    # every level's value recomputed from the meetings (held only without minimums: the engine lowers a minimum
    # the candidate pairs cannot reach, which this checker does not repeat)
    held = sum(p.weight for p in inp.pairs if (p.buyer, p.seller) in where)
    if not any(p.min_meetings for p in inp.participants) and abs(held - res.objective["held"]) > 1e-6:
        errs.append(f"held objective {held} != {res.objective['held']}")
    idle = sum((max(u) - min(u) + 1) - len(u) for u in per.values())
    if res.objective.get("idle") is not None and idle != res.objective["idle"]:
        errs.append(f"idle objective {idle} != {res.objective['idle']}")
    if inp.fairness is not None and res.objective.get("fairness") is not None:
        everyone = {p.buyer for p in inp.pairs} | {p.seller for p in inp.pairs}
        lo = min((br.get(p, 0) for p in everyone), default=0)
        fair = sum(max(0, br.get(p, 0) - lo - inp.fairness) for p in everyone)
        if fair != res.objective["fairness"]:
            errs.append(f"fairness objective {fair} != {res.objective['fairness']}")
    per_buyer: dict[str, set[str]] = defaultdict(set)
    for m in res.meetings:
        if m.interpreter:
            per_buyer[m.buyer].add(m.interpreter)
    changes = sum(len(v) - 1 for v in per_buyer.values())
    if (
        res.objective.get("interpreter_changes") is not None
        and changes != res.objective["interpreter_changes"]
    ):
        errs.append(f"interpreter changes {changes} != {res.objective['interpreter_changes']}")
    # a proven level's bound is its value; an unproven one's bound is never beaten by the schedule
    for lv, v in res.objective.items():
        b = res.bounds.get(lv)
        if v != v or b is None or b != b:
            continue
        if (lv == "held" and v > b + 1e-9) or (lv != "held" and v < b - 1e-9):
            errs.append(f"{lv} value {v} beats its bound {b}")
    if res.status == "optimal" and any(res.bounds.get(lv) != v for lv, v in res.objective.items()):
        errs.append(f"optimal but bounds {res.bounds} != objective {res.objective}")
    return errs


# -- time zones -------------------------------------------------------------------------------------------
def test_jakarta_kuala_lumpur_and_seoul() -> None:
    slots = make_slots(
        [DAY1], minutes=60, morning=(time(9), 3), afternoon=(time(13), 5)
    )  # Seoul 9..12, 13..18
    day = DAY1
    jkt = [Interval(datetime.combine(day, time(8)), datetime.combine(day, time(12)))]  # 10:00-14:00 in Seoul
    kl = [Interval(datetime.combine(day, time(8)), datetime.combine(day, time(12)))]  # 09:00-13:00 in Seoul
    a = allowed_slots(slots, jkt, "Asia/Jakarta")
    b = allowed_slots(slots, kl, "Asia/Kuala_Lumpur")
    c = allowed_slots(slots, jkt, "Asia/Seoul")
    start = {s.id: s.start.hour for s in slots}
    assert sorted(start[x] for x in a) == [10, 11, 13]
    assert sorted(start[x] for x in b) == [9, 10, 11]
    assert sorted(start[x] for x in c) == [9, 10, 11]
    assert local_time(datetime(2021, 10, 26, 10), "Asia/Jakarta").hour == 8
    assert local_time(datetime(2021, 10, 26, 10), "Asia/Kuala_Lumpur").hour == 9


def test_jakarta_buyer_is_scheduled_in_his_hours() -> None:
    slots = make_slots([DAY1], minutes=60, morning=(time(9), 3), afternoon=(time(13), 5))
    b = buyer(
        "B",
        timezone="Asia/Jakarta",
        availability=(Interval(datetime(2021, 10, 26, 11), datetime(2021, 10, 26, 13)),),
    )  # 13:00-15:00 KST
    sellers = [seller(f"S{i}") for i in range(3)]
    inp = ScheduleInput(slots, [b, *sellers], [pair("B", s.id) for s in sellers], capacity=5, time_limit=10)
    res = schedule(inp)
    assert res.status == "optimal"
    assert sorted(m.start_hour for m in [_Hour(mt, slots) for mt in res.meetings]) == [13, 14]
    assert not check_schedule(inp, res)
    assert [u.code for u in res.unscheduled] == ["slots_taken"]


class _Hour:
    def __init__(self, mt: ScheduledMeeting, slots: list) -> None:  # type: ignore[type-arg]
        self.start_hour = next(s.start.hour for s in slots if s.id == mt.slot)


def test_aware_datetimes_are_respected() -> None:
    from zoneinfo import ZoneInfo

    slots = make_slots([DAY1], minutes=60, morning=(time(9), 3), afternoon=(time(13), 2))
    utc = ZoneInfo("UTC")
    iv = Interval(
        datetime(2021, 10, 26, 4, tzinfo=utc), datetime(2021, 10, 26, 6, tzinfo=utc)
    )  # 13:00-15:00 KST
    assert sorted(s.start.hour for s in slots if s.id in allowed_slots(slots, [iv], "Asia/Jakarta")) == [
        13,
        14,
    ]


# -- pair selection ---------------------------------------------------------------------------------------
def test_veto_must_weights_and_met_before() -> None:
    bs = [buyer("B1"), buyer("B2")]
    ss = [seller("S1"), seller("S2"), seller("S3")]
    prefs = [
        Preference("B1", "S1", "buyer", "must"),
        Preference("B1", "S1", "seller", "no"),  # veto by the seller
        Preference("B1", "S2", "buyer", "want"),
        Preference("B1", "S2", "seller", "must"),
        Preference("B2", "S3", "buyer", "must"),
        Preference("B2", "S1", "seller", "want"),
        Preference("B2", "S2", "buyer", "want"),
    ]
    sel = select_pairs(SelectionInput(bs, ss, prefs, met_before={("B2", "S2")}, exclude_met_before=True))
    chosen = {(p.buyer, p.seller): p for p in sel.pairs}
    assert ("B1", "S1") not in chosen
    assert ("B2", "S2") not in chosen
    rej = {(r.buyer, r.seller): r for r in sel.rejected}
    assert rej[("B1", "S1")].code == "veto" and "seller" in rej[("B1", "S1")].reason
    assert rej[("B2", "S2")].code == "met_before"
    w = Weights()
    assert chosen[("B1", "S2")].weight == w.buyer_want + w.seller_must
    assert chosen[("B2", "S3")].weight == w.buyer_must and chosen[("B2", "S3")].priority == "must"
    assert chosen[("B2", "S1")].weight == w.seller_want
    assert w.buyer_must > w.seller_must and w.buyer_want > w.seller_want


def test_fixed_pairs_and_max_meetings() -> None:
    bs = [buyer("B1", max_meetings=2)]
    ss = [seller(f"S{i}") for i in range(4)]
    prefs = [Preference("B1", f"S{i}", "buyer", "want") for i in range(1, 4)]
    prefs.append(Preference("B1", "S3", "buyer", "must"))  # the later statement wins for a side
    sel = select_pairs(SelectionInput(bs, ss, prefs, fixed_pairs=[("B1", "S0")]))
    chosen = {(p.buyer, p.seller) for p in sel.pairs}
    assert chosen == {("B1", "S0"), ("B1", "S3")}
    rej = {(r.buyer, r.seller): r for r in sel.rejected}
    assert (
        rej[("B1", "S1")].code == "max_meetings" and "buyer at max meetings (2)" in rej[("B1", "S1")].reason
    )


def test_recommendations_fill_missing_preferences() -> None:
    bs = [buyer("B1", min_meetings=2), buyer("B2")]
    ss = [seller("S1"), seller("S2"), seller("S3")]
    sim = {("B1", "S1"): 0.9, ("B1", "S2"): 0.2, ("B1", "S3"): 0.5, ("B2", "S1"): 0.1}
    prefs = [Preference("B2", "S2", "buyer", "want"), Preference("B1", "S3", "seller", "no")]
    sel = select_pairs(SelectionInput(bs, ss, prefs, similarity=sim, recommendations=2))
    rec = {(p.buyer, p.seller): p for p in sel.pairs if p.priority == "recommended"}
    assert ("B1", "S1") in rec and ("B1", "S2") in rec  # S3 is vetoed even though it scores higher
    assert (
        rec[("B1", "S1")].score == pytest.approx(0.9) and rec[("B1", "S1")].weight > rec[("B1", "S2")].weight
    )
    # a score function works the same way
    sel2 = select_pairs(
        SelectionInput(bs, ss, prefs, recommendations=1), score=lambda b, s: sim.get((b.id, s.id), 0.0)
    )
    assert ("B1", "S1") in {(p.buyer, p.seller) for p in sel2.pairs}


def test_min_meetings_preferred_over_weight() -> None:
    bs = [buyer("B1", max_meetings=1), buyer("B2", min_meetings=1)]
    ss = [seller("S1", max_meetings=1)]
    prefs = [Preference("B1", "S1", "buyer", "must"), Preference("B2", "S1", "buyer", "want")]
    sel = select_pairs(SelectionInput(bs, ss, prefs))
    assert {(p.buyer, p.seller) for p in sel.pairs} == {("B2", "S1")}
    assert {(r.buyer, r.seller, r.code) for r in sel.rejected} == {("B1", "S1", "max_meetings")}


# -- scheduling ---------------------------------------------------------------------------------------------
def _simple(n_sellers: int = 4, capacity: int = 2, **kw: object) -> ScheduleInput:
    slots = make_slots([DAY1], minutes=60, morning=(time(9), 3), afternoon=(time(13), 3))
    bs = [buyer("B1"), buyer("B2")]
    ss = [seller(f"S{i}") for i in range(n_sellers)]
    pairs = [pair(b.id, s.id) for b in bs for s in ss]
    return ScheduleInput(slots, bs + ss, pairs, capacity=capacity, time_limit=10, **kw)  # type: ignore[arg-type]


def test_all_pairs_held_without_breaks() -> None:
    inp = _simple()
    res = schedule(inp)
    assert res.status == "optimal" and len(res.meetings) == 8
    assert res.objective["breaks"] == 0 and res.objective["idle"] == 0
    assert not check_schedule(inp, res)


def test_capacity_limits_and_explanations() -> None:
    inp = _simple(n_sellers=4, capacity=1)
    res = schedule(inp)
    assert res.status == "optimal" and len(res.meetings) == 6  # 6 slots x 1 room
    assert len(res.unscheduled) == 2 and all(u.code == "slots_taken" for u in res.unscheduled)
    assert all("rooms taken" in u.reason for u in res.unscheduled)
    assert not check_schedule(inp, res)


def test_lunch_is_not_a_break_but_an_idle_slot_is() -> None:
    slots = make_slots([DAY1], minutes=60, morning=(time(9), 2), afternoon=(time(13), 2))
    b = buyer("B", forbidden_slots=frozenset({"D1-02"}))  # 13:00 forbidden
    ss = [
        seller("S1", availability=(Interval(datetime(2021, 10, 26, 9), datetime(2021, 10, 26, 10)),)),
        seller("S2", availability=(Interval(datetime(2021, 10, 26, 14), datetime(2021, 10, 26, 15)),)),
        seller("S3", availability=(Interval(datetime(2021, 10, 26, 10), datetime(2021, 10, 26, 11)),)),
    ]
    inp = ScheduleInput(slots, [b, *ss], [pair("B", s.id) for s in ss], capacity=3, time_limit=10)
    res = schedule(inp)
    assert res.status == "optimal" and len(res.meetings) == 3
    assert res.breaks.get("B") == 1 and res.objective["idle"] == 1  # 13:00 idle between 11:00 and 14:00
    assert not check_schedule(inp, res)


def test_breaks_are_counted_per_day() -> None:
    slots = make_slots([DAY1, DAY2], minutes=60, morning=(time(9), 2), afternoon=(time(13), 0))
    b = buyer("B")
    ss = [
        seller("S1", availability=(Interval(datetime(2021, 10, 26, 10), datetime(2021, 10, 26, 11)),)),
        seller("S2", availability=(Interval(datetime(2021, 10, 27, 9), datetime(2021, 10, 27, 10)),)),
    ]
    inp = ScheduleInput(slots, [b, *ss], [pair("B", s.id) for s in ss], capacity=3, time_limit=10)
    res = schedule(inp)
    assert res.status == "optimal" and res.breaks.get("B", 0) == 0  # 10:00 day 1 and 9:00 day 2
    assert res.objective["idle"] == 0


def test_interpreters_language_availability_and_rest() -> None:
    slots = make_slots([DAY1], minutes=30, morning=(time(9), 6), afternoon=(time(13), 0))
    b = buyer("B", language="id")
    ss = [seller(f"S{i}") for i in range(6)]
    it_ms = Interpreter("I-ms", frozenset({"ms"}))
    it_id = Interpreter("I-id", frozenset({"id", "ms"}), max_consecutive=2)
    inp = ScheduleInput(
        slots, [b, *ss], [pair("B", s.id) for s in ss], capacity=3, interpreters=[it_ms, it_id], time_limit=10
    )
    res = schedule(inp)
    assert res.status == "optimal"
    assert all(m.interpreter == "I-id" for m in res.meetings)
    assert len(res.meetings) == 4  # 6 slots, 2 in a row then a rest: xx.xx.
    assert not check_schedule(inp, res)
    # a language nobody speaks
    inp2 = ScheduleInput(
        slots,
        [buyer("B", language="vi"), ss[0]],
        [pair("B", "S0")],
        capacity=3,
        interpreters=[it_ms],
        time_limit=5,
    )
    r2 = schedule(inp2)
    assert [u.code for u in r2.unscheduled] == ["no_interpreter"]
    assert "no interpreter for language vi" in r2.unscheduled[0].reason
    # the interpreter is not there when the pair could meet
    it_pm = Interpreter(
        "I-pm",
        frozenset({"id"}),
        availability=(Interval(datetime(2021, 10, 26, 14), datetime(2021, 10, 26, 18)),),
    )
    inp3 = ScheduleInput(slots, [b, ss[0]], [pair("B", "S0")], capacity=3, interpreters=[it_pm], time_limit=5)
    r3 = schedule(inp3)
    assert r3.unscheduled[0].reason == "no interpreter for language id available at common slots"


def test_same_interpreter_for_the_same_buyer() -> None:
    slots = make_slots([DAY1], minutes=30, morning=(time(9), 4), afternoon=(time(13), 0))
    b = buyer("B", language="ms")
    ss = [seller(f"S{i}") for i in range(4)]
    its = [Interpreter(f"I{i}", frozenset({"ms"})) for i in range(3)]
    inp = ScheduleInput(
        slots, [b, *ss], [pair("B", s.id) for s in ss], capacity=4, interpreters=its, time_limit=10
    )
    res = schedule(inp)
    assert res.status == "optimal" and len({m.interpreter for m in res.meetings}) == 1
    assert res.objective["interpreter_changes"] == 0


def test_fixed_precedence_session_and_no_common_slot() -> None:
    inp = _simple(n_sellers=3, capacity=2)
    inp.fixed = [FixedMeeting("B1", "S0", "D1-04")]
    inp.precedences = [Precedence(("B2", "S2"), ("B2", "S1"))]
    inp.pair_sessions = {("B1", "S1"): "afternoon"}
    lonely = seller("S9", availability=(Interval(datetime(2021, 10, 26, 9), datetime(2021, 10, 26, 10)),))
    b1 = buyer("B1", forbidden_slots=frozenset({"D1-00"}))
    inp.participants = [b1, *inp.participants[1:], lonely]
    inp.pairs = [*inp.pairs, pair("B1", "S9")]
    res = schedule(inp)
    assert res.status == "optimal"
    assert not check_schedule(inp, res)
    where = {(m.buyer, m.seller): m for m in res.meetings}
    assert where[("B1", "S0")].slot == "D1-04"
    assert where[("B1", "S1")].index >= 3
    assert where[("B2", "S2")].index < where[("B2", "S1")].index
    assert [(u.buyer, u.seller, u.code, u.reason) for u in res.unscheduled] == [
        ("B1", "S9", "no_common_slot", "no common available slot")
    ]


def test_max_meetings_explained() -> None:
    inp = _simple(n_sellers=4, capacity=4)
    inp.participants = [buyer("B1", max_meetings=2), buyer("B2")] + inp.participants[2:]
    inp.pairs = [pair("B1", f"S{i}", w=10 - i) for i in range(4)] + [pair("B2", "S0")]
    res = schedule(inp)
    assert res.status == "optimal"
    held = {(m.buyer, m.seller) for m in res.meetings}
    assert held == {("B1", "S0"), ("B1", "S1"), ("B2", "S0")}
    assert {u.code for u in res.unscheduled} == {"buyer_max"}
    assert all(u.reason == "buyer at max meetings (2)" for u in res.unscheduled)


def test_locked_meetings_stay_after_reoptimisation() -> None:
    inp = _simple(n_sellers=4, capacity=2)
    first = schedule(inp)
    assert first.status == "optimal"
    locked = [FixedMeeting(m.buyer, m.seller, m.slot, m.interpreter, m.room) for m in first.meetings[:5]]
    # a seller cancels, another one has new availability (only the afternoon)
    gone = "S3"
    parts = [p for p in inp.participants if p.id != gone]
    parts = [
        seller("S2", availability=(Interval(datetime(2021, 10, 26, 13), datetime(2021, 10, 26, 18)),))
        if p.id == "S2"
        else p
        for p in parts
    ]
    still = [lk for lk in locked if gone not in (lk.buyer, lk.seller)]
    keep = [lk for lk in still if not (lk.seller == "S2" and not lk.slot.endswith(("03", "04", "05")))]
    inp2 = ScheduleInput(
        inp.slots, parts, [p for p in inp.pairs if p.seller != gone], capacity=2, locked=keep, time_limit=10
    )
    res = schedule(inp2)
    assert res.status == "optimal"
    got = {(m.buyer, m.seller): m for m in res.meetings}
    for lk in keep:
        assert got[(lk.buyer, lk.seller)].slot == lk.slot and got[(lk.buyer, lk.seller)].locked
        assert got[(lk.buyer, lk.seller)].room == lk.room
    assert not check_schedule(inp2, res)


def test_invalid_locked_meeting_is_reported_and_moved() -> None:
    inp = _simple(n_sellers=1, capacity=2)
    late = seller("S0", availability=(Interval(datetime(2021, 10, 26, 13), datetime(2021, 10, 26, 18)),))
    inp.participants = [p if p.id != "S0" else late for p in inp.participants]
    inp.locked = [FixedMeeting("B1", "S0", "D1-00")]
    res = schedule(inp)
    assert "locked slot D1-00 is not possible (seller not available)" in res.message
    assert any((m.buyer, m.seller) == ("B1", "S0") and m.index >= 3 for m in res.meetings)


# -- property test: every returned schedule satisfies every rule ---------------------------------------------
@st.composite
def product_case(draw: st.DrawFn) -> ScheduleInput:
    n_slots = draw(st.integers(2, 4))
    days = [DAY1, DAY2][: draw(st.integers(1, 2))]
    slots = make_slots(
        days, minutes=60, morning=(time(9), n_slots), afternoon=(time(13), draw(st.integers(0, 2)))
    )
    nb, ns = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    langs = ["", "ms", "id"]
    parts = []
    for i in range(nb):
        av = ()
        if draw(st.booleans()):
            h = draw(st.integers(8, 12))
            av = (Interval(datetime.combine(days[0], time(h)), datetime.combine(days[-1], time(h + 5))),)
        parts.append(
            buyer(
                f"B{i}",
                timezone=draw(st.sampled_from(["Asia/Seoul", "Asia/Jakarta", "Asia/Kuala_Lumpur"])),
                availability=av,
                language=draw(st.sampled_from(langs)),
                max_meetings=draw(st.sampled_from([None, 1, 2])),
            )
        )
    for i in range(ns):
        parts.append(
            seller(
                f"S{i}",
                forbidden_slots=frozenset(draw(st.lists(st.sampled_from([s.id for s in slots]), max_size=2))),
            )
        )
    pairs = [
        pair(f"B{i}", f"S{j}", w=draw(st.integers(1, 10)))
        for i in range(nb)
        for j in range(ns)
        if draw(st.booleans())
    ]
    its = []
    for k in range(draw(st.integers(0, 2))):
        av = ()
        if draw(st.booleans()):  # an interpreter who starts late (in Seoul time)
            h = draw(st.integers(9, 14))
            av = (Interval(datetime.combine(days[0], time(h)), datetime.combine(days[-1], time(18))),)
        its.append(
            Interpreter(
                f"I{k}",
                frozenset(draw(st.lists(st.sampled_from(["ms", "id"]), min_size=1, max_size=2))),
                availability=av,
                max_consecutive=draw(st.integers(1, 3)),
            )
        )
    # minimums (soft), sessions per pair, precedences and one organiser-fixed meeting, all optional
    if pairs and draw(st.booleans()):
        k = draw(st.integers(0, len(parts) - 1))
        parts[k] = replace(parts[k], min_meetings=draw(st.integers(1, 2)))
    sessions = {}
    for pc in pairs:
        if draw(st.integers(0, 4)) == 0:
            sessions[(pc.buyer, pc.seller)] = draw(st.sampled_from(["morning", "afternoon"]))
    precedences = []
    if len(pairs) >= 2 and draw(st.booleans()):
        a, b = draw(st.lists(st.sampled_from(pairs), min_size=2, max_size=2, unique=True))
        precedences.append(Precedence((a.buyer, a.seller), (b.buyer, b.seller)))
    fixed = []
    by_id = {p.id: p for p in parts}
    quiet = [pc for pc in pairs if by_id[pc.buyer].language == ""]  # a fixed meeting needing no interpreter
    if quiet and draw(st.booleans()):
        pc = draw(st.sampled_from(quiet))
        b, sl = by_id[pc.buyer], by_id[pc.seller]
        common = [
            x.id
            for x in slots
            if x.id in allowed_slots(slots, b.availability, b.timezone)
            and x.id in allowed_slots(slots, sl.availability, sl.timezone)
            and x.id not in sl.forbidden_slots
            and (sessions.get((pc.buyer, pc.seller)) in (None, x.session))
        ]
        if common:
            fixed.append(FixedMeeting(pc.buyer, pc.seller, draw(st.sampled_from(common))))
    return ScheduleInput(
        slots,
        parts,
        pairs,
        capacity=draw(st.integers(1, 3)),
        interpreters=its,
        fixed=fixed,
        precedences=precedences,
        pair_sessions=sessions,
        time_limit=10,
        workers=1,
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(product_case())
def test_property_product_schedules_are_valid(inp: ScheduleInput) -> None:
    res = schedule(inp)
    # the weighted-meetings level is always proven on such small events; breaks may stay unproven when the
    # day split forces some, hence "feasible" is accepted with a proven first level
    assert res.status in ("optimal", "feasible")
    assert res.objective["held"] == res.bounds["held"]
    assert check_schedule(inp, res) == []
    scheduled = {(m.buyer, m.seller) for m in res.meetings}
    explained = {(u.buyer, u.seller) for u in res.unscheduled}
    assert scheduled | explained == {(p.buyer, p.seller) for p in inp.pairs}
    assert not scheduled & explained


def _relabel(inp: ScheduleInput, rnd: Any) -> ScheduleInput:
    """The same event with new participant and interpreter names, in another order."""
    ids = [p.id for p in inp.participants]
    new_ids = [f"P{n}" for n in range(len(ids))]
    rnd.shuffle(new_ids)
    name = dict(zip(ids, new_ids, strict=True))
    iname = {it.id: f"T{n}" for n, it in enumerate(rnd.sample(inp.interpreters, len(inp.interpreters)))}

    def pr(t: tuple[str, str]) -> tuple[str, str]:
        return (name[t[0]], name[t[1]])

    parts = [replace(p, id=name[p.id]) for p in inp.participants]
    rnd.shuffle(parts)
    pairs = [replace(p, buyer=name[p.buyer], seller=name[p.seller]) for p in inp.pairs]
    rnd.shuffle(pairs)
    return replace(
        inp,
        participants=parts,
        pairs=pairs,
        interpreters=[replace(it, id=iname[it.id]) for it in inp.interpreters],
        fixed=[
            replace(f, buyer=name[f.buyer], seller=name[f.seller], interpreter=iname.get(f.interpreter or ""))
            for f in inp.fixed
        ],
        precedences=[Precedence(pr(pc.before), pr(pc.after)) for pc in inp.precedences],
        pair_sessions={pr(k): v for k, v in inp.pair_sessions.items()},
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(product_case(), st.randoms(use_true_random=False))
def test_property_relabelling_keeps_the_optimum(inp: ScheduleInput, rnd: Any) -> None:
    a = schedule(inp)
    other = _relabel(inp, rnd)
    b = schedule(other)
    assert check_schedule(other, b) == []
    assert a.objective["held"] == a.bounds["held"] == b.objective["held"] == b.bounds["held"]
    if a.status == b.status == "optimal":
        assert a.objective == b.objective


def test_bounds_are_whole_numbers_so_a_proven_optimum_reads_as_optimal() -> None:
    # found by the property test above: CP-SAT reported the held bound as 6.999999999999999 for a schedule worth 7,
    # so an optimal schedule was reported as "feasible" with a gap
    slots = make_slots([DAY1], minutes=60, morning=(time(9), 2), afternoon=(time(13), 1))
    parts = [
        Participant("B0", "buyer"),
        Participant("S0", "seller"),
        Participant("S1", "seller", forbidden_slots=frozenset({slots[0].id})),
    ]
    pairs = [pair("B0", "S0", 4), pair("B0", "S1", 3)]
    res = schedule(ScheduleInput(slots, parts, pairs, capacity=1, time_limit=10, workers=1))
    assert [(s.session, s.start.hour) for s in slots] == [("morning", 9), ("morning", 10), ("afternoon", 13)]
    assert res.status == "optimal"
    assert (
        res.objective
        == res.bounds
        == {
            "held": 7.0,
            "breaks": 0.0,
            "fairness": 0.0,
            "idle": 0.0,
            "interpreter_changes": 0.0,
        }
    )
    assert res.gap == 0.0


# -- generator, JSON round trip and the command line ---------------------------------------------------------
def test_generator_json_round_trip_and_plan() -> None:
    inst = generate(buyers=6, sellers=12, days=2, zones=2, interpreters=2, seed=3, time_limit=10)
    data = instance_to_dict(inst)
    again = instance_from_dict(json.loads(json.dumps(data)))
    assert instance_to_dict(again) == data
    assert {p.timezone for p in again.selection.buyers} == {"Asia/Kuala_Lumpur", "Asia/Jakarta"}
    sel, res = plan(again)
    assert sel is not None and sel.pairs
    assert res.status in ("optimal", "feasible")
    assert not check_schedule(again.schedule_input(sel.pairs), res)


def test_cli_solve_and_generate(tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(ROOT / "src")}
    out = tmp_path / "i.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "gvalley.engines.schedule",
            "generate",
            "--buyers",
            "4",
            "--sellers",
            "8",
            "--days",
            "1",
            "--seed",
            "2",
            "--time-limit",
            "5",
            "-o",
            str(out),
        ],
        check=True,
        env=env,
    )
    r = subprocess.run(
        [sys.executable, "-m", "gvalley.engines.schedule", "solve", str(out)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    data = json.loads(r.stdout)
    assert data["schedule"]["status"] in ("optimal", "feasible")
    assert data["schedule"]["meetings"]


def test_interpreter_start_keeps_the_buyers_interpreter_until_the_rest_rule_forces_a_change() -> None:
    from gvalley.engines.schedule.product import _greedy_interpreters, _interpreter_changes, _prepare

    slots = make_slots([DAY1], minutes=30, morning=(time(9), 6), afternoon=(time(13), 0))
    ss = [seller(f"S{i}") for i in range(5)]
    its = [Interpreter(f"I{i}", frozenset({"ms"}), max_consecutive=4) for i in range(2)]
    inp = ScheduleInput(
        slots, [buyer("B", language="ms"), *ss], [pair("B", s.id) for s in ss], capacity=2, interpreters=its
    )
    prep = _prepare(inp)
    at = {pr.k: int(pr.seller[1:]) for pr in prep.pairs}  # the meeting with S<i> in slot i: five in a row
    choice = _greedy_interpreters(prep, {k: (t, None) for k, t in at.items()})
    assert choice is not None
    by_slot = {at[k]: i for k, i in choice.items()}
    assert [by_slot[t] for t in range(5)] == ["I0", "I0", "I0", "I0", "I1"]  # I0 rests after four
    assert _interpreter_changes(prep, choice) == 1
    # with one interpreter the fifth meeting in a row has nobody: no start, CP-SAT searches alone
    inp.interpreters = its[:1]
    prep = _prepare(inp)
    assert _greedy_interpreters(prep, {pr.k: (int(pr.seller[1:]), None) for pr in prep.pairs}) is None
