"""Programme apps (matchmaking, competition, …) register the page that runs a programme of their kind.

In the app's ``AppConfig.ready``::

    from gvalley.week.registry import register_programme_page
    register_programme_page("export_consultation", "matchmaking:programme", _("Go to the export consultation"))

The URL name takes the programme's primary key as its only argument.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class ProgrammePage:
    url_name: str
    label: str


_PAGES: dict[str, ProgrammePage] = {}


def register_programme_page(kind: str, url_name: str, label: str) -> None:
    _PAGES[kind] = ProgrammePage(url_name, label)


def programme_page(kind: str, programme_pk: int) -> tuple[str, str] | None:
    page = _PAGES.get(kind)
    if page is None:
        return None
    try:
        return reverse(page.url_name, args=[programme_pk]), str(page.label)
    except NoReverseMatch:
        return None
