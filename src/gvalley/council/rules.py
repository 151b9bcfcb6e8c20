"""Who may do what in the council app (django-rules).

Roles: the secretariat (``Role.SECRETARIAT``, the working members) edits; council members
(``Role.COUNCIL_MEMBER``) comment on and approve minutes; co-chairs (a current co-chair seat) approve minutes;
the platform operator (district office) reads everything; the public sees what is published.

Visibility: every item carries a level (public / members / secretariat). The level that counts is the most
restrictive one along the chain (a decision is no more visible than its agenda item and meeting).
"""

from __future__ import annotations

from typing import Any

import rules

from gvalley.accounts.models import Role
from gvalley.accounts.rules import is_council_member, is_operator, is_secretariat
from gvalley.core.models import Visibility

from .models import ActionItem, AgendaItem, Decision, Document, Meeting, Minutes, PlanLine

LEVEL_RANK = {Visibility.PUBLIC: 0, Visibility.MEMBERS: 1, Visibility.SECRETARIAT: 2}


def visible_levels(user: Any) -> list[str]:
    """The visibility levels ``user`` may see."""
    if user is None or not user.is_authenticated:
        return [Visibility.PUBLIC]
    if user.has_role(Role.SECRETARIAT, Role.OPERATOR):
        return [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.SECRETARIAT]
    if user.has_role(Role.COUNCIL_MEMBER):
        return [Visibility.PUBLIC, Visibility.MEMBERS]
    return [Visibility.PUBLIC]


def effective_visibility(obj: Any) -> str:
    """The most restrictive level along the chain of ``obj`` (item → agenda item → meeting)."""
    levels = [obj.visibility]
    if isinstance(obj, ActionItem):
        obj = obj.decision
        levels.append(obj.visibility)
    if isinstance(obj, Decision):
        obj = obj.agenda_item
        levels.append(obj.visibility)
    if isinstance(obj, Document):
        if obj.agenda_item_id:
            obj = obj.agenda_item
            levels.append(obj.visibility)
        else:
            obj = obj.meeting
            levels.append(obj.visibility)
    if isinstance(obj, (AgendaItem, Minutes)) and obj.meeting_id:
        levels.append(obj.meeting.visibility)
    return max(levels, key=lambda level: LEVEL_RANK.get(level, 2))


def _sees(user: Any, obj: Any) -> bool:
    return effective_visibility(obj) in visible_levels(user)


@rules.predicate
def can_see(user: Any, obj: Any) -> bool:
    if obj is None:
        return True
    return _sees(user, obj)


@rules.predicate
def can_see_minutes(user: Any, minutes: Minutes | None) -> bool:
    """Drafts: secretariat (and operator). Circulated and amended: also members. Approved and locked:
    whoever may see the meeting at the minutes' level."""
    if minutes is None:
        return True
    if not _sees(user, minutes):
        return False
    if minutes.status in (Minutes.Status.APPROVED, Minutes.Status.LOCKED):
        return True
    if not user.is_authenticated:
        return False
    if minutes.status == Minutes.Status.DRAFT:
        return user.has_role(Role.SECRETARIAT, Role.OPERATOR)
    return user.has_role(Role.SECRETARIAT, Role.OPERATOR, Role.COUNCIL_MEMBER)


def _co_chair_councils(user: Any) -> set[int]:
    cached = getattr(user, "_council_co_chair_ids", None)
    if cached is None:
        from .services import co_chair_councils

        cached = co_chair_councils(user)
        if user is not None and user.is_authenticated:
            user._council_co_chair_ids = cached
    return cached


@rules.predicate
def is_co_chair(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and _co_chair_councils(user))


@rules.predicate
def is_co_chair_of_minutes(user: Any, minutes: Minutes | None) -> bool:
    if minutes is None or not user.is_authenticated:
        return False
    return minutes.meeting.council_id in _co_chair_councils(user)


@rules.predicate
def minutes_open_for_comments(user: Any, minutes: Minutes | None) -> bool:
    return minutes is not None and minutes.status in (Minutes.Status.CIRCULATED, Minutes.Status.AMENDED)


@rules.predicate
def minutes_editable(user: Any, minutes: Minutes | None) -> bool:
    return minutes is not None and minutes.is_editable


@rules.predicate
def minutes_circulable(user: Any, minutes: Minutes | None) -> bool:
    return minutes is not None and minutes.status in (Minutes.Status.DRAFT, Minutes.Status.AMENDED)


@rules.predicate
def minutes_approved(user: Any, minutes: Minutes | None) -> bool:
    return minutes is not None and minutes.status == Minutes.Status.APPROVED


@rules.predicate
def minutes_correctable(user: Any, minutes: Minutes | None) -> bool:
    return (
        minutes is not None
        and minutes.status == Minutes.Status.LOCKED
        and not Minutes.objects.filter(supersedes=minutes).exists()
    )


@rules.predicate
def not_yet_approved_by_user(user: Any, minutes: Minutes | None) -> bool:
    return minutes is not None and not minutes.approvals.filter(user=user).exists()


@rules.predicate
def is_invited_person(user: Any, invitation: Any) -> bool:
    return invitation is not None and user.is_authenticated and invitation.person_id == user.pk


@rules.predicate
def is_action_owner(user: Any, item: ActionItem | None) -> bool:
    return item is not None and user.is_authenticated and item.owner_person_id == user.pk


@rules.predicate
def action_open_leaf(user: Any, item: ActionItem | None) -> bool:
    return item is not None and not item.is_closed and not item.children.exists()


@rules.predicate
def meeting_scheduled(user: Any, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.status == Meeting.Status.SCHEDULED


is_reader = is_secretariat | is_operator | is_council_member
can_manage = is_secretariat

rules.add_perm("council.manage", can_manage)
rules.add_perm("council.view_meeting", can_see)
rules.add_perm("council.view_agenda_item", can_see)
rules.add_perm("council.view_decision", can_see)
rules.add_perm("council.view_action_item", can_see)
rules.add_perm("council.view_document", can_see)
rules.add_perm("council.view_plan_line", can_see)
rules.add_perm("council.view_minutes", can_see_minutes)
rules.add_perm("council.view_briefing", is_reader & can_see)
rules.add_perm("council.view_seat_holders", is_reader)
rules.add_perm("council.view_rsvp", is_reader)
rules.add_perm("council.respond_invitation", is_invited_person)
rules.add_perm("council.change_meeting", can_manage & meeting_scheduled)
rules.add_perm("council.edit_minutes", can_manage & minutes_editable)
rules.add_perm("council.circulate_minutes", can_manage & minutes_circulable)
rules.add_perm(
    "council.comment_minutes",
    (is_council_member | is_secretariat | is_co_chair_of_minutes)
    & can_see_minutes
    & minutes_open_for_comments,
)
rules.add_perm(
    "council.approve_minutes",
    (is_council_member | is_co_chair_of_minutes)
    & can_see_minutes
    & minutes_open_for_comments
    & not_yet_approved_by_user,
)
rules.add_perm("council.lock_minutes", can_manage & minutes_approved)
rules.add_perm("council.correct_minutes", can_manage & minutes_correctable)
rules.add_perm("council.report_progress", (can_manage | (is_action_owner & can_see)) & action_open_leaf)
rules.add_perm("council.import_plan", can_manage)

__all__ = ["effective_visibility", "visible_levels", "PlanLine"]
