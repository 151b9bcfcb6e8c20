from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gvalley.accounts.models import Role
from gvalley.core.exports import Sheet, xlsx_bytes
from gvalley.core.models import AccessLog, Job
from gvalley.directory import services
from gvalley.directory.models import Company
from tests.factories import CompanyFactory, ComplexFactory, IndustryFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_companies(n, **kw):
    out = []
    for i in range(n):
        c = CompanyFactory(name=f"반도체{i}기업", products="반도체장비", employees=10 + i, **kw)
        c.search_text = services.company_search_text(c)
        c.save()
        out.append(c)
    return out


@pytest.mark.parametrize("n", [1, 3])
def test_directory_renders_at_a_fixed_number_of_queries(client, queries, n):
    make_companies(n)
    client.get(reverse("directory:company_list"))  # fill the cache of filter choices
    with queries() as ctx:
        response = client.get(reverse("directory:company_list"), {"q": "반도체", "complex": 3})
    html = response.content.decode()
    assert html.count('href="/directory/companies/') == n
    assert (
        len(ctx.captured_queries) == 1
    )  # the page's companies; filtering and counting use the in-process index


@pytest.mark.parametrize("n", [1, 3])
def test_building_list_renders_at_a_fixed_number_of_queries(client, queries, n):
    make_companies(n)
    with queries() as ctx:
        html = client.get(reverse("directory:building_list")).content.decode()
    assert html.count('href="/directory/buildings/') == n
    assert len(ctx.captured_queries) == 2


@pytest.mark.parametrize("n", [1, 3])
def test_company_page_and_statistics_at_a_fixed_number_of_queries(client, queries, n):
    companies = make_companies(n)
    with queries() as ctx:
        html = client.get(reverse("directory:company_detail", args=[companies[0].pk])).content.decode()
    assert companies[0].business_number in html
    assert len(ctx.captured_queries) == 1
    with queries() as ctx:
        client.get(reverse("directory:statistics"))
    assert len(ctx.captured_queries) == 4


def test_htmx_requests_get_only_the_results(client):
    make_companies(2)
    html = client.get(
        reverse("directory:company_list"), {"q": "반도체"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in html and 'class="tbl col data"' in html


def test_results_page_in_english(client):
    make_companies(1)
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("directory:company_list")).content.decode()
    assert "1 company found" in html


def test_unknown_company_is_404(client):
    assert client.get(reverse("directory:company_detail", args=[999])).status_code == 404


def test_export_of_the_filtered_list_is_logged(client, login):
    make_companies(3)
    CompanyFactory(name="다른기업", products="의류", complex=ComplexFactory(number=1))
    user = UserFactory()
    login(user)
    response = client.get(reverse("directory:company_export"), {"q": "반도체"})
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][0] == "반도체0기업"
    log = AccessLog.objects.get()
    assert (log.actor, log.kind, log.record_count) == (user, "export", 3)


def test_export_needs_an_account(client):
    response = client.get(reverse("directory:company_export"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_statistics_xlsx_matches_the_page(client):
    make_companies(3)
    wb = load_workbook(io.BytesIO(client.get(reverse("directory:statistics_xlsx")).content))
    by_complex = list(wb.worksheets[0].iter_rows(values_only=True))
    assert by_complex[-1][1:3] == (3, 10 + 11 + 12)


def test_operator_imports_a_file_through_a_background_job(client, login):
    for n in (1, 2, 3):
        ComplexFactory(number=n)
    IndustryFactory(code="26299")
    login(UserFactory(roles=[Role.OPERATOR]))
    content = xlsx_bytes(
        [
            Sheet(
                "입주업체",
                ["업체명", "사업자등록번호", "대표자", "업종코드", "종업원수", "단지", "주소"],
                [["새기업", "220-81-62517", "김대표", "26299", 7, 3, "금천구"]],
            )
        ]
    )
    upload = SimpleUploadedFile("kicox.xlsx", content)
    response = client.post(reverse("directory:import"), {"file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED
    assert Company.objects.get().name == "새기업"
    html = client.get(response["Location"]).content.decode()
    assert 'value="100"' in html


def test_import_rejects_a_file_that_is_not_a_spreadsheet(client, login):
    login(UserFactory(roles=[Role.OPERATOR]))
    upload = SimpleUploadedFile("kicox.xlsx", b"MZ not really")
    response = client.post(reverse("directory:import"), {"file": upload})
    assert response.status_code == 200 and Job.objects.count() == 0
    assert 'aria-invalid="true"' in response.content.decode()


def test_import_is_for_the_operator_only(client, login):
    login(UserFactory(roles=[Role.COMPANY_REP]))
    assert client.get(reverse("directory:import")).status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_facility_list_renders_at_a_fixed_number_of_queries(client, queries, n):
    from gvalley.directory.models import SupportFacility

    complex_ = ComplexFactory(number=3)
    for i in range(n):
        SupportFacility.objects.create(name=f"어린이집{i}", kind="childcare", complex=complex_)
    with queries() as ctx:
        html = client.get(reverse("directory:facility_list")).content.decode()
    assert html.count('<th scope="row">어린이집') == n
    assert len(ctx.captured_queries) == 2
