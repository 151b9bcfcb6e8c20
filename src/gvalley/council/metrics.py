"""The metric registry: yearly-plan indicators name a metric, whose function computes the actual value.

Actuals are always computed from the records, never typed in. Any app may register a metric, usually from
its ``AppConfig.ready()``::

    from gvalley.council.metrics import register_metric
    register_metric("company_visits", _("Company visits"), lambda start, end: Visit.objects.filter(
        visited_on__range=(start, end)).count())

``func(start, end)`` receives two ``date`` objects (both days included) and returns an int or a float. An
indicator whose metric is not registered has no actual value: pages show "not available", never a number.

A metric may also own its *target*: ``target(year)`` returns the target kept elsewhere for that year (the
requests app's yearly visit plan for ``company_visits``), or None. Indicators of such a metric take that target
instead of a typed one, and the owning app calls ``services.indicator_targets_sync`` when it changes, so the
plan never shows two different targets for the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

MetricFunc = Callable[[date, date], int | float]
#: Optional: the values for many periods at once (one query), in the order of the periods given.
BulkFunc = Callable[[Sequence[tuple[date, date]]], list[int | float]]
#: Optional: the target of a year, when another app keeps it (None: no target there for that year).
TargetFunc = Callable[[int], int | float | None]


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any  # str or a lazy translation
    func: MetricFunc
    bulk: BulkFunc | None = None
    target: TargetFunc | None = None


_METRICS: dict[str, Metric] = {}


def register_metric(
    key: str, label: Any, func: MetricFunc, *, bulk: BulkFunc | None = None, target: TargetFunc | None = None
) -> None:
    """Register (or replace) the metric ``key``. ``bulk`` (optional) computes many periods in one query, which
    keeps the plan pages at a fixed number of queries whatever the number of years. ``target`` (optional): the
    metric's yearly target is kept by the registering app (see the module docstring)."""
    if not key or not callable(func):
        raise ValueError("A metric needs a key and a callable.")
    _METRICS[key] = Metric(key, label, func, bulk, target)


def owned_target(key: str, year: int) -> int | float | None:
    """The target of ``year`` kept by the app that registered metric ``key``, or None."""
    metric = _METRICS.get(key)
    if metric is None or metric.target is None:
        return None
    return metric.target(year)


def unregister_metric(key: str) -> None:
    _METRICS.pop(key, None)


def get_metric(key: str) -> Metric | None:
    return _METRICS.get(key)


def all_metrics() -> list[Metric]:
    return sorted(_METRICS.values(), key=lambda m: m.key)


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, f"{m.label} ({m.key})") for m in all_metrics()]


def compute(key: str, start: date, end: date) -> int | float | None:
    """The value of metric ``key`` over ``start``–``end`` (both included), or None if it is not registered."""
    metric = _METRICS.get(key)
    if metric is None:
        return None
    return metric.func(start, end)


def compute_many(
    wanted: Iterable[tuple[str, date, date]],
) -> dict[tuple[str, date, date], int | float | None]:
    """Values of many (metric, start, end) at once: each distinct triple computed once, and metrics with a
    ``bulk`` function called once for all their periods. Unregistered metrics give None."""
    by_key: dict[str, list[tuple[date, date]]] = {}
    for key, start, end in wanted:
        periods = by_key.setdefault(key, [])
        if (start, end) not in periods:
            periods.append((start, end))
    result: dict[tuple[str, date, date], int | float | None] = {}
    for key, periods in by_key.items():
        metric = _METRICS.get(key)
        if metric is None:
            values: list[int | float | None] = [None] * len(periods)
        elif metric.bulk is not None:
            values = list(metric.bulk(periods))
        else:
            values = [metric.func(start, end) for start, end in periods]
        for (start, end), value in zip(periods, values, strict=True):
            result[(key, start, end)] = value
    return result


# --- The council's own metrics -------------------------------------------------------------------------------


def _counting(values: Iterable[date], periods: Sequence[tuple[date, date]]) -> list[int | float]:
    days = sorted(values)
    from bisect import bisect_left, bisect_right

    return [bisect_right(days, end) - bisect_left(days, start) for start, end in periods]


def _dated_metric(queryset: Callable[[], Any], field: str, is_datetime: bool) -> tuple[MetricFunc, BulkFunc]:
    """A counting metric over ``queryset()`` by the date (or local date of the datetime) ``field``."""

    def fetch(start: date, end: date) -> list[date]:
        from datetime import datetime, time, timedelta

        from django.utils import timezone

        qs = queryset()
        if is_datetime:
            lo = timezone.make_aware(datetime.combine(start, time.min))
            hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
            return [
                timezone.localtime(v).date()
                for v in qs.filter(**{f"{field}__gte": lo, f"{field}__lt": hi}).values_list(field, flat=True)
            ]
        return list(qs.filter(**{f"{field}__range": (start, end)}).values_list(field, flat=True))

    def bulk(periods: Sequence[tuple[date, date]]) -> list[int | float]:
        if not periods:
            return []
        days = fetch(min(p[0] for p in periods), max(p[1] for p in periods))
        return _counting(days, periods)

    def func(start: date, end: date) -> int | float:
        return bulk([(start, end)])[0]

    return func, bulk


def register_council_metrics() -> None:
    """Called from ``CouncilConfig.ready()``."""
    from django.utils.translation import gettext_lazy as _

    from .models import ActionItem, AgendaItem, Decision, Meeting

    def held(kind: str) -> Callable[[], Any]:
        return lambda: Meeting.objects.filter(kind=kind, status=Meeting.Status.HELD)

    def discussed() -> Any:
        return AgendaItem.objects.filter(
            council__parent__isnull=True,
            meeting__status=Meeting.Status.HELD,
            status__in=[AgendaItem.Status.DISCUSSED, AgendaItem.Status.CARRIED_OVER],
        )

    definitions: list[tuple[str, Any, Callable[[], Any], str, bool]] = [
        ("plenaries_held", _("Plenary meetings held"), held(Meeting.Kind.PLENARY), "starts_at", True),
        ("working_meetings_held", _("Working meetings held"), held(Meeting.Kind.WORKING), "starts_at", True),
        (
            "local_meetings_held",
            _("Local working council meetings held"),
            held(Meeting.Kind.LOCAL_WORKING),
            "starts_at",
            True,
        ),
        ("agenda_items_discussed", _("Agenda items discussed"), discussed, "meeting__starts_at", True),
        (
            "agenda_items_from_requests",
            _("Agenda items from companies' and workers' requests discussed"),
            lambda: discussed().filter(origin=AgendaItem.Origin.REQUEST),
            "meeting__starts_at",
            True,
        ),
        (
            "kicox_agenda_items",
            _("Agenda items discussed with KICOX (presented or proposed by the public enterprise member)"),
            lambda: discussed().filter(
                models_q(presenter_organisation__kind="public_enterprise")
                | models_q(proposing_organisation__kind="public_enterprise")
            ),
            "meeting__starts_at",
            True,
        ),
        (
            "decisions_made",
            _("Decisions made"),
            lambda: Decision.objects.exclude(method=Decision.Method.DEFERRED).filter(
                agenda_item__council__parent__isnull=True
            ),
            "decided_on",
            False,
        ),
        (
            "action_items_done",
            _("Action items completed"),
            lambda: ActionItem.objects.filter(status=ActionItem.Status.DONE, parent__isnull=True),
            "completed_on",
            False,
        ),
    ]
    for key, label, queryset, field_name, is_datetime in definitions:
        func, bulk = _dated_metric(queryset, field_name, is_datetime)
        register_metric(key, label, func, bulk=bulk)


def models_q(**kwargs: Any) -> Any:
    from django.db.models import Q

    return Q(**kwargs)
