"""Pages of the export consultation. Every page takes the programme's primary key (``week.Programme``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from gvalley.core import exports
from gvalley.core.models import AccessLog
from gvalley.core.paginate import paginate
from gvalley.core.services import log_access
from gvalley.week.models import Programme

from . import forms, selectors, services
from .models import Buyer, Event, Interpreter, Meeting, Preference, Seller

PER_PAGE = 20
KINDS = ("buyer", "seller", "interpreter")


# --- helpers ------------------------------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        if not request.user.is_authenticated:
            raise PermissionDenied(_("Log in first."))
        raise PermissionDenied


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _error_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` address if it stays on this site (no open redirect), else ``default``."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _programme(pk: int) -> tuple[Programme, Event | None]:
    try:
        programme = selectors.programme_with_event(pk=pk)
    except Programme.DoesNotExist:
        raise Http404
    return programme, selectors.event_of_programme(programme)


def _event(pk: int) -> Event:
    _p, event = _programme(pk)
    if event is None:
        raise Http404
    return event


def _participant(event: Event, kind: str, pid: int) -> Buyer | Seller | Interpreter:
    if kind not in KINDS:
        raise Http404
    try:
        return selectors.participant(event=event, kind=kind, pk=pid)
    except (Buyer.DoesNotExist, Seller.DoesNotExist, Interpreter.DoesNotExist):
        raise Http404


def _schedule_url(event: Event) -> str:
    return reverse("matchmaking:schedule", args=[event.programme_id])


# --- public and participant pages ---------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    events = list(selectors.event_list())
    unset = []
    if request.user.has_perm("matchmaking.view_organiser_home"):
        unset = list(
            Programme.objects.filter(kind=Programme.Kind.EXPORT_CONSULTATION, consultation_event__isnull=True)
            .select_related("edition")
            .order_by("-edition__year")
        )
    return render(request, "matchmaking/home.html", {"events": events, "unset": unset})


def programme(request: HttpRequest, pk: int) -> HttpResponse:
    prog, event = _programme(pk)
    ctx: dict[str, Any] = {"programme": prog, "edition": prog.edition, "event": event}
    if event is not None:
        now = timezone.now()
        ctx.update(
            counts=selectors.event_counts(event),
            sessions=selectors.sessions_with_slots(event),
            mine=selectors.my_registrations(event=event, user=request.user),
            registration_open=event.registration_opens_at <= now < event.registration_closes_at,
            preferences_open=now < event.preferences_close_at,
            is_organiser=request.user.has_perm("matchmaking.manage_event", event),
            can_register_buyer=request.user.has_perm("matchmaking.register_buyer", event),
            can_register_company=request.user.has_perm("matchmaking.register_company", event),
        )
    else:
        ctx["is_organiser"] = request.user.has_perm("matchmaking.view_organiser_home")
    return render(request, "matchmaking/programme.html", ctx)


def buyer_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    user = request.user
    if user.is_authenticated and event.buyers.filter(contact=user).exists():
        buyer = event.buyers.get(contact=user)
        return redirect("matchmaking:participant", pk, "buyer", buyer.pk)
    if not (
        user.has_perm("matchmaking.register_buyer", event) or user.has_perm("matchmaking.manage_event", event)
    ):
        return render(request, "matchmaking/registration_closed.html", {"event": event}, status=403)
    anonymous = not user.is_authenticated
    initial = {"timezone": getattr(user, "timezone", "") or "Asia/Jakarta", "language": "en"}
    form = forms.BuyerRegistrationForm(
        request.POST or None, event=event, anonymous=anonymous, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            buyer = services.buyer_register(
                actor=None if anonymous else user,
                event=event,
                company_name=data["company_name"],
                country=data["country"],
                timezone_name=data["timezone"],
                language=data["language"],
                products_sought=data["products_sought"],
                purchase_volume_usd=data["purchase_volume_usd"] or 0,
                industries=data["industries"],
                website=data.get("website") or "",
                agree_programme=data["agree_programme"],
                email=data.get("email", ""),
                name=data.get("name", ""),
                password=data.get("password1", ""),
                account_notices=form.account_notices() if anonymous else (),
                ip_address=_client_ip(request),
                wanted_max_meetings=data.get("wanted_max_meetings"),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if anonymous:
                return render(
                    request,
                    "matchmaking/buyer_registered.html",
                    {"event": event, "email": buyer.contact.email},
                )
            messages.success(request, _("You are registered. Now tell us whom you would like to meet."))
            return redirect("matchmaking:preferences", pk, "buyer", buyer.pk)
    return render(
        request, "matchmaking/buyer_register.html", {"event": event, "form": form, "notices": form.notices}
    )


@login_required
def company_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    organiser = request.user.has_perm("matchmaking.manage_event", event)
    if not (request.user.has_perm("matchmaking.register_company", event) or organiser):
        return render(request, "matchmaking/registration_closed.html", {"event": event}, status=403)
    companies = services.companies_represented(request.user)
    registered = set(event.sellers.values_list("company_id", flat=True))
    available = [c for c in companies if c.pk not in registered]
    form = forms.SellerRegistrationForm(request.POST or None, companies=available)
    defaults = {c.pk: services.seller_defaults(c) for c in available}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seller = services.seller_register(
                actor=request.user,
                event=event,
                company=data["company"],
                agree_programme=data["agree_programme"],
                products=data["products"],
                products_en=data["products_en"],
                certifications=data["certifications"],
                export_experience=data["export_experience"],
                target_countries=data["target_countries"],
                ip_address=_client_ip(request),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The company is registered. Now state your preferences."))
            return redirect("matchmaking:preferences", pk, "seller", seller.pk)
    mine = list(event.sellers.filter(contact=request.user).select_related("company"))
    return render(
        request,
        "matchmaking/company_register.html",
        {"event": event, "form": form, "companies": available, "defaults": defaults, "mine": mine},
    )


def participant(request: HttpRequest, pk: int, kind: str, pid: int) -> HttpResponse:
    event = _event(pk)
    owner = _participant(event, kind, pid)
    _require(request, "matchmaking.view_participant", owner)
    can_change = request.user.has_perm("matchmaking.change_participant", owner)
    form: Any = None
    if kind == "buyer":
        assert isinstance(owner, Buyer)
        initial = {
            "country": owner.country,
            "timezone": owner.timezone,
            "language": owner.language,
            "products_sought": owner.products_sought,
            "purchase_volume_usd": owner.purchase_volume_usd,
            "industries": list(owner.industries.all()),
            "wanted_max_meetings": owner.wanted_max_meetings,
        }
        form = forms.BuyerProfileForm(request.POST or None, initial=initial, cap=owner.meeting_cap(event))
    elif kind == "seller":
        assert isinstance(owner, Seller)
        form = forms.SellerProfileForm(
            request.POST or None,
            initial={k: getattr(owner, k) for k in forms.SellerProfileForm.base_fields},
        )
    if request.method == "POST" and form is not None:
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                if isinstance(owner, Buyer):
                    services.buyer_update(
                        actor=request.user,
                        buyer=owner,
                        country=data["country"],
                        timezone_name=data["timezone"],
                        language=data["language"],
                        products_sought=data["products_sought"],
                        purchase_volume_usd=data["purchase_volume_usd"],
                        industries=data["industries"],
                        wanted_max_meetings=data["wanted_max_meetings"],
                    )
                elif isinstance(owner, Seller):
                    services.seller_update(actor=request.user, seller=owner, **data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("matchmaking:participant", pk, kind, pid)
    limits = owner.meeting_limits(event) if isinstance(owner, (Buyer, Seller)) else None
    limits_form = None
    if limits is not None and request.user.has_perm("matchmaking.manage_event", event):
        assert isinstance(owner, (Buyer, Seller))
        limits_form = forms.MeetingLimitsForm(
            initial={"min_meetings": owner.min_meetings, "max_meetings": owner.max_meetings},
            defaults=_event_limits(event, kind),
            prefix="lim",
        )
    return render(
        request,
        "matchmaking/participant.html",
        {
            "event": event,
            "owner": owner,
            "kind": kind,
            "limits": limits,
            "limits_form": limits_form,
            "form": form if can_change else None,
            "availability": selectors.availability_of(owner),
            "can_change": can_change,
            "can_agenda": request.user.has_perm("matchmaking.view_agenda", owner),
            "preference_count": len(selectors.own_levels(owner)) if kind != "interpreter" else 0,
        },
    )


def _event_limits(event: Event, kind: str) -> tuple[int, int]:
    if kind == "buyer":
        return event.buyer_min_meetings, event.buyer_max_meetings
    return event.seller_min_meetings, event.seller_max_meetings


@require_POST
@login_required
def participant_limits(request: HttpRequest, pk: int, kind: str, pid: int) -> HttpResponse:
    """The organiser sets one buyer's or company's minimum and maximum meetings (empty = the event's)."""
    event = _event(pk)
    if kind not in ("buyer", "seller"):
        raise Http404
    _require(request, "matchmaking.manage_event", event)
    owner = _participant(event, kind, pid)
    assert isinstance(owner, (Buyer, Seller))
    form = forms.MeetingLimitsForm(request.POST, defaults=_event_limits(event, kind), prefix="lim")
    if form.is_valid():
        try:
            services.meeting_limits_set(
                actor=request.user,
                participant=owner,
                min_meetings=form.cleaned_data["min_meetings"],
                max_meetings=form.cleaned_data["max_meetings"],
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("The minimum and maximum meetings are saved."))
    else:
        _error_messages(request, ValidationError(form.errors))
    return redirect("matchmaking:participant", pk, kind, pid)


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int, kind: str, pid: int) -> HttpResponse:
    event = _event(pk)
    if kind not in ("buyer", "seller"):
        raise Http404
    owner = _participant(event, kind, pid)
    assert isinstance(owner, (Buyer, Seller))
    _require(request, "matchmaking.change_participant", owner)
    services.participant_withdraw(actor=request.user, participant=owner)
    messages.success(request, _("The registration is withdrawn; its meetings are cancelled."))
    return redirect("matchmaking:participant", pk, kind, pid)


def availability(request: HttpRequest, pk: int, kind: str, pid: int) -> HttpResponse:
    event = _event(pk)
    owner = _participant(event, kind, pid)
    _require(request, "matchmaking.view_participant", owner)
    can_change = request.user.has_perm("matchmaking.change_participant", owner)
    days = forms.programme_days(event)
    tz = services.zone(owner.timezone) if owner.timezone else None
    rows = selectors.availability_of(owner)
    initial = [
        {
            "day": timezone.localtime(a.starts_at, tz).date().isoformat(),
            "starts": timezone.localtime(a.starts_at, tz).time(),
            "ends": timezone.localtime(a.ends_at, tz).time(),
        }
        for a in rows
    ]
    extra = 3
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        formset = forms.AvailabilityFormSet(request.POST, form_kwargs={"days": days}, prefix="av")
        if formset.is_valid():
            try:
                services.availability_set(actor=request.user, owner=owner, intervals=formset.intervals())
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)  # shown above the rows
            else:
                messages.success(request, _("Your availability is saved."))
                return redirect("matchmaking:participant", pk, kind, pid)
    else:
        formset = forms.AvailabilityFormSet(
            initial=initial + [{}] * extra, form_kwargs={"days": days}, prefix="av"
        )
    return render(
        request,
        "matchmaking/availability.html",
        {
            "event": event,
            "owner": owner,
            "kind": kind,
            "formset": formset,
            "sessions": selectors.sessions_with_slots(event),
            "owner_tz": tz,
            "can_change": can_change,
        },
    )


def preferences(request: HttpRequest, pk: int, kind: str, pid: int) -> HttpResponse:
    event = _event(pk)
    if kind not in ("buyer", "seller"):
        raise Http404
    owner = _participant(event, kind, pid)
    assert isinstance(owner, (Buyer, Seller))
    _require(request, "matchmaking.view_preferences", owner)
    can_change = request.user.has_perm("matchmaking.change_preferences", owner)
    q = request.GET.get("q", "").strip()
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        ids = [int(v) for v in request.POST.getlist("row") if v.isdigit()]
        levels = {i: request.POST.get(f"pref-{i}", "") for i in ids}
        try:
            counts = services.preferences_set(actor=request.user, owner=owner, levels=levels)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(
                request,
                _("Preferences saved (%(set)s set, %(cleared)s cleared).")
                % {"set": counts["set"], "cleared": counts["cleared"]},
            )
            return redirect(request.get_full_path())
    page = paginate(request, selectors.counterparts(owner=owner, q=q), PER_PAGE)
    return render(
        request,
        "matchmaking/preferences.html",
        {
            "event": event,
            "owner": owner,
            "kind": kind,
            "q": q,
            "levels": selectors.own_levels(owner),
            "choices": forms.PREFERENCE_CHOICES,
            "can_change": can_change,
            **page,
        },
    )


def seller_profile(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.view_profiles", event)
    try:
        seller = Seller.objects.select_related("company__industry", "company__complex").get(
            event=event, pk=sid
        )
    except Seller.DoesNotExist:
        raise Http404
    return render(request, "matchmaking/seller_profile.html", {"event": event, "seller": seller})


def buyer_profile(request: HttpRequest, pk: int, bid: int) -> HttpResponse:
    event = _event(pk)
    try:
        buyer = (
            Buyer.objects.select_related("organisation", "event__programme")
            .prefetch_related("industries")
            .get(event=event, pk=bid)
        )
    except Buyer.DoesNotExist:
        raise Http404
    _require(request, "matchmaking.view_buyer_profile", buyer)
    return render(request, "matchmaking/buyer_profile.html", {"event": event, "buyer": buyer})


def agenda(request: HttpRequest, pk: int, kind: str, pid: int) -> HttpResponse:
    event = _event(pk)
    owner = _participant(event, kind, pid)
    _require(request, "matchmaking.view_agenda", owner)
    meetings = selectors.agenda(owner=owner)
    if not event.is_published:
        meetings = [m for m in meetings if m.status == Meeting.Status.SCHEDULED]
    return render(
        request,
        "matchmaking/agenda.html",
        {"event": event, "owner": owner, "kind": kind, "meetings": meetings},
    )


def agenda_ics(request: HttpRequest, pk: int, kind: str, pid: int) -> HttpResponse:
    event = _event(pk)
    owner = _participant(event, kind, pid)
    _require(request, "matchmaking.view_agenda", owner)
    meetings = selectors.agenda(owner=owner)
    content = selectors.agenda_ics(owner=owner, meetings=meetings)
    return exports.download_response(
        content, filename=f"gvalley-export-consultation-{kind}-{pid}.ics", content_type=exports.ICS_MIME
    )


def meeting(request: HttpRequest, mid: int) -> HttpResponse:
    try:
        m = selectors.meeting_detail(pk=mid)
    except Meeting.DoesNotExist:
        raise Http404
    _require(request, "matchmaking.view_meeting", m)
    user = request.user
    ctx: dict[str, Any] = {"meeting": m, "event": m.event}
    ctx["is_organiser"] = user.has_perm("matchmaking.change_schedule", m.event)
    ctx["can_record"] = (
        user.has_perm("matchmaking.record_meeting", m) and m.status == Meeting.Status.SCHEDULED
    )
    ctx["side"] = (
        "buyer" if m.buyer.contact_id == user.pk else ("seller" if m.seller.contact_id == user.pk else "")
    )
    ctx["can_rate"] = (
        bool(ctx["side"])
        and m.attendance == Meeting.Attendance.HELD
        and user.has_perm("matchmaking.rate_meeting", m)
    )
    record = getattr(m, "record", None)
    if ctx["can_record"]:
        ctx["record_form"] = forms.RecordForm(instance=record, prefix="rec")
        ctx["attendance_form"] = forms.AttendanceForm(
            initial={"attendance": m.attendance, "no_show_side": m.no_show_side}, prefix="att"
        )
    if ctx["can_rate"]:
        mine = m.ratings.filter(side=ctx["side"]).first()
        ctx["rating"] = mine
        ctx["rate_form"] = forms.SatisfactionForm(
            initial={"score": mine.score, "comment": mine.comment} if mine else None, prefix="rate"
        )
    # a meeting that took place (attendance or a record entered) is neither moved nor cancelled
    ctx["took_place"] = m.attendance != Meeting.Attendance.PENDING or record is not None
    if ctx["is_organiser"]:
        ctx["move_form"] = forms.MoveForm(event=m.event, initial={"slot": m.slot_id}, prefix="mv")
        ctx["cancel_form"] = forms.CancelForm(prefix="cx")
        ctx["ratings"] = list(m.ratings.all())
    return render(request, "matchmaking/meeting.html", ctx)


def _meeting_for_post(request: HttpRequest, mid: int, perm: str) -> Meeting:
    try:
        m = selectors.meeting_detail(pk=mid)
    except Meeting.DoesNotExist:
        raise Http404
    _require(request, perm, m if perm != "matchmaking.change_schedule" else m.event)
    return m


@require_POST
def meeting_record(request: HttpRequest, mid: int) -> HttpResponse:
    m = _meeting_for_post(request, mid, "matchmaking.record_meeting")
    form = forms.RecordForm(request.POST, instance=getattr(m, "record", None), prefix="rec")
    if form.is_valid():
        try:
            services.record_save(actor=request.user, meeting=m, **form.cleaned_data)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("The consultation record is saved."))
    else:
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {e}")
    return redirect("matchmaking:meeting", mid)


@require_POST
def meeting_attendance(request: HttpRequest, mid: int) -> HttpResponse:
    m = _meeting_for_post(request, mid, "matchmaking.record_meeting")
    form = forms.AttendanceForm(request.POST, prefix="att")
    if form.is_valid():
        try:
            services.attendance_set(actor=request.user, meeting=m, **form.cleaned_data)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("Attendance saved."))
    return redirect("matchmaking:meeting", mid)


@require_POST
def meeting_rate(request: HttpRequest, mid: int) -> HttpResponse:
    m = _meeting_for_post(request, mid, "matchmaking.rate_meeting")
    side = "buyer" if m.buyer.contact_id == request.user.pk else "seller"
    form = forms.SatisfactionForm(request.POST, prefix="rate")
    if form.is_valid():
        try:
            services.satisfaction_rate(actor=request.user, meeting=m, side=side, **form.cleaned_data)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("Thank you for your rating."))
    else:
        messages.error(request, _("Choose a score from 1 to 5."))
    return redirect("matchmaking:meeting", mid)


@require_POST
def meeting_lock(request: HttpRequest, mid: int) -> HttpResponse:
    m = _meeting_for_post(request, mid, "matchmaking.change_schedule")
    try:
        services.meeting_lock(actor=request.user, meeting=m, locked=request.POST.get("locked") == "1")
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Locked.") if m.locked else _("Unlocked."))
    return redirect(_safe_next(request, reverse("matchmaking:meeting", args=[mid])))


@require_POST
def meeting_move(request: HttpRequest, mid: int) -> HttpResponse:
    m = _meeting_for_post(request, mid, "matchmaking.change_schedule")
    form = forms.MoveForm(request.POST, event=m.event, prefix="mv")
    if form.is_valid():
        try:
            services.meeting_move(actor=request.user, meeting=m, slot=form.cleaned_data["slot"])
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("The meeting is moved."))
    else:
        messages.error(request, _("Choose a slot."))
    return redirect("matchmaking:meeting", mid)


@require_POST
def meeting_cancel(request: HttpRequest, mid: int) -> HttpResponse:
    m = _meeting_for_post(request, mid, "matchmaking.change_schedule")
    form = forms.CancelForm(request.POST, prefix="cx")
    form.is_valid()
    try:
        services.meeting_cancel(actor=request.user, meeting=m, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        _error_messages(request, exc)
        return redirect("matchmaking:meeting", mid)
    messages.success(
        request,
        _(
            "The meeting is cancelled and the pair is excluded: re-optimisation will not schedule it again. "
            "To allow it again, clear the decision on the pairs page or add the meeting by hand."
        ),
    )
    return redirect(_schedule_url(m.event))


# --- statistics ---------------------------------------------------------------------------------------------


def statistics(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    data = selectors.statistics(event)
    page = paginate(request, data["by_company"], PER_PAGE)
    return render(
        request,
        "matchmaking/statistics.html",
        {
            "event": event,
            "stats": data,
            "can_export": request.user.has_perm("matchmaking.export_statistics", event),
            **page,
        },
    )


@login_required
def statistics_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.export_statistics", event)
    data = selectors.statistics(event)
    en = request.LANGUAGE_CODE == "en"
    t = data["totals"]
    summary = [
        [_("Consultations"), t["consultations"]],
        [_("Consultation amount (USD)"), t["amount"]],
        [_("Expected contract amount (USD)"), t["expected"]],
        [_("Companies with a consultation"), t["companies"]],
        [_("Buyers with a consultation"), t["buyers"]],
        [_("Meetings scheduled"), data["meetings"]["scheduled"]],
        [pgettext("consultation", "Held"), data["meetings"]["held"]],
        [_("No-show"), data["meetings"]["no_show"]],
    ]
    amount_headers = [_("Consultations"), _("Consultation amount (USD)"), _("Expected contract amount (USD)")]
    countries = [[r["label"], r["consultations"], r["amount"], r["expected"]] for r in data["by_country"]]
    industries = [
        [
            r["meeting__seller__company__industry__division"],
            r["meeting__seller__company__industry__division_name_en"]
            if en
            else r["meeting__seller__company__industry__division_name"],
            r["consultations"],
            r["amount"],
            r["expected"],
        ]
        for r in data["by_industry"]
    ]
    companies = [
        [
            r["meeting__seller__company__name_en"]
            if en and r["meeting__seller__company__name_en"]
            else r["meeting__seller__company__name"],
            r["consultations"],
            r["amount"],
            r["expected"],
        ]
        for r in data["by_company"]
    ]
    records = [
        [
            timezone.localtime(r.meeting.slot.starts_at),
            r.meeting.buyer.name,
            r.meeting.buyer.get_country_display(),
            r.meeting.seller.company.name,
            r.meeting.seller.company.industry.code,
            r.products_discussed,
            r.consultation_usd,
            r.expected_contract_usd,
            r.get_follow_up_display(),
        ]
        for r in selectors.record_rows(event)
    ]
    content = exports.xlsx_bytes(
        [
            exports.Sheet(_("Summary"), [_("Figure"), _("Value")], summary, widths=(36, 18)),
            exports.Sheet(_("By country"), [_("Country"), *amount_headers], countries),
            exports.Sheet(_("By industry"), [_("KSIC division"), _("Industry"), *amount_headers], industries),
            exports.Sheet(_("By company"), [_("Company"), *amount_headers], companies),
            exports.Sheet(
                _("Consultations"),
                [
                    _("Time"),
                    _("Buyer"),
                    _("Country"),
                    _("Company"),
                    _("KSIC code"),
                    _("Products discussed"),
                    _("Consultation amount (USD)"),
                    _("Expected contract amount (USD)"),
                    _("Follow-up"),
                ],
                records,
            ),
        ]
    )
    log_access(
        actor=request.user,
        kind=AccessLog.Kind.EXPORT,
        subject=_("Export consultation records of %(event)s") % {"event": event.programme.title},
        fields=["company", "buyer"],
        purpose="matchmaking statistics export",
        request=request,
        record_count=len(records),
    )
    name = f"gvalley-export-consultation-{event.programme.edition.year}.xlsx"
    return exports.download_response(content, filename=name, content_type=exports.XLSX_MIME)


# --- organiser pages ----------------------------------------------------------------------------------------


@login_required
def setup(request: HttpRequest, pk: int) -> HttpResponse:
    prog, event = _programme(pk)
    if event is None:
        _require(request, "matchmaking.view_organiser_home")
        from .rules import handler_organisations

        if (
            prog.operator_id
            and not request.user.has_role("operator")
            and prog.operator_id not in handler_organisations(request.user)
        ):
            raise PermissionDenied
    else:
        _require(request, "matchmaking.manage_event", event)
    initial = None
    if event is None:
        start = timezone.make_aware(datetime.combine(prog.starts_on, datetime.min.time()))
        initial = {
            "timezone": "Asia/Seoul",
            "languages": ["en", "ms", "id", "vi", "th"],
            "registration_opens_at": start - timedelta(days=45),
            "registration_closes_at": start - timedelta(days=14),
            "preferences_close_at": start - timedelta(days=7),
        }
    form = forms.EventForm(request.POST or None, instance=event, initial=initial, prefix="ev")
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in forms.EventForm.Meta.fields}
        try:
            if event is None:
                event = services.event_create(actor=request.user, programme=prog, **fields)
            else:
                services.event_update(actor=request.user, event=event, **fields)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The event settings are saved."))
            return redirect("matchmaking:setup", pk)
    ctx: dict[str, Any] = {"programme": prog, "event": event, "form": form}
    if event is not None:
        ctx.update(
            sessions=selectors.sessions_with_slots(event),
            interpreters=selectors.interpreter_list(event),
            session_form=forms.SessionForm(event=event, prefix="se"),
            interpreter_form=forms.InterpreterForm(prefix="in"),
        )
    return render(request, "matchmaking/setup.html", ctx)


@require_POST
@login_required
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    form = forms.SessionForm(request.POST, event=event, prefix="se")
    if form.is_valid():
        try:
            services.session_add(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("The session is added."))
    else:
        messages.error(request, _("Give the day, the session and its start and end times."))
    return redirect("matchmaking:setup", pk)


@require_POST
@login_required
def session_remove(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    session = event.sessions.filter(pk=sid).first()
    if session is None:
        raise Http404
    try:
        services.session_remove(actor=request.user, session=session)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("The session is removed."))
    return redirect("matchmaking:setup", pk)


@require_POST
@login_required
def interpreter_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    form = forms.InterpreterForm(request.POST, prefix="in")
    if form.is_valid():
        try:
            services.interpreter_add(
                actor=request.user,
                event=event,
                user=form.cleaned_data["email"],
                languages=form.cleaned_data["languages"],
                max_consecutive=form.cleaned_data["max_consecutive"],
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("The interpreter is added."))
    else:
        _error_messages(request, ValidationError(form.errors))
    return redirect("matchmaking:setup", pk)


def _interpreter(event: Event, iid: int) -> Interpreter:
    interpreter = event.interpreters.select_related("user").filter(pk=iid).first()
    if interpreter is None:
        raise Http404
    return interpreter


@login_required
def interpreter_edit(request: HttpRequest, pk: int, iid: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    interpreter = _interpreter(event, iid)
    initial = {"languages": interpreter.languages, "max_consecutive": interpreter.max_consecutive}
    form = forms.InterpreterEditForm(request.POST or None, initial=initial, prefix="in")
    if request.method == "POST" and form.is_valid():
        try:
            services.interpreter_update(
                actor=request.user,
                interpreter=interpreter,
                languages=form.cleaned_data["languages"],
                max_consecutive=form.cleaned_data["max_consecutive"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The interpreter is saved."))
            return redirect("matchmaking:setup", pk)
    return render(
        request,
        "matchmaking/interpreter_edit.html",
        {"event": event, "interpreter": interpreter, "form": form},
    )


@require_POST
@login_required
def interpreter_remove(request: HttpRequest, pk: int, iid: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    interpreter = _interpreter(event, iid)
    try:
        handover = services.interpreter_remove(actor=request.user, interpreter=interpreter)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        if handover:
            messages.success(
                request,
                ngettext(
                    "The interpreter is removed; his %(n)s meeting has another interpreter now.",
                    "The interpreter is removed; his %(n)s meetings have other interpreters now.",
                    len(handover),
                )
                % {"n": len(handover)},
            )
        else:
            messages.success(request, _("The interpreter is removed."))
    return redirect("matchmaking:setup", pk)


@login_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    side = "sellers" if request.GET.get("side") == "sellers" else "buyers"
    q = request.GET.get("q", "").strip()
    unmask = request.GET.get("unmask") == "1"
    qs: Any = (
        selectors.seller_list(event=event, q=q)
        if side == "sellers"
        else selectors.buyer_list(event=event, q=q)
    )
    page = paginate(request, qs, PER_PAGE)
    if unmask:
        log_access(
            actor=request.user,
            kind=AccessLog.Kind.UNMASK,
            subject=_("Contact persons of %(event)s") % {"event": event.programme.title},
            fields=["name", "email", "phone"],
            purpose="matchmaking registrations",
            request=request,
            record_count=len(page["object_list"]),
        )
    return render(
        request,
        "matchmaking/registrations.html",
        {"event": event, "side": side, "q": q, "unmask": unmask, **page},
    )


@login_required
def pairs(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    buyer_id = request.GET.get("buyer", "")
    rows = selectors.pair_rows(event=event, buyer_id=int(buyer_id) if buyer_id.isdigit() else None)
    page = paginate(request, rows, PER_PAGE)
    fix_form = forms.PairForm(event=event)
    return render(
        request,
        "matchmaking/pairs.html",
        {
            "event": event,
            "buyers": list(event.buyers.select_related("organisation").order_by("organisation__name")),
            "buyer_id": buyer_id,
            "fix_form": fix_form,
            "decision_choices": forms.PairDecisionForm.base_fields["level"].choices,
            "session_choices": forms.PAIR_SESSION_CHOICES,
            **page,
        },
    )


@login_required
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    from . import scheduling

    recs = scheduling.recommendations(event)
    buyers = {b.pk: b for b in event.buyers.select_related("organisation")}
    sellers = {s.pk: s for s in event.sellers.select_related("company")}
    stated = set(Preference.objects.filter(event=event, side="buyer").values_list("buyer_id", flat=True))
    rows = [
        {"buyer": buyers[b], "stated": b in stated, "items": [(sellers[s], score) for s, score in items]}
        for b, items in sorted(recs.items(), key=lambda kv: buyers[kv[0]].name)
    ]
    page = paginate(request, rows, PER_PAGE)
    return render(request, "matchmaking/recommendations.html", {"event": event, **page})


@require_POST
@login_required
def pair_decide(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    buyer = event.buyers.filter(pk=request.POST.get("buyer") or 0).first()
    seller = event.sellers.filter(pk=request.POST.get("seller") or 0).first()
    if buyer is None or seller is None:
        messages.error(request, _("Choose a buyer and a company."))
    else:
        try:
            services.pair_decide(
                actor=request.user,
                buyer=buyer,
                seller=seller,
                level=request.POST.get("level", ""),
                note=request.POST.get("note", "")[:300],
                # absent (an older form): the pair's session stays as it is
                session=request.POST.get("session"),
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("The decision is saved."))
    return redirect(_safe_next(request, reverse("matchmaking:pairs", args=[pk])))


@login_required
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    run = selectors.last_run(event)
    who = request.GET.get("who", "")
    focus: Any = None
    focus_meetings: list[Meeting] = []
    if "-" in who:
        kind, _sep, pid = who.partition("-")
        if kind in ("buyer", "seller", "interpreter") and pid.isdigit():
            focus = _participant(event, kind, int(pid))
            focus_meetings = [
                m for m in selectors.agenda(owner=focus) if m.status == Meeting.Status.SCHEDULED
            ]
    return render(
        request,
        "matchmaking/schedule.html",
        {
            "event": event,
            "run": run,
            "job": run.job
            if run
            and run.job
            and (run.job.created_by_id == request.user.pk or request.user.has_role("operator"))
            else None,
            "grid": selectors.schedule_grid(event),
            "session_pairs": selectors.session_pairs(event),
            "rooms": range(1, event.rooms + 1),
            "unscheduled": selectors.unscheduled_of(run),
            "people": [(f"{p.kind}-{p.pk}", p) for p in selectors.agenda_owners(event=event)],
            "who": who,
            "focus": focus,
            "focus_meetings": focus_meetings,
            "add_form": forms.AddMeetingForm(event=event, prefix="add"),
            "counts": selectors.event_counts(event),
        },
    )


@require_POST
@login_required
def schedule_run(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    kind = "reoptimise" if event.meetings.filter(status=Meeting.Status.SCHEDULED).exists() else "initial"
    try:
        services.schedule_request(actor=request.user, event=event, kind=kind)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("The scheduler has started. Its progress is shown below."))
        if event.is_published:
            messages.warning(
                request,
                _(
                    "If the run changes the published schedule, the schedule becomes provisional again: "
                    "participants see their agendas once you publish it again."
                ),
            )
    return redirect("matchmaking:schedule", pk)


@require_POST
@login_required
def schedule_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    try:
        n = services.schedule_publish(actor=request.user, event=event)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(
            request, _("The schedule is published (%(n)s meetings); participants are notified.") % {"n": n}
        )
    return redirect("matchmaking:schedule", pk)


@require_POST
@login_required
def schedule_lock_all(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    n = services.meetings_lock_all(actor=request.user, event=event)
    messages.success(request, _("%(n)s meetings locked.") % {"n": n})
    return redirect("matchmaking:schedule", pk)


@require_POST
@login_required
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    form = forms.AddMeetingForm(request.POST, event=event, prefix="add")
    if form.is_valid():
        try:
            m = services.meeting_add(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("The meeting is added and locked."))
            return redirect("matchmaking:meeting", m.pk)
    else:
        messages.error(request, _("Choose a buyer, a company and a slot."))
    return redirect("matchmaking:schedule", pk)


@login_required
def outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    _require(request, "matchmaking.manage_event", event)
    status = request.GET.get("attendance", "")
    if status not in Meeting.Attendance.values:
        status = ""
    page = paginate(request, selectors.meetings_for_outcomes(event=event, status=status), PER_PAGE)
    return render(
        request,
        "matchmaking/outcomes.html",
        {"event": event, "attendance": status, "attendance_choices": Meeting.Attendance.choices, **page},
    )
