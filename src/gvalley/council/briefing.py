"""The briefing-pack section registry: the pack of a plenary is the council's own sections plus every
section another app registers (the requests app adds "new and overdue requests by responsible organisation").

Register from ``AppConfig.ready()``::

    from gvalley.council.briefing import BriefingSection, register_briefing_section
    register_briefing_section("requests", _("Requests"), lambda meeting: BriefingSection(
        title=..., headers=[...], rows=[[...], ...], note=""))

``func(meeting)`` receives the ``council.Meeting`` and returns a :class:`BriefingSection`; it is called while
the reader's language is active, so translated headers come out in the pack's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class BriefingSection:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    note: str = ""
    paragraphs: list[str] = field(default_factory=list)


BriefingFunc = Callable[[Any], BriefingSection]


@dataclass(frozen=True)
class RegisteredSection:
    key: str
    title: Any
    func: BriefingFunc


_SECTIONS: dict[str, RegisteredSection] = {}


def register_briefing_section(key: str, title: Any, func: BriefingFunc) -> None:
    """Register (or replace) the briefing section ``key``; sections appear in registration order."""
    if not key or not callable(func):
        raise ValueError("A briefing section needs a key and a callable.")
    _SECTIONS[key] = RegisteredSection(key, title, func)


def unregister_briefing_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def registered_sections() -> list[RegisteredSection]:
    return list(_SECTIONS.values())
