"""The link into the council chain: escalation (one request, or a recurring issue as ONE agenda item),
the yearly-plan metrics and the briefing-pack section."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gvalley.accounts.models import Role
from gvalley.core.models import AuditLog
from gvalley.council.briefing import registered_sections
from gvalley.council.metrics import compute
from gvalley.council.models import AgendaItem, Council
from gvalley.grievances import services
from gvalley.grievances.council_link import escalate_cluster, escalate_request
from gvalley.grievances.models import Event
from tests.factories import CompanyFactory, OrganisationFactory, UserFactory
from tests.grievances.factories import make_request, seoul

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return Council.objects.create(
        slug="gvalley", kind=Council.Kind.MAIN, name="G밸리 발전협의회", name_en="G-Valley council"
    )


def test_escalating_a_request_proposes_an_agenda_item_and_links_it(council):
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    req = make_request(title="지식산업센터 입주 업종 확대")
    item = escalate_request(
        actor=secretariat, request=req, council=council, title="입주 업종 확대 건의", description="설명"
    )
    req.refresh_from_db()
    assert req.agenda_item == item
    assert (item.origin, item.status, item.council) == (
        AgendaItem.Origin.REQUEST,
        AgendaItem.Status.PROPOSED,
        council,
    )
    assert req.tracking_number in item.source_note
    assert req.events.get(kind=Event.Kind.ESCALATED).public
    assert AuditLog.objects.filter(action="grievances.request.escalate", object_id=str(req.pk)).exists()
    with pytest.raises(ValidationError):
        escalate_request(actor=secretariat, request=req, council=council, title="again")
    assert AgendaItem.objects.count() == 1


def test_a_recurring_issue_becomes_one_agenda_item_for_all_its_requests(council):
    reqs = [make_request() for _ in range(3)]
    cluster = services.cluster_create(actor=None, title="출근 버스", requests=reqs)
    item = escalate_cluster(actor=None, cluster=cluster, council=council, title="출근 버스 개선 방안")
    cluster.refresh_from_db()
    assert cluster.agenda_item == item and cluster.status == "escalated"
    assert AgendaItem.objects.count() == 1
    assert {r.agenda_item_id for r in reqs[0].__class__.objects.all()} == {item.pk}
    assert "3" in item.source_note


def test_escalation_from_the_request_page(client, login, council):
    login(UserFactory(roles=[Role.OPERATOR]))
    req = make_request()
    url = reverse("grievances:action", args=[req.pk, "escalate"])
    response = client.post(url, {"council": council.pk, "title": ""})
    assert response.status_code == 400 and AgendaItem.objects.count() == 0
    assert client.post(url, {"council": council.pk, "title": "안건", "description": "d"}).status_code == 302
    req.refresh_from_db()
    assert req.agenda_item.title == "안건"


def test_metrics_and_briefing_section_are_registered():
    org = OrganisationFactory(name="금천구")
    req = make_request(received_at=seoul(2021, 3, 2, 10, 0))
    services.request_assign(actor=None, request=req, organisation=org, notify=False)
    services.request_answer(
        actor=None, request=req, outcome="accepted", body="ok", at=seoul(2021, 3, 5, 10, 0), notify=False
    )
    make_request(received_at=seoul(2021, 9, 1, 10, 0))
    services.visit_record(
        actor=None, company=CompanyFactory(), visited_on=date(2021, 5, 3), organisations=[org], findings="f"
    )
    assert compute("requests_received", date(2021, 1, 1), date(2021, 12, 31)) == 2
    assert compute("requests_closed", date(2021, 1, 1), date(2021, 6, 30)) == 1
    assert compute("company_visits", date(2021, 1, 1), date(2021, 12, 31)) == 1
    section = next(s for s in registered_sections() if s.key == "requests")
    result = section.func(SimpleNamespace(starts_at=seoul(2021, 9, 30, 14, 0)))
    assert result.headers[0] and len(result.headers) == 4
    assert ["금천구", 0, 0, 0] not in result.rows
    assert any(row[1] == 1 and row[2] == 1 for row in result.rows)


def test_the_agenda_chain_links_a_request_to_its_full_page_or_to_its_public_tracking_page(
    council, client, login
):
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    req = make_request(title="지식산업센터 입주 업종 확대")
    item = escalate_request(actor=secretariat, request=req, council=council, title="입주 업종 확대 건의")
    AgendaItem.objects.filter(pk=item.pk).update(visibility="public")
    full = req.get_absolute_url()
    tracking = reverse("grievances:track_detail", args=[req.tracking_number])

    login(secretariat)
    page = client.get(reverse("council:agenda_item", args=[item.pk])).content.decode()
    assert f'href="{full}"' in page and f'href="{tracking}"' not in page

    client.logout()
    login(UserFactory(roles=[Role.COUNCIL_MEMBER]))  # may not open the request itself
    page = client.get(reverse("council:agenda_item", args=[item.pk])).content.decode()
    assert f'href="{full}"' not in page and f'href="{tracking}"' in page
    assert client.get(tracking).status_code == 200
    assert client.get(full).status_code == 403


@pytest.fixture
def escalated(council):
    """A request escalated to the council, with decisions, action items and plan lines at every level."""
    from gvalley.council.models import ActionItem
    from tests.council.factories import DecisionFactory, PlanLineFactory

    org = OrganisationFactory()
    req = make_request(title="출근 버스 증차")
    services.request_assign(actor=None, request=req, organisation=org, notify=False)
    line_public = PlanLineFactory(title="교통 개선", visibility="public")
    line_secret = PlanLineFactory(title="내부 점검", visibility="secretariat")
    item = escalate_request(actor=None, request=req, council=council, title="출근 버스 증차 건의")
    AgendaItem.objects.filter(pk=item.pk).update(plan_line=line_public)
    public_decision = DecisionFactory(agenda_item=item, text="버스 2대 증차를 요청한다", visibility="public")
    members_decision = DecisionFactory(agenda_item=item, text="위원 검토 사항", visibility="members")
    public_action = ActionItem.objects.create(
        decision=public_decision,
        title="운수회사와 협의",
        owner_organisation=org,
        due_on=date(2030, 6, 30),
        status=ActionItem.Status.IN_PROGRESS,
        progress=40,
        plan_line=line_public,
        visibility="public",
    )
    secret_action = ActionItem.objects.create(
        decision=public_decision,
        title="예산 내부 검토",
        owner_organisation=org,
        due_on=date(2030, 7, 31),
        plan_line=line_secret,
        visibility="secretariat",
    )
    return SimpleNamespace(
        req=req,
        org=org,
        item=item,
        decisions=(public_decision, members_decision),
        actions=(public_action, secret_action),
        lines=(line_public, line_secret),
    )


def _links(html: str, *objs) -> list[bool]:
    return [f'href="{o.get_absolute_url()}"' in html for o in objs]


def test_the_request_page_shows_the_whole_council_chain_as_far_as_the_viewer_may_open_it(
    escalated, client, login
):
    from tests.grievances.factories import handler_of

    e = escalated
    url = reverse("grievances:detail", args=[e.req.pk])
    everything = (e.item, *e.decisions, *e.actions, *e.lines)

    login(UserFactory(roles=[Role.OPERATOR]))
    response = client.get(url)
    html = response.content.decode()
    chain = response.context["chain"]
    assert (chain.item, chain.decisions, chain.actions, chain.lines) == (
        e.item,
        [e.decisions[0], e.decisions[1]],
        [e.actions[0], e.actions[1]],
        [e.lines[0], e.lines[1]],
    )
    assert _links(html, *everything) == [True] * 7
    assert 'id="council-chain"' in html and "40%" in html

    client.logout()
    login(handler_of(e.org))  # may open the request, sees only what is public in the council
    response = client.get(url)
    html = response.content.decode()
    chain = response.context["chain"]
    assert (chain.decisions, chain.actions, chain.lines) == ([e.decisions[0]], [e.actions[0]], [e.lines[0]])
    assert _links(html, *everything) == [True, True, False, True, False, True, False]
    assert "위원 검토 사항" not in html and "예산 내부 검토" not in html and "내부 점검" not in html

    # an agenda item kept to the secretariat: no link and no chain for the handler
    AgendaItem.objects.filter(pk=e.item.pk).update(visibility="secretariat")
    response = client.get(url)
    html = response.content.decode()
    assert response.context["chain"] is None and _links(html, *everything) == [False] * 7
    assert 'id="council-chain"' not in html

    client.logout()
    login(UserFactory(roles=[Role.SECRETARIAT]))
    assert _links(client.get(url).content.decode(), *everything) == [True] * 7


def test_the_public_tracking_page_links_into_the_council_only_when_it_is_public(escalated, client, login):
    e = escalated
    url = reverse("grievances:track_detail", args=[e.req.tracking_number])
    html = client.get(url).content.decode()
    assert _links(html, e.item, *e.decisions, *e.actions, *e.lines) == [True, True] + [False] * 5
    assert "위원 검토 사항" not in html
    # the agenda item page links back to the request's tracking page
    back = client.get(e.item.get_absolute_url()).content.decode()
    assert f'href="{url}"' in back
    # not public: nothing, even for a viewer who could open it in the council (the page is public)
    AgendaItem.objects.filter(pk=e.item.pk).update(visibility="members")
    login(UserFactory(roles=[Role.SECRETARIAT]))
    html = client.get(url).content.decode()
    assert _links(html, e.item, *e.decisions) == [False, False, False]
    assert 'id="council-chain"' not in html
    # the public history says that the request went to the council, without the item's title
    assert "G밸리 발전협의회에 안건으로 제안했습니다." in html
    assert "출근 버스 증차 건의" not in html
    # and says it in English to an English reader, with the council's English name
    client.cookies["gvalley_language"] = "en"
    html = client.get(url).content.decode()
    assert "Proposed to G-Valley council as an agenda item." in html


def test_the_visit_plan_target_feeds_the_yearly_plan_indicators():
    from decimal import Decimal

    from gvalley.council import services as council_services
    from gvalley.council.models import Indicator
    from tests.council.factories import PlanLineFactory

    line_2021 = PlanLineFactory(year=2021, title="기업 방문")
    line_2022 = PlanLineFactory(plan=line_2021.plan, year=2022, title="기업 방문")
    # no visit plan for 2021 yet: the typed target stands
    council_services.indicator_set(
        actor=None, line=line_2021, metric="company_visits", label="기업 방문", target=20
    )
    assert Indicator.objects.get(line=line_2021).target == Decimal("20")
    # the visit plan of 2021 sets it; the 2022 line is left alone
    council_services.indicator_set(
        actor=None, line=line_2022, metric="company_visits", label="기업 방문", target=10
    )
    services.visit_plan_set(actor=None, year=2021, target=30)
    assert Indicator.objects.get(line=line_2021).target == Decimal("30")
    assert Indicator.objects.get(line=line_2022).target == Decimal("10")
    entry = AuditLog.objects.get(action="council.indicator.target_sync")
    assert (entry.before["target"], entry.after["target"]) == ("20.00", "30.00")
    # an indicator made for a year that has a visit plan takes the plan's target, whatever is typed
    services.visit_plan_set(actor=None, year=2022, target=15)
    council_services.indicator_set(
        actor=None, line=line_2022, metric="company_visits", label="기업 방문", target=99
    )
    assert Indicator.objects.get(line=line_2022).target == Decimal("15")
    # other metrics keep their typed targets
    other = council_services.indicator_set(
        actor=None, line=line_2022, metric="requests_received", label="접수", target=99
    )
    assert other.target == Decimal("99")
