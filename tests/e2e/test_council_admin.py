"""Browser test of the secretariat's set-up pages: a new term (the current one ends, its seats go on), a member
organisation added to the local working council and another's membership ended, a local term closed, and a new
yearly plan with its first line. Every page is checked with axe-core (WCAG 2.x A/AA)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gvalley.accounts.models import Organisation
from gvalley.council import services
from gvalley.council.models import Council, CouncilMember, PlanLine, PlanProgramme, Seat, Term
from tests.council.factories import make_world
from tests.e2e.conftest import browser_login, check_accessibility, visit
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _local_council(world) -> tuple[Council, Term]:
    local = services.council_create(
        actor=None,
        slug="geumcheon",
        kind=Council.Kind.LOCAL_WORKING,
        parent=world.council,
        name="G밸리 금천구 실무협의회",
        name_en="Geumcheon-local working council",
    )
    term = services.term_create(actor=None, council=local, number=1, starts_on=date(2019, 1, 1))
    member = services.council_member_add(
        actor=None,
        council=local,
        organisation=world.orgs[0],
        group="local_government",
        joined_on=date(2019, 1, 1),
    )
    services.seat_designate(
        actor=None,
        member=member,
        term=term,
        kind=Seat.Kind.WORKING_MEMBER,
        person=UserFactory(),
        position_title="지역경제과장",
        designated_on=date(2019, 1, 1),
    )
    return local, term


def _submit(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state("networkidle")


def test_secretariat_sets_up_terms_members_and_a_plan(page):
    world = make_world()
    local, local_term = _local_council(world)
    centre = OrganisationFactory(name="G밸리 기업지원센터(금천)", kind=Organisation.Kind.AGENCY)
    today = timezone.localdate()
    browser_login(page, world.secretary)

    # a new term of the development council: the current one ends yesterday, its seats go on
    visit(page, "/council/seats/manage/")
    page.get_by_role("link", name="임기", exact=True).click()
    page.get_by_role("heading", name="G밸리 발전협의회 임기", level=1).wait_for()
    check_accessibility(page)
    assert page.locator("#id_number").input_value() == "2"
    assert page.locator("#id_close_current").is_checked() and page.locator("#id_carry_seats").is_checked()
    page.locator("#id_starts_on").fill(f"{today:%Y-%m-%d}")
    _submit(page, "임기 시작")
    page.get_by_text(f"제2기 임기가 {today:%Y-%m-%d}에 시작됩니다. 이제 회원을 위촉하세요.").wait_for()
    check_accessibility(page)  # back on the seats page, still the secretariat
    world.term.refresh_from_db()
    assert world.term.ends_on == today - timedelta(days=1)
    assert (
        Seat.objects.filter(term__number=2, term__council=world.council, ceased_on__isnull=True).count() == 6
    )

    # the local working council: add an organisation, end another's membership
    visit(page, "/council/members/?council=geumcheon")
    page.locator("#id_organisation").select_option(str(centre.pk))
    page.locator("#id_group").select_option("local_agency")
    page.locator("#id_joined_on").fill("2024-03-01")
    _submit(page, "기관 추가")
    page.get_by_text("G밸리 기업지원센터(금천)이(가) 협의회 회원기관이 되었습니다.").wait_for()
    check_accessibility(page)
    assert CouncilMember.objects.get(council=local, organisation=centre).joined_on == date(2024, 3, 1)

    page.get_by_role("link", name="탈퇴 처리 (기관0)").click()
    page.get_by_role("heading", name="회원기관 탈퇴 처리", level=1).wait_for()
    check_accessibility(page)
    page.locator("#id_left_on").fill("2018-12-31")  # before it joined: a translated error, nothing written
    _submit(page, "탈퇴 처리")
    page.get_by_text("탈퇴일은 가입일 이후여야 합니다.").wait_for()
    check_accessibility(page)
    page.locator("#id_left_on").fill(f"{today:%Y-%m-%d}")
    _submit(page, "탈퇴 처리")
    page.get_by_text("탈퇴 처리했습니다. 이 기관의 회원은 해촉되었고 이력은 남습니다.").wait_for()
    check_accessibility(page)
    assert CouncilMember.objects.get(council=local, organisation=world.orgs[0]).left_on == today

    # close the local council's term
    page.get_by_role("link", name="임기", exact=True).click()
    page.get_by_role("heading", name="G밸리 금천구 실무협의회 임기", level=1).wait_for()
    check_accessibility(page)
    page.get_by_role("link", name="이 임기 종료 (제1기)").click()
    page.get_by_role("heading", name="임기 종료", level=1).wait_for()
    check_accessibility(page)
    page.locator("#id_ends_on").fill(f"{today:%Y-%m-%d}")
    _submit(page, "임기 종료")
    page.get_by_text("임기를 종료했습니다. 회원은 해촉되었고 이력은 남습니다.").wait_for()
    check_accessibility(page)
    local_term.refresh_from_db()
    assert local_term.ends_on == today

    # a new yearly plan, then its first line
    visit(page, "/council/plan/")
    page.get_by_role("link", name="연차별 추진계획 만들기").click()
    page.get_by_role("heading", name="연차별 추진계획 만들기", level=1).wait_for()
    check_accessibility(page)
    page.locator("#id_title").fill("G밸리 발전협의회 2단계")
    page.locator("#id_starts_on").fill(f"{today.year}-01-01")
    page.locator("#id_ends_on").fill(f"{today.year - 1}-12-31")  # ends before it starts: refused
    _submit(page, "저장")
    page.get_by_text("계획 종료일은 시작일과 같거나 그 이후여야 합니다.").first.wait_for()
    check_accessibility(page)
    assert PlanProgramme.objects.count() == 0
    page.locator("#id_ends_on").fill(f"{today.year + 2}-06-30")
    _submit(page, "저장")
    page.get_by_text("추진계획을 만들었습니다. 이제 추진과제를 추가하세요.").wait_for()
    check_accessibility(page)
    plan = PlanProgramme.objects.get()
    page.get_by_role("link", name="추진과제 추가").click()
    page.locator("#id_title").fill("협의회 개최")
    _submit(page, "저장")
    page.get_by_role("heading", name=f"{today.year} · 협의회 개최", level=1).wait_for()
    check_accessibility(page)
    assert PlanLine.objects.get().plan == plan

    # the import page offers a sample file for the new plan
    visit(page, f"/council/plan/import/?plan={plan.pk}")
    with page.expect_download() as download:
        page.get_by_role(
            "link", name=f"G밸리 발전협의회 2단계({today.year}.01~{today.year + 2}.06)용 예시 파일 내려받기"
        ).click()
    assert download.value.suggested_filename == f"council-plan-{plan.pk}-template.xlsx"
    assert page.js_errors == []
