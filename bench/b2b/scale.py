"""Scale figures of the product scheduler on generated instances.

    .venv/bin/python bench/b2b/scale.py [--only gvalley|kotra] [--seeds 3] [--kotra-limit 60]

* G-Valley size: 30 buyers x 80 sellers, 3 days, 2 buyer time zones, 4 interpreters (target: proven optimal
  in less than 5 s);
* KOTRA size: 1,000 buyers x 1,300 sellers, about 2,400 meetings, 3 days (target: less than 60 s, gap <= 1 %).

Prints one line per instance and appends them to bench/results/b2b-scale-<date>.txt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from gvalley.engines.schedule import generate, plan  # noqa: E402


def run(label: str, seed: int, limit: float, **kw: object) -> str:
    t0 = time.monotonic()
    inst = generate(seed=seed, time_limit=limit, **kw)  # type: ignore[arg-type]
    gen = time.monotonic() - t0
    sel, res = plan(inst)
    total = time.monotonic() - t0
    requested = len(sel.pairs) if sel else len(inst.pairs or [])
    obj = ", ".join(f"{k}={v:g}" for k, v in res.objective.items() if v == v)
    bnd = ", ".join(f"{k}={v:g}" for k, v in res.bounds.items() if v == v)
    return (
        f"{label:8s} seed={seed} status={res.status:8s} seconds={res.seconds:6.2f} (generation {gen:.2f}, "
        f"total {total:.2f}) pairs={requested} meetings={len(res.meetings)} unscheduled={len(res.unscheduled)} "
        f"gap={100 * res.gap:.2f}% objective[{obj}] bounds[{bnd}] decomposed={res.stats.get('decomposed')}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["gvalley", "kotra"], default=None)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--gvalley-limit", type=float, default=5.0)
    ap.add_argument(
        "--kotra-limit", type=float, default=58.0, help="engine time limit (the wall clock adds ~1 s)"
    )
    args = ap.parse_args()
    lines = [f"scale run {dt.datetime.now().isoformat(timespec='seconds')}"]
    print(lines[0], flush=True)
    if args.only in (None, "gvalley"):
        for seed in range(1, args.seeds + 1):
            line = run(
                "gvalley", seed, args.gvalley_limit, buyers=30, sellers=80, days=3, zones=2, interpreters=4
            )
            print(line, flush=True)
            lines.append(line)
    if args.only in (None, "kotra"):
        for seed in range(1, max(1, args.seeds // 3) + 1):
            line = run(
                "kotra",
                seed,
                args.kotra_limit,
                buyers=1000,
                sellers=1300,
                days=3,
                zones=6,
                interpreters=60,
                buyer_requests=(1, 3),
                seller_requests=(0, 1),
                buyer_max=5,
                seller_max=4,
                english_share=0.5,
            )
            print(line, flush=True)
            lines.append(line)
    out = ROOT / "bench" / "results" / f"b2b-scale-{dt.date.today().isoformat()}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"appended to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
