from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from gvalley.accounts.models import Membership, Role
from gvalley.core.models import AuditLog, Visibility
from gvalley.council import services
from gvalley.council.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Council,
    CouncilLead,
    Decision,
    Indicator,
    Invitation,
    Meeting,
    Minutes,
    MinutesApproval,
    PlanLine,
    Seat,
)
from tests.council.factories import PlanFactory, aware, held_meeting
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _audited(action: str, obj: object) -> int:
    return AuditLog.objects.filter(action=action, object_id=str(obj.pk)).count()  # type: ignore[attr-defined]


# --- Seats -------------------------------------------------------------------------------------------------


def test_seats_give_roles_and_a_change_of_person_keeps_the_history(world):
    assert world.co_chair.has_role(Role.COUNCIL_MEMBER)
    assert world.member.has_role(Role.COUNCIL_MEMBER)
    assert world.secretary.has_role(Role.SECRETARIAT)
    successor = UserFactory(name="후임자")
    seat = services.seat_designate(
        actor=world.secretary,
        member=world.members[1],
        term=world.term,
        kind=Seat.Kind.MEMBER,
        person=successor,
        position_title="회장",
        designated_on=date(2021, 3, 1),
    )
    old = Seat.objects.get(member=world.members[1], kind=Seat.Kind.MEMBER, person=world.member)
    assert old.ceased_on == date(2021, 3, 1)
    assert seat.ceased_on is None
    assert list(
        Seat.objects.filter(member=world.members[1], kind=Seat.Kind.MEMBER)
        .order_by("designated_on")
        .values_list("person__name", "designated_on", "ceased_on")
    ) == [("박준호", date(2020, 1, 1), date(2021, 3, 1)), ("후임자", date(2021, 3, 1), None)]
    world.member.__dict__.pop("role_set", None)
    successor.__dict__.pop("role_set", None)
    assert not world.member.has_role(Role.COUNCIL_MEMBER)
    assert successor.has_role(Role.COUNCIL_MEMBER)
    ended = Membership.objects.get(user=world.member, role=Role.COUNCIL_MEMBER)
    assert ended.ended_on == date(2021, 3, 1)
    assert _audited("council.seat.designate", seat) == 1
    assert _audited("council.seat.cease", old) == 1


def test_seat_designation_must_fall_in_the_term_and_not_before_the_current_holder(world):
    with pytest.raises(ValidationError):
        services.seat_designate(
            actor=None,
            member=world.members[1],
            term=world.term,
            kind=Seat.Kind.MEMBER,
            person=UserFactory(),
            position_title="회장",
            designated_on=date(2019, 6, 1),
        )
    assert Seat.objects.filter(member=world.members[1], kind=Seat.Kind.MEMBER).count() == 1


def test_a_person_keeps_the_role_while_another_seat_gives_it(world):
    seat = Seat.objects.get(person=world.member)
    other = services.seat_designate(
        actor=None,
        member=world.members[2],
        term=world.term,
        kind=Seat.Kind.CO_CHAIR,
        person=world.member,
        position_title="이사장",
        designated_on=date(2020, 2, 1),
    )
    services.seat_cease(actor=None, seat=seat, ceased_on=timezone.localdate())
    world.member.__dict__.pop("role_set", None)
    assert world.member.has_role(Role.COUNCIL_MEMBER)
    assert other.ceased_on is None


def test_a_seat_ceasing_on_a_future_day_keeps_the_role_until_that_day(world):
    seat = Seat.objects.get(person=world.member)
    later = timezone.localdate() + timedelta(days=10)
    services.seat_cease(actor=None, seat=seat, ceased_on=later)
    membership = Membership.objects.get(user=world.member, role=Role.COUNCIL_MEMBER)
    assert membership.ended_on == later
    world.member.__dict__.pop("role_set", None)
    assert world.member.has_role(Role.COUNCIL_MEMBER)  # still a member today
    # that day the role is gone without anything else running
    with mock.patch("django.utils.timezone.localdate", return_value=later):
        world.member.__dict__.pop("role_set", None)
        assert not world.member.has_role(Role.COUNCIL_MEMBER)


def test_terms_cannot_overlap(world):
    with pytest.raises(ValidationError):
        services.term_create(actor=None, council=world.council, number=2, starts_on=date(2021, 1, 1))


def test_lead_change_ends_the_previous_lead(world):
    seoul = world.orgs[0]
    first = services.council_lead_change(
        actor=None,
        council=world.council,
        organisation=seoul,
        unit="신성장산업과",
        started_on=date(2013, 4, 17),
    )
    second = services.council_lead_change(
        actor=None,
        council=world.council,
        organisation=seoul,
        unit="산업거점활성화반",
        started_on=date(2019, 1, 1),
    )
    first.refresh_from_db()
    assert first.ended_on == date(2019, 1, 1)
    assert CouncilLead.objects.get(council=world.council, ended_on__isnull=True) == second
    with pytest.raises(ValidationError):
        services.council_lead_change(
            actor=None, council=world.council, organisation=seoul, unit="x", started_on=date(2018, 1, 1)
        )


# --- Meetings, invitations, attendance ------------------------------------------------------------------------


def _schedule(world, **kw):
    day = timezone.localdate() + timedelta(days=10)
    fields = {
        "title": "2026년 하반기 본회의",
        "title_en": "Second-half plenary",
        "starts_at": aware(day),
        "ends_at": aware(day, 16),
        "place": "비즈플라자",
    }
    fields.update(kw)
    return services.meeting_schedule(
        actor=world.secretary, council=world.council, kind=Meeting.Kind.PLENARY, **fields
    )


def test_meeting_needs_a_place_or_link_and_the_right_kind(world):
    with pytest.raises(ValidationError):
        _schedule(world, place="")
    local = Council.objects.create(
        slug="local", kind=Council.Kind.LOCAL_WORKING, parent=world.council, name="실무"
    )
    with pytest.raises(ValidationError):
        services.meeting_schedule(
            actor=None,
            council=local,
            kind=Meeting.Kind.PLENARY,
            title="x",
            starts_at=aware(date(2030, 1, 1)),
            ends_at=aware(date(2030, 1, 1), 16),
            place="a",
        )
    with pytest.raises(ValidationError):
        _schedule(world, ends_at=aware(timezone.localdate() + timedelta(days=10), 9))
    assert Meeting.objects.count() == 0


def test_invitations_go_to_every_current_seat_with_an_ics_in_their_language(
    world, django_capture_on_commit_callbacks
):
    world.member.language = "en"
    world.member.save()
    meeting = _schedule(world)
    with django_capture_on_commit_callbacks(execute=True):
        created = services.meeting_invite(actor=world.secretary, meeting=meeting)
    assert len(created) == 6  # 3 organisations × (co-chair or member + working member)
    assert len(mail.outbox) == 6
    to_member = next(m for m in mail.outbox if m.to == ["member@example.com"])
    assert (
        to_member.subject
        == "[G-Valley council] Invitation: Second-half plenary ("
        + timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
        + ")"
    )
    filename, content, mimetype = to_member.attachments[0]
    assert filename == "invite.ics"
    assert mimetype.startswith("text/calendar")
    cal = Calendar.from_ical(content)
    assert str(cal["method"]) == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["uid"]) == meeting.uid
    assert str(event["summary"]) == "Second-half plenary"
    assert event.decoded("dtstart") == meeting.starts_at
    assert str(event["attendee"]).lower() == "mailto:member@example.com"
    # a second call invites nobody twice
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_invite(actor=world.secretary, meeting=meeting) == []
    assert len(mail.outbox) == 6


def test_a_change_of_time_raises_the_sequence_and_notifies(world, django_capture_on_commit_callbacks):
    meeting = _schedule(world)
    services.meeting_invite(actor=world.secretary, meeting=meeting, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(actor=world.secretary, meeting=meeting, place="금천구청")
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert len(mail.outbox) == 6
    event = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert int(event["sequence"]) == 1
    assert str(event["location"]) == "금천구청"
    # a change of the description only is not a calendar change
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(actor=world.secretary, meeting=meeting, description="자료 첨부")
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert len(mail.outbox) == 6


def test_cancellation_sends_a_cancel_event_and_unschedules_the_agenda(
    world, django_capture_on_commit_callbacks
):
    meeting = _schedule(world)
    item = services.agenda_item_propose(
        actor=world.secretary,
        council=world.council,
        meeting=meeting,
        title="주차장",
        description="",
        origin=AgendaItem.Origin.REQUEST,
    )
    services.meeting_invite(actor=world.secretary, meeting=meeting, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=world.secretary, meeting=meeting, reason="태풍")
    item.refresh_from_db()
    assert (item.meeting, item.status) == (None, AgendaItem.Status.PROPOSED)
    cal = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(cal["method"]) == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["status"]) == "CANCELLED"
    assert "태풍" in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.meeting_update(actor=world.secretary, meeting=meeting, place="x")


def test_only_the_invited_person_answers(world):
    meeting = _schedule(world)
    services.meeting_invite(actor=world.secretary, meeting=meeting, notify=False)
    invitation = Invitation.objects.get(meeting=meeting, person=world.member)
    with pytest.raises(ValidationError):
        services.invitation_respond(actor=world.secretary, invitation=invitation, response="accepted")
    services.invitation_respond(actor=world.member, invitation=invitation, response="declined", note="출장")
    invitation.refresh_from_db()
    assert (invitation.response, invitation.response_note) == ("declined", "출장")
    with pytest.raises(ValidationError):
        services.invitation_respond(actor=world.member, invitation=invitation, response="pending")


def test_attendance_is_all_or_nothing_and_marks_the_meeting_held(world):
    day = timezone.localdate() - timedelta(days=1)
    meeting = _schedule(world, starts_at=aware(day), ends_at=aware(day, 16))
    stranger = OrganisationFactory()
    rows = [
        services.AttendanceRow(organisation=world.orgs[0], present=True),
        services.AttendanceRow(organisation=stranger, present=True),
    ]
    with pytest.raises(ValidationError):
        services.attendance_record(actor=world.secretary, meeting=meeting, rows=rows)
    assert Attendance.objects.count() == 0
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    services.attendance_record(
        actor=world.secretary,
        meeting=meeting,
        rows=[services.AttendanceRow(organisation=o, present=i < 2) for i, o in enumerate(world.orgs)],
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    quorum = services.quorum_for(meeting, members=3, present=2, accepted=0)
    assert (quorum.required, quorum.met) == (2, True)
    assert services.quorum_for(meeting, members=3, present=1, accepted=0).met is False
    meeting.quorum = 3
    assert services.quorum_for(meeting, members=3, present=2, accepted=3).met is False


def test_future_meetings_cannot_get_attendance(world):
    meeting = _schedule(world)
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=world.secretary,
            meeting=meeting,
            rows=[services.AttendanceRow(organisation=world.orgs[0], present=True)],
        )


def test_reminders_are_sent_once_to_those_who_did_not_decline(world):
    now = timezone.now()
    meeting = _schedule(world, starts_at=now + timedelta(hours=20), ends_at=now + timedelta(hours=22))
    services.meeting_invite(actor=world.secretary, meeting=meeting, notify=False)
    declined = Invitation.objects.get(meeting=meeting, person=world.member)
    services.invitation_respond(actor=world.member, invitation=declined, response="declined")
    assert services.meeting_send_reminders(now=now) == 5
    assert services.meeting_send_reminders(now=now) == 0
    assert "member@example.com" not in {m.to[0] for m in mail.outbox}
    assert mail.outbox[0].attachments[0][0] == "invite.ics"


def test_documents_attach_to_a_meeting_or_an_item(world, settings, tmp_path):
    meeting = _schedule(world)
    pdf = SimpleUploadedFile("자료.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    doc = services.document_attach(actor=world.secretary, title="회의자료", file=pdf, meeting=meeting)
    assert (doc.size, doc.extension, doc.visibility) == (13, "pdf", Visibility.MEMBERS)
    with pytest.raises(ValidationError):
        services.document_attach(actor=world.secretary, title="x", file=pdf)


# --- Agenda ------------------------------------------------------------------------------------------------


def test_agenda_item_propose_is_the_contract_of_the_requests_app(world):
    org = world.orgs[1]
    item = services.agenda_item_propose(
        actor=None,
        council=world.council,
        title="<b>주차</b> 문제",
        description="근로자 요청",
        origin="request",
        presenter_organisation=org,
        title_en="Parking",
        source_note="요청 2021-0001",
    )
    assert (item.title, item.status, item.origin, item.meeting) == ("주차 문제", "proposed", "request", None)
    assert AgendaItem.Origin.REQUEST == "request"
    assert {"member_proposal", "request", "yearly_plan", "carry_over"} <= set(AgendaItem.Origin.values)
    with pytest.raises(ValidationError):
        services.agenda_item_propose(
            actor=None, council=world.council, title="x", description="", origin="rumour"
        )


def test_scheduling_orders_items_and_reorder_needs_every_item(world):
    meeting = _schedule(world)
    a = services.agenda_item_propose(
        actor=None, council=world.council, title="a", description="", origin="request", meeting=meeting
    )
    b = services.agenda_item_propose(
        actor=None, council=world.council, title="b", description="", origin="request"
    )
    services.agenda_item_schedule(actor=None, item=b, meeting=meeting)
    b.refresh_from_db()
    assert (a.order, b.order, b.status) == (1, 2, "scheduled")
    services.agenda_reorder(actor=None, meeting=meeting, item_ids=[b.pk, a.pk])
    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == ["b", "a"]
    with pytest.raises(ValidationError):
        services.agenda_reorder(actor=None, meeting=meeting, item_ids=[b.pk])
    # a repeated item (with every item present) is refused too, and nothing is written
    with pytest.raises(ValidationError):
        services.agenda_reorder(actor=None, meeting=meeting, item_ids=[a.pk, b.pk, a.pk])
    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == ["b", "a"]
    # once the meeting has been held, its agenda stays as it was
    Meeting.objects.filter(pk=meeting.pk).update(status="held")
    meeting.refresh_from_db()
    with pytest.raises(ValidationError, match="예정된 회의의 안건만"):
        services.agenda_reorder(actor=None, meeting=meeting, item_ids=[a.pk, b.pk])


def test_carry_over_makes_a_linked_item_on_the_next_meeting(world):
    meeting = held_meeting(world)
    item = AgendaItem.objects.create(
        council=world.council,
        meeting=meeting,
        title="구조고도화",
        origin="member_proposal",
        status=AgendaItem.Status.SCHEDULED,
    )
    services.decision_record(actor=None, agenda_item=item, text="재논의", method=Decision.Method.DEFERRED)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.SCHEDULED  # a deferral does not conclude the item
    nxt = _schedule(world)
    new = services.agenda_item_carry_over(actor=None, item=item, meeting=nxt)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.CARRIED_OVER
    assert (new.carried_from, new.meeting, new.origin, new.title) == (item, nxt, "carry_over", "구조고도화")
    with pytest.raises(ValidationError):
        services.agenda_item_carry_over(actor=None, item=item, meeting=nxt)


def test_local_items_work_on_items_of_the_parent_council_only(world):
    local = services.council_create(
        actor=None,
        slug="local",
        kind=Council.Kind.LOCAL_WORKING,
        parent=world.council,
        name="금천구 실무협의회",
    )
    main_item = services.agenda_item_propose(
        actor=None, council=world.council, title="셔틀", description="", origin="request"
    )
    local_item = services.agenda_item_propose(
        actor=None, council=local, title="셔틀 실무", description="", origin="member_proposal"
    )
    services.agenda_item_link_works_on(actor=None, item=local_item, targets=[main_item])
    assert list(main_item.worked_on_by.all()) == [local_item]
    with pytest.raises(ValidationError):
        services.agenda_item_link_works_on(actor=None, item=main_item, targets=[local_item])
    with pytest.raises(ValidationError):
        services.council_create(actor=None, slug="orphan", kind=Council.Kind.LOCAL_WORKING, name="x")


# --- Decisions and action items ----------------------------------------------------------------------------


def _decided(world, **kw):
    meeting = held_meeting(world)
    item = services.agenda_item_propose(
        actor=None, council=world.council, title="셔틀버스", description="", origin="request"
    )
    item.meeting, item.status = meeting, AgendaItem.Status.SCHEDULED
    item.save()
    return services.decision_record(
        actor=world.secretary, agenda_item=item, text="추진", method="consensus", **kw
    )


def test_votes_are_counted_only_for_a_vote(world):
    meeting = held_meeting(world)
    item = AgendaItem.objects.create(
        council=world.council, meeting=meeting, title="x", origin="request", status="scheduled"
    )
    with pytest.raises(ValidationError):
        services.decision_record(actor=None, agenda_item=item, text="t", method="vote", votes_for=3)
    decision = services.decision_record(
        actor=None,
        agenda_item=item,
        text="t",
        method="consensus",
        votes_for=3,
        votes_against=0,
        votes_abstain=0,
    )
    assert (decision.votes_for, decision.votes_against) == (None, None)
    vote = services.decision_record(
        actor=None, agenda_item=item, text="t2", method="vote", votes_for=6, votes_against=1, votes_abstain=1
    )
    assert (vote.votes_for, vote.votes_against, vote.votes_abstain, vote.order) == (6, 1, 1, 2)
    assert vote.decided_on == timezone.localtime(meeting.starts_at).date()
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DISCUSSED


def test_no_decision_before_the_meeting(world):
    meeting = _schedule(world)
    item = services.agenda_item_propose(
        actor=None, council=world.council, title="x", description="", origin="request", meeting=meeting
    )
    with pytest.raises(ValidationError):
        services.decision_record(actor=None, agenda_item=item, text="t", method="consensus")


def test_progress_rolls_up_from_sub_items(world):
    decision = _decided(world)
    parent = services.action_item_create(
        actor=None,
        decision=decision,
        title="셔틀 운행",
        owner_organisation=world.orgs[0],
        due_on=timezone.localdate() + timedelta(days=30),
    )
    a = services.action_item_create(
        actor=None,
        parent=parent,
        title="금천구 협의",
        owner_organisation=world.orgs[1],
        due_on=timezone.localdate() + timedelta(days=20),
    )
    b = services.action_item_create(
        actor=None,
        parent=parent,
        title="구로구 협의",
        owner_organisation=world.orgs[2],
        due_on=timezone.localdate() + timedelta(days=20),
    )
    services.action_item_report(actor=None, item=a, progress=100, note="협의 완료")
    parent.refresh_from_db()
    assert (parent.progress, parent.status) == (50, ActionItem.Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.action_item_report(actor=None, item=parent, progress=80, note="x")
    services.action_item_report(actor=None, item=b, progress=60, note="진행")
    parent.refresh_from_db()
    assert parent.progress == 80
    services.action_item_report(actor=None, item=b, progress=100, note="완료 보고서")
    parent.refresh_from_db()
    assert (parent.progress, parent.status, parent.completed_on) == (100, "done", timezone.localdate())
    with pytest.raises(ValidationError):
        services.action_item_create(
            actor=None, parent=a, title="x", owner_organisation=world.orgs[0], due_on=date(2030, 1, 1)
        )


def test_rolled_up_ignores_cancelled_sub_items():
    done = ActionItem(progress=100, status="done", completed_on=date(2021, 5, 1))
    cancelled = ActionItem(progress=10, status="cancelled")
    half = ActionItem(progress=50, status="in_progress")
    assert services.rolled_up([done, cancelled]) == (100, "done", date(2021, 5, 1))
    assert services.rolled_up([done, half]) == (75, "in_progress", None)
    assert services.rolled_up([cancelled]) == (0, "cancelled", None)


def test_progress_reports_check_their_input(world):
    decision = _decided(world)
    item = services.action_item_create(
        actor=None,
        decision=decision,
        title="보고",
        owner_organisation=world.orgs[0],
        due_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        services.action_item_report(actor=None, item=item, progress=100)  # no evidence
    with pytest.raises(ValidationError):
        services.action_item_report(actor=None, item=item, progress=120, note="x")
    services.action_item_report(actor=None, item=item, progress=40, note="착수")
    with pytest.raises(ValidationError):
        services.action_item_report(actor=None, item=item, progress=30, note="후퇴")
    evidence = SimpleUploadedFile("결과.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    update = services.action_item_report(
        actor=world.secretary, item=item, progress=100, note="완료", file=evidence
    )
    item.refresh_from_db()
    assert (item.status, item.progress, update.file.name.endswith(".pdf")) == ("done", 100, True)
    with pytest.raises(ValidationError):
        services.action_item_report(actor=None, item=item, progress=100, note="again")
    assert item.updates.count() == 2


def test_deferred_decisions_have_no_action_items(world):
    meeting = held_meeting(world)
    item = AgendaItem.objects.create(
        council=world.council, meeting=meeting, title="x", origin="request", status="scheduled"
    )
    deferred = services.decision_record(actor=None, agenda_item=item, text="보류", method="deferred")
    with pytest.raises(ValidationError):
        services.action_item_create(
            actor=None,
            decision=deferred,
            title="x",
            owner_organisation=world.orgs[0],
            due_on=date(2030, 1, 1),
        )


def test_action_reminders_go_to_owners_of_items_due_soon_or_overdue_weekly(world):
    decision = _decided(world)
    today = timezone.localdate()
    soon = services.action_item_create(
        actor=None,
        decision=decision,
        title="곧 마감",
        owner_organisation=world.orgs[1],
        owner_person=world.member,
        due_on=today + timedelta(days=3),
    )
    services.action_item_create(
        actor=None,
        decision=decision,
        title="나중",
        owner_organisation=world.orgs[1],
        owner_person=world.member,
        due_on=today + timedelta(days=30),
    )
    late = services.action_item_create(
        actor=None,
        decision=decision,
        title="지연",
        owner_organisation=world.orgs[2],
        owner_person=world.other_member,
        due_on=today - timedelta(days=2),
    )
    assert services.action_items_send_reminders(today=today) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_recipient) == ["member2@example.com", "member@example.com"]
    assert by_recipient["member@example.com"].subject.endswith(": 곧 마감")
    assert by_recipient["member2@example.com"].subject.endswith(": 지연")
    assert soon.get_absolute_url() in by_recipient["member@example.com"].body
    assert services.action_items_send_reminders(today=today + timedelta(days=1)) == 0
    assert services.action_items_send_reminders(today=today + timedelta(days=7)) == 2
    assert late.is_overdue(today) and not soon.is_overdue(today)


# --- Minutes -----------------------------------------------------------------------------------------------


def test_minutes_workflow_draft_circulate_amend_approve_lock(world, django_capture_on_commit_callbacks):
    meeting = held_meeting(world)
    minutes = services.minutes_draft(actor=world.secretary, meeting=meeting, body="1. 개회\n2. 안건 논의")
    assert minutes.status == Minutes.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_circulate(actor=world.secretary, minutes=minutes)
    assert minutes.status == Minutes.Status.CIRCULATED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        i.person.email for i in Invitation.objects.filter(meeting=meeting)
    )
    services.minutes_comment(actor=world.member, minutes=minutes, body="2번 안건 보완 요청")
    services.minutes_approve(actor=world.member, minutes=minutes)
    assert MinutesApproval.objects.filter(minutes=minutes).count() == 1
    services.minutes_edit(actor=world.secretary, minutes=minutes, body="1. 개회\n2. 안건 논의(보완)")
    assert minutes.status == Minutes.Status.AMENDED
    assert MinutesApproval.objects.filter(minutes=minutes).count() == 0  # approvals were of the earlier text
    with pytest.raises(ValidationError):
        services.minutes_lock(actor=world.secretary, minutes=minutes)
    services.minutes_approve(actor=world.member, minutes=minutes)
    assert minutes.status == Minutes.Status.AMENDED
    with pytest.raises(ValidationError):
        services.minutes_approve(actor=world.member, minutes=minutes)
    services.minutes_approve(actor=world.co_chair, minutes=minutes)
    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_by) == (Minutes.Status.APPROVED, world.co_chair)
    with pytest.raises(ValidationError):
        services.minutes_edit(actor=world.secretary, minutes=minutes, body="바꿈")
    services.minutes_lock(actor=world.secretary, minutes=minutes)
    assert minutes.status == Minutes.Status.LOCKED
    assert minutes.content_hash == services.minutes_hash(minutes)
    assert len(minutes.content_hash) == 64
    with pytest.raises(ValidationError):
        services.minutes_edit(actor=world.secretary, minutes=minutes, body="바꿈")
    with pytest.raises(ValidationError):
        services.minutes_comment(actor=world.member, minutes=minutes, body="늦은 의견")
    assert list(
        AuditLog.objects.filter(object_id=str(minutes.pk), action__startswith="council.minutes.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "council.minutes.draft",
        "council.minutes.circulate",
        "council.minutes.comment",
        "council.minutes.approval",
        "council.minutes.edit",
        "council.minutes.approval",
        "council.minutes.approval",
        "council.minutes.approve",
        "council.minutes.lock",
    ]


def test_a_correction_is_a_new_version_with_its_reason(world):
    meeting = held_meeting(world)
    v1 = services.minutes_draft(actor=None, meeting=meeting, body="참석 7개 기관")
    with pytest.raises(ValidationError):
        services.minutes_correct(actor=None, minutes=v1, body="x", reason="y")
    services.minutes_circulate(actor=None, minutes=v1, notify=False)
    services.minutes_approve(actor=world.co_chair, minutes=v1)
    services.minutes_lock(actor=None, minutes=v1)
    with pytest.raises(ValidationError):
        services.minutes_correct(actor=None, minutes=v1, body="참석 8개 기관", reason="  ")
    v2 = services.minutes_correct(actor=None, minutes=v1, body="참석 8개 기관", reason="참석기관 수 정정")
    assert (v2.version, v2.status, v2.supersedes, v2.correction_reason) == (
        2,
        "draft",
        v1,
        "참석기관 수 정정",
    )
    v1.refresh_from_db()
    assert (v1.status, v1.body) == ("locked", "참석 7개 기관")
    with pytest.raises(ValidationError):
        services.minutes_correct(actor=None, minutes=v1, body="again", reason="again")
    with pytest.raises(ValidationError):
        services.minutes_draft(actor=None, meeting=meeting, body="new")


def test_only_members_and_co_chairs_approve(world):
    meeting = held_meeting(world)
    minutes = services.minutes_draft(actor=None, meeting=meeting, body="x")
    services.minutes_circulate(actor=None, minutes=minutes, notify=False)
    with pytest.raises(ValidationError):
        services.minutes_approve(actor=world.secretary, minutes=minutes)
    with pytest.raises(ValidationError):
        services.minutes_approve(actor=world.outsider, minutes=minutes)
    assert services.co_chair_councils(world.co_chair) == {world.council.pk}
    assert services.co_chair_councils(world.member) == set()


def test_minutes_need_a_held_meeting(world):
    with pytest.raises(ValidationError):
        services.minutes_draft(actor=None, meeting=_schedule(world), body="x")


# --- Yearly plan -------------------------------------------------------------------------------------------


def test_plan_lines_default_to_their_year_within_the_plan(world):
    plan = PlanFactory(council=world.council)
    line = services.plan_line_save(actor=None, plan=plan, year=2022, title="협의회 개최")
    assert (line.starts_on, line.ends_on) == (date(2022, 1, 1), date(2022, 6, 30))
    again = services.plan_line_save(
        actor=None, plan=plan, year=2022, title="협의회 개최", title_en="Meetings"
    )
    assert again.pk == line.pk and again.title_en == "Meetings"
    with pytest.raises(ValidationError):
        services.plan_line_save(actor=None, plan=plan, year=2023, title="x")
    with pytest.raises(ValidationError):
        services.plan_line_save(actor=None, plan=plan, year=2021, title="x", starts_on=date(2020, 12, 1))
    indicator = services.indicator_set(
        actor=None, line=line, metric="plenaries_held", label="본회의", target=1
    )
    services.indicator_set(actor=None, line=line, metric="plenaries_held", label="본회의 개최", target=2)
    indicator.refresh_from_db()
    assert (indicator.label, indicator.target) == ("본회의 개최", 2)
    with pytest.raises(ValidationError):
        services.indicator_set(actor=None, line=line, metric="bad key!", label="x", target=1)
    with pytest.raises(ValidationError):
        services.indicator_set(actor=None, line=line, metric="plenaries_held", label="x", target=-1)
    assert Indicator.objects.count() == 1 and PlanLine.objects.count() == 1


def test_calendar_feed_token_can_be_reset(world):
    feed = services.calendar_feed_for(user=world.member)
    assert services.calendar_feed_for(user=world.member).token == feed.token
    new = services.calendar_feed_reset(user=world.member)
    assert new.token != feed.token and len(new.token) >= 30


def test_demo_world_is_idempotent_and_follows_the_seed(db):
    from gvalley.accounts import demo as accounts_demo
    from gvalley.council import demo

    accounts_demo.seed()
    demo.seed()
    counts = (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Seat.objects.count(),
        PlanLine.objects.count(),
    )
    demo.seed()
    assert (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Seat.objects.count(),
        PlanLine.objects.count(),
    ) == counts
    main = Council.objects.get(slug="gvalley")
    assert main.members.count() == 8
    assert list(
        CouncilLead.objects.filter(council=main).order_by("started_on").values_list("unit", "ended_on")
    ) == [("신성장산업과", date(2019, 1, 1)), ("산업거점활성화반", None)]
    seoul_working = list(
        Seat.objects.filter(
            member__council=main,
            member__organisation__short_name="서울시",
            kind="working_member",
            term__number=1,
        )
        .order_by("designated_on")
        .values_list("position_title", "ceased_on")
    )
    assert seoul_working == [("신성장산업과장", date(2019, 1, 1)), ("산업거점활성화반장", date(2020, 1, 1))]
    co_chairs = sorted(
        Seat.objects.filter(member__council=main, kind="co_chair", ceased_on__isnull=True).values_list(
            "person__name", flat=True
        )
    )
    assert co_chairs == ["김태희", "최선"]
    assert (
        Seat.objects.get(
            member__council=main,
            kind="member",
            ceased_on__isnull=True,
            member__organisation__short_name="G밸리산업협회",
        ).person.email
        == "member@demo.gvalley.kr"
    )
    assert PlanLine.objects.filter(plan__council=main).count() == 15
    assert sorted(set(PlanLine.objects.values_list("title", flat=True))) == [
        "공단논의 지속",
        "기업 방문",
        "협의회 개최",
    ]
    held = Meeting.objects.filter(council=main, kind="plenary", status="held", starts_at__year__lte=2021)
    assert sorted({m.starts_at.year for m in held}) == [2018, 2019, 2020, 2021]
    assert all(held.filter(starts_at__year=y).count() == 2 for y in (2018, 2019, 2020, 2021))
    assert Meeting.objects.filter(status="cancelled").count() == 1
    assert Meeting.objects.filter(council__slug="geumcheon-local").count() == 3
    assert (
        Minutes.objects.filter(status="locked").exists()
        and Minutes.objects.filter(supersedes__isnull=False).count() == 1
    )
    assert set(ActionItem.objects.values_list("status", flat=True)) >= {"done", "in_progress", "open"}
    assert Meeting.objects.filter(status="scheduled", starts_at__gt=timezone.now()).count() == 1


def test_reminders_command_and_task(world):
    import io

    from django.core.management import call_command

    from gvalley.council.tasks import send_reminders

    decision = _decided(world)
    services.action_item_create(
        actor=None,
        decision=decision,
        title="마감 임박",
        owner_organisation=world.orgs[1],
        owner_person=world.member,
        due_on=timezone.localdate() + timedelta(days=1),
    )
    out = io.StringIO()
    call_command("council_reminders", stdout=out)
    assert out.getvalue().strip() == "meeting reminders sent: 0; action-item reminders sent: 1"
    result = send_reminders.enqueue()
    assert result.return_value == {"meetings": 0, "action_items": 0}  # already reminded this week
