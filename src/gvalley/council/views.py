"""Council pages. Reads go through ``selectors`` (filtered by visibility), writes through ``services``,
permissions through ``rules`` (``request.user.has_perm("council.…", obj)``)."""

from __future__ import annotations

import contextlib
import mimetypes
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gvalley.core import exports
from gvalley.core.documents import render_hwpx, render_pdf
from gvalley.core.models import AccessLog
from gvalley.core.paginate import paginate
from gvalley.core.services import job_create, log_access

from . import calendar, reports, selectors, services, tasks
from .forms import (
    ActionFilterForm,
    ActionItemForm,
    AgendaFilterForm,
    AgendaItemForm,
    AttendanceForm,
    CancelMeetingForm,
    CeaseSeatForm,
    CommentForm,
    CorrectionForm,
    DecisionForm,
    DocumentForm,
    IndicatorForm,
    LeadForm,
    MeetingFilterForm,
    MeetingForm,
    MemberEndForm,
    MemberForm,
    MinutesForm,
    PlanForm,
    PlanImportForm,
    PlanLineForm,
    ProgressForm,
    RSVPForm,
    ScheduleForm,
    SeatForm,
    TermCloseForm,
    TermForm,
)
from .importers import PLAN_COLUMNS
from .metrics import all_metrics
from .models import (
    ActionItem,
    ActionUpdate,
    AgendaItem,
    CalendarFeed,
    Council,
    CouncilMember,
    Decision,
    Document,
    Indicator,
    Invitation,
    Meeting,
    Minutes,
    MinutesComment,
    PlanLine,
    PlanProgramme,
    Seat,
    Term,
)

PER_PAGE = 20


# --- Helpers -----------------------------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _missing(request: HttpRequest, exists: bool) -> HttpResponse:
    """Hidden or missing: the public is asked to log in (an e-mail link to a members' page), others get 404."""
    if exists and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def _errors(request: HttpRequest, exc: ValidationError, form: Any = None) -> None:
    """Show a service's ValidationError: on the form's fields when they exist, else as messages."""
    if form is not None and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
        return
    for message in exc.messages:
        if form is not None:
            form.add_error(None, message)
        else:
            messages.error(request, message)


def _main_council() -> Council:
    council = selectors.main_council()
    if council is None:
        raise Http404
    return council


def _pdf(doc: Any, filename: str) -> HttpResponse:
    return exports.download_response(
        render_pdf(doc), filename=f"{filename}.pdf", content_type=exports.PDF_MIME
    )


def _hwpx(doc: Any, filename: str) -> HttpResponse:
    return exports.download_response(
        render_hwpx(doc), filename=f"{filename}.hwpx", content_type=exports.HWPX_MIME
    )


def _chain(
    item: AgendaItem, decisions: list[Decision], actions: list[ActionItem], user: Any
) -> dict[str, Any]:
    """Context of the chain request → agenda item → decision → action item → yearly-plan line.

    Each linked request carries ``chain_url``: its full page for those who may open it, else its public tracking
    page (status and answer, no personal data)."""
    lines: list[PlanLine] = []
    for line in [item.plan_line, *(a.plan_line for a in actions)]:
        if line is not None and line.pk not in {x.pk for x in lines}:
            lines.append(line)
    return {
        "chain_decisions": decisions,
        "chain_actions": actions,
        "chain_lines": lines,
        "has_requests": selectors.has_requests(),
        "requests": _chain_requests(item, user),
    }


def _chain_requests(item: AgendaItem, user: Any) -> list[Any]:
    if not selectors.has_requests():
        return []
    return _request_links(list(item.requests.all()), user)  # type: ignore[attr-defined]


def _request_links(requests: list[Any], user: Any) -> list[Any]:
    """Give each request its ``chain_url``: the full page for those who may open it (``grievances.view_request``),
    else the public tracking page (status and answer, no personal data)."""
    for r in requests:
        full = user.has_perm("grievances.view_request", r)
        r.chain_url = (
            r.get_absolute_url() if full else reverse("grievances:track_detail", args=[r.tracking_number])
        )
    return requests


def _can_see_names(request: HttpRequest) -> bool:
    return request.user.has_perm("council.view_seat_holders")


# --- Council, organisation chart, seats --------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    council = selectors.main_council()
    if council is None:
        return render(request, "council/empty.html")
    return _council_page(request, council)


def body(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        council = selectors.council_by_slug(slug)
    except Council.DoesNotExist:
        raise Http404
    return _council_page(request, council)


def _council_page(request: HttpRequest, council: Council) -> HttpResponse:
    chart = selectors.org_chart(council)
    upcoming = list(
        selectors.meeting_list(request.user, selectors.MeetingFilters(council=council, upcoming=True))[:5]
    )
    recent = list(
        selectors.meeting_list(
            request.user, selectors.MeetingFilters(council=council, status=Meeting.Status.HELD)
        )[:5]
    )
    plans = selectors.plans(council) if council.parent_id is None else []
    return render(
        request,
        "council/home.html",
        {
            "council": council,
            "chart": chart,
            "upcoming": upcoming,
            "recent": recent,
            "plans": plans,
            "unmasked": _can_see_names(request),
            "functions": [
                f for f in council.bilingual("functions", get_language() or "ko").splitlines() if f.strip()
            ],
        },
    )


def seats(request: HttpRequest) -> HttpResponse:
    council = _council_from_query(request)
    terms = selectors.seat_history(council)
    return render(
        request,
        "council/seats.html",
        {
            "council": council,
            "terms": terms,
            "unmasked": _can_see_names(request),
            "councils": Council.objects.all(),
        },
    )


def _council_from_query(request: HttpRequest) -> Council:
    slug = request.GET.get("council") or request.POST.get("council")
    if slug:
        try:
            return selectors.council_by_slug(slug)
        except Council.DoesNotExist:
            raise Http404
    return _main_council()


@login_required
def seats_manage(request: HttpRequest) -> HttpResponse:
    _require(request, "council.manage")
    council = _council_from_query(request)
    form = SeatForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.seat_designate(
                actor=request.user,
                member=data["member"],
                term=data["term"],
                kind=data["kind"],
                person=data["person_email"],
                position_title=data["position_title"],
                position_title_en=data["position_title_en"],
                designated_on=data["designated_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The seat was designated."))
            return redirect(f"{reverse('council:seats_manage')}?council={council.slug}")
    chart = selectors.org_chart(council)
    return render(
        request,
        "council/seats_manage.html",
        {"council": council, "chart": chart, "form": form, "councils": Council.objects.all()},
    )


@login_required
def seat_cease(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    seat = get_object_or_404(
        Seat.objects.select_related("member__council", "member__organisation", "person"), pk=pk
    )
    form = CeaseSeatForm(request.POST or None, initial={"ceased_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_cease(
                actor=request.user,
                seat=seat,
                ceased_on=form.cleaned_data["ceased_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The seat has ceased. Its history is kept."))
            return redirect(f"{reverse('council:seats_manage')}?council={seat.member.council.slug}")
    return render(request, "council/seat_cease.html", {"seat": seat, "form": form})


@login_required
def lead_change(request: HttpRequest) -> HttpResponse:
    _require(request, "council.manage")
    council = _council_from_query(request)
    form = LeadForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_lead_change(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The lead body was changed."))
            return redirect(council.get_absolute_url())
    return render(
        request,
        "council/form_page.html",
        {"form": form, "title": _("Change the lead body"), "council": council},
    )


def _in_council(url_name: str, council: Council) -> str:
    return f"{reverse(url_name)}?council={council.slug}"


def _lost_role(request: HttpRequest, council: Council) -> HttpResponse | None:
    """After seats have ceased: if the secretary's own seat was one of them, say so and go to the council's page
    (the secretariat's pages are no longer open to them) instead of a refused page."""
    with contextlib.suppress(AttributeError):
        del request.user.role_set  # type: ignore[union-attr]  # cached roles; the seats may have changed them
    if request.user.has_perm("council.manage"):
        return None
    messages.warning(
        request,
        _(
            "Your own seat has ended, and with it the secretariat role. A person who still holds a secretariat "
            "seat can designate the new seats."
        ),
    )
    return redirect(council.get_absolute_url())


@login_required
def terms_manage(request: HttpRequest) -> HttpResponse:
    """The council's terms, and the form that starts a new one (ending the current term the day before)."""
    _require(request, "council.manage")
    council = _council_from_query(request)
    terms = selectors.term_list(council)
    today = timezone.localdate()
    initial = {"number": max((t.number for t in terms), default=0) + 1, "starts_on": today}
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_start(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(
                request,
                _("Term %(n)d starts on %(day)s. Designate its seats now.")
                % {"n": term.number, "day": term.starts_on.isoformat()},
            )
            return _lost_role(request, council) or redirect(_in_council("council:seats_manage", council))
    return render(
        request,
        "council/terms_manage.html",
        {
            "council": council,
            "terms": terms,
            "form": form,
            "councils": Council.objects.all(),
            "today": today,
        },
    )


@login_required
def term_close(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    term = get_object_or_404(Term.objects.select_related("council"), pk=pk)
    form = TermCloseForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.term_close(actor=request.user, term=term, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The term was closed. Its seats have ceased; the history is kept."))
            return _lost_role(request, term.council) or redirect(
                _in_council("council:terms_manage", term.council)
            )
    return render(request, "council/term_close.html", {"term": term, "form": form})


@login_required
def members_manage(request: HttpRequest) -> HttpResponse:
    """The council's member organisations (current and former), and the form that adds one."""
    _require(request, "council.manage")
    council = _council_from_query(request)
    form = MemberForm(
        request.POST or None,
        council=council,
        initial={
            "joined_on": timezone.localdate(),
            "order": CouncilMember.objects.filter(council=council).count() + 1,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.council_member_add(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(
                request,
                _("%(org)s is now a member of the council. Designate its seats now.")
                % {"org": member.organisation.display_name(get_language() or "ko")},
            )
            return redirect(_in_council("council:members_manage", council))
    return render(
        request,
        "council/members_manage.html",
        {
            "council": council,
            "members": selectors.member_list(council),
            "form": form,
            "councils": Council.objects.all(),
            "today": timezone.localdate(),
        },
    )


@login_required
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    member = get_object_or_404(CouncilMember.objects.select_related("council", "organisation"), pk=pk)
    form = MemberEndForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.council_member_end(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(
                request, _("The membership has ended. Its seats have ceased; the history is kept.")
            )
            return _lost_role(request, member.council) or redirect(
                _in_council("council:members_manage", member.council)
            )
    return render(request, "council/member_end.html", {"member": member, "form": form})


# --- Meetings ----------------------------------------------------------------------------------------------


def meeting_list(request: HttpRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET or None, years=selectors.meeting_years())
    filters = selectors.MeetingFilters()
    if form.is_valid():
        filters.kind = form.cleaned_data["kind"]
        filters.year = form.cleaned_data["year"]
        if form.cleaned_data["council"]:
            filters.council = Council.objects.filter(slug=form.cleaned_data["council"]).first()
    qs = selectors.meeting_list(request.user, filters)
    return render(request, "council/meeting_list.html", {**paginate(request, qs, PER_PAGE), "form": form})


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = selectors.meeting_detail(request.user, pk)
    except Meeting.DoesNotExist:
        return _missing(request, Meeting.objects.filter(pk=pk).exists())
    meeting = page.meeting
    invitation = next((i for i in page.invitations if i.person_id == request.user.pk), None)
    current = next((m for m in page.minutes if request.user.has_perm("council.view_minutes", m)), None)
    can_manage = request.user.has_perm("council.manage")
    return render(
        request,
        "council/meeting_detail.html",
        {
            "page": page,
            "meeting": meeting,
            "my_invitation": invitation,
            "rsvp_form": RSVPForm(initial={"response": invitation.response}) if invitation else None,
            "current_minutes": current,
            "can_manage": can_manage,
            # drag-and-drop reordering (the Up/Down buttons do the same without a mouse)
            "sortable": can_manage and meeting.status == "scheduled" and len(page.agenda) > 1,
            "can_change": request.user.has_perm("council.change_meeting", meeting),
            "can_see_rsvp": request.user.has_perm("council.view_rsvp"),
            "can_brief": request.user.has_perm("council.view_briefing", meeting),
            "unmasked": _can_see_names(request),
            "started": meeting.starts_at <= timezone.now(),
            "has_requests": selectors.has_requests(),
        },
    )


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = selectors.meeting_detail(request.user, pk)
    except Meeting.DoesNotExist:
        return _missing(request, Meeting.objects.filter(pk=pk).exists())
    content = calendar.meeting_ics(page.meeting)
    return exports.download_response(
        content, filename=f"council-meeting-{pk}.ics", content_type=exports.ICS_MIME
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    _require(request, "council.manage")
    initial = {"council": selectors.main_council(), "kind": Meeting.Kind.PLENARY}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        council, kind = data.pop("council"), data.pop("kind")
        try:
            meeting = services.meeting_schedule(actor=request.user, council=council, kind=kind, **data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The meeting was scheduled. Invite the seats next."))
            return redirect(meeting)
    return render(request, "council/meeting_form.html", {"form": form, "meeting": None})


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("council"), pk=pk)
    _require(request, "council.change_meeting", meeting)
    fields = [f for f in MeetingForm.base_fields if f not in ("council", "kind")]
    initial = {f: getattr(meeting, f) for f in fields}
    initial["starts_at"] = timezone.localtime(meeting.starts_at)
    initial["ends_at"] = timezone.localtime(meeting.ends_at)
    form = MeetingForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The meeting was updated; invitees get the updated calendar event."))
            return redirect(meeting)
    return render(request, "council/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("council"), pk=pk)
    _require(request, "council.change_meeting", meeting)
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The meeting was cancelled and the invitees were told."))
            return redirect(meeting)
    return render(
        request,
        "council/form_page.html",
        {"form": form, "title": _("Cancel the meeting"), "back": meeting, "danger": True},
    )


@login_required
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("council"), pk=pk)
    _require(request, "council.change_meeting", meeting)
    try:
        created = services.meeting_invite(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if created:
            messages.success(
                request,
                _("%(n)d seats were invited by e-mail with a calendar attachment.") % {"n": len(created)},
            )
        else:
            messages.info(request, _("Every seat was already invited."))
    return redirect(meeting)


@login_required
@require_POST
def meeting_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    _require(request, "council.manage")
    try:
        services.meeting_mark_held(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(meeting)


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    try:
        page = selectors.meeting_detail(request.user, pk)
    except Meeting.DoesNotExist:
        raise Http404
    meeting = page.meeting
    existing = {a.organisation_id: a for a in page.attendance}
    form = AttendanceForm(request.POST or None, members=page.members, existing=existing)
    if request.method == "POST" and form.is_valid():
        rows = [
            services.AttendanceRow(
                organisation=org,
                present=form.cleaned_data[p],
                attendee_names=form.cleaned_data[n],
                note=form.cleaned_data[t],
            )
            for org, p, n, t in form.rows
        ]
        try:
            services.attendance_record(actor=request.user, meeting=meeting, rows=rows)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Attendance was recorded."))
            return redirect(meeting)
    return render(request, "council/attendance.html", {"page": page, "meeting": meeting, "form": form})


@login_required
@require_POST
def invitation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("meeting"), pk=pk)
    _require(request, "council.respond_invitation", invitation)
    form = RSVPForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_respond(
                actor=request.user,
                invitation=invitation,
                response=form.cleaned_data["response"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Thank you, your answer was recorded."))
    else:
        messages.error(request, _("Choose whether you will attend."))
    return redirect(invitation.meeting)


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    _require(request, "council.manage")
    form = DocumentForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = data["agenda_item"]
        try:
            services.document_attach(
                actor=request.user,
                title=data["title"],
                title_en=data["title_en"],
                file=data["file"],
                meeting=None if item else meeting,
                agenda_item=item,
                visibility=data["visibility"],
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The document was attached."))
            return redirect(meeting)
    return render(
        request,
        "council/form_page.html",
        {"form": form, "title": _("Attach a document"), "back": meeting, "multipart": True},
    )


def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("meeting", "agenda_item__meeting"), pk=pk)
    if not request.user.has_perm("council.view_document", document):
        return _missing(request, True)
    name = f"{document.title}.{document.extension}" if document.extension else document.title
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    return response


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    document = get_object_or_404(Document.objects.select_related("agenda_item"), pk=pk)
    meeting_id = document.meeting_id or (document.agenda_item.meeting_id if document.agenda_item else None)
    services.document_remove(actor=request.user, document=document)
    messages.success(request, _("The document was removed."))
    if meeting_id:
        return redirect("council:meeting", pk=meeting_id)
    return redirect("council:agenda_list")


# --- Briefing pack -----------------------------------------------------------------------------------------


def _briefing_page(request: HttpRequest, pk: int) -> tuple[selectors.MeetingPage, list[Any]]:
    try:
        page = selectors.meeting_detail(request.user, pk)
    except Meeting.DoesNotExist:
        raise Http404
    _require(request, "council.view_briefing", page.meeting)
    if page.meeting.kind != Meeting.Kind.PLENARY:
        raise Http404
    return page, reports.briefing_sections(request.user, page)


@login_required
def briefing(request: HttpRequest, pk: int) -> HttpResponse:
    page, sections = _briefing_page(request, pk)
    return render(
        request, "council/briefing.html", {"page": page, "meeting": page.meeting, "sections": sections}
    )


@login_required
def briefing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    page, sections = _briefing_page(request, pk)
    return _pdf(reports.briefing_document(page, sections), f"briefing-{pk}")


@login_required
def briefing_hwpx(request: HttpRequest, pk: int) -> HttpResponse:
    page, sections = _briefing_page(request, pk)
    return _hwpx(reports.briefing_document(page, sections), f"briefing-{pk}")


# --- Agenda ------------------------------------------------------------------------------------------------


def agenda_list(request: HttpRequest) -> HttpResponse:
    form = AgendaFilterForm(request.GET or None)
    filters = selectors.AgendaFilters()
    if form.is_valid():
        filters.status = form.cleaned_data["status"]
        filters.origin = form.cleaned_data["origin"]
        filters.q = form.cleaned_data["q"].strip()
        if form.cleaned_data["council"]:
            filters.council = Council.objects.filter(slug=form.cleaned_data["council"]).first()
    qs = selectors.agenda_item_list(request.user, filters)
    return render(
        request,
        "council/agenda_list.html",
        {
            **paginate(request, qs, PER_PAGE),
            "form": form,
            "can_manage": request.user.has_perm("council.manage"),
            "has_requests": selectors.has_requests(),
        },
    )


def agenda_item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.agenda_item_detail(request.user, pk)
    except AgendaItem.DoesNotExist:
        return _missing(request, AgendaItem.objects.filter(pk=pk).exists())
    can_manage = request.user.has_perm("council.manage")
    decisions = list(item.decisions.all())
    actions = [a for d in decisions for a in d.action_items.all()]
    return render(
        request,
        "council/agenda_item.html",
        {
            "item": item,
            "can_manage": can_manage,
            "schedule_form": ScheduleForm(council=item.council) if can_manage else None,
            "carry_form": ScheduleForm(council=item.council, required=False) if can_manage else None,
            **_chain(item, decisions, actions, request.user),
        },
    )


def _agenda_data(data: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "title_en",
        "description_en",
        "source_note",
        "proposing_organisation",
        "presenter_name",
        "duration_minutes",
        "plan_line",
        "visibility",
    )
    return {k: data[k] for k in keys}


@login_required
def agenda_create(request: HttpRequest) -> HttpResponse:
    _require(request, "council.manage")
    meeting = Meeting.objects.filter(pk=request.GET.get("meeting") or 0).select_related("council").first()
    initial: dict[str, Any] = {"origin": AgendaItem.Origin.MEMBER_PROPOSAL}
    if meeting is not None:
        initial.update({"council": meeting.council, "meeting": meeting, "visibility": meeting.visibility})
    else:
        initial["council"] = selectors.main_council()
    form = AgendaItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.agenda_item_propose(
                actor=request.user,
                council=data["council"],
                meeting=data["meeting"],
                title=data["title"],
                description=data["description"],
                origin=data["origin"],
                presenter_organisation=data["presenter_organisation"],
                **_agenda_data(data),
            )
            if data["works_on"]:
                services.agenda_item_link_works_on(
                    actor=request.user, item=item, targets=list(data["works_on"])
                )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The agenda item was added."))
            return redirect(item.meeting if item.meeting_id else item)
    return render(
        request,
        "council/form_page.html",
        {"form": form, "title": _("Add an agenda item"), "back": meeting},
    )


@login_required
def agenda_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    item = get_object_or_404(AgendaItem.objects.select_related("council"), pk=pk)
    fields = [f for f in AgendaItemForm.base_fields if f not in ("council", "meeting", "works_on")]
    initial = {f: getattr(item, f) for f in fields}
    initial["works_on"] = list(item.works_on.all())
    form = AgendaItemForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agenda_item_update(
                actor=request.user,
                item=item,
                title=data["title"],
                description=data["description"],
                origin=data["origin"],
                presenter_organisation=data["presenter_organisation"],
                **_agenda_data(data),
            )
            if item.council.parent_id:
                services.agenda_item_link_works_on(
                    actor=request.user, item=item, targets=list(data["works_on"])
                )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The agenda item was saved."))
            return redirect(item)
    return render(
        request, "council/form_page.html", {"form": form, "title": _("Edit the agenda item"), "back": item}
    )


@login_required
@require_POST
def agenda_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    item = get_object_or_404(AgendaItem.objects.select_related("council"), pk=pk)
    form = ScheduleForm(request.POST, council=item.council)
    if form.is_valid():
        try:
            services.agenda_item_schedule(actor=request.user, item=item, meeting=form.cleaned_data["meeting"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The item is on the meeting's agenda."))
    else:
        messages.error(request, _("Choose a scheduled meeting."))
    return redirect(item)


@login_required
@require_POST
def agenda_carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    item = get_object_or_404(AgendaItem.objects.select_related("council"), pk=pk)
    form = ScheduleForm(request.POST, council=item.council, required=False)
    if not form.is_valid():
        messages.error(request, _("Choose a scheduled meeting."))
        return redirect(item)
    try:
        new = services.agenda_item_carry_over(
            actor=request.user, item=item, meeting=form.cleaned_data["meeting"]
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(item)
    messages.success(request, _("The item was carried over."))
    return redirect(new)


@login_required
@require_POST
def agenda_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    item = get_object_or_404(AgendaItem, pk=pk)
    try:
        services.agenda_item_withdraw(actor=request.user, item=item)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The item was withdrawn."))
    return redirect(item)


@login_required
@require_POST
def agenda_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    _require(request, "council.manage")
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    if item.meeting is None:
        raise Http404
    ids = list(item.meeting.agenda_items.order_by("order", "id").values_list("pk", flat=True))
    i = ids.index(item.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
        try:
            services.agenda_reorder(actor=request.user, meeting=item.meeting, item_ids=ids)
        except ValidationError as exc:
            _errors(request, exc)
    return redirect(f"{item.meeting.get_absolute_url()}#agenda")


@login_required
@require_POST
def agenda_order(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole agenda in a new order (drag and drop): `item` repeated, in order. JSON answer for the script."""
    _require(request, "council.manage")
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        ids = [int(v) for v in request.POST.getlist("item")]
        services.agenda_reorder(actor=request.user, meeting=meeting, item_ids=ids)
    except ValueError:
        return JsonResponse(
            {"error": str(_("The new order must list every item of the agenda once."))}, status=400
        )
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    order = list(meeting.agenda_items.order_by("order", "id").values_list("pk", flat=True))
    return JsonResponse({"message": str(_("The agenda order was saved.")), "order": order})


# --- Decisions ---------------------------------------------------------------------------------------------


def decision_list(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year")
    qs = selectors.decision_list(request.user, year=int(year) if year and year.isdigit() else None)
    return render(request, "council/decision_list.html", {**paginate(request, qs, PER_PAGE), "year": year})


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        decision = selectors.decision_detail(request.user, pk)
    except Decision.DoesNotExist:
        return _missing(request, Decision.objects.filter(pk=pk).exists())
    item = decision.agenda_item
    return render(
        request,
        "council/decision.html",
        {
            "decision": decision,
            "item": item,
            "method": reports.decision_method(decision),
            "can_manage": request.user.has_perm("council.manage"),
            "today": timezone.localdate(),
            **_chain(item, [decision], list(decision.action_items.all()), request.user),
        },
    )


def _decision_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: data[k]
        for k in ("text", "text_en", "method", "votes_for", "votes_against", "votes_abstain", "visibility")
    }


@login_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    form = DecisionForm(
        request.POST or None, initial={"method": Decision.Method.CONSENSUS, "visibility": item.visibility}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                actor=request.user, agenda_item=item, **_decision_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The decision was recorded."))
            if request.GET.get("next") == "meeting" and item.meeting_id:
                return redirect(f"{reverse('council:meeting', args=[item.meeting_id])}#agenda")
            return redirect(item)
    return render(
        request,
        "council/form_page.html",
        {
            "form": form,
            "title": _("Record a decision"),
            "subtitle": item.bilingual("title", get_language()),
            "back": item,
        },
    )


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    decision = get_object_or_404(Decision.objects.select_related("agenda_item"), pk=pk)
    initial = {k: getattr(decision, k) for k in DecisionForm.base_fields}
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(
                actor=request.user, decision=decision, **_decision_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The decision was saved."))
            return redirect(decision)
    return render(
        request, "council/form_page.html", {"form": form, "title": _("Edit the decision"), "back": decision}
    )


# --- Action items ------------------------------------------------------------------------------------------


def action_list(request: HttpRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET or None, organisations=selectors.action_owner_organisations())
    filters = selectors.ActionFilters(mine=request.GET.get("mine") == "1")
    if form.is_valid():
        filters.status = form.cleaned_data["status"]
        filters.overdue = form.cleaned_data["overdue"]
        filters.organisation = form.cleaned_data["organisation"]
    qs = selectors.action_item_list(request.user, filters)
    return render(
        request,
        "council/action_list.html",
        {**paginate(request, qs, PER_PAGE), "form": form, "today": timezone.localdate()},
    )


def action_item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.action_item_detail(request.user, pk)
    except ActionItem.DoesNotExist:
        return _missing(request, ActionItem.objects.filter(pk=pk).exists())
    agenda_item = item.decision.agenda_item
    can_report = request.user.has_perm("council.report_progress", item)
    return render(
        request,
        "council/action_item.html",
        {
            "item": item,
            "agenda_item": agenda_item,
            "can_manage": request.user.has_perm("council.manage"),
            "can_report": can_report,
            "form": ProgressForm(initial={"progress": item.progress}) if can_report else None,
            "today": timezone.localdate(),
            "unmasked": _can_see_names(request),
            **_chain(
                agenda_item, [item.decision], [item.parent, item] if item.parent else [item], request.user
            ),
        },
    )


def _action_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "title",
        "title_en",
        "description",
        "owner_organisation",
        "owner_person",
        "due_on",
        "plan_line",
        "visibility",
    )
    return {k: data[k] for k in keys}


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    decision = get_object_or_404(Decision.objects.select_related("agenda_item"), pk=pk)
    form = ActionItemForm(
        request.POST or None,
        initial={
            "visibility": decision.visibility,
            "plan_line": decision.agenda_item.plan_line,
            "owner_organisation": decision.agenda_item.presenter_organisation,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.action_item_create(
                actor=request.user, decision=decision, **_action_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The action item was created."))
            return redirect(item)
    return render(
        request,
        "council/form_page.html",
        {
            "form": form,
            "title": _("New action item"),
            "subtitle": decision.bilingual("text", get_language()),
            "back": decision,
        },
    )


@login_required
def action_split(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    parent = get_object_or_404(ActionItem.objects.select_related("decision"), pk=pk)
    form = ActionItemForm(
        request.POST or None,
        initial={
            "visibility": parent.visibility,
            "plan_line": parent.plan_line_id,
            "owner_organisation": parent.owner_organisation_id,
            "due_on": parent.due_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.action_item_create(
                actor=request.user, parent=parent, **_action_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The sub-item was created; the item's progress is now rolled up."))
            return redirect(item.parent)
    return render(
        request,
        "council/form_page.html",
        {
            "form": form,
            "title": _("Split into a sub-item"),
            "subtitle": parent.bilingual("title", get_language()),
            "back": parent,
        },
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    item = get_object_or_404(ActionItem, pk=pk)
    initial = {k: getattr(item, k) for k in ActionItemForm.base_fields}
    form = ActionItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_update(actor=request.user, item=item, **_action_kwargs(form.cleaned_data))
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The action item was saved."))
            return redirect(item)
    return render(
        request, "council/form_page.html", {"form": form, "title": _("Edit the action item"), "back": item}
    )


@login_required
def action_report(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ActionItem.objects.select_related("decision__agenda_item__meeting"), pk=pk)
    _require(request, "council.report_progress", item)
    form = ProgressForm(request.POST or None, request.FILES or None, initial={"progress": item.progress})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_item_report(
                actor=request.user,
                item=item,
                progress=data["progress"],
                note=data["note"],
                file=data["file"],
                cancel=data["cancel"],
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The progress was recorded."))
            return redirect(item)
    return render(
        request,
        "council/form_page.html",
        {
            "form": form,
            "title": _("Report progress"),
            "subtitle": item.bilingual("title", get_language()),
            "back": item,
            "multipart": True,
        },
    )


def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(
        ActionUpdate.objects.select_related("action_item__decision__agenda_item__meeting"), pk=pk
    )
    if not update.file or not request.user.has_perm("council.view_action_item", update.action_item):
        return _missing(request, bool(update.file))
    name = Path(update.file.name).name
    return FileResponse(update.file.open("rb"), as_attachment=True, filename=name)


# --- Minutes -----------------------------------------------------------------------------------------------


def _minutes(request: HttpRequest, pk: int) -> Minutes:
    try:
        minutes = selectors.minutes_detail(pk)
    except Minutes.DoesNotExist:
        raise Http404
    if not request.user.has_perm("council.view_minutes", minutes):
        if not request.user.is_authenticated:
            raise PermissionDenied
        raise Http404
    return minutes


def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        minutes = _minutes(request, pk)
    except PermissionDenied:
        return redirect_to_login(request.get_full_path())
    user = request.user
    content = selectors.minutes_content(user, minutes)
    versions = selectors.minutes_versions(minutes.meeting)
    return render(
        request,
        "council/minutes.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "content": content,
            "versions": [v for v in versions if user.has_perm("council.view_minutes", v)],
            "comments": list(minutes.comments.all()) if user.is_authenticated else [],
            "approvals": list(minutes.approvals.all()),
            "can_edit": user.has_perm("council.edit_minutes", minutes),
            "can_circulate": user.has_perm("council.circulate_minutes", minutes),
            "can_comment": user.has_perm("council.comment_minutes", minutes),
            "can_approve": user.has_perm("council.approve_minutes", minutes),
            "can_lock": user.has_perm("council.lock_minutes", minutes),
            "can_correct": user.has_perm("council.correct_minutes", minutes),
            "can_manage": user.has_perm("council.manage"),
            "is_co_chair": minutes.meeting.council_id in services.co_chair_councils(user),
            "comment_form": CommentForm(),
            "superseded_by": Minutes.objects.filter(supersedes=minutes).first(),
        },
    )


def _minutes_export(request: HttpRequest, minutes: Minutes) -> Any:
    """The minutes as a document; with the attendees' names for members and staff, which is logged as an export
    of personal data."""
    with_names = _can_see_names(request)
    if with_names and any(a.attendee_names for a in minutes.meeting.attendances.all()):
        log_access(
            actor=request.user,
            kind=AccessLog.Kind.EXPORT,
            subject=_("Attendees of %(meeting)s") % {"meeting": minutes.meeting.title},
            fields=["attendee names"],
            purpose="council minutes export",
            request=request,
        )
    return reports.minutes_document(request.user, minutes, with_names=with_names)


def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        minutes = _minutes(request, pk)
    except PermissionDenied:
        return redirect_to_login(request.get_full_path())
    return _pdf(_minutes_export(request, minutes), f"minutes-{minutes.meeting_id}-v{minutes.version}")


def minutes_hwpx(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        minutes = _minutes(request, pk)
    except PermissionDenied:
        return redirect_to_login(request.get_full_path())
    return _hwpx(_minutes_export(request, minutes), f"minutes-{minutes.meeting_id}-v{minutes.version}")


@login_required
def minutes_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    meeting = get_object_or_404(Meeting, pk=pk)
    existing = Minutes.objects.filter(meeting=meeting).order_by("-version").first()
    if existing is not None:
        return redirect(existing)
    form = MinutesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            minutes = services.minutes_draft(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The draft minutes were saved."))
            return redirect(minutes)
    return render(
        request,
        "council/form_page.html",
        {"form": form, "title": _("Write the minutes"), "back": meeting, "wide": True},
    )


@login_required
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_or_404(Minutes, pk=pk)
    _require(request, "council.edit_minutes", minutes)
    form = MinutesForm(request.POST or None, initial={"body": minutes.body, "body_en": minutes.body_en})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_edit(actor=request.user, minutes=minutes, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect(minutes)
    return render(
        request,
        "council/form_page.html",
        {"form": form, "title": _("Edit the minutes"), "back": minutes, "wide": True},
    )


def _minutes_action(request: HttpRequest, pk: int, perm: str, action: Any, done: str) -> HttpResponse:
    minutes = get_object_or_404(Minutes, pk=pk)
    _require(request, perm, minutes)
    try:
        action(actor=request.user, minutes=minutes)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)
    return redirect(minutes)


@login_required
@require_POST
def minutes_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    return _minutes_action(
        request,
        pk,
        "council.circulate_minutes",
        services.minutes_circulate,
        _("The minutes were sent to the attendees for comments."),
    )


@login_required
@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _minutes_action(
        request, pk, "council.approve_minutes", services.minutes_approve, _("Your approval was recorded.")
    )


@login_required
@require_POST
def minutes_lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _minutes_action(
        request,
        pk,
        "council.lock_minutes",
        services.minutes_lock,
        _("The minutes are locked and can no longer be edited."),
    )


@login_required
@require_POST
def minutes_comment(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_or_404(Minutes, pk=pk)
    _require(request, "council.comment_minutes", minutes)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_comment(actor=request.user, minutes=minutes, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("Write a comment."))
    return redirect(f"{minutes.get_absolute_url()}#comments")


@login_required
@require_POST
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    comment = get_object_or_404(MinutesComment.objects.select_related("minutes"), pk=pk)
    services.minutes_comment_resolve(actor=request.user, comment=comment)
    return redirect(f"{comment.minutes.get_absolute_url()}#comments")


@login_required
def minutes_correct(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_or_404(Minutes, pk=pk)
    _require(request, "council.correct_minutes", minutes)
    form = CorrectionForm(request.POST or None, initial={"body": minutes.body, "body_en": minutes.body_en})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.minutes_correct(actor=request.user, minutes=minutes, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("A corrected version was created as a draft."))
            return redirect(new)
    return render(
        request,
        "council/form_page.html",
        {"form": form, "title": _("Correct the locked minutes"), "back": minutes, "wide": True},
    )


# --- Yearly plan -------------------------------------------------------------------------------------------


def plan_index(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans()
    if not plans:
        if request.user.has_perm("council.manage") and selectors.main_council() is not None:
            return render(
                request,
                "council/empty.html",
                {"message": _("No yearly plan has been made yet."), "new_plan": True},
            )
        return render(request, "council/empty.html")
    today = timezone.localdate()
    current = next((p for p in plans if p.starts_on <= today <= p.ends_on), plans[0])
    return redirect("council:plan", pk=current.pk)


def _plan_page(request: HttpRequest, pk: int) -> selectors.PlanPage:
    plan = get_object_or_404(PlanProgramme.objects.select_related("council"), pk=pk)
    year = request.GET.get("year")
    return selectors.plan_progress(request.user, plan, year=int(year) if year and year.isdigit() else None)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = _plan_page(request, pk)
    lang = get_language() or "ko"
    chart = {
        "labels": {
            "target": _("Target"),
            "actual": _("Actual"),
        },
        "years": [
            {
                "year": year,
                "id": f"plan-chart-{year}",
                "labels": [ip.indicator.bilingual("label", lang) for lp in lines for ip in lp.indicators],
                "target": [float(ip.indicator.target) for lp in lines for ip in lp.indicators],
                "actual": [ip.actual for lp in lines for ip in lp.indicators],
            }
            for year, lines in page.years
        ],
    }
    return render(
        request,
        "council/plan.html",
        {
            "page": page,
            "plan": page.plan,
            "chart": chart,
            "plans": selectors.plans(),
            "can_manage": request.user.has_perm("council.manage"),
            "today": timezone.localdate(),
        },
    )


def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    page = _plan_page(request, pk)
    return exports.download_response(
        reports.plan_xlsx(page),
        filename=f"council-plan-{pk}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=exports.XLSX_MIME,
    )


def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    page = _plan_page(request, pk)
    return _pdf(reports.plan_document(page), f"council-plan-{pk}-{timezone.localdate():%Y%m%d}")


def plan_line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        line = selectors.plan_line_detail(request.user, pk)
    except PlanLine.DoesNotExist:
        return _missing(request, PlanLine.objects.filter(pk=pk).exists())
    page = selectors.plan_progress(request.user, line.plan, year=line.year)
    progress = next((lp for _y, lines in page.years for lp in lines if lp.line.pk == line.pk), None)
    return render(
        request,
        "council/plan_line.html",
        {
            "line": line,
            "progress": progress,
            "has_requests": selectors.has_requests(),
            "requests": _line_requests(line, request.user),
            "can_manage": request.user.has_perm("council.manage"),
            "indicator_form": IndicatorForm() if request.user.has_perm("council.manage") else None,
            "today": timezone.localdate(),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    """A new yearly plan (연차별 추진계획); its lines and indicators are added on the plan's page."""
    _require(request, "council.manage")
    council = selectors.main_council()
    form = PlanForm(request.POST or None, initial={"council": council.pk if council else None})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The plan was made. Add its lines now."))
            return redirect("council:plan", pk=plan.pk)
    return render(request, "council/form_page.html", {"form": form, "title": _("Make a yearly plan")})


def _line_requests(line: PlanLine, user: Any) -> list[Any]:
    """The requests behind a plan line (``selectors.plan_line_detail``), each with its ``chain_url``."""
    return _request_links(line.linked_requests, user)  # type: ignore[attr-defined]


@login_required
def plan_line_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    plan = get_object_or_404(PlanProgramme, pk=pk)
    return _plan_line_form(request, plan, None)


@login_required
def plan_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    line = get_object_or_404(PlanLine.objects.select_related("plan"), pk=pk)
    return _plan_line_form(request, line.plan, line)


def _plan_line_form(request: HttpRequest, plan: PlanProgramme, line: PlanLine | None) -> HttpResponse:
    initial = (
        {k: getattr(line, k) for k in PlanLineForm.base_fields}
        if line
        else {"year": timezone.localdate().year}
    )
    form = PlanLineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if line is not None and (data["year"], data["title"]) != (line.year, line.title):
                raise ValidationError(
                    _("The year and the title identify a plan line: create a new line instead.")
                )
            saved = services.plan_line_save(actor=request.user, plan=plan, **data)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("The plan line was saved."))
            return redirect(saved)
    return render(
        request,
        "council/form_page.html",
        {
            "form": form,
            "title": _("Plan line"),
            "subtitle": plan.bilingual("title", get_language()),
            "back": line,
        },
    )


@login_required
@require_POST
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    line = get_object_or_404(PlanLine, pk=pk)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        try:
            services.indicator_set(actor=request.user, line=line, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The indicator was saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(line)


@login_required
@require_POST
def indicator_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "council.manage")
    indicator = get_object_or_404(Indicator.objects.select_related("line"), pk=pk)
    line = indicator.line
    services.indicator_remove(actor=request.user, indicator=indicator)
    messages.success(request, _("The indicator was removed."))
    return redirect(line)


@login_required
def plan_import(request: HttpRequest) -> HttpResponse:
    _require(request, "council.import_plan")
    form = PlanImportForm(
        request.POST or None, request.FILES or None, initial={"plan": request.GET.get("plan")}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        plan = form.cleaned_data["plan"]
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        stored = f"imports/{uuid.uuid4().hex}.xlsx"
        with open(Path(settings.MEDIA_ROOT) / stored, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        job = job_create(
            kind="council.plan_import",
            title=_("Import of %(name)s") % {"name": upload.name},
            created_by=request.user,
            params={"filename": upload.name, "plan": plan.pk},
        )
        tasks.import_plan_file.enqueue(job.pk, plan.pk, stored, upload.name)
        return redirect("core:job", pk=job.pk)
    return render(
        request,
        "council/plan_import.html",
        {
            "form": form,
            "plans": selectors.plans(),
            "metrics": all_metrics(),
            "columns": [names[0] for names in PLAN_COLUMNS.values()],
        },
    )


def plan_import_template(request: HttpRequest) -> HttpResponse:
    """A sample import file for the plan ``?plan=<id>`` (default: the current plan), in a year of that plan, so
    that it imports as it is."""
    from .importers import template_headers

    plans = selectors.plans()
    wanted = request.GET.get("plan", "")
    today = timezone.localdate()
    if wanted:
        plan = next((p for p in plans if str(p.pk) == wanted), None)
        if plan is None:
            raise Http404
    elif plans:
        plan = next((p for p in plans if p.starts_on <= today <= p.ends_on), plans[0])
    else:
        plan = None
    content = exports.xlsx_bytes(
        [exports.Sheet("연차별 추진계획", template_headers(), _sample_rows(plan, today))]
    )
    name = f"council-plan-{plan.pk}-template.xlsx" if plan else "council-plan-template.xlsx"
    return exports.download_response(content, filename=name, content_type=exports.XLSX_MIME)


def _sample_rows(plan: PlanProgramme | None, today: date) -> list[list[Any]]:
    """Two sample rows in a year of ``plan`` (this year, or the plan's nearest year), with a period clipped to the
    plan and metrics that are registered (company visits only where the requests app provides them)."""
    from .metrics import get_metric

    if plan is None:
        year, start, end = today.year, date(today.year, 1, 1), date(today.year, 12, 31)
    else:
        year = min(max(today.year, plan.starts_on.year), plan.ends_on.year)
        start, end = max(date(year, 1, 1), plan.starts_on), min(date(year, 12, 31), plan.ends_on)
    second = (
        [
            "기업 방문",
            "Visit companies",
            "기업 방문",
            "Company visits",
            "company_visits",
            24,
            "개사",
            "companies",
        ]
        if get_metric("company_visits") is not None
        else [
            "실무회의 개최",
            "Hold working meetings",
            "실무회의 개최",
            "Working meetings held",
            "working_meetings_held",
            4,
            "회",
            "times",
        ]
    )
    return [
        [
            year,
            "협의회 개최",
            "Hold council meetings",
            start.isoformat(),
            end.isoformat(),
            "본회의 개최",
            "Plenaries held",
            "plenaries_held",
            2,
            "회",
            "times",
            1,
        ],
        [year, second[0], second[1], "", "", *second[2:], 2],
    ]


# --- Calendar ----------------------------------------------------------------------------------------------


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.calendar_feed_reset(user=request.user)
        messages.success(request, _("A new calendar address was made; the old one no longer works."))
        return redirect("council:my_calendar")
    feed = services.calendar_feed_for(user=request.user)
    url = request.build_absolute_uri(reverse("council:calendar_feed", args=[feed.token]))
    meetings = list(selectors.meetings_for_person(request.user).filter(starts_at__gte=timezone.now())[:20])
    return render(
        request,
        "council/my_calendar.html",
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1], "meetings": meetings},
    )


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's meetings for calendar clients: the secret address is the only credential."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
    user = feed.user
    from django.utils import translation

    with translation.override(user.language or settings.LANGUAGE_CODE):
        content = calendar.feed_ics(
            selectors.meetings_for_person(user),
            name=_("G-Valley council meetings of %(name)s") % {"name": user.name},
        )
    response = HttpResponse(content, content_type=exports.ICS_MIME)
    response["Cache-Control"] = "private, max-age=900"
    return response


def _today() -> date:
    return timezone.localdate()
