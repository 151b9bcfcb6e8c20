"""Reader for the MiniZinc data files (.dzn) of the B2B meeting-scheduling benchmark."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

DznValue: TypeAlias = "int | bool | frozenset[int] | list[DznValue]"

_TOKEN = re.compile(r"\s*(?:(-?\d+)|(\.\.)|([A-Za-z_][A-Za-z0-9_]*)|(\[\||\|\]|[\[\]{}|,;=]))")


class DznError(ValueError):
    """Raised when a data file cannot be parsed or is inconsistent."""


def _strip_comments(text: str) -> str:
    return "\n".join(line.split("%", 1)[0] for line in text.splitlines())


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    text = _strip_comments(text)
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise DznError(f"unexpected character {text[pos : pos + 20]!r}")
        tokens.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.toks = tokens
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        if self.i >= len(self.toks):
            raise DznError("unexpected end of file")
        tok = self.toks[self.i]
        if expected is not None and tok != expected:
            raise DznError(f"expected {expected!r}, got {tok!r}")
        self.i += 1
        return tok

    def int_(self) -> int:
        tok = self.take()
        try:
            return int(tok)
        except ValueError:
            raise DznError(f"expected an integer, got {tok!r}")

    def set_(self) -> frozenset[int]:
        self.take("{")
        items: set[int] = set()
        while self.peek() != "}":
            lo = self.int_()
            if self.peek() == "..":
                self.take("..")
                items.update(range(lo, self.int_() + 1))
            else:
                items.add(lo)
            if self.peek() == ",":
                self.take(",")
        self.take("}")
        return frozenset(items)

    def scalar(self) -> DznValue:
        tok = self.peek()
        if tok == "{":
            return self.set_()
        if tok in ("true", "false"):
            self.take()
            return tok == "true"
        lo = self.int_()
        if self.peek() == "..":  # a range used as a set
            self.take("..")
            return frozenset(range(lo, self.int_() + 1))
        return lo

    def value(self) -> DznValue:
        tok = self.peek()
        if tok == "[|":
            self.take()
            rows: list[DznValue] = []
            row: list[DznValue] = []
            while True:
                if self.peek() == "|]":
                    self.take()
                    break
                if self.peek() == "|":
                    self.take()
                    rows.append(row)
                    row = []
                    continue
                if self.peek() == ",":
                    self.take()
                    continue
                row.append(self.scalar())
            if row:
                rows.append(row)
            return rows
        if tok == "[":
            self.take()
            items: list[DznValue] = []
            while self.peek() != "]":
                items.append(self.scalar())
                if self.peek() == ",":
                    self.take(",")
            self.take("]")
            return items
        return self.scalar()


def parse_dzn(text: str) -> dict[str, DznValue]:
    """Parse MiniZinc data (ints, sets, 1-d and 2-d arrays) into a name → value dict."""
    p = _Parser(_tokenize(text))
    out: dict[str, DznValue] = {}
    while p.peek() is not None:
        name = p.take()
        if not re.match(r"[A-Za-z_]", name):
            raise DznError(f"expected a name, got {name!r}")
        p.take("=")
        out[name] = p.value()
        if p.peek() == ";":
            p.take(";")
    return out


@dataclass(frozen=True)
class B2BInstance:
    """One benchmark instance; participants, meetings and slots are 1-based as in the file."""

    name: str
    n_business: int
    n_tables: int
    n_slots: int
    n_morning: int
    meetings: tuple[tuple[int, int, int], ...]  # (participant a, participant b, session 1/2/3)
    forbidden: tuple[frozenset[int], ...]  # per participant (index p-1): forbidden slots
    fixed: tuple[int, ...]  # per meeting: slot or 0
    precedences: tuple[frozenset[int], ...]  # per meeting m: meetings that must come before m

    @property
    def n_meetings(self) -> int:
        return len(self.meetings)

    def meetings_of(self, p: int) -> list[int]:
        """0-based indices of the meetings of participant p (1-based)."""
        return [i for i, (a, b, _) in enumerate(self.meetings) if p in (a, b)]

    def session_slots(self, session: int) -> range:
        if session == 1:
            return range(1, self.n_morning + 1)
        if session == 2:
            return range(self.n_morning + 1, self.n_slots + 1)
        return range(1, self.n_slots + 1)


def _ints(v: DznValue, name: str) -> list[int]:
    if not isinstance(v, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in v):
        raise DznError(f"{name} must be an array of integers")
    return [int(x) for x in v]  # type: ignore[arg-type]


def _sets(v: DznValue, name: str) -> list[frozenset[int]]:
    if not isinstance(v, list) or not all(isinstance(x, frozenset) for x in v):
        raise DznError(f"{name} must be an array of sets")
    return [x for x in v if isinstance(x, frozenset)]


def instance_from_dzn(text: str, name: str = "") -> B2BInstance:
    """Build a checked instance from .dzn text."""
    d = parse_dzn(text)
    try:
        nb, nm, nt, ns, nmo = (
            d[k] for k in ("nBusiness", "nMeetings", "nTables", "nTotalSlots", "nMorningSlots")
        )
    except KeyError as e:
        raise DznError(f"missing {e.args[0]}")
    for k, v in (
        ("nBusiness", nb),
        ("nMeetings", nm),
        ("nTables", nt),
        ("nTotalSlots", ns),
        ("nMorningSlots", nmo),
    ):
        if not isinstance(v, int) or isinstance(v, bool):
            raise DznError(f"{k} must be an integer")
    assert isinstance(nb, int) and isinstance(nm, int) and isinstance(nt, int)
    assert isinstance(ns, int) and isinstance(nmo, int)
    req = d.get("requested")
    if not isinstance(req, list):
        raise DznError("requested must be a 2-d array")
    meetings: list[tuple[int, int, int]] = []
    for row in req:
        r = _ints(row, "requested row")
        if len(r) != 3:
            raise DznError(f"requested row {r} must have 3 columns")
        a, b, s = r
        if not (1 <= a <= nb and 1 <= b <= nb) or a == b or s not in (1, 2, 3):
            raise DznError(f"bad requested row {r}")
        meetings.append((a, b, s))
    if len(meetings) != nm:
        raise DznError(f"nMeetings = {nm} but requested has {len(meetings)} rows")
    forbidden_raw = _sets(d.get("forbidden", [frozenset()] * nb), "forbidden")
    if len(forbidden_raw) != nb:
        raise DznError("forbidden must have nBusiness entries")
    forbidden = tuple(frozenset(s for s in f if s != 0) for f in forbidden_raw)
    if any(not 1 <= s <= ns for f in forbidden for s in f):
        raise DznError("forbidden slot out of range")
    fixed = _ints(d.get("fixed", [0] * nm), "fixed")
    if len(fixed) != nm or any(not 0 <= f <= ns for f in fixed):
        raise DznError("fixed must have nMeetings entries in 0..nTotalSlots")
    prec = _sets(d.get("precedences", [frozenset()] * nm), "precedences")
    if len(prec) != nm or any(not 1 <= j <= nm for s in prec for j in s):
        raise DznError("precedences must have nMeetings entries of meeting numbers")
    if "nMeetingsBusiness" in d:
        counts = _ints(d["nMeetingsBusiness"], "nMeetingsBusiness")
        real = [sum(p in (a, b) for a, b, _ in meetings) for p in range(1, nb + 1)]
        if counts != real:
            raise DznError("nMeetingsBusiness disagrees with requested")
    if not 0 <= nmo <= ns:
        raise DznError("nMorningSlots out of range")
    return B2BInstance(
        name=name,
        n_business=nb,
        n_tables=nt,
        n_slots=ns,
        n_morning=nmo,
        meetings=tuple(meetings),
        forbidden=forbidden,
        fixed=tuple(fixed),
        precedences=tuple(prec),
    )


def read_dzn(path: str | Path) -> B2BInstance:
    """Read a benchmark instance from a .dzn file."""
    p = Path(path)
    return instance_from_dzn(p.read_text(encoding="utf-8"), name=p.name)
