"""One call for the whole product pipeline: choose pairs, then schedule them."""

from __future__ import annotations

import time
from dataclasses import replace

from .io import Instance
from .model import ScheduleResult, SelectionResult
from .pairs import ScoreFn, select_pairs
from .product import schedule


def plan(inst: Instance, score: ScoreFn | None = None) -> tuple[SelectionResult | None, ScheduleResult]:
    """Select pairs (unless `inst.pairs` is given) and schedule them within `inst.time_limit` in total."""
    t0 = time.monotonic()
    sel = None
    pairs = inst.pairs
    if pairs is None:
        sel = select_pairs(inst.selection, score, time_limit=max(1.0, inst.time_limit * 0.1))
        pairs = sel.pairs
    si = inst.schedule_input(pairs)
    si = replace(si, time_limit=max(0.5, inst.time_limit - (time.monotonic() - t0)))
    res = schedule(si)
    res.seconds = time.monotonic() - t0
    return sel, res
