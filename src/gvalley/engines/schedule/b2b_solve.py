"""Search for the B2B benchmark: a two-process portfolio.

* the *core* process runs CP-SAT's core-guided (MaxSAT-like) optimisation on the full model and
  proves lower bounds;
* the *budget* process solves feasibility problems in which every participant gets a hard cap on its
  breaks ("budget vector").  Such problems propagate almost as strongly as the zero-break problem and
  are solved (or refuted) in about a second.  It starts from the per-participant lower bounds, grows a
  minimal set of participants that need one more break (QuickXplain on a monotone predicate), then
  improves the best schedule by removing one break at a time.

The parent stops both as soon as a schedule meets a proven lower bound, or one process proves
optimality or infeasibility.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import random
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model

from .b2b import (
    B2BModel,
    B2BOptions,
    B2BResult,
    breaks_per_participant,
    meeting_domains,
    solo_lower_bound,
)
from .dzn import B2BInstance

Message = tuple[Any, ...]
Post = Callable[[Message], None]


def _min_is_zero(inst: B2BInstance) -> bool:
    return any(len(inst.meetings_of(p)) <= 1 for p in range(1, inst.n_business + 1))


def lower_bounds(inst: B2BInstance, dom: list[list[int]]) -> dict[int, int] | None:
    """Per-participant lower bounds on breaks; None if some participant cannot be scheduled at all."""
    out: dict[int, int] = {}
    for p in range(1, inst.n_business + 1):
        lb = solo_lower_bound(inst, dom, p)
        if lb is None:
            return None
        out[p] = lb
    return out


# -- the core process -----------------------------------------------------------------------------
def core_search(
    inst: B2BInstance,
    d: int,
    dom: list[list[int]],
    lbs: dict[int, int],
    opts: B2BOptions,
    time_limit: float,
    post: Post,
) -> None:
    """CP-SAT core-guided optimisation; posts ('bound', v), ('solution', obj, slots), ('status', s)."""
    o = replace(opts, int_objective=True, counter=opts.core_counter)
    bm = B2BModel(inst, d, dom, o)
    bm.add_participant_bounds(lbs)
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    s.parameters.max_time_in_seconds = max(0.05, time_limit)
    s.parameters.linearization_level = o.linearization_level
    s.parameters.optimize_with_core = True
    s.parameters.random_seed = o.seed
    for k, v in o.extra_params.items():
        setattr(s.parameters, k, v)

    class CB(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            slots = [
                next(t for t in dom[i] if self.boolean_value(bm.x[i, t])) for i in range(inst.n_meetings)
            ]
            post(("solution", sum(breaks_per_participant(inst, slots)), slots, "core"))

    s.best_bound_callback = lambda v: post(("bound", int(round(v)), "core"))
    r = s.solve(bm.model, CB())
    if r == cp_model.OPTIMAL:
        post(("bound", int(round(s.objective_value)), "core"))
        post(("status", "optimal", "core"))
    elif r == cp_model.INFEASIBLE:
        post(("status", "infeasible", "core"))
    else:
        post(("bound", int(round(s.best_objective_bound)), "core"))
        post(("status", "unknown", "core"))


# -- the budget process ---------------------------------------------------------------------------
class BudgetSearch:
    """Feasibility checks under per-participant break caps (see module docstring)."""

    def __init__(
        self,
        inst: B2BInstance,
        d: int,
        dom: list[list[int]],
        lbs: dict[int, int],
        opts: B2BOptions,
        deadline: float,
        post: Post,
    ) -> None:
        self.inst, self.d, self.dom, self.lbs, self.opts = inst, d, dom, lbs, opts
        self.deadline = deadline
        self.post = post
        self.bm = B2BModel(inst, d, dom, opts)
        self.bm.model.clear_objective()
        self.bm.add_participant_bounds(lbs)
        self.parts = [p for p, e in self.bm.eb.items() if e]
        self.cap = {p: min(len(self.bm.eb[p]), d if _min_is_zero(inst) else inst.n_slots) for p in self.parts}
        self.best: tuple[int, list[int]] | None = None
        self.lb = sum(lbs.get(p, 0) for p in self.parts)
        self.rng = random.Random(opts.seed)
        self.checks = 0

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def check(self, budget: dict[int, int] | None, time_limit: float, total: int | None = None) -> str:
        """Solve with caps `budget` (None = fairness only); returns sat / unsat / unknown."""
        tl = min(time_limit, self.left())
        if tl <= 0.05:
            return "unknown"
        self.checks += 1
        m = self.bm.model.clone()
        lits = {
            p: [m.get_bool_var_from_proto_index(e.index) for e in self.bm.eb[p].values()] for p in self.parts
        }
        if budget is not None:
            for p in self.parts:
                c = budget.get(p, 0)
                if c < len(lits[p]):
                    m.add(sum(lits[p]) <= c)
        if total is not None:
            m.add(sum(v for p in self.parts for v in lits[p]) <= total)
        s = cp_model.CpSolver()
        s.parameters.num_workers = 1
        s.parameters.max_time_in_seconds = tl
        s.parameters.linearization_level = self.opts.linearization_level
        s.parameters.random_seed = self.opts.seed + self.checks
        t1 = time.monotonic()
        r = s.solve(m)
        if os.environ.get("GVALLEY_B2B_DEBUG"):
            nz = {p: v for p, v in (budget or {}).items() if v}
            print(
                f"check#{self.checks} {s.status_name(r)} {time.monotonic() - t1:.2f}s total={total} "
                f"budget={'fair' if budget is None else nz}",
                flush=True,
            )
        if r in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            slots = [
                next(
                    t
                    for t in self.dom[i]
                    if s.boolean_value(m.get_bool_var_from_proto_index(self.bm.x[i, t].index))
                )
                for i in range(self.inst.n_meetings)
            ]
            obj = sum(breaks_per_participant(self.inst, slots))
            if self.best is None or obj < self.best[0]:
                self.best = (obj, slots)
                self.post(("solution", obj, slots, "budget"))
            return "sat"
        return "unsat" if r == cp_model.INFEASIBLE else "unknown"

    def vector(self) -> dict[int, int]:
        assert self.best is not None
        bp = breaks_per_participant(self.inst, self.best[1])
        return {p: bp[p - 1] for p in self.parts}

    def done(self) -> bool:
        return self.best is not None and self.best[0] <= self.lb or self.left() <= 0.05

    def run(self) -> None:
        base = {p: self.lbs.get(p, 0) for p in self.parts}
        st = self.check(base, 30.0)
        if st == "sat":
            self.post(("bound", self.lb, "budget"))
            self.post(("status", "optimal", "budget"))
            return
        if st == "unsat":
            self.lb += 1
            self.post(("bound", self.lb, "budget"))
        st = self.check(None, 30.0)
        if st == "unsat":
            self.post(("status", "infeasible", "budget"))
            return
        first = self.vector() if self.best else {}
        # total number of breaks at most the lower bound, any participant (up to its cap) may have them
        while not self.done():
            st = self.check(dict(self.cap), 25.0, total=self.lb)
            if st == "sat":
                return
            if st != "unsat":
                break
            self.lb += 1
            self.post(("bound", self.lb, "budget"))
            base = {p: self.lbs.get(p, 0) for p in self.parts}
            if self.lb > sum(base.values()) + 1:
                break
        if self.done() or self.lb > sum(base.values()) + 1:
            self._descend()
            return
        # one break more than the per-participant bounds: try every participant (exhaustive)
        deg = {p: len(self.inst.meetings_of(p)) for p in self.parts}
        order = sorted(
            (p for p in self.parts if base[p] < self.cap[p]),
            key=lambda p: (-first.get(p, 0) + base[p], -deg[p], self.rng.random()),
        )
        unknown = []
        for p in order:
            if self.done():
                return
            b = dict(base)
            b[p] += 1
            st = self.check(b, 3.0)
            if st == "sat":
                return  # cost = lower bound: optimal
            if st == "unknown":
                unknown.append(p)
        for p in list(unknown):  # second chance with more time
            if self.done():
                return
            b = dict(base)
            b[p] += 1
            st = self.check(b, 12.0)
            if st == "sat":
                return
            if st == "unsat":
                unknown.remove(p)
        if not unknown and not self.done():
            self.lb += 1
            self.post(("bound", self.lb, "budget"))
        self._descend()

    def _sat_with(self, base: dict[int, int], extra: list[int]) -> bool:
        b = dict(base)
        for p in extra:
            b[p] += 1
        return self.check(b, 5.0) == "sat"

    def _quickxplain(self, base: dict[int, int], fixed: list[int], cands: list[int]) -> list[int]:
        if self.done():
            return []
        if fixed and self._sat_with(base, fixed):
            return []
        if len(cands) <= 1:
            return cands
        half = len(cands) // 2
        c1, c2 = cands[:half], cands[half:]
        x2 = self._quickxplain(base, fixed + c1, c2)
        x1 = self._quickxplain(base, fixed + x2, c1)
        return x1 + x2

    def _descend(self) -> None:
        failed: set[tuple[tuple[int, int], ...]] = set()
        while not self.done() and self.best is not None:
            vec = self.vector()
            breakers = [p for p in self.parts if vec[p] > self.lbs.get(p, 0)]
            self.rng.shuffle(breakers)
            improved = False
            if len(breakers) >= 4:  # a big step first: half of the breakers lose one break
                b = dict(vec)
                for p in breakers[: len(breakers) // 2]:
                    b[p] -= 1
                cur = self.best[0]
                if self.check(b, 3.0) == "sat" and self.best[0] < cur:
                    continue
            for p in breakers:
                if self.done():
                    return
                b = dict(vec)
                b[p] -= 1
                key = tuple(sorted(b.items()))
                if key in failed:
                    continue
                cur = self.best[0]
                if self.check(b, 5.0) == "sat" and self.best[0] < cur:
                    improved = True
                    break
                failed.add(key)
            if not improved:
                # move one break: p loses one, allow any other participant one more, total decreases
                for p in breakers:
                    if self.done():
                        return
                    b = {q: min(self.cap[q], vec[q] + 1) for q in self.parts}
                    b[p] = vec[p] - 1
                    cur = self.best[0]
                    if self.check(b, 10.0, total=cur - 1) == "sat" and self.best[0] < cur:
                        improved = True
                        break
            if not improved:
                return


def budget_search(
    inst: B2BInstance,
    d: int,
    dom: list[list[int]],
    lbs: dict[int, int],
    opts: B2BOptions,
    time_limit: float,
    post: Post,
) -> None:
    bs = BudgetSearch(inst, d, dom, lbs, opts, time.monotonic() + time_limit, post)
    bs.run()
    post(("status", "stopped", "budget"))


# -- the parent ----------------------------------------------------------------------------------
def _child(target: Callable[..., None], args: tuple[Any, ...], q: Any) -> None:
    try:
        target(*args, q.put)
    except Exception as e:  # pragma: no cover - reported to the parent
        q.put(("error", repr(e)))


def solve_b2b(
    inst: B2BInstance,
    fairness: int = 2,
    time_limit: float = 60.0,
    opts: B2BOptions | None = None,
    portfolio: bool = True,
) -> B2BResult:
    """Solve one benchmark configuration; "optimal" and "infeasible" are proven."""
    t0 = time.monotonic()
    opts = opts or B2BOptions()
    dom = meeting_domains(inst)
    stats: dict[str, Any] = {}
    if dom is None:
        return B2BResult("infeasible", None, time.monotonic() - t0, [], stats={"reason": "empty domain"})
    lbs = lower_bounds(inst, dom)
    if lbs is None:
        return B2BResult("infeasible", None, time.monotonic() - t0, [], stats={"reason": "participant"})
    if _min_is_zero(inst) and max(lbs.values(), default=0) > fairness:
        return B2BResult("infeasible", None, time.monotonic() - t0, [], stats={"reason": "fairness"})
    stats["participant_lb"] = sum(lbs.values())
    best: tuple[int, list[int]] | None = None
    lb = 0
    status = "unknown"
    msgs: list[Message] = []

    def take(msg: Message) -> None:
        nonlocal best, lb, status
        msgs.append(msg[:1] + msg[-1:])
        if msg[0] == "solution" and (best is None or msg[1] < best[0]):
            best = (msg[1], msg[2])
        elif msg[0] == "bound":
            lb = max(lb, msg[1])
        elif msg[0] == "status" and msg[1] in ("optimal", "infeasible"):
            status = msg[1]

    def finished() -> bool:
        return status in ("optimal", "infeasible") or (best is not None and best[0] <= lb)

    remaining = time_limit - (time.monotonic() - t0)
    if not portfolio or opts.workers <= 1 and os.environ.get("GVALLEY_B2B_SERIAL"):
        core_search(inst, fairness, dom, lbs, opts, remaining, take)
    else:
        ctx = mp.get_context("fork")
        q: Any = ctx.Queue()
        procs = [
            ctx.Process(
                target=_child, args=(core_search, (inst, fairness, dom, lbs, opts, remaining), q), daemon=True
            ),
            ctx.Process(
                target=_child,
                args=(budget_search, (inst, fairness, dom, lbs, opts, remaining), q),
                daemon=True,
            ),
        ]
        for pr in procs:
            pr.start()
        deadline = t0 + time_limit
        stopped = 0
        try:
            while not finished() and stopped < 2:
                try:
                    msg = q.get(timeout=max(0.01, min(0.5, deadline - time.monotonic())))
                except queue.Empty:
                    if time.monotonic() >= deadline:
                        break
                    continue
                if msg[0] == "error":
                    stats.setdefault("errors", []).append(msg[1])
                    stopped += 1
                    continue
                take(msg)
                if msg[0] == "status":
                    stopped += 1
            # drain what is already queued (a proof may have arrived with the last message)
            while True:
                try:
                    take(q.get_nowait())
                except queue.Empty:
                    break
        finally:
            for pr in procs:
                if pr.is_alive():
                    pr.terminate()
            for pr in procs:
                pr.join(timeout=2)
    if status != "infeasible" and best is not None:
        status = "optimal" if status == "optimal" or best[0] <= lb else "feasible"
    if status == "optimal" and best is None:
        status = "unknown"  # cannot happen: an optimum always comes with a schedule
    stats["messages"] = msgs
    return B2BResult(
        status,
        best[0] if best and status != "infeasible" else None,
        time.monotonic() - t0,
        best[1] if best and status != "infeasible" else [],
        lb,
        stats,
    )
