"""`python -m gvalley.engines.schedule solve instance.json`: selection + scheduling, JSON out."""

from __future__ import annotations

import argparse
import json
import sys

from .io import instance_from_dict, result_to_dict
from .service import plan


def solve_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m gvalley.engines.schedule solve",
        description="Choose pairs and schedule them; prints the JSON result.",
    )
    ap.add_argument("instance", help="JSON instance ('-' = stdin); see docs/engines/schedule.md")
    ap.add_argument("--time-limit", type=float, default=None, help="override the instance's time limit")
    ap.add_argument("--summary", action="store_true", help="print a short summary instead of the full result")
    args = ap.parse_args(argv)
    if args.instance == "-":
        raw = json.load(sys.stdin)
    else:
        with open(args.instance, encoding="utf-8") as fh:
            raw = json.load(fh)
    inst = instance_from_dict(raw)
    if args.time_limit is not None:
        inst.time_limit = args.time_limit
    sel, res = plan(inst)
    if args.summary:
        print(
            json.dumps(
                {
                    "status": res.status,
                    "meetings": len(res.meetings),
                    "unscheduled": len(res.unscheduled),
                    "objective": res.objective,
                    "bounds": res.bounds,
                    "gap": res.gap,
                    "seconds": round(res.seconds, 3),
                }
            )
        )
    else:
        print(json.dumps(result_to_dict(sel, res), ensure_ascii=False))
    return 0
