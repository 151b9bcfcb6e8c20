"""Tests of the 민원 deadline engine: a hand-checked table, the helpers, Hypothesis properties, the CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gvalley.engines import deadlines as dl
from gvalley.engines.deadlines import (
    SEOUL,
    HolidayCalendar,
    Period,
    add_working_hours,
    due,
    due_with_rule,
    effective_receipt,
    elapsed_calendar_days,
    is_working_day,
    recompute,
    remaining,
    reminder_points,
    subtract_working_hours,
    thirty_day_notice_at,
    working_hours_between,
)


def kst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SEOUL)


# The calendar "as it was before the cabinet designated the temporary holidays": lets the tests show
# the effect of an ad-hoc holiday whatever version of the `holidays` package is installed (recent
# versions already list 2023-10-02, 2024-10-01 and 2025-01-27).
AD_HOC = [date(2023, 10, 2), date(2024, 10, 1), date(2025, 1, 27)]
BEFORE_DESIGNATION = HolidayCalendar(removed=AD_HOC)

# (case, received (KST), period, extra holidays, expected due (KST)) — every row worked out by hand.
CASES: list[tuple[str, str, str, list[date], str]] = [
    # --- ≤ 5 days: working hours (1 day = 8 h; 09-12, 13-18) ---
    ("3d from Tue mid-morning = 24 h", "2024-03-05 10:00", "3d", [], "2024-03-08 10:00"),
    ("1d from Fri 17:30 runs over the weekend", "2024-03-08 17:30", "1d", [], "2024-03-11 17:30"),
    ("1d received Saturday starts Mon 09:00", "2024-03-09 11:00", "1d", [], "2024-03-11 18:00"),
    ("1d received 12:30 (lunch) starts 13:00", "2024-03-06 12:30", "1d", [], "2024-03-07 12:00"),
    ("2d received 07:45 starts 09:00", "2024-03-06 07:45", "2d", [], "2024-03-07 18:00"),
    ("5d from Mon 09:00 ends Fri 18:00", "2024-03-04 09:00", "5d", [], "2024-03-08 18:00"),
    ("5d from Mon 10:00 ends next Mon 10:00", "2024-03-04 10:00", "5d", [], "2024-03-11 10:00"),
    ("1d from Mon 09:00 ends 18:00 same day", "2024-03-11 09:00", "1d", [], "2024-03-11 18:00"),
    ("3h received exactly 12:00 starts 13:00", "2024-03-06 12:00", "3h", [], "2024-03-06 16:00"),
    ("3h received exactly 18:00 starts next day", "2024-03-06 18:00", "3h", [], "2024-03-07 12:00"),
    ("Chuseok 2024: 5d from Fri 17:30", "2024-09-13 17:30", "5d", [date(2024, 10, 1)], "2024-09-25 17:30"),
    ("Chuseok 2024: 3d from Thu 14:00", "2024-09-12 14:00", "3d", [], "2024-09-20 14:00"),
    (
        "2024-10-01 ad-hoc + 10-03: 2d from Mon 10:00",
        "2024-09-30 10:00",
        "2d",
        [date(2024, 10, 1)],
        "2024-10-04 10:00",
    ),
    (
        "Seollal 2025 + 01-27 ad-hoc: 1d from Fri 15:00",
        "2025-01-24 15:00",
        "1d",
        [date(2025, 1, 27)],
        "2025-01-31 15:00",
    ),
    ("substitute holiday 2024-05-06: 1d from Fri 16:00", "2024-05-03 16:00", "1d", [], "2024-05-07 16:00"),
    ("Christmas 2024: 1d from Tue 14:00", "2024-12-24 14:00", "1d", [], "2024-12-26 14:00"),
    ("election day 2024-04-10, due exactly 12:00", "2024-04-09 13:00", "1d", [], "2024-04-11 12:00"),
    (
        "2023-10-02 ad-hoc after Chuseok: 1d",
        "2023-09-27 10:00",
        "1d",
        [date(2023, 10, 2)],
        "2023-10-04 10:00",
    ),
    # --- 즉시 = 3 working hours ---
    ("immediate across lunch", "2024-03-06 11:00", "immediate", [], "2024-03-06 15:00"),
    ("immediate overnight", "2024-03-06 16:30", "immediate", [], "2024-03-07 10:30"),
    ("immediate received Fri 19:00", "2024-03-08 19:00", "immediate", [], "2024-03-11 12:00"),
    ("immediate over 3·1절 substitute 2025-03-03", "2025-02-28 17:00", "immediate", [], "2025-03-04 11:00"),
    # --- ≥ 6 days: working days, first day included, ends 18:00 ---
    ("6d from Mon ends next Mon 18:00", "2024-03-04 10:00", "6d", [], "2024-03-11 18:00"),
    ("7d spanning Chuseok 2024", "2024-09-09 10:00", "7d", [], "2024-09-20 18:00"),
    ("7d received Saturday: first day = next working day", "2024-09-14 10:00", "7d", [], "2024-09-27 18:00"),
    ("7d received Fri 18:30: first day = Mon", "2024-03-08 18:30", "7d", [], "2024-03-19 18:00"),
    ("7d received Mon 08:00: Mon is day 1", "2024-03-11 08:00", "7d", [], "2024-03-19 18:00"),
    ("7d received Mon 17:59: Mon is day 1", "2024-03-11 17:59", "7d", [], "2024-03-19 18:00"),
    ("7d across Seollal 2025 incl. 01-27", "2025-01-23 10:00", "7d", [date(2025, 1, 27)], "2025-02-06 18:00"),
    ("10d across Seollal 2024 incl. substitute", "2024-02-07 15:00", "10d", [], "2024-02-22 18:00"),
    ("14d across Chuseok and 2024-10-01", "2024-09-11 10:00", "14d", [date(2024, 10, 1)], "2024-10-07 18:00"),
    # --- weeks / months / years: calendar, first day included ---
    ("1 month ending on a Sunday → Monday", "2024-05-03 10:00", "1m", [], "2024-06-03 18:00"),
    ("1 month from Jan 31 → end of February", "2024-01-31 10:00", "1m", [], "2024-02-29 18:00"),
    ("1 month from Jan 30 → end of February", "2024-01-30 10:00", "1m", [], "2024-02-29 18:00"),
    ("1 month from Jan 29 → Feb 28", "2024-01-29 10:00", "1m", [], "2024-02-28 18:00"),
    ("1 month received Saturday: first day Monday", "2024-06-01 10:00", "1m", [], "2024-07-02 18:00"),
    ("1 year ending on a substitute holiday", "2024-03-04 10:00", "1y", [], "2025-03-04 18:00"),
    ("2 weeks ending on Chuseok", "2024-09-04 10:00", "2w", [], "2024-09-19 18:00"),
    ("1 week ending on a Sunday", "2024-12-23 10:00", "1w", [], "2024-12-30 18:00"),
]


@pytest.mark.parametrize(
    ("received", "period", "extra", "expected"),
    [pytest.param(r, p, e, x, id=name) for name, r, p, e, x in CASES],
)
def test_due_table(received: str, period: str, extra: list[date], expected: str) -> None:
    got = due(kst(received), Period.parse(period), extra_holidays=extra)
    assert got == kst(expected)
    assert got.tzinfo is not None and got.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize(
    ("received", "period", "expected_without", "expected_with"),
    [
        ("2024-09-30 10:00", "2d", "2024-10-02 10:00", "2024-10-04 10:00"),
        ("2025-01-24 15:00", "1d", "2025-01-27 15:00", "2025-01-31 15:00"),
        ("2023-09-27 10:00", "1d", "2023-10-02 10:00", "2023-10-04 10:00"),
        ("2024-09-11 10:00", "14d", "2024-10-04 18:00", "2024-10-07 18:00"),
    ],
)
def test_ad_hoc_holiday_moves_the_due_date(
    received: str, period: str, expected_without: str, expected_with: str
) -> None:
    p = Period.parse(period)
    before = due(kst(received), p, calendar=BEFORE_DESIGNATION)
    assert before == kst(expected_without)
    after = due(kst(received), p, calendar=BEFORE_DESIGNATION, extra_holidays=AD_HOC)
    assert after == kst(expected_with)


def test_recompute_keeps_original_and_adjusted() -> None:
    received = kst("2024-09-11 10:00")
    period = Period(14, "days")
    original = due(received, period, calendar=BEFORE_DESIGNATION)
    rec = recompute(original, received, period, [date(2024, 10, 1)], calendar=BEFORE_DESIGNATION)
    assert rec.original_due == kst("2024-10-04 18:00")
    assert rec.adjusted_due == kst("2024-10-07 18:00")
    assert rec.changed and rec.delta == timedelta(days=3)
    assert rec.added_holidays == (date(2024, 10, 1),)
    # A holiday after the due date changes nothing.
    same = recompute(original, received, period, [date(2024, 11, 1)], calendar=BEFORE_DESIGNATION)
    assert not same.changed and same.added_holidays == ()


def test_rule_selection_and_explanation() -> None:
    assert Period(5, "days").rule == "working-hours"
    assert Period(6, "days").rule == "working-days"
    assert Period(3, "hours").rule == "working-hours"
    assert Period.immediate().rule == "immediate"
    assert Period(1, "months").rule == "calendar"
    assert Period(5, "days").working_hours == 40
    assert Period(7, "days").working_hours is None
    res = due_with_rule(kst("2024-09-13 17:30"), Period(5, "days"), extra_holidays=[date(2024, 10, 1)])
    assert res.rule == "working-hours"
    assert "40 h" in res.explanation
    assert [d for d, _ in res.skipped_holidays] == [date(2024, 9, 16), date(2024, 9, 17), date(2024, 9, 18)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5d", Period(5, "days")),
        ("14일", Period(14, "days")),
        ("3h", Period(3, "hours")),
        ("2w", Period(2, "weeks")),
        ("1개월", Period(1, "months")),
        ("1y", Period(1, "years")),
        ("즉시", Period.immediate()),
        ("immediate", Period(0, "immediate")),
    ],
)
def test_period_parse(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected


@pytest.mark.parametrize("bad", ["", "5", "d5", "0d", "-1d", "3 fortnights"])
def test_period_parse_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        Period.parse(bad)


def test_period_validation() -> None:
    with pytest.raises(ValueError):
        Period(0, "days")
    with pytest.raises(ValueError):
        Period(3, "fortnights")  # type: ignore[arg-type]


def test_usual_periods() -> None:
    assert dl.USUAL_PERIODS["건의"] == Period(14, "days")
    assert dl.USUAL_PERIODS["고충"].rule == "working-days"
    assert dl.USUAL_PERIODS["기타"].rule == "immediate"


def test_naive_datetime_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due(datetime(2024, 3, 6, 10, 0), Period(1, "days"))


def test_other_timezones_are_converted() -> None:
    received = datetime(2024, 3, 6, 1, 0, tzinfo=UTC)  # 10:00 KST
    assert due(received, Period(1, "days")) == kst("2024-03-07 10:00")


def test_is_working_day() -> None:
    assert is_working_day(date(2024, 9, 19))
    assert not is_working_day(date(2024, 9, 17))  # 추석
    assert not is_working_day(date(2024, 5, 6))  # 대체공휴일
    assert not is_working_day(date(2024, 3, 9))  # Saturday
    assert not is_working_day(date(2024, 3, 10))  # Sunday
    assert not is_working_day(date(2024, 10, 1), extra_holidays=[date(2024, 10, 1)])
    assert is_working_day(date(2024, 10, 1), calendar=BEFORE_DESIGNATION)
    assert not is_working_day(date(2026, 3, 12), extra_holidays=[date(2026, 3, 12)])
    assert is_working_day(date(2026, 3, 12))


def test_working_hours_between_and_inverses() -> None:
    assert working_hours_between(kst("2024-09-13 10:00"), kst("2024-09-19 10:00")) == 8
    assert working_hours_between(kst("2024-03-06 11:30"), kst("2024-03-06 13:30")) == 1
    assert working_hours_between(kst("2024-03-06 18:00"), kst("2024-03-06 09:00")) == -8
    assert working_hours_between(kst("2024-03-09 00:00"), kst("2024-03-10 23:59")) == 0
    start = kst("2024-09-13 17:30")
    end = add_working_hours(start, 40)
    assert end == kst("2024-09-25 17:30")
    assert subtract_working_hours(end, 40) == start
    assert subtract_working_hours(kst("2024-03-11 10:00"), 2) == kst("2024-03-08 17:00")
    assert effective_receipt(kst("2024-03-08 18:00")) == kst("2024-03-11 09:00")
    assert effective_receipt(kst("2024-03-06 12:59")) == kst("2024-03-06 13:00")
    assert effective_receipt(kst("2024-03-06 11:59")) == kst("2024-03-06 11:59")


def test_remaining() -> None:
    d = kst("2024-03-08 10:00")
    r = remaining(kst("2024-03-07 10:00"), d)
    assert r.working_hours == 8 and r.working_days == 1 and not r.overdue
    late = remaining(kst("2024-03-11 10:00"), d)
    assert late.overdue and late.working_hours == -8
    assert remaining(d, d).working_hours == 0 and not remaining(d, d).overdue


def test_reminder_points() -> None:
    received = kst("2024-09-11 10:00")
    d = due(received, Period(14, "days"))
    points = reminder_points(received, d)
    assert [p.kind for p in points] == ["halfway", "one-working-day-before", "due"]
    assert points[-1].at == d == kst("2024-10-07 18:00")
    # The start of the last 8 working hours: Mon 09:00 (not Fri 18:00, nobody reads it then).
    assert points[1].at == kst("2024-10-07 09:00")
    # Short periods get a "1 working hour before" reminder instead.
    r2 = kst("2024-03-06 11:00")
    quick = reminder_points(r2, due(r2, Period.immediate()))
    assert [(p.kind, p.at) for p in quick] == [
        ("one-working-hour-before", kst("2024-03-06 14:00")),
        ("due", kst("2024-03-06 15:00")),
    ]


def test_thirty_day_notice_and_elapsed_days() -> None:
    received = kst("2024-09-13 17:30")
    assert thirty_day_notice_at(received) == kst("2024-10-13 17:30")
    assert elapsed_calendar_days(received, kst("2024-09-13 23:59")) == 0
    assert elapsed_calendar_days(received, kst("2024-10-13 00:00")) == 30
    # Dates are Seoul dates even when the inputs are in UTC.
    assert elapsed_calendar_days(datetime(2024, 9, 13, 15, 30, tzinfo=UTC), kst("2024-09-15 08:00")) == 1


def test_cli_due(capsys: pytest.CaptureFixture[str]) -> None:
    assert dl.main(["due", "2024-09-13 17:30", "5d", "--extra", "2024-10-01"]) == 0
    out = capsys.readouterr().out
    assert "2024-09-25T17:30:00+09:00" in out
    assert "working-hours" in out
    assert dl.main(["due", "2024-09-11 10:00", "14d", "--extra", "2024-10-01", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["due"] == "2024-10-07T18:00:00+09:00"
    assert payload["rule"] == "working-days"


def test_cli_hours_and_holidays(capsys: pytest.CaptureFixture[str]) -> None:
    assert dl.main(["hours", "2024-09-13 10:00", "2024-09-19 10:00"]) == 0
    assert capsys.readouterr().out.strip() == "8"
    assert dl.main(["holidays", "2024", "--extra", "2024-11-11"]) == 0
    out = capsys.readouterr().out
    assert "2024-09-17" in out and "2024-11-11" in out


# --------------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2023, 1, 1), max_value=datetime(2026, 6, 30), timezones=st.just(SEOUL)
).map(lambda d: d.replace(second=0, microsecond=0))

periods = st.one_of(
    st.just(Period.immediate()),
    st.integers(1, 40).map(lambda n: Period(n, "hours")),
    st.integers(1, 30).map(lambda n: Period(n, "days")),
    st.integers(1, 8).map(lambda n: Period(n, "weeks")),
    st.integers(1, 14).map(lambda n: Period(n, "months")),
    st.integers(1, 2).map(lambda n: Period(n, "years")),
)

PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _in_working_hours(dt: datetime) -> bool:
    t = dt.astimezone(SEOUL).timetz().replace(tzinfo=None)
    return time(9) <= t <= time(12) or time(13) <= t <= time(18)


@PROPS
@given(moments, moments, periods)
def test_due_is_monotone_in_receipt(a: datetime, b: datetime, period: Period) -> None:
    a, b = min(a, b), max(a, b)
    assert due(a, period) <= due(b, period)


@PROPS
@given(moments, periods)
def test_due_is_in_working_hours_on_a_working_day(received: datetime, period: Period) -> None:
    d = due(received, period)
    assert is_working_day(d.date())
    assert _in_working_hours(d)
    assert d > received


@PROPS
@given(moments, periods, st.lists(st.dates(date(2023, 1, 1), date(2029, 1, 1)), min_size=1, max_size=4))
def test_adding_holidays_never_makes_due_earlier(
    received: datetime, period: Period, extra: list[date]
) -> None:
    assert due(received, period, extra_holidays=extra) >= due(received, period)


@PROPS
@given(moments, st.integers(1, 40))
def test_hour_periods_contain_exactly_their_working_hours(received: datetime, hours: int) -> None:
    d = due(received, Period(hours, "hours"))
    assert working_hours_between(received, d) == pytest.approx(hours)
    assert subtract_working_hours(d, hours) == effective_receipt(received)


@PROPS
@given(moments, st.integers(6, 30))
def test_day_periods_contain_exactly_their_working_days(received: datetime, days: int) -> None:
    d = due(received, Period(days, "days"))
    first = effective_receipt(received).date()
    count = sum(1 for i in range((d.date() - first).days + 1) if is_working_day(first + timedelta(days=i)))
    assert count == days
    assert d.timetz().replace(tzinfo=None) == time(18)
