"""Documents of the council: minutes, the briefing pack of a plenary and the yearly-plan report.

Each function returns a ``core.documents.Document`` (rendered to PDF or HWPX by the view) or spreadsheet
bytes. They run in the reader's language (the caller activates it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gvalley.core.documents import Document
from gvalley.core.exports import Sheet, xlsx_bytes

from . import selectors
from .briefing import BriefingSection, registered_sections
from .models import ActionItem, AgendaItem, Meeting, Minutes


def _lang() -> str:
    return translation.get_language() or "ko"


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return f"{formats.date_format(start, 'Y-m-d (D) H:i')}–{end:%H:%M}"


def _where(meeting: Meeting) -> str:
    parts = [meeting.bilingual("place", _lang())]
    if meeting.online_url:
        parts.append(meeting.online_url)
    return " · ".join(p for p in parts if p)


def _text(obj: Any, field: str) -> str:
    return obj.bilingual(field, _lang())


def meeting_facts(meeting: Meeting) -> list[tuple[str, str]]:
    return [
        (_("Council"), meeting.council.bilingual("name", _lang())),
        (_("Meeting"), str(meeting.get_kind_display())),
        (_("Date and time"), _when(meeting)),
        (_("Place"), _where(meeting)),
    ]


def minutes_document(user: Any, minutes: Minutes, *, with_names: bool = False) -> Document:
    meeting = minutes.meeting
    content = selectors.minutes_content(user, minutes)
    lang = _lang()
    stamp = ""
    if minutes.status not in (Minutes.Status.APPROVED, Minutes.Status.LOCKED):
        stamp = _("Not approved: %(status)s") % {"status": minutes.get_status_display()}
    doc = Document(
        title=_("Minutes: %(meeting)s") % {"meeting": meeting.bilingual("title", lang)},
        subtitle=_("Version %(version)d · %(status)s")
        % {"version": minutes.version, "status": minutes.get_status_display()},
        author=meeting.council.bilingual("name", lang),
        subject=_("Minutes"),
        keywords=[meeting.council.name, str(meeting.get_kind_display())],
        footer=f"{meeting.council.bilingual('name', lang)} · {_('Minutes')} v{minutes.version}",
        stamp=stamp,
    )
    doc.facts(meeting_facts(meeting), caption=_("Meeting"))
    if minutes.supersedes_id:
        doc.paragraph(
            _("This version corrects version %(version)d. Reason: %(reason)s")
            % {"version": minutes.version - 1, "reason": minutes.correction_reason},
            bold=True,
        )
    if content["attendance"]:
        doc.heading(_("Attendance"))
        if with_names:  # the names of those who attended: members and staff only (as on the page)
            doc.table(
                [_("Organisation"), _("Present"), _("Who attended")],
                [
                    [a.organisation.display_name(lang), _("Yes") if a.present else _("No"), a.attendee_names]
                    for a in content["attendance"]
                ],
                caption=_("Attendance per member organisation"),
                widths=(4, 1, 4),
            )
        else:
            doc.table(
                [_("Organisation"), _("Present")],
                [
                    [a.organisation.display_name(lang), _("Yes") if a.present else _("No")]
                    for a in content["attendance"]
                ],
                caption=_("Attendance per member organisation"),
                widths=(4, 1),
            )
    if content["agenda"]:
        doc.heading(_("Agenda and decisions"))
        for n, item in enumerate(content["agenda"], start=1):
            doc.heading(f"{n}. {_text(item, 'title')}", level=2)
            decisions = list(item.decisions.all())
            if decisions:
                doc.table(
                    [_("Decision"), _("Method")],
                    [[_text(d, "text"), decision_method(d)] for d in decisions],
                    widths=(5, 2),
                )
    doc.heading(_("Record of the discussion"))
    body = minutes.bilingual("body", lang)
    doc.paragraph(body)
    if minutes.status in (Minutes.Status.APPROVED, Minutes.Status.LOCKED):
        facts = [
            (_("Approved"), _dt(minutes.approved_at)),
            (_("Approved by"), minutes.approved_by.name if minutes.approved_by else ""),
        ]
        if minutes.status == Minutes.Status.LOCKED:
            facts += [(_("Locked"), _dt(minutes.locked_at)), ("SHA-256", minutes.content_hash)]
        doc.facts(facts, caption=_("Approval"))
    return doc


def _dt(value: Any) -> str:
    if not value:
        return ""
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


def decision_method(decision: Any) -> str:
    if decision.method == "vote":
        return _("Vote: %(for)d for, %(against)d against, %(abstain)d abstentions") % {
            "for": decision.votes_for,
            "against": decision.votes_against,
            "abstain": decision.votes_abstain,
        }
    return str(decision.get_method_display())


# --- Briefing pack ------------------------------------------------------------------------------------------


def agenda_section(user: Any, meeting: Meeting, agenda: Sequence[AgendaItem]) -> BriefingSection:
    lang = _lang()
    rows = []
    for n, item in enumerate(agenda, start=1):
        presenter = item.presenter_organisation.display_name(lang) if item.presenter_organisation else ""
        if item.presenter_name:
            presenter = f"{presenter} {item.presenter_name}".strip()
        requests = len(item.requests.all()) if selectors.has_requests() else 0
        rows.append(
            [
                n,
                _text(item, "title"),
                str(item.get_origin_display()),
                presenter,
                _("%(n)d min") % {"n": item.duration_minutes},
                requests,
            ]
        )
    total = sum(i.duration_minutes for i in agenda)
    return BriefingSection(
        title=_("Agenda"),
        headers=["#", _("Item"), _("Origin"), _("Presenter"), _("Duration"), _("Linked requests")],
        rows=rows,
        note=_("%(n)d items, %(minutes)d minutes in total.") % {"n": len(agenda), "minutes": total},
    )


def open_actions_section(user: Any, meeting: Meeting) -> BriefingSection:
    lang = _lang()
    today = timezone.localdate()
    items = selectors.open_action_items(user, council=meeting.council)
    rows = []
    overdue_label = _("overdue")
    for item in items:
        overdue = item.is_overdue(today)
        rows.append(
            [
                _text(item, "title"),
                item.owner_organisation.display_name(lang),
                item.due_on.isoformat(),
                f"{item.progress}%",
                str(item.get_status_display()) + (f" ({overdue_label})" if overdue else ""),
            ]
        )
    overdue_count = sum(1 for i in items if i.is_overdue(today))
    return BriefingSection(
        title=_("Open action items and their progress"),
        headers=[pgettext("council", "Action"), _("Responsible"), _("Due"), _("Progress"), _("Status")],
        rows=rows,
        note=_("%(n)d open, %(overdue)d overdue.") % {"n": len(items), "overdue": overdue_count},
    )


def plan_section(user: Any, meeting: Meeting) -> BriefingSection:
    lang = _lang()
    day = timezone.localtime(meeting.starts_at).date()
    council = meeting.council if meeting.council.parent_id is None else meeting.council.parent
    rows: list[list[Any]] = []
    note = ""
    for plan in selectors.plans(council):
        if not plan.starts_on <= day <= plan.ends_on:
            continue
        page = selectors.plan_progress(user, plan, year=day.year, today=day)
        for _year, lines in page.years:
            for lp in lines:
                for ip in lp.indicators:
                    rows.append(
                        [
                            _text(lp.line, "title"),
                            _text(ip.indicator, "label"),
                            _num(ip.indicator.target),
                            _num(ip.actual) if ip.available else _("not available"),
                            f"{ip.percent}%" if ip.percent is not None else "",
                        ]
                    )
        note = _("%(plan)s, %(year)d, as of %(day)s.") % {
            "plan": plan.bilingual("title", lang),
            "year": day.year,
            "day": day.isoformat(),
        }
    return BriefingSection(
        title=_("Yearly plan indicators"),
        headers=[_("Plan line"), _("Indicator"), _("Target"), _("Actual"), _("Achieved")],
        rows=rows,
        note=note or _("No yearly plan covers the meeting date."),
    )


def _num(value: Any) -> str:
    if value is None:
        return ""
    f = float(value)
    return f"{int(f):,}" if f.is_integer() else f"{f:,.1f}"


def briefing_sections(user: Any, page: selectors.MeetingPage) -> list[BriefingSection]:
    meeting = page.meeting
    sections = [
        agenda_section(user, meeting, page.agenda),
        open_actions_section(user, meeting),
        plan_section(user, meeting),
    ]
    for registered in registered_sections():
        try:
            sections.append(registered.func(meeting))
        except Exception as exc:  # a broken section must not take the pack down; say so in the pack
            sections.append(
                BriefingSection(
                    title=str(registered.title),
                    headers=[],
                    rows=[],
                    note=_("This section could not be produced: %(error)s")
                    % {"error": exc.__class__.__name__},
                )
            )
    return sections


def briefing_document(page: selectors.MeetingPage, sections: Sequence[BriefingSection]) -> Document:
    meeting = page.meeting
    lang = _lang()
    doc = Document(
        title=_("Briefing pack: %(meeting)s") % {"meeting": meeting.bilingual("title", lang)},
        subtitle=_("Prepared %(day)s") % {"day": timezone.localdate().isoformat()},
        author=meeting.council.bilingual("name", lang),
        subject=_("Briefing pack"),
        keywords=[meeting.council.name],
        footer=f"{meeting.council.bilingual('name', lang)} · {_('Briefing pack')}",
    )
    doc.facts(meeting_facts(meeting), caption=_("Meeting"))
    for n, section in enumerate(sections, start=1):
        doc.heading(f"{n}. {section.title}")
        for paragraph in section.paragraphs:
            doc.paragraph(paragraph)
        if section.rows:
            doc.table(section.headers, section.rows)
        elif section.headers:
            doc.paragraph(_("Nothing to report."), small=True)
        if section.note:
            doc.paragraph(section.note, small=True)
    return doc


# --- Yearly plan report --------------------------------------------------------------------------------------


def plan_rows(page: selectors.PlanPage) -> list[list[Any]]:
    in_progress = _("in progress")
    rows = []
    for year, lines in page.years:
        for lp in lines:
            for ip in lp.indicators or [None]:
                if ip is None:
                    rows.append([year, _text(lp.line, "title"), "", "", "", "", "", ""])
                    continue
                rows.append(
                    [
                        year,
                        _text(lp.line, "title"),
                        _text(ip.indicator, "label"),
                        ip.indicator.metric,
                        float(ip.indicator.target),
                        ip.actual if ip.available else _("not available"),
                        ip.indicator.bilingual("unit", _lang()),
                        (f"{ip.percent}%" if ip.percent is not None else "")
                        + (f" ({in_progress})" if lp.in_progress else ""),
                    ]
                )
    return rows


def plan_headers() -> list[str]:
    return [
        _("Year"),
        _("Plan line"),
        _("Indicator"),
        _("Metric"),
        _("Target"),
        _("Actual"),
        _("Unit"),
        _("Achieved"),
    ]


def plan_xlsx(page: selectors.PlanPage) -> bytes:
    return xlsx_bytes(
        [Sheet(_("Yearly plan"), plan_headers(), plan_rows(page), widths=(8, 30, 36, 22, 10, 10, 10, 18))]
    )


def plan_document(page: selectors.PlanPage, *, today: date | None = None) -> Document:
    lang = _lang()
    plan = page.plan
    doc = Document(
        title=_("Yearly plan progress: %(plan)s") % {"plan": plan.bilingual("title", lang)},
        subtitle=_("%(start)s – %(end)s · as of %(today)s · actual values are computed from the records")
        % {
            "start": plan.starts_on.isoformat(),
            "end": plan.ends_on.isoformat(),
            "today": (today or timezone.localdate()).isoformat(),
        },
        author=plan.council.bilingual("name", lang),
        subject=_("Yearly plan"),
        footer=plan.bilingual("title", lang),
    )
    headers = [_("Plan line"), _("Indicator"), _("Target"), _("Actual"), _("Achieved")]
    for year, lines in page.years:
        rows = []
        for lp in lines:
            for ip in lp.indicators:
                rows.append(
                    [
                        _text(lp.line, "title"),
                        _text(ip.indicator, "label"),
                        _num(ip.indicator.target),
                        _num(ip.actual) if ip.available else _("not available"),
                        f"{ip.percent}%" if ip.percent is not None else "",
                    ]
                )
        period = f"{lines[0].line.starts_on:%Y.%m.%d}–{lines[0].line.ends_on:%Y.%m.%d}" if lines else ""
        doc.heading(f"{year} ({period})")
        doc.table(headers, rows, widths=(3, 4, 1, 1, 1))
    return doc


__all__ = ["ActionItem"]
