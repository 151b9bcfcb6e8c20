"""Services: intake, routing, statuses, answers, surveys, merge, notifications, holidays, reminders."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from gvalley.accounts.models import Consent, Role
from gvalley.core.models import AuditLog
from gvalley.grievances import services
from gvalley.grievances.models import (
    AdhocHoliday,
    Answer,
    Attachment,
    Event,
    Question,
    Request,
    Satisfaction,
    Support,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.grievances.factories import CategoryFactory, QuestionFactory, handler_of, make_request, seoul

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


def test_submit_computes_the_deadline_records_consent_and_history():
    org = OrganisationFactory()
    category = CategoryFactory(period="7d", default_organisation=org)
    req = make_request(category=category, received_at=seoul(2024, 9, 9, 10, 0))
    assert req.tracking_number.startswith("GV24-") and len(req.tracking_number) == 11
    # 7 days counted in working days, first day included, Chuseok 9/16–18 skipped: Fri 20 September 18:00.
    assert timezone.localtime(req.due_at) == seoul(2024, 9, 20, 18, 0)
    assert req.original_due_at == req.due_at and req.due_rule == "working-days"
    assert req.responsible_organisation == org and req.status == Request.Status.RECEIVED
    assert req.consent is not None and req.consent.notice.purpose == "request"
    assert [e.kind for e in req.events.all()] == [Event.Kind.RECEIVED]
    assert AuditLog.objects.filter(action="grievances.request.submit", object_id=str(req.pk)).count() == 1
    assert "출퇴근" in req.search_text and req.similarity_tokens


def test_html_in_text_fields_is_neutralised():
    req = make_request(
        title="<b>주차</b> 문제<script>alert(1)</script>",
        description="<img src=x onerror=alert(1)>주차장이 부족",
    )
    assert req.title == "주차 문제" and "<" not in req.description and req.description == "주차장이 부족"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"description": "  "}, "description"),
        ({"contact_name": ""}, "contact_name"),
        ({"contact_email": "", "contact_phone": ""}, "contact_email"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"consent": False}, "consent"),
        ({"filer_type": "robot"}, "filer_type"),
        ({"anonymous": True, "filer_type": "company"}, "anonymous"),
        ({"title": "가" * 201}, "title"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_error_and_nothing_written(overrides, field):
    before = (
        Request.objects.count(),
        Consent.objects.count(),
        Event.objects.count(),
        AuditLog.objects.count(),
    )
    with pytest.raises(ValidationError) as exc:
        make_request(**overrides)
    assert field in exc.value.message_dict
    assert (
        Request.objects.count(),
        Consent.objects.count(),
        Event.objects.count(),
        AuditLog.objects.count(),
    ) == before


def test_extra_questions_are_checked_per_datatype():
    category = CategoryFactory()
    QuestionFactory(category=category, code="count", datatype=Question.Datatype.NUMBER, required=True)
    QuestionFactory(category=category, code="when", datatype=Question.Datatype.DATETIME)
    QuestionFactory(
        category=category,
        code="kind",
        datatype=Question.Datatype.SINGLE,
        choices=[{"key": "bus", "name": "버스"}, {"key": "car", "name": "자동차"}],
    )
    QuestionFactory(
        category=category,
        code="times",
        datatype=Question.Datatype.MULTI,
        choices=[{"key": "am", "name": "오전"}, {"key": "pm", "name": "오후"}],
    )
    with pytest.raises(ValidationError) as exc:
        make_request(
            category=category,
            attributes={"count": "many", "when": "yesterday", "kind": "train", "times": ["am", "night"]},
        )
    assert set(exc.value.message_dict) == {
        "attribute_count",
        "attribute_when",
        "attribute_kind",
        "attribute_times",
    }
    with pytest.raises(ValidationError) as exc:
        make_request(category=category, attributes={})
    assert set(exc.value.message_dict) == {"attribute_count"}
    assert Request.objects.count() == 0
    req = make_request(
        category=category,
        attributes={"count": "1,200", "when": "2021-10-06", "kind": "bus", "times": ["am", "pm"]},
    )
    assert req.attributes == {
        "count": "1200",
        "when": "2021-10-06T00:00:00+09:00",
        "kind": "bus",
        "times": ["am", "pm"],
    }


def test_attachments_are_checked_for_type_and_size_and_nothing_is_half_written(settings):
    good = SimpleUploadedFile("plan.pdf", PDF, "application/pdf")
    req = make_request(attachments=[good])
    assert Attachment.objects.filter(request=req).count() == 1
    assert req.attachments.get().original_name == "plan.pdf"
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a png", "image/png")
    with pytest.raises(ValidationError) as exc:
        make_request(attachments=[SimpleUploadedFile("ok.pdf", PDF, "application/pdf"), fake])
    assert "attachments" in exc.value.message_dict
    settings.GVALLEY_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        make_request(attachments=[SimpleUploadedFile("big.pdf", PDF, "application/pdf")])
    with pytest.raises(ValidationError):
        make_request(attachments=[SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream")])
    assert Request.objects.count() == 1 and Attachment.objects.count() == 1


def test_location_map_point_gives_latitude_and_longitude_and_bad_points_are_rejected():
    req = make_request(location=services.Location(map_x=Decimal("50"), map_y=Decimal("50")))
    assert (req.latitude, req.longitude) == (Decimal("37.479000"), Decimal("126.887500"))
    back = services.latlong_to_map(req.latitude, req.longitude)
    assert back == (Decimal("50.00"), Decimal("50.00"))
    with pytest.raises(ValidationError) as exc:
        make_request(location=services.Location(map_x=Decimal("120"), map_y=Decimal("10")))
    assert "map_x" in exc.value.message_dict


def test_staff_file_on_behalf_with_channel_and_receipt_time():
    operator = UserFactory(roles=[Role.OPERATOR])
    req = make_request(
        actor=operator,
        on_behalf=True,
        channel=Request.Channel.PHONE,
        received_at=seoul(2022, 3, 7, 19, 30),
        contact_email="",
        contact_phone="010-1234-5678",
    )
    assert req.filer is None and req.received_by == operator and req.channel == "phone"
    assert req.consent.context.endswith(":confirmed-by-staff")
    # received after hours: the clock starts the next morning; 7 days counted in working days.
    # 3/8 is day 1, 3/9 (presidential election) is a holiday, day 7 is Thu 17 March.
    assert timezone.localtime(req.due_at) == seoul(2022, 3, 17, 18, 0)


def test_assign_transfer_and_joint_handling_are_logged():
    a, b, c = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    handler_b = handler_of(b)
    operator = UserFactory(roles=[Role.OPERATOR])
    req = make_request()
    services.request_assign(actor=operator, request=req, organisation=a, notify=False)
    assert req.status == Request.Status.REVIEWING and req.responsible_organisation == a
    with pytest.raises(ValidationError) as exc:
        services.request_assign(actor=operator, request=req, organisation=a, handler=handler_b)
    assert "handler" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.request_transfer(actor=operator, request=req, organisation=b, reason=" ")
    assert "reason" in exc.value.message_dict
    due = req.due_at
    services.request_transfer(
        actor=operator, request=req, organisation=b, reason="소관 기관", handler=handler_b, notify=False
    )
    req.refresh_from_db()
    assert req.responsible_organisation == b and req.handler == handler_b and req.due_at == due
    transfer = req.events.get(kind=Event.Kind.TRANSFERRED)
    assert (transfer.from_organisation, transfer.organisation, transfer.note, transfer.public) == (
        a,
        b,
        "소관 기관",
        True,
    )
    services.request_set_joint(actor=operator, request=req, organisations=[a, b, c])
    assert set(req.joint_organisations.all()) == {a, c}
    assert req.events.filter(kind=Event.Kind.JOINT).count() == 1


def test_status_transitions_answer_close_reopen_and_survey():
    operator = UserFactory(roles=[Role.OPERATOR])
    filer = UserFactory()
    req = make_request(actor=filer, received_at=seoul(2024, 3, 4, 10, 0))
    with pytest.raises(ValidationError):
        services.request_close(actor=operator, request=req)
    with pytest.raises(ValidationError) as exc:
        services.request_change_status(actor=operator, request=req, status=Request.Status.IN_PROGRESS)
    assert set(exc.value.message_dict) == {"action_plan", "action_due_on"}
    services.request_change_status(
        actor=operator,
        request=req,
        status=Request.Status.IN_PROGRESS,
        action_plan="버스 2대 증차",
        action_due_on=date(2024, 3, 20),
        notify=False,
    )
    with pytest.raises(ValidationError) as exc:
        services.request_answer(actor=operator, request=req, outcome=Answer.Outcome.NOT_ACCEPTED, body="불가")
    assert set(exc.value.message_dict) == {"reason", "remedy"}
    assert Answer.objects.count() == 0
    services.request_answer(
        actor=operator,
        request=req,
        outcome=Answer.Outcome.PARTLY,
        body="일부 수용",
        reason="예산",
        remedy="재개 가능",
        notify=False,
    )
    assert req.status == Request.Status.ANSWERED and req.answered_at is not None
    with pytest.raises(ValidationError):
        services.request_answer(actor=operator, request=req, outcome="accepted", body="again")
    services.request_close(actor=operator, request=req, notify=False)
    rating = services.satisfaction_submit(actor=filer, request=req, score=4, comment="<b>감사</b>")
    assert (rating.round, rating.score, rating.comment) == (1, 4, "감사")
    with pytest.raises(ValidationError):
        services.satisfaction_submit(actor=filer, request=req, score=5)
    with pytest.raises(ValidationError):
        services.request_reopen(actor=filer, request=req, reason="")
    reopened_at = seoul(2024, 4, 1, 10, 0)
    services.request_reopen(actor=filer, request=req, reason="해결 안 됨", at=reopened_at, notify=False)
    assert req.status == Request.Status.REOPENED and req.clock_started_at == reopened_at
    assert timezone.localtime(req.due_at) == seoul(2024, 4, 9, 18, 0)  # 7 working days from 4/1
    assert req.answered_at is None and req.closed_at is None
    services.request_answer(actor=operator, request=req, outcome="accepted", body="추가 조치", notify=False)
    services.satisfaction_submit(actor=filer, request=req, score=5)
    assert list(Satisfaction.objects.filter(request=req).order_by("round").values_list("round", "score")) == [
        (1, 4),
        (2, 5),
    ]
    with pytest.raises(ValidationError):
        services.satisfaction_submit(actor=filer, request=make_request(), score=3)
    with pytest.raises(ValidationError):
        services.satisfaction_submit(actor=filer, request=req, score=6)


def test_filer_gets_an_email_at_each_status_change_in_their_language(django_capture_on_commit_callbacks):
    operator = UserFactory(roles=[Role.OPERATOR])
    english = UserFactory(language="en", email="buyer@example.com", name="Siti")
    org = OrganisationFactory(name="금천구", name_en="Geumcheon-gu Office")
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(actor=english, notify=True, contact_email="buyer@example.com")
    assert mail.outbox[-1].to == ["buyer@example.com"]
    assert mail.outbox[-1].subject == f"[G-Valley Hub] Request {req.tracking_number} received"
    with django_capture_on_commit_callbacks(execute=True):
        services.request_assign(actor=operator, request=req, organisation=org)
        services.request_answer(actor=operator, request=req, outcome="accepted", body="Done: two more buses.")
        services.request_close(actor=operator, request=req)
    subjects = [m.subject for m in mail.outbox]
    assert subjects[1:] == [
        f"[G-Valley Hub] Request {req.tracking_number}: news",
        f"[G-Valley Hub] Request {req.tracking_number} answered",
        f"[G-Valley Hub] Request {req.tracking_number} closed — how did we do?",
    ]
    assert "Geumcheon-gu Office" in mail.outbox[1].body
    assert "/requests/survey/" in mail.outbox[-1].body
    korean = make_request(contact_email="kim@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_assign(actor=operator, request=korean, organisation=org)
    assert mail.outbox[-1].subject == f"[G밸리 허브] 요청 {korean.tracking_number}: 새 소식"


def test_me_too_support_once_per_person_and_not_on_your_own_or_answered_requests():
    filer, other = UserFactory(), UserFactory()
    req = make_request(actor=filer)
    services.request_support(actor=other, request=req)
    req.refresh_from_db()
    assert req.support_count == 1 and Support.objects.filter(request=req, user=other).count() == 1
    for actor in (other, filer, None):
        with pytest.raises(ValidationError):
            services.request_support(actor=actor, request=req)
    services.request_answer(actor=None, request=req, outcome="accepted", body="ok", notify=False)
    with pytest.raises(ValidationError):
        services.request_support(actor=UserFactory(), request=req)


def test_merge_keeps_each_original_with_its_filer_and_history(django_capture_on_commit_callbacks):
    operator = UserFactory(roles=[Role.OPERATOR])
    primary = make_request(contact_email="a@example.com")
    dup1 = make_request(contact_email="b@example.com", title="출근 버스 부족")
    dup2 = make_request(contact_email="c@example.com")
    services.request_support(actor=UserFactory(), request=dup2)
    services.request_merge(actor=operator, primary=dup1, duplicates=[dup2], notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_merge(actor=operator, primary=primary, duplicates=[dup1], note="같은 요청")
    for dup in (dup1, dup2):
        dup.refresh_from_db()
        assert dup.status == Request.Status.MERGED and dup.merged_into == primary
        assert dup.events.filter(kind=Event.Kind.RECEIVED).count() == 1
    assert dup1.title == "출근 버스 부족" and dup1.contact_email == "b@example.com"
    primary.refresh_from_db()
    assert primary.support_count == 3  # dup1 and dup2 filers + dup2's supporter
    assert [m.to for m in mail.outbox] == [["b@example.com"]]
    assert {r.email for r in services.filer_recipients(primary)} == {
        "a@example.com",
        "b@example.com",
        "c@example.com",
    }
    with pytest.raises(ValidationError):
        services.request_merge(actor=operator, primary=dup1, duplicates=[primary])
    with pytest.raises(ValidationError):
        services.request_answer(actor=operator, request=dup1, outcome="accepted", body="x")


def test_ad_hoc_holiday_recomputes_open_requests_and_keeps_the_original_due_date():
    operator = UserFactory(roles=[Role.OPERATOR])
    # 2 days = 16 working hours from Mon 1 June 2026 10:00; 3 June is the local election day.
    req = make_request(category=CategoryFactory(period="2d"), received_at=seoul(2026, 6, 1, 10, 0))
    closed = make_request(category=CategoryFactory(period="2d"), received_at=seoul(2026, 6, 1, 10, 0))
    services.request_answer(actor=operator, request=closed, outcome="accepted", body="ok", notify=False)
    original = timezone.localtime(req.due_at)
    assert original == seoul(2026, 6, 4, 10, 0)  # 6/3 is the local election day
    services.holiday_add(actor=operator, date=date(2026, 6, 2), name="임시공휴일")
    with pytest.raises(ValidationError):
        services.holiday_add(actor=operator, date=date(2026, 6, 2), name="again")
    result = services.recompute_open_due_dates(actor=operator)
    assert (result.checked, result.changed) == (1, 1)
    req.refresh_from_db()
    closed.refresh_from_db()
    assert timezone.localtime(req.due_at) == seoul(2026, 6, 5, 10, 0)
    assert timezone.localtime(req.original_due_at) == original
    assert closed.due_at == closed.original_due_at
    event = req.events.get(kind=Event.Kind.DUE_CHANGED)
    assert (event.note_key, event.note_params, event.public) == (
        "due_changed",
        {"old": "2026-06-04 10:00", "new": "2026-06-05 10:00"},
        True,
    )
    with translation.override("ko"):
        assert event.shown_note == "처리기한 2026-06-04 10:00 → 2026-06-05 10:00 (공휴일 변경)"
    with translation.override("en"):
        assert event.shown_note == "Due date 2026-06-04 10:00 → 2026-06-05 10:00 (holiday calendar changed)"
    services.holiday_delete(actor=operator, holiday=AdhocHoliday.objects.get())
    services.recompute_open_due_dates(actor=operator)
    req.refresh_from_db()
    assert req.due_at == req.original_due_at


def test_reminders_overdue_flags_and_the_30_day_notice_are_sent_once(django_capture_on_commit_callbacks):
    org = OrganisationFactory()
    handler = handler_of(org, email="handler@example.com")
    req = make_request(
        category=CategoryFactory(period="7d"),
        received_at=seoul(2024, 3, 4, 10, 0),
        contact_email="filer@example.com",
    )
    services.request_assign(actor=None, request=req, organisation=org, handler=handler, notify=False)
    mail.outbox.clear()
    run = services.send_reminders(now=seoul(2024, 3, 8, 12, 0))  # past halfway
    assert (run.reminders, run.overdue, run.progress_notices) == (1, 0, 0)
    assert mail.outbox[-1].to == ["handler@example.com"]
    assert services.send_reminders(now=seoul(2024, 3, 8, 12, 0)).reminders == 0
    run = services.send_reminders(now=seoul(2024, 3, 13, 18, 30))
    assert (run.overdue, run.progress_notices) == (1, 0)
    assert "OVERDUE" in mail.outbox[-1].subject or "기한 경과" in mail.outbox[-1].subject
    run = services.send_reminders(now=seoul(2024, 4, 3, 10, 0))
    assert (run.reminders, run.overdue, run.progress_notices) == (0, 0, 1)
    assert mail.outbox[-1].to == ["filer@example.com"]
    assert req.events.filter(kind=Event.Kind.NOTICE, public=True).count() == 1
    assert services.send_reminders(now=seoul(2024, 4, 10, 10, 0)).progress_notices == 0
    req.refresh_from_db()
    assert req.reminders_sent == ["halfway", "one-working-day-before", "due"]


def test_answer_templates_for_refusals_need_reasons_and_remedy():
    with pytest.raises(ValidationError):
        services.template_save(
            actor=None, title="불가", outcome="not_accepted", body="불가", reason="", remedy=""
        )
    t = services.template_save(actor=None, title="수용", outcome="accepted", body="<i>조치</i> 완료")
    assert t.body == "조치 완료"


def test_category_period_is_validated_and_new_periods_apply_to_new_requests_only():
    category = CategoryFactory(period="7d")
    req = make_request(category=category, received_at=seoul(2024, 3, 4, 10, 0))
    with pytest.raises(ValidationError) as exc:
        services.category_update(actor=None, category=category, period="soon")
    assert "period" in exc.value.message_dict
    services.category_update(actor=None, category=category, period="immediate")
    req.refresh_from_db()
    assert req.period == "7d"
    new = make_request(category=category, received_at=seoul(2024, 3, 4, 10, 0))
    assert timezone.localtime(new.due_at) == seoul(2024, 3, 4, 14, 0)  # 3 working hours with lunch
    assert services.default_period("grievance") == "7d" and services.default_period("simple") == "immediate"
    with pytest.raises(ValidationError):
        services.question_create(
            actor=None,
            category=category,
            code="k",
            label="l",
            label_en="l",
            datatype="singlevaluelist",
            choices=[],
        )


def test_tracking_numbers_are_normalised_for_lookup():
    assert services.normalise_tracking_number(" gv21 7k3m9q ") == "GV21-7K3M9Q"
    assert services.normalise_tracking_number("GV21-7K3M9Q") == "GV21-7K3M9Q"


def test_expected_completion_is_the_later_of_due_and_the_scheduled_action():
    req = make_request(received_at=seoul(2024, 3, 4, 10, 0))
    assert services.expected_completion(req) == req.due_at
    req.action_due_on = req.due_at.date() + timedelta(days=10)
    assert timezone.localtime(services.expected_completion(req)).date() == req.action_due_on


def test_the_30_day_notice_goes_once_per_processing_round_counted_from_the_reopening(
    django_capture_on_commit_callbacks,
):
    req = make_request(
        category=CategoryFactory(period="7d"),
        received_at=seoul(2024, 3, 4, 10, 0),
        contact_email="filer@example.com",
    )
    assert services.send_reminders(now=seoul(2024, 4, 3, 10, 0)).progress_notices == 1  # round 1, day 30
    services.request_answer(
        actor=None, request=req, outcome="accepted", body="ok", at=seoul(2024, 4, 10, 10, 0), notify=False
    )
    reopened_at = seoul(2024, 4, 15, 10, 0)
    services.request_reopen(actor=None, request=req, reason="해결 안 됨", at=reopened_at, notify=False)
    req.refresh_from_db()
    assert req.progress_notice_sent_at is None
    # answering the reopened request takes long: its own notice comes 30 days after the reopening
    assert services.send_reminders(now=seoul(2024, 5, 15, 9, 59)).progress_notices == 0
    mail.outbox.clear()
    assert services.send_reminders(now=seoul(2024, 5, 15, 10, 0)).progress_notices == 1
    assert services.send_reminders(now=seoul(2024, 5, 20, 10, 0)).progress_notices == 0
    assert [m.to for m in mail.outbox] == [["filer@example.com"]]
    assert "30" in mail.outbox[0].body and req.tracking_number in mail.outbox[0].body
    notices = list(req.events.filter(kind=Event.Kind.NOTICE).order_by("at").values_list("at", "public"))
    assert notices == [(seoul(2024, 4, 3, 10, 0), True), (seoul(2024, 5, 15, 10, 0), True)]
    last = req.events.filter(kind=Event.Kind.NOTICE).order_by("at").last()
    assert (last.note_key, last.note_params) == ("notice_reopened", {"date": "2024-04-23"})
    # put into words in the reader's language when shown
    for language in ("ko", "en"):
        with translation.override(language):
            expected = translation.gettext(
                "Still open 30 days after it was reopened; expected completion %(date)s."
            ) % {"date": "2024-04-23"}
            assert last.shown_note == expected
    req.refresh_from_db()
    assert req.progress_notice_sent_at == seoul(2024, 5, 15, 10, 0)
    assert (
        AuditLog.objects.filter(action="grievances.request.progress_notice", object_id=str(req.pk)).count()
        == 2
    )


def test_a_request_reopened_before_its_first_notice_is_not_noticed_30_days_after_receipt():
    req = make_request(category=CategoryFactory(period="7d"), received_at=seoul(2024, 3, 4, 10, 0))
    services.request_answer(
        actor=None, request=req, outcome="accepted", body="ok", at=seoul(2024, 3, 6, 10, 0), notify=False
    )
    services.request_reopen(
        actor=None, request=req, reason="다시", at=seoul(2024, 3, 25, 10, 0), notify=False
    )
    # 31 days after receipt but only 10 after reopening: nothing yet
    assert services.send_reminders(now=seoul(2024, 4, 4, 10, 0)).progress_notices == 0
    assert services.send_reminders(now=seoul(2024, 4, 24, 10, 0)).progress_notices == 1
    assert req.events.filter(kind=Event.Kind.NOTICE).count() == 1


def test_category_create_checks_the_code_and_the_period_and_is_audited():
    from gvalley.grievances.models import Category

    operator = UserFactory(roles=[Role.OPERATOR])
    for fields, key in (
        ({"code": "", "name": "안전", "name_en": "Safety"}, "code"),
        ({"code": "safety", "name": "안전", "name_en": "Safety", "period": "soon"}, "period"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.category_create(actor=operator, **fields)
        assert list(exc.value.message_dict) == [key]
    category = services.category_create(
        actor=operator, code="safety", name="안전", name_en="Safety", kind="procedure_question", period=""
    )
    assert (category.code, category.period) == ("safety", "7d")
    with pytest.raises(ValidationError) as exc:
        services.category_create(actor=operator, code="safety", name="중복", name_en="Again")
    assert list(exc.value.message_dict) == ["code"]
    assert list(Category.objects.values_list("code", flat=True)) == ["safety"]
    log = AuditLog.objects.get(action="grievances.category.create")
    assert (log.actor, log.object_id, log.after["period"]) == (operator, str(category.pk), "7d")
