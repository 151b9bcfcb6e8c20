"""민원 처리기간 (processing deadlines) under the Korean administrative rules.

Pure Python, no Django.  The rules implemented (see ``docs/deadlines.md`` for the full text, in Korean
with an English summary):

* ``immediate`` ("즉시") = 3 working hours from the effective moment of receipt.
* ``hours`` periods, and ``days`` periods of 5 days or less, are counted in **working hours** from the
  moment of receipt: 1 day = 8 working hours; a working day is 09:00-12:00 and 13:00-18:00 (Asia/Seoul);
  Saturdays, Sundays and public holidays are not counted.  Receipt outside working hours starts the
  clock at the next working hour.
* ``days`` periods of 6 days or more are counted in **working days**, the first day (day of receipt)
  included; the period ends at the end of the last working day (18:00).  Receipt at or after 18:00, or on
  a non-working day, makes the next working day the first day.
* ``weeks`` / ``months`` / ``years`` run by the calendar with the first day included (the rules of
  민법 제159조~제161조 as adapted by the 민원 rules): the period ends on the day before the corresponding
  day of the last week/month/year; if the last month has no corresponding day, at the end of that month;
  if the last day is a Saturday, Sunday or public holiday, on the next working day; at 18:00.
* Public holidays = the ``holidays`` package's South Korea calendar (substitute and the temporary
  holidays it knows) plus ad-hoc holidays supplied by the caller (``extra_holidays``).

All datetimes are timezone-aware; results are in Asia/Seoul.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal, cast, get_args
from zoneinfo import ZoneInfo

__all__ = [
    "SEOUL",
    "USUAL_PERIODS",
    "DueDate",
    "HolidayCalendar",
    "Period",
    "Recomputation",
    "Reminder",
    "Remaining",
    "add_working_hours",
    "due",
    "due_with_rule",
    "effective_receipt",
    "elapsed_calendar_days",
    "is_working_day",
    "next_working_day",
    "recompute",
    "reminder_points",
    "remaining",
    "subtract_working_hours",
    "thirty_day_notice_at",
    "working_hours_between",
]

SEOUL = ZoneInfo("Asia/Seoul")

WORK_START = time(9, 0)
LUNCH_START = time(12, 0)
LUNCH_END = time(13, 0)
WORK_END = time(18, 0)
#: Working intervals of a working day, as (start, end) wall-clock times in Asia/Seoul.
WORK_INTERVALS: tuple[tuple[time, time], ...] = ((WORK_START, LUNCH_START), (LUNCH_END, WORK_END))
HOURS_PER_DAY = 8
IMMEDIATE_HOURS = 3
#: Periods of at most this many days are counted in working hours, longer ones in working days.
MAX_HOURS_COUNTED_DAYS = 5
#: The progress notice to the filer is due when a request is still open this many calendar days after receipt.
PROGRESS_NOTICE_DAYS = 30

Unit = Literal["immediate", "hours", "days", "weeks", "months", "years"]
Rule = Literal["immediate", "working-hours", "working-days", "calendar"]
_UNITS: tuple[str, ...] = get_args(Unit)

# A loop guard: no realistic period needs more than this many consecutive non-working days.
_MAX_SCAN_DAYS = 366 * 50


# --------------------------------------------------------------------------------------------------------
# Holidays
# --------------------------------------------------------------------------------------------------------

_package_lock = threading.Lock()
_package_cache: dict[int, dict[date, str]] = {}


def _package_holidays(year: int) -> dict[date, str]:
    """South Korea public holidays of ``year`` from the ``holidays`` package (cached, thread-safe)."""
    cached = _package_cache.get(year)
    if cached is not None:
        return cached
    with _package_lock:
        cached = _package_cache.get(year)
        if cached is None:
            import holidays  # imported lazily: the package is only needed for date maths

            kr = holidays.country_holidays("KR", years=year, language="ko")
            cached = {d: str(name) for d, name in kr.items()}
            _package_cache[year] = cached
    return cached


class HolidayCalendar:
    """Saturdays, Sundays, the package's Korean public holidays and ad-hoc holidays.

    ``extra`` are the temporary holidays designated by the cabinet that the operator enters (they may or
    may not already be in the installed ``holidays`` package; adding one twice is harmless).
    ``use_package=False`` gives a calendar of weekends plus ``extra`` only; ``removed`` drops dates of the
    package calendar (what-if checks, e.g. "the calendar as it was before 2024-10-01 was designated").
    An ad-hoc holiday in ``extra`` always counts, even when it is also in ``removed``.
    """

    __slots__ = ("_extra", "_removed", "use_package")

    def __init__(
        self,
        extra: Iterable[date] = (),
        *,
        use_package: bool = True,
        removed: Iterable[date] = (),
    ) -> None:
        self._extra: frozenset[date] = frozenset(_as_date(d) for d in extra)
        self._removed: frozenset[date] = frozenset(_as_date(d) for d in removed)
        self.use_package = use_package

    @property
    def extra(self) -> frozenset[date]:
        return self._extra

    def with_extra(self, extra: Iterable[date]) -> HolidayCalendar:
        """A new calendar with more ad-hoc holidays."""
        more = frozenset(_as_date(d) for d in extra)
        if not more:
            return self
        return HolidayCalendar(self._extra | more, use_package=self.use_package, removed=self._removed)

    def holiday_name(self, d: date) -> str | None:
        """The name of the public holiday on ``d`` (not counting plain weekends), or None."""
        if d in self._extra:
            return "임시공휴일 (ad-hoc holiday)"
        if d in self._removed:
            return None
        if self.use_package:
            return _package_holidays(d.year).get(d)
        return None

    def is_holiday(self, d: date) -> bool:
        return self.holiday_name(d) is not None

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and not self.is_holiday(d)

    def __repr__(self) -> str:
        extra = ", ".join(sorted(d.isoformat() for d in self._extra))
        return f"HolidayCalendar(extra=[{extra}], use_package={self.use_package})"


_DEFAULT_CALENDAR = HolidayCalendar()


def _calendar(calendar: HolidayCalendar | None, extra_holidays: Iterable[date]) -> HolidayCalendar:
    base = calendar if calendar is not None else _DEFAULT_CALENDAR
    return base.with_extra(extra_holidays)


def _as_date(d: date | str) -> date:
    if isinstance(d, datetime):
        return d.astimezone(SEOUL).date() if d.tzinfo else d.date()
    if isinstance(d, date):
        return d
    return date.fromisoformat(str(d))


def is_working_day(
    d: date, *, extra_holidays: Iterable[date] = (), calendar: HolidayCalendar | None = None
) -> bool:
    """True when ``d`` is neither a Saturday, a Sunday nor a public (or ad-hoc) holiday."""
    return _calendar(calendar, extra_holidays).is_working_day(_as_date(d))


def next_working_day(
    d: date,
    *,
    include_self: bool = False,
    extra_holidays: Iterable[date] = (),
    calendar: HolidayCalendar | None = None,
) -> date:
    """The first working day after ``d`` (or ``d`` itself when ``include_self`` and it is one)."""
    return _next_working_day(_calendar(calendar, extra_holidays), _as_date(d), include_self=include_self)


def _next_working_day(cal: HolidayCalendar, d: date, *, include_self: bool) -> date:
    cur = d if include_self else d + timedelta(days=1)
    for _ in range(_MAX_SCAN_DAYS):
        if cal.is_working_day(cur):
            return cur
        cur += timedelta(days=1)
    raise ValueError("no working day found: the calendar marks every day as a holiday")


# --------------------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------------------

_PERIOD_RE = re.compile(r"^\s*(\d+)\s*([a-z가-힣]+)\s*$")
_UNIT_ALIASES: dict[str, Unit] = {
    "h": "hours",
    "hour": "hours",
    "hours": "hours",
    "시간": "hours",
    "d": "days",
    "day": "days",
    "days": "days",
    "일": "days",
    "w": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "주": "weeks",
    "주일": "weeks",
    "m": "months",
    "month": "months",
    "months": "months",
    "월": "months",
    "개월": "months",
    "y": "years",
    "year": "years",
    "years": "years",
    "년": "years",
}


@dataclass(frozen=True)
class Period:
    """A processing period: ``Period(7, "days")``, ``Period(1, "months")``, ``Period(0, "immediate")``.

    For ``immediate`` the amount is ignored (즉시 = 3 working hours).
    """

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.unit not in _UNITS:
            raise ValueError(f"unknown period unit {self.unit!r}; expected one of {', '.join(_UNITS)}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError("Period.amount must be an int")
        if self.unit != "immediate" and self.amount <= 0:
            raise ValueError("a processing period must be positive")
        if self.amount < 0:
            raise ValueError("a processing period must not be negative")

    @classmethod
    def immediate(cls) -> Period:
        return cls(0, "immediate")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``"5d"``, ``"3h"``, ``"2w"``, ``"1m"``, ``"1y"``, ``"immediate"``, ``"즉시"``, ``"7일"``, ``"1개월"``."""
        s = text.strip().lower()
        if s in {"immediate", "즉시", "now", "0"}:
            return cls.immediate()
        m = _PERIOD_RE.match(s)
        if not m or m.group(2) not in _UNIT_ALIASES:
            raise ValueError(f"cannot parse period {text!r} (examples: 3h, 5d, 14d, 2w, 1m, 1y, immediate)")
        return cls(int(m.group(1)), _UNIT_ALIASES[m.group(2)])

    @property
    def rule(self) -> Rule:
        """Which counting rule applies to this period."""
        if self.unit == "immediate":
            return "immediate"
        if self.unit == "hours" or (self.unit == "days" and self.amount <= MAX_HOURS_COUNTED_DAYS):
            return "working-hours"
        if self.unit == "days":
            return "working-days"
        return "calendar"

    @property
    def working_hours(self) -> int | None:
        """The number of working hours for hour-counted periods, else None."""
        if self.unit == "immediate":
            return IMMEDIATE_HOURS
        if self.unit == "hours":
            return self.amount
        if self.rule == "working-hours":
            return self.amount * HOURS_PER_DAY
        return None

    def __str__(self) -> str:
        if self.unit == "immediate":
            return "즉시 (immediate)"
        return f"{self.amount} {self.unit}"


#: The usual processing periods by kind of 민원 (DESIGN §7); the grievances app makes them configurable per
#: category and uses these as defaults.
USUAL_PERIODS: dict[str, Period] = {
    "건의": Period(14, "days"),  # suggestions on systems and operations
    "질의-법령": Period(14, "days"),  # questions on laws
    "질의-제도절차": Period(7, "days"),  # questions on systems and procedures
    "고충": Period(7, "days"),  # grievances
    "기타": Period.immediate(),  # simple requests: 즉시
}


# --------------------------------------------------------------------------------------------------------
# Working-time arithmetic
# --------------------------------------------------------------------------------------------------------


def _aware_seoul(dt: datetime, name: str = "datetime") -> datetime:
    if not isinstance(dt, datetime):
        raise TypeError(f"{name} must be a datetime")
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        raise ValueError(f"{name} must be timezone-aware (e.g. tzinfo=ZoneInfo('Asia/Seoul'))")
    return dt.astimezone(SEOUL)


def _at(d: date, t: time) -> datetime:
    return datetime.combine(d, t, tzinfo=SEOUL)


def _intervals(cal: HolidayCalendar, d: date) -> list[tuple[datetime, datetime]]:
    if not cal.is_working_day(d):
        return []
    return [(_at(d, a), _at(d, b)) for a, b in WORK_INTERVALS]


def _intervals_from(cal: HolidayCalendar, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Working intervals clipped to begin at ``start`` or later, in order."""
    d = start.date()
    for _ in range(_MAX_SCAN_DAYS):
        for a, b in _intervals(cal, d):
            if b <= start:
                continue
            yield (max(a, start), b)
        d += timedelta(days=1)
    raise ValueError("no working time found: the calendar marks every day as a holiday")


def _intervals_before(cal: HolidayCalendar, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Working intervals clipped to end at ``end`` or earlier, in reverse order."""
    d = end.date()
    for _ in range(_MAX_SCAN_DAYS):
        for a, b in reversed(_intervals(cal, d)):
            if a >= end:
                continue
            yield (a, min(b, end))
        d -= timedelta(days=1)
    raise ValueError("no working time found: the calendar marks every day as a holiday")


def _next_working_moment(cal: HolidayCalendar, dt: datetime) -> datetime:
    """``dt`` itself when it lies inside working time, else the start of the next working interval."""
    a, _b = next(_intervals_from(cal, dt))
    return a


def effective_receipt(
    received_at: datetime, *, extra_holidays: Iterable[date] = (), calendar: HolidayCalendar | None = None
) -> datetime:
    """The moment the clock starts: ``received_at`` during working hours, else the next working hour.

    Working time is the half-open intervals [09:00, 12:00) and [13:00, 18:00) of working days, so receipt at
    12:00 starts at 13:00 and receipt at 18:00 starts at 09:00 on the next working day.
    """
    cal = _calendar(calendar, extra_holidays)
    return _next_working_moment(cal, _aware_seoul(received_at, "received_at"))


def _to_timedelta(hours: float | timedelta) -> timedelta:
    return hours if isinstance(hours, timedelta) else timedelta(hours=hours)


def _add_working(cal: HolidayCalendar, start: datetime, amount: timedelta) -> datetime:
    if amount < timedelta(0):
        return _sub_working(cal, start, -amount)
    if amount == timedelta(0):
        return _next_working_moment(cal, start)
    left = amount
    for a, b in _intervals_from(cal, start):
        span = b - a
        if left <= span:
            return a + left
        left -= span
    raise AssertionError("unreachable")  # pragma: no cover


def _sub_working(cal: HolidayCalendar, end: datetime, amount: timedelta) -> datetime:
    if amount <= timedelta(0):
        return end
    left = amount
    for a, b in _intervals_before(cal, end):
        span = b - a
        if left <= span:
            return b - left
        left -= span
    raise AssertionError("unreachable")  # pragma: no cover


def add_working_hours(
    start: datetime,
    hours: float | timedelta,
    *,
    extra_holidays: Iterable[date] = (),
    calendar: HolidayCalendar | None = None,
) -> datetime:
    """The moment at which ``hours`` working hours have elapsed after ``start``.

    When the count ends exactly at the end of a working interval the result is that end (12:00 or 18:00),
    not the start of the next one.
    """
    cal = _calendar(calendar, extra_holidays)
    return _add_working(cal, _aware_seoul(start, "start"), _to_timedelta(hours))


def subtract_working_hours(
    end: datetime,
    hours: float | timedelta,
    *,
    extra_holidays: Iterable[date] = (),
    calendar: HolidayCalendar | None = None,
) -> datetime:
    """The latest moment ``t <= end`` with ``hours`` working hours between ``t`` and ``end``."""
    cal = _calendar(calendar, extra_holidays)
    return _sub_working(cal, _aware_seoul(end, "end"), _to_timedelta(hours))


def _working_between(cal: HolidayCalendar, start: datetime, end: datetime) -> timedelta:
    if end < start:
        return -_working_between(cal, end, start)
    total = timedelta(0)
    d = start.date()
    while d <= end.date():
        for a, b in _intervals(cal, d):
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                total += hi - lo
        d += timedelta(days=1)
    return total


def working_hours_between(
    start: datetime,
    end: datetime,
    *,
    extra_holidays: Iterable[date] = (),
    calendar: HolidayCalendar | None = None,
) -> float:
    """Working hours between two moments (negative when ``end`` is before ``start``)."""
    cal = _calendar(calendar, extra_holidays)
    delta = _working_between(cal, _aware_seoul(start, "start"), _aware_seoul(end, "end"))
    return delta / timedelta(hours=1)


# --------------------------------------------------------------------------------------------------------
# Due dates
# --------------------------------------------------------------------------------------------------------


def _first_counted_day(cal: HolidayCalendar, received: datetime) -> date:
    """The first day of a day-counted or calendar period (the day of receipt, "첫날 산입").

    Receipt on a non-working day, or at/after 18:00, makes the next working day the first day;
    receipt before 09:00 on a working day keeps that day.
    """
    return _next_working_moment(cal, received).date()


def _add_months(d: date, months: int) -> tuple[date, bool]:
    """The corresponding day ``months`` later and whether it exists (else the month's last day)."""
    total = d.year * 12 + (d.month - 1) + months
    y, m = divmod(total, 12)
    m += 1
    last = _month_length(y, m)
    if d.day <= last:
        return date(y, m, d.day), True
    return date(y, m, last), False


def _month_length(y: int, m: int) -> int:
    nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return (nxt - date(y, m, 1)).days


def _calendar_last_day(first: date, period: Period) -> date:
    """Last day of a week/month/year period with the first day included (before the 토·공휴일 rule)."""
    if period.unit == "weeks":
        return first + timedelta(days=7 * period.amount - 1)
    months = period.amount * (12 if period.unit == "years" else 1)
    corresponding, exists = _add_months(first, months)
    if not exists:
        # 최종의 월에 해당일이 없는 때에는 그 월의 말일로 만료.
        return corresponding
    # 최후의 월/연에서 기산일에 해당한 날의 전일로 만료.
    return corresponding - timedelta(days=1)


@dataclass(frozen=True)
class DueDate:
    """A due moment with the rule that produced it (for display and audit)."""

    due: datetime
    rule: Rule
    period: Period
    received_at: datetime
    starts_at: datetime
    explanation: str
    skipped_holidays: tuple[tuple[date, str], ...] = field(default=())


def _holidays_between(cal: HolidayCalendar, a: date, b: date) -> tuple[tuple[date, str], ...]:
    out = []
    d = a
    while d <= b:
        name = cal.holiday_name(d)
        if name is not None:
            out.append((d, name))
        d += timedelta(days=1)
    return tuple(out)


def _fmt(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") + " (" + "월화수목금토일"[dt.weekday()] + ")"


def due_with_rule(
    received_at: datetime,
    period: Period,
    *,
    extra_holidays: Iterable[date] = (),
    calendar: HolidayCalendar | None = None,
) -> DueDate:
    """Like :func:`due`, also returning the rule used and a short explanation."""
    cal = _calendar(calendar, extra_holidays)
    received = _aware_seoul(received_at, "received_at")
    starts = _next_working_moment(cal, received)
    rule = period.rule
    if rule in ("immediate", "working-hours"):
        hours = period.working_hours
        assert hours is not None
        result = _add_working(cal, starts, timedelta(hours=hours))
        if rule == "immediate":
            why = f"즉시 = {IMMEDIATE_HOURS} working hours from {_fmt(starts)}"
        else:
            why = (
                f"≤{MAX_HOURS_COUNTED_DAYS} days: counted in working hours, {hours} h "
                f"(1 day = {HOURS_PER_DAY} h) from {_fmt(starts)}"
            )
    elif rule == "working-days":
        d = starts.date()
        for _ in range(period.amount - 1):
            d = _next_working_day(cal, d, include_self=False)
        result = _at(d, WORK_END)
        why = (
            f"≥6 days: counted in working days, first day {starts.date().isoformat()} included, "
            f"day {period.amount} ends at {WORK_END:%H:%M}"
        )
    else:
        first = _first_counted_day(cal, received)
        last = _calendar_last_day(first, period)
        end_day = _next_working_day(cal, last, include_self=True)
        result = _at(end_day, WORK_END)
        why = f"calendar period, first day {first.isoformat()} included, last day {last.isoformat()}"
        if end_day != last:
            why += f" is not a working day → ends {end_day.isoformat()}"
    skipped = _holidays_between(cal, received.date(), result.date())
    return DueDate(
        due=result,
        rule=rule,
        period=period,
        received_at=received,
        starts_at=starts,
        explanation=why,
        skipped_holidays=skipped,
    )


def due(
    received_at: datetime,
    period: Period,
    *,
    extra_holidays: Iterable[date] = (),
    calendar: HolidayCalendar | None = None,
) -> datetime:
    """The moment by which a 민원 received at ``received_at`` must be processed (Asia/Seoul)."""
    return due_with_rule(received_at, period, extra_holidays=extra_holidays, calendar=calendar).due


@dataclass(frozen=True)
class Recomputation:
    """The original and the adjusted due date after the holiday calendar changed.

    Callers store both: a deadline is never moved silently.
    """

    original_due: datetime
    adjusted_due: datetime
    added_holidays: tuple[date, ...]

    @property
    def changed(self) -> bool:
        return self.adjusted_due != self.original_due

    @property
    def delta(self) -> timedelta:
        return self.adjusted_due - self.original_due


def recompute(
    original_due: datetime,
    received_at: datetime,
    period: Period,
    extra_holidays: Iterable[date],
    *,
    calendar: HolidayCalendar | None = None,
) -> Recomputation:
    """Recompute a due date after ad-hoc holidays were designated (e.g. a cabinet 임시공휴일).

    ``extra_holidays`` is the complete set of ad-hoc holidays now in force.  The adjusted due date is the
    due date under the current calendar; ``added_holidays`` lists the holidays that fall between receipt
    and the adjusted due date and were not in the calendar used for ``original_due`` (best effort: those
    that are not in ``calendar``).
    """
    extra = frozenset(_as_date(d) for d in extra_holidays)
    base = calendar if calendar is not None else _DEFAULT_CALENDAR
    original = _aware_seoul(original_due, "original_due")
    adjusted = due(received_at, period, calendar=base.with_extra(extra))
    received = _aware_seoul(received_at, "received_at")
    lo, hi = received.date(), max(adjusted, original).date()
    added = tuple(sorted(d for d in extra if lo <= d <= hi and not base.is_holiday(d) and d.weekday() < 5))
    return Recomputation(original_due=original, adjusted_due=adjusted, added_holidays=added)


# --------------------------------------------------------------------------------------------------------
# Progress: remaining time, reminders, the 30-day notice
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Remaining:
    """Time left until a due moment, in working time and in calendar time (negative when overdue)."""

    working_hours: float
    calendar: timedelta

    @property
    def overdue(self) -> bool:
        return self.calendar < timedelta(0)

    @property
    def working_days(self) -> float:
        return self.working_hours / HOURS_PER_DAY


def remaining(
    now: datetime,
    due_at: datetime,
    *,
    extra_holidays: Iterable[date] = (),
    calendar: HolidayCalendar | None = None,
) -> Remaining:
    """Working hours and calendar time from ``now`` until ``due_at`` (negative once it has passed)."""
    n = _aware_seoul(now, "now")
    d = _aware_seoul(due_at, "due")
    hours = working_hours_between(n, d, extra_holidays=extra_holidays, calendar=calendar)
    return Remaining(working_hours=hours, calendar=d - n)


def elapsed_calendar_days(received_at: datetime, now: datetime) -> int:
    """Whole calendar days since the day of receipt (Asia/Seoul dates; the day of receipt is day 0)."""
    r = _aware_seoul(received_at, "received_at").date()
    n = _aware_seoul(now, "now").date()
    return (n - r).days


def thirty_day_notice_at(received_at: datetime) -> datetime:
    """When the filer must be told the progress if the request is still open: 30 calendar days after receipt.

    Returns the same wall-clock time (Asia/Seoul) 30 calendar days after receipt; holidays do not move it.
    """
    r = _aware_seoul(received_at, "received_at")
    naive = r.replace(tzinfo=None) + timedelta(days=PROGRESS_NOTICE_DAYS)
    return naive.replace(tzinfo=SEOUL)


@dataclass(frozen=True)
class Reminder:
    at: datetime
    kind: Literal["halfway", "one-working-day-before", "one-working-hour-before", "due"]
    label: str


def reminder_points(
    received_at: datetime,
    due_at: datetime,
    *,
    extra_holidays: Iterable[date] = (),
    calendar: HolidayCalendar | None = None,
) -> list[Reminder]:
    """Moments at which to remind the person in charge, in order.

    * ``halfway``: when half of the working time between (effective) receipt and due has elapsed
      (only when the period has at least 2 working days);
    * ``one-working-day-before``: 8 working hours before due (periods longer than 8 working hours), or
      ``one-working-hour-before`` for shorter periods (e.g. 즉시);
    * ``due``: the due moment itself (overdue alert from then on).
    """
    cal = _calendar(calendar, extra_holidays)
    start = _next_working_moment(cal, _aware_seoul(received_at, "received_at"))
    end = _aware_seoul(due_at, "due")
    total = _working_between(cal, start, end)
    out: list[Reminder] = []
    day = timedelta(hours=HOURS_PER_DAY)
    if total >= 2 * day:
        out.append(Reminder(_add_working(cal, start, total / 2), "halfway", "처리기간 절반 경과 (halfway)"))
    if total > day:
        out.append(
            Reminder(
                _sub_working(cal, end, day), "one-working-day-before", "마감 1근무일 전 (1 working day left)"
            )
        )
    elif total > timedelta(hours=1):
        out.append(
            Reminder(
                _sub_working(cal, end, timedelta(hours=1)),
                "one-working-hour-before",
                "마감 1근무시간 전 (1 working hour left)",
            )
        )
    out.append(Reminder(end, "due", "처리기한 도래 (due)"))
    out.sort(key=lambda r: r.at)
    return out


# --------------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------------


def _parse_moment(text: str) -> datetime:
    s = text.strip().replace("T", " ")
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"cannot parse date/time {text!r} (use 'YYYY-MM-DD HH:MM')")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=SEOUL)
    return dt


def _parse_period(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc))


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"cannot parse date {text!r} (use YYYY-MM-DD)")


def _extras(values: Sequence[str] | None) -> list[date]:
    out: list[date] = []
    for v in values or ():
        out.extend(_parse_date(p) for p in v.split(",") if p.strip())
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gvalley.engines.deadlines",
        description="민원 처리기한 계산 (Korean 민원 processing deadlines, Asia/Seoul).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p_due = sub.add_parser("due", help="due moment of a request")
    p_due.add_argument("received", type=_parse_moment, help="receipt, e.g. '2024-09-13 17:30' (Asia/Seoul)")
    p_due.add_argument("period", type=_parse_period, help="3h, 5d, 14d, 2w, 1m, 1y, immediate")
    p_due.add_argument("--extra", action="append", metavar="DATE[,DATE]", help="ad-hoc holiday(s)")
    p_due.add_argument("--json", action="store_true", help="machine-readable output")

    p_hours = sub.add_parser("hours", help="working hours between two moments")
    p_hours.add_argument("start", type=_parse_moment)
    p_hours.add_argument("end", type=_parse_moment)
    p_hours.add_argument("--extra", action="append", metavar="DATE[,DATE]")

    p_hol = sub.add_parser("holidays", help="list the non-working weekdays (public holidays) of a year")
    p_hol.add_argument("year", type=int)
    p_hol.add_argument("--extra", action="append", metavar="DATE[,DATE]")

    args = parser.parse_args(argv)
    try:
        extra = _extras(args.extra)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    cal = HolidayCalendar(extra)

    if args.command == "due":
        res = due_with_rule(args.received, args.period, calendar=cal)
        if args.json:
            payload = {
                "received_at": res.received_at.isoformat(),
                "starts_at": res.starts_at.isoformat(),
                "period": {"amount": res.period.amount, "unit": res.period.unit},
                "rule": res.rule,
                "due": res.due.isoformat(),
                "explanation": res.explanation,
                "holidays": [{"date": d.isoformat(), "name": n} for d, n in res.skipped_holidays],
            }
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            print(f"received : {_fmt(res.received_at)} Asia/Seoul")
            print(f"clock    : {_fmt(res.starts_at)}")
            print(f"period   : {res.period}")
            print(f"rule     : {res.rule} — {res.explanation}")
            for d, name in res.skipped_holidays:
                print(f"holiday  : {d.isoformat()} {name}")
            print(f"due      : {_fmt(res.due)}")
            print(res.due.isoformat())
        return 0
    if args.command == "hours":
        print(f"{working_hours_between(args.start, args.end, calendar=cal):g}")
        return 0
    if args.command == "holidays":
        d = date(args.year, 1, 1)
        while d.year == args.year:
            hname = cal.holiday_name(d)
            if hname is not None:
                print(f"{d.isoformat()} ({'월화수목금토일'[d.weekday()]}) {hname}")
            d += timedelta(days=1)
        return 0
    raise AssertionError(cast(str, args.command))  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
