"""Template helpers of the export consultation."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def in_tz(value: Any, tz_name: str) -> Any:
    """``value`` (an aware datetime) on the wall clock of ``tz_name`` (unchanged if the zone is unknown)."""
    if value is None:
        return value
    try:
        return timezone.localtime(value, zoneinfo.ZoneInfo(tz_name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return value


@register.filter
def display_in(obj: Any, language: str) -> str:
    """An object's name in ``language`` (its ``display_name(language)``, else ``str``)."""
    if obj is None:
        return ""
    method = getattr(obj, "display_name", None)
    return method(language) if callable(method) else str(obj)


@register.filter
def level_badge(level: str) -> str:
    return {"must": "gv-badge-success", "want": "", "no": "gv-badge-danger"}.get(level or "", "")


@register.filter
def session_only(part: str) -> str:
    """The organiser's session for a pair as a label: "Morning only", "Afternoon only" ("" for any)."""
    from django.utils.translation import gettext

    return {"morning": gettext("Morning only"), "afternoon": gettext("Afternoon only")}.get(part or "", "")
