#!/usr/bin/env python
"""Web load benchmark: the directory, company and statistics pages under 50 concurrent clients, side by side
with a bare Django view (``/ping/``: no database, no template) on the same server, which is the ceiling.

    make bench-web            # or: .venv/bin/python bench/web/run.py [--seconds 15] [--clients 50] [--workers 4]

It serves the demo world (``manage.py seed_demo`` must have run) with gunicorn as ``make run`` does, drives it
from one asyncio process with aiohttp, and prints requests per second and p50/p95 latency per scenario, the
ratio to the bare view, and whether the goal (p95 < 100 ms and >= 50 % of the bare view's throughput) is met.
"Hot" scenarios request the same public URL again and again (served from the page cache after the first
hit, as on the festival's opening hour); "varied" scenarios pick a different search, page or company each time,
so most requests miss the cache and run the queries. Both client and server share this machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
GOAL_P95_MS = 100.0
GOAL_RATIO = 0.5
SEARCH_TERMS = [
    "반도체",
    "소프트웨어",
    "의료기기",
    "로봇",
    "전자부품",
    "ERP",
    "게임",
    "주차",
    "화장품",
    "LED",
    "클라우드",
    "디자인",
    "계측기",
    "애니메이션",
    "컨설팅",
    "IoT",
    "모터",
    "섬유",
    "패션",
    "바이오",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def company_ids() -> list[int]:
    db = Path(os.environ.get("GVALLEY_VAR_DIR", ROOT / "var")) / "gvalley.sqlite3"
    if os.environ.get("DATABASE_URL"):
        import django

        sys.path.insert(0, str(ROOT / "src"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gvalley.settings")
        django.setup()
        from gvalley.directory.models import Company

        return list(Company.objects.values_list("pk", flat=True))
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM directory_company")]


def scenarios(ids: list[int]) -> list[tuple[str, object]]:
    rng = random.Random(7)

    def search() -> str:
        term = rng.choice(SEARCH_TERMS)
        extra = rng.choice(["", "&complex=3", "&complex=2", "&size=small", "&sort=-employees"])
        return f"/directory/?q={quote(term)}{extra}&page={rng.randint(1, 3)}"

    def listing() -> str:
        return f"/directory/?complex={rng.randint(1, 3)}&page={rng.randint(1, 150)}"

    def company() -> str:
        return f"/directory/companies/{rng.choice(ids)}/"

    return [
        ("bare view /ping/ (ceiling)", "/ping/"),
        ("directory, hot (/directory/)", "/directory/"),
        ("statistics, hot", "/directory/statistics/"),
        ("company page, hot", f"/directory/companies/{ids[len(ids) // 2]}/"),
        ("directory listing, varied pages", listing),
        ("directory search, varied (Korean terms)", search),
        ("company page, varied (10,737 companies)", company),
    ]


async def run_load(base: str, target: object, seconds: float, clients: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)

    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                path = target() if callable(target) else target
                t0 = time.perf_counter()
                try:
                    async with session.get(path, allow_redirects=False) as resp:
                        await resp.read()
                        if resp.status != 200:
                            errors += 1
                            continue
                except (TimeoutError, aiohttp.ClientError):
                    errors += 1
                    continue
                latencies.append((time.perf_counter() - t0) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else float("nan")

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=3.0)
    args = parser.parse_args()

    ids = company_ids()
    if not ids:
        print("No companies: run `make demo` (manage.py seed_demo) first.")
        return 2
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DEBUG": "0"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "gvalley.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--preload",
            "--log-level",
            "error",
            "--graceful-timeout",
            "5",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        lines = [
            f"G-Valley Hub web benchmark — {datetime.now():%Y-%m-%d %H:%M}",
            f"server: gunicorn, {args.workers} sync workers, --preload; database: "
            f"{'PostgreSQL' if os.environ.get('DATABASE_URL', '').startswith('postgres') else 'SQLite (WAL)'}; "
            f"{len(ids):,} companies; {os.cpu_count()} cores shared by client and server",
            f"load: {args.clients} concurrent clients, {args.seconds:.0f} s per scenario after {args.warmup:.0f} s warm-up",
            "",
            f"{'scenario':42} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs bare':>8} {'goal':>5}",
        ]
        print("\n".join(lines), flush=True)
        bare_rps = None
        all_ok = True
        for name, target in scenarios(ids):
            asyncio.run(run_load(base, target, args.warmup, args.clients))
            result = asyncio.run(run_load(base, target, args.seconds, args.clients))
            if bare_rps is None:
                bare_rps = result["rps"]
            ratio = result["rps"] / bare_rps if bare_rps else float("nan")
            ok = (
                result["p95"] < GOAL_P95_MS
                and (ratio >= GOAL_RATIO or name.startswith("bare"))
                and not result["errors"]
            )
            all_ok &= ok or name.startswith("bare")
            line = (
                f"{name:42} {result['rps']:8.0f} {result['p50']:8.1f} {result['p95']:8.1f} {result['p99']:8.1f} "
                f"{result['errors']:7d} {ratio * 100:7.0f}% {'yes' if ok else 'NO':>5}"
            )
            lines.append(line)
            print(line, flush=True)
        lines += [
            "",
            f"goal: p95 < {GOAL_P95_MS:.0f} ms and >= {GOAL_RATIO:.0%} of the bare view's req/s — "
            f"{'met by every scenario' if all_ok else 'NOT met by every scenario (see the goal column)'}",
        ]
        print(lines[-1])
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"web-{datetime.now():%Y%m%d-%H%M}.txt").write_text("\n".join(lines) + "\n")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
