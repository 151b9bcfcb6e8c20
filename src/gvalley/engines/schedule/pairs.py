"""Pair selection: which buyer-seller pairs should meet (before slots are chosen)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from .model import PairChoice, Participant, Rejection, SelectionInput, SelectionResult

ScoreFn = Callable[[Participant, Participant], float]


def _label(kind: str) -> str:
    return "buyer" if kind == "buyer" else "seller"


def select_pairs(
    inp: SelectionInput, score: ScoreFn | None = None, time_limit: float = 10.0
) -> SelectionResult:
    """Choose the pairs that should meet.

    Rules: a "no" from either side is a veto; organiser-excluded pairs never meet; organiser-fixed pairs
    weigh most; a "must"/"want" of the buyer weighs more than the seller's; pairs that met before are
    dropped on request; participants with too few requested pairs get recommendations (from
    `inp.similarity` or `score`); every participant gets at most ``max_meetings`` pairs and, where
    possible, at least ``min_meetings``.  Every requested pair that is not chosen gets a reason.  With ``inp.deterministic`` the solver uses one worker, a fixed
    seed and ``time_limit`` as CP-SAT deterministic time, so the same input always gives the same choice.
    """
    w = inp.weights
    buyers = {b.id: b for b in inp.buyers}
    sellers = {s.id: s for s in inp.sellers}
    levels: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    rejected: list[Rejection] = []
    for pr in inp.preferences:
        if pr.buyer not in buyers or pr.seller not in sellers:
            continue
        levels[(pr.buyer, pr.seller)][pr.side] = pr.level
    # lists, not sets, wherever the order reaches the model: the same input gives the same model
    fixed_list = [(b, s) for b, s in dict.fromkeys(inp.fixed_pairs) if b in buyers and s in sellers]
    fixed = set(fixed_list)
    for key in fixed_list:
        levels[key].setdefault("organiser", "fixed")
    blocked: set[tuple[str, str]] = set()
    candidates: dict[tuple[str, str], PairChoice] = {}
    for key in sorted(inp.excluded_pairs):
        if key[0] in buyers and key[1] in sellers:
            blocked.add(key)
            rejected.append(Rejection(key[0], key[1], "excluded", "excluded by the organiser"))
    for key, lv in levels.items():
        b, s = key
        if key in blocked:
            continue
        veto = [side for side in ("buyer", "seller") if lv.get(side) == "no"]
        if veto:
            blocked.add(key)
            who = " and ".join(f"{_label(v)}" for v in veto)
            rejected.append(Rejection(b, s, "veto", f"vetoed by {who}"))
            continue
        if key in fixed:
            candidates[key] = PairChoice(b, s, w.fixed, "fixed")
            continue
        if inp.exclude_met_before and key in inp.met_before:
            blocked.add(key)
            rejected.append(Rejection(b, s, "met_before", "the pair met at an earlier event"))
            continue
        weight = {"must": w.buyer_must, "want": w.buyer_want}.get(lv.get("buyer", ""), 0)
        weight += {"must": w.seller_must, "want": w.seller_want}.get(lv.get("seller", ""), 0)
        if weight:
            prio = "must" if "must" in (lv.get("buyer"), lv.get("seller")) else "want"
            candidates[key] = PairChoice(b, s, weight, prio)  # type: ignore[arg-type]
    if inp.exclude_met_before:
        blocked |= {k for k in inp.met_before if k not in fixed}
    # recommendations for participants whose preferences are missing or too few
    sim = inp.similarity

    def pair_score(b: str, s: str) -> float:
        if sim is not None:
            return float(sim.get((b, s), 0.0))
        if score is not None:
            return float(score(buyers[b], sellers[s]))
        return 0.0

    if inp.recommendations > 0 and (sim is not None or score is not None):
        count: dict[str, int] = defaultdict(int)
        for b, s in candidates:
            count[b] += 1
            count[s] += 1
        stated = {k[0] for k, lv in levels.items() if "buyer" in lv} | {
            k[1] for k, lv in levels.items() if "seller" in lv
        }
        for group, others, is_buyer in ((buyers, sellers, True), (sellers, buyers, False)):
            for pid, part in group.items():
                want = max(part.min_meetings, inp.recommendations if pid not in stated else 0)
                if count[pid] >= want:
                    continue
                scored = []
                for oid in others:
                    key = (pid, oid) if is_buyer else (oid, pid)
                    if key in candidates or key in blocked:
                        continue
                    sc = pair_score(*key)
                    if sc >= inp.min_score:
                        scored.append((-sc, oid, key))
                scored.sort()
                for neg, _oid, key in scored[: want - count[pid]]:
                    sc = -neg
                    candidates[key] = PairChoice(
                        key[0], key[1], w.recommended + round(w.recommended_scale * sc), "recommended", sc
                    )
                    count[key[0]] += 1
                    count[key[1]] += 1
    chosen, reasons = _choose(list(candidates.values()), buyers, sellers, time_limit, inp.deterministic)
    rejected += reasons
    return SelectionResult(pairs=chosen, rejected=rejected)


def _choose(
    cands: list[PairChoice],
    buyers: dict[str, Participant],
    sellers: dict[str, Participant],
    time_limit: float,
    deterministic: bool = False,
) -> tuple[list[PairChoice], list[Rejection]]:
    """Max-weight choice under per-participant max (hard) and min (soft, heavily weighted)."""
    m = cp_model.CpModel()
    z = [m.new_bool_var(f"z{i}") for i in range(len(cands))]
    by: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        by[c.buyer].append(i)
        by[c.seller].append(i)
    short = []
    big = 1 + sum(c.weight for c in cands)
    parts = {**buyers, **sellers}
    for pid, idx in by.items():
        p = parts[pid]
        if p.max_meetings is not None and len(idx) > p.max_meetings:
            m.add(sum(z[i] for i in idx) <= p.max_meetings)
        if p.min_meetings:
            sh = m.new_int_var(0, p.min_meetings, f"short_{pid}")
            m.add(sum(z[i] for i in idx) + sh >= p.min_meetings)
            short.append(sh)
    # fixed pairs first, then the rest by weight
    fixed_w = big * 10
    m.maximize(
        sum((fixed_w if c.priority == "fixed" else c.weight) * z[i] for i, c in enumerate(cands))
        - big * sum(short)
    )
    s = cp_model.CpSolver()
    if deterministic:  # one worker, fixed seed, deterministic budget: the same choice among equal optima
        s.parameters.num_workers = 1
        s.parameters.random_seed = 0
        s.parameters.max_deterministic_time = time_limit
        s.parameters.max_time_in_seconds = max(5.0, 20 * time_limit)
    else:
        s.parameters.max_time_in_seconds = time_limit
        s.parameters.num_workers = 2
    r = s.solve(m)
    if r not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # pragma: no cover - the model is always feasible
        return cands, []
    chosen = [c for i, c in enumerate(cands) if s.boolean_value(z[i])]
    load: dict[str, int] = defaultdict(int)
    for c in chosen:
        load[c.buyer] += 1
        load[c.seller] += 1
    rej = []
    for i, c in enumerate(cands):
        if s.boolean_value(z[i]):
            continue
        full = [
            f"{kind} at max meetings ({parts[pid].max_meetings})"
            for kind, pid in (("buyer", c.buyer), ("seller", c.seller))
            if parts[pid].max_meetings is not None and load[pid] >= parts[pid].max_meetings  # type: ignore[operator]
        ]
        code = "max_meetings" if full else "not_selected"
        rej.append(
            Rejection(c.buyer, c.seller, code, "; ".join(full) or "lower weight than the chosen pairs")
        )
    return chosen, rej
