"""Browser test of the export consultation: a buyer registers in English with a Jakarta time zone and states his
preferences; the organiser runs the scheduler, watches its progress and publishes; the buyer sees his agenda in
Jakarta time and downloads the .ics. axe-core checks every page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from icalendar import Calendar

from gvalley.accounts.models import Organisation, PrivacyNotice, Role, User
from gvalley.matchmaking import services
from gvalley.matchmaking.models import Buyer, Meeting, Preference
from tests.e2e.conftest import browser_login, check_accessibility, visit
from tests.factories import MembershipFactory, OrganisationFactory, PrivacyNoticeFactory, UserFactory
from tests.matchmaking.factories import EventFactory, InterpreterFactory, SellerFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def scheduler_clock(monkeypatch):
    """The factories' event is on 6 October 2021: the scheduler's clock stands before it (every slot to come)."""
    from gvalley.matchmaking import scheduling

    monkeypatch.setattr(scheduling, "clock", lambda: datetime(2021, 9, 24, tzinfo=UTC))


def test_buyer_registers_organiser_schedules_and_publishes_buyer_gets_his_agenda(page, settings):
    PrivacyNoticeFactory(purpose=PrivacyNotice.Purpose.ACCOUNT, version="1.0")
    PrivacyNoticeFactory(purpose=PrivacyNotice.Purpose.PROGRAMME, version="1.0")
    agency = OrganisationFactory(
        name="한국산업단지공단 서울지역본부", kind=Organisation.Kind.PUBLIC_ENTERPRISE
    )
    event = EventFactory(programme__operator=agency, recommendations=0)
    # one morning session with two slots: 10:00 and 10:40 Seoul (08:00 and 08:40 in Jakarta)
    services.session_add(
        actor=None,
        event=event,
        day=event.programme.starts_on,
        part="morning",
        starts=time(10),
        ends=time(11, 10),
    )
    sellers = [
        SellerFactory(event=event, company__name="한빛전자", company__name_en="Hanbit Electronics"),
        SellerFactory(event=event, company__name="누리메디칼", company__name_en="Nuri Medical"),
    ]
    InterpreterFactory(event=event, languages=["id", "ms", "en"])
    organiser = UserFactory(name="정민지")
    MembershipFactory(user=organiser, organisation=agency, role=Role.AGENCY_HANDLER)
    pk = event.programme_id

    # 1. The buyer registers in English with the Asia/Jakarta time zone.
    visit(page, f"/week/export-consultation/{pk}/")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Register as a foreign buyer").click()
    page.get_by_role("heading", name="Buyer registration").wait_for()
    check_accessibility(page)
    page.locator("#id_email").fill("siti@nusantara.example")
    page.locator("#id_name").fill("Siti Rahman")
    page.locator("#id_password1").fill("gasan-digital-2021")
    page.locator("#id_password2").fill("gasan-digital-2021")
    page.locator("label[for=id_agree_account]").click()
    page.locator("#id_company_name").fill("PT Nusantara Elektronik")
    page.get_by_label("Country").select_option("ID")
    page.get_by_label("Your time zone").select_option("Asia/Jakarta")
    page.get_by_label("Meeting language").select_option("id")
    page.get_by_label("Products you are looking for").fill("CCTV cameras and electronic parts")
    page.get_by_label("Yearly purchase volume (USD)").fill("1200000")
    page.locator("label[for=id_agree_programme]").click()
    page.get_by_role("button", name="Register").click()
    page.get_by_text("We sent a confirmation link to siti@nusantara.example").wait_for()
    check_accessibility(page)
    buyer = Buyer.objects.get(contact__email="siti@nusantara.example")
    assert buyer.timezone == "Asia/Jakarta"

    # 2. He confirms his address, logs in and states his preferences.
    link = re.search(r"https?://[^/\s]+(/accounts/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)
    visit(page, link)
    page.locator("#id_username").fill("siti@nusantara.example")
    page.locator("#id_password").fill("gasan-digital-2021")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    visit(page, f"/week/export-consultation/{pk}/")
    page.get_by_role("link", name="My registration as buyer: PT Nusantara Elektronik").click()
    page.get_by_role("link", name="Preferences", exact=True).click()
    page.get_by_role("heading", name="Preferences").wait_for()
    check_accessibility(page)
    page.get_by_label("Your preference for 한빛전자").select_option("must")
    page.get_by_label("Your preference for 누리메디칼").select_option("want")
    page.get_by_role("button", name="Save the preferences on this page").click()
    page.get_by_text("Preferences saved (2 set, 0 cleared).").wait_for()
    check_accessibility(page)
    assert dict(Preference.objects.filter(buyer=buyer).values_list("seller_id", "level")) == {
        sellers[0].pk: "must",
        sellers[1].pk: "want",
    }

    # 3. The organiser runs the scheduler (a queued background job), watches the progress and publishes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.context.clear_cookies()
    browser_login(page, organiser)
    visit(page, f"/week/export-consultation/{pk}/manage/schedule/")
    page.locator(f"form[action='/week/export-consultation/{pk}/manage/schedule/run/'] button").click()
    progress = page.locator("progress.gv-progress")
    progress.wait_for()
    assert progress.get_attribute("value") == "0"  # queued: the page polls the job
    check_accessibility(page)
    call_command("db_worker", "--batch", "--no-startup-delay")  # the background worker takes the job
    page.wait_for_function("document.querySelector('progress.gv-progress').value == 100")
    page.get_by_role("link", name="결과 보기").wait_for()
    check_accessibility(page)
    page.reload()
    assert Meeting.objects.filter(event=event, status="scheduled").count() == 2
    assert page.locator("table.mm-grid").get_by_text("PT Nusantara Elektronik × 한빛전자").count() == 1
    page.locator(f"form[action='/week/export-consultation/{pk}/manage/schedule/publish/'] button").click()
    page.wait_for_load_state("networkidle")
    check_accessibility(page)
    event.refresh_from_db()
    assert event.is_published

    # 4. The buyer sees his agenda in Jakarta time and downloads it as .ics.
    page.context.clear_cookies()
    browser_login(page, User.objects.get(email="siti@nusantara.example"))
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": page.base_url}]
    )
    visit(page, f"/week/export-consultation/{pk}/buyer/{buyer.pk}/agenda/")
    page.get_by_text("Times are in your time zone, Asia/Jakarta.").wait_for()
    times = page.locator("table time").all_inner_texts()
    assert sorted(t[-11:] for t in times) == ["08:00–08:30", "08:40–09:10"]  # 10:00 and 10:40 in Seoul
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the agenda (.ics)").click()
    content = Path(download.value.path()).read_bytes()
    starts = sorted(e.decoded("dtstart") for e in Calendar.from_ical(content).walk("VEVENT"))
    assert starts == [datetime(2021, 10, 6, 1, 0, tzinfo=UTC), datetime(2021, 10, 6, 1, 40, tzinfo=UTC)]
    page.get_by_role("link", name="Hanbit Electronics").click()
    page.get_by_text("https://meet.example.go.kr/gvalley-").first.wait_for()
    check_accessibility(page)


def test_every_page_of_the_consultation_passes_axe(page):
    """The organiser's pages, a meeting, and the participants' pages, in Korean and English."""
    PrivacyNoticeFactory(purpose=PrivacyNotice.Purpose.PROGRAMME, version="1.0")
    agency = OrganisationFactory(
        name="한국산업단지공단 서울지역본부", kind=Organisation.Kind.PUBLIC_ENTERPRISE
    )
    event = EventFactory(programme__operator=agency, recommendations=1)
    services.session_add(
        actor=None, event=event, day=event.programme.starts_on, part="morning", starts=time(10), ends=time(12)
    )
    from tests.matchmaking.factories import BuyerFactory

    buyer = BuyerFactory(event=event)
    seller = SellerFactory(event=event)
    interpreter = InterpreterFactory(event=event, languages=["id", "en"])
    Preference.objects.create(event=event, buyer=buyer, seller=seller, side="buyer", level="must")
    # the pair restricted to the morning: the pairs and schedule pages show it
    services.pair_session_set(actor=None, buyer=buyer, seller=seller, session="morning")
    m = services.meeting_add(actor=None, event=event, buyer=buyer, seller=seller, slot=event.slots.first())
    services.record_save(actor=None, meeting=m, products_discussed="CCTV", consultation_usd=120_000)
    services.schedule_publish(actor=None, event=event, notify=False)
    pk = event.programme_id
    operator = UserFactory(roles=[Role.OPERATOR])
    browser_login(page, operator)
    for path in [
        "/week/export-consultation/",
        f"/week/export-consultation/{pk}/",
        f"/week/export-consultation/{pk}/manage/",
        f"/week/export-consultation/{pk}/manage/registrations/",
        f"/week/export-consultation/{pk}/manage/registrations/?side=sellers",
        f"/week/export-consultation/{pk}/manage/pairs/",
        f"/week/export-consultation/{pk}/manage/recommendations/",
        f"/week/export-consultation/{pk}/manage/schedule/?who=buyer-{buyer.pk}",
        f"/week/export-consultation/{pk}/manage/outcomes/",
        f"/week/export-consultation/{pk}/statistics/",
        f"/week/export-consultation/meetings/{m.pk}/",
        f"/week/export-consultation/{pk}/interpreter/{interpreter.pk}/availability/",
        f"/week/export-consultation/{pk}/manage/interpreters/{interpreter.pk}/",
        # a participant's page with the organiser's minimum and maximum meetings
        f"/week/export-consultation/{pk}/buyer/{buyer.pk}/",
        f"/week/export-consultation/{pk}/seller/{seller.pk}/",
        f"/week/export-consultation/{pk}/companies/{seller.pk}/",
        f"/week/export-consultation/{pk}/buyers/{buyer.pk}/",
    ]:
        visit(page, path)
    page.context.clear_cookies()
    browser_login(page, seller.contact)
    for path in [
        f"/week/export-consultation/{pk}/seller/{seller.pk}/",
        f"/week/export-consultation/{pk}/seller/{seller.pk}/availability/",
        f"/week/export-consultation/{pk}/seller/{seller.pk}/preferences/",
        f"/week/export-consultation/{pk}/seller/{seller.pk}/agenda/",
        f"/week/export-consultation/meetings/{m.pk}/",
        f"/week/export-consultation/{pk}/register/company/",
    ]:
        visit(page, path)
    page.context.clear_cookies()
    browser_login(page, buyer.contact)
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": page.base_url}]
    )
    for path in [
        f"/week/export-consultation/{pk}/buyer/{buyer.pk}/",
        f"/week/export-consultation/{pk}/buyer/{buyer.pk}/availability/",
        f"/week/export-consultation/{pk}/buyer/{buyer.pk}/agenda/",
        f"/week/export-consultation/meetings/{m.pk}/",
    ]:
        visit(page, path)
    page.locator("label[for=id_rate-score_0]").click()
    page.get_by_role("button", name="Send the rating").click()
    page.get_by_text("Thank you for your rating.").wait_for()
    check_accessibility(page)
    assert list(m.ratings.values_list("side", "score")) == [("buyer", 5)]
