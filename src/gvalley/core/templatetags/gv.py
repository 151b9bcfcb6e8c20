"""Template helpers available in every template (registered as a builtin in settings)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.utils import translation
from django.utils.formats import number_format

from gvalley.core import masking

register = template.Library()


@register.filter
def bi(obj: Any, field: str) -> str:
    """``{{ notice|bi:"title" }}``: the English field (``title_en``) on an English page when it is filled, else
    the Korean one."""
    if obj is None:
        return ""
    language = translation.get_language() or "ko"
    if hasattr(obj, "bilingual"):
        return str(obj.bilingual(field, language))
    value = getattr(obj, field, "")
    if language == "en":
        return getattr(obj, f"{field}_en", "") or value
    return value


@register.filter
def mask_name(value: str) -> str:
    return masking.mask_name(value)


@register.filter
def mask_email(value: str) -> str:
    return masking.mask_email(value)


@register.filter
def mask_phone(value: str) -> str:
    return masking.mask_phone(value)


@register.filter
def intcomma0(value: Any) -> str:
    """Thousands separators without decimals (10737 → 10,737)."""
    if value is None or value == "":
        return ""
    return number_format(int(round(float(value))), 0, force_grouping=True)


@register.filter
def percent(part: Any, whole: Any) -> str:
    try:
        return f"{float(part) * 100 / float(whole):.1f}"
    except (TypeError, ValueError, ZeroDivisionError):
        return "0.0"


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    request = context.get("request")
    params = QueryDict(mutable=True)
    if request is not None:
        params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode() if hasattr(params, "urlencode") else urlencode(params)
    return "?" + encoded if encoded else "?"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


_OPTION_CACHE: dict[tuple[Any, ...], list[tuple[str, str]]] = {}


def _escaped_options(bound_field: Any) -> list[tuple[str, str]]:
    """(value, escaped label) pairs of a field's choices, memoised per process for the same choices."""
    from django.utils.html import conditional_escape
    from django.utils.translation import get_language

    choices = bound_field.field.choices
    key = (
        id(bound_field.form.__class__),
        bound_field.name,
        get_language(),
        len(choices),
        str(choices[1][0]) if len(choices) > 1 else "",
        str(choices[-1][0]) if choices else "",
    )
    cached = _OPTION_CACHE.get(key)
    if cached is None:
        cached = [(str(v), str(conditional_escape(label))) for v, label in choices]
        if len(_OPTION_CACHE) > 500:
            _OPTION_CACHE.clear()
        _OPTION_CACHE[key] = cached
    return cached


@register.filter
def fast_select(bound_field: Any) -> str:
    """Render a bound choice field as a <select> in one pass.

    Django's widget templates render every <option> through nested template includes, which costs
    milliseconds for a filter with a hundred choices on a hot page; this produces the same markup directly.
    """
    from django.utils.html import escape, format_html_join
    from django.utils.safestring import mark_safe

    widget = bound_field.field.widget
    attrs = {**widget.attrs, **bound_field.build_widget_attrs({})}
    attrs.setdefault("class", "krds-form-select")
    value = bound_field.value()
    selected = (
        {str(v) for v in value} if isinstance(value, (list, tuple)) else {"" if value is None else str(value)}
    )
    options = "".join(
        f'<option value="{escape(v)}"{" selected" if v in selected else ""}>{label}</option>'
        for v, label in _escaped_options(bound_field)
    )
    extra = format_html_join("", ' {}="{}"', ((k, v) for k, v in attrs.items() if v not in (None, False)))
    return mark_safe(  # noqa: S308 - every part is escaped above
        f'<select name="{escape(bound_field.html_name)}" id="{escape(bound_field.auto_id)}"{extra}>{options}</select>'
    )
