"""Reads for the grievances pages, each at a fixed number of queries; similarity and dashboard figures."""

from __future__ import annotations

import bisect
import statistics
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gvalley.accounts.models import Organisation, Role, User
from gvalley.core.masking import mask_name
from gvalley.directory.selectors import search_filter
from gvalley.engines.text import DUPLICATE_THRESHOLD, SimilarityIndex, tokens_for_similarity

from .models import (
    AdhocHoliday,
    Answer,
    AnswerTemplate,
    Category,
    Cluster,
    Event,
    Question,
    Request,
    Satisfaction,
    Visit,
    VisitPlan,
)
from .services import compute_due, handler_organisations, holiday_calendar

# --- Categories -----------------------------------------------------------------------------------------


def category_list(*, active_only: bool = True) -> QuerySet[Category]:
    qs = Category.objects.select_related("default_organisation").prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("order", "id"))
    )
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("order", "code")


def category_get(*, code: str, active_only: bool = True) -> Category:
    return category_list(active_only=active_only).get(code=code)


def responsible_organisations() -> QuerySet[Organisation]:
    """Organisations a request can be assigned to: council members, agencies, governments."""
    return Organisation.objects.exclude(
        kind__in=[Organisation.Kind.COMPANY, Organisation.Kind.FOREIGN_COMPANY, Organisation.Kind.INVESTOR]
    ).order_by("name")


def handlers_of(organisation_ids: list[int]) -> QuerySet[User]:
    today = timezone.localdate()
    return (
        User.objects.filter(
            memberships__organisation_id__in=organisation_ids,
            memberships__role=Role.AGENCY_HANDLER,
            is_active=True,
        )
        .exclude(memberships__ended_on__lte=today)
        .distinct()
        .order_by("name")
    )


# --- Requests -------------------------------------------------------------------------------------------


@dataclass
class QueueFilters:
    q: str = ""
    status: str = ""
    organisation: int | None = None
    category: int | None = None
    overdue: bool = False
    channel: str = ""
    #: "yes": only requests on a council's agenda (escalated, ``agenda_item`` set); "no": only the others.
    agenda: str = ""
    sort: str = "due"


QUEUE_SORTS = {
    "due": ("due_at", "id"),
    "-received": ("-received_at", "-id"),
    "received": ("received_at", "id"),
    "-support": ("-support_count", "due_at"),
}


def visible_requests(user: Any) -> QuerySet[Request]:
    """Requests the user may see in the staff queue (an agency handler: only their organisations')."""
    qs = Request.objects.all()
    if user.has_role(Role.OPERATOR, Role.SECRETARIAT):
        return qs
    orgs = handler_organisations(user)
    if not orgs:
        return qs.none()
    ids = Request.joint_organisations.through.objects.filter(organisation_id__in=orgs).values("request_id")
    return qs.filter(Q(responsible_organisation_id__in=orgs) | Q(pk__in=ids))


def request_queue(*, user: Any, filters: QueueFilters) -> QuerySet[Request]:
    qs = visible_requests(user).select_related("category", "responsible_organisation", "handler")
    qs = search_filter(qs, filters.q)
    if filters.status == "open":
        qs = qs.filter(status__in=Request.OPEN_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.organisation:
        qs = qs.filter(responsible_organisation_id=filters.organisation)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.overdue:
        qs = qs.filter(status__in=Request.OPEN_STATUSES, due_at__lt=timezone.now())
    if filters.agenda in ("yes", "no"):
        qs = qs.filter(agenda_item__isnull=filters.agenda == "no")
    return qs.order_by(*QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["due"]))


def queue_counts(*, user: Any) -> dict[str, int]:
    now = timezone.now()
    return visible_requests(user).aggregate(
        received=Count("id", filter=Q(status=Request.Status.RECEIVED)),
        open=Count("id", filter=Q(status__in=Request.OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=Request.OPEN_STATUSES, due_at__lt=now)),
        answered=Count("id", filter=Q(status=Request.Status.ANSWERED)),
    )


def request_detail(*, pk: int) -> Request:
    events = Event.objects.select_related("actor", "organisation", "from_organisation").order_by("at", "id")
    return (
        Request.objects.select_related(
            "category",
            "responsible_organisation",
            "handler",
            "filer",
            "company",
            "company__organisation",
            "complex",
            "building",
            "merged_into",
            "visit",
            "visit__company",
            "received_by",
        )
        .prefetch_related(
            Prefetch("events", queryset=events),
            Prefetch("answers", queryset=Answer.objects.select_related("organisation", "answered_by")),
            "attachments",
            "joint_organisations",
            Prefetch("merged_requests", queryset=Request.objects.order_by("received_at")),
            "ratings",
            Prefetch("category__questions", queryset=Question.objects.order_by("order", "id")),
            "clusters",
        )
        .get(pk=pk)
    )


def _actor_label(event: Event, request: Request, *, identity: bool, full: bool) -> str:
    actor = event.actor
    if actor is None:
        return ""
    if request.filer_id is not None and event.actor_id == request.filer_id:
        # Filing, rating, reopening by the filer: the actor is the filer, i.e. personal data.
        if not identity:
            if request.anonymous:
                return _("Filer (anonymous)")
            return _("%(name)s (filer)") % {"name": mask_name(actor.name)}
        return _("%(name)s (filer)") % {"name": actor.name if full else mask_name(actor.name)}
    if event.kind == Event.Kind.SUPPORTED:
        # A "me too" is someone from the public, not staff acting on the request.
        return _("%(name)s (supporter)") % {"name": mask_name(actor.name)}
    return str(actor.name)


def request_history(*, request: Request, user: Any, unmask: bool = False) -> list[Event]:
    """The history of a request for the detail page (uses the events prefetched by ``request_detail``).

    Staff and those who may see the identity get every entry, others the public ones. Each entry carries
    ``actor_label``: staff by name; the filer masked by default, in full when ``unmask`` (logged by the
    view) or to the filer themself, and — for a worker who filed anonymously — only "Filer (anonymous)" to
    anyone without ``grievances.view_identity`` (the secretariat). Supporters are always masked.
    """
    identity = user.has_perm("grievances.view_identity", request)
    full = identity and (unmask or (user.is_authenticated and user.pk == request.filer_id))
    show_all = identity or user.has_perm("grievances.view_queue")
    out = []
    for event in request.events.all():
        if not show_all and not event.public:
            continue
        event.actor_label = _actor_label(  # type: ignore[attr-defined]
            event, request, identity=identity, full=full
        )
        out.append(event)
    return out


def public_request(*, tracking_number: str) -> Request:
    """The public tracking view: only public history entries; no personal data is read for display."""
    events = (
        Event.objects.filter(public=True)
        .select_related("organisation", "from_organisation")
        .order_by("at", "id")
    )
    return (
        Request.objects.select_related("category", "responsible_organisation", "merged_into")
        .prefetch_related(
            Prefetch("events", queryset=events),
            Prefetch("answers", queryset=Answer.objects.select_related("organisation")),
            "joint_organisations",
        )
        .get(tracking_number=tracking_number)
    )


# --- The council chain (request → agenda item → decision → action item → yearly-plan line) -------------


@dataclass
class CouncilChain:
    """What a viewer may open of the council follow-up of an escalated request (council objects)."""

    item: Any
    decisions: list[Any] = field(default_factory=list)
    actions: list[Any] = field(default_factory=list)
    lines: list[Any] = field(default_factory=list)


def council_chain(*, request: Request, user: Any) -> CouncilChain | None:
    """The council chain of an escalated request, as far as ``user`` may open it; ``None`` if nothing.

    Read through the council app's own selector (``council.selectors.agenda_item_detail``), which filters
    the agenda item, its decisions and their action items by the viewer's visibility levels; plan lines are
    kept only at a level the viewer may see. Pass ``AnonymousUser()`` for what is public.
    """
    if not request.agenda_item_id:
        return None
    try:
        from gvalley.council import selectors as council_selectors
        from gvalley.council.models import AgendaItem
        from gvalley.council.rules import visible_levels
    except ImportError:  # pragma: no cover - the council app is part of the project
        return None
    try:
        item = council_selectors.agenda_item_detail(user, request.agenda_item_id)
    except AgendaItem.DoesNotExist:
        return None
    levels = set(visible_levels(user))
    decisions = list(item.decisions.all())
    actions = [a for d in decisions for a in d.action_items.all()]
    lines: list[Any] = []
    for line in [item.plan_line, *(a.plan_line for a in actions)]:
        if line is not None and line.visibility in levels and line.pk not in {x.pk for x in lines}:
            lines.append(line)
    return CouncilChain(item=item, decisions=decisions, actions=actions, lines=lines)


def my_requests(*, user: Any) -> QuerySet[Request]:
    return (
        Request.objects.filter(filer=user)
        .select_related("category", "responsible_organisation", "merged_into")
        .order_by("-received_at", "-id")
    )


def company_requests(*, user: Any) -> QuerySet[Request]:
    """Requests filed as the companies the user represents (never workers' requests)."""
    from .rules import company_rep_organisations

    orgs = company_rep_organisations(user)
    return (
        Request.objects.filter(filer_type=Request.FilerType.COMPANY, company__organisation_id__in=orgs)
        .exclude(filer=user)
        .select_related("category", "responsible_organisation", "company")
        .order_by("-received_at", "-id")
    )


def answer_templates(*, category: Category | None = None) -> QuerySet[AnswerTemplate]:
    qs = AnswerTemplate.objects.filter(is_active=True).select_related("category")
    if category is not None:
        qs = qs.filter(Q(category=category) | Q(category__isnull=True))
    return qs.order_by("category__order", "title")


def holiday_list() -> QuerySet[AdhocHoliday]:
    return AdhocHoliday.objects.select_related("created_by").order_by("-date")


# --- Similarity (the same text layer as search) ---------------------------------------------------------

_index_lock = threading.Lock()
_index_cache: dict[str, Any] = {}


def _split(text: str) -> list[str]:
    return text.split()


def _corpus_key() -> tuple[Any, ...]:
    agg = Request.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    vagg = Visit.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (agg["n"], agg["latest"], vagg["n"], vagg["latest"])


def similarity_index() -> SimilarityIndex[tuple[str, int]]:
    """A TF-IDF index over every request (not merged) and visit finding, rebuilt when they change.

    Requests store their features (``similarity_tokens``), so building needs no morphological analysis.
    Keys are ``("r", pk)`` for requests and ``("v", pk)`` for visits.
    """
    key = _corpus_key()
    cached = _index_cache.get("index")
    if cached is not None and cached[0] == key:
        return cached[1]
    with _index_lock:
        cached = _index_cache.get("index")
        if cached is not None and cached[0] == key:
            return cached[1]
        index: SimilarityIndex[tuple[str, int]] = SimilarityIndex(tokenizer=_split)
        docs: dict[tuple[str, int], str] = {}
        rows = Request.objects.exclude(status=Request.Status.MERGED).values_list("pk", "similarity_tokens")
        for pk, tokens in rows:
            if tokens:
                docs[("r", pk)] = tokens
        visit_features = _index_cache.setdefault("visit_features", {})
        for pk, findings in Visit.objects.values_list("pk", "findings"):
            cache_key = (pk, findings)
            if cache_key not in visit_features:
                visit_features[cache_key] = features(findings)
            docs[("v", pk)] = visit_features[cache_key]
        index.fit(docs)
        _index_cache["docs"] = docs
        _index_cache["index"] = (key, index)
        return index


def features(text: str) -> str:
    return " ".join(tokens_for_similarity(text))


def similar_requests(
    *, text: str, k: int = 3, floor: float = 0.2, exclude: tuple[int, ...] = ()
) -> list[Request]:
    """The ``k`` requests most similar to ``text`` (the "similar requests" panel; suggestions only)."""
    if not text.strip():
        return []
    hits = similarity_index().most_similar(
        features(text), k=k + len(exclude) + 5, threshold=floor, exclude=[("r", pk) for pk in exclude]
    )
    ids = [key[1] for key, _score in hits if key[0] == "r"][:k]
    scores = {key[1]: score for key, score in hits if key[0] == "r"}
    by_id = Request.objects.select_related("category", "responsible_organisation").in_bulk(ids)
    out = []
    for pk in ids:
        if pk in by_id:
            req = by_id[pk]
            req.similarity = scores[pk]  # type: ignore[attr-defined]
            out.append(req)
    return out


def possible_duplicates(*, request: Request, k: int = 5) -> list[Request]:
    """Other requests at or above the duplicate threshold (for staff to merge by hand)."""
    return similar_requests(
        text=f"{request.title}\n{request.description}", k=k, floor=DUPLICATE_THRESHOLD, exclude=(request.pk,)
    )


@dataclass
class Suggestion:
    requests: list[Request] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.requests) + len(self.visits)

    @property
    def title(self) -> str:
        first = self.requests[0] if self.requests else None
        return first.title if first else (self.visits[0].findings[:80] if self.visits else "")


def cluster_suggestions(
    *, threshold: float = DUPLICATE_THRESHOLD, min_size: int = 3, limit: int = 20
) -> list[Suggestion]:
    """Recurring issues: groups of requests and visits linked by similarity ≥ ``threshold``.

    Single-link grouping (connected components of the "similar" graph, each document linked to its 10
    nearest neighbours above the threshold), leaving out requests already in a recurring issue. Offered to
    the secretariat as suggestions; nothing is grouped until a person creates the recurring issue.
    """
    index = similarity_index()
    clustered = set(Cluster.requests.through.objects.values_list("request_id", flat=True))
    visits_clustered = set(Cluster.visits.through.objects.values_list("visit_id", flat=True))
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    docs = _index_cache["docs"]
    keys = [
        k
        for k in docs
        if not (k[0] == "r" and k[1] in clustered) and not (k[0] == "v" and k[1] in visits_clustered)
    ]
    allowed = set(keys)
    for key in keys:
        for other, _score in index.most_similar(docs[key], k=11, threshold=threshold, exclude=[key]):
            if other in allowed:
                ra, rb = find(key), find(other)
                if ra != rb:
                    parent[ra] = rb
    groups: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for key in keys:
        groups[find(key)].append(key)
    big = sorted((g for g in groups.values() if len(g) >= min_size), key=lambda g: (-len(g), min(g)))[:limit]
    request_ids = [k[1] for g in big for k in g if k[0] == "r"]
    visit_ids = [k[1] for g in big for k in g if k[0] == "v"]
    reqs = Request.objects.select_related("category").in_bulk(request_ids)
    visits = Visit.objects.select_related("company").in_bulk(visit_ids)
    out = []
    for g in big:
        s = Suggestion(
            requests=sorted(
                (reqs[k[1]] for k in g if k[0] == "r" and k[1] in reqs), key=lambda r: r.received_at
            ),
            visits=sorted(
                (visits[k[1]] for k in g if k[0] == "v" and k[1] in visits), key=lambda v: v.visited_on
            ),
        )
        if s.size >= min_size:
            out.append(s)
    return out


def cluster_list() -> QuerySet[Cluster]:
    return Cluster.objects.annotate(
        request_count=Count("requests", distinct=True), visit_count=Count("visits", distinct=True)
    ).order_by("-created_at", "-id")


def cluster_detail(*, pk: int) -> Cluster:
    return Cluster.objects.prefetch_related(
        Prefetch(
            "requests",
            queryset=Request.objects.select_related("category", "responsible_organisation").order_by(
                "received_at"
            ),
        ),
        Prefetch("visits", queryset=Visit.objects.select_related("company").order_by("visited_on")),
    ).get(pk=pk)


# --- Visits ---------------------------------------------------------------------------------------------


def visit_list(*, q: str = "", year: int | None = None, organisation: int | None = None) -> QuerySet[Visit]:
    qs = Visit.objects.select_related("company", "company__complex").prefetch_related("visitor_organisations")
    qs = qs.annotate(request_count=Count("requests"))
    if q:
        qs = qs.filter(Q(company__name__icontains=q) | Q(findings__icontains=q))
    if year:
        qs = qs.filter(visited_on__year=year)
    if organisation:
        qs = qs.filter(visitor_organisations=organisation)
    return qs.order_by("-visited_on", "-id")


def visit_detail(*, pk: int) -> Visit:
    return (
        Visit.objects.select_related(
            "company", "company__complex", "company__building", "previous_visit", "created_by"
        )
        .prefetch_related(
            "visitor_organisations",
            "visitors",
            "photos",
            "revisits",
            Prefetch(
                "requests",
                queryset=Request.objects.select_related("category", "responsible_organisation").order_by(
                    "received_at", "id"
                ),
            ),
        )
        .get(pk=pk)
    )


def visit_plans() -> list[dict[str, Any]]:
    """Each year's target and the number of visits made (the yearly plan's indicator)."""
    done = dict(
        Visit.objects.values_list("visited_on__year")
        .annotate(n=Count("id"))
        .values_list("visited_on__year", "n")
    )
    plans = {p.year: p for p in VisitPlan.objects.all()}
    years = sorted(set(done) | set(plans), reverse=True)
    out = []
    for y in years:
        plan = plans.get(y)
        target = plan.target if plan else 0
        made = done.get(y, 0)
        out.append(
            {
                "year": y,
                "plan": plan,
                "target": target,
                "made": made,
                "percent": round(made * 100 / target) if target else None,
            }
        )
    return out


def visits_between(start: date, end: date) -> int:
    return Visit.objects.filter(visited_on__gte=start, visited_on__lte=end).count()


# --- Dashboard ------------------------------------------------------------------------------------------


def _aware(d: date, end: bool = False) -> datetime:
    return timezone.make_aware(datetime.combine(d + timedelta(days=1) if end else d, time.min))


def requests_received_between(start: date, end: date) -> int:
    return Request.objects.filter(received_at__gte=_aware(start), received_at__lt=_aware(end, True)).count()


def requests_closed_between(start: date, end: date) -> int:
    """Requests answered (processed) in the period — answered or closed, whether rated or not."""
    return Request.objects.filter(
        answered_at__gte=_aware(start),
        answered_at__lt=_aware(end, True),
        status__in=[Request.Status.ANSWERED, Request.Status.CLOSED],
    ).count()


@dataclass
class DashboardFilters:
    year: int | None = None
    organisation: int | None = None
    category: int | None = None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def dashboard(filters: DashboardFilters) -> dict[str, Any]:
    """Open, overdue and answered requests by organisation and category; median handling days;
    satisfaction per organisation. A fixed number of queries whatever the data size. The monthly trend is
    ``dashboard_trend``."""
    now = timezone.now()
    qs = Request.objects.exclude(status=Request.Status.MERGED)
    if filters.organisation:
        qs = qs.filter(responsible_organisation_id=filters.organisation)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    period_qs = qs
    if filters.year:
        period_qs = qs.filter(received_at__year=filters.year)
    rows = list(
        period_qs.values_list(
            "responsible_organisation_id", "category_id", "status", "received_at", "answered_at", "due_at"
        )
    )
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in={r[0] for r in rows if r[0]})}
    cats = {c.pk: c for c in Category.objects.all()}
    ratings_qs = Satisfaction.objects.all()
    if filters.year:
        ratings_qs = ratings_qs.filter(request__received_at__year=filters.year)
    if filters.category:
        ratings_qs = ratings_qs.filter(request__category_id=filters.category)
    if filters.organisation:
        ratings_qs = ratings_qs.filter(organisation_id=filters.organisation)
    ratings = {
        r["organisation_id"]: r
        for r in ratings_qs.values("organisation_id").annotate(avg=Avg("score"), n=Count("id"))
    }

    def blank() -> dict[str, Any]:
        return {"received": 0, "open": 0, "overdue": 0, "answered": 0, "on_time": 0, "days": []}

    by_org: dict[int | None, dict[str, Any]] = defaultdict(blank)
    by_cat: dict[int, dict[str, Any]] = defaultdict(blank)
    total = blank()
    open_statuses = set(Request.OPEN_STATUSES)
    for org_id, cat_id, status, received, answered, due in rows:
        for bucket in (by_org[org_id], by_cat[cat_id], total):
            bucket["received"] += 1
            if status in open_statuses:
                bucket["open"] += 1
                if due < now:
                    bucket["overdue"] += 1
            elif answered is not None:
                bucket["answered"] += 1
                bucket["days"].append((answered - received).total_seconds() / 86400)
                if answered <= due:
                    bucket["on_time"] += 1

    def finish(bucket: dict[str, Any]) -> dict[str, Any]:
        days = bucket.pop("days")
        bucket["median_days"] = _median(days)
        bucket["on_time_rate"] = (
            round(bucket["on_time"] * 100 / bucket["answered"]) if bucket["answered"] else None
        )
        return bucket

    org_rows = []
    for org_id, bucket in by_org.items():
        r = ratings.get(org_id)
        org_rows.append(
            {
                "organisation": orgs.get(org_id) if org_id else None,
                **finish(bucket),
                "satisfaction": round(r["avg"], 2) if r else None,
                "ratings": r["n"] if r else 0,
            }
        )
    org_rows.sort(key=lambda r: (-r["received"], r["organisation"].name if r["organisation"] else ""))
    cat_rows = [{"category": cats.get(cid), **finish(b)} for cid, b in by_cat.items()]
    cat_rows.sort(
        key=lambda r: (
            r["category"].order if r["category"] else 999,
            r["category"].code if r["category"] else "",
        )
    )
    all_ratings = list(ratings.values())
    n_ratings = sum(r["n"] for r in all_ratings)
    return {
        "total": {
            **finish(total),
            "satisfaction": round(sum(r["avg"] * r["n"] for r in all_ratings) / n_ratings, 2)
            if n_ratings
            else None,
            "ratings": n_ratings,
        },
        "organisations": org_rows,
        "categories": cat_rows,
        "years": sorted({timezone.localtime(r[3]).year for r in rows})
        if not filters.year
        else [filters.year],
    }


#: History entries that change whether a request waits for an answer (or close it) — the trend's input.
TREND_EVENT_KINDS = (Event.Kind.ANSWERED, Event.Kind.CLOSED, Event.Kind.REOPENED)


def _month_start(year: int, month: int) -> datetime:
    """The first instant of a month in the local time zone (Asia/Seoul)."""
    return timezone.make_aware(datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1))


def _open_rounds(
    received: datetime,
    answered_at: datetime | None,
    closed_at: datetime | None,
    events: list[tuple[str, datetime]],
) -> tuple[list[tuple[datetime, datetime | None]], list[tuple[str, datetime]]]:
    """A request's rounds of waiting for an answer, ``(start, end or None)``, from its history.

    A round starts at receipt or at a reopening and ends at the next answer. ``events`` are the request's
    answered / closed / reopened entries in time order; a request without such entries (data from before
    the history was kept) falls back on its ``answered_at`` and ``closed_at``. Also returns the flow
    events counted per month (answers, closings, reopenings).
    """
    kinds = {kind for kind, _at in events}
    flows = list(events)
    if Event.Kind.ANSWERED not in kinds and answered_at is not None:
        flows.append((Event.Kind.ANSWERED, answered_at))
    if Event.Kind.CLOSED not in kinds and closed_at is not None:
        flows.append((Event.Kind.CLOSED, closed_at))
    flows.sort(key=lambda e: e[1])
    rounds: list[tuple[datetime, datetime | None]] = []
    start: datetime | None = received
    for kind, at in flows:
        if kind == Event.Kind.ANSWERED and start is not None:
            rounds.append((start, at))
            start = None
        elif kind == Event.Kind.REOPENED and start is None:
            start = at
    if start is not None:
        rounds.append((start, None))
    return rounds, flows


def dashboard_trend(filters: DashboardFilters, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Per month: requests received, answers given, requests closed and reopened, and the requests still
    open and overdue at the end of the month, rebuilt from the history (docs/grievances.md, "Over time").

    The organisation and category filters apply as on the rest of the dashboard (the current responsible
    organisation); the year picks the months shown (January to December, or up to the current month),
    while the open and overdue figures include requests received in earlier years. Without a year: every
    month from the first request's to the current one. For the current month the "end of the month" is
    ``now``. Merged requests are left out (their primary request counts). Three queries whatever the
    number of requests and months: the requests, their history entries, the ad-hoc holidays.
    """
    now = now or timezone.now()
    qs = Request.objects.exclude(status=Request.Status.MERGED)
    if filters.organisation:
        qs = qs.filter(responsible_organisation_id=filters.organisation)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    rows = list(qs.values_list("pk", "received_at", "answered_at", "closed_at", "period", "due_at"))
    history: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for request_id, kind, at in (
        Event.objects.filter(request__in=qs.values("pk"), kind__in=TREND_EVENT_KINDS)
        .order_by("at", "id")
        .values_list("request_id", "kind", "at")
    ):
        history[request_id].append((kind, at))
    calendar = holiday_calendar()

    today = timezone.localtime(now)
    last = (today.year, today.month)
    if filters.year:
        first = (filters.year, 1)
        last = min(last, (filters.year, 12))
    elif rows:
        earliest = timezone.localtime(min(r[1] for r in rows))
        first = (earliest.year, earliest.month)
    else:
        return []
    months: list[tuple[int, int]] = []
    y, m = first
    while (y, m) <= last:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if not months:
        return []
    index = {ym: i for i, ym in enumerate(months)}
    # The moment each month's stock is taken: the start of the next month, or now for the current month.
    ends = [min(_month_start(y, m + 1), now) for y, m in months]
    n = len(months)
    counts = {key: [0] * n for key in ("received", "answered", "closed", "reopened")}
    open_diff = [0] * (n + 1)
    overdue_diff = [0] * (n + 1)

    def month_of(at: datetime) -> int | None:
        local = timezone.localtime(at)
        return index.get((local.year, local.month))

    flow_key: dict[str, str] = {
        Event.Kind.ANSWERED: "answered",
        Event.Kind.CLOSED: "closed",
        Event.Kind.REOPENED: "reopened",
    }
    for pk, received, answered_at, closed_at, period, due_at in rows:
        i = month_of(received)
        if i is not None:
            counts["received"][i] += 1
        rounds, flows = _open_rounds(received, answered_at, closed_at, history.get(pk, []))
        for kind, at in flows:
            i = month_of(at)
            if i is not None:
                counts[flow_key[kind]][i] += 1
        for number, (start, end) in enumerate(rounds):
            # Open at a month's end when received (or reopened) before it and not yet answered by then.
            lo = bisect.bisect_right(ends, start)
            hi = n if end is None else bisect.bisect_right(ends, end)
            if lo >= hi:
                continue
            open_diff[lo] += 1
            open_diff[hi] -= 1
            if number == len(rounds) - 1:
                due = due_at  # the current round: the request's due date (with any adjustment)
            else:
                try:
                    due = compute_due(start, period, calendar).due
                except ValidationError:  # an unreadable stored period: no deadline to miss
                    continue
            first_overdue = max(lo, bisect.bisect_right(ends, due))
            if first_overdue < hi:
                overdue_diff[first_overdue] += 1
                overdue_diff[hi] -= 1
    out = []
    open_now = overdue_now = 0
    for i, (y, m) in enumerate(months):
        open_now += open_diff[i]
        overdue_now += overdue_diff[i]
        out.append(
            {
                "period": f"{y}-{m:02d}",
                "received": counts["received"][i],
                "answered": counts["answered"][i],
                "closed": counts["closed"][i],
                "reopened": counts["reopened"][i],
                "open": open_now,
                "overdue": overdue_now,
                "current": ends[i] == now,  # the month is not over: its figures are as of now
            }
        )
    return out


def dashboard_years() -> list[int]:
    return sorted({d.year for d in Request.objects.dates("received_at", "year")}, reverse=True)


def new_and_overdue_by_organisation(start: date, end: date) -> list[dict[str, Any]]:
    """For the council's briefing pack: per responsible organisation, requests received in the period,
    open now, and overdue now."""
    now = timezone.now()
    rows = (
        Request.objects.exclude(status=Request.Status.MERGED)
        .values("responsible_organisation__name")
        .annotate(
            new=Count("id", filter=Q(received_at__gte=_aware(start), received_at__lt=_aware(end, True))),
            open=Count("id", filter=Q(status__in=Request.OPEN_STATUSES)),
            overdue=Count("id", filter=Q(status__in=Request.OPEN_STATUSES, due_at__lt=now)),
        )
        .order_by("responsible_organisation__name")
    )
    return [r for r in rows if r["new"] or r["open"]]
