"""Exact solver for the B2B meeting-scheduling benchmark (Bofill et al., JAIR 2022).

The model is a MaxSAT-like CP-SAT model: one Boolean per (meeting, slot), one "busy" Boolean per
(participant, slot), and one objective literal per possible *end of a break* (participant busy at t,
idle at t-1 and busy somewhere before t-1).  CP-SAT's core-guided search (as in MaxSAT solvers) then
proves lower bounds from unsatisfiable cores.  Implied constraints and symmetry breaking are described
in docs/engines/schedule.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .dzn import B2BInstance
from .matching import match

Literal = Any  # cp_model literal (IntVar or its negation)


@dataclass
class B2BOptions:
    """Model and search switches (the defaults are the measured best; see docs/engines/schedule.md)."""

    window: bool = True  # two busy slots >= k apart imply a break between them
    slot_count: bool = True  # per slot: sum of busy participants = 2 * meetings <= 2 * nTables
    busy_count: bool = True  # per participant: number of busy slots = number of meetings
    full_reification: bool = True  # break literals equivalent (not only implied)
    participant_lb: bool = False  # per-participant lower bound on breaks from the participant alone
    counter: bool = True  # also encode the table capacity as a sequential counter (SAT-style auxiliaries)
    core_counter: bool = False  # the counter in the core-guided process too
    intervals: bool = False  # break-free participants as one block: start var, AllDifferent, cumulative
    energy: bool = True  # per slot window: break-free participants need a minimum of busy slots in it
    symmetry: bool = True  # identical leaf participants, duplicated pairs, time reversal
    workers: int = 1
    subsolvers: tuple[str, ...] = ()
    linearization_level: int = 0
    seed: int = 0
    hint: bool = False
    log: bool = False
    int_objective: bool = False  # objective as a sum of per-participant integer break counts
    extra_params: dict[str, Any] = field(default_factory=lambda: {"optimize_with_core": True})


@dataclass
class B2BResult:
    """Outcome of one benchmark solve; slots are 1-based, one per meeting in file order."""

    status: str  # optimal | infeasible | feasible | unknown
    objective: int | None
    seconds: float
    slots: list[int]
    bound: int | None = None
    stats: dict[str, Any] = field(default_factory=dict)


def meeting_domains(inst: B2BInstance) -> list[list[int]] | None:
    """Allowed slots per meeting (session, forbidden of both, fixed, precedence bounds); None if empty."""
    dom: list[list[int]] = []
    for i, (a, b, s) in enumerate(inst.meetings):
        ds = [
            t
            for t in inst.session_slots(s)
            if t not in inst.forbidden[a - 1] and t not in inst.forbidden[b - 1]
        ]
        if inst.fixed[i]:
            ds = [t for t in ds if t == inst.fixed[i]]
        dom.append(ds)
    # precedence bounds (fixpoint of earliest/latest start); a cycle empties a domain
    n = inst.n_meetings
    for _ in range(n + 1):
        changed = False
        for i in range(n):
            if not dom[i]:
                return None
            for j1 in inst.precedences[i]:
                j = j1 - 1
                if not dom[j]:
                    return None
                lo = min(dom[j]) + 1
                hi = max(dom[i]) - 1
                nd_i = [t for t in dom[i] if t >= lo]
                nd_j = [t for t in dom[j] if t <= hi]
                if len(nd_i) != len(dom[i]) or len(nd_j) != len(dom[j]):
                    dom[i], dom[j] = nd_i, nd_j
                    changed = True
                    if not nd_i or not nd_j:
                        return None
        if not changed:
            break
    if any(not d for d in dom):
        return None
    return dom


def count_breaks(busy_slots: list[int]) -> int:
    """Number of maximal idle runs strictly between the first and the last busy slot."""
    s = sorted(set(busy_slots))
    return sum(1 for a, b in zip(s, s[1:], strict=False) if b > a + 1)


def breaks_per_participant(inst: B2BInstance, slots: list[int]) -> list[int]:
    per: dict[int, list[int]] = defaultdict(list)
    for (a, b, _), t in zip(inst.meetings, slots, strict=True):
        per[a].append(t)
        per[b].append(t)
    return [count_breaks(per[p]) for p in range(1, inst.n_business + 1)]


def solo_lower_bound(inst: B2BInstance, dom: list[list[int]], p: int) -> int | None:
    """Fewest breaks participant p can have on its own (0, 1 or at least 2); None = impossible.

    Blocks of consecutive slots are enumerated and filled by a bipartite matching of p's meetings;
    precedences and the other participants are ignored, so this is a valid lower bound.
    """
    ms = inst.meetings_of(p)
    k = len(ms)
    doms = [set(dom[i]) for i in ms]
    allowed = set().union(*doms) if doms else set()
    if not _perfect_matching([sorted(d) for d in doms]):
        return None
    if k <= 1:
        return 0
    T = inst.n_slots

    def fits(block: set[int]) -> bool:
        return block <= allowed and _perfect_matching([sorted(d & block) for d in doms])

    if any(fits(set(range(s, s + k))) for s in range(1, T - k + 2)):
        return 0
    for s1 in range(1, T + 1):
        for l1 in range(1, k):
            b1 = set(range(s1, s1 + l1))
            if not b1 <= allowed:
                break
            for s2 in range(s1 + l1 + 1, T - (k - l1) + 2):
                if fits(b1 | set(range(s2, s2 + k - l1))):
                    return 1
    return 2


class B2BModel:
    """Builds the CP-SAT model for one instance and fairness bound."""

    def __init__(self, inst: B2BInstance, fairness: int, dom: list[list[int]], opts: B2BOptions) -> None:
        self.inst = inst
        self.d = fairness
        self.dom = dom
        self.opts = opts
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], Any] = {}
        self.busy: dict[tuple[int, int], Any] = {}
        self.eb: dict[int, dict[int, Any]] = {}
        self.nb: dict[int, Any] = {}
        self._starts_cache: dict[int, list[int]] = {}
        self.stats: dict[str, Any] = {}
        self._build()

    # -- construction -----------------------------------------------------------------------
    def _build(self) -> None:
        inst, m, dom, o = self.inst, self.model, self.dom, self.opts
        T = inst.n_slots
        for i in range(inst.n_meetings):
            for t in dom[i]:
                self.x[i, t] = m.new_bool_var(f"x{i}_{t}")
            m.add_exactly_one(self.x[i, t] for t in dom[i])
        for t in range(1, T + 1):
            lits = [self.x[i, t] for i in range(inst.n_meetings) if (i, t) in self.x]
            if len(lits) > inst.n_tables:
                m.add(sum(lits) <= inst.n_tables)
                if o.counter:
                    _at_most_k_counter(m, lits, inst.n_tables)
        self._precedences()
        self.mp = {p: inst.meetings_of(p) for p in range(1, inst.n_business + 1)}
        for p, ms in self.mp.items():
            for t in range(1, T + 1):
                lits = [self.x[i, t] for i in ms if (i, t) in self.x]
                if not lits:
                    continue
                if len(lits) == 1 and len(ms) > 1:
                    self.busy[p, t] = lits[0]
                elif len(ms) > 1:
                    b = m.new_bool_var(f"b{p}_{t}")
                    m.add(sum(lits) == b)
                    self.busy[p, t] = b
            if len(ms) > 1:
                self._breaks(p, len(ms))
                if o.busy_count:
                    m.add(sum(self.busy[p, t] for t in range(1, T + 1) if (p, t) in self.busy) == len(ms))
        if o.slot_count:
            self._slot_count()
        if o.energy:
            self._energy()
        if o.intervals:
            self._intervals()
        self._fairness()
        if o.symmetry:
            self._symmetry()
        obj = [e for p in self.eb for e in self.eb[p].values()]
        self.objective_literals = obj
        if o.int_objective:
            terms = []
            for p, e in self.eb.items():
                if e:
                    v = m.new_int_var(0, min(len(e), self.inst.n_slots), f"breaks{p}")
                    m.add(v == sum(e.values()))
                    terms.append(v)
            m.minimize(sum(terms))
        else:
            m.minimize(sum(obj))

    def _precedences(self) -> None:
        inst, m = self.inst, self.model
        involved = {i for i in range(inst.n_meetings) if inst.precedences[i]}
        involved |= {j - 1 for i in range(inst.n_meetings) for j in inst.precedences[i]}
        self.slot_var: dict[int, Any] = {}
        for i in sorted(involved):
            v = m.new_int_var_from_domain(cp_model.Domain.from_values(self.dom[i]), f"s{i}")
            m.add(v == sum(t * self.x[i, t] for t in self.dom[i]))
            self.slot_var[i] = v
        for i in range(inst.n_meetings):
            for j1 in inst.precedences[i]:
                m.add(self.slot_var[j1 - 1] < self.slot_var[i])

    def _get_slot(self, i: int) -> Any:
        if i not in self.slot_var:
            v = self.model.new_int_var_from_domain(cp_model.Domain.from_values(self.dom[i]), f"s{i}")
            self.model.add(v == sum(t * self.x[i, t] for t in self.dom[i]))
            self.slot_var[i] = v
        return self.slot_var[i]

    def _breaks(self, p: int, k: int) -> None:
        """End-of-break literals eb[t] <-> busy[t] & !busy[t-1] & busy somewhere in 1..t-2."""
        m, T, full = self.model, self.inst.n_slots, self.opts.full_reification
        busy = {t: self.busy.get((p, t)) for t in range(0, T + 2)}
        seen: dict[int, Any] = {}
        prev = None
        for t in range(1, T + 1):
            b = busy[t]
            if prev is None:
                seen[t] = b
            elif b is None:
                seen[t] = prev
            else:
                s = m.new_bool_var(f"seen{p}_{t}")
                m.add_implication(prev, s)
                m.add_implication(b, s)
                if full:
                    m.add_bool_or([prev, b, s.Not()])
                seen[t] = s
            prev = seen[t]
        ebs: dict[int, Any] = {}
        for t in range(3, T + 1):
            b, bp, sn = busy[t], busy[t - 1], seen[t - 2]
            if b is None or sn is None:
                continue
            e = m.new_bool_var(f"eb{p}_{t}")
            conj = [b, sn] + ([bp.Not()] if bp is not None else [])
            m.add_bool_or([c.Not() for c in conj] + [e])
            if full:
                for c in conj:
                    m.add_implication(e, c)
            ebs[t] = e
        self.eb[p] = ebs
        if self.opts.window:
            for t in range(1, T + 1):
                if busy[t] is None:
                    continue
                for t2 in range(t + k, T + 1):
                    if busy[t2] is None:
                        continue
                    between = [ebs[u] for u in range(t + 2, t2 + 1) if u in ebs]
                    b1, b2 = busy[t], busy[t2]
                    assert b1 is not None and b2 is not None
                    m.add_bool_or([b1.Not(), b2.Not(), *between])

    def _slot_count(self) -> None:
        inst, m = self.inst, self.model
        for t in range(1, inst.n_slots + 1):
            lits = []
            for p, ms in self.mp.items():
                if len(ms) > 1:
                    if (p, t) in self.busy:
                        lits.append(self.busy[p, t])
                else:
                    lits += [self.x[i, t] for i in ms if (i, t) in self.x]
            meet = [self.x[i, t] for i in range(inst.n_meetings) if (i, t) in self.x]
            if not meet:
                continue
            m.add(sum(lits) == 2 * sum(meet))
            if len(lits) > 2 * inst.n_tables:
                m.add(sum(lits) <= 2 * inst.n_tables)

    def _no_break(self, p: int) -> Any:
        if p not in self.nb:
            e = list(self.eb[p].values())
            nb = self.model.new_bool_var(f"nb{p}")
            self.model.add_bool_or([*e, nb])
            for lit in e:
                self.model.add_implication(nb, lit.Not())
            self.nb[p] = nb
        return self.nb[p]

    def _block_starts(self, p: int) -> list[int]:
        """First slots s such that p's meetings can fill the block s..s+k-1 (bipartite matching)."""
        if p in self._starts_cache:
            return self._starts_cache[p]
        ms = self.mp[p]
        k = len(ms)
        out = []
        for s in range(1, self.inst.n_slots - k + 2):
            block = set(range(s, s + k))
            if all(block & set(self.dom[i]) for i in ms) and _perfect_matching(
                [[t for t in self.dom[i] if t in block] for i in ms]
            ):
                out.append(s)
        self._starts_cache[p] = out
        return out

    def _energy(self) -> None:
        """Window energy: sum over participants of busy slots in [a, b] fits 2 * tables * (b - a + 1).

        A break-free participant with k meetings occupies one block of k allowed slots, so it is busy in
        at least L0 slots of the window; with breaks at least Lany = k - (allowed slots outside).
        Only windows where all-break-free would overflow are added (others are redundant).
        """
        inst = self.inst
        T = inst.n_slots
        allowed = {p: sorted({t for i in ms for t in self.dom[i]}) for p, ms in self.mp.items()}
        per_slot_cap = []
        for t in range(1, T + 1):
            n_meet = sum(1 for i in range(inst.n_meetings) if (i, t) in self.x)
            per_slot_cap.append(2 * min(inst.n_tables, n_meet))
        n_added = 0
        for a in range(1, T + 1):
            for b in range(a, T + 1):
                cap = sum(per_slot_cap[a - 1 : b])
                base = 0
                terms: list[tuple[int, Any]] = []
                for p, ms in self.mp.items():
                    k = len(ms)
                    if k == 0:
                        continue
                    u = allowed[p]
                    outside = sum(1 for t in u if t < a or t > b)
                    lany = max(0, k - outside)
                    starts = self._block_starts(p)
                    if not starts:
                        base += lany
                        continue
                    l0 = min(max(0, min(b, s + k - 1) - max(a, s) + 1) for s in starts)
                    base += lany
                    if l0 > lany and k > 1 and self.eb.get(p):
                        terms.append((l0 - lany, p))
                    elif l0 > lany:
                        base += l0 - lany
                if base + sum(c for c, _ in terms) > cap:
                    self.model.add(sum(c * self._no_break(p) for c, p in terms) <= cap - base)
                    n_added += 1
        self.stats["energy_windows"] = n_added

    def _intervals(self) -> None:
        """A participant without breaks occupies the block start..start+k-1 (k = its meetings)."""
        inst, m = self.inst, self.model
        T = inst.n_slots
        tasks = []
        for p, ms in self.mp.items():
            k = len(ms)
            if k < 2 or not self.eb.get(p):
                continue
            slots = [self._get_slot(i) for i in ms]
            m.add_all_different(slots)
            starts = self._block_starts(p)
            nb = self._no_break(p)
            if not starts:
                m.add(nb == 0)
                continue
            st = m.new_int_var_from_domain(cp_model.Domain.from_values(starts), f"start{p}")
            for v in slots:
                m.add(v >= st).only_enforce_if(nb)
                m.add(v <= st + k - 1).only_enforce_if(nb)
            tasks.append(m.new_optional_fixed_size_interval_var(st, k, nb, f"blk{p}"))
            for t in range(1, T + 1):
                b = self.busy.get((p, t))
                if b is None:
                    continue
                u = m.new_bool_var("")
                m.add_bool_and([b, nb.Not()]).only_enforce_if(u)
                m.add_bool_or([b.Not(), nb, u])
                tasks.append(m.new_optional_fixed_size_interval_var(t, 1, u, ""))
        for ms in self.mp.values():
            if len(ms) == 1:
                i = ms[0]
                tasks.append(m.new_fixed_size_interval_var(self._get_slot(i), 1, ""))
        if tasks:
            m.add_cumulative(tasks, [1] * len(tasks), 2 * inst.n_tables)

    def _fairness(self) -> None:
        m, d = self.model, self.d
        bks = {p: sum(e.values()) for p, e in self.eb.items()}
        always_zero = any(len(ms) <= 1 or not self.eb.get(p) for p, ms in self.mp.items())
        if always_zero:
            for _p, e in self.eb.items():
                if len(e) > d:
                    m.add(sum(e.values()) <= d)
        else:
            lo = m.new_int_var(0, self.inst.n_slots, "minBreaks")
            for _p, expr in bks.items():
                m.add(lo <= expr)
                m.add(expr <= lo + d)

    def add_participant_bounds(self, lbs: dict[int, int]) -> None:
        for p, lb in lbs.items():
            if lb > 0 and p in self.eb:
                self.model.add(sum(self.eb[p].values()) >= lb)

    def _symmetry(self) -> None:
        inst, m = self.inst, self.model
        ordered: set[int] = set()
        # identical meetings (same pair, same session, same domain): order their slots
        groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for i, (a, b, _s) in enumerate(inst.meetings):
            if inst.precedences[i] or any(i + 1 in inst.precedences[j] for j in range(inst.n_meetings)):
                continue
            groups[(min(a, b), max(a, b), tuple(self.dom[i]))].append(i)
        # identical leaf participants: one meeting each with the same partner and domain
        deg = {p: len(ms) for p, ms in self.mp.items()}
        for i, (a, b, _s) in enumerate(inst.meetings):
            if inst.precedences[i] or any(i + 1 in inst.precedences[j] for j in range(inst.n_meetings)):
                continue
            for leaf, other in ((a, b), (b, a)):
                if deg[leaf] == 1 and deg[other] > 1:
                    groups[("leaf", other, tuple(self.dom[i]))].append(i)
        n_sym = 0
        for g in groups.values():
            if len(g) < 2:
                continue
            for i, j in zip(g, g[1:], strict=False):
                m.add(self._get_slot(i) < self._get_slot(j))
                n_sym += 1
            ordered.update(g)
        # time reversal when every domain is symmetric and there are no precedences
        T = inst.n_slots
        rev = not any(inst.precedences) and all(sorted(T + 1 - t for t in d) == d for d in self.dom)
        if rev:
            free = [i for i in range(inst.n_meetings) if i not in ordered and len(self.dom[i]) > 1]
            if free:
                i = max(free, key=lambda k: len(self.dom[k]))
                v = self._get_slot(i)
                m.add(2 * v <= T + 1)
                n_sym += 1
        self.stats["symmetry_constraints"] = n_sym
        self.stats["time_reversal"] = rev

    # -- solving ----------------------------------------------------------------------------
    def solve(self, time_limit: float) -> tuple[str, list[int], int | None]:
        s = cp_model.CpSolver()
        o = self.opts
        s.parameters.num_workers = o.workers
        s.parameters.max_time_in_seconds = max(0.01, time_limit)
        s.parameters.linearization_level = o.linearization_level
        s.parameters.random_seed = o.seed
        s.parameters.log_search_progress = o.log
        if o.subsolvers:
            s.parameters.subsolvers.extend(o.subsolvers)
        for k, v in o.extra_params.items():
            if isinstance(v, list):
                getattr(s.parameters, k).extend(v)
            else:
                setattr(s.parameters, k, v)
        r = s.solve(self.model)
        self.stats["cp_sat"] = s.response_stats().splitlines()[:0]
        self.stats["wall"] = s.wall_time
        status = {
            cp_model.OPTIMAL: "optimal",
            cp_model.FEASIBLE: "feasible",
            cp_model.INFEASIBLE: "infeasible",
        }.get(r, "unknown")
        slots: list[int] = []
        if status in ("optimal", "feasible"):
            for i in range(self.inst.n_meetings):
                slots.append(next(t for t in self.dom[i] if s.boolean_value(self.x[i, t])))
        bound = int(round(s.best_objective_bound)) if status in ("optimal", "feasible", "unknown") else None
        return status, slots, bound


def _at_most_k_counter(m: cp_model.CpModel, lits: list[Any], k: int) -> None:
    """Sinz's sequential counter for sum(lits) <= k: s[i][j] = at least j+1 of lits[0..i] are true."""
    prev: list[Any] = []
    for i, lit in enumerate(lits):
        cur = [m.new_bool_var("") for _ in range(min(k, i + 1))]
        m.add_implication(lit, cur[0])
        for j in range(len(cur)):
            if j < len(prev):
                m.add_implication(prev[j], cur[j])
            if j >= 1 and j - 1 < len(prev):
                m.add_bool_or([lit.Not(), prev[j - 1].Not(), cur[j]])
        if len(prev) == k:
            m.add_bool_or([lit.Not(), prev[k - 1].Not()])
        prev = cur


def _perfect_matching(options: list[list[int]]) -> bool:
    """True if every item can get a distinct value from its options."""
    return match(range(len(options)), dict(enumerate(options))) is not None


def _min_is_zero(inst: B2BInstance) -> bool:
    """True when some participant can never have a break (at most one meeting)."""
    return any(len(inst.meetings_of(p)) <= 1 for p in range(1, inst.n_business + 1))
