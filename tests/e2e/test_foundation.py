"""Browser tests of the foundation: sign-up, the import with its progress bar, the directory search."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command

from gvalley.accounts.models import Role, User
from gvalley.core.exports import Sheet, xlsx_bytes
from gvalley.directory import services
from gvalley.directory.models import Company
from tests.e2e.conftest import browser_login, check_accessibility, visit
from tests.factories import CompanyFactory, ComplexFactory, IndustryFactory, PrivacyNoticeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_confirm_and_log_in(page):
    PrivacyNoticeFactory(version="1.0")
    visit(page, "/accounts/signup/")
    page.locator("#id_email").fill("new.worker@example.com")
    page.locator("#id_name").fill("김근로")
    page.locator("#id_password1").fill("gasan-digital-2021")
    page.locator("#id_password2").fill("gasan-digital-2021")
    page.locator("label[for=id_agree_account]").click()
    assert page.locator("#id_agree_account").is_checked()
    page.get_by_role("button", name="회원가입").click()
    page.get_by_text("new.worker@example.com").wait_for()
    check_accessibility(page)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)
    visit(page, link)  # redirects to the log-in page with a message
    page.get_by_text("이메일 주소가 인증되었습니다").wait_for()
    page.locator("#id_username").fill("new.worker@example.com")
    page.locator("#id_password").fill("gasan-digital-2021")
    page.get_by_role("button", name="로그인").click()
    page.get_by_role("link", name="김근로").wait_for()
    check_accessibility(page)
    assert User.objects.get(email="new.worker@example.com").is_active
    # the new member changes the password from the account page
    visit(page, "/accounts/profile/")
    page.get_by_role("link", name="비밀번호 변경").click()
    page.locator("#id_old_password").fill("gasan-digital-2021")
    page.locator("#id_new_password1").fill("guro-digital-2026")
    page.locator("#id_new_password2").fill("guro-digital-2026")
    check_accessibility(page)
    page.get_by_role("button", name="새 비밀번호 저장").click()
    page.get_by_text("비밀번호가 변경되었습니다.").wait_for()
    assert User.objects.get(email="new.worker@example.com").check_password("guro-digital-2026")


def test_operator_imports_a_file_and_watches_the_progress_bar(page, tmp_path, settings):
    for n in (1, 2, 3):
        ComplexFactory(number=n)
    IndustryFactory(code="26299")
    operator = UserFactory(roles=[Role.OPERATOR])
    browser_login(page, operator)
    rows = [[f"진행테스트{i}", f"{i:03d}81{i:04d}", "홍길동", "26299", 5, 3, "금천구"] for i in range(1, 40)]
    from gvalley.engines import bizno

    for row in rows:
        row[1] = bizno.complete(row[1])
    path = tmp_path / "kicox.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                Sheet(
                    "입주업체",
                    ["업체명", "사업자등록번호", "대표자", "업종코드", "종업원수", "단지", "주소"],
                    rows,
                )
            ]
        )
    )
    # the import is queued for the background worker, as in production (not run inside the request)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    visit(page, "/directory/import/")
    page.get_by_label("파일(.xlsx 또는 .csv)").set_input_files(str(path))
    page.get_by_role("button", name="등록 시작").click()
    progress = page.locator("progress.gv-progress")
    progress.wait_for()
    assert progress.get_attribute("value") == "0"  # queued: the page polls the job
    assert Company.objects.count() == 0
    check_accessibility(page)
    call_command("db_worker", "--batch", "--no-startup-delay")  # the worker takes the job
    page.wait_for_function("document.querySelector('progress.gv-progress').value == 100")
    assert Company.objects.count() == 39
    page.get_by_text("기업 39건 등록").wait_for()
    check_accessibility(page)


def test_a_visitor_searches_the_directory_in_korean_and_in_english(page):
    industry = IndustryFactory(
        code="26299", name="그 외 기타 전자부품 제조업", name_en="Other electronic components"
    )
    for name, name_en, products in [
        ("한빛반도체", "Hanbit Semiconductor", "반도체장비 부품"),
        ("누리소프트", "Nuri Soft", "ERP 솔루션"),
    ]:
        c = CompanyFactory(name=name, name_en=name_en, products=products, industry=industry)
        c.search_text = services.company_search_text(c)
        c.save()
    visit(page, "/directory/")
    page.get_by_role("textbox", name="검색").fill("반도체")
    page.get_by_role("button", name="검색").click()
    page.get_by_text("기업 1곳").wait_for()
    assert page.get_by_role("link", name="한빛반도체").is_visible()
    assert page.get_by_role("link", name="누리소프트").count() == 0
    check_accessibility(page)
    # Switch to English and search an English word.
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("textbox", name="Search").fill("nuri")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("1 company found").wait_for()
    assert page.get_by_role("link", name="Nuri Soft").is_visible()
    check_accessibility(page)
