"""Command line: benchmark files (--dzn), product instances (solve) and the generator (generate)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import fields
from typing import Any

from .b2b import B2BOptions
from .b2b_solve import solve_b2b
from .dzn import DznError, read_dzn


def _dzn_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m gvalley.engines.schedule",
        description="Solve a B2B benchmark file; prints one JSON object. "
        "Other commands: 'solve INSTANCE.json', 'generate ...' (see their --help).",
    )
    ap.add_argument("--dzn", required=True, help="MiniZinc data file of the B2B benchmark")
    ap.add_argument("--fairness", "-d", type=int, default=2, help="fairness bound d (default 2)")
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    ap.add_argument("--options", default="", help="JSON object of B2BOptions fields (for tuning experiments)")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    opts = B2BOptions()
    if args.options:
        known = {f.name for f in fields(B2BOptions)}
        for k, v in json.loads(args.options).items():
            if k not in known:
                ap.error(f"unknown option {k}")
            setattr(opts, k, tuple(v) if k == "subsolvers" else v)
    try:
        inst = read_dzn(args.dzn)
    except (OSError, DznError) as e:
        print(json.dumps({"status": "error", "error": str(e)}))
        return 2
    res = solve_b2b(inst, args.fairness, args.time_limit - (time.monotonic() - t0), opts)
    out: dict[str, Any] = {
        "status": res.status,
        "objective": res.objective,
        "seconds": round(time.monotonic() - t0, 3),
        "slots": res.slots,
    }
    print(json.dumps(out))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "solve":
        from .cli_product import solve_main

        return solve_main(argv[1:])
    if argv and argv[0] == "generate":
        from .generate import generate_main

        return generate_main(argv[1:])
    return _dzn_main(argv)


if __name__ == "__main__":
    sys.exit(main())
