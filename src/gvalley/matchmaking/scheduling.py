"""The bridge between the database and the scheduling engine (``gvalley.engines.schedule``).

The algorithms live in the engine (no Django); this module only translates. Every use of the engine is here, so
that a change of the engine's API touches one file:

1. :func:`engine_inputs` reads the event (slots, participants, availability, preferences, organiser decisions,
   interpreters, locked meetings, similarity scores) into the engine's dataclasses.
2. :func:`solve` chooses the pairs (``pairs.select_pairs``) and schedules them (``product.schedule``) in a worker
   thread, reports the engine's progress from the calling thread (the job's database row), and turns the result
   into :class:`Outcome` rows that ``services._apply_outcome`` writes, with the engine's reasons translated.

With ``deterministic=True`` the engine uses one worker, a fixed seed and counts the time limit in CP-SAT's
deterministic time: the same event gives the same schedule on every machine and under any load.

Recommendations where preferences are missing come from :class:`gvalley.engines.text.SimilarityIndex` over the
buyer's sought products and the company's products, plus the industry codes.
"""

from __future__ import annotations

import threading
import time as _time
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gvalley.engines.schedule import model as engine_model
from gvalley.engines.schedule import pairs as engine_pairs
from gvalley.engines.schedule import product as engine_product

from .models import (
    Availability,
    Buyer,
    Event,
    Interpreter,
    Meeting,
    MeetingLimits,
    PairSession,
    Preference,
    Seller,
    Slot,
)

Progress = Callable[[int, int, str], None]


# --- The outcome the services write --------------------------------------------------------------------


@dataclass
class PlannedMeeting:
    buyer_id: int
    seller_id: int
    slot_id: int
    interpreter_id: int | None
    priority: str


@dataclass
class Unscheduled:
    buyer_id: int
    seller_id: int
    priority: str
    reason_code: str
    reason: str


@dataclass
class Outcome:
    status: str  # a ScheduleRun.Status value
    meetings: list[PlannedMeeting]
    unscheduled: list[Unscheduled]
    requested: int
    breaks: int | None
    idle_slots: int | None
    seconds: float
    message: str = ""
    stats: dict[str, Any] = field(default_factory=dict)
    #: the scheduler's clock: slots that started before it were not offered
    now: datetime | None = None
    #: meetings that took place (kept as they are), by id
    taken_place: frozenset[int] = frozenset()


# --- Meetings that took place ------------------------------------------------------------------------------


def clock() -> datetime:
    """The scheduler's "now": a slot that starts at or before it is past (tests of past editions set it)."""
    return timezone.now()


def took_place_q(now: datetime) -> Q:
    """Meetings that took place: attendance recorded, a consultation record, or their slot has started.

    Re-optimisation never moves or cancels them; they are passed to the engine as fixed.
    """
    return ~Q(attendance=Meeting.Attendance.PENDING) | Q(record__isnull=False) | Q(slot__starts_at__lte=now)


# --- Availability ---------------------------------------------------------------------------------------


def _inside(slot: Any, rows: Iterable[Any]) -> bool:
    return any(a.starts_at <= slot.starts_at and slot.ends_at <= a.ends_at for a in rows)


def is_available(owner: Buyer | Seller | Interpreter, slot: Slot) -> bool:
    """Whether ``owner`` may meet in ``slot`` (one query)."""
    rows = list(Availability.objects.filter(**{owner.kind: owner}))
    return not rows or _inside(slot, rows)


def locked_problems(event: Event, *, now: datetime | None = None) -> list[str]:
    """Why some locked meetings are no longer possible (empty when all are fine).

    Meetings that took place (:func:`took_place_q`) are what happened: they are not checked.
    """
    problems: list[str] = []
    locked = list(
        Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED, locked=True)
        .exclude(took_place_q(now or clock()))
        .select_related("slot", "buyer__organisation", "seller__company", "interpreter__user")
    )
    if not locked:
        return problems
    rows: dict[tuple[str, int], list[Availability]] = defaultdict(list)
    for a in Availability.objects.filter(event=event):
        if a.buyer_id:
            rows[("buyer", a.buyer_id)].append(a)
        elif a.seller_id:
            rows[("seller", a.seller_id)].append(a)
        else:
            rows[("interpreter", a.interpreter_id or 0)].append(a)
    for m in locked:
        when = timezone.localtime(m.slot.starts_at).strftime("%Y-%m-%d %H:%M")
        for kind, owner in (("buyer", m.buyer), ("seller", m.seller)):
            if owner.withdrawn_at is not None:
                problems.append(
                    _("Locked meeting at %(time)s: %(name)s has withdrawn.")
                    % {"time": when, "name": owner.name}
                )
            elif rows[(kind, owner.pk)] and not _inside(m.slot, rows[(kind, owner.pk)]):
                problems.append(
                    _("Locked meeting at %(time)s: %(name)s is no longer available then.")
                    % {"time": when, "name": owner.name}
                )
        if m.interpreter_id:
            interp = m.interpreter
            assert interp is not None
            if rows[("interpreter", interp.pk)] and not _inside(m.slot, rows[("interpreter", interp.pk)]):
                problems.append(
                    _("Locked meeting at %(time)s: the interpreter %(name)s is no longer available then.")
                    % {"time": when, "name": interp.name}
                )
            if m.buyer.language not in interp.languages:
                problems.append(
                    _("Locked meeting at %(time)s: the interpreter %(name)s does not speak %(language)s.")
                    % {"time": when, "name": interp.name, "language": m.buyer.get_language_display()}
                )
        elif event.interpretation:
            problems.append(_("Locked meeting at %(time)s has no interpreter.") % {"time": when})
    return problems


# --- Recommendations --------------------------------------------------------------------------------------


def buyer_text(buyer: Buyer) -> str:
    industries = " ".join(f"{i.name_en} {i.name}" for i in buyer.industries.all())
    return f"{buyer.products_sought} {industries}"


def seller_text(seller: Seller) -> str:
    company = seller.company
    return " ".join(
        [
            seller.products,
            seller.products_en,
            company.industry.name_en,
            company.industry.name,
            seller.certifications,
        ]
    )


def similarity_scores(buyers: Sequence[Buyer], sellers: Sequence[Seller]) -> dict[tuple[int, int], float]:
    """Score of every buyer × company pair in [0, 1]: text similarity of the products plus industry codes."""
    from gvalley.engines.text import SimilarityIndex

    index: SimilarityIndex[int] = SimilarityIndex()
    index.fit({s.pk: seller_text(s) for s in sellers})
    scores: dict[tuple[int, int], float] = {}
    for b in buyers:
        codes = {i.code for i in b.industries.all()}
        divisions = {i.division for i in b.industries.all()}
        text = dict(index.most_similar(buyer_text(b), k=len(sellers))) if len(index) else {}
        for s in sellers:
            bonus = 0.0
            if s.company.industry.code in codes:
                bonus = 0.3
            elif s.company.industry.division in divisions:
                bonus = 0.15
            scores[(b.pk, s.pk)] = min(1.0, 0.7 * text.get(s.pk, 0.0) + bonus)
    return scores


def recommendations(event: Event, k: int | None = None) -> dict[int, list[tuple[int, float]]]:
    """The ``k`` best companies for each buyer by similarity (for the organiser's review page)."""
    buyers = list(event.buyers.filter(withdrawn_at__isnull=True).prefetch_related("industries"))
    sellers = list(event.sellers.filter(withdrawn_at__isnull=True).select_related("company__industry"))
    scores = similarity_scores(buyers, sellers)
    k = event.recommendations if k is None else k
    out: dict[int, list[tuple[int, float]]] = {}
    for b in buyers:
        ranked = sorted(((s.pk, scores[(b.pk, s.pk)]) for s in sellers), key=lambda x: (-x[1], x[0]))
        out[b.pk] = [(sid, score) for sid, score in ranked[:k] if score > 0]
    return out


def met_before(event: Event) -> set[tuple[int, int]]:
    """(buyer id, seller id) of this event whose organisation and company met in an earlier edition."""
    year = event.programme.edition.year
    earlier = set(
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            attendance=Meeting.Attendance.HELD,
            event__programme__edition__year__lt=year,
        ).values_list("buyer__organisation_id", "seller__company_id")
    )
    if not earlier:
        return set()
    buyers = dict(event.buyers.values_list("pk", "organisation_id"))
    sellers = dict(event.sellers.values_list("pk", "company_id"))
    return {
        (b, s) for b, org in buyers.items() for s, company in sellers.items() if (org, company) in earlier
    }


# --- Solving ----------------------------------------------------------------------------------------------


def solve(
    event: Event,
    *,
    progress: Progress | None = None,
    time_limit: float | None = None,
    deterministic: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Choose the pairs of ``event`` and schedule them with the engine; explain every requested pair left out.

    ``time_limit`` (default: the event's) is in seconds, or with ``deterministic`` in CP-SAT's deterministic
    units (one worker, fixed seed: the same event always gives the same schedule). A *feasible* result is a
    valid schedule that is not proven optimal; *infeasible* and *failed* carry no meetings. ``now`` (default:
    :func:`clock`) decides which slots are past: no new meeting goes there, and their meetings stay.
    """
    report = progress or (lambda done, total, message: None)
    report(5, 100, _("Reading registrations, availability and preferences"))
    return _engine_solve(event, report, time_limit=time_limit, deterministic=deterministic, now=now)


# --- The engine -------------------------------------------------------------------------------------------

ENGINE_STATUS = {
    "optimal": "optimal",
    "feasible": "feasible",
    "infeasible": "infeasible",
    "unknown": "failed",
}


def engine_inputs(event: Event, *, now: datetime | None = None) -> dict[str, Any]:
    """The engine's inputs for ``event``: slots, participants, interpreters, selection input, locked meetings.

    Ids are strings: ``b<pk>`` buyers, ``s<pk>`` companies, ``i<pk>`` interpreters, ``<pk>`` slots. Times are
    aware (UTC); the engine reads each participant's availability in his own zone. Without interpretation every
    buyer's language is left empty (no interpreter needed). Every buyer and company has his own minimum and
    maximum meetings (:meth:`Buyer.meeting_limits`: the organiser's override, the buyer's own maximum, else the
    event's; ``limits`` by engine id). Besides the engine's inputs (``slots``, ``selection``, ``interpreters``,
    ``locked``, ``pair_sessions`` — the organiser's session per pair) the dict holds what the bridge needs to
    explain the result:
    ``excluded`` ((buyer pk, seller pk) -> "organiser_no"), ``requested`` (pairs someone asked for or the organiser
    fixed), ``names`` and ``languages`` by engine id.

    Only the slots that start after ``now`` (default :func:`clock`) are offered. Meetings that took place
    (:func:`took_place_q`) are kept: in an offered slot as locked meetings; in a past slot their pair is not chosen
    again and counts towards both participants' minimum and maximum. ``taken_place`` holds their ids and
    ``done`` their pairs (past slots), ``now`` the clock used.
    """
    model = engine_model
    now = now or clock()
    tz = zoneinfo.ZoneInfo(event.timezone)
    db_slots = list(
        Slot.objects.filter(event=event, starts_at__gt=now).select_related("session").order_by("number")
    )
    offered = {slot.pk for slot in db_slots}
    kept = list(
        Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED)
        .filter(Q(locked=True) | took_place_q(now))
        .select_related("slot")
        .order_by("pk")
    )
    taken_place = {
        m.pk
        for m in Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED).filter(
            took_place_q(now)
        )
    }
    done = {(m.buyer_id, m.seller_id) for m in kept if m.slot_id not in offered}
    done_count: dict[tuple[str, int], int] = defaultdict(int)
    for b, s in done:
        done_count[("buyer", b)] += 1
        done_count[("seller", s)] += 1
    slots = []
    position: dict[date, int] = defaultdict(int)
    for slot in db_slots:
        day = timezone.localtime(slot.starts_at, tz).date()
        part = cast(engine_model.Session, slot.session.part)
        slots.append(model.Slot(str(slot.pk), day, position[day], slot.starts_at, slot.ends_at, part))
        position[day] += 1
    rows: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for a in Availability.objects.filter(event=event):
        owner = (
            ("buyer", a.buyer_id)
            if a.buyer_id
            else ("seller", a.seller_id)
            if a.seller_id
            else (
                "interpreter",
                a.interpreter_id,
            )
        )
        rows[owner].append(model.Interval(a.starts_at, a.ends_at))  # type: ignore[index]
    buyer_objs = list(
        event.buyers.filter(withdrawn_at__isnull=True)
        .select_related("organisation")
        .prefetch_related("industries")
    )
    seller_objs = list(event.sellers.filter(withdrawn_at__isnull=True).select_related("company__industry"))
    # each participant's own minimum and maximum (the organiser's override, the buyer's own maximum, else the
    # event's); meetings that took place in past slots count towards them
    limits: dict[str, MeetingLimits] = {
        **{f"b{b.pk}": b.meeting_limits(event) for b in buyer_objs},
        **{f"s{s.pk}": s.meeting_limits(event) for s in seller_objs},
    }
    buyers = [
        model.Participant(
            id=f"b{b.pk}",
            kind="buyer",
            name=b.name,
            timezone=b.timezone,
            availability=tuple(rows[("buyer", b.pk)]),
            min_meetings=max(0, limits[f"b{b.pk}"].min - done_count[("buyer", b.pk)]),
            max_meetings=max(0, limits[f"b{b.pk}"].max - done_count[("buyer", b.pk)]),
            language=b.language if event.interpretation else "",
        )
        for b in buyer_objs
    ]
    sellers = [
        model.Participant(
            id=f"s{s.pk}",
            kind="seller",
            name=s.name,
            timezone=s.timezone,
            availability=tuple(rows[("seller", s.pk)]),
            min_meetings=max(0, limits[f"s{s.pk}"].min - done_count[("seller", s.pk)]),
            max_meetings=max(0, limits[f"s{s.pk}"].max - done_count[("seller", s.pk)]),
        )
        for s in seller_objs
    ]
    interpreters = [
        model.Interpreter(
            id=f"i{i.pk}",
            languages=frozenset(i.languages),
            name=i.user.name,
            timezone=i.timezone,
            availability=tuple(rows[("interpreter", i.pk)]),
            max_consecutive=i.max_consecutive,
        )
        for i in event.interpreters.select_related("user")
    ]
    active_b = {b.pk for b in buyer_objs}
    active_s = {s.pk for s in seller_objs}
    preferences = []
    fixed_pairs = []
    excluded: dict[tuple[int, int], str] = {}
    requested: set[tuple[int, int]] = set()
    levels: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    for b, s, side, level in Preference.objects.filter(event=event).values_list(
        "buyer_id", "seller_id", "side", "level"
    ):
        if b in active_b and s in active_s:
            levels[(b, s)][side] = level
    for (b, s), lv in levels.items():
        if (b, s) in done:  # it took place: neither chosen again nor reported as left out
            continue
        if lv.get("organiser") == "no":
            excluded[(b, s)] = "organiser_no"
            continue
        if lv.get("organiser") == "must":
            fixed_pairs.append((f"b{b}", f"s{s}"))
            requested.add((b, s))
        for side in ("buyer", "seller"):
            if side in lv:
                preferences.append(
                    model.Preference(
                        f"b{b}", f"s{s}", cast(engine_model.Kind, side), cast(engine_model.Level, lv[side])
                    )
                )
        if {"must", "want"} & {lv.get("buyer"), lv.get("seller")}:
            requested.add((b, s))
    met = {(f"b{b}", f"s{s}") for b, s in met_before(event)} if event.exclude_met_before else set()
    similarity = (
        {(f"b{b}", f"s{s}"): score for (b, s), score in similarity_scores(buyer_objs, seller_objs).items()}
        if event.recommendations
        else None
    )
    selection = model.SelectionInput(
        buyers=buyers,
        sellers=sellers,
        preferences=preferences,
        fixed_pairs=fixed_pairs,
        excluded_pairs={(f"b{b}", f"s{s}") for b, s in [*excluded, *done]},
        met_before=met,
        exclude_met_before=event.exclude_met_before,
        similarity=similarity,
        recommendations=event.recommendations,
    )
    # the organiser's session per pair (active pairs that did not take place yet)
    pair_sessions: dict[tuple[str, str], engine_model.Session] = {
        (f"b{b}", f"s{s}"): cast(engine_model.Session, part)
        for b, s, part in PairSession.objects.filter(event=event).values_list("buyer_id", "seller_id", "part")
        if b in active_b and s in active_s and (b, s) not in done
    }
    locked = [
        model.FixedMeeting(
            f"b{m.buyer_id}",
            f"s{m.seller_id}",
            str(m.slot_id),
            f"i{m.interpreter_id}" if m.interpreter_id else None,
            m.room,
        )
        for m in kept
        if m.slot_id in offered
    ]
    return {
        "slots": slots,
        "selection": selection,
        "interpreters": interpreters,
        "locked": locked,
        "pair_sessions": pair_sessions,
        "limits": limits,
        "excluded": excluded,
        "requested": requested,
        "done": done,
        "taken_place": frozenset(taken_place),
        "now": now,
        "names": {**{f"b{b.pk}": b.name for b in buyer_objs}, **{f"s{s.pk}": s.name for s in seller_objs}},
        "languages": {f"b{b.pk}": b.language for b in buyer_objs},
    }


#: The engine's reason codes, as the codes of this app.
ENGINE_CODES = {
    "excluded": "organiser_no",
    "no_common_slot": "no_common_time",
    "buyer_unavailable": "no_common_time",
    "seller_unavailable": "no_common_time",
    "buyer_max": "buyer_full",
    "seller_max": "seller_full",
    "slots_taken": "no_free_slot",
    "not_selected": "lower_priority",
}


def _engine_reason(
    code: str,
    names: tuple[str, str],
    detail: str,
    *,
    speakers: bool = True,
    maxima: tuple[int | None, int | None] = (None, None),
    session: str | None = None,
) -> tuple[str, str]:
    """The engine's reason in the user's language (the engine's own text is English) and this app's code.

    ``maxima`` are the buyer's and the company's own maximum meetings (the engine counts only what is left of
    them after meetings that took place); ``session`` the organiser's session for the pair, if any.
    """
    buyer, seller = names
    if code == "max_meetings":
        code = "seller_full" if detail.startswith("seller") else "buyer_full"
    # the engine says "no common available slot in the morning" when the pair's session is the obstacle
    in_session = bool(session) and detail.endswith(f" in the {session}")
    code = ENGINE_CODES.get(code, code)

    def full(name: str, n: int | None) -> str:
        if n is None:
            return _("%(name)s already has the most meetings allowed, with pairs that weigh more.") % {
                "name": name
            }
        return _("%(name)s already has the most meetings allowed (%(n)s), with pairs that weigh more.") % {
            "name": name,
            "n": n,
        }

    names_map = {"buyer": buyer, "seller": seller}
    no_common = _("%(buyer)s and %(seller)s have no available time in common.") % names_map
    if in_session:
        no_common = {
            "morning": _(
                "%(buyer)s and %(seller)s have no available time in common in the morning session "
                "(the organiser's restriction)."
            ),
            "afternoon": _(
                "%(buyer)s and %(seller)s have no available time in common in the afternoon session "
                "(the organiser's restriction)."
            ),
        }[cast(str, session)] % names_map
    no_free = _("Every time both sides are available is taken by meetings that weigh more.")
    if session in ("morning", "afternoon"):
        no_free = {
            "morning": _(
                "Every time both sides are available in the morning session (the organiser's restriction) "
                "is taken by meetings that weigh more."
            ),
            "afternoon": _(
                "Every time both sides are available in the afternoon session (the organiser's restriction) "
                "is taken by meetings that weigh more."
            ),
        }[cast(str, session)]
    reasons = {
        "veto": _("One side does not want to meet the other."),
        "met_before": _("They met at an earlier edition (excluded on request)."),
        "organiser_no": _("Excluded by the organiser."),
        "buyer_full": full(buyer, maxima[0]),
        "seller_full": full(seller, maxima[1]),
        "lower_priority": _("Pairs that weigh more were chosen instead."),
        "no_common_time": no_common,
        "no_interpreter": _("No interpreter of the buyer's language is available when both sides are.")
        if speakers
        else _("No interpreter of the event speaks the buyer's language."),
        "no_free_slot": no_free,
    }
    return code, reasons.get(code, detail)


def _engine_solve(
    event: Event, report: Progress, *, time_limit: float | None, deterministic: bool, now: datetime | None
) -> Outcome:
    started = _time.monotonic()
    data = engine_inputs(event, now=now)
    budget = float(time_limit if time_limit is not None else event.time_limit_seconds)
    selection_input = data["selection"]
    selection_input.deterministic = deterministic
    selection = engine_pairs.select_pairs(selection_input, time_limit=max(1.0, budget * 0.1))
    chosen = selection.pairs
    report(15, 100, _("%(n)s pairs chosen; searching for the best schedule") % {"n": len(chosen)})
    inp = engine_model.ScheduleInput(
        slots=data["slots"],
        participants=selection_input.buyers + selection_input.sellers,
        pairs=chosen,
        capacity=event.rooms,
        interpreters=data["interpreters"],
        locked=data["locked"],
        pair_sessions=data["pair_sessions"],
        fairness=event.fairness,
        # deterministic runs count the budget in CP-SAT's deterministic time, not in seconds of this machine
        time_limit=max(0.5, budget * 0.9 if deterministic else budget - (_time.monotonic() - started)),
        workers=2,
        seed=0,
        deterministic=deterministic,
    )
    # The engine runs in a worker thread; its progress callback (called from CP-SAT's threads) only stores the
    # latest state, and this thread writes it to the job: database writes stay on the calling thread.
    lock = threading.Lock()
    latest: list[Any] = [None]

    def on_progress(p: Any) -> None:
        with lock:
            latest[0] = p

    result: dict[str, Any] = {}

    def work() -> None:
        try:
            result["res"] = engine_product.schedule(inp, progress=on_progress)
        except BaseException as exc:  # re-raised in the calling thread
            result["error"] = exc

    worker = threading.Thread(target=work, name=f"schedule-event-{event.pk}", daemon=True)
    worker.start()
    reported = -1
    while worker.is_alive():
        worker.join(timeout=0.5)
        with lock:
            state = latest[0]
        done = 15 + int(80 * min(1.0, max(0.0, state.fraction))) if state is not None else 15
        if done > reported:  # the bar never goes back
            report(done, 100, _("Searching for the best schedule"))
            reported = done
    if "error" in result:
        raise result["error"]
    res = result["res"]
    names = data["names"]
    priority = {(p.buyer, p.seller): p.priority for p in chosen}
    meetings = [
        PlannedMeeting(
            int(m.buyer[1:]),
            int(m.seller[1:]),
            int(m.slot),
            int(m.interpreter[1:]) if m.interpreter else None,
            priority.get((m.buyer, m.seller), "fixed"),
        )
        for m in res.meetings
    ]
    unscheduled: list[Unscheduled] = []
    seen: set[tuple[int, int]] = set(data["done"])
    for key, code in data["excluded"].items():
        code, reason = _engine_reason(code, (names.get(f"b{key[0]}", ""), names.get(f"s{key[1]}", "")), "")
        unscheduled.append(Unscheduled(key[0], key[1], "", code, reason))
        seen.add(key)
    held = {(m.buyer_id, m.seller_id) for m in meetings}
    for rej in [*selection.rejected, *res.unscheduled]:
        key = (int(rej.buyer[1:]), int(rej.seller[1:]))
        if key in seen or key in held:
            continue
        # a recommendation the scheduler itself proposed is not a requested pair unless it was chosen
        chosen_key = (rej.buyer, rej.seller) in priority
        if key not in data["requested"] and not chosen_key:
            continue
        seen.add(key)
        limits = data["limits"]
        code, reason = _engine_reason(
            rej.code,
            (names.get(rej.buyer, ""), names.get(rej.seller, "")),
            rej.reason,
            maxima=(
                limits[rej.buyer].max if rej.buyer in limits else None,
                limits[rej.seller].max if rej.seller in limits else None,
            ),
            session=data["pair_sessions"].get((rej.buyer, rej.seller)),
        )
        unscheduled.append(
            Unscheduled(key[0], key[1], priority.get((rej.buyer, rej.seller), ""), code, reason)
        )
    report(98, 100, _("Writing the schedule"))
    idle = res.objective.get("idle")
    return Outcome(
        status=ENGINE_STATUS.get(res.status, "failed"),
        meetings=meetings,
        unscheduled=unscheduled,
        requested=len(data["requested"] | set(held) | data["done"]),
        breaks=sum(res.breaks.values()) if res.status in ("optimal", "feasible") else None,
        idle_slots=int(idle) if isinstance(idle, float | int) and idle == idle else None,
        seconds=round(_time.monotonic() - started, 3),
        message=res.message[:500],
        now=data["now"],
        taken_place=data["taken_place"],
        stats={
            "engine": "gvalley.engines.schedule",
            "objective": {k: (v if v == v else None) for k, v in res.objective.items()},
            "bounds": {k: (v if v == v else None) for k, v in res.bounds.items()},
            "gap": res.gap,
            "selected_pairs": len(chosen),
            "deterministic": deterministic,
            **(
                {"deterministic_time": res.stats["deterministic_time"]}
                if "deterministic_time" in res.stats
                else {}
            ),
        },
    )
