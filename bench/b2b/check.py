"""Independent checker for B2B benchmark schedules.

It re-parses the .dzn file itself (no import of the engine) and verifies constraints 1-7 of
bench/b2b README / /work/shared/bench/b2b/README.md, then recomputes the number of breaks.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path


def _read(path: str | Path) -> dict[str, object]:
    text = "\n".join(line.split("%", 1)[0] for line in Path(path).read_text(encoding="utf-8").splitlines())
    out: dict[str, object] = {}
    for name, body in re.findall(r"([A-Za-z_]\w*)\s*=\s*(.*?);", text, flags=re.S):
        body = body.strip()
        if body.startswith("[|"):
            rows = list(body[2:].rstrip("]").rstrip("|").split("|"))
            out[name] = [
                [int(v) for v in r.replace(" ", "").split(",") if v.strip()] for r in rows if r.strip(" ,\n")
            ]
        elif body.startswith("["):
            inner = body[1:-1].strip()
            if "{" in inner:
                sets = re.findall(r"\{([^}]*)\}", inner)
                vals = []
                for s in sets:
                    items: set[int] = set()
                    for part in s.split(","):
                        part = part.strip()
                        if not part:
                            continue
                        if ".." in part:
                            lo, hi = part.split("..")
                            items.update(range(int(lo), int(hi) + 1))
                        else:
                            items.add(int(part))
                    vals.append(items)
                out[name] = vals
            else:
                out[name] = [int(v) for v in inner.replace("\n", "").split(",") if v.strip()]
        else:
            out[name] = int(body)
    return out


def check(path: str | Path, slots: list[int], d: int) -> tuple[list[str], int]:
    """Return (violations, total breaks) of `slots` (1-based slot per meeting) for the file at `path`."""
    data = _read(path)
    nb = int(data["nBusiness"])  # type: ignore[arg-type]
    nm = int(data["nMeetings"])  # type: ignore[arg-type]
    tables = int(data["nTables"])  # type: ignore[arg-type]
    total = int(data["nTotalSlots"])  # type: ignore[arg-type]
    morning = int(data["nMorningSlots"])  # type: ignore[arg-type]
    req: list[list[int]] = data["requested"]  # type: ignore[assignment]
    forbidden: list[set[int]] = data.get("forbidden") or [set() for _ in range(nb)]  # type: ignore[assignment]
    fixed: list[int] = data.get("fixed") or [0] * nm  # type: ignore[assignment]
    prec: list[set[int]] = data.get("precedences") or [set() for _ in range(nm)]  # type: ignore[assignment]
    errors: list[str] = []
    if len(req) != nm:
        errors.append(f"file: {len(req)} requested rows but nMeetings = {nm}")
    if len(slots) != nm:
        return errors + [f"schedule has {len(slots)} slots for {nm} meetings"], -1
    per_slot: dict[int, int] = defaultdict(int)
    busy: dict[int, list[int]] = defaultdict(list)
    for m, ((a, b, sess), t) in enumerate(zip(req, slots, strict=True), start=1):
        if not 1 <= t <= total:
            errors.append(f"meeting {m}: slot {t} outside 1..{total}")
            continue
        per_slot[t] += 1
        busy[a].append(t)
        busy[b].append(t)
        if sess == 1 and t > morning:  # 3. sessions
            errors.append(f"meeting {m}: session 1 (morning) at slot {t}")
        if sess == 2 and t <= morning:
            errors.append(f"meeting {m}: session 2 (afternoon) at slot {t}")
        for p in (a, b):  # 4. forbidden slots (0 is a placeholder)
            if t in forbidden[p - 1] and t != 0:
                errors.append(f"meeting {m}: participant {p} forbidden at slot {t}")
        if fixed[m - 1] and fixed[m - 1] != t:  # 5. fixed meetings
            errors.append(f"meeting {m}: fixed to {fixed[m - 1]} but at {t}")
        for j in prec[m - 1]:  # 6. precedences (not shifted)
            if not slots[j - 1] < t:
                errors.append(f"meeting {j} must precede meeting {m}: slots {slots[j - 1]} and {t}")
    for t, n in per_slot.items():  # 2. tables
        if n > tables:
            errors.append(f"slot {t}: {n} meetings > {tables} tables")
    breaks = []
    for p in range(1, nb + 1):  # 1. no double booking
        ts = sorted(busy[p])
        if len(ts) != len(set(ts)):
            errors.append(f"participant {p}: two meetings in one slot {ts}")
        u = sorted(set(ts))
        breaks.append(sum(1 for x, y in zip(u, u[1:], strict=False) if y > x + 1))
    if breaks and max(breaks) > min(breaks) + d:  # 7. fairness
        errors.append(f"fairness: breaks range {min(breaks)}..{max(breaks)} exceeds d = {d}")
    return errors, sum(breaks)


if __name__ == "__main__":
    import json

    f, dd, sched = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    errs, obj = check(f, sched, dd)
    print(json.dumps({"errors": errs, "objective": obj}))
    sys.exit(1 if errs else 0)
