"""What the grievances app gives the council (issue 3): yearly-plan metrics and a briefing-pack section."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext


def _company_visits(start: date, end: date) -> int:
    from .selectors import visits_between

    return visits_between(start, end)


def _visit_target(year: int) -> int | None:
    """The yearly visit plan's target: the yearly plan's "company visits" indicators take it."""
    from .models import VisitPlan

    return VisitPlan.objects.filter(year=year).values_list("target", flat=True).first()


def _requests_received(start: date, end: date) -> int:
    from .selectors import requests_received_between

    return requests_received_between(start, end)


def _requests_closed(start: date, end: date) -> int:
    from .selectors import requests_closed_between

    return requests_closed_between(start, end)


def briefing_section(meeting: Any) -> Any:
    """New and overdue requests by responsible organisation, for the six months before the meeting."""
    from gvalley.council.briefing import BriefingSection

    from .selectors import new_and_overdue_by_organisation

    end = (
        timezone.localtime(meeting.starts_at).date()
        if getattr(meeting, "starts_at", None)
        else timezone.localdate()
    )
    start = end - timedelta(days=182)
    rows = new_and_overdue_by_organisation(start, end)
    return BriefingSection(
        title=_("New and overdue requests by responsible organisation"),
        headers=[
            pgettext("request", "Responsible organisation"),
            _("New in the period"),
            _("Open now"),
            _("Overdue now"),
        ],
        rows=[
            [r["responsible_organisation__name"] or _("Not assigned"), r["new"], r["open"], r["overdue"]]
            for r in rows
        ],
        note=_("Period %(start)s – %(end)s; open and overdue counted today.") % {"start": start, "end": end},
    )


def register() -> None:
    try:
        from gvalley.council.briefing import register_briefing_section
        from gvalley.council.metrics import register_metric
    except ImportError:  # pragma: no cover - the council app is part of the project
        return
    register_metric("company_visits", gettext_lazy("Company visits"), _company_visits, target=_visit_target)
    register_metric("requests_received", gettext_lazy("Requests received"), _requests_received)
    register_metric("requests_closed", gettext_lazy("Requests answered"), _requests_closed)
    register_briefing_section(
        "requests", gettext_lazy("New and overdue requests by responsible organisation"), briefing_section
    )
