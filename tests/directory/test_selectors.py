from __future__ import annotations

import pytest

from gvalley.directory import services
from gvalley.directory.models import Building
from gvalley.directory.selectors import CompanyFilters, company_search, statistics
from tests.factories import BuildingFactory, CompanyFactory, ComplexFactory, IndustryFactory

pytestmark = pytest.mark.django_db


def make(name, products, **kw):
    company = CompanyFactory(name=name, products=products, **kw)
    company.search_text = services.company_search_text(company)
    company.save()
    return company


@pytest.fixture
def companies():
    c3 = ComplexFactory(number=3)
    c1 = ComplexFactory(number=1, name="1단지", district="구로구")
    sw = IndustryFactory(
        code="58222",
        name="응용 소프트웨어 개발 및 공급업",
        name_en="Application software",
        division="58",
        division_name="출판업",
        division_name_en="Publishing",
    )
    return {
        "chip": make("한빛반도체", "반도체장비업체 부품", complex=c3, employees=120),
        "park": make("누리주차", "주차장이 딸린 물류센터 운영", complex=c1, employees=5, industry=sw),
        "soft": make("가온소프트", "ERP 솔루션", complex=c3, employees=40, industry=sw, name_en="Gaon Soft"),
    }


def names(filters):
    return sorted(c.name for c in company_search(filters))


def test_a_korean_word_is_found_inside_compound_words(companies):
    assert names(CompanyFilters(q="반도체")) == ["한빛반도체"]
    assert names(CompanyFilters(q="장비")) == ["한빛반도체"]


def test_an_inflected_query_finds_the_stem_and_the_stem_finds_the_inflected_text(companies):
    assert names(CompanyFilters(q="주차")) == ["누리주차"]
    assert names(CompanyFilters(q="주차장이")) == ["누리주차"]


def test_english_names_are_searched_case_insensitively(companies):
    assert names(CompanyFilters(q="gaon")) == ["가온소프트"]
    assert names(CompanyFilters(q="ERP")) == ["가온소프트"]


def test_every_query_word_must_match(companies):
    assert names(CompanyFilters(q="반도체 ERP")) == []


def test_filters_combine(companies):
    assert names(CompanyFilters(complex=3)) == ["가온소프트", "한빛반도체"]
    assert names(CompanyFilters(division="58")) == ["가온소프트", "누리주차"]
    assert names(CompanyFilters(division="58", complex=1)) == ["누리주차"]
    assert names(CompanyFilters(size="medium")) == ["한빛반도체"]
    assert names(CompanyFilters(size="micro")) == ["누리주차"]
    building = companies["chip"].building
    assert names(CompanyFilters(building=building.pk)) == ["한빛반도체"]


def test_sorting_by_employees(companies):
    assert [c.name for c in company_search(CompanyFilters(sort="-employees"))] == [
        "한빛반도체",
        "가온소프트",
        "누리주차",
    ]


def test_statistics_are_computed_from_the_records(companies):
    c3 = ComplexFactory(number=3)
    BuildingFactory(complex=c3, status=Building.Status.UNDER_CONSTRUCTION)
    BuildingFactory(complex=ComplexFactory(number=2), status=Building.Status.NOT_STARTED)
    stats = statistics()
    assert stats["totals"]["company_count"] == 3
    assert stats["totals"]["employee_count"] == 165
    assert stats["totals_23"] == {"company_count": 2, "employee_count": 160}
    # three built buildings (one per company, from the factories) + one under construction + one not started
    assert stats["kic_23"] == {"built": 2, "construction": 1, "not_started": 1}
    assert stats["kic"][1] == {"built": 1, "construction": 0, "not_started": 0}
    assert [(r["industry__division"], r["company_count"]) for r in stats["industries"]] == [
        ("58", 2),
        ("26", 1),
    ]


def test_statistics_follow_changes_made_through_services(companies):
    assert statistics()["totals"]["employee_count"] == 165
    services.company_update(actor=None, company=companies["park"], employees=15)
    services.bump_statistics()
    assert statistics()["totals"]["employee_count"] == 175


def test_reindex_rebuilds_the_search_text(companies):
    from gvalley.directory.models import Company

    Company.objects.update(search_text="")
    assert services.company_reindex_all(actor=None) == 3
    assert names(CompanyFilters(q="반도체")) == ["한빛반도체"]


@pytest.mark.parametrize(
    "filters",
    [
        CompanyFilters(),
        CompanyFilters(q="반도체"),
        CompanyFilters(q="주차장이"),
        CompanyFilters(q="gaon"),
        CompanyFilters(q="반도체 ERP"),
        CompanyFilters(complex=3),
        CompanyFilters(division="58", complex=1),
        CompanyFilters(size="micro"),
        CompanyFilters(size="medium"),
        CompanyFilters(sort="-employees"),
        CompanyFilters(sort="employees", complex=3),
    ],
)
def test_the_in_process_index_gives_the_same_page_as_the_database(companies, filters):
    from gvalley.directory.selectors import company_search_page

    expected = [c.pk for c in company_search(filters)]
    page = company_search_page(filters)
    assert page.ids == expected
    assert [c.pk for c in page[0:2]] == expected[:2]


def test_the_index_follows_a_change_made_through_a_service(companies):
    from gvalley.directory.selectors import company_search_page

    assert len(company_search_page(CompanyFilters(q="반도체"))) == 1
    services.company_update(actor=None, company=companies["soft"], products="반도체 설계 소프트웨어")
    services.bump_statistics()
    assert len(company_search_page(CompanyFilters(q="반도체"))) == 2
