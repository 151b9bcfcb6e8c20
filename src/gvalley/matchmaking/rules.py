"""Who may do what in an export consultation.

- The organiser (the platform operator, or an agency handler of the programme's operating organisation) sees
  and manages everything of the event.
- A buyer sees his own registration, preferences and agenda, and the companies' public profiles; never another
  buyer's profile.
- A company sees its own registration, preferences and agenda and the profiles of the buyers of its event (whom it
  may choose and meet); never another company's preferences.
- An interpreter sees the sessions assigned to him.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from gvalley.accounts.models import Membership, Role
from gvalley.accounts.rules import is_agency_handler, is_buyer, is_company_rep, is_operator


def event_of(obj: Any) -> Any:
    """The event an object belongs to (an event, a participant, a meeting), or None."""
    if obj is None:
        return None
    if hasattr(obj, "programme_id") and hasattr(obj, "schedule_status"):
        return obj
    return getattr(obj, "event", None)


def handler_organisations(user: Any) -> frozenset[int]:
    """The organisations in which ``user`` is an agency handler now (one query, cached on the user)."""
    cached = user.__dict__.get("_mm_handler_orgs")
    if cached is None:
        today = timezone.localdate()
        cached = frozenset(
            Membership.objects.filter(user=user, role=Role.AGENCY_HANDLER, organisation__isnull=False)
            .exclude(ended_on__lte=today)
            .values_list("organisation_id", flat=True)
        )
        user.__dict__["_mm_handler_orgs"] = cached
    return cached


@rules.predicate
def is_organiser(user: Any, obj: Any = None) -> bool:
    """The operator, or an agency handler of the organisation that operates the event's programme.

    Without an object (the staff menu) any agency handler qualifies; pages then check the event.
    """
    if user is None or not user.is_authenticated:
        return False
    if user.has_role(Role.OPERATOR):
        return True
    if not user.has_role(Role.AGENCY_HANDLER):
        return False
    event = event_of(obj)
    if event is None:
        return True
    operator_id = event.programme.operator_id
    return operator_id is not None and operator_id in handler_organisations(user)


@rules.predicate
def is_own_participant(user: Any, participant: Any) -> bool:
    """The contact person of a buyer or company registration, or the interpreter himself."""
    if user is None or not user.is_authenticated or participant is None:
        return False
    owner_id = getattr(participant, "contact_id", None) or getattr(participant, "user_id", None)
    return owner_id == user.pk


@rules.predicate
def is_meeting_party(user: Any, meeting: Any) -> bool:
    """The buyer's or the company's contact person of a meeting, or its interpreter."""
    if user is None or not user.is_authenticated or meeting is None:
        return False
    if meeting.buyer.contact_id == user.pk or meeting.seller.contact_id == user.pk:
        return True
    return meeting.interpreter_id is not None and meeting.interpreter.user_id == user.pk


@rules.predicate
def is_meeting_company(user: Any, meeting: Any) -> bool:
    return bool(user is not None and user.is_authenticated and meeting.seller.contact_id == user.pk)


@rules.predicate
def is_meeting_interpreter(user: Any, meeting: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and meeting.interpreter_id is not None
        and meeting.interpreter.user_id == user.pk
    )


@rules.predicate
def is_meeting_buyer_or_company(user: Any, meeting: Any) -> bool:
    if user is None or not user.is_authenticated or meeting is None:
        return False
    return user.pk in (meeting.buyer.contact_id, meeting.seller.contact_id)


@rules.predicate
def schedule_is_published(user: Any, obj: Any) -> bool:
    event = event_of(obj)
    return bool(event is not None and event.is_published)


@rules.predicate
def registration_is_open(user: Any, event: Any) -> bool:
    event = event_of(event)
    if event is None:
        return False
    now = timezone.now()
    return bool(event.registration_opens_at <= now < event.registration_closes_at)


@rules.predicate
def preferences_are_open(user: Any, obj: Any) -> bool:
    event = event_of(obj)
    return bool(event is not None and timezone.now() < event.preferences_close_at)


@rules.predicate
def is_participant_of_event(user: Any, event: Any) -> bool:
    """A registered buyer or company contact of the event (who may look at the other side's profiles)."""
    event = event_of(event)
    if user is None or not user.is_authenticated or event is None:
        return False
    return (
        event.buyers.filter(contact=user, withdrawn_at__isnull=True).exists()
        or event.sellers.filter(contact=user, withdrawn_at__isnull=True).exists()
    )


@rules.predicate
def is_company_of_buyers_event(user: Any, buyer: Any) -> bool:
    """The contact of an active company registration in the buyer's event: he may choose or meet the buyer."""
    if user is None or not user.is_authenticated or buyer is None:
        return False
    return bool(buyer.event.sellers.filter(contact=user, withdrawn_at__isnull=True).exists())


# Organiser pages (the event, its frame, registrations, preferences of everyone, the schedule, statistics export)
rules.add_perm("matchmaking.manage_event", is_organiser)
rules.add_perm("matchmaking.view_organiser_home", is_operator | is_agency_handler)
# Registration
rules.add_perm("matchmaking.register_buyer", registration_is_open & ~is_company_rep)
rules.add_perm("matchmaking.register_company", registration_is_open & is_company_rep)
# A participant's own registration, availability and preferences
rules.add_perm("matchmaking.view_participant", is_own_participant | is_organiser)
rules.add_perm("matchmaking.change_participant", (is_own_participant & preferences_are_open) | is_organiser)
rules.add_perm("matchmaking.view_preferences", is_own_participant | is_organiser)
rules.add_perm("matchmaking.change_preferences", (is_own_participant & preferences_are_open) | is_organiser)
# The companies' public profiles: registered participants of the event and the organiser
rules.add_perm("matchmaking.view_profiles", is_participant_of_event | is_organiser)
# A buyer's profile (country, products sought, purchase volume): the organiser, the buyer himself and the companies
# of his event — never another buyer
rules.add_perm(
    "matchmaking.view_buyer_profile", is_own_participant | is_company_of_buyers_event | is_organiser
)
# Agenda: own agenda once the schedule is published; the organiser always
rules.add_perm("matchmaking.view_agenda", (is_own_participant & schedule_is_published) | is_organiser)
# One meeting
rules.add_perm("matchmaking.view_meeting", (is_meeting_party & schedule_is_published) | is_organiser)
rules.add_perm("matchmaking.change_schedule", is_organiser)
rules.add_perm(
    "matchmaking.record_meeting",
    ((is_meeting_company | is_meeting_interpreter) & schedule_is_published) | is_organiser,
)
rules.add_perm("matchmaking.rate_meeting", is_meeting_buyer_or_company & schedule_is_published)
rules.add_perm("matchmaking.export_statistics", is_organiser)

__all__ = ["is_buyer", "is_organiser"]
