"""Similar requests, duplicates, recurring-issue suggestions and dashboard figures."""

from __future__ import annotations

from datetime import date

import pytest

from gvalley.grievances import selectors, services
from gvalley.grievances.models import Request
from tests.factories import CompanyFactory, OrganisationFactory
from tests.grievances.factories import CategoryFactory, make_request, seoul, trend_world

pytestmark = pytest.mark.django_db

BUS = [
    ("가산디지털단지역 출근 버스 증차 요청", "아침 출근 시간에 가산디지털단지역 버스가 너무 부족합니다."),
    ("출근 시간 버스가 부족해요", "가산디지털단지역에서 회사 가는 출근 버스 배차 간격이 깁니다."),
    ("출근 버스 증차 필요", "가산디지털단지역 출근 버스를 기다리는 줄이 너무 길어 버스 증차가 필요합니다."),
]
OTHER = [
    ("어린이집 정원 확대", "직장 어린이집 대기가 너무 깁니다. 정원을 늘려 주세요."),
    ("공장 소음", "옆 공장 기계 소음 때문에 일을 할 수 없습니다."),
    ("수출 바이어 발굴", "동남아 해외 바이어를 찾고 싶습니다."),
]


def _make(pairs):
    return [make_request(title=t, description=d) for t, d in pairs]


def test_similar_requests_finds_paraphrases_first_and_not_unrelated_ones():
    bus = _make(BUS)
    other = _make(OTHER)
    hits = selectors.similar_requests(text="출근 버스 증차해 주세요\n버스가 부족합니다", k=3)
    assert {r.pk for r in hits} == {r.pk for r in bus}
    assert all(0 < h.similarity <= 1 for h in hits)
    assert selectors.similar_requests(text="", k=3) == []
    assert other[0].pk in {r.pk for r in selectors.similar_requests(text="어린이집이 부족해요", k=1)}


def test_possible_duplicates_use_the_threshold_and_exclude_the_request_itself_and_merged_ones():
    bus = _make(BUS)
    _make(OTHER)
    dups = selectors.possible_duplicates(request=bus[0])
    assert bus[0].pk not in {d.pk for d in dups}
    assert {d.pk for d in dups} <= {bus[1].pk, bus[2].pk} and dups
    services.request_merge(actor=None, primary=bus[0], duplicates=[bus[1]], notify=False)
    assert bus[1].pk not in {d.pk for d in selectors.possible_duplicates(request=bus[0])}


def test_the_index_is_rebuilt_when_requests_change():
    _make(BUS[:1])
    first = selectors.similarity_index()
    assert selectors.similarity_index() is first
    _make(OTHER[:1])
    assert selectors.similarity_index() is not first and len(selectors.similarity_index()) == 2


def test_cluster_suggestions_group_recurring_requests_and_visits():
    bus = _make(BUS)
    _make(OTHER)
    company = CompanyFactory()
    org = OrganisationFactory()
    visit = services.visit_record(
        actor=None,
        company=company,
        visited_on=date(2022, 5, 2),
        organisations=[org],
        findings="직원들이 출근 버스가 부족하다고 함. 가산디지털단지역 출근 버스 증차 필요.",
    )
    suggestions = selectors.cluster_suggestions(min_size=3)
    assert len(suggestions) == 1
    s = suggestions[0]
    assert {r.pk for r in s.requests} == {r.pk for r in bus} and [v.pk for v in s.visits] == [visit.pk]
    services.cluster_create(actor=None, title="출근 버스", requests=bus, visits=[visit])
    assert selectors.cluster_suggestions(min_size=3) == []


def test_dashboard_counts_by_organisation_and_category_with_median_days_and_satisfaction():
    a, b = OrganisationFactory(name="가"), OrganisationFactory(name="나")
    transport, welfare = CategoryFactory(order=1), CategoryFactory(order=2)
    r1 = make_request(category=transport, received_at=seoul(2021, 3, 2, 10, 0))
    r2 = make_request(category=transport, received_at=seoul(2021, 3, 3, 10, 0))
    r3 = make_request(category=welfare, received_at=seoul(2021, 4, 5, 10, 0))
    r4 = make_request(category=welfare, received_at=seoul(2020, 4, 5, 10, 0))
    for req, org in ((r1, a), (r2, a), (r3, b), (r4, b)):
        services.request_assign(actor=None, request=req, organisation=org, notify=False)
    services.request_answer(
        actor=None, request=r1, outcome="accepted", body="ok", at=seoul(2021, 3, 4, 10, 0), notify=False
    )
    services.request_answer(
        actor=None, request=r2, outcome="accepted", body="ok", at=seoul(2021, 3, 23, 10, 0), notify=False
    )
    services.satisfaction_submit(actor=None, request=r1, score=5)
    services.satisfaction_submit(actor=None, request=r2, score=2)
    data = selectors.dashboard(selectors.DashboardFilters(year=2021))
    rows = {r["organisation"].name: r for r in data["organisations"]}
    assert rows["가"]["received"] == 2 and rows["가"]["answered"] == 2 and rows["가"]["on_time"] == 1
    assert rows["가"]["median_days"] == 11.0  # 2 and 20 days
    assert rows["가"]["satisfaction"] == 3.5 and rows["가"]["ratings"] == 2
    assert rows["나"]["received"] == 1 and rows["나"]["open"] == 1 and rows["나"]["overdue"] == 1
    assert data["total"]["received"] == 3 and data["total"]["satisfaction"] == 3.5
    assert [c["received"] for c in data["categories"]] == [2, 1]
    assert selectors.dashboard(selectors.DashboardFilters())["total"]["received"] == 4
    assert selectors.dashboard_years() == [2021, 2020]
    assert selectors.requests_received_between(date(2021, 1, 1), date(2021, 12, 31)) == 3
    assert selectors.requests_closed_between(date(2021, 3, 1), date(2021, 3, 31)) == 2
    rows = selectors.new_and_overdue_by_organisation(date(2021, 4, 1), date(2021, 4, 30))
    assert [(r["responsible_organisation__name"], r["new"], r["open"], r["overdue"]) for r in rows] == [
        ("나", 1, 2, 2)
    ]


def test_merged_requests_are_left_out_of_the_dashboard():
    r1, r2 = make_request(), make_request()
    services.request_merge(actor=None, primary=r1, duplicates=[r2], notify=False)
    assert selectors.dashboard(selectors.DashboardFilters())["total"]["received"] == 1
    assert Request.objects.count() == 2


# --- The monthly trend (received, answered, closed, reopened; open and overdue at the end of the month) --

TREND_KEYS = ("period", "received", "answered", "closed", "reopened", "open", "overdue", "current")


def _trend(now=None, **filters):
    rows = selectors.dashboard_trend(
        selectors.DashboardFilters(**filters), now=now or seoul(2021, 6, 15, 12, 0)
    )
    return [tuple(r[k] for k in TREND_KEYS) for r in rows]


def test_the_trend_rebuilds_open_and_overdue_at_each_month_end_from_the_history():
    trend_world()
    #            month    recv ans  clo  reop open over  current
    assert _trend(year=2021) == [
        ("2021-01", 2, 1, 1, 0, 2, 2, False),  # r2 (first round due 01-28) and r5 (due 2020-12-30)
        ("2021-02", 0, 2, 1, 0, 0, 0, False),
        ("2021-03", 1, 0, 0, 1, 2, 1, False),  # r2 reopened (new due 04-02: not yet), r3 overdue
        ("2021-04", 2, 0, 0, 0, 4, 3, False),  # r2, r3, r6 overdue; r4 not yet (due 05-07)
        ("2021-05", 0, 2, 1, 0, 2, 2, False),  # r3 and r6
        ("2021-06", 0, 0, 0, 0, 2, 2, True),  # June so far: as of 06-15, no month after it
    ]


def test_the_trend_follows_the_organisation_and_category_filters_and_the_year():
    world = trend_world()
    only_ga = [
        ("2021-01", 2, 1, 1, 0, 2, 2, False),
        ("2021-02", 0, 2, 1, 0, 0, 0, False),
        ("2021-03", 1, 0, 0, 1, 2, 1, False),
        ("2021-04", 1, 0, 0, 0, 3, 2, False),
        ("2021-05", 0, 2, 1, 0, 1, 1, False),
        ("2021-06", 0, 0, 0, 0, 1, 1, True),
    ]
    assert _trend(year=2021, organisation=world["ga"].pk) == only_ga
    assert _trend(year=2021, category=world["first"].pk) == only_ga
    assert _trend(year=2021, organisation=world["na"].pk, category=world["first"].pk) == [
        (f"2021-{m:02d}", 0, 0, 0, 0, 0, 0, m == 6) for m in range(1, 7)
    ]
    # A past year: all twelve months, the stock taken at each month's end.
    assert _trend(year=2020) == [(f"2020-{m:02d}", 0, 0, 0, 0, 0, 0, False) for m in range(1, 12)] + [
        ("2020-12", 1, 0, 0, 0, 1, 1, False)
    ]
    # No year: from the first request's month to the current one.
    everything = _trend()
    assert everything[0] == ("2020-12", 1, 0, 0, 0, 1, 1, False)
    assert everything[1:] == _trend(year=2021)
    # A year still running stops at the current month; one later than today has no month.
    assert [r[0] for r in _trend(now=seoul(2021, 3, 1, 0, 0), year=2021)] == ["2021-01", "2021-02", "2021-03"]
    assert _trend(now=seoul(2021, 3, 1, 0, 0), year=2022) == []


def test_the_trend_counts_a_request_answered_on_the_first_instant_of_a_month_as_open_before_it():
    req = make_request(category=CategoryFactory(period="7d"), received_at=seoul(2021, 1, 28, 10, 0))
    services.request_answer(
        actor=None, request=req, outcome="accepted", body="ok", at=seoul(2021, 2, 1, 0, 0), notify=False
    )
    assert _trend(year=2021, now=seoul(2021, 2, 10, 0, 0)) == [
        ("2021-01", 1, 0, 0, 0, 1, 0, False),
        ("2021-02", 0, 1, 0, 0, 0, 0, True),
    ]


@pytest.mark.parametrize("n", [1, 3])
def test_the_trend_runs_three_queries_whatever_the_number_of_requests_and_months(
    django_assert_num_queries, n
):
    category = CategoryFactory(period="7d")
    for i in range(n):
        req = make_request(category=category, received_at=seoul(2019 + i, 3, 2, 10, 0))
        services.request_answer(
            actor=None, request=req, outcome="accepted", body="ok", at=seoul(2019 + i, 4, 2), notify=False
        )
        services.request_reopen(actor=None, request=req, reason="r", at=seoul(2019 + i, 5, 2), notify=False)
    with django_assert_num_queries(3):
        rows = selectors.dashboard_trend(selectors.DashboardFilters(), now=seoul(2021, 12, 31, 12, 0))
    assert len(rows) == 34  # 2019-03 … 2021-12
    assert sum(r["received"] for r in rows) == n and sum(r["reopened"] for r in rows) == n
    assert (rows[-1]["open"], rows[-1]["overdue"]) == (n, n)
