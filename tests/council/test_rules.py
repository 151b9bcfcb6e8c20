"""Permissions per role × object × action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from gvalley.core.models import Visibility
from gvalley.council import services
from gvalley.council.models import ActionItem, AgendaItem, Decision, Document, Invitation, Minutes
from gvalley.council.rules import effective_visibility, visible_levels
from tests.council.factories import PlanLineFactory, held_meeting

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "co_chair", "secretary", "operator"]


def _user(world, role):
    if role == "anonymous":
        return AnonymousUser()
    user = getattr(world, role)
    user.__dict__.pop("role_set", None)
    if hasattr(user, "_council_co_chair_ids"):
        del user._council_co_chair_ids
    return user


def _check(world, perm, obj, expected):
    got = {role: _user(world, role).has_perm(perm, obj) for role in ROLES}
    assert got == dict(zip(ROLES, expected, strict=True)), perm


@pytest.mark.parametrize(
    "level, expected",
    [
        (Visibility.PUBLIC, [True, True, True, True, True, True]),
        (Visibility.MEMBERS, [False, False, True, True, True, True]),
        (Visibility.SECRETARIAT, [False, False, False, False, True, True]),
    ],
)
def test_viewing_follows_the_visibility_level(world, level, expected):
    meeting = held_meeting(world, visibility=level)
    item = AgendaItem.objects.create(
        council=world.council, meeting=meeting, title="x", origin="request", status="scheduled"
    )
    decision = services.decision_record(actor=None, agenda_item=item, text="t", method="consensus")
    action = services.action_item_create(
        actor=None,
        decision=decision,
        title="a",
        owner_organisation=world.orgs[0],
        due_on=timezone.localdate(),
    )
    for perm, obj in [
        ("council.view_meeting", meeting),
        ("council.view_agenda_item", item),
        ("council.view_decision", decision),
        ("council.view_action_item", action),
    ]:
        _check(world, perm, obj, expected)


@pytest.mark.parametrize(
    "level, expected",
    [
        (Visibility.PUBLIC, [True, True, True, True, True, True]),
        (Visibility.MEMBERS, [False, False, True, True, True, True]),
        (Visibility.SECRETARIAT, [False, False, False, False, True, True]),
    ],
)
def test_documents_and_plan_lines_follow_their_visibility_level(world, level, expected):
    meeting = held_meeting(world, visibility=Visibility.PUBLIC)
    item = AgendaItem.objects.create(
        council=world.council, meeting=meeting, title="x", origin="request", status="scheduled"
    )
    on_meeting = Document.objects.create(meeting=meeting, title="회의 자료", file="a.pdf", visibility=level)
    on_item = Document.objects.create(agenda_item=item, title="안건 자료", file="b.pdf", visibility=level)
    line = PlanLineFactory(visibility=level)
    for perm, obj in [
        ("council.view_document", on_meeting),
        ("council.view_document", on_item),
        ("council.view_plan_line", line),
    ]:
        _check(world, perm, obj, expected)


@pytest.mark.parametrize(
    "meeting_level, item_level, expected",
    [
        (Visibility.MEMBERS, Visibility.PUBLIC, [False, False, True, True, True, True]),
        (Visibility.PUBLIC, Visibility.SECRETARIAT, [False, False, False, False, True, True]),
        (Visibility.SECRETARIAT, Visibility.PUBLIC, [False, False, False, False, True, True]),
    ],
)
def test_a_public_document_is_no_more_visible_than_its_agenda_item_and_meeting(
    world, meeting_level, item_level, expected
):
    meeting = held_meeting(world, visibility=meeting_level)
    item = AgendaItem.objects.create(
        council=world.council,
        meeting=meeting,
        title="x",
        origin="request",
        status="scheduled",
        visibility=item_level,
    )
    document = Document.objects.create(
        agenda_item=item, title="자료", file="a.pdf", visibility=Visibility.PUBLIC
    )
    _check(world, "council.view_document", document, expected)
    if item_level == Visibility.PUBLIC:  # a meeting's own document follows the meeting
        on_meeting = Document.objects.create(meeting=meeting, title="자료", file="b.pdf", visibility="public")
        _check(world, "council.view_document", on_meeting, expected)


def test_rsvp_answers_are_seen_by_members_co_chairs_and_staff(world):
    meeting = held_meeting(world)
    for obj in (None, meeting):
        _check(world, "council.view_rsvp", obj, [False, False, True, True, True, True])


def test_the_most_restrictive_level_along_the_chain_counts(world):
    meeting = held_meeting(world, visibility=Visibility.MEMBERS)
    item = AgendaItem.objects.create(
        council=world.council,
        meeting=meeting,
        title="x",
        origin="request",
        status="scheduled",
        visibility=Visibility.PUBLIC,
    )
    decision = Decision.objects.create(
        agenda_item=item, text="t", method="consensus", decided_on=timezone.localdate()
    )
    assert effective_visibility(item) == Visibility.MEMBERS
    assert effective_visibility(decision) == Visibility.MEMBERS
    assert visible_levels(AnonymousUser()) == [Visibility.PUBLIC]
    assert visible_levels(world.member) == [Visibility.PUBLIC, Visibility.MEMBERS]
    line = PlanLineFactory(visibility=Visibility.SECRETARIAT)
    _check(world, "council.view_plan_line", line, [False, False, False, False, True, True])


def _minutes(world, status):
    meeting = held_meeting(world)
    minutes = services.minutes_draft(actor=None, meeting=meeting, body="회의록")
    if status in ("circulated", "amended", "approved", "locked"):
        services.minutes_circulate(actor=None, minutes=minutes, notify=False)
    if status == "amended":
        services.minutes_edit(actor=None, minutes=minutes, body="수정")
    if status in ("approved", "locked"):
        services.minutes_approve(actor=world.co_chair, minutes=minutes)
    if status == "locked":
        services.minutes_lock(actor=None, minutes=minutes)
    minutes.refresh_from_db()
    return minutes


#                     anonymous outsider member co_chair secretary operator
MINUTES_MATRIX = {
    "draft": {
        "council.view_minutes": [0, 0, 0, 0, 1, 1],
        "council.edit_minutes": [0, 0, 0, 0, 1, 0],
        "council.circulate_minutes": [0, 0, 0, 0, 1, 0],
        "council.comment_minutes": [0, 0, 0, 0, 0, 0],
        "council.approve_minutes": [0, 0, 0, 0, 0, 0],
        "council.lock_minutes": [0, 0, 0, 0, 0, 0],
        "council.correct_minutes": [0, 0, 0, 0, 0, 0],
    },
    "circulated": {
        "council.view_minutes": [0, 0, 1, 1, 1, 1],
        "council.edit_minutes": [0, 0, 0, 0, 1, 0],
        "council.circulate_minutes": [0, 0, 0, 0, 0, 0],
        "council.comment_minutes": [0, 0, 1, 1, 1, 0],
        "council.approve_minutes": [0, 0, 1, 1, 0, 0],
        "council.lock_minutes": [0, 0, 0, 0, 0, 0],
        "council.correct_minutes": [0, 0, 0, 0, 0, 0],
    },
    "amended": {
        "council.view_minutes": [0, 0, 1, 1, 1, 1],
        "council.edit_minutes": [0, 0, 0, 0, 1, 0],
        "council.circulate_minutes": [0, 0, 0, 0, 1, 0],
        "council.comment_minutes": [0, 0, 1, 1, 1, 0],
        "council.approve_minutes": [0, 0, 1, 1, 0, 0],
        "council.lock_minutes": [0, 0, 0, 0, 0, 0],
        "council.correct_minutes": [0, 0, 0, 0, 0, 0],
    },
    "approved": {
        "council.view_minutes": [1, 1, 1, 1, 1, 1],
        "council.edit_minutes": [0, 0, 0, 0, 0, 0],
        "council.circulate_minutes": [0, 0, 0, 0, 0, 0],
        "council.comment_minutes": [0, 0, 0, 0, 0, 0],
        "council.approve_minutes": [0, 0, 0, 0, 0, 0],
        "council.lock_minutes": [0, 0, 0, 0, 1, 0],
        "council.correct_minutes": [0, 0, 0, 0, 0, 0],
    },
    "locked": {
        "council.view_minutes": [1, 1, 1, 1, 1, 1],
        "council.edit_minutes": [0, 0, 0, 0, 0, 0],
        "council.circulate_minutes": [0, 0, 0, 0, 0, 0],
        "council.comment_minutes": [0, 0, 0, 0, 0, 0],
        "council.approve_minutes": [0, 0, 0, 0, 0, 0],
        "council.lock_minutes": [0, 0, 0, 0, 0, 0],
        "council.correct_minutes": [0, 0, 0, 0, 1, 0],
    },
}


@pytest.mark.parametrize("status", list(MINUTES_MATRIX))
def test_minutes_actions_per_role_and_status(world, status):
    minutes = _minutes(world, status)
    assert minutes.status == status
    for perm, expected in MINUTES_MATRIX[status].items():
        _check(world, perm, minutes, [bool(x) for x in expected])


def test_a_member_approves_a_version_once(world):
    minutes = _minutes(world, "circulated")
    services.minutes_approve(actor=world.member, minutes=minutes)
    _check(world, "council.approve_minutes", minutes, [False, False, False, True, False, False])


def test_members_only_minutes_are_not_public_even_when_locked(world):
    meeting = held_meeting(world, visibility=Visibility.MEMBERS)
    minutes = services.minutes_draft(actor=None, meeting=meeting, body="x", visibility=Visibility.PUBLIC)
    services.minutes_circulate(actor=None, minutes=minutes, notify=False)
    services.minutes_approve(actor=world.co_chair, minutes=minutes)
    services.minutes_lock(actor=None, minutes=minutes)
    minutes.refresh_from_db()
    _check(world, "council.view_minutes", minutes, [False, False, True, True, True, True])


def test_progress_is_reported_by_the_secretariat_or_the_owner_on_open_leaf_items(world):
    meeting = held_meeting(world)
    item = AgendaItem.objects.create(
        council=world.council, meeting=meeting, title="x", origin="request", status="scheduled"
    )
    decision = services.decision_record(actor=None, agenda_item=item, text="t", method="consensus")
    action = services.action_item_create(
        actor=None,
        decision=decision,
        title="a",
        owner_organisation=world.orgs[1],
        owner_person=world.member,
        due_on=timezone.localdate() + timedelta(days=5),
    )
    _check(world, "council.report_progress", action, [False, False, True, False, True, False])
    services.action_item_create(
        actor=None, parent=action, title="sub", owner_organisation=world.orgs[1], due_on=timezone.localdate()
    )
    action = ActionItem.objects.get(pk=action.pk)
    _check(world, "council.report_progress", action, [False, False, False, False, False, False])


def test_staff_pages_and_personal_data(world):
    for perm in ("council.manage", "council.import_plan"):
        _check(world, perm, None, [False, False, False, False, True, False])
    _check(world, "council.view_seat_holders", None, [False, False, True, True, True, True])
    meeting = held_meeting(world)
    _check(world, "council.view_briefing", meeting, [False, False, True, True, True, True])


def test_only_the_invited_person_answers_an_invitation(world):
    meeting = held_meeting(world)
    invitation = Invitation.objects.get(meeting=meeting, person=world.member)
    _check(world, "council.respond_invitation", invitation, [False, False, True, False, False, False])


def test_meetings_change_only_while_scheduled(world):
    meeting = held_meeting(world)
    _check(world, "council.change_meeting", meeting, [False] * 6)
    meeting.status = "scheduled"
    _check(world, "council.change_meeting", meeting, [False, False, False, False, True, False])
    assert Minutes.objects.count() == 0
