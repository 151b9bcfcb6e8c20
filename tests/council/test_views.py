from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from gvalley.core.documents import hwpx_text, pdf_text
from gvalley.core.exports import Sheet, xlsx_bytes
from gvalley.core.models import AuditLog, Job, Visibility
from gvalley.council import services
from gvalley.council.briefing import BriefingSection, register_briefing_section, unregister_briefing_section
from gvalley.council.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Indicator,
    Invitation,
    Meeting,
    Minutes,
    PlanLine,
)
from tests.council.factories import (
    AgendaItemFactory,
    DecisionFactory,
    IndicatorFactory,
    MeetingFactory,
    PlanFactory,
    PlanLineFactory,
    aware,
    held_meeting,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- Query counts of the list pages ------------------------------------------------------------------------


def _meetings(world, n):
    for _ in range(n):
        m = MeetingFactory(council=world.council)
        AgendaItemFactory(council=world.council, meeting=m, status="scheduled")


def _agenda(world, n):
    for _ in range(n):
        AgendaItemFactory(
            council=world.council, meeting=MeetingFactory(council=world.council), status="scheduled"
        )


def _decisions(world, n):
    for _ in range(n):
        DecisionFactory(
            agenda_item=AgendaItemFactory(
                council=world.council, meeting=MeetingFactory(council=world.council)
            )
        )


def _actions(world, n):
    for _ in range(n):
        decision = DecisionFactory(
            agenda_item=AgendaItemFactory(
                council=world.council, meeting=MeetingFactory(council=world.council)
            )
        )
        parent = ActionItem.objects.create(
            decision=decision,
            title="a",
            owner_organisation=world.orgs[0],
            owner_person=world.member,
            due_on=date(2021, 1, 1),
            plan_line=PlanLineFactory(),
        )
        ActionItem.objects.create(
            decision=decision,
            parent=parent,
            title="sub",
            owner_organisation=world.orgs[1],
            due_on=date(2021, 1, 1),
        )


LIST_PAGES = [
    ("council:meeting_list", _meetings),
    ("council:agenda_list", _agenda),
    ("council:decision_list", _decisions),
    ("council:action_list", _actions),
    ("council:home", _meetings),
]


@pytest.mark.parametrize("url_name, make", LIST_PAGES)
@pytest.mark.parametrize("who", ["anonymous", "secretary"])
def test_list_pages_run_a_fixed_number_of_queries(client, login, queries, world, url_name, make, who):
    if who != "anonymous":
        login(getattr(world, who))
    url = reverse(url_name)
    counts = []
    for n in (1, 2):  # 1 item, then 3 items in total
        make(world, n)
        with queries() as q:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1], (url_name, counts)


def test_plan_page_runs_a_fixed_number_of_queries_whatever_the_number_of_years(client, queries, world):
    plan = PlanFactory(council=world.council)
    counts = []
    for years in ([2018], [2019, 2020]):
        for year in years:
            line = PlanLineFactory(plan=plan, year=year)
            IndicatorFactory(line=line, metric="plenaries_held")
            IndicatorFactory(line=line, metric="action_items_done")
        with queries() as q:
            response = client.get(reverse("council:plan", args=[plan.pk]))
        assert response.status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1]


# --- Public pages ------------------------------------------------------------------------------------------


def test_home_is_an_organisation_chart_with_the_lead_and_the_contact(client, world):
    services.council_lead_change(
        actor=None,
        council=world.council,
        organisation=world.orgs[0],
        unit="신성장산업과",
        started_on=date(2013, 4, 17),
    )
    services.council_lead_change(
        actor=None,
        council=world.council,
        organisation=world.orgs[0],
        unit="산업거점활성화반",
        started_on=date(2019, 1, 1),
    )
    text = _text(client.get(reverse("council:home")))
    assert "최선" in text  # co-chairs are named
    assert "박준호" not in text and "박*호" in text  # other holders masked for the public
    assert "기관0 산업거점활성화반" in text and "신성장산업과" in text
    assert "council@example.com" in text


def test_members_see_names_in_full(client, login, world):
    login(world.other_member)
    assert "박준호" in _text(client.get(reverse("council:home")))


def test_seat_history_lists_ceased_seats(client, world):
    services.seat_designate(
        actor=None,
        member=world.members[1],
        term=world.term,
        kind="member",
        person=world.outsider,
        position_title="회장",
        designated_on=date(2021, 6, 1),
    )
    text = _text(client.get(reverse("council:seats")))
    assert "2021-06-01" in text and "박*호" in text


def test_hidden_meetings_ask_the_public_to_log_in_and_are_missing_for_others(client, login, world):
    meeting = held_meeting(world, visibility=Visibility.MEMBERS)
    url = reverse("council:meeting", args=[meeting.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    login(world.outsider)
    assert client.get(url).status_code == 404
    login(world.member)
    assert client.get(url).status_code == 200


def test_meeting_ics_parses_back(client, world):
    meeting = MeetingFactory(council=world.council, title="하반기 본회의", place="비즈플라자")
    AgendaItemFactory(council=world.council, meeting=meeting, title="주차장 확충", status="scheduled")
    response = client.get(reverse("council:meeting_ics", args=[meeting.pk]))
    cal = Calendar.from_ical(response.content)
    assert response["Content-Type"].startswith("text/calendar")
    assert str(cal["version"]) == "2.0"
    event = cal.walk("VEVENT")[0]
    assert (str(event["summary"]), str(event["location"])) == ("하반기 본회의", "비즈플라자")
    assert "1. 주차장 확충" in str(event["description"])
    assert event.decoded("dtstart") == meeting.starts_at and event.decoded("dtend") == meeting.ends_at
    assert str(event["organizer"]) == "mailto:council@example.com"


def test_personal_feed_needs_only_the_secret_token(client, world):
    invited = MeetingFactory(council=world.council, title="초대된 회의")
    MeetingFactory(council=world.council, title="다른 회의")
    services.meeting_invite(actor=None, meeting=invited, notify=False)
    feed = services.calendar_feed_for(user=world.member)
    response = client.get(reverse("council:calendar_feed", args=[feed.token]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["초대된 회의"]
    assert client.get(reverse("council:calendar_feed", args=["wrong-token"])).status_code == 404
    old = feed.token
    services.calendar_feed_reset(user=world.member)
    assert client.get(reverse("council:calendar_feed", args=[old])).status_code == 404


def test_my_calendar_page_shows_the_address(client, login, world):
    login(world.member)
    text = _text(client.get(reverse("council:my_calendar")))
    token = world.member.council_calendar.token
    assert f"/council/calendar/{token}.ics" in client.get(reverse("council:my_calendar")).content.decode()
    assert "webcal://" in client.get(reverse("council:my_calendar")).content.decode()
    assert text


def test_english_pages(client, world):
    client.cookies["gvalley_language"] = "en"
    meeting = MeetingFactory(council=world.council)
    text = _text(client.get(reverse("council:meeting", args=[meeting.pk])))
    assert meeting.title_en in text and "Agenda" in text


def test_choice_lists_name_councils_and_meetings_in_the_readers_language(client, login, world):
    meeting = MeetingFactory(council=world.council, title="하반기 본회의", title_en="Second-half plenary")
    login(world.secretary)

    def options(url: str) -> list[str]:
        return re.findall(r"<option[^>]*>([^<]+)</option>", client.get(url).content.decode())

    korean = options(reverse("council:agenda_create") + f"?meeting={meeting.pk}")
    assert world.council.name in korean and "하반기 본회의" in korean
    client.cookies["gvalley_language"] = "en"
    english = options(reverse("council:agenda_create") + f"?meeting={meeting.pk}")
    assert world.council.name_en in english and "Second-half plenary" in english
    assert world.council.name not in english


# --- Agenda order: drag and drop (the whole order at once) and the Up/Down buttons ----------------------------


def test_agenda_order_is_saved_whole_and_bad_orders_change_nothing(client, login, world):
    meeting = MeetingFactory(council=world.council)
    a, b, c = (
        AgendaItemFactory(council=world.council, meeting=meeting, status="scheduled", order=n, title=t)
        for n, t in ((1, "가"), (2, "나"), (3, "다"))
    )
    url = reverse("council:agenda_order", args=[meeting.pk])

    def order():
        return list(meeting.agenda_items.order_by("order").values_list("title", flat=True))

    login(world.member)
    assert client.post(url, {"item": [c.pk, a.pk, b.pk]}).status_code == 403
    assert order() == ["가", "나", "다"]

    login(world.secretary)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'data-agenda-sort="{url}"' in page and "vendor/sortablejs/Sortable.min.js" in page
    response = client.post(url, {"item": [c.pk, a.pk, b.pk]})
    assert response.status_code == 200
    assert response.json() == {"message": "안건 순서를 저장했습니다.", "order": [c.pk, a.pk, b.pk]}
    assert order() == ["다", "가", "나"]
    log = AuditLog.objects.filter(action="council.agenda.reorder").latest("pk")
    assert log.after == {"order": {str(c.pk): 1, str(a.pk): 2, str(b.pk): 3}}

    # a missing, repeated or foreign item, or a non-number: 400 with the reason, nothing written
    other = AgendaItemFactory(council=world.council, meeting=MeetingFactory(council=world.council))
    for bad in ([a.pk, b.pk], [a.pk, b.pk, c.pk, a.pk], [a.pk, b.pk, other.pk], [a.pk, b.pk, "x"]):
        response = client.post(url, {"item": bad})
        assert response.status_code == 400
        assert response.json() == {"error": "새 순서에는 모든 안건이 한 번씩 있어야 합니다."}
    assert order() == ["다", "가", "나"]

    # the buttons do the same, one step at a time
    client.post(reverse("council:agenda_move", args=[a.pk, "up"]))
    assert order() == ["가", "다", "나"]

    # a held meeting's agenda keeps its order, and its page offers no dragging
    Meeting.objects.filter(pk=meeting.pk).update(status="held")
    response = client.post(url, {"item": [a.pk, b.pk, c.pk]})
    assert response.status_code == 400
    assert response.json() == {"error": "예정된 회의의 안건만 순서를 바꿀 수 있습니다."}
    assert order() == ["가", "다", "나"]
    assert "data-agenda-sort" not in client.get(meeting.get_absolute_url()).content.decode()


# --- The secretariat's flow through the pages ---------------------------------------------------------------


def test_secretariat_schedules_invites_and_members_answer(
    client, login, world, django_capture_on_commit_callbacks
):
    login(world.secretary)
    day = timezone.localdate() + timedelta(days=20)
    response = client.post(
        reverse("council:meeting_create"),
        {
            "council": world.council.pk,
            "kind": "plenary",
            "title": "2026년 하반기 본회의",
            "title_en": "Plenary",
            "starts_at": f"{day:%Y-%m-%d}T14:00",
            "ends_at": f"{day:%Y-%m-%d}T16:00",
            "place": "비즈플라자",
            "visibility": "public",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert timezone.localtime(meeting.starts_at).hour == 14
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("council:meeting_invite", args=[meeting.pk]))
    assert Invitation.objects.filter(meeting=meeting).count() == 6 and len(mail.outbox) == 6
    login(world.member)
    invitation = Invitation.objects.get(meeting=meeting, person=world.member)
    client.post(reverse("council:rsvp", args=[invitation.pk]), {"response": "accepted", "note": ""})
    invitation.refresh_from_db()
    assert invitation.response == "accepted"
    other = Invitation.objects.get(meeting=meeting, person=world.co_chair)
    assert client.post(reverse("council:rsvp", args=[other.pk]), {"response": "accepted"}).status_code == 403
    assert client.post(reverse("council:meeting_invite", args=[meeting.pk])).status_code == 403


def test_bad_meeting_input_gets_a_translated_error_and_writes_nothing(client, login, world):
    login(world.secretary)
    response = client.post(
        reverse("council:meeting_create"),
        {
            "council": world.council.pk,
            "kind": "plenary",
            "title": "x",
            "starts_at": "2030-01-01T16:00",
            "ends_at": "2030-01-01T14:00",
            "place": "",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    text = _text(response)
    assert "aria-invalid" in response.content.decode()
    assert Meeting.objects.count() == 0
    assert text


def test_attendance_decision_action_and_progress_pages(client, login, world):
    day = timezone.localdate() - timedelta(days=1)
    meeting = services.meeting_schedule(
        actor=None,
        council=world.council,
        kind="plenary",
        title="어제 본회의",
        starts_at=aware(day),
        ends_at=aware(day, 16),
        place="회의실",
    )
    item = services.agenda_item_propose(
        actor=None, council=world.council, meeting=meeting, title="셔틀버스", description="", origin="request"
    )
    login(world.secretary)
    data = {}
    for i, org in enumerate(world.orgs):
        if i < 2:
            data[f"present_{org.pk}"] = "on"
        data[f"names_{org.pk}"] = f"참석자{i}"
    client.post(reverse("council:meeting_attendance", args=[meeting.pk]), data)
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert list(
        Attendance.objects.filter(meeting=meeting)
        .order_by("organisation__name")
        .values_list("present", flat=True)
    ) == [True, True, False]
    page = _text(client.get(reverse("council:meeting", args=[meeting.pk])))
    assert "2 of 3" in page or "3개 중 2" in page or "2" in page
    client.post(
        reverse("council:decision_create", args=[item.pk]),
        {
            "text": "셔틀버스 시범 운행",
            "method": "vote",
            "votes_for": "3",
            "votes_against": "0",
            "votes_abstain": "0",
            "visibility": "public",
        },
    )
    decision = Decision.objects.get()
    assert (decision.method, decision.votes_for) == ("vote", 3)
    client.post(
        reverse("council:action_create", args=[decision.pk]),
        {
            "title": "운행 계획 수립",
            "owner_organisation": world.orgs[1].pk,
            "owner_person": world.member.pk,
            "due_on": f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}",
            "visibility": "public",
        },
    )
    action = ActionItem.objects.get()
    login(world.member)  # the responsible person reports progress with evidence
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("council:action_report", args=[action.pk]),
        {
            "progress": "100",
            "note": "운행 개시",
            "file": SimpleUploadedFile("증빙.pdf", b"%PDF-1.4 ok", "application/pdf"),
        },
    )
    action.refresh_from_db()
    assert (action.status, action.progress) == ("done", 100)
    update = action.updates.get()
    assert client.get(reverse("council:evidence", args=[update.pk])).status_code == 200
    # the chain is navigable both ways
    item_page = client.get(reverse("council:agenda_item", args=[item.pk])).content.decode()
    assert action.get_absolute_url() in item_page and decision.get_absolute_url() in item_page
    action_page = client.get(action.get_absolute_url()).content.decode()
    assert item.get_absolute_url() in action_page and decision.get_absolute_url() in action_page


def test_bad_upload_is_refused(client, login, world):
    decision = DecisionFactory(
        agenda_item=AgendaItemFactory(council=world.council, meeting=held_meeting(world))
    )
    action = ActionItem.objects.create(
        decision=decision, title="a", owner_organisation=world.orgs[0], due_on=date(2030, 1, 1)
    )
    login(world.secretary)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("council:action_report", args=[action.pk]),
        {
            "progress": "50",
            "note": "x",
            "file": SimpleUploadedFile("evil.pdf", b"MZ\x90\x00", "application/pdf"),
        },
    )
    assert response.status_code == 200 and action.updates.count() == 0


def test_minutes_workflow_through_the_pages_and_exports(client, login, world):
    meeting = held_meeting(world)
    item = AgendaItem.objects.create(
        council=world.council, meeting=meeting, title="주차장 확충", origin="request", status="scheduled"
    )
    services.decision_record(actor=None, agenda_item=item, text="공영주차장 확충 추진", method="consensus")
    login(world.secretary)
    client.post(
        reverse("council:minutes_create", args=[meeting.pk]),
        {"body": "1. 개회\n2. 주차장 확충 논의", "body_en": ""},
    )
    minutes = Minutes.objects.get()
    client.post(reverse("council:minutes_circulate", args=[minutes.pk]))
    login(world.member)
    client.post(reverse("council:minutes_comment", args=[minutes.pk]), {"body": "좋습니다"})
    client.post(reverse("council:minutes_approve", args=[minutes.pk]))
    login(world.co_chair)
    client.post(reverse("council:minutes_approve", args=[minutes.pk]))
    login(world.secretary)
    client.post(reverse("council:minutes_lock", args=[minutes.pk]))
    minutes.refresh_from_db()
    assert minutes.status == "locked" and minutes.comments.count() == 1 and minutes.approvals.count() == 2
    assert client.get(reverse("council:minutes_edit", args=[minutes.pk])).status_code == 403
    client.logout()
    page = _text(client.get(minutes.get_absolute_url()))
    assert "주차장 확충 논의" in page
    pdf = client.get(reverse("council:minutes_pdf", args=[minutes.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for expected in ("주차장 확충 논의", "공영주차장 확충 추진", "지난 본회의", minutes.content_hash[:40]):
        assert expected.replace(" ", "") in text.replace(" ", "").replace("\n", "")
    hwpx = client.get(reverse("council:minutes_hwpx", args=[minutes.pk]))
    assert "주차장 확충 논의" in hwpx_text(hwpx.content) and "공영주차장 확충 추진" in hwpx_text(hwpx.content)


def test_briefing_pack_has_own_and_registered_sections(client, login, world):
    meeting = MeetingFactory(council=world.council, title="상반기 본회의")
    AgendaItemFactory(council=world.council, meeting=meeting, title="셔틀버스 운행", status="scheduled")
    old = held_meeting(world, days_ago=60)
    decision = DecisionFactory(agenda_item=AgendaItemFactory(council=world.council, meeting=old))
    ActionItem.objects.create(
        decision=decision,
        title="기한 지난 조치",
        owner_organisation=world.orgs[1],
        due_on=timezone.localdate() - timedelta(days=3),
        progress=30,
        status="in_progress",
    )
    register_briefing_section(
        "test_requests",
        "Requests",
        lambda m: BriefingSection(
            title="신규·지연 요청", headers=["기관", "신규", "지연"], rows=[["금천구", 3, 1]]
        ),
    )
    try:
        assert client.get(reverse("council:briefing", args=[meeting.pk])).status_code == 302
        login(world.member)
        page = _text(client.get(reverse("council:briefing", args=[meeting.pk])))
        assert "셔틀버스 운행" in page and "기한 지난 조치" in page and "신규·지연 요청" in page
        text = pdf_text(client.get(reverse("council:briefing_pdf", args=[meeting.pk])).content)
        squashed = re.sub(r"\s+", "", text)
        for expected in ("셔틀버스운행", "기한지난조치", "신규·지연요청", "금천구"):
            assert expected in squashed
        hwpx = hwpx_text(client.get(reverse("council:briefing_hwpx", args=[meeting.pk])).content)
        assert "기한 지난 조치" in hwpx and "신규·지연 요청" in hwpx
    finally:
        unregister_briefing_section("test_requests")


def test_plan_progress_computes_actuals_and_says_when_not_available(client, world):
    plan = PlanFactory(council=world.council, starts_on=date(2021, 1, 1), ends_on=date(2022, 6, 30))
    line = PlanLineFactory(plan=plan, year=2021, title="협의회 개최")
    IndicatorFactory(line=line, metric="plenaries_held", label="본회의 개최", target=2)
    IndicatorFactory(line=line, metric="no_such_metric", label="없는 지표", target=5)
    for day in (date(2021, 5, 27), date(2021, 11, 25)):
        MeetingFactory(council=world.council, starts_at=aware(day), ends_at=aware(day, 16), status="held")
    MeetingFactory(
        council=world.council,
        starts_at=aware(date(2022, 5, 1)),
        ends_at=aware(date(2022, 5, 1), 16),
        status="held",
    )
    MeetingFactory(
        council=world.council,
        starts_at=aware(date(2021, 3, 1)),
        ends_at=aware(date(2021, 3, 1), 16),
        status="cancelled",
    )
    text = _text(client.get(reverse("council:plan", args=[plan.pk])))
    assert re.search(r"본회의 개최 \(plenaries_held\) 2 2 100%", text), text
    assert "not available" in text or "자료 없음" in text
    wb = load_workbook(io.BytesIO(client.get(reverse("council:plan_xlsx", args=[plan.pk])).content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[1][:6] == (2021, "협의회 개최", "본회의 개최", "plenaries_held", 2, 2)
    assert rows[2][3] == "no_such_metric" and rows[2][5] != 0
    pdf = re.sub(r"\s+", "", pdf_text(client.get(reverse("council:plan_pdf", args=[plan.pk])).content))
    assert "본회의개최" in pdf and "100%" in pdf
    assert Indicator.objects.count() == 2


def test_plan_import_writes_everything_or_nothing(client, login, world):
    plan = PlanFactory(council=world.council)
    login(world.secretary)
    headers = [
        "연도",
        "추진과제",
        "추진과제(영문)",
        "시작일",
        "종료일",
        "지표",
        "지표(영문)",
        "지표키",
        "목표",
        "단위",
        "단위(영문)",
        "순서",
    ]
    good = xlsx_bytes(
        [
            Sheet(
                "plan",
                headers,
                [
                    [
                        2019,
                        "협의회 개최",
                        "Meetings",
                        "",
                        "",
                        "본회의 개최",
                        "Plenaries",
                        "plenaries_held",
                        2,
                        "회",
                        "times",
                        1,
                    ],
                    [
                        2019,
                        "협의회 개최",
                        "Meetings",
                        "",
                        "",
                        "실무회의",
                        "Working",
                        "working_meetings_held",
                        2,
                        "회",
                        "times",
                        2,
                    ],
                    [2022, "기업 방문", "Visits", "", "", "", "", "", "", "", "", 2],
                ],
            )
        ]
    )
    bad = xlsx_bytes(
        [
            Sheet(
                "plan",
                headers,
                [
                    [2020, "협의회 개최", "", "", "", "본회의", "", "plenaries_held", 2, "", "", 1],
                    [2031, "범위 밖", "", "", "", "본회의", "", "unknown_metric", -1, "", "", 1],
                ],
            )
        ]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("council:plan_import"), {"plan": plan.pk, "file": SimpleUploadedFile("bad.xlsx", bad)}
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert job.status == "failed" and PlanLine.objects.count() == 0
    assert {(e["row"], e["field"]) for e in job.errors} == {(3, "연도"), (3, "지표키"), (3, "목표")}
    client.post(
        reverse("council:plan_import"), {"plan": plan.pk, "file": SimpleUploadedFile("good.xlsx", good)}
    )
    job = Job.objects.order_by("-pk").first()
    assert job.status == "succeeded" and job.result == {"lines": 2, "indicators": 2}
    line = PlanLine.objects.get(year=2022)
    assert (line.starts_on, line.ends_on) == (date(2022, 1, 1), date(2022, 6, 30))
    assert sorted(Indicator.objects.values_list("metric", flat=True)) == [
        "plenaries_held",
        "working_meetings_held",
    ]
    template = load_workbook(io.BytesIO(client.get(reverse("council:plan_import_template")).content))
    assert [c.value for c in template.active[1]] == headers


@pytest.mark.parametrize(
    "name", ["council:meeting_create", "council:seats_manage", "council:agenda_create", "council:plan_import"]
)
def test_staff_pages_refuse_members(client, login, world, name):
    login(world.member)
    assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse(name)).status_code == 302


def test_seat_designation_page(client, login, world):
    login(world.secretary)
    response = client.post(
        reverse("council:seats_manage") + f"?council={world.council.slug}",
        {
            "council": world.council.slug,
            "member": world.members[2].pk,
            "term": world.term.pk,
            "kind": "member",
            "person_email": world.outsider.email,
            "position_title": "본부장",
            "designated_on": "2021-02-01",
        },
    )
    assert response.status_code == 302
    assert world.members[2].seats.get(kind="member", ceased_on__isnull=True).person == world.outsider
    response = client.post(
        reverse("council:seats_manage"),
        {
            "member": world.members[2].pk,
            "term": world.term.pk,
            "kind": "member",
            "person_email": "nobody@example.com",
            "position_title": "x",
            "designated_on": "2021-02-01",
        },
    )
    assert response.status_code == 200 and "nobody@example.com" in response.content.decode()


def test_agenda_item_page_lists_linked_requests_when_the_requests_app_links_them(client, world):
    item = AgendaItemFactory(council=world.council, title="주차 요청 안건")
    page = client.get(item.get_absolute_url()).content.decode()
    assert "주차 요청 안건" in page
    if hasattr(AgendaItem, "requests"):
        assert item.requests.count() == 0


def test_attendee_names_are_exported_to_members_only_and_logged(client, login, world):
    from gvalley.core.models import AccessLog

    meeting = held_meeting(world)
    services.attendance_record(
        actor=None,
        meeting=meeting,
        rows=[
            services.AttendanceRow(organisation=o, present=True, attendee_names=f"홍길{i}")
            for i, o in enumerate(world.orgs)
        ],
    )
    minutes = services.minutes_draft(actor=None, meeting=meeting, body="본문")
    services.minutes_circulate(actor=None, minutes=minutes, notify=False)
    services.minutes_approve(actor=world.co_chair, minutes=minutes)
    url = reverse("council:minutes_hwpx", args=[minutes.pk])
    assert "홍길0" not in hwpx_text(client.get(url).content)
    assert AccessLog.objects.count() == 0
    login(world.member)
    assert "홍길0" in hwpx_text(client.get(url).content)
    log = AccessLog.objects.get()
    assert (log.actor, log.kind, log.fields) == (world.member, "export", "attendee names")


def test_meeting_and_agenda_lists_filter_by_council(client, world):
    from gvalley.council.models import Council

    local = Council.objects.create(
        slug="local", kind="local_working", parent=world.council, name="금천구 실무협의회"
    )
    MeetingFactory(council=world.council, title="본회의 A", kind="plenary")
    MeetingFactory(council=local, title="실무협의회 B", kind="local_working")
    AgendaItemFactory(council=local, title="지역 안건")
    AgendaItemFactory(council=world.council, title="본 안건")
    text = _text(client.get(reverse("council:meeting_list") + "?council=local"))
    assert "실무협의회 B" in text and "본회의 A" not in text
    text = _text(client.get(reverse("council:agenda_list") + "?council=local"))
    assert "지역 안건" in text and "본 안건" not in text
