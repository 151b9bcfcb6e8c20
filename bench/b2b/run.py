"""Run the B2B meeting-scheduling benchmark: 200 configurations against the published optima.

Each configuration runs in its own subprocess through the engine's command line
(`python -m gvalley.engines.schedule --dzn FILE --fairness D --time-limit S`); every returned schedule
is verified by the independent checker bench/b2b/check.py.  Output goes to stdout and to
bench/results/b2b-<date>.txt.

    .venv/bin/python bench/b2b/run.py [--only PATTERN] [--time-limit 60] [--jobs 1] [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import fnmatch
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from check import check  # noqa: E402

PUBLISHED_TOTAL = 787.0


def find_data(arg: str | None) -> Path:
    cands = [arg, os.environ.get("B2B_DATA"), str(HERE / "data"), "/work/shared/bench/b2b"]
    for c in cands:
        if c and (Path(c) / "answer_key.csv").is_file() and (Path(c) / "instances").is_dir():
            return Path(c)
    sys.exit("benchmark data not found: pass --data DIR (with answer_key.csv and instances/) or set B2B_DATA")


def configurations(data: Path) -> list[dict[str, object]]:
    out = []
    with open(data / "answer_key.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for col, cell in row.items():
                if col == "instance":
                    continue
                variant, dcol = col.split("/")
                value, _, secs = cell.partition(" ")
                # '?' = infeasible according to the paper's other methods
                key: int | None = None if value in ("-", "?") else int(value)
                out.append(
                    {
                        "instance": row["instance"],
                        "variant": variant,
                        "d": int(dcol[1:]),
                        "file": data / "instances" / f"{row['instance']}.{variant}.dzn",
                        "key": key,
                        "key_text": value,
                        "published": float(secs.strip("()s")),
                    }
                )
    return out


def run_one(cfg: dict[str, object], time_limit: float) -> dict[str, object]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [
        sys.executable,
        "-m",
        "gvalley.engines.schedule",
        "--dzn",
        str(cfg["file"]),
        "--fairness",
        str(cfg["d"]),
        "--time-limit",
        str(time_limit),
    ]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=time_limit + 120)
    wall = time.monotonic() - t0
    res: dict[str, object] = {**cfg, "wall": wall}
    try:
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        res.update(status="error", objective=None, seconds=wall, errors=[proc.stderr[-500:]], agree=False)
        return res
    res.update(status=out["status"], objective=out["objective"], seconds=float(out["seconds"]), errors=[])
    if out["status"] in ("optimal", "feasible"):
        errors, obj = check(str(cfg["file"]), out["slots"], int(cfg["d"]))  # type: ignore[arg-type]
        if obj != out["objective"]:
            errors.append(f"reported objective {out['objective']} but the checker counts {obj}")
        res["errors"] = errors
    key = cfg["key"]
    if out["status"] == "optimal":
        res["agree"] = key is not None and out["objective"] == key and not res["errors"]
    elif out["status"] == "infeasible":
        res["agree"] = key is None
    else:
        res["agree"] = False
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="*", help="glob on 'instance.variant/dD', e.g. 'forum-13*' or '*/d0'")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--jobs", type=int, default=1, help="parallel configurations (default 1: 2-core machine)")
    ap.add_argument("--data", default=None, help="directory with answer_key.csv and instances/")
    args = ap.parse_args()
    data = find_data(args.data)
    cfgs = [
        c
        for c in configurations(data)
        if fnmatch.fnmatch(f"{c['instance']}.{c['variant']}/d{c['d']}", args.only)
        or fnmatch.fnmatch(str(c["instance"]), args.only)
    ]
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    out_path = results_dir / f"b2b-{dt.date.today().isoformat()}.txt"
    lines: list[str] = []

    def emit(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    emit(
        f"B2B benchmark, {len(cfgs)} configurations, time limit {args.time_limit:g} s, jobs {args.jobs}, "
        f"{dt.datetime.now().isoformat(timespec='seconds')}, data {data}"
    )
    hdr = (
        f"{'instance':15s} {'variant':14s} {'d':>1s} {'status':10s} {'obj':>4s} {'seconds':>8s} {'wall':>7s} "
        f"{'key':>4s} {'agree':5s} {'MaxSAT s':>8s}"
    )
    emit(hdr)
    results = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for r in pool.map(lambda c: run_one(c, args.time_limit), cfgs):
            results.append(r)
            obj = "-" if r["objective"] is None else str(r["objective"])
            emit(
                f"{r['instance']!s:15s} {r['variant']!s:14s} {r['d']!s:>1s} {r['status']!s:10s} {obj:>4s} "
                f"{float(r['seconds']):8.2f} {float(r['wall']):7.2f} {r['key_text']!s:>4s} "
                f"{'yes' if r['agree'] else 'NO':5s} {float(r['published']):8.1f}"
                + (f"  ERRORS: {r['errors']}" if r["errors"] else "")
            )
    ok = sum(1 for r in results if r["agree"])
    secs = [float(r["seconds"]) for r in results]
    walls = [float(r["wall"]) for r in results]
    pub = sum(float(r["published"]) for r in results)
    emit("")
    emit(f"proven and agreeing with the key: {ok}/{len(results)}")
    emit(f"checker violations: {sum(1 for r in results if r['errors'])}")
    if results:
        emit(f"max seconds: {max(secs):.2f} (solver) / {max(walls):.2f} (process wall, incl. start-up)")
        emit(
            f"total seconds: {sum(secs):.1f} (solver) / {sum(walls):.1f} (process wall); "
            f"published MaxSAT total for these configurations {pub:.1f} s"
            + (f" (all 200: {PUBLISHED_TOTAL:g} s)" if len(results) == 200 else "")
        )
        over = [r for r in results if float(r["seconds"]) > 60]
        emit(f"configurations over 60 s: {len(over)}")
    misses = [r for r in results if not r["agree"]]
    for r in misses:
        emit(
            f"MISS {r['instance']}.{r['variant']} d={r['d']}: {r['status']} {r['objective']} key {r['key_text']}"
        )
    out_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {out_path}")
    return 0 if ok == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
