"""Typed data of the export-consultation engine (pair selection and scheduling); no Django."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

EVENT_TZ = "Asia/Seoul"

Kind = Literal["buyer", "seller"]
Level = Literal["must", "want", "no"]
Session = Literal["morning", "afternoon"]


@dataclass(frozen=True)
class Interval:
    """A time interval.  Naive datetimes are wall-clock times in the owner's own time zone."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Slot:
    """One meeting slot of the event.  Naive datetimes are in the event's zone (Asia/Seoul).

    Slots of one day with consecutive ``index`` values are adjacent for the break count (a lunch pause is not
    a slot, so meetings just before and just after lunch are consecutive).
    """

    id: str
    day: date
    index: int  # position within the day, 0-based, consecutive
    start: datetime
    end: datetime
    session: Session = "morning"


@dataclass(frozen=True)
class Participant:
    """A buyer or a seller (company)."""

    id: str
    kind: Kind
    name: str = ""
    timezone: str = EVENT_TZ
    availability: tuple[Interval, ...] = ()  # in the participant's own zone; empty = always available
    forbidden_slots: frozenset[str] = frozenset()  # slot ids
    min_meetings: int = 0
    max_meetings: int | None = None
    language: str = ""  # buyer's language; "" or "ko" = no interpreter needed


@dataclass(frozen=True)
class Interpreter:
    id: str
    languages: frozenset[str]
    name: str = ""
    timezone: str = EVENT_TZ
    availability: tuple[Interval, ...] = ()
    max_consecutive: int = 4  # at most this many meetings in consecutive slots of a day, then a free slot


@dataclass(frozen=True)
class Preference:
    """One side's wish about one buyer-seller pair."""

    buyer: str
    seller: str
    side: Kind
    level: Level


@dataclass(frozen=True)
class Weights:
    """Objective weights of the pair selection (buyer preference weighs more)."""

    buyer_must: int = 10
    buyer_want: int = 5
    seller_must: int = 6
    seller_want: int = 3
    fixed: int = 100  # organiser-fixed pairs
    recommended: int = 1  # a recommended pair: recommended + round(recommended_scale * score)
    recommended_scale: float = 2.0


@dataclass
class SelectionInput:
    buyers: list[Participant]
    sellers: list[Participant]
    preferences: list[Preference] = field(default_factory=list)
    fixed_pairs: list[tuple[str, str]] = field(default_factory=list)  # organiser-fixed (buyer, seller)
    excluded_pairs: set[tuple[str, str]] = field(default_factory=set)  # organiser-excluded (buyer, seller)
    met_before: set[tuple[str, str]] = field(default_factory=set)
    exclude_met_before: bool = False
    similarity: dict[tuple[str, str], float] | None = None  # pre-computed scores in [0, 1]
    recommendations: int = 3  # per participant without enough requested pairs
    min_score: float = 0.05
    weights: Weights = field(default_factory=Weights)
    deterministic: bool = False  # one worker and a fixed seed: the same choice on every run


@dataclass(frozen=True)
class PairChoice:
    buyer: str
    seller: str
    weight: int
    priority: Literal["fixed", "must", "want", "recommended"]
    score: float = 0.0


@dataclass(frozen=True)
class Rejection:
    """A requested (or recommended) pair that was not chosen or not scheduled, with the reason."""

    buyer: str
    seller: str
    code: str
    reason: str


@dataclass
class SelectionResult:
    pairs: list[PairChoice]
    rejected: list[Rejection]


@dataclass(frozen=True)
class FixedMeeting:
    """The organiser puts this pair in this slot (and optionally with this interpreter)."""

    buyer: str
    seller: str
    slot: str
    interpreter: str | None = None
    room: int | None = None


@dataclass(frozen=True)
class Precedence:
    """Pair `before` must be in a strictly earlier slot than pair `after` (both are (buyer, seller))."""

    before: tuple[str, str]
    after: tuple[str, str]


@dataclass
class ScheduleInput:
    slots: list[Slot]
    participants: list[Participant]
    pairs: list[PairChoice]
    capacity: int  # meetings per slot (video rooms)
    interpreters: list[Interpreter] = field(default_factory=list)
    fixed: list[FixedMeeting] = field(default_factory=list)
    locked: list[FixedMeeting] = field(default_factory=list)  # kept exactly (re-optimisation)
    precedences: list[Precedence] = field(default_factory=list)
    pair_sessions: dict[tuple[str, str], Session] = field(
        default_factory=dict
    )  # pair restricted to a session
    fairness: int | None = 2  # each participant's breaks within d of the minimum (soft objective level)
    no_interpreter_languages: frozenset[str] = frozenset({"", "ko"})
    time_limit: float = 30.0
    workers: int = 2
    seed: int = 0
    # Deterministic budget: one worker, seed `seed`, and `time_limit` counted in CP-SAT's deterministic time
    # (``max_deterministic_time`` per solve, roughly seconds of one core): the same input gives the same
    # schedule on every machine and under any load (the wall-clock time varies).
    deterministic: bool = False


@dataclass(frozen=True)
class Progress:
    """What the scheduler is doing, for a progress bar (see :data:`ProgressFn`)."""

    level: str  # "start", one of the five levels, "interpreters" (second stage) or "done"
    step: int  # 0 start, 1..5 the level's rank, 6 done
    fraction: float  # share of the time limit used so far, 0..1
    solutions: int = 0  # solutions found by the current solve
    objective: float | None = None  # of the current solve's level
    bound: float | None = None  # proven bound of the current solve's level
    day: date | None = None  # the day being solved (levels 2 and 4 are solved day by day)


#: Called by :func:`schedule` at every level and at every solution CP-SAT finds.  It may be called from one of
#: CP-SAT's threads: keep it short and thread-safe (e.g. store the event; another thread writes it out).
ProgressFn = Callable[[Progress], None]


@dataclass(frozen=True)
class ScheduledMeeting:
    buyer: str
    seller: str
    slot: str
    day: date
    index: int
    room: int
    interpreter: str | None
    locked: bool = False


@dataclass
class ScheduleResult:
    status: Literal["optimal", "feasible", "infeasible", "unknown"]
    meetings: list[ScheduledMeeting]
    unscheduled: list[Rejection]
    breaks: dict[str, int]  # participant id -> breaks (summed over days)
    objective: dict[str, float]  # level name -> value
    bounds: dict[str, float]  # level name -> proven bound
    gap: float  # relative gap of the first non-optimal level (0 when optimal)
    seconds: float
    message: str = ""
    stats: dict[str, object] = field(default_factory=dict)
    gap_level: str = ""  # the level `gap` is about ("" when optimal)
