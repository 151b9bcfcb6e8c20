"""Template helpers of the council pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

from gvalley.core import masking

register = template.Library()


@register.filter
def bi(obj: Any, field: str) -> str:
    """``{{ item|bi:"title" }}``: the English field in English when it is filled, else the Korean one."""
    if obj is None:
        return ""
    language = translation.get_language() or "ko"
    if hasattr(obj, "bilingual"):
        return obj.bilingual(field, language)
    value = getattr(obj, field, "")
    if language == "en":
        return getattr(obj, f"{field}_en", "") or value
    return value


@register.filter
def org(obj: Any) -> str:
    """An organisation's name in the active language."""
    if obj is None:
        return ""
    return obj.display_name(translation.get_language() or "ko")


@register.filter
def person(user: Any, unmasked: bool = False) -> str:
    """A person's name, masked unless ``unmasked`` (members and the secretariat see names)."""
    if user is None:
        return ""
    return user.name if unmasked else masking.mask_name(user.name)


@register.filter
def seat_holder(seat: Any, unmasked: bool = False) -> str:
    """Co-chairs are named in the council's published plan; other holders are masked for the public."""
    if seat is None:
        return ""
    if unmasked or seat.kind == "co_chair":
        return seat.person.name
    return masking.mask_name(seat.person.name)
