"""Browser tests of the requests app: a worker files anonymously and tracks it by number; the operator
triages, transfers, answers and closes; the filer rates it; a company visit raises two requests; every page
is checked with axe-core."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail

from gvalley.accounts.models import Role
from gvalley.grievances import services
from gvalley.grievances.models import Question, Request, Satisfaction, Visit
from tests.e2e.conftest import browser_login, check_accessibility, visit
from tests.factories import CompanyFactory, OrganisationFactory, UserFactory
from tests.grievances.factories import (
    CategoryFactory,
    QuestionFactory,
    handler_of,
    make_request,
    request_notice,
)

pytestmark = pytest.mark.django_db(transaction=True)


def tick(page, field_id: str) -> None:
    """Check a KRDS-styled checkbox or radio button by its label, as a person does."""
    page.locator(f"label[for={field_id}]").click()
    assert page.locator(f"#{field_id}").is_checked()


@pytest.fixture
def world():
    request_notice()
    geumcheon = OrganisationFactory(name="금천구", name_en="Geumcheon-gu Office")
    labour = OrganisationFactory(name="서울지방고용노동청 관악지청", name_en="Labour office")
    category = CategoryFactory(
        code="employment",
        name="인력·고용",
        name_en="Staff and employment",
        default_organisation=geumcheon,
        order=1,
    )
    QuestionFactory(
        category=category,
        code="topic",
        label="어떤 내용입니까?",
        label_en="What is it about?",
        datatype=Question.Datatype.SINGLE,
        required=True,
        choices=[{"key": "hiring", "name": "채용"}, {"key": "conditions", "name": "근로 조건"}],
    )
    make_request(
        category=category,
        title="야근 수당 미지급 문제",
        description="야근 수당을 받지 못합니다.",
        attributes={"topic": "conditions"},
    )
    return {"geumcheon": geumcheon, "labour": labour, "category": category}


def test_a_worker_files_anonymously_and_tracks_it_by_number(page, world):
    worker = UserFactory(roles=[Role.WORKER], name="한지민", email="jimin@example.com")
    browser_login(page, worker)
    visit(page, "/requests/")
    visit(page, "/requests/new/")
    page.locator("a[href='/requests/new/employment/']").click()
    page.wait_for_load_state("networkidle")
    check_accessibility(page)
    tick(page, "id_filer_type_1")  # worker
    page.locator("#id_title").fill("연장근로 수당을 받지 못하고 있습니다")
    page.locator("#id_description").fill(
        "회사에서 야근을 시키면서 야근 수당을 주지 않습니다. 회사에 알려지지 않게 해 주세요."
    )
    tick(page, "id_attribute_topic_1")
    # the similar-requests panel (htmx) suggests the existing request about unpaid overtime
    page.locator("#similar-panel").get_by_text("야근 수당 미지급 문제").wait_for()
    page.locator("#id_map_x").fill("40")
    page.locator("#id_map_y").fill("60")
    tick(page, "id_anonymous")
    tick(page, "id_consent")
    page.locator("#submit-request").click()
    page.locator("#tracking-number").wait_for()
    check_accessibility(page)
    number = page.locator("#tracking-number").inner_text().strip()
    req = Request.objects.get(tracking_number=number)
    assert req.anonymous and req.filer == worker and req.latitude is not None
    assert "한지민" not in page.locator("main").inner_text()
    # a stranger tracks it by number, without logging in
    page.context.clear_cookies()
    visit(page, "/requests/track/")
    page.locator("#id_number").fill(number.lower())
    page.locator("main form button[type=submit]").click()
    page.locator("#tracking-number").wait_for()
    check_accessibility(page)
    assert page.locator("#tracking-number").inner_text().strip() == number
    assert "한지민" not in page.content() and "jimin@example.com" not in page.content()


def test_operator_triages_transfers_answers_and_closes_then_the_filer_rates_it(page, world):
    filer = UserFactory(roles=[Role.WORKER], email="filer@example.com")
    req = make_request(actor=filer, category=world["category"], attributes={"topic": "hiring"}, notify=False)
    handler_of(world["labour"])
    operator = UserFactory(roles=[Role.OPERATOR])
    services.template_save(
        actor=None,
        title="조치 완료",
        outcome="accepted",
        body="관악지청이 사업장을 점검하여 수당 지급을 지도했습니다.",
    )
    browser_login(page, operator)
    visit(page, "/requests/staff/?status=received")
    page.get_by_role("link", name=req.title).click()
    page.wait_for_load_state("networkidle")
    check_accessibility(page)
    # triage: assign to Geumcheon-gu
    page.locator("form[action$='/assign/'] select[name=organisation]").select_option(
        str(world["geumcheon"].pk)
    )
    page.locator("form[action$='/assign/'] button[type=submit]").click()
    page.locator(".gv-message-success").wait_for()
    # transfer to the labour office, with the reason
    page.locator("details:has(form[action$='/transfer/']) summary").click()
    page.locator("form[action$='/transfer/'] select[name=organisation]").select_option(
        str(world["labour"].pk)
    )
    page.locator("form[action$='/transfer/'] textarea[name=reason]").fill(
        "근로 조건은 고용노동청 소관입니다."
    )
    page.locator("form[action$='/transfer/'] button[type=submit]").click()
    page.locator(".gv-message-success").wait_for()
    check_accessibility(page)
    # answer from a template, then close
    page.locator("details#answer summary").click()
    page.locator("form.gv-template-form select").select_option(label="조치 완료")
    page.locator("form.gv-template-form button").click()
    page.wait_for_load_state("networkidle")
    tick(page, "id_outcome_0")
    page.locator("form[action$='/answer/'] button[type=submit]").click()
    page.locator(".gv-message-success").wait_for()
    page.locator("form[action$='/close/'] button[type=submit]").click()
    page.locator(".gv-message-success").wait_for()
    check_accessibility(page)
    req.refresh_from_db()
    assert req.status == Request.Status.CLOSED and req.responsible_organisation == world["labour"]
    # the filer rates it from the link in the closing e-mail (no log-in needed)
    survey = re.search(r"https?://[^/\s]+(/requests/survey/[^\s]+/)", mail.outbox[-1].body).group(1)
    page.context.clear_cookies()
    visit(page, survey)
    tick(page, "id_score_0")  # 5
    page.locator("#id_comment").fill("빠르게 처리해 주셔서 감사합니다.")
    page.locator("form:has(input[value=rate]) button[type=submit]").click()
    page.locator("#tracking-number").wait_for()
    check_accessibility(page)
    assert Satisfaction.objects.get(request=req).score == 5


def test_a_visit_record_raises_two_requests(page, world):
    handler = handler_of(world["geumcheon"])
    company = CompanyFactory(name="가산정밀")
    browser_login(page, handler)
    visit(page, "/requests/visits/")
    visit(page, "/requests/visits/new/")
    page.locator("#id_company").fill(company.business_number)
    page.locator("#id_visited_on").fill("2022-06-14")
    page.locator("#id_findings").fill("개발 인력 채용이 어렵고, 직원 휴게 공간이 부족하다는 의견.")
    page.locator("main form button[type=submit]").click()
    page.locator("#h-raise").wait_for()
    check_accessibility(page)
    for filer_type, title, anonymous in (
        ("company", "개발 인력 채용 연계 요청", False),
        ("worker", "근로자 휴게 공간 부족", True),
    ):
        page.locator("#id_r-category").select_option(str(world["category"].pk))
        page.locator("#id_r-title").fill(title)
        page.locator("#id_r-description").fill(title + " — 방문 중 제기")
        tick(page, "id_r-filer_type_0" if filer_type == "company" else "id_r-filer_type_1")
        page.locator("#id_r-contact_name").fill("김대표" if filer_type == "company" else "이근로")
        page.locator("#id_r-contact_phone").fill("010-2222-3333")
        if anonymous:
            tick(page, "id_r-anonymous")
        tick(page, "id_r-consent")
        page.locator("form:has(input[value=request]) button[type=submit]").click()
        page.locator(".gv-message-success").wait_for()
    check_accessibility(page)
    v = Visit.objects.get()
    assert sorted(v.requests.values_list("channel", "filer_type", "anonymous")) == [
        ("visit", "company", False),
        ("visit", "worker", True),
    ]
    assert page.get_by_role("link", name="근로자 휴게 공간 부족").is_visible()


def test_staff_pages_pass_axe(page, world):
    operator = UserFactory(roles=[Role.OPERATOR])
    req = make_request(category=world["category"], attributes={"topic": "hiring"})
    services.request_answer(actor=None, request=req, outcome="accepted", body="ok", notify=False)
    # an escalated request, its council chain shown on its page and (public parts) on the tracking page
    from gvalley.council.models import ActionItem
    from gvalley.grievances.council_link import escalate_request
    from tests.council.factories import CouncilFactory, DecisionFactory, PlanLineFactory

    escalated = make_request(category=world["category"], attributes={"topic": "hiring"})
    item = escalate_request(
        actor=None, request=escalated, council=CouncilFactory(), title="채용 지원 확대 건의"
    )
    line = PlanLineFactory(title="인력 지원")
    decision = DecisionFactory(agenda_item=item, text="채용 박람회를 연다")
    ActionItem.objects.create(
        decision=decision,
        title="박람회 준비",
        owner_organisation=world["geumcheon"],
        due_on=date(2030, 6, 30),
        progress=30,
        status=ActionItem.Status.IN_PROGRESS,
        plan_line=line,
    )
    question = world["category"].questions.get()
    browser_login(page, operator)
    for path in [
        "/requests/staff/categories/new/",
        f"/requests/staff/categories/{world['category'].pk}/questions/{question.pk}/",
        f"/requests/{escalated.pk}/",
        f"/requests/track/{escalated.tracking_number}/",
        "/requests/staff/",
        "/requests/staff/?agenda=yes",  # the escalated request, with its "on the council's agenda" badge
        "/requests/dashboard/",
        f"/requests/dashboard/?year={escalated.received_at.year}",
        "/requests/staff/categories/",
        f"/requests/staff/categories/{world['category'].pk}/",
        "/requests/staff/templates/",
        "/requests/staff/templates/new/",
        "/requests/staff/holidays/",
        "/requests/staff/recurring/",
        "/requests/staff/open311-keys/",
        "/requests/staff/new/",
        "/requests/staff/new/employment/",
        "/requests/visits/plans/",
        f"/requests/{req.pk}/",
        "/requests/mine/",
    ]:
        visit(page, path)
    # the dashboard draws its charts (Chart.js from a static file, data from json_script)
    visit(page, "/requests/dashboard/")
    page.wait_for_function(
        "document.querySelector('#chart-time') && document.querySelector('#chart-time').width > 0"
    )
    assert page.js_errors == []


def test_the_operator_creates_a_category_and_edits_an_extra_question(page, world):
    from gvalley.grievances.models import Category

    browser_login(page, UserFactory(roles=[Role.OPERATOR]))
    visit(page, "/requests/staff/categories/")
    page.locator("a[href='/requests/staff/categories/new/']").click()
    page.wait_for_load_state("networkidle")
    page.locator("#id_code").fill("safety")
    page.locator("#id_name").fill("안전·환경")
    page.locator("#id_name_en").fill("Safety and environment")
    page.locator("#id_kind").select_option("suggestion")
    page.locator("#id_period").fill("someday")
    page.locator("main form button[type=submit]").click()
    page.locator("#id_period_error").wait_for()
    check_accessibility(page)
    page.locator("#id_period").fill("")
    page.locator("main form button[type=submit]").click()
    page.locator(".gv-message-success").wait_for()
    check_accessibility(page)
    category = Category.objects.get(code="safety")
    assert (category.name, category.period) == ("안전·환경", "14d")
    question = world["category"].questions.get()
    visit(page, f"/requests/staff/categories/{world['category'].pk}/")
    page.locator(f"a[href$='/questions/{question.pk}/']").click()
    page.wait_for_load_state("networkidle")
    page.locator("#id_label").fill("어떤 고용 문제입니까?")
    page.locator("main form button[type=submit]").click()
    page.locator(".gv-message-success").wait_for()
    check_accessibility(page)
    question.refresh_from_db()
    assert question.label == "어떤 고용 문제입니까?" and question.code == "topic"


BUS = [
    ("가산디지털단지역 출근 버스 증차 요청", "아침 출근 시간에 가산디지털단지역 버스가 너무 부족합니다."),
    ("출근 시간 버스가 부족해요", "가산디지털단지역에서 회사 가는 출근 버스 배차 간격이 깁니다."),
    ("출근 버스 증차 필요", "가산디지털단지역 출근 버스를 기다리는 줄이 너무 길어 버스 증차가 필요합니다."),
]


def test_recurring_issue_pages_pass_axe_with_and_without_errors(page, world):
    from gvalley.grievances.models import Cluster
    from tests.council.factories import CouncilFactory

    council = CouncilFactory()
    bus = [
        make_request(category=world["category"], title=t, description=d, attributes={"topic": "hiring"})
        for t, d in BUS
    ]
    browser_login(page, UserFactory(roles=[Role.SECRETARIAT]))
    visit(page, "/requests/staff/recurring/")
    # the suggestion's "group" button opens staff/recurring/new/ with the three requests ticked
    page.locator("form[action$='/recurring/new/'] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("?")[0].endswith("/requests/staff/recurring/new/")
    check_accessibility(page)
    assert page.locator("input[name=requests]:checked").count() == 3
    # without a title: the error is shown next to the field, and the page stays accessible
    page.locator("#id_title").fill("")
    page.locator("main form button[type=submit]").click()
    page.locator("#id_title_error").wait_for()
    check_accessibility(page)
    page.locator("#id_title").fill("가산디지털단지역 출근 버스 부족")
    page.locator("main form button[type=submit]").click()
    page.locator(".gv-message-success").wait_for()
    check_accessibility(page)
    cluster = Cluster.objects.get()
    assert page.url.endswith(f"/requests/staff/recurring/{cluster.pk}/")
    assert sorted(cluster.requests.values_list("pk", flat=True)) == sorted(r.pk for r in bus)
    visit(page, f"/requests/staff/recurring/{cluster.pk}/")
    # the escalation form with an error (no title), then escalated: the page links to the agenda item
    page.locator("form:has(input[value=escalate]) #id_title").fill("")
    page.locator("form:has(input[value=escalate]) button[type=submit]").click()
    page.locator("#id_title_error").wait_for()
    check_accessibility(page)
    page.locator("form:has(input[value=escalate]) #id_title").fill("출근 버스 증차 건의")
    page.locator("form:has(input[value=escalate]) button[type=submit]").click()
    page.locator(".gv-message-success").wait_for()
    check_accessibility(page)
    cluster.refresh_from_db()
    assert cluster.agenda_item is not None and cluster.agenda_item.council == council


def test_an_invalid_survey_link_shows_an_accessible_error_page(page, world):
    req = make_request(category=world["category"], attributes={"topic": "hiring"})
    for path in ("/requests/survey/not-a-token/", f"/requests/survey/{services.survey_token(req)}x/"):
        response = page.goto(path)
        assert response is not None and response.status == 400, path
        page.wait_for_load_state("networkidle")
        assert page.locator("main [role=alert]").is_visible()
        check_accessibility(page)


def test_joining_a_request_without_an_account_is_accessible(page, world):
    req = make_request(category=world["category"], attributes={"topic": "hiring"})
    visit(page, f"/requests/track/{req.tracking_number}/")
    page.locator(f"form[action='/requests/{req.pk}/support/'] button").click()  # "me too", without an account
    page.locator("#id_email").wait_for()
    check_accessibility(page)
    page.get_by_role(
        "button", name="링크 받기"
    ).click()  # nothing filled in: the errors are shown and accessible
    page.locator("#id_email").wait_for()
    assert page.get_by_text("애로사항에 함께하려면 개인정보 수집·이용에 동의해야 합니다.").is_visible()
    check_accessibility(page)
    response = page.goto("/requests/support/confirm/forged/")
    assert response is not None and response.status == 400
    check_accessibility(page)
