"""JSON (plain dict) form of product instances and results, and a slot-calendar helper."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from .model import (
    EVENT_TZ,
    FixedMeeting,
    Interpreter,
    Interval,
    PairChoice,
    Participant,
    Precedence,
    Preference,
    ScheduleInput,
    ScheduleResult,
    SelectionInput,
    SelectionResult,
    Slot,
    Weights,
)


def make_slots(
    days: list[date],
    *,
    minutes: int = 30,
    morning: tuple[time, int] = (time(9, 0), 6),
    afternoon: tuple[time, int] = (time(13, 0), 8),
) -> list[Slot]:
    """Slots of `minutes` for each day: `morning` = (first start, count), then lunch, then `afternoon`.

    Times are naive wall-clock times in the event zone (Asia/Seoul).  Slot ids are ``D<day>-<index>``.
    """
    out: list[Slot] = []
    for di, day in enumerate(days, start=1):
        idx = 0
        for session, (first, count) in (("morning", morning), ("afternoon", afternoon)):
            start = datetime.combine(day, first)
            for _ in range(count):
                end = start + timedelta(minutes=minutes)
                out.append(Slot(f"D{di}-{idx:02d}", day, idx, start, end, session))  # type: ignore[arg-type]
                idx += 1
                start = end
    return out


@dataclass
class Instance:
    """A whole product instance: selection input plus what the scheduler needs."""

    slots: list[Slot]
    selection: SelectionInput
    capacity: int
    interpreters: list[Interpreter] = field(default_factory=list)
    pairs: list[PairChoice] | None = None  # when given, the selection step is skipped
    fixed: list[FixedMeeting] = field(default_factory=list)
    locked: list[FixedMeeting] = field(default_factory=list)
    precedences: list[Precedence] = field(default_factory=list)
    pair_sessions: dict[tuple[str, str], str] = field(default_factory=dict)
    fairness: int | None = 2
    no_interpreter_languages: frozenset[str] = frozenset({"", "ko"})
    time_limit: float = 30.0
    workers: int = 2
    seed: int = 0
    event_tz: str = EVENT_TZ

    def schedule_input(self, pairs: list[PairChoice]) -> ScheduleInput:
        return ScheduleInput(
            slots=self.slots,
            participants=self.selection.buyers + self.selection.sellers,
            pairs=pairs,
            capacity=self.capacity,
            interpreters=self.interpreters,
            fixed=self.fixed,
            locked=self.locked,
            precedences=self.precedences,
            pair_sessions=dict(self.pair_sessions),  # type: ignore[arg-type]
            fairness=self.fairness,
            no_interpreter_languages=self.no_interpreter_languages,
            time_limit=self.time_limit,
            workers=self.workers,
            seed=self.seed,
        )


def _dt(v: str) -> datetime:
    return datetime.fromisoformat(v)


def _intervals(rows: list[Any]) -> tuple[Interval, ...]:
    return tuple(Interval(_dt(a), _dt(b)) for a, b in rows)


def _participant(d: dict[str, Any]) -> Participant:
    return Participant(
        id=str(d["id"]),
        kind=d["kind"],
        name=d.get("name", ""),
        timezone=d.get("timezone", EVENT_TZ),
        availability=_intervals(d.get("availability", [])),
        forbidden_slots=frozenset(d.get("forbidden_slots", [])),
        min_meetings=int(d.get("min_meetings", 0)),
        max_meetings=d.get("max_meetings"),
        language=d.get("language", ""),
    )


def _meeting(d: dict[str, Any]) -> FixedMeeting:
    return FixedMeeting(
        str(d["buyer"]), str(d["seller"]), str(d["slot"]), d.get("interpreter"), d.get("room")
    )


def instance_from_dict(d: dict[str, Any]) -> Instance:
    ev = d.get("event", {})
    if "slots" in d:
        slots = [
            Slot(
                str(s["id"]),
                date.fromisoformat(s["day"]),
                int(s["index"]),
                _dt(s["start"]),
                _dt(s["end"]),
                s.get("session", "morning"),
            )
            for s in d["slots"]
        ]
    else:
        cal = d["calendar"]
        slots = make_slots(
            [date.fromisoformat(x) for x in cal["days"]],
            minutes=int(cal.get("minutes", 30)),
            morning=(
                time.fromisoformat(cal.get("morning", ["09:00", 6])[0]),
                int(cal.get("morning", ["09:00", 6])[1]),
            ),
            afternoon=(
                time.fromisoformat(cal.get("afternoon", ["13:00", 8])[0]),
                int(cal.get("afternoon", ["13:00", 8])[1]),
            ),
        )
    parts = [_participant(p) for p in d.get("participants", [])]
    sim = None
    if "similarity" in d:
        sim = {(str(b), str(s)): float(v) for b, s, v in d["similarity"]}
    sel = SelectionInput(
        buyers=[p for p in parts if p.kind == "buyer"],
        sellers=[p for p in parts if p.kind == "seller"],
        preferences=[
            Preference(str(p["buyer"]), str(p["seller"]), p["side"], p["level"])
            for p in d.get("preferences", [])
        ],
        fixed_pairs=[(str(b), str(s)) for b, s in d.get("fixed_pairs", [])],
        met_before={(str(b), str(s)) for b, s in d.get("met_before", [])},
        exclude_met_before=bool(d.get("exclude_met_before", False)),
        similarity=sim,
        recommendations=int(d.get("recommendations", 3)),
        min_score=float(d.get("min_score", 0.05)),
        weights=Weights(**d.get("weights", {})),
    )
    pairs = None
    if "pairs" in d:
        pairs = [
            PairChoice(
                str(p["buyer"]),
                str(p["seller"]),
                int(p.get("weight", 1)),
                p.get("priority", "want"),
                float(p.get("score", 0.0)),
            )
            for p in d["pairs"]
        ]
    return Instance(
        slots=slots,
        selection=sel,
        capacity=int(ev.get("capacity", 10)),
        interpreters=[
            Interpreter(
                str(i["id"]),
                frozenset(i.get("languages", [])),
                i.get("name", ""),
                i.get("timezone", EVENT_TZ),
                _intervals(i.get("availability", [])),
                int(i.get("max_consecutive", 4)),
            )
            for i in d.get("interpreters", [])
        ],
        pairs=pairs,
        fixed=[_meeting(x) for x in d.get("fixed", [])],
        locked=[_meeting(x) for x in d.get("locked", [])],
        precedences=[Precedence(tuple(x["before"]), tuple(x["after"])) for x in d.get("precedences", [])],  # type: ignore[arg-type]
        pair_sessions={(str(b), str(s)): v for b, s, v in d.get("pair_sessions", [])},
        fairness=ev.get("fairness", 2),
        no_interpreter_languages=frozenset(ev.get("no_interpreter_languages", ["", "ko"])),
        time_limit=float(ev.get("time_limit", 30.0)),
        workers=int(ev.get("workers", 2)),
        seed=int(ev.get("seed", 0)),
    )


def _plain(v: Any) -> Any:
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    if isinstance(v, frozenset | set):
        return sorted(_plain(x) for x in v)
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {("|".join(k) if isinstance(k, tuple) else k): _plain(x) for k, x in v.items()}
    if hasattr(v, "__dataclass_fields__"):
        return {f.name: _plain(getattr(v, f.name)) for f in fields(v)}
    if isinstance(v, float) and v != v:
        return None
    return v


def instance_to_dict(inst: Instance) -> dict[str, Any]:
    sel = inst.selection
    out: dict[str, Any] = {
        "event": {
            "timezone": inst.event_tz,
            "capacity": inst.capacity,
            "fairness": inst.fairness,
            "time_limit": inst.time_limit,
            "workers": inst.workers,
            "seed": inst.seed,
            "no_interpreter_languages": sorted(inst.no_interpreter_languages),
        },
        "slots": [_plain(s) for s in inst.slots],
        "participants": [
            {
                **_plain(p),
                "availability": [[iv.start.isoformat(), iv.end.isoformat()] for iv in p.availability],
            }
            for p in sel.buyers + sel.sellers
        ],
        "interpreters": [
            {
                **_plain(i),
                "availability": [[iv.start.isoformat(), iv.end.isoformat()] for iv in i.availability],
            }
            for i in inst.interpreters
        ],
        "preferences": [_plain(p) for p in sel.preferences],
        "fixed_pairs": [list(x) for x in sel.fixed_pairs],
        "met_before": sorted(list(x) for x in sel.met_before),
        "exclude_met_before": sel.exclude_met_before,
        "recommendations": sel.recommendations,
        "min_score": sel.min_score,
        "weights": asdict(sel.weights),
        "fixed": [_plain(x) for x in inst.fixed],
        "locked": [_plain(x) for x in inst.locked],
        "precedences": [_plain(x) for x in inst.precedences],
        "pair_sessions": [[b, s, v] for (b, s), v in inst.pair_sessions.items()],
    }
    if sel.similarity is not None:
        out["similarity"] = [[b, s, round(v, 4)] for (b, s), v in sel.similarity.items()]
    if inst.pairs is not None:
        out["pairs"] = [_plain(p) for p in inst.pairs]
    return out


def result_to_dict(sel: SelectionResult | None, res: ScheduleResult) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if sel is not None:
        out["selection"] = {"pairs": _plain(sel.pairs), "rejected": _plain(sel.rejected)}
    out["schedule"] = _plain(res)
    return out
