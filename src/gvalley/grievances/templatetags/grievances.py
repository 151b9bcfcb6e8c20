"""Template helpers of the grievances pages: bilingual fields and working-time remaining."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def tr(obj: Any, field: str) -> str:
    """``obj.<field>_en`` when the page is in English and it is filled in, else ``obj.<field>``."""
    if obj is None:
        return ""
    value = getattr(obj, field, "") or ""
    if get_language() == "en":
        return getattr(obj, f"{field}_en", "") or value
    return value


@register.filter
def org_name(org: Any) -> str:
    if org is None:
        return ""
    return org.display_name("en" if get_language() == "en" else "ko")
