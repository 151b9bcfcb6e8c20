"""The B2B benchmark solver: hand-made optima, a few benchmark files, and property tests.

The checker and the brute-force optimum below are written from the problem statement only; they do not
use the engine's model code.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gvalley.engines.schedule.b2b_solve import solve_b2b
from gvalley.engines.schedule.dzn import B2BInstance, instance_from_dzn, read_dzn

DATA = Path("/work/shared/bench/b2b")


# -- independent checker -----------------------------------------------------------------------------
def breaks_of(inst: B2BInstance, slots: list[int]) -> list[int]:
    out = []
    for p in range(1, inst.n_business + 1):
        ts = sorted({t for (a, b, _), t in zip(inst.meetings, slots, strict=True) if p in (a, b)})
        out.append(sum(1 for x, y in zip(ts, ts[1:], strict=False) if y - x > 1))
    return out


def violations(inst: B2BInstance, slots: list[int], d: int) -> list[str]:
    errs = []
    if len(slots) != inst.n_meetings:
        return ["length"]
    for m, ((a, b, s), t) in enumerate(zip(inst.meetings, slots, strict=True)):
        if not 1 <= t <= inst.n_slots:
            errs.append(f"range {m}")
        if s == 1 and t > inst.n_morning or s == 2 and t <= inst.n_morning:
            errs.append(f"session {m}")
        if t in inst.forbidden[a - 1] or t in inst.forbidden[b - 1]:
            errs.append(f"forbidden {m}")
        if inst.fixed[m] and inst.fixed[m] != t:
            errs.append(f"fixed {m}")
        if any(slots[j - 1] >= t for j in inst.precedences[m]):
            errs.append(f"precedence {m}")
    for t in set(slots):
        if slots.count(t) > inst.n_tables:
            errs.append(f"tables {t}")
    for p in range(1, inst.n_business + 1):
        ts = [t for (a, b, _), t in zip(inst.meetings, slots, strict=True) if p in (a, b)]
        if len(ts) != len(set(ts)):
            errs.append(f"double booking {p}")
    br = breaks_of(inst, slots)
    if max(br) > min(br) + d:
        errs.append("fairness")
    return errs


def brute_force(inst: B2BInstance, d: int) -> int | None:
    """Optimum by enumeration (tiny instances only); None = infeasible."""
    best = None
    ranges = [
        range(inst.fixed[m], inst.fixed[m] + 1) if inst.fixed[m] else range(1, inst.n_slots + 1)
        for m in range(inst.n_meetings)
    ]
    for slots in itertools.product(*ranges):
        s = list(slots)
        if not violations(inst, s, d):
            v = sum(breaks_of(inst, s))
            if best is None or v < best:
                best = v
    return best


def make(
    n: int,
    T: int,
    morning: int,
    tables: int,
    meetings: list[tuple[int, int, int]],
    forbidden: dict[int, set[int]] | None = None,
    fixed: dict[int, int] | None = None,
    prec: dict[int, set[int]] | None = None,
) -> B2BInstance:
    forbidden = forbidden or {}
    fixed = fixed or {}
    prec = prec or {}
    rows = "".join(f"|{a},{b},{s}" for a, b, s in meetings)
    text = (
        f"nBusiness={n};nMeetings={len(meetings)};nTables={tables};nTotalSlots={T};nMorningSlots={morning};"
        f"requested=[{rows}|];"
        f"forbidden=[{','.join('{' + ','.join(map(str, [0, *sorted(forbidden.get(p, set()))])) + '}' for p in range(1, n + 1))}];"
        f"fixed=[{','.join(str(fixed.get(m, 0)) for m in range(len(meetings)))}];"
        f"precedences=[{','.join('{' + ','.join(map(str, sorted(prec.get(m, set())))) + '}' for m in range(len(meetings)))}];"
    )
    return instance_from_dzn(text, "test")


# -- hand-made instances --------------------------------------------------------------------------------
def test_zero_breaks_when_possible() -> None:
    inst = make(3, 3, 3, 1, [(1, 2, 3), (1, 3, 3)])
    r = solve_b2b(inst, 2, 20)
    assert (r.status, r.objective) == ("optimal", 0)
    assert not violations(inst, r.slots, 2)


def test_forced_break_and_fairness() -> None:
    # participant 1 meets 2 in the morning (slot 1) and 3 in the afternoon; 3 is not free in slot 2
    inst = make(3, 3, 1, 1, [(1, 2, 1), (1, 3, 2)], forbidden={3: {2}})
    r = solve_b2b(inst, 2, 20)
    assert (r.status, r.objective, r.slots) == ("optimal", 1, [1, 3])
    assert solve_b2b(inst, 0, 20).status == "infeasible"  # 2 has no break, so d = 0 forbids 1's break


def test_tables_force_breaks() -> None:
    # two pairs of participants, one table, the hub 1 meets 2 and 3 around a slot used by 4-5 (fixed)
    inst = make(5, 3, 3, 1, [(1, 2, 3), (1, 3, 3), (4, 5, 3)], fixed={2: 2})
    r = solve_b2b(inst, 2, 20)
    assert (r.status, r.objective) == ("optimal", 1)
    assert brute_force(inst, 2) == 1


def test_precedence_cycle_is_infeasible() -> None:
    inst = make(4, 4, 4, 2, [(1, 2, 3), (3, 4, 3)], prec={0: {2}, 1: {1}})
    assert solve_b2b(inst, 2, 20).status == "infeasible"


def test_duplicated_pair_needs_two_slots() -> None:
    inst = make(3, 3, 3, 3, [(1, 2, 3), (1, 2, 3), (2, 3, 3)])
    r = solve_b2b(inst, 2, 20)
    assert r.status == "optimal" and r.objective == 0
    assert len(set(r.slots)) == 3


# -- benchmark files against the answer key ---------------------------------------------------------------
def _key() -> dict[tuple[str, str, int], int | None]:
    out = {}
    with open(DATA / "answer_key.csv") as fh:
        for row in csv.DictReader(fh):
            for col, cell in row.items():
                if col == "instance":
                    continue
                variant, dcol = col.split("/")
                v = cell.split()[0]
                out[(row["instance"], variant, int(dcol[1:]))] = None if v in "-?" else int(v)
    return out


FAST = [
    ("tic-12", "original", 2),
    ("forumt-14", "original", 2),
    ("forum-13", "fixed040-Forb", 2),
    ("forum-13", "prec25", 2),
    ("tic-13crafc", "original", 2),
    ("forum-13", "original", 0),
    ("forumt-14crafd", "forb0003", 2),
    ("tic-14crafd", "fixed040-Forb", 2),
    ("forum-13crafc", "original", 2),
]


def _check_against_key(instance: str, variant: str, d: int, limit: float) -> None:
    """Sound against the published key whatever the machine's load: a proof must agree with the key, and a
    schedule found without proof must be valid and no better than the optimum.  Proving within a time limit is
    measured by `make bench-b2b` (all 200 configurations), not here: a timed assertion fails on a loaded CI."""
    inst = read_dzn(DATA / "instances" / f"{instance}.{variant}.dzn")
    key = _key()[(instance, variant, d)]
    r = solve_b2b(inst, d, limit)
    if key is None:
        assert r.status in ("infeasible", "unknown")
        return
    assert r.status in ("optimal", "feasible")
    assert r.objective == sum(breaks_of(inst, r.slots))
    assert not violations(inst, r.slots, d)
    if r.status == "optimal":
        assert r.objective == key
    else:
        assert r.objective >= key


@pytest.mark.parametrize("instance,variant,d", FAST)
def test_benchmark_configurations_agree_with_key(instance: str, variant: str, d: int) -> None:
    _check_against_key(instance, variant, d, 30)


# -- property tests ----------------------------------------------------------------------------------------
@st.composite
def tiny(draw: st.DrawFn) -> tuple[B2BInstance, int]:
    n = draw(st.integers(3, 5))
    T = draw(st.integers(2, 5))
    morning = draw(st.integers(0, T))
    k = draw(st.integers(1, 5))
    meetings = []
    for _ in range(k):
        a = draw(st.integers(1, n))
        b = draw(st.integers(1, n).filter(lambda x, a=a: x != a))
        meetings.append((a, b, draw(st.sampled_from([3, 3, 1, 2]))))
    forbidden = {p: set(draw(st.lists(st.integers(1, T), max_size=1))) for p in range(1, n + 1)}
    fixed = {m: draw(st.integers(1, T)) for m in range(k) if draw(st.integers(0, 6)) == 0}
    prec: dict[int, set[int]] = {}
    if k >= 2 and draw(st.booleans()):
        prec[k - 1] = {1}
    d = draw(st.integers(0, 2))
    return make(n, T, morning, draw(st.integers(1, 3)), meetings, forbidden, fixed, prec), d


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny())
def test_property_schedule_is_valid_and_optimal(case: tuple[B2BInstance, int]) -> None:
    inst, d = case
    r = solve_b2b(inst, d, 20, portfolio=False)
    best = brute_force(inst, d)
    if best is None:
        assert r.status == "infeasible"
        return
    assert r.status == "optimal"
    assert violations(inst, r.slots, d) == []
    assert r.objective == sum(breaks_of(inst, r.slots)) == best


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny(), st.randoms(use_true_random=False))
def test_property_relabelling_keeps_the_optimum(case: tuple[B2BInstance, int], rnd) -> None:  # type: ignore[no-untyped-def]
    inst, d = case
    perm = list(range(1, inst.n_business + 1))
    rnd.shuffle(perm)
    pmap = {p: perm[p - 1] for p in range(1, inst.n_business + 1)}
    order = list(range(inst.n_meetings))
    rnd.shuffle(order)
    new_index = {old: new for new, old in enumerate(order)}
    meetings = [(pmap[inst.meetings[o][1]], pmap[inst.meetings[o][0]], inst.meetings[o][2]) for o in order]
    forbidden = {pmap[p]: set(inst.forbidden[p - 1]) for p in range(1, inst.n_business + 1)}
    fixed = {new_index[o]: inst.fixed[o] for o in order if inst.fixed[o]}
    prec = {
        new_index[o]: {new_index[j - 1] + 1 for j in inst.precedences[o]}
        for o in order
        if inst.precedences[o]
    }
    other = make(
        inst.n_business, inst.n_slots, inst.n_morning, inst.n_tables, meetings, forbidden, fixed, prec
    )
    a = solve_b2b(inst, d, 20, portfolio=False)
    b = solve_b2b(other, d, 20, portfolio=False)
    assert a.status == b.status
    assert a.objective == b.objective
    if b.status == "optimal":
        assert violations(other, b.slots, d) == []


def test_portfolio_and_single_process_agree() -> None:
    inst = make(5, 4, 2, 2, [(1, 2, 1), (1, 3, 2), (1, 4, 3), (2, 3, 3), (4, 5, 1)], forbidden={3: {3}})
    a = solve_b2b(inst, 2, 20)
    b = solve_b2b(inst, 2, 20, portfolio=False)
    assert a.status == b.status == "optimal"
    assert a.objective == b.objective == brute_force(inst, 2)
