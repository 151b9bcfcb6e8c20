from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from gvalley.accounts.models import Consent, Membership, Organisation, PrivacyNotice, Role, User
from gvalley.core.models import AuditLog, Job
from gvalley.matchmaking import services
from gvalley.matchmaking.models import (
    Availability,
    Buyer,
    ConsultationRecord,
    Event,
    Interpreter,
    Meeting,
    MeetingLimits,
    PairSession,
    Preference,
    Satisfaction,
    ScheduleRun,
    Seller,
    Slot,
)
from tests.factories import CompanyFactory, PrivacyNoticeFactory, UserFactory
from tests.matchmaking.factories import EventFactory, InterpreterFactory, programme_notice
from tests.week.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English (the msgids); the pages are tested in Korean too."""
    from django.utils import translation

    with translation.override("en"):
        yield


SEOUL = ZoneInfo("Asia/Seoul")
DAY = date(2021, 10, 6)


def slot_at(event: Event, hh: int, mm: int = 0) -> Slot:
    return event.slots.get(starts_at=datetime(2021, 10, 6, hh, mm, tzinfo=SEOUL))


def place(world, buyer, seller, slot, interpreter=None, locked=False) -> Meeting:
    return Meeting.objects.create(
        event=world.event,
        buyer=buyer,
        seller=seller,
        slot=slot,
        room=1 + Meeting.objects.filter(slot=slot, status="scheduled").count(),
        interpreter=interpreter,
        locked=locked,
    )


# --- Event set-up ---------------------------------------------------------------------------------------


def test_sessions_make_slots_in_the_events_time_zone(world):
    event = world.event
    starts = [timezone.localtime(s.starts_at, SEOUL).strftime("%H:%M") for s in event.slots.all()]
    assert starts == ["10:00", "10:40", "11:20", "12:00", "13:30", "14:10", "14:50"]
    assert [s.number for s in event.slots.all()] == [1, 2, 3, 4, 5, 6, 7]
    first = event.slots.first()
    assert first.starts_at == datetime(2021, 10, 6, 1, 0, tzinfo=UTC)
    assert first.ends_at - first.starts_at == timedelta(minutes=30)


def test_session_outside_the_programme_or_overlapping_is_refused_and_nothing_changes(world):
    event = world.event
    with pytest.raises(ValidationError) as exc:
        services.session_add(
            actor=None, event=event, day=date(2021, 10, 20), part="morning", starts=time(9), ends=time(12)
        )
    assert "programme's dates" in str(exc.value)
    with pytest.raises(ValidationError):
        services.session_add(
            actor=None, event=event, day=date(2021, 10, 7), part="morning", starts=time(12), ends=time(10)
        )
    services.session_add(
        actor=None, event=event, day=date(2021, 10, 7), part="morning", starts=time(9), ends=time(10)
    )
    with pytest.raises(ValidationError) as exc:
        services.session_add(
            actor=None,
            event=event,
            day=date(2021, 10, 7),
            part="afternoon",
            starts=time(9, 30),
            ends=time(11),
        )
    assert "overlaps" in str(exc.value)
    assert event.slots.count() == 7 + 1


def test_sessions_cannot_change_once_meetings_are_scheduled(world):
    place(world, world.buyers[0], world.sellers[0], slot_at(world.event, 10), world.interpreters[0])
    with pytest.raises(ValidationError):
        services.session_add(
            actor=None,
            event=world.event,
            day=date(2021, 10, 7),
            part="morning",
            starts=time(9),
            ends=time(12),
        )
    with pytest.raises(ValidationError):
        services.event_update(actor=None, event=world.event, slot_minutes=45)
    assert world.event.slots.count() == 7


def test_event_settings_are_validated(world):
    with pytest.raises(ValidationError) as exc:
        services.event_update(actor=None, event=world.event, video_url_template="https://meet.example/{nope}")
    assert "video link pattern" in str(exc.value)
    with pytest.raises(ValidationError):
        services.event_update(actor=None, event=world.event, timezone="Mars/Olympus")
    with pytest.raises(ValidationError):
        services.event_update(actor=None, event=world.event, buyer_min_meetings=9, buyer_max_meetings=2)
    world.event.refresh_from_db()
    assert world.event.timezone == "Asia/Seoul"
    services.event_update(actor=world.operator, event=world.event, slot_minutes=20, gap_minutes=5)
    assert world.event.slots.count() == 11  # 10:00–12:30: 6 slots of 25 min; 13:30–15:30: 5
    assert AuditLog.objects.filter(action="matchmaking.event.update").count() == 1


def test_event_belongs_to_an_export_consultation_programme_once(world):
    with pytest.raises(ValidationError):
        services.event_create(
            actor=None,
            programme=ProgrammeFactory(kind="job_fair"),
            registration_opens_at=timezone.now(),
            registration_closes_at=timezone.now() + timedelta(days=1),
            preferences_close_at=timezone.now() + timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.event_create(
            actor=None,
            programme=world.event.programme,
            registration_opens_at=timezone.now(),
            registration_closes_at=timezone.now() + timedelta(days=1),
            preferences_close_at=timezone.now() + timedelta(days=1),
        )


def test_interpreter_is_added_with_the_role_and_known_languages(world):
    person = UserFactory()
    with pytest.raises(ValidationError):
        services.interpreter_add(actor=None, event=world.event, user=person, languages=["xx"])
    interpreter = services.interpreter_add(actor=None, event=world.event, user=person, languages=["th", "en"])
    assert interpreter.languages == ["th", "en"]
    assert Membership.objects.filter(user=person, role=Role.INTERPRETER).count() == 1
    with pytest.raises(ValidationError):
        services.interpreter_add(actor=None, event=world.event, user=person, languages=["th"])


# --- Registration -----------------------------------------------------------------------------------------


def test_a_visitor_registers_as_buyer_with_an_account_and_consent(world, django_capture_on_commit_callbacks):
    PrivacyNoticeFactory(purpose=PrivacyNotice.Purpose.ACCOUNT)
    account_notice = PrivacyNotice.objects.get(purpose="account")
    with django_capture_on_commit_callbacks(execute=True):
        buyer = services.buyer_register(
            actor=None,
            event=world.event,
            company_name="PT Maju Bersama",
            country="ID",
            timezone_name="Asia/Jakarta",
            language="id",
            products_sought="LED lighting",
            purchase_volume_usd=250_000,
            agree_programme=True,
            email="Budi@Maju.example",
            name="Budi",
            password="gasan-digital-2021",
            account_notices=[account_notice],
        )
    user = buyer.contact
    assert (user.email, user.language, user.timezone, user.is_active) == (
        "budi@maju.example",
        "en",
        "Asia/Jakarta",
        False,
    )
    assert buyer.organisation.kind == Organisation.Kind.FOREIGN_COMPANY
    assert buyer.organisation.country == "ID"
    assert user.has_role(Role.BUYER)
    assert sorted(Consent.objects.filter(user=user).values_list("notice__purpose", flat=True)) == [
        "account",
        "programme",
    ]
    assert len(mail.outbox) == 1  # the e-mail confirmation, in English


def test_buyer_registration_refuses_bad_input_and_writes_nothing(world):
    user = UserFactory()
    base = {
        "actor": user,
        "event": world.event,
        "company_name": "Acme",
        "country": "ID",
        "timezone_name": "Asia/Jakarta",
        "language": "id",
        "products_sought": "LED",
        "agree_programme": True,
    }
    for change, field in [
        ({"timezone_name": "Asia/Atlantis"}, "timezone"),
        ({"country": "XX"}, "country"),
        ({"language": "de"}, "language"),
        ({"products_sought": "  "}, "products_sought"),
        ({"agree_programme": False}, "agree_programme"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.buyer_register(**{**base, **change})
        assert field in exc.value.error_dict
    assert Buyer.objects.filter(contact=user).count() == 0
    assert Organisation.objects.filter(name="Acme").count() == 0
    world.event.registration_closes_at = timezone.now() - timedelta(minutes=1)
    world.event.save()
    with pytest.raises(ValidationError) as exc:
        services.buyer_register(**base)
    assert exc.value.messages == ["Registration is closed."]


def test_a_returning_buyer_keeps_his_organisation(world):
    user = world.buyers[0].contact
    other = EventFactory(programme__edition__year=2022, programme__edition__number=1007)
    again = services.buyer_register(
        actor=user,
        event=other,
        company_name=world.buyers[0].organisation.name,
        country="ID",
        timezone_name="Asia/Jakarta",
        language="id",
        products_sought="CCTV",
        agree_programme=True,
    )
    assert again.organisation_id != world.buyers[0].organisation_id  # factories did not grant the membership
    third = EventFactory(programme__edition__year=2023, programme__edition__number=1008)
    once_more = services.buyer_register(
        actor=user,
        event=third,
        company_name=again.organisation.name.upper(),
        country="ID",
        timezone_name="Asia/Jakarta",
        language="id",
        products_sought="CCTV",
        agree_programme=True,
    )
    assert once_more.organisation_id == again.organisation_id


def test_a_company_registers_from_its_profile_through_its_representative(world):
    company = CompanyFactory(
        products="CCTV 카메라",
        products_en="CCTV cameras",
        exports_thousand_usd=1200,
        export_countries="베트남",
    )
    rep = UserFactory()
    from gvalley.directory.services import company_add_representative

    company_add_representative(actor=None, company=company, user=rep)
    seller = services.seller_register(actor=rep, event=world.event, company=company, agree_programme=True)
    assert (seller.products, seller.products_en, seller.target_countries) == (
        "CCTV 카메라",
        "CCTV cameras",
        "베트남",
    )
    assert seller.export_experience == "Exports of USD 1,200 thousand a year (베트남)"
    assert seller.contact == rep
    stranger = UserFactory(roles=[Role.COMPANY_REP])
    with pytest.raises(ValidationError):
        services.seller_register(
            actor=stranger, event=world.event, company=CompanyFactory(), agree_programme=True
        )
    with pytest.raises(ValidationError):
        services.seller_register(actor=rep, event=world.event, company=company, agree_programme=True)
    assert Seller.objects.filter(company=company).count() == 1


# --- Availability -----------------------------------------------------------------------------------------


def engine_interval(row):
    from gvalley.engines.schedule.model import Interval

    return Interval(row.starts_at, row.ends_at)


def test_availability_is_entered_in_the_participants_own_time_zone(world):
    buyer = world.buyers[0]  # Asia/Jakarta = Seoul − 2 h
    rows = services.availability_set(actor=buyer.contact, owner=buyer, intervals=[(DAY, time(8), time(10))])
    assert [(r.starts_at, r.ends_at) for r in rows] == [
        (datetime(2021, 10, 6, 1, 0, tzinfo=UTC), datetime(2021, 10, 6, 3, 0, tzinfo=UTC))
    ]
    from gvalley.engines.schedule import allowed_slots
    from gvalley.matchmaking import scheduling

    data = scheduling.engine_inputs(world.event)
    (participant,) = [p for p in data["selection"].buyers if p.id == f"b{buyer.pk}"]
    assert (participant.timezone, participant.availability) == (
        "Asia/Jakarta",
        (engine_interval(rows[0]),),
    )
    allowed = sorted(
        Slot.objects.get(pk=int(t)).number
        for t in allowed_slots(data["slots"], participant.availability, participant.timezone)
    )
    # 10:00, 10:40, 11:20 Seoul = 08:00, 08:40, 09:20 Jakarta (12:00 ends after 10:00)
    assert allowed == [1, 2, 3]


@pytest.mark.parametrize(
    "intervals,message",
    [
        ([(DAY, time(20), time(22))], "outside the event's sessions"),
        ([(date(2021, 10, 9), time(8), time(12))], "outside the event's sessions"),
        ([(DAY, time(8), time(10)), (DAY, time(9), time(11))], "overlap"),
        ([(DAY, time(10), time(9))], "end must be after the start"),
    ],
)
def test_bad_availability_is_refused_and_the_old_one_kept(world, intervals, message):
    buyer = world.buyers[0]
    services.availability_set(actor=None, owner=buyer, intervals=[(DAY, time(8), time(13))])
    with pytest.raises(ValidationError) as exc:
        services.availability_set(actor=None, owner=buyer, intervals=intervals)
    assert message in " ".join(exc.value.messages)
    assert Availability.objects.filter(buyer=buyer).count() == 1


def test_unknown_time_zone_is_refused_for_availability(world):
    buyer = world.buyers[0]
    Buyer.objects.filter(pk=buyer.pk).update(timezone="Asia/Nowhere")
    buyer.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.availability_set(actor=None, owner=buyer, intervals=[(DAY, time(8), time(10))])
    assert exc.value.message_dict == {"timezone": ["Unknown time zone: Asia/Nowhere"]}
    assert Availability.objects.count() == 0


def test_a_locked_meeting_that_would_become_impossible_is_refused(world):
    buyer, seller = world.buyers[0], world.sellers[0]
    place(world, buyer, seller, slot_at(world.event, 14, 10), world.interpreters[0], locked=True)
    with pytest.raises(ValidationError) as exc:
        # Jakarta 08:00–10:00 = Seoul 10:00–12:00, but the locked meeting is at 14:10 Seoul
        services.availability_set(actor=None, owner=seller, intervals=[(DAY, time(10), time(12))])
    assert "locked meeting" in exc.value.messages[0]
    assert Availability.objects.count() == 0
    with pytest.raises(ValidationError):
        services.interpreter_update(
            actor=None, interpreter=world.interpreters[0], languages=["ms"], max_consecutive=4
        )
    assert world.interpreters[0].languages == ["id", "ms", "en"]


# --- Preferences ------------------------------------------------------------------------------------------


def test_preferences_are_set_cleared_and_audited(world):
    buyer = world.buyers[0]
    s1, s2 = world.sellers[0], world.sellers[1]
    counts = services.preferences_set(actor=buyer.contact, owner=buyer, levels={s1.pk: "must", s2.pk: "want"})
    assert counts == {"set": 2, "cleared": 0}
    counts = services.preferences_set(actor=buyer.contact, owner=buyer, levels={s1.pk: "", s2.pk: "no"})
    assert counts == {"set": 1, "cleared": 1}
    assert list(Preference.objects.values_list("seller_id", "side", "level")) == [(s2.pk, "buyer", "no")]
    assert AuditLog.objects.filter(action="matchmaking.preferences.set").count() == 2


def test_preferences_after_the_deadline_or_beyond_the_limit_are_refused(world):
    buyer = world.buyers[0]
    world.event.buyer_max_meetings = 1
    world.event.save()
    with pytest.raises(ValidationError) as exc:
        services.preferences_set(
            actor=buyer.contact,
            owner=buyer,
            levels={world.sellers[0].pk: "must", world.sellers[1].pk: "must"},
        )
    assert "at most 1" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.preferences_set(
            actor=buyer.contact, owner=buyer, levels={world.buyers[1].pk + 10_000: "want"}
        )
    world.event.preferences_close_at = timezone.now() - timedelta(seconds=1)
    world.event.save()
    with pytest.raises(ValidationError) as exc:
        services.preferences_set(actor=buyer.contact, owner=buyer, levels={world.sellers[0].pk: "want"})
    assert exc.value.messages == ["The deadline for preferences has passed."]
    assert Preference.objects.count() == 0
    # the organiser may still adjust them
    services.preferences_set(actor=world.handler, owner=buyer, levels={world.sellers[0].pk: "want"})
    assert Preference.objects.count() == 1


def test_the_organiser_cannot_fix_a_vetoed_pair(world):
    buyer, seller = world.buyers[0], world.sellers[0]
    services.preferences_set(actor=seller.contact, owner=seller, levels={buyer.pk: "no"})
    with pytest.raises(ValidationError):
        services.pair_decide(actor=world.operator, buyer=buyer, seller=seller, level="must")
    decision = services.pair_decide(actor=world.operator, buyer=buyer, seller=world.sellers[1], level="must")
    assert (decision.side, decision.level) == ("organiser", "must")
    assert services.pair_decide(actor=world.operator, buyer=buyer, seller=world.sellers[1], level="") is None
    assert Preference.objects.filter(side="organiser").count() == 0


# --- Scheduling and adjustments ----------------------------------------------------------------------------


def wish(world, pairs):
    for b, s, level in pairs:
        services.preferences_set(actor=None, owner=world.buyers[b], levels={world.sellers[s].pk: level})


def test_the_scheduler_runs_as_a_job_and_writes_a_provisional_schedule(
    world, django_capture_on_commit_callbacks
):
    wish(world, [(0, 0, "must"), (0, 1, "want"), (1, 0, "want"), (2, 2, "want")])
    world.event.recommendations = 0
    world.event.save()
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_request(actor=world.handler, event=world.event)
    run.refresh_from_db()
    assert run.status == ScheduleRun.Status.OPTIMAL
    assert (run.requested_pairs, run.scheduled_meetings) == (4, 4)
    assert run.job.status == Job.Status.SUCCEEDED
    assert run.job.result_url == f"/week/export-consultation/{world.pk}/manage/schedule/"
    meetings = list(Meeting.objects.filter(event=world.event, status="scheduled"))
    assert sorted((m.buyer_id, m.seller_id) for m in meetings) == sorted(
        [
            (world.buyers[0].pk, world.sellers[0].pk),
            (world.buyers[0].pk, world.sellers[1].pk),
            (world.buyers[1].pk, world.sellers[0].pk),
            (world.buyers[2].pk, world.sellers[2].pk),
        ]
    )
    for m in meetings:
        assert m.buyer.language in m.interpreter.languages
    assert run.breaks == 0
    world.event.refresh_from_db()
    assert world.event.schedule_status == Event.ScheduleStatus.PROVISIONAL


def test_reoptimisation_keeps_locked_meetings_where_they_are(world, django_capture_on_commit_callbacks):
    wish(world, [(0, 0, "must"), (1, 1, "want")])
    world.event.recommendations = 0
    world.event.save()
    locked = place(
        world, world.buyers[0], world.sellers[0], slot_at(world.event, 14, 50), world.interpreters[0], True
    )
    loose = place(world, world.buyers[1], world.sellers[1], slot_at(world.event, 12), world.interpreters[1])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.schedule_request(actor=world.operator, event=world.event, kind="reoptimise")
    locked.refresh_from_db()
    loose.refresh_from_db()
    assert (locked.slot.number, locked.status, locked.locked) == (7, "scheduled", True)
    assert loose.status == "scheduled"  # same pair kept (its slot may change)
    run.refresh_from_db()
    assert run.stats["locked"] == 1


def test_a_locked_meeting_that_became_impossible_stops_the_scheduler_with_a_clear_error(world):
    buyer = world.buyers[0]
    services.availability_set(actor=None, owner=buyer, intervals=[(DAY, time(8), time(10))])
    m = place(world, buyer, world.sellers[0], slot_at(world.event, 10), world.interpreters[0], locked=True)
    # someone changes the slot's meaning: the buyer withdrew
    services.participant_withdraw(actor=None, participant=world.sellers[0])
    m.refresh_from_db()
    assert m.status == "cancelled"
    m2 = place(
        world, buyer, world.sellers[1], slot_at(world.event, 10, 40), world.interpreters[0], locked=True
    )
    Availability.objects.filter(buyer=buyer).update(ends_at=datetime(2021, 10, 6, 1, 30, tzinfo=UTC))
    with pytest.raises(ValidationError) as exc:
        services.schedule_request(actor=world.operator, event=world.event)
    assert "is no longer available then" in exc.value.messages[0]
    assert ScheduleRun.objects.count() == 0
    assert Job.objects.count() == 0
    assert m2.locked


def test_move_is_refused_into_an_occupied_slot_or_outside_availability(world):
    b0, b1 = world.buyers[0], world.buyers[1]
    m = place(world, b0, world.sellers[0], slot_at(world.event, 10), world.interpreters[0])
    place(world, b0, world.sellers[1], slot_at(world.event, 10, 40), world.interpreters[0])
    place(world, b1, world.sellers[2], slot_at(world.event, 11, 20), world.interpreters[1])
    with pytest.raises(ValidationError) as exc:
        services.meeting_move(actor=world.operator, meeting=m, slot=slot_at(world.event, 10, 40))
    assert any(
        "already has a meeting" in msg or "busy" in msg or "No interpreter" in msg
        for msg in exc.value.messages
    )
    services.availability_set(actor=None, owner=world.sellers[0], intervals=[(DAY, time(10), time(12, 30))])
    with pytest.raises(ValidationError) as exc:
        services.meeting_move(actor=world.operator, meeting=m, slot=slot_at(world.event, 14, 10))
    assert exc.value.messages == [f"{world.sellers[0].name} is not available at this time."]
    m.refresh_from_db()
    assert (m.slot.number, m.sequence) == (1, 0)
    moved = services.meeting_move(actor=world.operator, meeting=m, slot=slot_at(world.event, 11, 20))
    assert (moved.slot.number, moved.sequence, moved.interpreter) == (3, 1, world.interpreters[0])


def test_cancel_add_lock_and_publish(world, django_capture_on_commit_callbacks):
    m = services.meeting_add(
        actor=world.operator,
        event=world.event,
        buyer=world.buyers[0],
        seller=world.sellers[0],
        slot=slot_at(world.event, 10),
    )
    assert (m.locked, m.room, m.interpreter) == (True, 1, world.interpreters[0])
    with pytest.raises(ValidationError):
        services.meeting_add(
            actor=world.operator,
            event=world.event,
            buyer=world.buyers[0],
            seller=world.sellers[0],
            slot=slot_at(world.event, 12),
        )
    services.meeting_lock(actor=world.operator, meeting=m, locked=False)
    other = services.meeting_add(
        actor=world.operator,
        event=world.event,
        buyer=world.buyers[2],
        seller=world.sellers[1],
        slot=slot_at(world.event, 10),
    )
    assert other.interpreter == world.interpreters[1]  # the first interpreter is busy at 10:00
    with django_capture_on_commit_callbacks(execute=True):
        assert services.schedule_publish(actor=world.operator, event=world.event) == 2
    world.event.refresh_from_db()
    assert world.event.is_published
    recipients = sorted(message.to[0] for message in mail.outbox)
    expected = sorted(
        [world.buyers[0].contact.email, world.buyers[2].contact.email, world.sellers[0].contact.email]
        + [world.sellers[1].contact.email, world.interpreters[0].user.email, world.interpreters[1].user.email]
    )
    assert recipients == expected
    message = next(msg for msg in mail.outbox if msg.to[0] == world.buyers[0].contact.email)
    assert "08:00" in message.body  # Jakarta time
    filename, content, mimetype = message.attachments[0]
    cal = Calendar.from_ical(content)
    assert [str(e["uid"]) for e in cal.walk("VEVENT")] == [f"gvalley-mm-{m.pk}@gvalley.kr"]
    services.meeting_cancel(actor=world.operator, meeting=other, reason="buyer ill")
    other.refresh_from_db()
    assert (other.status, other.cancel_reason, other.sequence) == ("cancelled", "buyer ill", 1)


# --- Outcomes ---------------------------------------------------------------------------------------------


def test_record_attendance_and_satisfaction(world):
    m = place(world, world.buyers[0], world.sellers[0], slot_at(world.event, 10), world.interpreters[0])
    with pytest.raises(ValidationError):
        services.satisfaction_rate(actor=None, meeting=m, side="buyer", score=5)
    record = services.record_save(
        actor=world.sellers[0].contact,
        meeting=m,
        products_discussed="CCTV",
        consultation_usd=120_000,
        expected_contract_usd=30_000,
        follow_up="samples",
    )
    m.refresh_from_db()
    assert (m.attendance, record.consultation_usd) == ("held", 120_000)
    with pytest.raises(ValidationError):
        services.attendance_set(actor=None, meeting=m, attendance="no_show", no_show_side="buyer")
    with pytest.raises(ValidationError):
        services.satisfaction_rate(actor=None, meeting=m, side="buyer", score=6)
    services.satisfaction_rate(actor=None, meeting=m, side="buyer", score=4)
    services.satisfaction_rate(actor=None, meeting=m, side="buyer", score=5, comment="good")
    assert list(Satisfaction.objects.values_list("side", "score", "comment")) == [("buyer", 5, "good")]
    m2 = place(world, world.buyers[1], world.sellers[1], slot_at(world.event, 10), world.interpreters[1])
    with pytest.raises(ValidationError):
        services.attendance_set(actor=None, meeting=m2, attendance="no_show")
    services.attendance_set(actor=None, meeting=m2, attendance="no_show", no_show_side="seller")
    with pytest.raises(ValidationError):
        services.record_save(actor=None, meeting=m2, products_discussed="x", consultation_usd=1)
    assert ConsultationRecord.objects.count() == 1


def test_no_record_before_the_meeting_starts(world):
    event = world.event
    future = Slot.objects.create(
        event=event,
        session=event.sessions.first(),
        number=99,
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, minutes=30),
    )
    m = place(world, world.buyers[0], world.sellers[0], future, world.interpreters[0])
    with pytest.raises(ValidationError):
        services.record_save(actor=None, meeting=m, products_discussed="x", consultation_usd=1)
    with pytest.raises(ValidationError):
        services.attendance_set(actor=None, meeting=m, attendance="held")


def test_withdrawal_cancels_the_meetings(world):
    m = place(world, world.buyers[0], world.sellers[0], slot_at(world.event, 10), world.interpreters[0])
    services.participant_withdraw(actor=None, participant=world.buyers[0])
    m.refresh_from_db()
    assert m.status == "cancelled"
    with pytest.raises(ValidationError):
        services.preferences_set(actor=None, owner=world.buyers[0], levels={world.sellers[1].pk: "want"})


def test_models_keep_double_bookings_out_of_the_database(world):
    from django.db import IntegrityError, transaction

    slot = slot_at(world.event, 10)
    place(world, world.buyers[0], world.sellers[0], slot, world.interpreters[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            event=world.event, buyer=world.buyers[0], seller=world.sellers[1], slot=slot, room=2
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            event=world.event,
            buyer=world.buyers[2],
            seller=world.sellers[1],
            slot=slot,
            room=2,
            interpreter=world.interpreters[0],
        )


__all__ = ["User", "programme_notice"]


# --- During the event: meetings that took place, cancelled pairs, re-publication --------------------------

#: 11:30 in Seoul on the event's day: slots 1–3 (10:00, 10:40, 11:20) have started, 4–7 are to come.
DURING = datetime(2021, 10, 6, 11, 30, tzinfo=SEOUL)


def reoptimise(world, now=None):
    run = services.schedule_request(actor=world.operator, event=world.event, kind="reoptimise", enqueue=False)
    return services.schedule_execute(run=run, deterministic=True, time_limit=5, now=now)


def scheduled_pairs(world):
    return sorted(
        (m.buyer_id, m.seller_id, m.slot.number)
        for m in Meeting.objects.filter(event=world.event, status="scheduled").select_related("slot")
    )


def test_reoptimisation_during_the_event_keeps_meetings_that_took_place_and_uses_only_future_slots(world):
    from gvalley.matchmaking import selectors

    b, s = world.buyers, world.sellers
    world.event.recommendations = 0
    world.event.save()
    held = place(world, b[0], s[0], slot_at(world.event, 10), world.interpreters[0])
    services.record_save(actor=None, meeting=held, products_discussed="CCTV", consultation_usd=50_000)
    no_show = place(world, b[1], s[1], slot_at(world.event, 10, 40), world.interpreters[1])
    services.attendance_set(actor=None, meeting=no_show, attendance="no_show", no_show_side="buyer")
    started = place(world, b[2], s[2], slot_at(world.event, 11, 20), world.interpreters[0])
    assert selectors.statistics(world.event)["totals"]["consultations"] == 1
    # nobody asked for these three pairs any more; two new wishes come in
    wish(world, [(0, 1, "want"), (1, 0, "want")])
    before = {m.pk: (m.slot_id, m.room, m.interpreter_id, m.sequence) for m in (held, no_show, started)}

    run = reoptimise(world, now=DURING)

    assert run.status == ScheduleRun.Status.OPTIMAL
    for m in (held, no_show, started):
        m.refresh_from_db()
        assert (m.status, m.cancel_reason) == ("scheduled", "")
        assert (m.slot_id, m.room, m.interpreter_id, m.sequence) == before[m.pk]
    totals = selectors.statistics(world.event)["totals"]
    assert (totals["consultations"], totals["amount"]) == (1, 50_000)
    pairs = scheduled_pairs(world)
    new = [(bb, ss, n) for bb, ss, n in pairs if (bb, ss) in {(b[0].pk, s[1].pk), (b[1].pk, s[0].pk)}]
    assert sorted((bb, ss) for bb, ss, _n in new) == sorted([(b[0].pk, s[1].pk), (b[1].pk, s[0].pk)])
    assert all(n >= 4 for _b, _s, n in new)  # no new meeting in a slot that has started
    assert len(pairs) == 5
    assert (run.stats["taken_place"], run.stats["dropped"], run.scheduled_meetings) == (3, 0, 5)


def test_the_scheduler_refuses_an_event_whose_slots_have_all_started(world):
    with pytest.raises(ValidationError) as exc:
        services.schedule_request(
            actor=world.operator, event=world.event, now=datetime(2021, 10, 6, 15, tzinfo=SEOUL)
        )
    assert exc.value.messages == ["Every slot of the event has started: there is nothing left to schedule."]
    assert ScheduleRun.objects.count() == 0


def test_attendance_entered_while_the_scheduler_ran_leaves_the_schedule_unchanged(world):
    from gvalley.matchmaking import scheduling

    world.event.recommendations = 0
    world.event.save()
    loose = place(world, world.buyers[0], world.sellers[0], slot_at(world.event, 12), world.interpreters[0])
    run = services.schedule_request(actor=world.operator, event=world.event, kind="reoptimise", enqueue=False)
    outcome = scheduling.solve(world.event, deterministic=True, time_limit=5, now=DURING)
    assert outcome.meetings == []  # nobody asked for the pair: the plan drops it
    Meeting.objects.filter(pk=loose.pk).update(attendance="held")  # meanwhile, someone records it
    with pytest.raises(ValidationError) as exc:
        services._apply_outcome(run, outcome)
    assert "entered while the scheduler ran" in exc.value.messages[0]
    loose.refresh_from_db()
    assert (loose.status, loose.slot.number) == ("scheduled", 4)


def test_a_meeting_that_took_place_is_neither_moved_nor_cancelled(world):
    m = place(world, world.buyers[0], world.sellers[0], slot_at(world.event, 10), world.interpreters[0])
    services.record_save(actor=None, meeting=m, products_discussed="CCTV", consultation_usd=50_000)
    audits = AuditLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.meeting_move(actor=world.operator, meeting=m, slot=slot_at(world.event, 12))
    assert exc.value.messages == [
        "This meeting took place (its attendance or consultation record is entered); it cannot be moved."
    ]
    with pytest.raises(ValidationError) as exc:
        services.meeting_cancel(actor=world.operator, meeting=m, reason="mistake")
    assert exc.value.messages == [
        "This meeting took place (its attendance or consultation record is entered); it cannot be cancelled."
    ]
    # a record without attendance (entered before the rule) is protected too
    Meeting.objects.filter(pk=m.pk).update(attendance="pending")
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=world.operator, meeting=m)
    m.refresh_from_db()
    assert (m.status, m.slot.number, m.sequence) == ("scheduled", 1, 0)
    assert Preference.objects.filter(side="organiser").count() == 0
    assert AuditLog.objects.count() == audits


def test_a_meeting_is_never_placed_by_hand_in_a_slot_that_has_started(world):
    m = place(world, world.buyers[0], world.sellers[0], slot_at(world.event, 12), world.interpreters[0])
    started = slot_at(world.event, 10)
    during = started.starts_at + timedelta(minutes=5)  # the event is under way: the 10:00 slot has started
    audits = AuditLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.meeting_move(actor=world.operator, meeting=m, slot=started, now=during)
    assert exc.value.messages == ["This slot has already started; choose one still to come."]
    with pytest.raises(ValidationError) as exc:
        services.meeting_add(
            actor=world.operator,
            event=world.event,
            buyer=world.buyers[1],
            seller=world.sellers[1],
            slot=started,
            now=during,
        )
    assert exc.value.messages == ["This slot has already started; choose one still to come."]
    m.refresh_from_db()
    assert m.slot == slot_at(world.event, 12) and AuditLog.objects.count() == audits
    assert not Meeting.objects.filter(buyer=world.buyers[1]).exists()
    # the records of a past edition are entered as they happened
    past = services.meeting_add(
        actor=world.operator,
        event=world.event,
        buyer=world.buyers[1],
        seller=world.sellers[1],
        slot=started,
        now=during,
        past_edition=True,
    )
    assert past.slot == started


def test_a_cancelled_pair_is_not_scheduled_again_until_the_organiser_allows_it(world):
    b0, s0 = world.buyers[0], world.sellers[0]
    wish(world, [(0, 0, "must"), (1, 1, "want")])
    world.event.recommendations = 0
    world.event.save()
    run = services.schedule_request(actor=world.operator, event=world.event, enqueue=False)
    services.schedule_execute(run=run, deterministic=True, time_limit=5)
    meeting = Meeting.objects.get(buyer=b0, seller=s0, status="scheduled")

    services.meeting_cancel(actor=world.operator, meeting=meeting, reason="buyer ill")

    decision = Preference.objects.get(buyer=b0, seller=s0, side="organiser")
    assert (decision.level, decision.note) == ("no", "Meeting cancelled: buyer ill")
    assert AuditLog.objects.filter(action="matchmaking.pair.decide").count() == 1
    run = reoptimise(world)
    assert not Meeting.objects.filter(buyer=b0, seller=s0, status="scheduled").exists()
    assert [(u.buyer_id, u.seller_id, u.reason) for u in run.unscheduled.all()] == [
        (b0.pk, s0.pk, "Excluded by the organiser.")
    ]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == ("cancelled", "buyer ill")
    # the organiser clears the exclusion: the pair is planned again
    services.pair_decide(actor=world.operator, buyer=b0, seller=s0, level="")
    reoptimise(world)
    assert Meeting.objects.filter(buyer=b0, seller=s0, status="scheduled").count() == 1


def test_adding_a_cancelled_pair_by_hand_ends_its_exclusion(world):
    b0, s0 = world.buyers[0], world.sellers[0]
    m = services.meeting_add(
        actor=world.operator, event=world.event, buyer=b0, seller=s0, slot=slot_at(world.event, 10)
    )
    services.meeting_cancel(actor=world.operator, meeting=m)
    assert Preference.objects.get(side="organiser").note == "Meeting cancelled: Cancelled by the organiser"
    again = services.meeting_add(
        actor=world.operator, event=world.event, buyer=b0, seller=s0, slot=slot_at(world.event, 12)
    )
    assert (again.status, again.slot.number) == ("scheduled", 4)
    assert not Preference.objects.filter(side="organiser").exists()
    # a participant's veto still stops it
    services.meeting_cancel(actor=world.operator, meeting=again)
    services.preferences_set(actor=None, owner=s0, levels={b0.pk: "no"})
    with pytest.raises(ValidationError) as exc:
        services.meeting_add(
            actor=world.operator, event=world.event, buyer=b0, seller=s0, slot=slot_at(world.event, 12)
        )
    assert exc.value.messages == ["One side does not want to meet the other; a vetoed pair cannot be fixed."]
    assert Preference.objects.get(side="organiser").level == "no"


def test_reoptimising_a_published_schedule_makes_it_provisional_until_published_again(world):
    wish(world, [(0, 0, "must"), (1, 1, "want")])
    world.event.recommendations = 0
    world.event.save()
    run = services.schedule_request(actor=world.operator, event=world.event, enqueue=False)
    services.schedule_execute(run=run, deterministic=True, time_limit=5)
    services.schedule_publish(actor=world.operator, event=world.event, notify=False)
    world.event.refresh_from_db()
    published_at = world.event.published_at
    # a re-optimisation that changes nothing leaves the publication as it is
    run = reoptimise(world)
    world.event.refresh_from_db()
    assert (run.stats["created"], run.stats["moved"], run.stats["dropped"]) == (0, 0, 0)
    assert world.event.schedule_status == Event.ScheduleStatus.PUBLISHED
    # a new wish changes the schedule: provisional again, participants no longer see it
    wish(world, [(2, 2, "want")])
    run = reoptimise(world)
    world.event.refresh_from_db()
    assert run.stats["created"] == 1
    assert (world.event.schedule_status, world.event.published_at) == ("provisional", published_at)
    buyer = world.buyers[2]
    assert not buyer.contact.has_perm("matchmaking.view_agenda", buyer)
    entry = AuditLog.objects.filter(action="matchmaking.schedule.apply").latest("pk")
    assert (entry.before["schedule_status"], entry.after["schedule_status"]) == ("published", "provisional")
    services.schedule_publish(actor=world.operator, event=world.event, notify=False)
    world.event.refresh_from_db()
    assert buyer.contact.has_perm("matchmaking.view_agenda", buyer)


def test_withdrawal_keeps_the_meetings_that_took_place(world):
    held = place(world, world.buyers[0], world.sellers[0], slot_at(world.event, 10), world.interpreters[0])
    services.record_save(actor=None, meeting=held, products_discussed="CCTV", consultation_usd=50_000)
    pending = place(world, world.buyers[0], world.sellers[1], slot_at(world.event, 12), world.interpreters[0])
    services.participant_withdraw(actor=None, participant=world.buyers[0])
    held.refresh_from_db()
    pending.refresh_from_db()
    assert (held.status, pending.status) == ("scheduled", "cancelled")


# --- Interpreters: edit and remove ------------------------------------------------------------------------


def test_an_interpreter_is_removed_and_his_meetings_go_to_a_free_colleague(world):
    extra = InterpreterFactory(event=world.event, languages=["vi"])
    leaving = world.interpreters[1]  # vi, en
    m = place(world, world.buyers[1], world.sellers[0], slot_at(world.event, 12), leaving)
    busy = place(world, world.buyers[2], world.sellers[1], slot_at(world.event, 12), world.interpreters[0])
    services.availability_set(actor=None, owner=leaving, intervals=[])
    handover = services.interpreter_remove(actor=world.operator, interpreter=leaving)
    assert handover == {m.pk: extra.pk}
    m.refresh_from_db()
    busy.refresh_from_db()
    assert (m.interpreter_id, m.sequence, busy.interpreter_id) == (extra.pk, 0, world.interpreters[0].pk)
    assert not Interpreter.objects.filter(pk=leaving.pk).exists()
    entry = AuditLog.objects.get(action="matchmaking.interpreter.remove")
    assert (entry.before["user_id"], entry.after) == (leaving.user_id, {"handed_over": {str(m.pk): extra.pk}})


def test_an_interpreter_who_cannot_be_replaced_is_not_removed(world):
    leaving = world.interpreters[1]  # the only Vietnamese interpreter
    m = place(world, world.buyers[1], world.sellers[0], slot_at(world.event, 12), leaving)
    held = place(world, world.buyers[0], world.sellers[1], slot_at(world.event, 10), leaving)
    services.attendance_set(actor=None, meeting=held, attendance="held")
    with pytest.raises(ValidationError) as exc:
        services.interpreter_remove(actor=world.operator, interpreter=leaving)
    name = leaving.name
    assert exc.value.messages == [
        f"{name} cannot be removed:",
        f"2021-10-06 10:00 {world.buyers[0].name} × {world.sellers[1].name}: "
        f"{name} interpreted this meeting; it stays on record.",
        f"2021-10-06 12:00 {world.buyers[1].name} × {world.sellers[0].name}: "
        "no other interpreter of Vietnamese is free at this time.",
    ]
    m.refresh_from_db()
    assert (m.interpreter_id, Interpreter.objects.filter(pk=leaving.pk).exists()) == (leaving.pk, True)
    assert not AuditLog.objects.filter(action="matchmaking.interpreter.remove").exists()


def test_an_interpreter_without_meetings_is_edited_and_removed(world):
    interpreter = services.interpreter_update(
        actor=world.operator, interpreter=world.interpreters[0], languages=["th", "en"], max_consecutive=2
    )
    interpreter.refresh_from_db()
    assert (interpreter.languages, interpreter.max_consecutive) == (["th", "en"], 2)
    assert services.interpreter_remove(actor=world.operator, interpreter=interpreter) == {}
    assert list(world.event.interpreters.all()) == [world.interpreters[1]]


# --- Meetings per participant and sessions per pair ------------------------------------------------------------


def audits(action: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action).order_by("pk"))


def test_the_organiser_overrides_the_events_minimum_and_maximum_for_one_participant(world):
    buyer, seller = world.buyers[0], world.sellers[0]
    event = world.event  # buyers 0–4, companies 0–3 meetings by default
    assert buyer.meeting_limits(event) == MeetingLimits(0, 4)
    services.meeting_limits_set(actor=world.handler, participant=buyer, min_meetings=2, max_meetings=10)
    services.meeting_limits_set(actor=world.operator, participant=seller, min_meetings=None, max_meetings=2)
    buyer.refresh_from_db()
    seller.refresh_from_db()
    assert (buyer.min_meetings, buyer.max_meetings) == (2, 10)  # a key buyer: above the event's maximum
    assert buyer.meeting_limits(event) == MeetingLimits(2, 10, custom_min=True, custom_max=True)
    assert seller.meeting_limits(event) == MeetingLimits(0, 2, custom_max=True)  # a small company
    entries = audits("matchmaking.buyer.limits")
    assert len(entries) == 1
    assert (entries[0].actor, entries[0].object_id) == (world.handler, str(buyer.pk))
    assert (entries[0].before["min_meetings"], entries[0].before["max_meetings"]) == (None, None)
    assert (entries[0].after["min_meetings"], entries[0].after["max_meetings"]) == (2, 10)
    assert len(audits("matchmaking.seller.limits")) == 1
    # empty again: the event's values
    services.meeting_limits_set(actor=world.operator, participant=buyer, min_meetings=None, max_meetings=None)
    buyer.refresh_from_db()
    assert buyer.meeting_limits(event) == MeetingLimits(0, 4)
    assert len(audits("matchmaking.buyer.limits")) == 2


@pytest.mark.parametrize(
    ("who", "values", "message"),
    [
        ("operator", (3, 2), "The maximum (2) cannot be below the minimum (3)."),
        ("operator", (5, None), "The maximum (4) cannot be below the minimum (5)."),
        ("operator", (None, 51), "Give a number from 0 to 50, or leave it empty for the event's value."),
        ("operator", (-1, None), "Give a number from 0 to 50, or leave it empty for the event's value."),
        ("buyer", (None, 10), "Only the organiser can change a participant's minimum and maximum meetings."),
        (
            "other_handler",
            (None, 10),
            "Only the organiser can change a participant's minimum and maximum meetings.",
        ),
    ],
)
def test_bad_meeting_limits_are_refused_and_nothing_is_written(world, who, values, message):
    buyer = world.buyers[0]
    actor = buyer.contact if who == "buyer" else getattr(world, who)
    before = AuditLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.meeting_limits_set(
            actor=actor, participant=buyer, min_meetings=values[0], max_meetings=values[1]
        )
    assert exc.value.messages == [message]
    buyer.refresh_from_db()
    assert (buyer.min_meetings, buyer.max_meetings) == (None, None)
    assert AuditLog.objects.count() == before


def test_the_minimum_cannot_exceed_the_buyers_own_maximum(world):
    buyer = world.buyers[0]
    buyer.wanted_max_meetings = 2
    buyer.save()
    with pytest.raises(ValidationError) as exc:
        services.meeting_limits_set(
            actor=world.operator, participant=buyer, min_meetings=3, max_meetings=None
        )
    assert exc.value.messages == [f"{buyer.name} wants at most 2 meetings; the minimum cannot be above that."]
    buyer.refresh_from_db()
    assert buyer.min_meetings is None
    # the organiser's larger maximum does not override the buyer's own: the smaller one counts
    services.meeting_limits_set(actor=world.operator, participant=buyer, min_meetings=1, max_meetings=10)
    buyer.refresh_from_db()
    assert buyer.meeting_limits(world.event) == MeetingLimits(
        1, 2, custom_min=True, custom_max=True, wanted_max=2
    )


def test_a_buyer_states_his_own_maximum_at_most_the_events(world):
    programme_notice()
    user = UserFactory(roles=[Role.BUYER])
    base = {
        "actor": user,
        "event": world.event,
        "company_name": "PT Sinar Jaya",
        "country": "ID",
        "timezone_name": "Asia/Jakarta",
        "language": "id",
        "products_sought": "CCTV cameras",
        "agree_programme": True,
    }
    with pytest.raises(ValidationError) as exc:
        services.buyer_register(**base, wanted_max_meetings=5)
    assert exc.value.messages == [
        "Give a number from 1 to 4 (the most meetings this event allows you), or leave it empty."
    ]
    assert not Buyer.objects.filter(contact=user).exists()
    assert not audits("matchmaking.buyer.register")
    buyer = services.buyer_register(**base, wanted_max_meetings=3)
    assert buyer.wanted_max_meetings == 3
    assert buyer.meeting_limits(world.event) == MeetingLimits(0, 3, wanted_max=3)
    assert audits("matchmaking.buyer.register")[0].after["wanted_max_meetings"] == 3
    profile = {
        "actor": user,
        "buyer": buyer,
        "country": "ID",
        "timezone_name": "Asia/Jakarta",
        "language": "id",
        "products_sought": "CCTV cameras",
        "purchase_volume_usd": 0,
    }
    for bad in (0, 6):
        with pytest.raises(ValidationError) as exc:
            services.buyer_update(**profile, wanted_max_meetings=bad)
        assert exc.value.messages == [
            "Give a number from 1 to 4 (the most meetings this event allows you), or leave it empty."
        ]
    buyer.refresh_from_db()
    assert buyer.wanted_max_meetings == 3
    assert not audits("matchmaking.buyer.update")
    # without the argument his maximum stays; None clears it
    services.buyer_update(**profile)
    buyer.refresh_from_db()
    assert buyer.wanted_max_meetings == 3
    services.buyer_update(**profile, wanted_max_meetings=None)
    buyer.refresh_from_db()
    assert buyer.meeting_limits(world.event) == MeetingLimits(0, 4)
    # the organiser raises his maximum: the buyer may then ask for more than the event's
    services.meeting_limits_set(actor=world.operator, participant=buyer, min_meetings=None, max_meetings=6)
    buyer.refresh_from_db()
    services.buyer_update(**profile, wanted_max_meetings=6)
    buyer.refresh_from_db()
    assert buyer.meeting_limits(world.event) == MeetingLimits(0, 6, custom_max=True, wanted_max=6)
    entries = audits("matchmaking.buyer.update")
    assert [(e.before["wanted_max_meetings"], e.after["wanted_max_meetings"]) for e in entries] == [
        (3, 3),
        (3, None),
        (None, 6),
    ]


def test_a_buyers_own_maximum_respects_his_minimum_and_his_must_meets(world):
    buyer = world.buyers[0]
    services.preferences_set(
        actor=buyer.contact, owner=buyer, levels={s.pk: "must" for s in world.sellers[:3]}
    )
    profile = {
        "actor": buyer.contact,
        "buyer": buyer,
        "country": buyer.country,
        "timezone_name": buyer.timezone,
        "language": buyer.language,
        "products_sought": buyer.products_sought,
        "purchase_volume_usd": 0,
    }
    with pytest.raises(ValidationError) as exc:
        services.buyer_update(**profile, wanted_max_meetings=2)
    assert exc.value.messages == ["You marked 3 companies as 'must meet'; your maximum cannot be below that."]
    world.event.buyer_min_meetings = 3
    world.event.save()
    services.preferences_set(actor=buyer.contact, owner=buyer, levels={world.sellers[2].pk: ""})
    with pytest.raises(ValidationError) as exc:
        services.buyer_update(**profile, wanted_max_meetings=2)
    assert exc.value.messages == ["At least 3: the event plans at least that many meetings for every buyer."]
    buyer.refresh_from_db()
    assert buyer.wanted_max_meetings is None


def test_must_meets_are_limited_by_the_participants_own_maximum(world):
    seller = world.sellers[0]
    services.meeting_limits_set(actor=world.operator, participant=seller, min_meetings=None, max_meetings=1)
    seller.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.preferences_set(
            actor=seller.contact,
            owner=seller,
            levels={world.buyers[0].pk: "must", world.buyers[1].pk: "must"},
        )
    assert exc.value.messages == [
        "You can mark at most 1 participants as 'must meet' (the most meetings you can have)."
    ]
    assert not Preference.objects.exists()


def test_the_organiser_restricts_a_pair_to_a_session(world):
    buyer, seller = world.buyers[0], world.sellers[0]
    decision = services.pair_decide(
        actor=world.operator, buyer=buyer, seller=seller, level="must", session="afternoon"
    )
    assert (decision.level, PairSession.objects.get().part) == ("must", "afternoon")
    # the decision can be cleared while the session stays; None leaves the session alone
    services.pair_decide(actor=world.operator, buyer=buyer, seller=seller, level="")
    assert PairSession.objects.get().part == "afternoon"
    services.pair_session_set(actor=world.handler, buyer=buyer, seller=seller, session="morning")
    services.pair_session_set(actor=world.handler, buyer=buyer, seller=seller, session="morning")  # same
    assert list(PairSession.objects.values_list("buyer", "seller", "part")) == [
        (buyer.pk, seller.pk, "morning")
    ]
    services.pair_decide(actor=world.operator, buyer=buyer, seller=seller, level="no", session="")
    assert not PairSession.objects.exists()
    entries = audits("matchmaking.pair.session")
    assert [(e.actor, (e.before or {}).get("part"), (e.after or {}).get("part")) for e in entries] == [
        (world.operator, None, "afternoon"),
        (world.handler, "afternoon", "morning"),
        (world.operator, "morning", None),
    ]
    assert {e.object_id for e in entries} == {str(world.event.pk)}


@pytest.mark.parametrize(
    ("session", "message"),
    [
        ("evening", "Choose the morning or the afternoon session."),
        ("afternoon", "The event has no afternoon session."),
    ],
)
def test_a_bad_session_is_refused_and_nothing_is_written(world, session, message):
    buyer, seller = world.buyers[0], world.sellers[0]
    if session == "afternoon":
        world.event.sessions.filter(part="afternoon").delete()
    before = AuditLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.pair_decide(actor=world.operator, buyer=buyer, seller=seller, level="must", session=session)
    assert exc.value.messages == [message]
    assert not PairSession.objects.exists()
    assert not Preference.objects.exists()  # the decision was not written either
    assert AuditLog.objects.count() == before


def test_a_locked_meeting_keeps_the_pair_out_of_the_other_session_and_placements_follow_it(world):
    buyer, seller = world.buyers[0], world.sellers[0]
    place(world, buyer, seller, slot_at(world.event, 10), world.interpreters[0], locked=True)
    with pytest.raises(ValidationError) as exc:
        services.pair_session_set(actor=world.operator, buyer=buyer, seller=seller, session="afternoon")
    assert exc.value.messages == [
        "The meeting of this pair at 2021-10-06 10:00 is locked or took place in another session; "
        "unlock or move it first."
    ]
    assert not PairSession.objects.exists()
    # an unlocked meeting may stay for now (the next run moves it), but a move into the wrong session is refused
    meeting = Meeting.objects.get()
    services.meeting_lock(actor=world.operator, meeting=meeting, locked=False)
    services.pair_session_set(actor=world.operator, buyer=buyer, seller=seller, session="afternoon")
    with pytest.raises(ValidationError) as exc:
        services.meeting_move(actor=world.operator, meeting=meeting, slot=slot_at(world.event, 11, 20))
    assert exc.value.messages == [
        f"The organiser restricted {buyer.name} and {seller.name} to the afternoon session."
    ]
    meeting.refresh_from_db()
    assert meeting.slot == slot_at(world.event, 10)
    services.meeting_move(actor=world.operator, meeting=meeting, slot=slot_at(world.event, 13, 30))
    meeting.refresh_from_db()
    assert meeting.slot.session.part == "afternoon"
    # adding a meeting by hand in the wrong session is refused too
    other = world.sellers[1]
    services.pair_session_set(actor=world.operator, buyer=buyer, seller=other, session="afternoon")
    with pytest.raises(ValidationError) as exc:
        services.meeting_add(
            actor=world.operator, event=world.event, buyer=buyer, seller=other, slot=slot_at(world.event, 10)
        )
    assert exc.value.messages == [
        f"The organiser restricted {buyer.name} and {other.name} to the afternoon session."
    ]
    assert Meeting.objects.count() == 1
