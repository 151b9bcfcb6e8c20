"""Meetings as calendar events (RFC 5545): one .ics per meeting, invitations, and a person's feed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from gvalley.core.exports import CalendarEvent, ics_bytes

from .models import Meeting


def _organizer(meeting: Meeting) -> tuple[str, str]:
    email = meeting.council.contact_email
    if not email:
        from email.utils import parseaddr

        email = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return email, meeting.council.bilingual("name", translation.get_language() or "ko")


def meeting_event(meeting: Meeting, *, attendees: Iterable[Any] = ()) -> CalendarEvent:
    """The calendar event of ``meeting`` in the active language. Agenda titles go in the description."""
    language = translation.get_language() or "ko"
    url = settings.SITE_URL + meeting.get_absolute_url()
    lines = [meeting.bilingual("description", language)] if meeting.description else []
    agenda = [i for i in meeting.agenda_items.all() if i.visibility == "public"] if meeting.pk else []
    if agenda:
        lines.append(_("Agenda") + ":")
        lines.extend(f"{n}. {i.bilingual('title', language)}" for n, i in enumerate(agenda, start=1))
    if meeting.online_url:
        lines.append(_("Online meeting link") + f": {meeting.online_url}")
    lines.append(url)
    place = meeting.bilingual("place", language)
    organizer_email, organizer_name = _organizer(meeting)
    status = {"cancelled": "CANCELLED"}.get(meeting.status, "CONFIRMED")
    return CalendarEvent(
        uid=meeting.uid,
        summary=meeting.bilingual("title", language),
        start=meeting.starts_at,
        end=meeting.ends_at,
        description="\n".join(line for line in lines if line),
        location=place or meeting.online_url,
        url=url,
        organizer_email=organizer_email,
        organizer_name=organizer_name,
        attendees=[(p.email, p.name) for p in attendees],
        sequence=meeting.sequence,
        status=status,
        categories=[str(meeting.get_kind_display())],
    )


def meeting_ics(
    meeting: Meeting, *, method: str | None = None, attendee: Any = None, language: str | None = None
) -> bytes:
    """One meeting as an .ics file; with ``method`` (REQUEST/CANCEL) and the attendee for e-mail invitations."""
    with translation.override(language or translation.get_language() or "ko"):
        event = meeting_event(meeting, attendees=[attendee] if attendee is not None else ())
        return ics_bytes(
            [event], name=meeting.bilingual("title", translation.get_language() or "ko"), method=method
        )


def feed_ics(meetings: Iterable[Meeting], *, name: str) -> bytes:
    return ics_bytes([meeting_event(m) for m in meetings], name=name)
