"""Browser tests of the council: the secretariat runs a plenary from scheduling to locked minutes; a member reads
them. Every page is checked with axe-core (WCAG 2.x A/AA)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from gvalley.council import services
from gvalley.council.models import AgendaItem, Decision, Meeting, Minutes
from tests.council.factories import IndicatorFactory, PlanFactory, PlanLineFactory, held_meeting, make_world
from tests.e2e.conftest import browser_login, check_accessibility, visit

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, user):
    page.context.clear_cookies()
    browser_login(page, user)


def test_secretariat_runs_a_plenary_and_a_member_reads_the_locked_minutes(page):
    world = make_world()
    page.on("dialog", lambda dialog: dialog.accept())
    _as(page, world.secretary)

    # schedule a plenary
    visit(page, "/council/meetings/new/")
    day = timezone.localdate() + timedelta(days=14)
    page.locator("#id_title").fill("2026년 하반기 본회의")
    page.locator("#id_title_en").fill("Second-half plenary")
    page.locator("#id_starts_at").fill(f"{day:%Y-%m-%d}T14:00")
    page.locator("#id_ends_at").fill(f"{day:%Y-%m-%d}T16:00")
    page.locator("#id_place").fill("G밸리 비즈플라자")
    page.get_by_role("button", name="일정 등록").click()
    page.get_by_role("heading", name="2026년 하반기 본회의", level=1).wait_for()
    check_accessibility(page)
    meeting = Meeting.objects.get()

    # invite the seats: e-mails with the calendar file
    page.get_by_role("button", name="회원 초청").click()
    page.get_by_text("회원 6명에게 일정 파일을 첨부한 초청 이메일을 보냈습니다").wait_for()
    check_accessibility(page)
    assert len(mail.outbox) == 6 and mail.outbox[0].attachments[0][0] == "invite.ics"

    # build the agenda
    for title, origin in (("G밸리 주차장 확충", "request"), ("공단 기업지원시설 유치", "member_proposal")):
        page.get_by_role("link", name="안건 추가").first.click()
        page.locator("#id_title").wait_for()
        check_accessibility(page)
        page.locator("#id_title").fill(title)
        page.locator("#id_origin").select_option(origin)
        page.locator("#id_presenter_organisation").select_option(str(world.orgs[1].pk))
        page.locator("#id_duration_minutes").fill("20")
        page.get_by_role("button", name="저장").click()
        page.get_by_role("link", name=title).wait_for()
    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == [
        "G밸리 주차장 확충",
        "공단 기업지원시설 유치",
    ]

    # drag the second item above the first: the new order is saved and announced, the rows renumbered
    handle = page.locator("tr", has_text="공단 기업지원시설 유치").locator(".cc-drag")
    target = page.locator("tr", has_text="G밸리 주차장 확충").locator(".cc-drag")
    handle.scroll_into_view_if_needed()
    src, dst = handle.bounding_box(), target.bounding_box()
    page.mouse.move(src["x"] + src["width"] / 2, src["y"] + src["height"] / 2)
    page.mouse.down()
    page.mouse.move(dst["x"] + dst["width"] / 2, dst["y"] + 2, steps=12)
    page.mouse.up()
    page.locator("#agenda-sort-status", has_text="안건 순서를 저장했습니다.").wait_for()
    assert page.locator("tbody[data-agenda-sort] tr .cc-row-no").all_text_contents() == ["1", "2"]
    assert page.locator("tbody[data-agenda-sort] tr th a").all_text_contents() == [
        "공단 기업지원시설 유치",
        "G밸리 주차장 확충",
    ]
    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == [
        "공단 기업지원시설 유치",
        "G밸리 주차장 확충",
    ]
    check_accessibility(page)
    # and back with the keyboard-friendly button
    page.get_by_role("button", name="위로 G밸리 주차장 확충").click()
    page.locator("tbody[data-agenda-sort] tr").first.filter(has_text="G밸리 주차장 확충").wait_for()
    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == [
        "G밸리 주차장 확충",
        "공단 기업지원시설 유치",
    ]

    # the meeting takes place
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - timedelta(hours=2), ends_at=now - timedelta(hours=1)
    )

    # attendance: two of three organisations
    visit(page, f"/council/meetings/{meeting.pk}/attendance/")
    for org in world.orgs[:2]:
        page.locator(f"label[for=id_present_{org.pk}]").click()
        assert page.locator(f"#id_present_{org.pk}").is_checked()
    page.get_by_role("button", name="출석 저장").click()
    page.get_by_text("정족수 충족").wait_for()
    check_accessibility(page)

    # a decision on the first item
    item = AgendaItem.objects.get(title="G밸리 주차장 확충")
    page.get_by_role("link", name="결정사항 기록 G밸리 주차장 확충").click()
    page.locator("#id_text").fill("공영주차장 확충을 추진하고 금천구가 결과를 보고한다.")
    page.locator("label[for=id_method_0]").click()  # 합의 (consensus)
    assert page.locator("#id_method_0").is_checked()
    check_accessibility(page)
    page.get_by_role("button", name="저장").click()
    page.get_by_role("link", name="공영주차장 확충을 추진하고 금천구가 결과를 보고한다.").wait_for()
    assert Decision.objects.get().agenda_item == item

    # minutes: draft, circulate
    page.get_by_role("link", name="회의록 작성").click()
    page.locator("#id_body").fill("1. 개회\n2. 주차장 확충 논의: 원안 합의\n3. 폐회")
    check_accessibility(page)
    page.get_by_role("button", name="저장").click()
    page.get_by_role("button", name="참석자에게 회람").click()
    page.locator("#minutes-status", has_text="의견 수렴 중").wait_for()
    check_accessibility(page)
    minutes = Minutes.objects.get()

    # a member comments and approves
    _as(page, world.member)
    visit(page, f"/council/minutes/{minutes.pk}/")
    page.locator("#id_body").fill("2번 항목에 담당기관을 적어 주세요.")
    page.get_by_role("button", name="의견 등록").click()
    page.get_by_text("2번 항목에 담당기관을 적어 주세요.").wait_for()
    page.get_by_role("button", name="승인", exact=True).click()
    page.get_by_text("승인이 기록되었습니다").wait_for()
    check_accessibility(page)

    # the co-chair approves
    _as(page, world.co_chair)
    visit(page, f"/council/minutes/{minutes.pk}/")
    page.get_by_role("button", name="공동회장으로 승인").click()
    page.locator("#minutes-status", has_text="승인됨").wait_for()

    # the secretariat locks
    _as(page, world.secretary)
    visit(page, f"/council/minutes/{minutes.pk}/")
    page.get_by_role("button", name="잠금").click()
    page.locator("#minutes-status", has_text="잠김").wait_for()
    minutes.refresh_from_db()
    assert minutes.status == "locked" and len(minutes.content_hash) == 64

    # a member sees the locked minutes, with no way to edit them
    _as(page, world.other_member)
    visit(page, f"/council/minutes/{minutes.pk}/")
    page.locator("#minutes-status", has_text="잠김").wait_for()
    assert "주차장 확충 논의: 원안 합의" in page.locator("#minutes-body").inner_text()
    assert page.get_by_role("link", name="수정").count() == 0
    assert page.get_by_role("button", name="승인", exact=True).count() == 0
    visit(page, f"/council/meetings/{meeting.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="내 캘린더에 추가(.ics)").click()
    assert download.value.suggested_filename == f"council-meeting-{meeting.pk}.ics"


def test_public_and_member_pages_are_accessible_in_korean_and_english(page):
    world = make_world()
    services.council_lead_change(
        actor=None,
        council=world.council,
        organisation=world.orgs[0],
        unit="산업거점활성화반",
        started_on=date(2019, 1, 1),
    )
    meeting = held_meeting(world)
    item = AgendaItem.objects.create(
        council=world.council,
        meeting=meeting,
        title="셔틀버스",
        origin="request",
        status="scheduled",
        plan_line=PlanLineFactory(plan=PlanFactory(council=world.council)),
    )
    decision = services.decision_record(
        actor=None, agenda_item=item, text="셔틀버스 시범 운행", method="consensus"
    )
    action = services.action_item_create(
        actor=None,
        decision=decision,
        title="운행 계획",
        owner_organisation=world.orgs[1],
        owner_person=world.member,
        due_on=timezone.localdate() + timedelta(days=10),
    )
    sub = services.action_item_create(
        actor=None,
        parent=action,
        title="노선 협의",
        owner_organisation=world.orgs[2],
        owner_person=world.member,
        due_on=timezone.localdate() + timedelta(days=5),
    )
    IndicatorFactory(line=item.plan_line, metric="plenaries_held")
    IndicatorFactory(line=item.plan_line, metric="not_registered_here", label="없는 지표")
    plan = item.plan_line.plan
    paths = [
        "/council/",
        "/council/seats/",
        "/council/meetings/",
        f"/council/meetings/{meeting.pk}/",
        "/council/agenda/",
        f"/council/agenda/{item.pk}/",
        "/council/decisions/",
        f"/council/decisions/{decision.pk}/",
        "/council/actions/",
        f"/council/actions/{action.pk}/",
        f"/council/plan/{plan.pk}/",
        f"/council/plan/lines/{item.plan_line.pk}/",
    ]
    for path in paths:
        visit(page, path)
    page.get_by_role("link", name="English").first.click()
    page.wait_for_load_state("networkidle")
    for path in paths[:2] + [f"/council/plan/{plan.pk}/"]:
        visit(page, path)
    assert page.get_by_text("not available", exact=True).count() == 1
    _as(page, world.member)
    for path in (
        f"/council/meetings/{meeting.pk}/briefing/",
        f"/council/actions/{action.pk}/",
        f"/council/actions/{sub.pk}/report/",
        "/council/calendar/",
    ):
        visit(page, path)
    _as(page, world.secretary)
    for path in (
        "/council/seats/manage/",
        "/council/plan/import/",
        f"/council/meetings/{meeting.pk}/attendance/",
        f"/council/meetings/{meeting.pk}/documents/new/",
        f"/council/agenda/{item.pk}/edit/",
        f"/council/plan/lines/{item.plan_line.pk}/",
    ):
        visit(page, path)
