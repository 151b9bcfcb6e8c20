"""Availability in the participant's own time zone turned into allowed event slots."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from .model import EVENT_TZ, Interval, Slot


def aware(dt: datetime, tz: str) -> datetime:
    """`dt` as an aware datetime; naive values are wall-clock times in zone `tz`."""
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=ZoneInfo(tz))


def slot_bounds(slot: Slot, event_tz: str = EVENT_TZ) -> tuple[datetime, datetime]:
    return aware(slot.start, event_tz), aware(slot.end, event_tz)


def allowed_slots(
    slots: Sequence[Slot], availability: Iterable[Interval], tz: str, event_tz: str = EVENT_TZ
) -> frozenset[str]:
    """Ids of the slots that lie inside one of the intervals (all slots when there are none)."""
    intervals = [(aware(iv.start, tz), aware(iv.end, tz)) for iv in availability]
    if not intervals:
        return frozenset(s.id for s in slots)
    out = set()
    for s in slots:
        a, b = slot_bounds(s, event_tz)
        if any(lo <= a and b <= hi for lo, hi in intervals):
            out.add(s.id)
    return frozenset(out)


def local_time(dt: datetime, tz: str, event_tz: str = EVENT_TZ) -> datetime:
    """An event time (naive = event zone) as wall-clock time in zone `tz` (for showing a buyer his schedule)."""
    return aware(dt, event_tz).astimezone(ZoneInfo(tz))
