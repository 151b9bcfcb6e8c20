"""Export helpers (xlsx, csv, ics) that every app reuses.

Each takes plain rows so that selectors decide what is exported; views wrap the bytes in a response with
:func:`download_response`. Exports of personal data must also call ``core.services.log_access``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
ICS_MIME = "text/calendar; charset=utf-8"
PDF_MIME = "application/pdf"
HWPX_MIME = "application/hwp+zip"


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = field(default_factory=tuple)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if value is None:
        return ""
    if isinstance(value, (int, float, date)):
        return value
    return str(value)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one sheet per :class:`Sheet`; headers in bold, the header row frozen."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title[:31])
        ws.append([str(h) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for row in sheet.rows:
            ws.append([_cell(v) for v in row])
        for i, header in enumerate(sheet.headers, start=1):
            width = (
                sheet.widths[i - 1]
                if i - 1 < len(sheet.widths)
                else max(10, min(40, len(str(header)) * 2 + 2))
            )
            ws.column_dimensions[get_column_letter(i)].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark so that Excel opens Korean text correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


@dataclass
class CalendarEvent:
    uid: str
    summary: str
    start: datetime
    end: datetime
    description: str = ""
    location: str = ""
    url: str = ""
    organizer_email: str = ""
    organizer_name: str = ""
    attendees: Sequence[tuple[str, str]] = ()  # (email, name)
    sequence: int = 0
    status: str = "CONFIRMED"  # CONFIRMED / TENTATIVE / CANCELLED
    categories: Sequence[str] = ()


def ics_bytes(
    events: Iterable[CalendarEvent], *, name: str = "G밸리 허브", method: str | None = None
) -> bytes:
    """An RFC 5545 calendar. Times are written in UTC, which every client converts to its own zone."""
    cal = Calendar()
    cal.add("prodid", "-//G-Valley Hub//gvalley//KO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    now = timezone.now()
    for ev in events:
        event = Event()
        event.add("uid", ev.uid)
        event.add("dtstamp", now)
        event.add("dtstart", ev.start.astimezone(UTC) if timezone.is_aware(ev.start) else ev.start)
        event.add("dtend", ev.end.astimezone(UTC) if timezone.is_aware(ev.end) else ev.end)
        event.add("summary", ev.summary)
        event.add("sequence", ev.sequence)
        event.add("status", ev.status)
        if ev.description:
            event.add("description", ev.description)
        if ev.location:
            event["location"] = vText(ev.location)
        if ev.url:
            event.add("url", ev.url)
        if ev.categories:
            event.add("categories", list(ev.categories))
        if ev.organizer_email:
            organizer = vCalAddress(f"mailto:{ev.organizer_email}")
            if ev.organizer_name:
                organizer.params["cn"] = vText(ev.organizer_name)
            event["organizer"] = organizer
        for email, attendee_name in ev.attendees:
            attendee = vCalAddress(f"mailto:{email}")
            if attendee_name:
                attendee.params["cn"] = vText(attendee_name)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee, encode=0)
        cal.add_component(event)
    return cal.to_ical()


def download_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    ascii_name = filename.encode("ascii", "ignore").decode() or "download"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def default_event_end(start: datetime, minutes: int = 60) -> datetime:
    return start + timedelta(minutes=minutes)
