"""Generator of realistic buyer x seller export-consultation instances.

    python -m gvalley.engines.schedule generate --buyers 30 --sellers 80 --days 3 --zones 2 \\
        --interpreters 4 --seed 1 -o gvalley.json

Buyers come from abroad (their availability is office hours in their own zone), sellers are G-Valley
companies in Seoul; preferences follow industries, with a few vetoes and pairs that met before.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, datetime, time, timedelta

from .io import Instance, instance_to_dict, make_slots
from .model import Interpreter, Interval, Participant, Preference, SelectionInput

# (country, zone, language)
ZONES = [
    ("MY", "Asia/Kuala_Lumpur", "ms"),
    ("ID", "Asia/Jakarta", "id"),
    ("VN", "Asia/Ho_Chi_Minh", "vi"),
    ("TH", "Asia/Bangkok", "th"),
    ("IN", "Asia/Kolkata", "en"),
    ("JP", "Asia/Tokyo", "ja"),
    ("US", "America/Los_Angeles", "en"),
    ("DE", "Europe/Berlin", "de"),
]
INDUSTRIES = ["semiconductor", "software", "medical", "cosmetics", "food", "machinery", "content", "energy"]


def generate(
    buyers: int = 30,
    sellers: int = 80,
    days: int = 3,
    zones: int = 2,
    interpreters: int = 4,
    seed: int = 1,
    capacity: int | None = None,
    buyer_requests: tuple[int, int] = (2, 4),
    seller_requests: tuple[int, int] = (0, 1),
    buyer_max: int | None = 8,
    seller_max: int | None = 5,
    english_share: float = 0.3,
    start: date = date(2021, 10, 26),
    time_limit: float = 30.0,
) -> Instance:
    """A random but realistic instance (deterministic for a given seed)."""
    rng = random.Random(seed)
    day_list: list[date] = []
    d = start
    while len(day_list) < days:
        if d.weekday() < 5:
            day_list.append(d)
        d += timedelta(days=1)
    slots = make_slots(day_list)
    zone_set = ZONES[: max(1, zones)]
    langs_needed: set[str] = set()
    bs: list[Participant] = []
    industry: dict[str, str] = {}
    for i in range(buyers):
        country, tz, lang = zone_set[i % len(zone_set)]
        if rng.random() < english_share:
            lang = "en"
        if lang not in ("en",):
            langs_needed.add(lang)
        avail = []
        for day in day_list:
            if rng.random() < 0.85:  # present that day, office hours in their own zone
                h0 = rng.choice([8, 9, 9, 10])
                h1 = rng.choice([15, 16, 17, 17, 18])
                avail.append(Interval(datetime.combine(day, time(h0)), datetime.combine(day, time(h1))))
        if not avail:
            day = rng.choice(day_list)
            avail.append(Interval(datetime.combine(day, time(9)), datetime.combine(day, time(17))))
        bid = f"B{i + 1:04d}"
        industry[bid] = rng.choice(INDUSTRIES)
        bs.append(
            Participant(
                bid,
                "buyer",
                f"Buyer {i + 1} ({country})",
                tz,
                tuple(avail),
                min_meetings=2 if buyer_max else 0,
                max_meetings=buyer_max,
                language=lang,
            )
        )
    ss: list[Participant] = []
    for i in range(sellers):
        avail = []
        for day in day_list:
            r = rng.random()
            if r < 0.75:
                avail.append(Interval(datetime.combine(day, time(9)), datetime.combine(day, time(18))))
            elif r < 0.9:
                h = rng.choice([(9, 12), (13, 18)])
                avail.append(Interval(datetime.combine(day, time(h[0])), datetime.combine(day, time(h[1]))))
        if not avail:
            avail.append(
                Interval(datetime.combine(day_list[0], time(9)), datetime.combine(day_list[0], time(18)))
            )
        sid = f"S{i + 1:04d}"
        industry[sid] = rng.choice(INDUSTRIES)
        ss.append(
            Participant(
                sid,
                "seller",
                f"G-Valley company {i + 1}",
                "Asia/Seoul",
                tuple(avail),
                min_meetings=1 if seller_max else 0,
                max_meetings=seller_max,
            )
        )
    by_ind: dict[str, list[str]] = {}
    for s in ss:
        by_ind.setdefault(industry[s.id], []).append(s.id)
    prefs: list[Preference] = []
    wanted: set[tuple[str, str]] = set()
    for b in bs:
        n = rng.randint(*buyer_requests)
        pool = by_ind.get(industry[b.id], []) + [s.id for s in rng.sample(ss, min(len(ss), 6))]
        for k, sid in enumerate(rng.sample(pool, min(n, len(pool)))):
            if (b.id, sid) in wanted:
                continue
            wanted.add((b.id, sid))
            prefs.append(Preference(b.id, sid, "buyer", "must" if k < 2 else "want"))
    for s in ss:
        n = rng.randint(*seller_requests)
        cands = [b.id for b in bs if industry[b.id] == industry[s.id]] or [b.id for b in bs]
        for bid in rng.sample(cands, min(n, len(cands))):
            prefs.append(Preference(bid, s.id, "seller", rng.choice(["must", "want", "want"])))
            wanted.add((bid, s.id))
    # a few vetoes (mostly sellers declining) and pairs that met at an earlier edition
    for bid, sid in rng.sample(sorted(wanted), max(1, len(wanted) // 40)):
        prefs.append(Preference(bid, sid, rng.choice(["seller", "seller", "buyer"]), "no"))
    met = set(rng.sample(sorted(wanted), max(1, len(wanted) // 50)))
    sim: dict[tuple[str, str], float] = {}
    if buyers * sellers <= 200_000:
        for b in bs:
            for s in ss:
                base = 0.55 if industry[b.id] == industry[s.id] else 0.05
                sim[(b.id, s.id)] = round(min(1.0, base + rng.random() * 0.4), 3)
    ints: list[Interpreter] = []
    langs = sorted(langs_needed) or ["ms"]
    for i in range(interpreters):
        ls = {langs[i % len(langs)]}
        if rng.random() < 0.6:  # Malay and Indonesian are close: many interpreters work in both
            ls.add(rng.choice(langs))
        hours = tuple(
            Interval(datetime.combine(day, time(9)), datetime.combine(day, time(18)))
            for day in day_list
            if rng.random() < 0.95
        ) or (Interval(datetime.combine(day_list[0], time(9)), datetime.combine(day_list[0], time(18))),)
        ints.append(
            Interpreter(f"I{i + 1:03d}", frozenset(ls), f"Interpreter {i + 1}", "Asia/Seoul", hours, 4)
        )
    sel = SelectionInput(
        buyers=bs,
        sellers=ss,
        preferences=prefs,
        met_before=met,
        exclude_met_before=True,
        similarity=sim or None,
        recommendations=2,
    )
    if capacity is None:  # rooms: about 1.5 x the average number of meetings per slot
        expected = min(buyers * sum(buyer_requests) / 2, sellers * (seller_max or 5))
        capacity = max(4, int(1.5 * expected / len(slots)) + 1)
    return Instance(
        slots=slots,
        selection=sel,
        capacity=capacity,
        interpreters=ints,
        fairness=2,
        no_interpreter_languages=frozenset({"", "ko", "en"}),
        time_limit=time_limit,
        seed=seed,
    )


def generate_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m gvalley.engines.schedule generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--buyers", type=int, default=30)
    ap.add_argument("--sellers", type=int, default=80)
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--zones", type=int, default=2, help="number of buyer time zones (1-8)")
    ap.add_argument("--interpreters", type=int, default=4)
    ap.add_argument("--capacity", type=int, default=None, help="video rooms (meetings per slot)")
    ap.add_argument("--buyer-requests", type=int, nargs=2, default=(2, 4), metavar=("MIN", "MAX"))
    ap.add_argument("--seller-requests", type=int, nargs=2, default=(0, 1), metavar=("MIN", "MAX"))
    ap.add_argument("--buyer-max", type=int, default=8)
    ap.add_argument("--seller-max", type=int, default=5)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", default="-", help="file (default stdout)")
    a = ap.parse_args(argv)
    inst = generate(
        a.buyers,
        a.sellers,
        a.days,
        a.zones,
        a.interpreters,
        a.seed,
        a.capacity,
        tuple(a.buyer_requests),
        tuple(a.seller_requests),
        a.buyer_max,
        a.seller_max,
        time_limit=a.time_limit,
    )
    text = json.dumps(instance_to_dict(inst), ensure_ascii=False)
    if a.output == "-":
        sys.stdout.write(text + "\n")
    else:
        with open(a.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    return 0
