from __future__ import annotations

import pytest

from gvalley.core.exports import Sheet, csv_bytes, xlsx_bytes
from gvalley.core.models import AuditLog, Job
from gvalley.core.services import job_create
from gvalley.directory import services
from gvalley.directory.models import Building, Company
from tests.factories import BuildingFactory, CompanyFactory, ComplexFactory, IndustryFactory

pytestmark = pytest.mark.django_db

BUILDING_HEADERS = ["건물명", "단지", "상태", "주소", "준공연도", "층수"]
COMPANY_HEADERS = [
    "업체명",
    "사업자등록번호",
    "대표자",
    "업종코드",
    "종업원수",
    "단지",
    "입주건물",
    "주소",
    "생산품",
    "홈페이지",
    "생산액(백만원)",
    "수출액(천달러)",
]


@pytest.fixture(autouse=True)
def world():
    for n in (1, 2, 3):
        ComplexFactory(number=n)
    IndustryFactory(code="26299")
    IndustryFactory(
        code="58222", name="응용 소프트웨어 개발 및 공급업", division="58", division_name="출판업"
    )


def company_row(name, number, building="가산신축타워", **kw):
    row = {
        "업체명": name,
        "사업자등록번호": number,
        "대표자": "홍길동",
        "업종코드": "26299",
        "종업원수": "25",
        "단지": "3",
        "입주건물": building,
        "주소": "서울특별시 금천구 가산디지털1로 1",
        "생산품": "반도체장비 부품",
        "홈페이지": "example.com",
        "생산액(백만원)": "1,200",
        "수출액(천달러)": "30",
    }
    row.update(kw)
    return [row[h] for h in COMPANY_HEADERS]


def run_import(content, filename, update_existing=False):
    job = job_create(kind="directory.import", title="t")
    services.directory_import(
        actor=None, job=job, content=content, filename=filename, update_existing=update_existing
    )
    job.refresh_from_db()
    return job


def test_a_good_workbook_creates_buildings_and_companies():
    content = xlsx_bytes(
        [
            Sheet(
                "지식산업센터",
                BUILDING_HEADERS,
                [
                    ["가산신축타워", "3단지", "준공", "금천구 가산동 1", 2017, 20],
                    ["가산공사중타워", "3", "건설중", "", "", ""],
                ],
            ),
            Sheet(
                "입주업체",
                COMPANY_HEADERS,
                [
                    company_row("한빛전자(주)", "220-81-62517"),
                    company_row("누리소프트", "1248100998", building="", **{"업종코드": "58222"}),
                ],
            ),
        ]
    )
    job = run_import(content, "kicox.xlsx")
    assert job.status == Job.Status.SUCCEEDED, job.errors
    assert job.result == {
        "buildings_created": 2,
        "buildings_updated": 0,
        "companies_created": 2,
        "companies_updated": 0,
    }
    tower = Building.objects.get(name="가산신축타워")
    assert (tower.status, tower.completion_year, tower.complex.number) == ("built", 2017, 3)
    company = Company.objects.get(business_number="220-81-62517")
    assert (company.building, company.employees, company.production_million_krw, company.website) == (
        tower,
        25,
        1200,
        "https://example.com",
    )
    assert "반도체" in company.search_text
    assert Company.objects.get(business_number="124-81-00998").building is None
    assert AuditLog.objects.filter(action="company.import").count() == 2


def test_every_bad_row_is_reported_and_nothing_is_written():
    BuildingFactory(name="기존타워", complex=ComplexFactory(number=3))
    CompanyFactory(business_number="104-81-43125")
    rows = [
        company_row("정상기업", "220-81-62517", building="기존타워"),  # row 2: fine
        company_row("", "220-81-62518", building="기존타워"),  # row 3: missing name, bad check digit
        company_row("중복기업", "220-81-62517", building="기존타워"),  # row 4: duplicate in the file
        company_row("이미있는기업", "104-81-43125", building="기존타워"),  # row 5: already registered
        company_row("건물없음", "124-81-00998", building="없는타워"),  # row 6: unknown building
        company_row(
            "숫자오류", "2208162517", building="기존타워", **{"종업원수": "스물"}
        ),  # row 7: dup + employees
    ]
    before = (Company.objects.count(), Building.objects.count(), AuditLog.objects.count())
    job = run_import(csv_bytes(COMPANY_HEADERS, rows), "export.csv")
    assert job.status == Job.Status.FAILED
    found = {(e["row"], e["field"]) for e in job.errors}
    assert found == {
        (3, "name"),
        (3, "business_number"),
        (4, "business_number"),
        (5, "business_number"),
        (6, "building"),
        (7, "business_number"),
        (7, "employees"),
    }
    messages = {(e["row"], e["field"]): e["message"] for e in job.errors}
    assert "check digit" in messages[(3, "business_number")] or "검증" in messages[(3, "business_number")]
    assert "2" in messages[(4, "business_number")]
    assert (Company.objects.count(), Building.objects.count()) == before[:2]
    assert AuditLog.objects.filter(action__endswith=".import").count() == 0


def test_existing_companies_are_updated_when_asked():
    building = BuildingFactory(name="기존타워", complex=ComplexFactory(number=3))
    CompanyFactory(business_number="104-81-43125", employees=3, building=building)
    job = run_import(
        csv_bytes(COMPANY_HEADERS, [company_row("바뀐이름", "104-81-43125", building="기존타워")]),
        "export.csv",
        update_existing=True,
    )
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["companies_updated"] == 1
    company = Company.objects.get(business_number="104-81-43125")
    assert (company.name, company.employees) == ("바뀐이름", 25)


def test_a_csv_in_cp949_is_read():
    content = csv_bytes(COMPANY_HEADERS, [company_row("한글기업", "220-81-62517", building="")]).decode(
        "utf-8-sig"
    )
    job = run_import(content.encode("cp949"), "kicox.csv")
    assert job.status == Job.Status.SUCCEEDED, job.errors
    assert Company.objects.get().name == "한글기업"


def test_a_file_in_another_format_is_refused():
    job = run_import(csv_bytes(["a", "b"], [[1, 2]]), "other.csv")
    assert job.status == Job.Status.FAILED and job.errors[0]["row"] == 1
    job = run_import(b"not a zip", "broken.xlsx")
    assert job.status == Job.Status.FAILED
