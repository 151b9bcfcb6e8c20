"""The export-consultation scheduler: chosen pairs -> (day, slot, room, interpreter).

Lexicographic objective, solved level by level with CP-SAT (each level keeps the value reached by the
previous ones and starts from the previous schedule):

1. ``held``    weighted meetings held (minus a heavy penalty per meeting missing to a participant's minimum);
2. ``breaks``  fewest breaks (a break = a maximal run of idle slots between two meetings of one day);
3. ``fairness`` sum over participants of breaks above (fewest breaks of anyone + d);
4. ``idle``    fewest idle slots between the first and the last meeting of each participant's day;
5. ``interpreter_changes`` fewest (buyer, interpreter) pairs beyond one per buyer.

Large events are decomposed by day after level 1 (each meeting keeps its day, every day is solved on its
own), see :func:`schedule`.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ortools.sat.python import cp_model

from .matching import match
from .model import (
    FixedMeeting,
    Interpreter,
    PairChoice,
    Participant,
    Progress,
    ProgressFn,
    Rejection,
    ScheduledMeeting,
    ScheduleInput,
    ScheduleResult,
    Slot,
)
from .timezones import allowed_slots

LEVELS = ("held", "breaks", "fairness", "idle", "interpreter_changes")
_SHARE = {"held": 0.3, "breaks": 0.4, "fairness": 0.1, "idle": 0.1, "interpreter_changes": 0.1}

Assignment = dict[int, tuple[int, str | None]]  # pair number -> (slot position, interpreter id or None)


class _Clock:
    """The budget used so far: wall-clock seconds, or in deterministic runs the CP-SAT deterministic time of the
    solves so far (Python work is free), so that every budget decision depends on the input alone."""

    def __init__(self, inp: ScheduleInput) -> None:
        self.deterministic = inp.deterministic
        self.t0 = time.monotonic()
        self.spent = 0.0

    def now(self, running: float = 0.0) -> float:
        """Budget used; `running` = deterministic time of the solve in progress (for progress reports)."""
        if self.deterministic:
            return self.spent + running
        return time.monotonic() - self.t0

    def charge(self, solver: cp_model.CpSolver) -> None:
        if self.deterministic:
            self.spent += solver.deterministic_time


class _Reporter:
    """Turns the engine's steps into :class:`Progress` events for the caller's callback."""

    def __init__(self, fn: ProgressFn | None, clock: _Clock, budget: float) -> None:
        self.fn = fn
        self.clock = clock
        self.budget = max(budget, 1e-6)

    def __call__(
        self,
        level: str,
        *,
        solutions: int = 0,
        objective: float | None = None,
        bound: float | None = None,
        day: date | None = None,
        running: float = 0.0,
    ) -> None:
        if self.fn is None:
            return
        if level in LEVELS:
            step = LEVELS.index(level) + 1
        else:
            step = {"start": 0, "interpreters": 5, "done": 6}.get(level, 0)
        fraction = 1.0 if level == "done" else min(1.0, self.clock.now(running) / self.budget)
        self.fn(Progress(level, step, fraction, solutions, objective, bound, day))


class _Watch(cp_model.CpSolverSolutionCallback):
    """Reports every solution of one solve (called from CP-SAT's threads)."""

    def __init__(self, report: _Reporter, level: str, day: date | None) -> None:
        super().__init__()
        self.report = report
        self.level = level
        self.day = day
        self.n = 0

    def on_solution_callback(self) -> None:
        self.n += 1
        self.report(
            self.level,
            solutions=self.n,
            objective=_whole(self.objective_value),
            bound=_whole_bound(self.best_objective_bound, maximize=self.level == "held"),
            day=self.day,
            running=self.deterministic_time,
        )


def _whole(value: float) -> float:
    """Every objective here has integer coefficients, but CP-SAT reports values as doubles: the nearest integer."""
    return float(round(value)) if math.isfinite(value) else value


def _whole_bound(bound: float, *, maximize: bool) -> float:
    """CP-SAT reports the bound of an integer objective as a double that can land a hair off the integer
    (6.999999999999999 for 7): the integer bound it implies (rounded down for a maximum, up for a minimum)."""
    if not math.isfinite(bound) or abs(bound) >= 1e15:
        return bound
    return float(math.floor(bound + 1e-6)) if maximize else float(math.ceil(bound - 1e-6))


def _run(
    m: cp_model.CpModel,
    s: cp_model.CpSolver,
    clock: _Clock,
    report: _Reporter | None,
    level: str,
    day: date | None = None,
) -> Any:
    """Solve `m` with `s`, reporting solutions and charging the clock; returns CP-SAT's status."""
    if report is not None and report.fn is not None:
        report(level, day=day)
        r = s.solve(m, _Watch(report, level, day))
    else:
        r = s.solve(m)
    clock.charge(s)
    return r


@dataclass
class _Pair:
    k: int
    buyer: str
    seller: str
    weight: int
    priority: str
    language: str | None  # language needing an interpreter, or None
    cands: list[int]  # slot positions
    interp: dict[int, list[str]]  # slot position -> interpreters that could serve
    hard: bool = False  # fixed or locked: must be held at its slot
    locked: FixedMeeting | None = None


@dataclass
class _Prepared:
    inp: ScheduleInput
    slots: list[Slot]
    pos: dict[str, int]
    parts: dict[str, Participant]
    interps: dict[str, Interpreter]
    allowed: dict[str, frozenset[int]]
    iallowed: dict[str, frozenset[int]]
    pairs: list[_Pair]
    unscheduled: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _prepare(inp: ScheduleInput) -> _Prepared:
    slots = sorted(inp.slots, key=lambda s: (s.day, s.index))
    pos = {s.id: i for i, s in enumerate(slots)}
    parts = {p.id: p for p in inp.participants}
    interps = {i.id: i for i in inp.interpreters}
    allowed: dict[str, frozenset[int]] = {}
    for p in inp.participants:
        ok = allowed_slots(slots, p.availability, p.timezone)
        allowed[p.id] = frozenset(pos[s] for s in ok if s not in p.forbidden_slots)
    iallowed = {
        i.id: frozenset(pos[s] for s in allowed_slots(slots, i.availability, i.timezone))
        for i in inp.interpreters
    }
    prep = _Prepared(inp, slots, pos, parts, interps, allowed, iallowed, [])
    hard: dict[tuple[str, str], FixedMeeting] = {}
    for fx in inp.fixed:
        hard[(fx.buyer, fx.seller)] = fx
    locked_keys = set()
    for lk in inp.locked:
        hard[(lk.buyer, lk.seller)] = lk
        locked_keys.add((lk.buyer, lk.seller))
    pairs: list[PairChoice] = list(inp.pairs)
    have = {(p.buyer, p.seller) for p in pairs}
    for key in hard:
        if key not in have:
            pairs.append(PairChoice(key[0], key[1], 100, "fixed"))
            have.add(key)
    seen: set[tuple[str, str]] = set()
    for pc in pairs:
        key = (pc.buyer, pc.seller)
        if key in seen:
            continue
        seen.add(key)
        b, s = parts.get(pc.buyer), parts.get(pc.seller)
        if b is None or s is None:
            prep.unscheduled.append(
                Rejection(pc.buyer, pc.seller, "unknown_participant", "unknown buyer or seller")
            )
            continue
        lang = b.language if b.language not in inp.no_interpreter_languages else None
        common = sorted(allowed[b.id] & allowed[s.id])
        sess = inp.pair_sessions.get(key)
        if sess is not None:
            common = [t for t in common if slots[t].session == sess]
        fm = hard.get(key)
        pair = _Pair(len(prep.pairs), pc.buyer, pc.seller, pc.weight, pc.priority, lang, [], {})
        if fm is not None:
            t = pos.get(fm.slot)
            what = "locked" if key in locked_keys else "fixed"
            if t is None or t not in common:
                who = (
                    []
                    if t is None
                    else [n for n, pid in (("buyer", b.id), ("seller", s.id)) if t not in allowed[pid]]
                )
                msg = f"{what} slot {fm.slot} is not possible" + (
                    f" ({' and '.join(who)} not available)" if who else ""
                )
                prep.warnings.append(f"{pc.buyer}-{pc.seller}: {msg}; treated as a normal pair")
            else:
                common = [t]
                pair.hard = True
                pair.locked = fm
        for t in common:
            if lang is None:
                pair.cands.append(t)
                continue
            able = [
                i.id
                for i in inp.interpreters
                if lang in i.languages
                and t in iallowed[i.id]
                and (fm is None or not pair.hard or fm.interpreter in (None, i.id))
            ]
            if able:
                pair.cands.append(t)
                pair.interp[t] = able
        if not pair.cands:
            prep.unscheduled.append(_why_no_slot(prep, pc, lang, common, sess))
            continue
        prep.pairs.append(pair)
    return prep


def _why_no_slot(
    prep: _Prepared, pc: PairChoice, lang: str | None, common: list[int], sess: str | None
) -> Rejection:
    b, s = prep.parts[pc.buyer], prep.parts[pc.seller]
    if not prep.allowed[b.id]:
        return Rejection(pc.buyer, pc.seller, "buyer_unavailable", "the buyer is available in no slot")
    if not prep.allowed[s.id]:
        return Rejection(pc.buyer, pc.seller, "seller_unavailable", "the seller is available in no slot")
    if not (prep.allowed[b.id] & prep.allowed[s.id]):
        return Rejection(pc.buyer, pc.seller, "no_common_slot", "no common available slot")
    if sess is not None and not common:
        return Rejection(pc.buyer, pc.seller, "no_common_slot", f"no common available slot in the {sess}")
    if lang is not None:
        speakers = [i for i in prep.inp.interpreters if lang in i.languages]
        if not speakers:
            return Rejection(pc.buyer, pc.seller, "no_interpreter", f"no interpreter for language {lang}")
        return Rejection(
            pc.buyer,
            pc.seller,
            "no_interpreter",
            f"no interpreter for language {lang} available at common slots",
        )
    return Rejection(pc.buyer, pc.seller, "no_common_slot", "no common available slot")


class _Model:
    """One CP-SAT model over a subset of the pairs (all of them, or one day's)."""

    def __init__(
        self,
        prep: _Prepared,
        pairs: list[_Pair],
        slots: list[int],
        with_secondary: bool = True,
        must_hold: set[int] | None = None,
        assign_interpreters: bool = True,
    ) -> None:
        self.prep = prep
        self.assign_interpreters = assign_interpreters
        self.fixed_day = (
            must_hold is not None
            and len(_days(prep.slots, slots)) == 1
            and all(pr.k in must_hold for pr in pairs)
        )
        self.pairs = pairs
        self.slotset = set(slots)
        inp = prep.inp
        m = self.m = cp_model.CpModel()
        self.x: dict[tuple[int, int], Any] = {}
        self.y: dict[tuple[int, int, str], Any] = {}
        self.held: dict[int, Any] = {}
        by_ps: dict[tuple[str, int], list[Any]] = defaultdict(list)
        by_p: dict[str, list[Any]] = defaultdict(list)
        by_slot: dict[int, list[Any]] = defaultdict(list)
        by_is: dict[tuple[str, int], list[Any]] = defaultdict(list)
        self.buyer_interp: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for pr in pairs:
            xs = []
            for t in pr.cands:
                if t not in self.slotset:
                    continue
                v = m.new_bool_var(f"x{pr.k}_{t}")
                self.x[pr.k, t] = v
                xs.append(v)
                by_ps[(pr.buyer, t)].append(v)
                by_ps[(pr.seller, t)].append(v)
                by_slot[t].append(v)
                if pr.language is not None and assign_interpreters:
                    ys = []
                    for iid in pr.interp[t]:
                        yv = m.new_bool_var(f"y{pr.k}_{t}_{iid}")
                        self.y[pr.k, t, iid] = yv
                        ys.append(yv)
                        by_is[(iid, t)].append(yv)
                        self.buyer_interp[(pr.buyer, iid)].append(yv)
                    m.add(sum(ys) == v)
            h = m.new_bool_var(f"h{pr.k}")
            m.add(sum(xs) == h)
            self.held[pr.k] = h
            by_p[pr.buyer].append(h)
            by_p[pr.seller].append(h)
            if pr.hard or (must_hold is not None and pr.k in must_hold):
                m.add(h == 1)
        self.by_ps = by_ps
        for vs in by_ps.values():
            if len(vs) > 1:
                m.add_at_most_one(vs)
        for vs in by_slot.values():
            if len(vs) > inp.capacity:
                m.add(sum(vs) <= inp.capacity)
        for vs in by_is.values():
            if len(vs) > 1:
                m.add_at_most_one(vs)
        # interpreter rest: at most max_consecutive meetings in any max_consecutive + 1 adjacent slots
        self.days = _days(prep.slots, slots)
        for iid, info in prep.interps.items():
            cap = max(1, info.max_consecutive)
            for ts in self.days.values():
                for a in range(0, len(ts) - cap):
                    win = [v for t in ts[a : a + cap + 1] for v in by_is.get((iid, t), [])]
                    if len(win) > cap:
                        m.add(sum(win) <= cap)
        self._interpreter_cuts(self._by_slot_lang())
        self.short = []
        self.needs: dict[str, int] = {}
        for pid, hs in by_p.items():
            p = prep.parts[pid]
            if p.max_meetings is not None and len(hs) > p.max_meetings:
                m.add(sum(hs) <= p.max_meetings)
            # a minimum the pairs cannot reach is lowered to what they allow (a constant shortfall would
            # only weaken the bound)
            reach = len(hs) if p.max_meetings is None else min(len(hs), p.max_meetings)
            need = min(p.min_meetings, reach)
            if need:
                self.needs[pid] = need
                sh = m.new_int_var(0, need, f"short_{pid}")
                m.add(sum(hs) + sh >= need)
                self.short.append(sh)
        # precedences between held pairs
        key = {(pr.buyer, pr.seller): pr for pr in pairs}
        for pc in inp.precedences:
            first, then = key.get(pc.before), key.get(pc.after)
            if first is None or then is None:
                continue
            pa = sum(t * self.x[first.k, t] for t in first.cands if (first.k, t) in self.x)
            pb = sum(t * self.x[then.k, t] for t in then.cands if (then.k, t) in self.x)
            m.add(pa + 1 <= pb).only_enforce_if([self.held[first.k], self.held[then.k]])
        big = 1 + max((pr.weight for pr in pairs), default=0)  # a missing minimum costs more than any pair
        self.big = big
        self.held_obj = sum(pr.weight * self.held[pr.k] for pr in pairs) - big * sum(self.short)
        self.secondary = with_secondary
        if with_secondary:
            self._secondary()

    def _by_slot_lang(self) -> dict[tuple[int, str], list[Any]]:
        out: dict[tuple[int, str], list[Any]] = defaultdict(list)
        for pr in self.pairs:
            if pr.language is None:
                continue
            for t in pr.cands:
                if (pr.k, t) in self.x:
                    out[(t, pr.language)].append(self.x[pr.k, t])
        return out

    def _interpreter_cuts(self, by_tl: dict[tuple[int, str], list[Any]]) -> None:
        """Interpreters without per-meeting variables (first stage).

        w[i, t] = interpreter i works in slot t; the rest rule (at most max_consecutive working slots in any
        max_consecutive + 1 adjacent slots) is stated on w, and in every slot the meetings needing a set S of
        languages are at most the working interpreters speaking one of S (Hall's condition for every S).
        Given w, Hall's theorem gives a matching in every slot, so this is exact: the second stage always
        finds interpreters."""
        import itertools

        if self.assign_interpreters:
            return
        langs = sorted({lang for (_t, lang) in by_tl})
        if not langs:
            return
        m, prep = self.m, self.prep
        speakers = {i.id: i.languages & set(langs) for i in prep.interps.values()}
        subsets = [frozenset(c) for r in range(1, len(langs) + 1) for c in itertools.combinations(langs, r)]
        if all(len(ls) <= 1 for ls in speakers.values()):
            subsets = [frozenset({lang}) for lang in langs]
        self.w: dict[tuple[str, int], Any] = {}
        busy_locked: dict[int, set[str]] = defaultdict(set)
        locked_k: set[int] = set()
        for pr in self.pairs:
            if pr.hard and pr.locked is not None and pr.locked.interpreter and pr.language is not None:
                t = pr.cands[0]
                busy_locked[t].add(pr.locked.interpreter)
                locked_k.add(pr.k)
        for iid in speakers:
            for t in sorted(self.slotset):
                if t in prep.iallowed[iid]:
                    self.w[iid, t] = m.new_bool_var(f"w{iid}_{t}")
                    if iid in busy_locked.get(t, ()):
                        m.add(self.w[iid, t] == 1)
        for iid, info in prep.interps.items():
            c = max(1, info.max_consecutive)
            for ts in self.days.values():
                for a in range(0, len(ts) - c):
                    win = [self.w[iid, t] for t in ts[a : a + c + 1] if (iid, t) in self.w]
                    if len(win) > c:
                        m.add(sum(win) <= c)
        locked_x = {
            self.x[k, t].index for k in locked_k for t in self.pairs_by_k[k].cands if (k, t) in self.x
        }
        for t in sorted(self.slotset):
            for S in subsets:
                need = [v for lang in S for v in by_tl.get((t, lang), []) if v.index not in locked_x]
                if not need:
                    continue
                have = [
                    self.w[iid, t]
                    for iid, ls in speakers.items()
                    if ls & S and (iid, t) in self.w and iid not in busy_locked.get(t, ())
                ]
                m.add(sum(need) <= sum(have))

    def _secondary(self) -> None:
        m, prep = self.m, self.prep
        d = prep.inp.fairness
        self.eb: list[Any] = []
        self.idle: list[Any] = []
        self.breaks_of: dict[str, Any] = {}
        participants = sorted({pr.buyer for pr in self.pairs} | {pr.seller for pr in self.pairs})
        count: dict[str, int] = defaultdict(int)
        for pr in self.pairs:
            count[pr.buyer] += 1
            count[pr.seller] += 1
        for pid in participants:
            ebs: list[Any] = []
            if count[pid] >= 2:
                for ts in self.days.values():
                    busy: list[Any] = []
                    for t in ts:
                        vs = self.by_ps.get((pid, t), [])
                        if not vs:
                            busy.append(None)
                        elif len(vs) == 1:
                            busy.append(vs[0])
                        else:
                            b = m.new_bool_var("")
                            m.add(sum(vs) == b)
                            busy.append(b)
                    if sum(1 for b in busy if b is not None) < 2:
                        continue
                    e, i = _break_literals(m, busy)
                    ebs += list(e.values())
                    self.idle += i
                    if self.fixed_day:  # the day's meetings are known: B2B implied constraints
                        k = count[pid]
                        m.add(sum(b for b in busy if b is not None) == k)
                        for j1, b1 in enumerate(busy):
                            for j2 in range(j1 + k, len(busy)):
                                if b1 is None or busy[j2] is None:
                                    continue
                                between = [e[j] for j in range(j1 + 2, j2 + 1) if j in e]
                                m.add_bool_or([b1.Not(), busy[j2].Not(), *between])
            self.eb += ebs
            if ebs:
                v = m.new_int_var(0, len(ebs), f"breaks_{pid}")
                m.add(v == sum(ebs))
                self.breaks_of[pid] = v
        self.breaks_obj = sum(self.eb)
        self.fair_obj: Any = 0
        if d is not None and self.breaks_of:
            lo = m.new_int_var(0, max(1, len(self.eb)), "min_breaks")
            zero_possible = len(self.breaks_of) < len(participants)
            if zero_possible:
                m.add(lo == 0)
            excess = []
            for _pid, v in self.breaks_of.items():
                m.add(lo <= v)
                ex = m.new_int_var(0, len(self.eb), "")
                m.add(ex >= v - lo - d)
                excess.append(ex)
            self.fair_obj = sum(excess)
        self.idle_obj = sum(self.idle)
        self.switch: list[Any] = []
        per_buyer: dict[str, list[Any]] = defaultdict(list)
        for (buyer_id, _iid), ys in self.buyer_interp.items():
            u = m.new_bool_var("")
            for yv in ys:
                m.add_implication(yv, u)
            per_buyer[buyer_id].append(u)
        served = []
        for us in per_buyer.values():
            self.switch += us
            a = m.new_bool_var("")  # the buyer has an interpreted meeting at all
            m.add_max_equality(a, us)
            served.append(a)
        # one interpreter per buyer who has any is free: count the extra ones
        self.switch_obj = sum(self.switch) - sum(served)

    def objective(self, level: str) -> Any:
        return {
            "held": self.held_obj,
            "breaks": self.breaks_obj if self.secondary else 0,
            "fairness": self.fair_obj if self.secondary else 0,
            "idle": self.idle_obj if self.secondary else 0,
            "interpreter_changes": self.switch_obj if self.secondary else 0,
        }[level]

    def assignment(self, s: cp_model.CpSolver) -> Assignment:
        out: Assignment = {}
        for (k, t), v in self.x.items():
            if s.boolean_value(v):
                iid = None
                pr = self.pairs_by_k[k]
                if pr.language is not None and self.assign_interpreters:
                    iid = next(i for i in pr.interp[t] if s.boolean_value(self.y[k, t, i]))
                out[k] = (t, iid)
        return out

    @property
    def pairs_by_k(self) -> dict[int, _Pair]:
        if not hasattr(self, "_pbk"):
            self._pbk = {pr.k: pr for pr in self.pairs}
        return self._pbk

    def held_value(self, assign: Assignment) -> float:
        """The `held` objective of an assignment, counted directly."""
        count: dict[str, int] = defaultdict(int)
        total = 0
        for pr in self.pairs:
            if pr.k in assign:
                total += pr.weight
                count[pr.buyer] += 1
                count[pr.seller] += 1
        short = sum(max(0, need - count[pid]) for pid, need in self.needs.items())
        return float(total - self.big * short)

    def hint(self, assign: Assignment) -> None:
        self.m.clear_hints()
        for (k, t), v in self.x.items():
            self.m.add_hint(v, assign.get(k, (None, None))[0] == t)
        for (k, t, iid), v in self.y.items():
            self.m.add_hint(v, assign.get(k) == (t, iid))
        working = {(iid, t) for t, iid in assign.values() if iid is not None}
        if working and getattr(self, "w", None):  # the interpreters of a complete start (the greedy one)
            for key, v in self.w.items():
                self.m.add_hint(v, key in working)


def _assign_interpreters(
    prep: _Prepared, assign: Assignment, clock: _Clock, deadline: float
) -> tuple[str, dict[int, str], float, float]:
    """Second stage: interpreters for the meetings placed by the first stage (fewest extra interpreters per
    buyer).  Returns status ('optimal', 'feasible', 'infeasible' or 'unknown'), the choice, value, bound."""
    inp = prep.inp
    by_k = {pr.k: pr for pr in prep.pairs}
    m = cp_model.CpModel()
    y: dict[tuple[int, str], Any] = {}
    by_it: dict[tuple[str, int], list[Any]] = defaultdict(list)
    per_buyer: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for k, (t, _i) in assign.items():
        pr = by_k[k]
        if pr.language is None:
            continue
        opts = pr.interp.get(t, [])
        if pr.hard and pr.locked is not None and pr.locked.interpreter:
            opts = [i for i in opts if i == pr.locked.interpreter]
        if not opts:
            return "infeasible", {}, 0.0, 0.0
        vs = []
        for iid in opts:
            v = m.new_bool_var("")
            y[k, iid] = v
            vs.append(v)
            by_it[(iid, t)].append(v)
            per_buyer[(pr.buyer, iid)].append(v)
        m.add_exactly_one(vs)
    if not y:
        return "optimal", {}, 0.0, 0.0
    for vs in by_it.values():
        if len(vs) > 1:
            m.add_at_most_one(vs)
    days = _days(prep.slots, list(range(len(prep.slots))))
    for iid, info in prep.interps.items():
        c = max(1, info.max_consecutive)
        for ts in days.values():
            for a in range(0, len(ts) - c):
                win = [v for t in ts[a : a + c + 1] for v in by_it.get((iid, t), [])]
                if len(win) > c:
                    m.add(sum(win) <= c)
    us = []
    of_buyer: dict[str, list[Any]] = defaultdict(list)
    for (b, _iid), vs in per_buyer.items():
        u = m.new_bool_var("")
        for v in vs:
            m.add_implication(v, u)
        us.append(u)
        of_buyer[b].append(u)
    for ub in of_buyer.values():
        m.add_bool_or(ub)  # every buyer with interpreted meetings has at least one interpreter
    m.add(sum(us) >= len(of_buyer))
    m.minimize(sum(us) - len(of_buyer))
    quick = _greedy_interpreters(prep, assign)
    if quick is not None:  # a complete hint: on large events CP-SAT may find nothing on its own in time
        for (k, iid), v in y.items():
            m.add_hint(v, quick.get(k) == iid)
    s = _solver(inp, max(0.2, deadline - clock.now()), 7, "interpreter_changes")
    r = _run(m, s, clock, None, "interpreters")
    if r == cp_model.INFEASIBLE:
        return "infeasible", {}, 0.0, 0.0
    if r not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if quick is not None:
            return "feasible", quick, float(_interpreter_changes(prep, quick)), 0.0
        return "unknown", {}, 0.0, 0.0
    choice = {k: iid for (k, iid), v in y.items() if s.boolean_value(v)}
    st = "optimal" if r == cp_model.OPTIMAL else "feasible"
    return st, choice, _whole(s.objective_value), _whole_bound(s.best_objective_bound, maximize=False)


def _greedy_interpreters(prep: _Prepared, assign: Assignment) -> dict[int, str] | None:
    """Interpreters for the placed meetings, slot by slot in time order: in each slot a maximum matching of the
    meetings to the interpreters who may work then (available, speaking the language, rested), preferring the
    buyer's interpreter and then the least tired one.  None when some meeting is left without interpreter (CP-SAT
    then searches alone)."""
    by_k = {pr.k: pr for pr in prep.pairs}
    days = _days(prep.slots, list(range(len(prep.slots))))
    day_of = {t: d for d, ts in days.items() for t in ts}
    working: dict[str, set[int]] = defaultdict(set)
    served: dict[str, set[str]] = defaultdict(set)

    def rests(iid: str, t: int) -> bool:
        return _rested(max(1, prep.interps[iid].max_consecutive), days[day_of[t]], working[iid], t)

    def run_length(iid: str, t: int) -> int:
        ts = days[day_of[t]]
        j, n = ts.index(t) - 1, 0
        while j >= 0 and ts[j] in working[iid]:
            n, j = n + 1, j - 1
        return n

    by_slot: dict[int, list[int]] = defaultdict(list)
    for k, (t, _i) in assign.items():
        if by_k[k].language is not None:
            by_slot[t].append(k)
    choice: dict[int, str] = {}
    for t in sorted(by_slot):
        cands: dict[int, list[str]] = {}
        for k in by_slot[t]:
            pr = by_k[k]
            opts = pr.interp.get(t, [])
            if pr.hard and pr.locked is not None and pr.locked.interpreter:
                opts = [i for i in opts if i == pr.locked.interpreter]
            cands[k] = sorted(
                (i for i in opts if rests(i, t)),
                key=lambda i, b=pr.buyer: (i not in served[b], run_length(i, t), i),  # type: ignore[misc]
            )
        owner = match(sorted(by_slot[t], key=lambda k: (len(cands[k]), k)), cands)
        if owner is None:
            return None
        for i, k in owner.items():
            choice[k] = i
            working[i].add(t)
            served[by_k[k].buyer].add(i)
    return choice


def _rested(cap: int, day_slots: list[int], working: set[int], t: int) -> bool:
    """Whether an interpreter working in `working` may also work in slot `t` of the day `day_slots`: at most
    `cap` working slots in any `cap` + 1 adjacent slots."""
    j = day_slots.index(t)
    for a in range(max(0, j - cap), j + 1):
        win = day_slots[a : a + cap + 1]
        if len(win) == cap + 1 and sum(1 for u in win if u in working or u == t) > cap:
            return False
    return True


def _interpreter_changes(prep: _Prepared, choice: dict[int, str]) -> int:
    """Interpreters beyond the first per buyer (the fifth level's objective)."""
    by_k = {pr.k: pr for pr in prep.pairs}
    per_buyer: dict[str, set[str]] = defaultdict(set)
    for k, iid in choice.items():
        per_buyer[by_k[k].buyer].add(iid)
    return sum(len(v) - 1 for v in per_buyer.values())


def _days(slots: list[Slot], subset: list[int]) -> dict[date, list[int]]:
    days: dict[date, list[int]] = defaultdict(list)
    for t in sorted(subset):
        days[slots[t].day].append(t)
    return dict(days)


def _break_literals(m: cp_model.CpModel, busy: list[Any]) -> tuple[dict[int, Any], list[Any]]:
    """End-of-break and idle-slot literals of one participant's day (busy[j] None = cannot be busy)."""
    n = len(busy)
    seen: list[Any] = [None] * n  # busy somewhere in 0..j
    prev = None
    for j, b in enumerate(busy):
        if prev is None:
            seen[j] = b
        elif b is None:
            seen[j] = prev
        else:
            sv = m.new_bool_var("")
            m.add_implication(prev, sv)
            m.add_implication(b, sv)
            m.add_bool_or([prev, b, sv.Not()])
            seen[j] = sv
        prev = seen[j]
    after: list[Any] = [None] * n  # busy somewhere in j..n-1
    nxt = None
    for j in range(n - 1, -1, -1):
        b = busy[j]
        if nxt is None:
            after[j] = b
        elif b is None:
            after[j] = nxt
        else:
            sv = m.new_bool_var("")
            m.add_implication(nxt, sv)
            m.add_implication(b, sv)
            m.add_bool_or([nxt, b, sv.Not()])
            after[j] = sv
        nxt = after[j]
    ebs: dict[int, Any] = {}
    for j in range(2, n):
        b, bp, sn = busy[j], busy[j - 1], seen[j - 2]
        if b is None or sn is None:
            continue
        e = m.new_bool_var("")
        conj = [b, sn] + ([bp.Not()] if bp is not None else [])
        m.add_bool_or([c.Not() for c in conj] + [e])
        for c in conj:
            m.add_implication(e, c)
        ebs[j] = e
    idle = []
    for j in range(1, n - 1):
        sn, af = seen[j - 1], after[j + 1]
        if sn is None or af is None:
            continue
        b = busy[j]
        v = m.new_bool_var("")
        conj = [sn, af] + ([b.Not()] if b is not None else [])
        m.add_bool_or([c.Not() for c in conj] + [v])
        for c in conj:
            m.add_implication(v, c)
        idle.append(v)
    return ebs, idle


def _solver(
    inp: ScheduleInput, limit: float, seed_offset: int = 0, level: str = "held", large: bool = False
) -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    workers = 1 if inp.deterministic else max(1, inp.workers)
    s.parameters.num_workers = workers
    if inp.deterministic:
        # the budget in CP-SAT's deterministic time; the wall-clock limit only guards against a stuck machine
        s.parameters.max_deterministic_time = max(0.05, limit)
        s.parameters.max_time_in_seconds = max(5.0, 20 * limit)
    else:
        s.parameters.max_time_in_seconds = max(0.05, limit)
    s.parameters.random_seed = inp.seed + seed_offset
    if level == "held" and not large:
        # the full LP relaxation gives the bound quickly on events of G-Valley size (docs/engines/schedule.md)
        if workers >= 2:
            s.parameters.subsolvers.extend(["max_lp", "default_lp"])
        else:
            s.parameters.linearization_level = 2
    return s


def _lexicographic(
    model: _Model,
    inp: ScheduleInput,
    clock: _Clock,
    deadline: float,
    levels: tuple[str, ...],
    start: Assignment | None = None,
    report: _Reporter | None = None,
    day: date | None = None,
) -> tuple[str, Assignment, dict[str, float], dict[str, float]]:
    """Solve the levels in order; returns status, assignment, values and bounds.

    `start` is a complete feasible assignment (a hint); when the first level finds nothing better within its
    budget, the start is kept (status "feasible")."""
    values: dict[str, float] = {}
    bounds: dict[str, float] = {}
    assign = start or {}
    all_optimal = True
    m = model.m
    for li, level in enumerate(levels):
        expr = model.objective(level)
        if isinstance(expr, int):
            values[level] = bounds[level] = float(expr)
            continue
        left = deadline - clock.now()
        share = _SHARE[level] / sum(_SHARE[lv] for lv in levels[li:])
        limit = max(0.2, left * share) if left > 0.2 else 0.05
        if level == "breaks" and model.fixed_day and model.eb:
            # a zero-break schedule, if there is one, is found fastest as a feasibility problem
            zc = m.clone()
            zc.clear_objective()
            for e in model.eb:
                zc.add(zc.get_bool_var_from_proto_index(e.index) == 0)
            sz = _solver(inp, max(0.1, limit * 0.5), li, "zero")
            rz = _run(zc, sz, clock, None, level)
            if rz in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                assign = {
                    k: (t, None)
                    for (k, t), v in model.x.items()
                    if sz.boolean_value(zc.get_bool_var_from_proto_index(v.index))
                }
                limit = max(0.1, deadline - clock.now()) * share
        if level == "held":
            m.maximize(expr)
        else:
            m.minimize(expr)
        if assign:
            model.hint(assign)
        s = _solver(inp, limit, li, level, large=len(model.x) > 20000)
        r = _run(m, s, clock, report, level, day)
        if r == cp_model.INFEASIBLE:
            return "infeasible", {}, values, bounds
        found = r in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if level == "held" and assign and (not found or _whole(s.objective_value) < model.held_value(assign)):
            # CP-SAT did not beat the start (the greedy schedule) within the budget: keep the start
            values[level] = model.held_value(assign)
            bound = _whole_bound(s.best_objective_bound, maximize=True)
            # without a solution CP-SAT may report no real bound: keep only a bound the start respects
            ok = abs(bound) < 1e15 and bound >= values[level]
            bounds[level] = float(bound) if ok else float("nan")
            all_optimal = False
            m.add(expr >= int(round(values[level])))
            continue
        if not found:
            if not assign:
                return "unknown", {}, values, bounds
            all_optimal = False
            # keep the previous assignment; its value for this level is unknown without a solve
            values[level] = float("nan")
            bounds[level] = float("nan")
            break
        assign = model.assignment(s)
        val = _whole(s.objective_value)
        values[level] = val
        bounds[level] = _whole_bound(s.best_objective_bound, maximize=level == "held")
        if r != cp_model.OPTIMAL:
            all_optimal = False
        # keep this level's value for the next levels
        if level == "held":
            m.add(expr >= int(round(val)))
        else:
            m.add(expr <= int(round(val)))
    return ("optimal" if all_optimal else "feasible"), assign, values, bounds


def greedy(inp: ScheduleInput) -> list[ScheduledMeeting]:
    """A quick feasible schedule, heaviest pairs first (fixed and locked meetings first of all).

    It satisfies every hard rule (availability, rooms, one meeting per participant and slot, maximum
    meetings, sessions, precedences, interpreters' languages, availability and rests) and is what
    :func:`schedule` starts CP-SAT from.  Empty when a fixed or locked meeting cannot be placed."""
    prep = _prepare(inp)
    return _result(prep, "feasible", _greedy(prep), {}, {}, _Clock(inp), {}).meetings


def _greedy(prep: _Prepared) -> Assignment:
    """Pair number -> (slot position, interpreter): first fit, heaviest pairs first, keeping each buyer's
    interpreter where possible.  Empty when a fixed or locked meeting cannot be placed."""
    inp = prep.inp
    days = _days(prep.slots, list(range(len(prep.slots))))
    day_of = {t: d for d, ts in days.items() for t in ts}
    busy: set[tuple[str, int]] = set()
    per_slot: dict[int, int] = defaultdict(int)
    load: dict[str, int] = defaultdict(int)
    working: dict[str, set[int]] = defaultdict(set)
    served: dict[str, list[str]] = defaultdict(list)  # buyer -> interpreters already serving him
    before: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    after: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for pc in inp.precedences:
        before[pc.after].append(pc.before)  # pc.before must come before the key
        after[pc.before].append(pc.after)
    at: dict[tuple[str, str], int] = {}

    def rests(iid: str, t: int) -> bool:
        return _rested(max(1, prep.interps[iid].max_consecutive), days[day_of[t]], working[iid], t)

    placed: Assignment = {}
    for pr in sorted(prep.pairs, key=lambda p: (not p.hard, -p.weight, p.k)):
        b, s = prep.parts[pr.buyer], prep.parts[pr.seller]
        full = any(p.max_meetings is not None and load[p.id] >= p.max_meetings for p in (b, s))
        if full and not pr.hard:
            continue
        key = (pr.buyer, pr.seller)
        for t in pr.cands:
            if (pr.buyer, t) in busy or (pr.seller, t) in busy or per_slot[t] >= inp.capacity:
                continue
            if any(o in at and at[o] >= t for o in before[key]) or any(
                o in at and at[o] <= t for o in after[key]
            ):
                continue
            iid = None
            if pr.language is not None:
                opts = pr.interp[t]
                if pr.hard and pr.locked is not None and pr.locked.interpreter:
                    opts = [i for i in opts if i == pr.locked.interpreter]
                opts = sorted(
                    opts, key=lambda i: i not in served[pr.buyer]
                )  # stable: same buyer, same person
                iid = next((i for i in opts if t not in working[i] and rests(i, t)), None)
                if iid is None:
                    continue
                working[iid].add(t)
                if iid not in served[pr.buyer]:
                    served[pr.buyer].append(iid)
            busy.add((pr.buyer, t))
            busy.add((pr.seller, t))
            per_slot[t] += 1
            load[pr.buyer] += 1
            load[pr.seller] += 1
            at[key] = t
            placed[pr.k] = (t, iid)
            break
        else:
            if pr.hard:
                return {}
    return placed


def schedule(
    inp: ScheduleInput, decompose: bool | None = None, progress: ProgressFn | None = None
) -> ScheduleResult:
    """Schedule the chosen pairs (see the module docstring for the objective).

    `progress` receives a :class:`Progress` at every level and every solution (possibly from a CP-SAT thread).
    With ``inp.deterministic`` every budget decision uses CP-SAT's deterministic time (one worker, fixed
    seed): the same input gives the same result on every machine."""
    clock = _Clock(inp)
    t0 = clock.now()
    report = _Reporter(progress, clock, inp.time_limit)
    report("start")
    deadline = t0 + inp.time_limit * 0.97  # the rest for rooms, explanations and the result
    prep = _prepare(inp)
    n_x = sum(len(pr.cands) for pr in prep.pairs)
    if decompose is None:
        decompose = n_x > 20000
    all_slots = list(range(len(prep.slots)))
    stats: dict[str, object] = {
        "pairs": len(prep.pairs),
        "x_vars": n_x,
        "decomposed": decompose,
        "deterministic": inp.deterministic,
    }
    if not prep.pairs:
        report("done")
        return _result(
            prep, "optimal", {}, dict.fromkeys(LEVELS, 0.0), dict.fromkeys(LEVELS, 0.0), clock, stats
        )
    # A greedy schedule first: CP-SAT starts from it, and it is kept if CP-SAT finds nothing better in time.
    start = _greedy(prep)
    stats["greedy_meetings"] = len(start)
    # Interpreters are chosen in a second stage: the first stage only sees their capacity per slot, window
    # and day (a relaxation), so when the second stage succeeds every level proven optimal stays optimal.
    agg = any(pr.language is not None for pr in prep.pairs)
    stats["two_stage_interpreters"] = agg
    # level 1 on a model without break variables (smaller, stronger bound), then the other levels
    base = _Model(prep, prep.pairs, all_slots, with_secondary=False, assign_interpreters=not agg)
    stats["greedy_held"] = base.held_value(start) if start else None
    p1_deadline = t0 + inp.time_limit * (0.55 if decompose else 0.35)
    status, assign, values, bounds = _lexicographic(
        base, inp, clock, p1_deadline, ("held",), start=start or None, report=report
    )
    if status in ("infeasible", "unknown"):
        report("done")
        return _result(prep, status, assign, values, bounds, clock, stats)
    # The other levels day by day: every meeting keeps the day chosen at level 1, so each day is a B2B-like
    # problem with a known set of meetings.  A value of 0 is optimal whatever the split; otherwise (or for
    # small events) a global model tries to improve the breaks from the day solutions.
    by_day: dict[date, list[_Pair]] = defaultdict(list)
    for pr in prep.pairs:
        if pr.k in assign:
            by_day[prep.slots[assign[pr.k][0]].day].append(pr)
    days = _days(prep.slots, all_slots)
    final: Assignment = {}
    day_status = []
    day_list = sorted(by_day)
    end_days = deadline - (0.15 * inp.time_limit if agg else 0.0)
    for di, day in enumerate(day_list):
        day_pairs = by_day[day]
        left = end_days - clock.now()
        day_deadline = clock.now() + max(0.1, left / (len(day_list) - di))
        model = _Model(
            prep, day_pairs, days[day], must_hold={pr.k for pr in day_pairs}, assign_interpreters=not agg
        )
        day_start = {pr.k: assign[pr.k] for pr in day_pairs}
        st, a2, _v2, _b2 = _lexicographic(
            model, inp, clock, day_deadline, ("breaks", "idle"), start=day_start, report=report, day=day
        )
        if st in ("infeasible", "unknown") or not a2:
            a2, st = day_start, "feasible"
        final.update(a2)
        day_status.append(st)
    stats["day_status"] = day_status
    assign = final
    sec = _secondary_values(prep, assign)
    values.update(sec)
    bounds.update(dict.fromkeys(sec, 0.0))
    if sec["breaks"] > 0 and not decompose and clock.now() < end_days - 0.2:
        model = _Model(prep, prep.pairs, all_slots, assign_interpreters=not agg)
        model.m.add(model.held_obj >= int(round(values["held"])))
        st2, a2, v2, b2 = _lexicographic(
            model, inp, clock, end_days, ("breaks", "fairness", "idle"), start=assign, report=report
        )
        if a2:
            new = _secondary_values(prep, a2)
            if (new["breaks"], new["fairness"], new["idle"]) <= (sec["breaks"], sec["fairness"], sec["idle"]):
                assign = a2
                values.update(new)
            for lv in ("breaks", "fairness", "idle"):  # bounds of the whole event, level by level
                bv = b2.get(lv, float("nan"))
                if bv != bv:
                    break
                bounds[lv] = max(bounds[lv], bv)
                if values[lv] > bounds[lv] + 1e-9:
                    break
        stats["global_breaks"] = st2
    proven = all(values[lv] <= bounds[lv] + 1e-9 for lv in ("breaks", "fairness", "idle"))
    status = "optimal" if status == "optimal" and proven else "feasible"
    if agg:
        status, assign = _second_stage(prep, assign, values, bounds, status, clock, deadline, stats, report)
    else:
        values["interpreter_changes"] = bounds["interpreter_changes"] = 0.0
    report("done")
    return _result(prep, status, assign, values, bounds, clock, stats)


def _secondary_values(prep: _Prepared, assign: Assignment) -> dict[str, float]:
    """Breaks, fairness excess and idle slots of an assignment, counted directly."""
    by_k = {pr.k: pr for pr in prep.pairs}
    per: dict[tuple[str, date], list[int]] = defaultdict(list)
    for k, (t, _i) in assign.items():
        pr = by_k[k]
        sl = prep.slots[t]
        per[(pr.buyer, sl.day)].append(sl.index)
        per[(pr.seller, sl.day)].append(sl.index)
    br: dict[str, int] = defaultdict(int)
    idle = 0
    for (pid, _d), idx in per.items():
        u = sorted(idx)
        br[pid] += sum(1 for a, b in zip(u, u[1:], strict=False) if b > a + 1)
        idle += (u[-1] - u[0] + 1) - len(u)
    d = prep.inp.fairness
    fair = 0
    if d is not None and br:
        everyone = {pr.buyer for pr in prep.pairs} | {pr.seller for pr in prep.pairs}
        lo = min(br.get(p, 0) for p in everyone)
        fair = sum(max(0, v - lo - d) for v in br.values())
    return {"breaks": float(sum(br.values())), "fairness": float(fair), "idle": float(idle)}


def _second_stage(
    prep: _Prepared,
    assign: Assignment,
    values: dict[str, float],
    bounds: dict[str, float],
    status: str,
    clock: _Clock,
    deadline: float,
    stats: dict[str, object],
    report: _Reporter,
) -> tuple[str, Assignment]:
    """Interpreters for a first-stage schedule; if impossible, the full model (with interpreter variables)
    re-solves the levels from that schedule."""
    report("interpreters")
    left = max(0.2, deadline - clock.now())
    st, choice, val, _bnd = _assign_interpreters(prep, assign, clock, clock.now() + 0.4 * left)
    stats["interpreter_stage"] = st
    if st in ("optimal", "feasible"):
        full = {k: (t, choice.get(k)) for k, (t, _i) in assign.items()}
        values["interpreter_changes"] = val
        # The second stage's bound holds for these slots only.  Over all the schedules with the values of the
        # first four levels it is 0 unless the full model below proves more.
        bounds["interpreter_changes"] = 0.0
        if val > 0 and status == "optimal":
            full = _interpreter_level(prep, full, values, bounds, clock, deadline, stats, report)
        proven = values["interpreter_changes"] <= bounds["interpreter_changes"] + 1e-9
        return ("optimal" if status == "optimal" and proven else "feasible"), full
    # fallback: the monolithic model, started from the first-stage slots
    inp = prep.inp
    model = _Model(prep, prep.pairs, list(range(len(prep.slots))))
    st2, a2, v2, b2 = _lexicographic(
        model, inp, clock, max(deadline, clock.now() + 1.0), LEVELS, start=assign, report=report
    )
    stats["fallback"] = st2
    values.update(v2)
    for lv, b in b2.items():  # keep the tighter of the first stage's bounds (a relaxation) and the new ones
        old = bounds.get(lv, float("nan"))
        if b != b or (lv == "held" and b < v2.get(lv, 0.0) - 1e-9):
            continue
        bounds[lv] = b if old != old else (min(old, b) if lv == "held" else max(old, b))
    if not a2:
        return "unknown", {}
    return ("optimal" if st2 == "optimal" else "feasible"), a2


def _interpreter_level(
    prep: _Prepared,
    assign: Assignment,
    values: dict[str, float],
    bounds: dict[str, float],
    clock: _Clock,
    deadline: float,
    stats: dict[str, object],
    report: _Reporter,
) -> Assignment:
    """Level 5 over the whole event: the full model (interpreter variables) with the first four levels held at
    their optimal values, started from `assign`.  Updates the value and the bound of interpreter_changes."""
    inp = prep.inp
    model = _Model(prep, prep.pairs, list(range(len(prep.slots))))
    m = model.m
    m.add(model.held_obj >= int(round(values["held"])))
    for lv in ("breaks", "fairness", "idle"):
        expr = model.objective(lv)
        if not isinstance(expr, int):
            m.add(expr <= int(round(values[lv])))
    m.minimize(model.switch_obj)
    model.hint(assign)
    s = _solver(inp, max(0.2, deadline - clock.now()), 11, "interpreter_changes")
    r = _run(m, s, clock, report, "interpreter_changes")
    stats["interpreter_level"] = s.status_name(r)
    if r in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bounds["interpreter_changes"] = max(0.0, _whole_bound(s.best_objective_bound, maximize=False))
        if _whole(s.objective_value) <= values["interpreter_changes"]:
            values["interpreter_changes"] = _whole(s.objective_value)
            return model.assignment(s)
    elif r != cp_model.INFEASIBLE:
        bound = _whole_bound(s.best_objective_bound, maximize=False)
        if abs(bound) < 1e15:
            bounds["interpreter_changes"] = max(0.0, bound)
    return assign


def _result(
    prep: _Prepared,
    status: str,
    assign: Assignment,
    values: dict[str, float],
    bounds: dict[str, float],
    clock: _Clock,
    stats: dict[str, object],
) -> ScheduleResult:
    inp = prep.inp
    meetings: list[ScheduledMeeting] = []
    rooms_used: dict[int, set[int]] = defaultdict(set)
    by_k = {pr.k: pr for pr in prep.pairs}
    order = sorted(assign.items(), key=lambda kv: (by_k[kv[0]].locked is None, kv[0]))
    for k, (t, iid) in order:
        pr = by_k[k]
        want = pr.locked.room if pr.locked is not None else None
        room = want if want is not None and want not in rooms_used[t] else None
        if room is None:
            room = next(r for r in range(1, inp.capacity + 1) if r not in rooms_used[t])
        rooms_used[t].add(room)
        sl = prep.slots[t]
        is_locked = pr.locked is not None and pr.locked in inp.locked
        meetings.append(ScheduledMeeting(pr.buyer, pr.seller, sl.id, sl.day, sl.index, room, iid, is_locked))
    meetings.sort(key=lambda mt: (mt.day, mt.index, mt.room))
    unscheduled = list(prep.unscheduled)
    if status in ("optimal", "feasible"):
        unscheduled += _explain(prep, assign)
    breaks = participant_breaks(prep.slots, meetings)
    gap = 0.0
    gap_level = ""
    if status not in ("optimal",):
        for lv in LEVELS:
            v, b = values.get(lv), bounds.get(lv)
            if v is None or b is None or v != v or b != b:
                continue
            if abs(v - b) > 1e-9:
                gap = abs(v - b) / max(1.0, abs(v))
                gap_level = lv
                break
    message = "; ".join(prep.warnings)
    return ScheduleResult(
        status=status,  # type: ignore[arg-type]
        meetings=meetings,
        unscheduled=unscheduled,
        breaks=breaks,
        objective=dict(values),
        bounds=dict(bounds),
        gap=gap,
        seconds=time.monotonic() - clock.t0,
        message=message,
        stats={**stats, "deterministic_time": round(clock.spent, 3)} if clock.deterministic else stats,
        gap_level=gap_level,
    )


def participant_breaks(slots: list[Slot], meetings: list[ScheduledMeeting]) -> dict[str, int]:
    """Breaks per participant, counted day by day on slot positions (independent of the model)."""
    per: dict[tuple[str, date], list[int]] = defaultdict(list)
    for mt in meetings:
        per[(mt.buyer, mt.day)].append(mt.index)
        per[(mt.seller, mt.day)].append(mt.index)
    out: dict[str, int] = defaultdict(int)
    for (pid, _day), idx in per.items():
        u = sorted(set(idx))
        out[pid] += sum(1 for a, b in zip(u, u[1:], strict=False) if b > a + 1)
    return dict(out)


def _explain(prep: _Prepared, assign: Assignment) -> list[Rejection]:
    """Reasons for the pairs that had possible slots but were not scheduled."""
    inp = prep.inp
    load: dict[str, int] = defaultdict(int)
    busy: dict[tuple[str, int], bool] = {}
    per_slot: dict[int, int] = defaultdict(int)
    ibusy: set[tuple[str, int]] = set()
    by_k = {p.k: p for p in prep.pairs}
    for k, (t, iid) in assign.items():
        pr = by_k[k]
        load[pr.buyer] += 1
        load[pr.seller] += 1
        busy[(pr.buyer, t)] = busy[(pr.seller, t)] = True
        per_slot[t] += 1
        if iid is not None:
            ibusy.add((iid, t))
    out = []
    for pr in prep.pairs:
        if pr.k in assign:
            continue
        b, s = prep.parts[pr.buyer], prep.parts[pr.seller]
        if b.max_meetings is not None and load[b.id] >= b.max_meetings:
            out.append(
                Rejection(pr.buyer, pr.seller, "buyer_max", f"buyer at max meetings ({b.max_meetings})")
            )
            continue
        if s.max_meetings is not None and load[s.id] >= s.max_meetings:
            out.append(
                Rejection(pr.buyer, pr.seller, "seller_max", f"seller at max meetings ({s.max_meetings})")
            )
            continue
        why: dict[str, int] = defaultdict(int)
        for t in pr.cands:
            if busy.get((pr.buyer, t)):
                why["buyer busy"] += 1
            elif busy.get((pr.seller, t)):
                why["seller busy"] += 1
            elif per_slot[t] >= inp.capacity:
                why["all rooms taken"] += 1
            elif pr.language is not None and all((i, t) in ibusy for i in pr.interp[t]):
                why[f"interpreters for {pr.language} busy"] += 1
            else:
                why["interpreter rest or precedence"] += 1
        detail = ", ".join(f"{k} in {v}" for k, v in sorted(why.items(), key=lambda kv: -kv[1]))
        out.append(
            Rejection(
                pr.buyer,
                pr.seller,
                "slots_taken",
                f"all {len(pr.cands)} common slots are taken by higher-weight meetings ({detail})",
            )
        )
    return out
