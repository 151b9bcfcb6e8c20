"""Reads of the council pages, each with the select_related/prefetch_related that keeps the page at a fixed
number of queries, and filtered by what the reader may see (``rules.visible_levels``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .metrics import compute_many, get_metric
from .models import (
    ActionItem,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Council,
    CouncilLead,
    CouncilMember,
    Decision,
    Document,
    Indicator,
    Invitation,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesComment,
    PlanLine,
    PlanProgramme,
    Seat,
    Term,
)
from .rules import visible_levels
from .services import Quorum, quorum_for


def has_requests() -> bool:
    """Whether the requests app links requests to agenda items (``Request.agenda_item``, related name
    ``requests``)."""
    return hasattr(AgendaItem, "requests")


def _requests_queryset() -> Any:
    """The requests app's requests with what its ``view_request`` rule reads about one (the filing company, the
    jointly handling organisations), so choosing each request's link costs no query per request."""
    link = AgendaItem._meta.get_field("requests").field  # type: ignore[union-attr]
    model = link.model
    names = {f.name for f in model._meta.get_fields()}
    qs = model._default_manager.all()
    if "company" in names:
        qs = qs.select_related("company")
    if "joint_organisations" in names:
        qs = qs.prefetch_related("joint_organisations")
    return qs


def _request_prefetch(prefix: str = "") -> list[Any]:
    if not has_requests():
        return []
    return [Prefetch(f"{prefix}requests", queryset=_requests_queryset())]


def requests_behind(items: Sequence[AgendaItem]) -> list[Any]:
    """The requests linked to ``items`` in one query, in the order of the items, each once with ``via`` (its agenda
    item), with what the link rule reads (``_requests_queryset``)."""
    if not has_requests() or not items:
        return []
    by_pk = {item.pk: item for item in items}
    link = AgendaItem._meta.get_field("requests").field  # type: ignore[union-attr]
    qs = _requests_queryset().filter(**{f"{link.name}__in": list(by_pk)})
    position = {pk: n for n, pk in enumerate(by_pk)}
    found = sorted(qs, key=lambda r: (position[getattr(r, link.attname)], r.pk))
    for r in found:
        r.via = by_pk[getattr(r, link.attname)]  # type: ignore[attr-defined]
    return found


# --- Councils and seats ------------------------------------------------------------------------------------


def main_council() -> Council | None:
    return Council.objects.filter(kind=Council.Kind.MAIN, parent__isnull=True).order_by("order", "id").first()


def council_by_slug(slug: str) -> Council:
    return Council.objects.select_related("parent").get(slug=slug)


def _current_seat_filter(day: date) -> Q:
    return Q(designated_on__lte=day) & (Q(ceased_on__isnull=True) | Q(ceased_on__gt=day))


@dataclass
class OrgChart:
    council: Council
    lead: CouncilLead | None
    past_leads: list[CouncilLead]
    co_chairs: list[Seat]
    groups: list[tuple[str, list[CouncilMember]]]
    sub_councils: list[Council]
    term: Term | None


def org_chart(council: Council, day: date | None = None) -> OrgChart:
    """The council's members and current seats grouped for the organisation chart (5 queries)."""
    day = day or timezone.localdate()
    seats = (
        Seat.objects.filter(_current_seat_filter(day))
        .select_related("person", "term")
        .order_by("kind", "designated_on")
    )
    members = list(
        CouncilMember.objects.filter(council=council)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .select_related("organisation")
        .prefetch_related(Prefetch("seats", queryset=seats, to_attr="current_seats"))
        .order_by("order", "id")
    )
    leads = list(
        CouncilLead.objects.filter(council=council).select_related("organisation").order_by("-started_on")
    )
    current = next((lead for lead in leads if lead.ended_on is None or lead.ended_on > day), None)
    kind_order = {Seat.Kind.CO_CHAIR: 0, Seat.Kind.MEMBER: 1, Seat.Kind.WORKING_MEMBER: 2}
    co_chairs: list[Seat] = []
    grouped: dict[str, list[CouncilMember]] = defaultdict(list)
    for member in members:
        member.current_seats.sort(key=lambda s: kind_order[s.kind])
        co_chairs.extend(s for s in member.current_seats if s.kind == Seat.Kind.CO_CHAIR)
        grouped[member.group].append(member)
    order = [g for g, _label in CouncilMember.Group.choices]
    groups = [(g, grouped[g]) for g in order if grouped.get(g)]
    sub_councils = list(Council.objects.filter(parent=council).order_by("order", "id"))
    term = (
        Term.objects.filter(council=council, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .first()
    )
    return OrgChart(
        council=council,
        lead=current,
        past_leads=[lead for lead in leads if lead is not current],
        co_chairs=co_chairs,
        groups=groups,
        sub_councils=sub_councils,
        term=term,
    )


def seat_history(council: Council) -> list[Term]:
    """Every term with every seat ever held in it (ceased ones too), newest term first (2 queries)."""
    seats = Seat.objects.select_related("person", "member__organisation").order_by(
        "member__order", "kind", "designated_on", "id"
    )
    return list(
        Term.objects.filter(council=council)
        .prefetch_related(Prefetch("seats", queryset=seats))
        .order_by("-number")
    )


def term_list(council: Council, day: date | None = None) -> list[Term]:
    """The council's terms, newest first, each with ``seat_count`` (every seat ever held in it) and
    ``seats_held`` (seats held on ``day``) — 1 query."""
    day = day or timezone.localdate()
    held = Q(seats__designated_on__lte=day) & (Q(seats__ceased_on__isnull=True) | Q(seats__ceased_on__gt=day))
    return list(
        Term.objects.filter(council=council)
        .annotate(
            seat_count=Count("seats", distinct=True), seats_held=Count("seats", filter=held, distinct=True)
        )
        .order_by("-starts_on", "-number")
    )


def member_list(council: Council, day: date | None = None) -> list[CouncilMember]:
    """Every member organisation of the council, current and former, with ``seats_held`` (seats held on
    ``day``) — 1 query."""
    day = day or timezone.localdate()
    held = Q(seats__designated_on__lte=day) & (Q(seats__ceased_on__isnull=True) | Q(seats__ceased_on__gt=day))
    return list(
        CouncilMember.objects.filter(council=council)
        .select_related("organisation")
        .annotate(seats_held=Count("seats", filter=held, distinct=True))
        .order_by("order", "id")
    )


# --- Meetings ----------------------------------------------------------------------------------------------


@dataclass
class MeetingFilters:
    council: Council | None = None
    kind: str = ""
    year: int | None = None
    status: str = ""
    upcoming: bool = False


def meeting_list(user: Any, filters: MeetingFilters | None = None) -> QuerySet[Meeting]:
    filters = filters or MeetingFilters()
    levels = visible_levels(user)
    qs = (
        Meeting.objects.filter(visibility__in=levels)
        .select_related("council")
        .annotate(
            agenda_count=Count("agenda_items", filter=Q(agenda_items__visibility__in=levels), distinct=True),
            has_minutes=Exists(
                Minutes.objects.filter(
                    meeting=OuterRef("pk"),
                    status__in=[Minutes.Status.APPROVED, Minutes.Status.LOCKED],
                    visibility__in=levels,
                )
            ),
        )
    )
    if filters.council is not None:
        qs = qs.filter(council=filters.council)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(starts_at__year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.upcoming:
        return qs.filter(starts_at__gte=timezone.now(), status=Meeting.Status.SCHEDULED).order_by("starts_at")
    return qs.order_by("-starts_at", "-id")


def meeting_years() -> list[int]:
    return [d.year for d in Meeting.objects.dates("starts_at", "year", order="DESC")]


def _agenda_items_qs(levels: Sequence[str]) -> QuerySet[AgendaItem]:
    decisions = Decision.objects.filter(visibility__in=levels).order_by("order", "id")
    return (
        AgendaItem.objects.filter(visibility__in=levels)
        .select_related("presenter_organisation", "proposing_organisation", "plan_line", "carried_from")
        .prefetch_related(
            Prefetch("decisions", queryset=decisions),
            Prefetch("documents", queryset=Document.objects.filter(visibility__in=levels)),
            "works_on",
            *_request_prefetch(),
        )
        .order_by("order", "id")
    )


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list[AgendaItem]
    documents: list[Document]
    invitations: list[Invitation]
    attendance: list[Attendance]
    members: list[CouncilMember]
    quorum: Quorum
    minutes: list[Minutes]
    rsvp_by_org: dict[int, dict[str, int]] = field(default_factory=dict)


def meeting_detail(user: Any, pk: int) -> MeetingPage:
    levels = visible_levels(user)
    meeting = (
        Meeting.objects.filter(visibility__in=levels)
        .select_related("council", "council__parent")
        .prefetch_related(
            Prefetch("agenda_items", queryset=_agenda_items_qs(levels)),
            Prefetch(
                "documents", queryset=Document.objects.filter(visibility__in=levels, agenda_item__isnull=True)
            ),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("person", "organisation", "seat").order_by(
                    "seat__member__order", "seat__kind"
                ),
            ),
            Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
            Prefetch(
                "minutes",
                queryset=Minutes.objects.filter(visibility__in=levels)
                .select_related("approved_by")
                .order_by("-version"),
            ),
        )
        .get(pk=pk)
    )
    day = timezone.localtime(meeting.starts_at).date()
    members = list(
        CouncilMember.objects.filter(council_id=meeting.council_id, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .select_related("organisation")
        .order_by("order", "id")
    )
    invitations = list(meeting.invitations.all())
    attendance = list(meeting.attendances.all())
    accepted_orgs = {i.organisation_id for i in invitations if i.response == Invitation.Response.ACCEPTED}
    rsvp: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for invitation in invitations:
        rsvp[invitation.organisation_id][invitation.response] += 1
    quorum = quorum_for(
        meeting,
        members=len(members),
        present=sum(1 for a in attendance if a.present),
        accepted=len(accepted_orgs),
    )
    return MeetingPage(
        meeting=meeting,
        agenda=list(meeting.agenda_items.all()),
        documents=list(meeting.documents.all()),
        invitations=invitations,
        attendance=attendance,
        members=members,
        quorum=quorum,
        minutes=list(meeting.minutes.all()),
        rsvp_by_org={k: dict(v) for k, v in rsvp.items()},
    )


def meetings_for_person(user: Any) -> QuerySet[Meeting]:
    """Meetings ``user`` is invited to, for the personal calendar feed."""
    levels = visible_levels(user)
    return (
        Meeting.objects.filter(invitations__person=user)
        .distinct()
        .select_related("council")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.filter(visibility__in=levels).order_by("order", "id"),
            )
        )
        .order_by("starts_at")
    )


def invitation_for(user: Any, meeting: Meeting) -> Invitation | None:
    if not user.is_authenticated:
        return None
    return Invitation.objects.filter(meeting=meeting, person=user).select_related("seat").first()


# --- Agenda, decisions, action items -----------------------------------------------------------------------


def _agenda_visibility(levels: Sequence[str], prefix: str = "") -> Q:
    return Q(**{f"{prefix}visibility__in": levels}) & (
        Q(**{f"{prefix}meeting__isnull": True}) | Q(**{f"{prefix}meeting__visibility__in": levels})
    )


@dataclass
class AgendaFilters:
    council: Council | None = None
    status: str = ""
    origin: str = ""
    q: str = ""


def agenda_item_list(user: Any, filters: AgendaFilters | None = None) -> QuerySet[AgendaItem]:
    filters = filters or AgendaFilters()
    levels = visible_levels(user)
    qs = (
        AgendaItem.objects.filter(_agenda_visibility(levels))
        .select_related("council", "meeting", "presenter_organisation", "plan_line")
        .annotate(
            decision_count=Count("decisions", filter=Q(decisions__visibility__in=levels), distinct=True)
        )
    )
    if has_requests():
        qs = qs.annotate(request_count=Count("requests", distinct=True))
    if filters.council is not None:
        qs = qs.filter(council=filters.council)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.origin:
        qs = qs.filter(origin=filters.origin)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(title_en__icontains=filters.q))
    return qs.order_by("-created_at", "-id")


def agenda_item_detail(user: Any, pk: int) -> AgendaItem:
    levels = visible_levels(user)
    actions = (
        ActionItem.objects.filter(visibility__in=levels, parent__isnull=True)
        .select_related("owner_organisation", "plan_line")
        .order_by("due_on", "id")
    )
    decisions = Decision.objects.filter(visibility__in=levels).prefetch_related(
        Prefetch("action_items", queryset=actions)
    )
    related = AgendaItem.objects.filter(_agenda_visibility(levels)).select_related("council", "meeting")
    return (
        AgendaItem.objects.filter(_agenda_visibility(levels))
        .select_related(
            "council",
            "meeting",
            "presenter_organisation",
            "proposing_organisation",
            "plan_line",
            "carried_from",
            "carried_from__meeting",
        )
        .prefetch_related(
            Prefetch("decisions", queryset=decisions),
            Prefetch("documents", queryset=Document.objects.filter(visibility__in=levels)),
            Prefetch("works_on", queryset=related),
            Prefetch("worked_on_by", queryset=related),
            Prefetch("carried_to", queryset=related),
            *_request_prefetch(),
        )
        .get(pk=pk)
    )


def _decision_visibility(levels: Sequence[str], prefix: str = "") -> Q:
    return Q(**{f"{prefix}visibility__in": levels}) & _agenda_visibility(
        levels, prefix=f"{prefix}agenda_item__"
    )


def decision_list(
    user: Any, *, council: Council | None = None, year: int | None = None
) -> QuerySet[Decision]:
    levels = visible_levels(user)
    qs = (
        Decision.objects.filter(_decision_visibility(levels))
        .select_related("agenda_item", "agenda_item__meeting", "agenda_item__council")
        .annotate(
            action_count=Count("action_items", filter=Q(action_items__parent__isnull=True), distinct=True),
            open_action_count=Count(
                "action_items",
                filter=Q(
                    action_items__parent__isnull=True,
                    action_items__status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS],
                ),
                distinct=True,
            ),
        )
    )
    if council is not None:
        qs = qs.filter(agenda_item__council=council)
    if year:
        qs = qs.filter(decided_on__year=year)
    return qs.order_by("-decided_on", "order", "id")


def decision_detail(user: Any, pk: int) -> Decision:
    levels = visible_levels(user)
    children = ActionItem.objects.filter(visibility__in=levels).select_related(
        "owner_organisation", "owner_person"
    )
    actions = (
        ActionItem.objects.filter(visibility__in=levels, parent__isnull=True)
        .select_related("owner_organisation", "owner_person", "plan_line")
        .prefetch_related(Prefetch("children", queryset=children))
        .order_by("due_on", "id")
    )
    return (
        Decision.objects.filter(_decision_visibility(levels))
        .select_related(
            "agenda_item",
            "agenda_item__meeting",
            "agenda_item__council",
            "agenda_item__plan_line",
            "agenda_item__presenter_organisation",
        )
        .prefetch_related(Prefetch("action_items", queryset=actions), *_request_prefetch("agenda_item__"))
        .get(pk=pk)
    )


def _action_visibility(levels: Sequence[str]) -> Q:
    return Q(visibility__in=levels) & _decision_visibility(levels, prefix="decision__")


@dataclass
class ActionFilters:
    status: str = ""  # "open" = not started or in progress
    overdue: bool = False
    organisation: int | None = None
    mine: bool = False


def action_item_list(user: Any, filters: ActionFilters | None = None) -> QuerySet[ActionItem]:
    filters = filters or ActionFilters()
    levels = visible_levels(user)
    today = timezone.localdate()
    qs = (
        ActionItem.objects.filter(_action_visibility(levels), parent__isnull=True)
        .select_related(
            "owner_organisation",
            "owner_person",
            "plan_line",
            "decision",
            "decision__agenda_item",
            "decision__agenda_item__meeting",
        )
        .annotate(child_count=Count("children", distinct=True))
    )
    open_statuses = [ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]
    if filters.status == "open":
        qs = qs.filter(status__in=open_statuses)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(status__in=open_statuses, due_on__lt=today)
    if filters.organisation:
        qs = qs.filter(owner_organisation_id=filters.organisation)
    if filters.mine and user.is_authenticated:
        qs = qs.filter(Q(owner_person=user) | Q(children__owner_person=user)).distinct()
    return qs.order_by("due_on", "id")


def action_item_detail(user: Any, pk: int) -> ActionItem:
    levels = visible_levels(user)
    children = (
        ActionItem.objects.filter(visibility__in=levels)
        .select_related("owner_organisation", "owner_person")
        .order_by("due_on", "id")
    )
    return (
        ActionItem.objects.filter(_action_visibility(levels))
        .select_related(
            "owner_organisation",
            "owner_person",
            "plan_line",
            "plan_line__plan",
            "parent",
            "parent__plan_line",
            "decision",
            "decision__agenda_item",
            "decision__agenda_item__meeting",
            "decision__agenda_item__council",
            "decision__agenda_item__plan_line",
        )
        .prefetch_related(
            Prefetch("children", queryset=children),
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("author")),
            *_request_prefetch("decision__agenda_item__"),
        )
        .get(pk=pk)
    )


def action_owner_organisations() -> list[tuple[int, str]]:
    from gvalley.accounts.models import Organisation

    ids = ActionItem.objects.values_list("owner_organisation_id", flat=True).distinct()
    return list(Organisation.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


# --- Minutes -----------------------------------------------------------------------------------------------


def minutes_detail(pk: int) -> Minutes:
    return (
        Minutes.objects.select_related(
            "meeting", "meeting__council", "approved_by", "locked_by", "supersedes"
        )
        .prefetch_related(
            Prefetch("comments", queryset=MinutesComment.objects.select_related("author")),
            Prefetch("approvals", queryset=MinutesApproval.objects.select_related("user")),
        )
        .get(pk=pk)
    )


def minutes_versions(meeting: Meeting) -> list[Minutes]:
    return list(Minutes.objects.filter(meeting=meeting).order_by("-version"))


def minutes_content(user: Any, minutes: Minutes) -> dict[str, Any]:
    """What the minutes document shows besides the text: attendance, agenda and decisions (3 queries)."""
    levels = visible_levels(user)
    meeting = minutes.meeting
    attendance = list(Attendance.objects.filter(meeting=meeting).select_related("organisation"))
    agenda = list(
        AgendaItem.objects.filter(meeting=meeting, visibility__in=levels)
        .select_related("presenter_organisation")
        .prefetch_related(
            Prefetch(
                "decisions", queryset=Decision.objects.filter(visibility__in=levels).order_by("order", "id")
            )
        )
        .order_by("order", "id")
    )
    return {"attendance": attendance, "agenda": agenda}


# --- Yearly plan -------------------------------------------------------------------------------------------


@dataclass
class IndicatorProgress:
    indicator: Indicator
    actual: int | float | None  # None: the metric is not available

    @property
    def available(self) -> bool:
        return self.actual is not None

    @property
    def percent(self) -> int | None:
        if self.actual is None:
            return None
        target = float(self.indicator.target)
        if target <= 0:
            return 100 if self.actual >= 0 else 0
        return round(float(self.actual) * 100 / target)

    @property
    def met(self) -> bool:
        return self.actual is not None and float(self.actual) >= float(self.indicator.target)


@dataclass
class LineProgress:
    line: PlanLine
    indicators: list[IndicatorProgress]
    in_progress: bool  # the period has not ended yet


@dataclass
class PlanPage:
    plan: PlanProgramme
    years: list[tuple[int, list[LineProgress]]]


def plans(council: Council | None = None) -> list[PlanProgramme]:
    qs = PlanProgramme.objects.select_related("council").order_by("-starts_on")
    if council is not None:
        qs = qs.filter(council=council)
    return list(qs)


def plan_progress(
    user: Any, plan: PlanProgramme, *, year: int | None = None, today: date | None = None
) -> PlanPage:
    """Every plan line with its indicators and their actual values. Actuals are computed by the metrics, one
    query per metric (metrics with a bulk function) whatever the number of lines and years."""
    today = today or timezone.localdate()
    levels = visible_levels(user)
    lines_qs = (
        PlanLine.objects.filter(plan=plan, visibility__in=levels)
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id")))
        .order_by("year", "order", "id")
    )
    if year:
        lines_qs = lines_qs.filter(year=year)
    lines = list(lines_qs)
    wanted = [
        (ind.metric, line.starts_on, min(line.ends_on, today))
        for line in lines
        for ind in line.indicators.all()
        if line.starts_on <= today
    ]
    values = compute_many(wanted)
    by_year: dict[int, list[LineProgress]] = defaultdict(list)
    for line in lines:
        end = min(line.ends_on, today)
        progress = []
        for ind in line.indicators.all():
            actual: int | float | None
            if get_metric(ind.metric) is None:
                actual = None
            elif line.starts_on > end:
                actual = 0
            else:
                actual = values.get((ind.metric, line.starts_on, end))
            progress.append(IndicatorProgress(ind, actual))
        by_year[line.year].append(
            LineProgress(line=line, indicators=progress, in_progress=line.ends_on >= today)
        )
    return PlanPage(plan=plan, years=sorted(by_year.items()))


def plan_line_detail(user: Any, pk: int) -> PlanLine:
    """A plan line with its indicators, the agenda and action items on it the reader may see, and
    ``linked_requests``: the requests linked to those agenda items (directly, or through an action item's
    decision) — a fixed number of queries."""
    levels = visible_levels(user)
    agenda = (
        AgendaItem.objects.filter(_agenda_visibility(levels))
        .select_related("meeting", "council")
        .order_by("-created_at")
    )
    actions = (
        ActionItem.objects.filter(_action_visibility(levels))
        .select_related("owner_organisation", "decision", "decision__agenda_item")
        .order_by("due_on", "id")
    )
    line = (
        PlanLine.objects.filter(visibility__in=levels)
        .select_related("plan", "plan__council")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id")),
            Prefetch("agenda_items", queryset=agenda),
            Prefetch("action_items", queryset=actions),
        )
        .get(pk=pk)
    )
    # request → agenda item (on the line, or decided on for an action item on the line) → … → this line
    items = [*line.agenda_items.all(), *(a.decision.agenda_item for a in line.action_items.all())]
    line.linked_requests = requests_behind(items)  # type: ignore[attr-defined]
    return line


# --- Briefing ----------------------------------------------------------------------------------------------


def open_action_items(user: Any, *, council: Council | None = None) -> list[ActionItem]:
    levels = visible_levels(user)
    qs = (
        ActionItem.objects.filter(
            _action_visibility(levels),
            parent__isnull=True,
            status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS],
        )
        .select_related("owner_organisation", "decision__agenda_item__meeting")
        .order_by("due_on", "id")
    )
    if council is not None:
        qs = qs.filter(decision__agenda_item__council=council)
    return list(qs)
