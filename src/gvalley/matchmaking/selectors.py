"""Reads of the export consultation, each with the joins that keep its page at a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from gvalley.core.exports import CalendarEvent, ics_bytes
from gvalley.directory.selectors import search_filter
from gvalley.week.models import Programme

from .models import (
    Availability,
    Buyer,
    ConsultationRecord,
    Event,
    Interpreter,
    Meeting,
    PairSession,
    Preference,
    ScheduleRun,
    Seller,
    Slot,
    UnscheduledPair,
)

SCHEDULED = Meeting.Status.SCHEDULED


def programme_with_event(*, pk: int) -> Programme:
    """The programme (of kind export consultation) with its edition, operator and event (one query)."""
    return Programme.objects.select_related("edition", "operator", "consultation_event").get(
        pk=pk, kind=Programme.Kind.EXPORT_CONSULTATION
    )


def event_of_programme(programme: Programme) -> Event | None:
    try:
        return programme.consultation_event
    except Event.DoesNotExist:
        return None


def event_list() -> QuerySet[Event]:
    return (
        Event.objects.select_related("programme__edition")
        .annotate(
            buyer_count=Count("buyers", filter=Q(buyers__withdrawn_at__isnull=True), distinct=True),
            seller_count=Count("sellers", filter=Q(sellers__withdrawn_at__isnull=True), distinct=True),
        )
        .order_by("-programme__edition__year", "id")
    )


def event_counts(event: Event) -> dict[str, int]:
    """Buyers, companies, interpreters and scheduled meetings of the event (one query)."""
    row = Event.objects.filter(pk=event.pk).aggregate(
        buyers=Count("buyers", filter=Q(buyers__withdrawn_at__isnull=True), distinct=True),
        sellers=Count("sellers", filter=Q(sellers__withdrawn_at__isnull=True), distinct=True),
        interpreters=Count("interpreters", distinct=True),
        meetings=Count("meetings", filter=Q(meetings__status=SCHEDULED), distinct=True),
    )
    return {k: v or 0 for k, v in row.items()}


def my_registrations(*, event: Event, user: Any) -> dict[str, list[Any]]:
    """The user's own buyer, company and interpreter registrations in the event (three queries)."""
    if not user.is_authenticated:
        return {"buyers": [], "sellers": [], "interpreters": []}
    return {
        "buyers": list(event.buyers.filter(contact=user).select_related("organisation")),
        "sellers": list(event.sellers.filter(contact=user).select_related("company")),
        "interpreters": list(event.interpreters.filter(user=user).select_related("user")),
    }


def sessions_with_slots(event: Event) -> list[Any]:
    return list(event.sessions.prefetch_related(Prefetch("slots", queryset=Slot.objects.order_by("number"))))


def participant(*, event: Event, kind: str, pk: int) -> Buyer | Seller | Interpreter:
    if kind == "buyer":
        return Buyer.objects.select_related("organisation", "contact", "event__programme").get(
            event=event, pk=pk
        )
    if kind == "seller":
        return Seller.objects.select_related("company__industry", "contact", "event__programme").get(
            event=event, pk=pk
        )
    if kind == "interpreter":
        return Interpreter.objects.select_related("user", "event__programme").get(event=event, pk=pk)
    raise LookupError(kind)


def availability_of(owner: Any) -> list[Availability]:
    return list(Availability.objects.filter(**{owner.kind: owner}).order_by("starts_at"))


# --- Lists for the organiser -------------------------------------------------------------------------------


def buyer_list(*, event: Event, q: str = "") -> QuerySet[Buyer]:
    qs = (
        Buyer.objects.filter(event=event)
        .select_related("organisation", "contact")
        .annotate(
            meeting_count=Count("meetings", filter=Q(meetings__status=SCHEDULED), distinct=True),
            preference_count=Count("preferences", filter=Q(preferences__side="buyer"), distinct=True),
        )
        .order_by("organisation__name", "id")
    )
    if q:
        qs = qs.filter(Q(organisation__name__icontains=q) | Q(products_sought__icontains=q))
    return qs


def seller_list(*, event: Event, q: str = "") -> QuerySet[Seller]:
    qs = (
        Seller.objects.filter(event=event)
        .select_related("company__industry", "contact")
        .annotate(
            meeting_count=Count("meetings", filter=Q(meetings__status=SCHEDULED), distinct=True),
            preference_count=Count("preferences", filter=Q(preferences__side="seller"), distinct=True),
        )
        .order_by("company__name", "id")
    )
    if q:
        qs = search_filter(qs, q, field="company__search_text")
    return qs


def interpreter_list(event: Event) -> list[Interpreter]:
    return list(
        event.interpreters.select_related("user")
        .annotate(meeting_count=Count("meetings", filter=Q(meetings__status=SCHEDULED)))
        .order_by("user__name")
    )


# --- Preferences ------------------------------------------------------------------------------------------


def counterparts(*, owner: Buyer | Seller, q: str = "") -> QuerySet[Any]:
    """The other side of the event, for ``owner``'s preference form (public profile fields only)."""
    if isinstance(owner, Buyer):
        qs: QuerySet[Any] = (
            Seller.objects.filter(event=owner.event_id, withdrawn_at__isnull=True)
            .select_related("company__industry")
            .order_by("company__name", "id")
        )
        if q:
            qs = search_filter(qs, q, field="company__search_text")
        return qs
    qs = (
        Buyer.objects.filter(event=owner.event_id, withdrawn_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )
    if q:
        qs = qs.filter(Q(organisation__name__icontains=q) | Q(products_sought__icontains=q))
    return qs


def own_levels(owner: Buyer | Seller) -> dict[int, str]:
    """``owner``'s own stated preferences by counterpart id — never the other side's, never the organiser's."""
    if isinstance(owner, Buyer):
        return dict(Preference.objects.filter(buyer=owner, side="buyer").values_list("seller_id", "level"))
    return dict(Preference.objects.filter(seller=owner, side="seller").values_list("buyer_id", "level"))


@dataclass
class PairRow:
    buyer: Buyer
    seller: Seller
    buyer_level: str = ""
    seller_level: str = ""
    organiser_level: str = ""
    score: float | None = None
    meeting: Meeting | None = None
    #: the organiser's session for the pair ("morning", "afternoon"; "" = any)
    session: str = ""

    @property
    def vetoed(self) -> bool:
        return "no" in (self.buyer_level, self.seller_level, self.organiser_level)


def pair_rows(*, event: Event, buyer_id: int | None = None) -> list[PairRow]:
    """Every pair someone asked for (or the organiser decided on or restricted to a session), with both sides'
    levels and the pair's session (five queries)."""
    prefs = Preference.objects.filter(event=event)
    restricted = PairSession.objects.filter(event=event)
    if buyer_id:
        prefs = prefs.filter(buyer_id=buyer_id)
        restricted = restricted.filter(buyer_id=buyer_id)
    rows: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    for b, s, side, level in prefs.values_list("buyer_id", "seller_id", "side", "level"):
        rows[(b, s)][side] = level
    sessions = {(b, s): part for b, s, part in restricted.values_list("buyer_id", "seller_id", "part")}
    for key in sessions:
        rows.setdefault(key, {})
    buyers = {b.pk: b for b in Buyer.objects.filter(event=event).select_related("organisation")}
    sellers = {s.pk: s for s in Seller.objects.filter(event=event).select_related("company")}
    meetings = {
        (m.buyer_id, m.seller_id): m
        for m in Meeting.objects.filter(event=event, status=SCHEDULED).select_related("slot")
    }
    out = [
        PairRow(
            buyer=buyers[b],
            seller=sellers[s],
            buyer_level=levels.get("buyer", ""),
            seller_level=levels.get("seller", ""),
            organiser_level=levels.get("organiser", ""),
            meeting=meetings.get((b, s)),
            session=sessions.get((b, s), ""),
        )
        for (b, s), levels in rows.items()
    ]
    out.sort(key=lambda r: (r.buyer.name, r.seller.name))
    return out


# --- Schedule ---------------------------------------------------------------------------------------------


def meetings_of_event(event: Event) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(event=event, status=SCHEDULED)
        .select_related(
            "event", "slot__session", "buyer__organisation", "seller__company", "interpreter__user"
        )
        .order_by("slot__number", "room")
    )


@dataclass
class GridDay:
    day: Any
    rows: list[tuple[Slot, list[Meeting | None]]] = field(default_factory=list)


def schedule_grid(event: Event) -> list[GridDay]:
    """Day × (slot × room) grid of the scheduled meetings (three queries). A meeting of a pair the organiser
    restricted to a session has that session in ``pair_session``."""
    meetings = list(meetings_of_event(event))
    restricted = {
        (b, s): part
        for b, s, part in PairSession.objects.filter(event=event).values_list("buyer_id", "seller_id", "part")
    }
    by_slot: dict[int, dict[int, Meeting]] = defaultdict(dict)
    for m in meetings:
        m.pair_session = restricted.get((m.buyer_id, m.seller_id), "")  # type: ignore[attr-defined]
        by_slot[m.slot_id][m.room] = m
    days: dict[Any, GridDay] = {}
    for slot in Slot.objects.filter(event=event).select_related("session").order_by("number"):
        grid_day = days.setdefault(slot.session.day, GridDay(day=slot.session.day))
        cells = [by_slot[slot.pk].get(room) for room in range(1, event.rooms + 1)]
        grid_day.rows.append((slot, cells))
    return list(days.values())


@dataclass
class SessionPair:
    restriction: PairSession
    meeting: Meeting | None


def session_pairs(event: Event) -> list[SessionPair]:
    """The pairs the organiser restricted to a session, with their scheduled meeting if any (two queries)."""
    restrictions = list(
        PairSession.objects.filter(event=event)
        .select_related("buyer__organisation", "seller__company")
        .order_by("buyer__organisation__name", "seller__company__name", "pk")
    )
    if not restrictions:
        return []
    meetings = {
        (m.buyer_id, m.seller_id): m
        for m in Meeting.objects.filter(
            event=event, status=SCHEDULED, buyer__in={r.buyer_id for r in restrictions}
        ).select_related("slot__session")
    }
    return [SessionPair(r, meetings.get((r.buyer_id, r.seller_id))) for r in restrictions]


def last_run(event: Event) -> ScheduleRun | None:
    return event.runs.select_related("job").order_by("-created_at", "-id").first()


def unscheduled_of(run: ScheduleRun | None) -> list[UnscheduledPair]:
    if run is None:
        return []
    return list(
        run.unscheduled.select_related("buyer__organisation", "seller__company").order_by(
            "buyer__organisation__name", "seller__company__name"
        )
    )


def agenda(*, owner: Buyer | Seller | Interpreter) -> list[Meeting]:
    """The owner's meetings (scheduled and cancelled after publication), in time order."""
    qs = Meeting.objects.filter(**{owner.kind: owner}).select_related(
        "event__programme", "slot__session", "buyer__organisation", "seller__company", "interpreter__user"
    )
    return list(qs.order_by("slot__number", "id"))


def agenda_owners(*, event: Event) -> list[Buyer | Seller | Interpreter]:
    owners: list[Buyer | Seller | Interpreter] = []
    owners += list(event.buyers.filter(withdrawn_at__isnull=True).select_related("contact", "organisation"))
    owners += list(event.sellers.filter(withdrawn_at__isnull=True).select_related("contact", "company"))
    owners += list(event.interpreters.select_related("user"))
    return owners


def agenda_ics(*, owner: Buyer | Seller | Interpreter, meetings: Sequence[Meeting]) -> bytes:
    """The owner's agenda as an iCalendar file (times in UTC; every calendar shows them in its own zone)."""
    events = []
    for m in meetings:
        title = m.event.programme.title_en if owner.kind == "buyer" else m.event.programme.title
        if owner.kind == "buyer":
            summary = f"{title}: {m.seller.company.name_en or m.seller.company.name}"
        elif owner.kind == "seller":
            summary = f"{title}: {m.buyer.name}"
        else:
            summary = f"{title}: {m.buyer.name} × {m.seller.company.name}"
        description = "\n".join(
            filter(
                None,
                [
                    f"Buyer: {m.buyer.name} ({m.buyer.get_country_display()})",
                    f"Company: {m.seller.company.name_en or m.seller.company.name}",
                    f"Interpreter: {m.interpreter.user.name}" if m.interpreter_id else "",
                    f"Video room {m.room}: {m.video_url}",
                ],
            )
        )
        events.append(
            CalendarEvent(
                uid=f"gvalley-mm-{m.pk}@gvalley.kr",
                summary=summary,
                start=m.slot.starts_at,
                end=m.slot.ends_at,
                description=description,
                location=m.video_url,
                url=m.video_url,
                sequence=m.sequence,
                status="CONFIRMED" if m.status == SCHEDULED else "CANCELLED",
            )
        )
    return ics_bytes(events, name=str(meetings[0].event.programme.title_en if meetings else "G-Valley"))


def meeting_detail(*, pk: int) -> Meeting:
    return Meeting.objects.select_related(
        "event__programme__edition",
        "event__programme__operator",
        "slot__session",
        "buyer__organisation",
        "buyer__contact",
        "seller__company__industry",
        "seller__contact",
        "interpreter__user",
        "record",
    ).get(pk=pk)


def meetings_for_outcomes(*, event: Event, status: str = "") -> QuerySet[Meeting]:
    qs = (
        Meeting.objects.filter(event=event, status=SCHEDULED)
        .select_related(
            "event", "slot", "buyer__organisation", "seller__company", "interpreter__user", "record"
        )
        .annotate(rating_count=Count("ratings"))
        .order_by("slot__number", "room")
    )
    if status:
        qs = qs.filter(attendance=status)
    return qs


# --- Statistics -------------------------------------------------------------------------------------------


def statistics(event: Event) -> dict[str, Any]:
    """Consultations and amounts from the consultation records: totals, by country, industry and company."""
    records = ConsultationRecord.objects.filter(meeting__event=event, meeting__status=SCHEDULED)
    totals = records.aggregate(
        consultations=Count("id"),
        amount=Sum("consultation_usd"),
        expected=Sum("expected_contract_usd"),
        companies=Count("meeting__seller", distinct=True),
        buyers=Count("meeting__buyer", distinct=True),
    )
    totals = {k: v or 0 for k, v in totals.items()}
    meetings = Meeting.objects.filter(event=event, status=SCHEDULED).aggregate(
        scheduled=Count("id"),
        held=Count("id", filter=Q(attendance=Meeting.Attendance.HELD)),
        no_show=Count("id", filter=Q(attendance=Meeting.Attendance.NO_SHOW)),
    )
    by_country = list(
        records.values("meeting__buyer__country")
        .annotate(
            consultations=Count("id"), amount=Sum("consultation_usd"), expected=Sum("expected_contract_usd")
        )
        .order_by("-amount", "meeting__buyer__country")
    )
    countries = dict(Buyer._meta.get_field("country").choices or [])
    for row in by_country:
        row["label"] = str(countries.get(row["meeting__buyer__country"], row["meeting__buyer__country"]))
    by_industry = list(
        records.values(
            "meeting__seller__company__industry__division",
            "meeting__seller__company__industry__division_name",
            "meeting__seller__company__industry__division_name_en",
        )
        .annotate(
            consultations=Count("id"), amount=Sum("consultation_usd"), expected=Sum("expected_contract_usd")
        )
        .order_by("-amount", "meeting__seller__company__industry__division")
    )
    by_company = list(
        records.values(
            "meeting__seller_id", "meeting__seller__company__name", "meeting__seller__company__name_en"
        )
        .annotate(
            consultations=Count("id"), amount=Sum("consultation_usd"), expected=Sum("expected_contract_usd")
        )
        .order_by("-amount", "meeting__seller__company__name")
    )
    satisfaction = {
        side: event.meetings.filter(ratings__side=side).aggregate(
            n=Count("ratings"), total=Sum("ratings__score")
        )
        for side in ("buyer", "seller")
    }
    for row in satisfaction.values():
        row["average"] = round(row["total"] / row["n"], 2) if row["n"] else None
    return {
        "totals": totals,
        "meetings": meetings,
        "by_country": by_country,
        "by_industry": by_industry,
        "by_company": by_company,
        "satisfaction": satisfaction,
    }


def record_rows(event: Event) -> QuerySet[ConsultationRecord]:
    return (
        ConsultationRecord.objects.filter(meeting__event=event, meeting__status=SCHEDULED)
        .select_related(
            "meeting__slot",
            "meeting__buyer__organisation",
            "meeting__seller__company__industry",
        )
        .order_by("meeting__slot__number", "meeting__room")
    )
