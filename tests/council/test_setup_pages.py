"""The secretariat's set-up pages: terms (start a new one, close the current one), member organisations (add one,
end a membership) and yearly plans (make one). Every write is audited; bad input gets a translated error and
writes nothing; only the secretariat (``council.manage``) may use them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gvalley.accounts.models import Membership, Organisation, Role
from gvalley.core.models import AuditLog
from gvalley.council import services
from gvalley.council.models import Council, CouncilMember, PlanLine, PlanProgramme, Seat, Term
from tests.council.factories import PlanFactory
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _audit_actions() -> list[str]:
    return list(AuditLog.objects.order_by("id").values_list("action", flat=True))


def _local(world) -> Council:
    return services.council_create(
        actor=None,
        slug="geumcheon",
        kind=Council.Kind.LOCAL_WORKING,
        parent=world.council,
        name="G밸리 금천구 실무협의회",
        name_en="Geumcheon-local working council",
    )


def _seats(term: Term) -> list[tuple[str, str, date | None]]:
    return sorted(
        (s.member.organisation.name, s.kind, s.ceased_on)
        for s in Seat.objects.filter(term=term).select_related("member__organisation")
    )


# --- Who may use the pages ---------------------------------------------------------------------------------


def _page_urls(world) -> list[str]:
    return [
        reverse("council:terms_manage"),
        reverse("council:term_close", args=[world.term.pk]),
        reverse("council:members_manage"),
        reverse("council:member_end", args=[world.members[2].pk]),
        reverse("council:plan_create"),
    ]


@pytest.mark.parametrize("who", ["member", "co_chair", "operator", "outsider"])
def test_only_the_secretariat_may_use_the_set_up_pages(client, login, world, who):
    login(getattr(world, who))
    before = _audit_actions()
    for url in _page_urls(world):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"ends_on": "2024-01-01", "left_on": "2024-01-01"}).status_code == 403, url
    assert _audit_actions() == before
    assert Term.objects.get().ends_on is None
    assert CouncilMember.objects.filter(left_on__isnull=False).count() == 0


def test_the_public_is_asked_to_log_in(client, world):
    for url in _page_urls(world):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url


def test_the_secretariat_opens_every_set_up_page(client, login, world):
    login(world.secretary)
    for url in _page_urls(world):
        assert client.get(url).status_code == 200, url


# --- Terms -------------------------------------------------------------------------------------------------


def test_starting_a_new_term_closes_the_current_one_and_carries_its_seats_over(client, login, world):
    login(world.secretary)
    memberships = sorted(Membership.objects.filter(ended_on__isnull=True).values_list("pk", flat=True))
    before = AuditLog.objects.count()
    response = client.post(
        reverse("council:terms_manage"),
        {
            "council": world.council.slug,
            "number": 2,
            "starts_on": "2024-01-01",
            "close_current": "on",
            "carry_seats": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("council:seats_manage") + "?council=gvalley"
    assert list(Term.objects.order_by("number").values_list("number", "starts_on", "ends_on")) == [
        (1, date(2020, 1, 1), date(2023, 12, 31)),
        (2, date(2024, 1, 1), None),
    ]
    new_term = Term.objects.get(number=2)
    assert {
        (ceased, note)
        for s in Seat.objects.filter(term=world.term)
        for ceased, note in [(s.ceased_on, s.note)]
    } == {(date(2024, 1, 1), "임기 만료")}
    assert sorted(
        (s.member.organisation.name, s.kind, s.person.email, s.position_title, s.designated_on, s.note)
        for s in Seat.objects.filter(term=new_term).select_related("member__organisation", "person")
        if s.person in (world.co_chair, world.member, world.secretary)
    ) == [
        ("기관0", "co_chair", "cochair@example.com", "이사장", date(2024, 1, 1), "제1기에서 연임"),
        ("기관0", "working_member", "secretary@example.com", "사무국장", date(2024, 1, 1), "제1기에서 연임"),
        ("기관1", "member", "member@example.com", "회장", date(2024, 1, 1), "제1기에서 연임"),
    ]
    assert Seat.objects.filter(term=new_term, ceased_on__isnull=True).count() == 6
    # nobody lost the role in between: the same memberships are still open
    assert (
        sorted(Membership.objects.filter(ended_on__isnull=True).values_list("pk", flat=True)) == memberships
    )
    actions = list(AuditLog.objects.order_by("id").values_list("action", flat=True)[before:])
    assert (
        actions
        == ["council.term.close", "council.term.create"]
        + ["council.seat.designate"] * 6
        + ["council.seat.cease"] * 6
    )
    text = _text(client.get(response["Location"]))
    assert "제2기 임기가 2024-01-01에 시작됩니다. 이제 회원을 위촉하세요." in text


def test_without_carrying_the_seats_over_the_new_term_starts_empty(client, login, world):
    login(world.secretary)
    response = client.post(
        reverse("council:terms_manage"),
        {"council": world.council.slug, "number": 2, "starts_on": "2024-01-01", "close_current": "on"},
    )
    # the secretary's own seat ended with the term: the page says so instead of leading to a refused page
    assert response["Location"] == reverse("council:home")
    text = _text(client.get(response["Location"]))
    assert (
        "본인의 위촉도 끝나 사무국 권한이 없어졌습니다. 사무국 위촉을 유지하고 있는 사람이 새 회원을 위촉할 수 있습니다."
        in text
    )
    assert Seat.objects.filter(term__number=2).count() == 0
    assert set(Seat.objects.filter(term=world.term).values_list("ceased_on", flat=True)) == {date(2024, 1, 1)}
    assert not world.member.memberships.filter(role=Role.COUNCIL_MEMBER, ended_on__isnull=True).exists()
    assert client.get(reverse("council:terms_manage")).status_code == 403


def test_an_organisation_that_has_left_is_not_carried_over(world):
    services.council_member_end(actor=None, member=world.members[2], left_on=date(2030, 1, 1))
    term = services.term_start(
        actor=None, council=world.council, number=2, starts_on=date(2030, 1, 1), carry_seats=True
    )
    assert sorted(term.seats.values_list("member__organisation__name", flat=True)) == [
        "기관0",
        "기관0",
        "기관1",
        "기관1",
    ]


def test_a_new_term_without_closing_the_current_one_is_refused_and_nothing_is_written(client, login, world):
    login(world.secretary)
    seats = _seats(world.term)
    before = _audit_actions()
    response = client.post(
        reverse("council:terms_manage"),
        {"council": world.council.slug, "number": 2, "starts_on": "2024-01-01"},
    )
    assert response.status_code == 200
    assert "협의회 임기는 서로 겹칠 수 없습니다." in _text(response)
    assert Term.objects.count() == 1 and Term.objects.get().ends_on is None
    assert _seats(world.term) == seats and _audit_actions() == before


def test_a_repeated_term_number_undoes_the_closing_of_the_current_term(client, login, world):
    """The current term is closed first, then the new term is refused: the whole change is rolled back."""
    login(world.secretary)
    seats = _seats(world.term)
    memberships = Membership.objects.filter(ended_on__isnull=True).count()
    before = _audit_actions()
    response = client.post(
        reverse("council:terms_manage"),
        {"council": world.council.slug, "number": 1, "starts_on": "2024-01-01", "close_current": "on"},
    )
    assert response.status_code == 200
    assert (
        'id="id_number"' in response.content.decode() and 'aria-invalid="true"' in response.content.decode()
    )
    assert "이 협의회에는 이미 같은 차수의 임기가 있습니다." in _text(response)
    assert Term.objects.count() == 1 and Term.objects.get().ends_on is None
    assert _seats(world.term) == seats and _audit_actions() == before
    assert Membership.objects.filter(ended_on__isnull=True).count() == memberships


@pytest.mark.parametrize(
    "data, error",
    [
        ({"number": "", "starts_on": "2024-01-01"}, "필수 항목입니다."),
        ({"number": 2, "starts_on": "2024-13-01"}, "올바른 날짜를 입력하세요."),
        (
            {"number": 2, "starts_on": "2024-01-01", "ends_on": "2023-12-31"},
            "종료일은 시작일보다 앞설 수 없습니다.",
        ),
        ({"number": 0, "starts_on": "2024-01-01"}, "1 이상의 값을 입력해 주세요."),
    ],
)
def test_bad_term_input_gets_a_translated_error(client, login, world, data, error):
    login(world.secretary)
    before = _audit_actions()
    response = client.post(reverse("council:terms_manage"), {"council": world.council.slug, **data})
    assert response.status_code == 200
    text = _text(response)
    assert error.replace(" ", "") in text.replace(" ", ""), text[-2000:]
    assert Term.objects.count() == 1 and _audit_actions() == before


def test_closing_a_term_on_the_close_page(client, login, world):
    login(world.secretary)
    url = reverse("council:term_close", args=[world.term.pk])
    response = client.post(url, {"ends_on": "2019-12-31"})
    assert response.status_code == 200
    assert "종료일은 시작일보다 앞설 수 없습니다." in _text(response)
    assert Term.objects.get().ends_on is None
    response = client.post(url, {"ends_on": "2023-06-30"})
    # the secretary's own seat ended with the term: the council's page says so
    assert response["Location"] == reverse("council:home")
    assert "본인의 위촉도 끝나 사무국 권한이 없어졌습니다." in _text(client.get(response["Location"]))
    assert Term.objects.get().ends_on == date(2023, 6, 30)
    assert {ceased for _o, _k, ceased in _seats(world.term)} == {date(2023, 7, 1)}
    assert AuditLog.objects.filter(action="council.term.close", object_id=str(world.term.pk)).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.term_close(actor=None, term=world.term, ends_on=date(2023, 8, 31))
    assert exc.value.messages == ["이 임기는 이미 종료되었습니다."]
    assert Term.objects.get().ends_on == date(2023, 6, 30)


def test_closing_a_term_of_the_local_council_keeps_the_secretariat(client, login, world):
    local = _local(world)
    term = services.term_create(actor=None, council=local, number=1, starts_on=date(2021, 1, 1))
    login(world.secretary)
    response = client.post(reverse("council:term_close", args=[term.pk]), {"ends_on": "2022-12-31"})
    assert response["Location"] == reverse("council:terms_manage") + "?council=geumcheon"
    assert "임기를 종료했습니다. 회원은 해촉되었고 이력은 남습니다." in _text(
        client.get(response["Location"])
    )


def test_a_term_cannot_be_closed_after_the_next_one_starts(world):
    world.term.ends_on = date(2029, 12, 31)
    world.term.save()
    next_term = services.term_create(
        actor=None, council=world.council, number=2, starts_on=date(2030, 1, 1), ends_on=date(2031, 12, 31)
    )
    with pytest.raises(ValidationError) as exc:
        services.term_close(actor=None, term=world.term, ends_on=date(2030, 6, 30))
    assert exc.value.message_dict == {"ends_on": ["임기는 다음 임기가 시작되기 전에 끝나야 합니다."]}
    assert Term.objects.get(pk=world.term.pk).ends_on == date(2029, 12, 31)
    assert next_term.ends_on == date(2031, 12, 31)


def test_the_terms_page_lists_the_terms_with_their_seats(client, login, world):
    login(world.secretary)
    services.term_start(
        actor=None, council=world.council, number=2, starts_on=date(2024, 1, 1), carry_seats=True
    )
    text = _text(client.get(reverse("council:terms_manage")))
    assert "제2기 2024-01-01 현직 6 6" in text
    assert "제1기 2020-01-01 2023-12-31 0 6" in text
    assert text.count("이 임기 종료") == 1  # only the current term can be closed


# --- Member organisations ----------------------------------------------------------------------------------


def test_adding_an_organisation_to_the_main_and_the_local_council(client, login, world):
    login(world.secretary)
    org = OrganisationFactory(name="G밸리 기업지원센터", kind=Organisation.Kind.AGENCY)
    response = client.post(
        reverse("council:members_manage"),
        {
            "council": world.council.slug,
            "organisation": org.pk,
            "group": "local_agency",
            "joined_on": "2024-03-01",
            "order": 4,
        },
    )
    assert response["Location"] == reverse("council:members_manage") + "?council=gvalley"
    member = CouncilMember.objects.get(council=world.council, organisation=org)
    assert (member.group, member.joined_on, member.order, member.left_on) == (
        "local_agency",
        date(2024, 3, 1),
        4,
        None,
    )
    assert AuditLog.objects.filter(action="council.member.add", object_id=str(member.pk)).count() == 1
    assert "G밸리 기업지원센터이(가) 협의회 회원기관이 되었습니다." in _text(client.get(response["Location"]))

    local = _local(world)
    response = client.post(
        reverse("council:members_manage") + "?council=geumcheon",
        {
            "council": "geumcheon",
            "organisation": org.pk,
            "group": "local_agency",
            "joined_on": "2024-03-01",
            "order": 1,
        },
    )
    assert response["Location"] == reverse("council:members_manage") + "?council=geumcheon"
    assert list(CouncilMember.objects.filter(council=local).values_list("organisation__name", flat=True)) == [
        "G밸리 기업지원센터"
    ]


def test_members_and_companies_are_not_offered_and_bad_input_writes_nothing(client, login, world):
    login(world.secretary)
    company = OrganisationFactory(name="가산전자", kind=Organisation.Kind.COMPANY)
    page = client.get(reverse("council:members_manage")).content.decode()
    options = re.findall(
        r'<option value="(\d+)"', page.split('id="id_organisation"')[1].split("</select>")[0]
    )
    assert str(company.pk) not in options
    assert not {str(o.pk) for o in world.orgs} & set(options)
    before = _audit_actions()
    count = CouncilMember.objects.count()
    for data in (
        {"organisation": world.orgs[0].pk, "group": "association", "joined_on": "2024-01-01", "order": 1},
        {"organisation": company.pk, "group": "association", "joined_on": "2024-01-01", "order": 1},
        {"organisation": "", "group": "association", "joined_on": "2024-01-01", "order": 1},
        {"organisation": OrganisationFactory().pk, "group": "nope", "joined_on": "2024-01-01", "order": 1},
    ):
        response = client.post(reverse("council:members_manage"), {"council": "gvalley", **data})
        assert response.status_code == 200
        assert 'aria-invalid="true"' in response.content.decode()
    assert "올바르게 선택해 주세요." in _text(response).replace(" ", " ")
    assert CouncilMember.objects.count() == count and _audit_actions() == before


def test_ending_a_membership_ends_its_seats_and_keeps_the_history(client, login, world):
    login(world.secretary)
    member = world.members[2]
    url = reverse("council:member_end", args=[member.pk])
    before = _audit_actions()
    response = client.post(url, {"left_on": "2019-01-01"})
    assert response.status_code == 200
    assert "탈퇴일은 가입일 이후여야 합니다." in _text(response)
    assert CouncilMember.objects.get(pk=member.pk).left_on is None and _audit_actions() == before

    response = client.post(url, {"left_on": "2024-05-01", "note": "정관 개정"})
    assert response["Location"] == reverse("council:members_manage") + "?council=gvalley"
    member.refresh_from_db()
    assert member.left_on == date(2024, 5, 1)
    assert sorted(member.seats.values_list("kind", "ceased_on", "note")) == [
        ("member", date(2024, 5, 1), "정관 개정"),
        ("working_member", date(2024, 5, 1), "정관 개정"),
    ]
    assert not world.other_member.memberships.filter(role=Role.COUNCIL_MEMBER, ended_on__isnull=True).exists()
    assert AuditLog.objects.filter(action="council.member.end", object_id=str(member.pk)).count() == 1
    # gone from the organisation chart and from the seat form, still in the history and the member list
    assert "기관2" not in _text(client.get(reverse("council:home")))
    seat_form = client.get(reverse("council:seats_manage")).content.decode().split('id="id_member"')[1]
    offered = re.findall(r'<option value="(\d+)"', seat_form.split("</select>")[0])
    assert offered == [str(world.members[0].pk), str(world.members[1].pk)]
    assert "기관2" in _text(client.get(reverse("council:seats")))
    text = _text(client.get(reverse("council:members_manage")))
    assert "기관2 기업인 단체 2 2019-01-01 2024-05-01 0" in text
    assert text.count("탈퇴 처리 (") == 2  # the two current members can still leave
    response = client.post(url, {"left_on": "2024-06-01"})
    assert "이 기관은 이미 협의회에서 탈퇴했습니다." in _text(response)


def test_a_former_member_is_not_added_twice_nor_given_new_seats(world):
    member = services.council_member_end(actor=None, member=world.members[2], left_on=date(2024, 5, 1))
    with pytest.raises(ValidationError) as exc:
        services.council_member_add(
            actor=None,
            council=world.council,
            organisation=world.orgs[2],
            group="association",
            joined_on=date(2025, 1, 1),
        )
    assert exc.value.messages == [
        "이 기관은 2024-05-01까지 협의회 회원기관이었습니다. 회원 이력과 위촉 이력은 보존됩니다."
    ]
    with pytest.raises(ValidationError) as exc:
        services.seat_designate(
            actor=None,
            member=member,
            term=world.term,
            kind=Seat.Kind.MEMBER,
            person=UserFactory(),
            position_title="회장",
            designated_on=date(2024, 6, 1),
        )
    assert exc.value.message_dict == {
        "designated_on": ["그날에는 이 기관이 더 이상 협의회 회원기관이 아닙니다."]
    }


def test_a_membership_cannot_end_before_a_seat_was_designated(world):
    services.seat_designate(
        actor=None,
        member=world.members[1],
        term=world.term,
        kind=Seat.Kind.MEMBER,
        person=UserFactory(),
        position_title="회장",
        designated_on=date(2024, 6, 1),
    )
    before = _audit_actions()
    with pytest.raises(ValidationError):
        services.council_member_end(actor=None, member=world.members[1], left_on=date(2024, 1, 1))
    assert CouncilMember.objects.get(pk=world.members[1].pk).left_on is None
    assert Seat.objects.filter(member=world.members[1], ceased_on__isnull=True).count() == 2
    assert _audit_actions() == before


# --- Yearly plans ------------------------------------------------------------------------------------------


def test_making_a_plan_then_adding_a_line(client, login, world):
    login(world.secretary)
    response = client.post(
        reverse("council:plan_create"),
        {
            "council": world.council.pk,
            "title": "G밸리 발전협의회 2단계",
            "title_en": "Phase 2",
            "starts_on": "2025-01-01",
            "ends_on": "2027-06-30",
            "description": "<b>비예산</b> 사업",
        },
    )
    plan = PlanProgramme.objects.get()
    assert response["Location"] == reverse("council:plan", args=[plan.pk])
    assert (plan.council, plan.title, plan.title_en, plan.starts_on, plan.ends_on, plan.description) == (
        world.council,
        "G밸리 발전협의회 2단계",
        "Phase 2",
        date(2025, 1, 1),
        date(2027, 6, 30),
        "비예산 사업",
    )
    assert AuditLog.objects.filter(action="council.plan.create", object_id=str(plan.pk)).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "추진계획을 만들었습니다. 이제 추진과제를 추가하세요." in page
    assert reverse("council:plan_line_create", args=[plan.pk]) in page
    response = client.post(
        reverse("council:plan_line_create", args=[plan.pk]),
        {"year": 2027, "title": "협의회 개최", "order": 1, "visibility": "public"},
    )
    line = PlanLine.objects.get()
    assert response["Location"] == line.get_absolute_url()
    assert (line.plan, line.starts_on, line.ends_on) == (plan, date(2027, 1, 1), date(2027, 6, 30))


@pytest.mark.parametrize(
    "data, error",
    [
        (
            {"starts_on": "2025-01-01", "ends_on": "2024-12-31"},
            "계획 종료일은 시작일과 같거나 그 이후여야 합니다.",
        ),
        ({"starts_on": "2025-01-01", "ends_on": "", "title": "x"}, "필수 항목입니다."),
        ({"starts_on": "2025-01-01", "ends_on": "2025-12-31", "title": ""}, "필수 항목입니다."),
    ],
)
def test_bad_plan_input_gets_a_translated_error_and_writes_nothing(client, login, world, data, error):
    login(world.secretary)
    before = _audit_actions()
    response = client.post(
        reverse("council:plan_create"), {"council": world.council.pk, "title": "계획", **data}
    )
    assert response.status_code == 200
    assert error in _text(response)
    assert PlanProgramme.objects.count() == 0 and _audit_actions() == before


def test_plan_create_checks_the_dates_itself(world):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            actor=None, council=world.council, title="x", starts_on=date(2025, 1, 1), ends_on=date(2024, 1, 1)
        )
    assert exc.value.message_dict == {"ends_on": ["계획 종료일은 시작일과 같거나 그 이후여야 합니다."]}


def test_pages_link_to_the_set_up_pages(client, login, world):
    plan = PlanFactory(council=world.council)
    login(world.secretary)
    terms, members = reverse("council:terms_manage"), reverse("council:members_manage")
    for url in (reverse("council:seats_manage"), reverse("council:home")):
        page = client.get(url).content.decode()
        assert f"{terms}?council=gvalley" in page and f"{members}?council=gvalley" in page, url
    page = client.get(reverse("council:plan", args=[plan.pk])).content.decode()
    assert reverse("council:plan_create") in page
    assert f"{reverse('council:plan_import')}?plan={plan.pk}" in page
    login(world.member)
    page = client.get(reverse("council:home")).content.decode()
    assert terms not in page and members not in page
    assert (
        reverse("council:plan_create")
        not in client.get(reverse("council:plan", args=[plan.pk])).content.decode()
    )


def test_without_a_plan_the_secretariat_is_offered_to_make_one(client, login, world):
    page = _text(client.get(reverse("council:plan_index")))
    assert "연차별 추진계획 만들기" not in page
    login(world.secretary)
    response = client.get(reverse("council:plan_index"))
    assert "아직 연차별 추진계획이 없습니다." in _text(response)
    assert reverse("council:plan_create") in response.content.decode()


# --- Query counts of the new list pages --------------------------------------------------------------------


def _add_terms(council, n):
    for _ in range(n):
        number = Term.objects.filter(council=council).count() + 1
        term = services.term_start(
            actor=None, council=council, number=number, starts_on=date(2020 + number, 1, 1), carry_seats=True
        )
        if not term.seats.exists():
            member = services.council_member_add(
                actor=None,
                council=council,
                organisation=OrganisationFactory(),
                group="local_agency",
                joined_on=date(2019, 1, 1),
            )
            services.seat_designate(
                actor=None,
                member=member,
                term=term,
                kind=Seat.Kind.WORKING_MEMBER,
                person=UserFactory(),
                position_title="실무 담당",
                designated_on=term.starts_on,
            )


def _add_members(council, n):
    term = Term.objects.filter(council=council).first() or services.term_create(
        actor=None, council=council, number=1, starts_on=date(2021, 1, 1)
    )
    for _ in range(n):
        member = services.council_member_add(
            actor=None,
            council=council,
            organisation=OrganisationFactory(),
            group="local_agency",
            joined_on=date(2021, 1, 1),
        )
        services.seat_designate(
            actor=None,
            member=member,
            term=term,
            kind=Seat.Kind.WORKING_MEMBER,
            person=UserFactory(),
            position_title="실무 담당",
            designated_on=date(2021, 1, 1),
        )


@pytest.mark.parametrize(
    "url_name, make", [("council:terms_manage", _add_terms), ("council:members_manage", _add_members)]
)
def test_set_up_list_pages_run_a_fixed_number_of_queries(client, login, queries, world, url_name, make):
    """The local council's terms or members: 1, then 3 rows; the page's queries do not change."""
    local = _local(world)
    login(world.secretary)
    url = reverse(url_name) + "?council=geumcheon"
    counts = []
    for n, rows in ((1, 1), (2, 3)):
        make(local, n)
        with queries() as q:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('<tr><th scope="row">') == rows
        counts.append(len(q))
    assert counts[0] == counts[1], (url_name, counts)


def test_the_list_selectors_run_one_query(world, queries):
    from gvalley.council import selectors

    with queries() as q:
        terms = selectors.term_list(world.council)
        members = selectors.member_list(world.council)
    assert len(q) == 2
    assert [(t.number, t.seats_held, t.seat_count) for t in terms] == [(1, 6, 6)]
    assert [(m.organisation.name, m.seats_held) for m in members] == [
        ("기관0", 2),
        ("기관1", 2),
        ("기관2", 2),
    ]
