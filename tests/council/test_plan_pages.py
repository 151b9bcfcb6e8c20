"""The yearly-plan pages: the sample import file fits the plan it is downloaded for, and a plan line shows the
requests behind it (request → agenda item → decision → action item → plan line) with a fixed number of queries."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gvalley.core.models import Job, Visibility
from gvalley.council import metrics, selectors, services
from gvalley.council.models import ActionItem, AgendaItem, Indicator, PlanLine
from tests.council.factories import AgendaItemFactory, PlanFactory, PlanLineFactory, held_meeting

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


# --- The sample import file --------------------------------------------------------------------------------


def _year_plans() -> list[tuple[date, date, int, str, str]]:
    this_year = timezone.localdate().year
    return [
        # plan start, plan end, sample year, first row's period
        (date(2018, 1, 1), date(2022, 6, 30), 2022, "2022-01-01", "2022-06-30"),
        (date(2090, 3, 1), date(2092, 12, 31), 2090, "2090-03-01", "2090-12-31"),
        (
            date(this_year - 1, 1, 1),
            date(this_year + 1, 12, 31),
            this_year,
            f"{this_year}-01-01",
            f"{this_year}-12-31",
        ),
    ]


@pytest.mark.parametrize("starts_on, ends_on, year, start, end", _year_plans())
def test_the_sample_file_is_in_a_year_of_its_plan_and_imports_as_it_is(
    client, login, world, starts_on, ends_on, year, start, end
):
    plan = PlanFactory(council=world.council, starts_on=starts_on, ends_on=ends_on)
    login(world.secretary)
    response = client.get(reverse("council:plan_import_template") + f"?plan={plan.pk}")
    assert f'filename="council-plan-{plan.pk}-template.xlsx"' in response["Content-Disposition"]
    assert _rows(response.content) == [
        [year, "협의회 개최", "Hold council meetings", start, end, "본회의 개최", "Plenaries held"]
        + ["plenaries_held", 2, "회", "times", 1],
        [year, "기업 방문", "Visit companies", None, None, "기업 방문", "Company visits"]
        + ["company_visits", 24, "개사", "companies", 2],
    ]
    upload = SimpleUploadedFile("sample.xlsx", response.content)
    response = client.post(reverse("council:plan_import"), {"plan": plan.pk, "file": upload})
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert (job.status, job.result, job.errors) == ("succeeded", {"lines": 2, "indicators": 2}, [])
    assert sorted(PlanLine.objects.values_list("year", "title", "starts_on", "ends_on")) == [
        (year, "기업 방문", date.fromisoformat(start), date.fromisoformat(end)),
        (year, "협의회 개최", date.fromisoformat(start), date.fromisoformat(end)),
    ]
    assert sorted(Indicator.objects.values_list("metric", "target")) == [
        ("company_visits", 24),
        ("plenaries_held", 2),
    ]


def test_without_the_company_visits_metric_the_sample_uses_a_council_metric(client, login, world):
    plan = PlanFactory(council=world.council)
    saved = metrics.get_metric("company_visits")
    metrics.unregister_metric("company_visits")
    try:
        login(world.secretary)
        content = client.get(reverse("council:plan_import_template") + f"?plan={plan.pk}").content
        assert [row[7] for row in _rows(content)] == ["plenaries_held", "working_meetings_held"]
        client.post(
            reverse("council:plan_import"), {"plan": plan.pk, "file": SimpleUploadedFile("s.xlsx", content)}
        )
        assert Job.objects.get().status == "succeeded"
    finally:
        if saved is not None:
            metrics.register_metric(saved.key, saved.label, saved.func, bulk=saved.bulk, target=saved.target)


def test_the_sample_defaults_to_the_current_plan_and_refuses_an_unknown_one(client, world):
    old = PlanFactory(council=world.council)
    this_year = timezone.localdate().year
    current = PlanFactory(
        council=world.council, starts_on=date(this_year, 1, 1), ends_on=date(this_year + 2, 12, 31)
    )
    response = client.get(reverse("council:plan_import_template"))
    assert f'filename="council-plan-{current.pk}-template.xlsx"' in response["Content-Disposition"]
    assert {row[0] for row in _rows(response.content)} == {this_year}
    assert client.get(reverse("council:plan_import_template") + "?plan=999999").status_code == 404
    assert client.get(reverse("council:plan_import_template") + "?plan=x").status_code == 404
    assert {
        row[0]
        for row in _rows(client.get(f"{reverse('council:plan_import_template')}?plan={old.pk}").content)
    } == {2022}


def test_the_import_page_offers_a_sample_per_plan_and_preselects_the_plan(client, login, world):
    old = PlanFactory(council=world.council, title="1단계")
    new = PlanFactory(
        council=world.council, title="2단계", starts_on=date(2023, 1, 1), ends_on=date(2026, 12, 31)
    )
    login(world.secretary)
    response = client.get(reverse("council:plan_import") + f"?plan={old.pk}")
    page = response.content.decode()
    for plan in (old, new):
        assert f"{reverse('council:plan_import_template')}?plan={plan.pk}" in page
    assert "2단계(2023.01~2026.12)용 예시 파일 내려받기" in _text(response)
    assert re.search(rf'<option value="{old.pk}" selected>', page)


# --- Requests on the plan-line page ------------------------------------------------------------------------


def _request(item: AgendaItem, title: str, **kwargs):
    from gvalley.grievances.models import Request
    from tests.grievances.factories import make_request

    req = make_request(title=title, **kwargs)
    Request.objects.filter(pk=req.pk).update(agenda_item=item)
    req.refresh_from_db()
    return req


def _line_with_chain(world, visibility: str = Visibility.PUBLIC) -> tuple[PlanLine, AgendaItem, AgendaItem]:
    """A plan line with one agenda item on it, and one action item on it decided on another agenda item."""
    line = PlanLineFactory(plan=PlanFactory(council=world.council), title="기업 방문")
    meeting = held_meeting(world)
    direct = AgendaItemFactory(
        council=world.council, meeting=meeting, title="주차장 확충", plan_line=line, visibility=visibility
    )
    other = AgendaItemFactory(
        council=world.council, meeting=meeting, title="셔틀버스 증편", status="scheduled"
    )
    decision = services.decision_record(actor=None, agenda_item=other, text="증편 협의", method="consensus")
    ActionItem.objects.create(
        decision=decision,
        title="버스 회사와 협의",
        owner_organisation=world.orgs[1],
        due_on=date(2021, 6, 1),
        plan_line=line,
    )
    return line, direct, other


def test_the_plan_line_shows_the_requests_behind_it_with_the_chain_links(client, login, world):
    line, direct, other = _line_with_chain(world)
    first = _request(direct, "주차 공간 부족")
    second = _request(other, "출근 버스 부족")
    url = line.get_absolute_url()

    text = _text(client.get(url))
    assert (
        f"이 과제와 연결된 애로사항·요구과제 {_intro()} {first.tracking_number} 주차 공간 부족 — 안건: 주차장 확충 "
        f"{second.tracking_number} 출근 버스 부족 — 안건: 셔틀버스 증편 이 과제의 안건"
    ) in text
    page = client.get(url).content.decode()
    for req in (first, second):  # the public gets the tracking page, never the full request
        assert reverse("grievances:track_detail", args=[req.tracking_number]) in page
        assert req.get_absolute_url() not in page
    assert f'href="{direct.get_absolute_url()}"' in page and f'href="{other.get_absolute_url()}"' in page

    login(world.member)  # a council member may not open requests: tracking pages too
    page = client.get(url).content.decode()
    assert reverse("grievances:track_detail", args=[first.tracking_number]) in page
    login(world.secretary)  # the secretariat sees every request in full
    page = client.get(url).content.decode()
    assert first.get_absolute_url() in page and second.get_absolute_url() in page
    assert reverse("grievances:track_detail", args=[first.tracking_number]) not in page


def _intro() -> str:
    return (
        "이 과제의 안건으로 이어진 기업과 근로자의 애로사항·요구과제입니다. 안건에 직접 연결된 것과, 이 과제의 "
        "후속조치를 낳은 결정의 안건에 연결된 것을 모두 보여 줍니다."
    )


def test_requests_of_hidden_agenda_items_are_not_shown(client, login, world):
    line, direct, _other = _line_with_chain(world, visibility=Visibility.MEMBERS)
    req = _request(direct, "회원 전용 안건의 요청")
    assert req.tracking_number not in client.get(line.get_absolute_url()).content.decode()
    login(world.member)
    assert req.tracking_number in client.get(line.get_absolute_url()).content.decode()


def test_without_requests_the_plan_line_says_they_are_not_available(client, world, monkeypatch):
    line, _direct, _other = _line_with_chain(world)
    monkeypatch.setattr(selectors, "has_requests", lambda: False)
    response = client.get(line.get_absolute_url())
    assert response.status_code == 200
    assert f"{_intro()} 자료 없음 이 과제의 안건" in _text(response)


@pytest.mark.parametrize("who", ["anonymous", "member", "secretary", "handler"])
def test_the_plan_line_page_runs_a_fixed_number_of_queries(client, login, queries, world, who):
    """1 then 3 requests (citizens' and companies', directly and through action items): same queries."""
    from gvalley.grievances.models import Request
    from tests.factories import CompanyFactory
    from tests.grievances.factories import handler_of

    line, direct, other = _line_with_chain(world)
    if who == "handler":
        login(handler_of(world.orgs[1]))
    elif who != "anonymous":
        login(getattr(world, who))
    url = line.get_absolute_url()
    counts = []
    for batch in (
        [(direct, {})],
        [(other, {}), (direct, {"filer_type": Request.FilerType.COMPANY, "company": CompanyFactory()})],
    ):
        for item, kwargs in batch:
            _request(item, "요청", **kwargs)
        with queries() as q:
            response = client.get(url)
        assert response.status_code == 200
        counts.append((len(q), response.content.decode().count("— 안건:")))
    assert counts[0][0] == counts[1][0], counts
    assert [n for _q, n in counts] == [1, 3]


@pytest.mark.parametrize("page", ["agenda_item", "decision", "action_item"])
def test_chain_pages_run_a_fixed_number_of_queries_whatever_the_requests(client, login, queries, world, page):
    """The agenda item, decision and action item pages list the requests of the chain; deciding each request's link
    (full page or tracking page) reads its company and joint handlers, which must come with the requests."""
    from gvalley.grievances.models import Request
    from tests.factories import CompanyFactory
    from tests.grievances.factories import handler_of

    line, _direct, other = _line_with_chain(world)
    action = ActionItem.objects.get(plan_line=line)
    url = {
        "agenda_item": other.get_absolute_url(),
        "decision": action.decision.get_absolute_url(),
        "action_item": action.get_absolute_url(),
    }[page]
    login(handler_of(world.orgs[1]))
    counts = []
    for n in (1, 2):
        for _ in range(n):
            _request(other, "통근 버스", filer_type=Request.FilerType.COMPANY, company=CompanyFactory())
        with queries() as q:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(q))
    assert Request.objects.filter(agenda_item=other).count() == 3
    assert counts[0] == counts[1], counts
