from __future__ import annotations

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from gvalley.accounts.models import PrivacyNotice, Role
from gvalley.core.models import AccessLog
from gvalley.matchmaking import services
from gvalley.matchmaking.models import (
    Availability,
    Buyer,
    ConsultationRecord,
    Meeting,
    PairSession,
    Preference,
    ScheduleRun,
)
from tests.factories import CompanyFactory, PrivacyNoticeFactory, UserFactory
from tests.matchmaking.factories import BuyerFactory, EventFactory, SellerFactory, add_sessions

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
DAY = date(2021, 10, 6)


def url(name, *args):
    return reverse(f"matchmaking:{name}", args=args)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def meeting(world, b=0, s=0, number=1, interpreter=0, **extra) -> Meeting:
    slot = world.event.slots.get(number=number)
    return Meeting.objects.create(
        event=world.event,
        buyer=world.buyers[b],
        seller=world.sellers[s],
        slot=slot,
        room=1 + Meeting.objects.filter(slot=slot).count(),
        interpreter=world.interpreters[interpreter],
        **extra,
    )


def publish(world):
    world.event.schedule_status = "published"
    world.event.save()


def test_programme_page_shows_the_event_and_the_registration_links(client, world):
    html = client.get(url("programme", world.pk)).content.decode()
    assert "해외 바이어로 신청" in html
    assert url("buyer_register", world.pk) in html
    assert ">3</span>" in html  # buyers
    english(client)
    html = client.get(url("programme", world.pk)).content.decode()
    assert "Register as a foreign buyer" in html


def test_week_programme_page_links_to_the_consultation(client, world):
    programme = world.event.programme
    html = client.get(programme.get_absolute_url()).content.decode()
    assert f'href="{url("programme", world.pk)}"' in html


def test_a_visitor_registers_as_buyer_in_english(client, world):
    PrivacyNoticeFactory(purpose=PrivacyNotice.Purpose.ACCOUNT)
    english(client)
    form = {
        "email": "siti@nusantara.example",
        "name": "Siti",
        "password1": "gasan-digital-2021",
        "password2": "gasan-digital-2021",
        "agree_account": "on",
        "company_name": "PT Nusantara",
        "country": "ID",
        "timezone": "Asia/Jakarta",
        "language": "id",
        "products_sought": "CCTV cameras",
        "purchase_volume_usd": "100000",
        "agree_programme": "on",
    }
    bad = client.post(url("buyer_register", world.pk), {**form, "timezone": "Asia/Atlantis"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    assert Buyer.objects.filter(contact__email="siti@nusantara.example").count() == 0
    response = client.post(url("buyer_register", world.pk), form)
    assert response.status_code == 200
    assert "We sent a confirmation link to siti@nusantara.example" in response.content.decode()
    buyer = Buyer.objects.get(contact__email="siti@nusantara.example")
    assert (buyer.timezone, buyer.contact.timezone, buyer.language) == ("Asia/Jakarta", "Asia/Jakarta", "id")


def test_registration_closed_page(client, world):
    from datetime import timedelta

    from django.utils import timezone

    world.event.registration_closes_at = timezone.now() - timedelta(days=1)
    world.event.save()
    response = client.get(url("buyer_register", world.pk))
    assert response.status_code == 403
    assert "참가 신청을 할 수 없습니다" in response.content.decode()


def test_a_company_representative_registers_his_company(client, login, world):
    company = CompanyFactory(products="LED 조명", products_en="LED lighting")
    rep = UserFactory()
    from gvalley.directory.services import company_add_representative

    company_add_representative(actor=None, company=company, user=rep)
    login(rep)
    page = client.get(url("company_register", world.pk)).content.decode()
    assert "LED 조명" in page
    response = client.post(
        url("company_register", world.pk), {"company": company.pk, "agree_programme": "on"}
    )
    seller = world.event.sellers.get(company=company)
    assert response.url == url("preferences", world.pk, "seller", seller.pk)
    assert seller.products == "LED 조명"


def test_preferences_page_saves_the_rows_shown(client, login, world):
    buyer = world.buyers[0]
    login(buyer.contact)
    page = client.get(url("preferences", world.pk, "buyer", buyer.pk)).content.decode()
    for seller in world.sellers:
        assert f'name="pref-{seller.pk}"' in page
    s0, s1 = world.sellers[0], world.sellers[1]
    response = client.post(
        url("preferences", world.pk, "buyer", buyer.pk),
        {"row": [s0.pk, s1.pk], f"pref-{s0.pk}": "must", f"pref-{s1.pk}": "no"},
    )
    assert response.status_code == 302
    assert dict(Preference.objects.filter(buyer=buyer).values_list("seller_id", "level")) == {
        s0.pk: "must",
        s1.pk: "no",
    }


def test_a_company_sees_its_own_preferences_only(client, login, world):
    s0, s1 = world.sellers[0], world.sellers[1]
    b0 = world.buyers[0]
    Preference.objects.create(event=world.event, buyer=b0, seller=s1, side="seller", level="must")
    Preference.objects.create(event=world.event, buyer=b0, seller=s0, side="buyer", level="no")
    Preference.objects.create(event=world.event, buyer=b0, seller=s0, side="organiser", level="must")
    login(s0.contact)
    page = client.get(url("preferences", world.pk, "seller", s0.pk)).content.decode()
    assert "selected>반드시 만나고 싶음" not in page and "selected>Must meet" not in page
    assert client.get(url("preferences", world.pk, "seller", s1.pk)).status_code == 403
    assert client.get(url("pairs", world.pk)).status_code == 403


def test_bad_availability_shows_the_error_and_keeps_the_old_rows(client, login, world):
    buyer = world.buyers[0]
    login(buyer.contact)
    english(client)
    services.availability_set(actor=None, owner=buyer, intervals=[(DAY, time(8), time(12))])
    data = {
        "av-TOTAL_FORMS": "2",
        "av-INITIAL_FORMS": "0",
        "av-0-day": "2021-10-06",
        "av-0-starts": "08:00",
        "av-0-ends": "10:00",
        "av-1-day": "2021-10-06",
        "av-1-starts": "09:30",
        "av-1-ends": "11:00",
    }
    response = client.post(url("availability", world.pk, "buyer", buyer.pk), data)
    assert response.status_code == 200
    assert "Two of the times overlap" in response.content.decode()
    assert list(Availability.objects.filter(buyer=buyer).values_list("starts_at", flat=True)) == [
        datetime(2021, 10, 6, 10, tzinfo=SEOUL)
    ]
    data["av-1-starts"], data["av-1-ends"] = "10:00", "11:00"
    assert client.post(url("availability", world.pk, "buyer", buyer.pk), data).status_code == 302
    assert Availability.objects.filter(buyer=buyer).count() == 2


def test_agenda_in_the_buyers_time_zone_with_video_link_and_ics(client, login, world):
    m = meeting(world, number=1)
    buyer = world.buyers[0]
    login(buyer.contact)
    assert client.get(url("agenda", world.pk, "buyer", buyer.pk)).status_code == 403  # not published yet
    publish(world)
    html = client.get(url("agenda", world.pk, "buyer", buyer.pk)).content.decode()
    assert (
        '<time datetime="2021-10-06T08:00:00+07:00">2021-10-06 (수요일) 08:00–08:30</time>' in html
    )  # Jakarta
    assert f"https://meet.example.go.kr/gvalley-{world.event.pk}-{m.pk}" in html
    response = client.get(url("agenda_ics", world.pk, "buyer", buyer.pk))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert event.decoded("dtstart") == datetime(2021, 10, 6, 1, 0, tzinfo=ZoneInfo("UTC"))
    assert str(event["url"]) == m.video_url
    assert client.get(url("agenda", world.pk, "buyer", world.buyers[1].pk)).status_code == 403


def test_interpreter_sees_his_assigned_sessions(client, login, world):
    meeting(world, number=1, interpreter=0)
    meeting(world, b=1, s=1, number=2, interpreter=1)
    publish(world)
    login(world.interpreters[0].user)
    html = client.get(url("agenda", world.pk, "interpreter", world.interpreters[0].pk)).content.decode()
    assert world.buyers[0].name in html
    assert world.buyers[1].name not in html
    assert client.get(url("agenda", world.pk, "interpreter", world.interpreters[1].pk)).status_code == 403


def test_organiser_runs_the_scheduler_and_publishes(client, login, world):
    Preference.objects.create(
        event=world.event, buyer=world.buyers[0], seller=world.sellers[0], side="buyer", level="must"
    )
    world.event.recommendations = 0
    world.event.save()
    login(world.handler)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url("schedule_run", world.pk))
    assert response.url == url("schedule", world.pk)
    run = ScheduleRun.objects.get()
    assert (run.status, run.scheduled_meetings) == ("optimal", 1)
    page = client.get(url("schedule", world.pk)).content.decode()
    assert f'id="job-{run.job_id}"' in page
    assert world.buyers[0].name in page
    client.post(url("schedule_publish", world.pk))
    world.event.refresh_from_db()
    assert world.event.is_published
    assert client.get(url("schedule", world.pk)).status_code == 200
    login(world.other_handler)
    assert client.get(url("schedule", world.pk)).status_code == 403


def test_a_move_into_an_occupied_slot_is_refused_with_a_message(client, login, world):
    m = meeting(world, number=1)
    meeting(world, s=1, number=2)
    login(world.operator)
    english(client)
    slot2 = world.event.slots.get(number=2)
    response = client.post(url("meeting_move", m.pk), {"mv-slot": slot2.pk}, follow=True)
    assert f"{world.buyers[0].name} already has a meeting in this slot." in response.content.decode()
    m.refresh_from_db()
    assert m.slot.number == 1


def test_record_and_rate_from_the_meeting_page(client, login, world):
    m = meeting(world, number=1)
    publish(world)
    login(world.buyers[0].contact)
    assert 'name="rate-score"' not in client.get(url("meeting", m.pk)).content.decode()  # not held yet
    login(world.sellers[0].contact)
    response = client.post(
        url("meeting_record", m.pk),
        {
            "rec-products_discussed": "CCTV",
            "rec-consultation_usd": "50000",
            "rec-expected_contract_usd": "10000",
            "rec-follow_up": "samples",
        },
    )
    assert response.status_code == 302
    assert ConsultationRecord.objects.get(meeting=m).consultation_usd == 50_000
    login(world.buyers[0].contact)
    assert 'name="rate-score"' in client.get(url("meeting", m.pk)).content.decode()
    client.post(url("meeting_rate", m.pk), {"rate-score": "5"})
    assert list(m.ratings.values_list("side", "score")) == [("buyer", 5)]
    assert client.post(url("meeting_record", m.pk), {"rec-products_discussed": "x"}).status_code == 403


def test_statistics_from_the_records_and_xlsx_export(client, login, world):
    m1 = meeting(world, number=1)
    m2 = meeting(world, b=1, s=1, number=1, interpreter=1)
    services.record_save(actor=None, meeting=m1, products_discussed="a", consultation_usd=1_000_000)
    services.record_save(actor=None, meeting=m2, products_discussed="b", consultation_usd=594_000)
    html = client.get(url("statistics", world.pk)).content.decode()
    assert 'id="mm-consultations">2<' in html
    assert 'id="mm-amount">1,594,000<' in html
    assert client.get(url("statistics_xlsx", world.pk)).status_code == 302  # log in first
    login(world.operator)
    response = client.get(url("statistics_xlsx", world.pk))
    wb = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert list(summary.values())[:2] == [2, 1_594_000]
    assert len(list(wb.worksheets[4].iter_rows(min_row=2))) == 2
    assert AccessLog.objects.filter(kind="export", record_count=2).count() == 1


def test_registrations_are_masked_until_unmasked_with_a_log(client, login, world):
    login(world.operator)
    email = world.buyers[0].contact.email
    assert email not in client.get(url("registrations", world.pk)).content.decode()
    assert AccessLog.objects.count() == 0
    assert email in client.get(url("registrations", world.pk) + "?unmask=1").content.decode()
    assert AccessLog.objects.filter(kind="unmask", record_count=3).count() == 1


# --- Fixed numbers of queries -------------------------------------------------------------------------------


def build(n: int):
    event = EventFactory()
    add_sessions(event, days=1, afternoon=None)
    buyers = [BuyerFactory(event=event) for _ in range(n)]
    sellers = [SellerFactory(event=event) for _ in range(n)]
    from tests.matchmaking.factories import InterpreterFactory

    interpreters = [InterpreterFactory(event=event) for _ in range(n)]
    slot = event.slots.first()
    meetings = []
    for i in range(n):
        m = Meeting.objects.create(
            event=event,
            buyer=buyers[i],
            seller=sellers[i],
            slot=slot,
            room=i + 1,
            interpreter=interpreters[i],
        )
        Preference.objects.create(event=event, buyer=buyers[i], seller=sellers[i], side="buyer", level="want")
        PairSession.objects.create(event=event, buyer=buyers[i], seller=sellers[i], part="morning")
        services.record_save(actor=None, meeting=m, products_discussed="x", consultation_usd=1000 * (i + 1))
        meetings.append(m)
    # buyer 0 meets every company: his agenda (and the interpreter's) has n meetings, one per slot
    for i in range(1, n):
        Meeting.objects.create(
            event=event,
            buyer=buyers[0],
            seller=sellers[i],
            slot=event.slots.get(number=i + 1),
            room=1,
            interpreter=interpreters[0],
        )
    event.schedule_status = "published"
    event.save()
    return event, buyers, sellers, interpreters


def count(client, queries, path):
    with queries() as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize(
    "page",
    [
        "registrations",
        "registrations_sellers",
        "pairs",
        "outcomes",
        "schedule",
        "statistics",
        "preferences",
        "agenda",
    ],
)
def test_pages_run_a_fixed_number_of_queries(client, login, queries, page):
    results = []
    for n in (1, 3):
        event, buyers, sellers, _i = build(n)
        pk = event.programme_id
        operator = UserFactory(roles=[Role.OPERATOR])
        who = operator if page not in ("preferences", "agenda") else buyers[0].contact
        login(who)
        path = {
            "registrations": url("registrations", pk),
            "registrations_sellers": url("registrations", pk) + "?side=sellers",
            "pairs": url("pairs", pk),
            "outcomes": url("outcomes", pk),
            "schedule": url("schedule", pk),
            "statistics": url("statistics", pk),
            "preferences": url("preferences", pk, "buyer", buyers[0].pk),
            "agenda": url("agenda", pk, "buyer", buyers[0].pk),
        }[page]
        number, html = count(client, queries, path)
        results.append(number)
        if page in ("registrations", "pairs", "outcomes", "schedule"):
            assert html.count(buyers[-1].name) >= 1
        if page == "pairs":  # every pair is restricted to the morning
            assert html.count('<span class="gv-badge gv-badge-warning">오전만</span>') == n
        if page == "schedule":
            assert html.count("<td>오전만</td>") == n
        if page == "agenda":  # the buyer's agenda lists n meetings
            assert html.count('href="/week/export-consultation/meetings/') == n
    assert results[0] == results[1], f"{page}: {results}"


def test_home_lists_events_in_a_fixed_number_of_queries(client, queries):
    numbers = []
    for n in (1, 3):
        for i in range(n if not numbers else 2):
            EventFactory(
                programme__edition__year=2000 + len(numbers) * 10 + i,
                programme__edition__number=50 + i + len(numbers) * 10,
            )
        with queries() as ctx:
            html = client.get(url("home")).content.decode()
        numbers.append(len(ctx.captured_queries))
        assert html.count("/week/export-consultation/") >= n
    assert numbers[0] == numbers[1]


def test_a_company_withdraws_and_its_meetings_are_cancelled(client, login, world):
    m = meeting(world, number=1)
    seller = world.sellers[0]
    login(world.sellers[1].contact)
    assert client.post(url("withdraw", world.pk, "seller", seller.pk)).status_code == 403
    login(seller.contact)
    response = client.post(url("withdraw", world.pk, "seller", seller.pk))
    assert response.url == url("participant", world.pk, "seller", seller.pk)
    m.refresh_from_db()
    seller.refresh_from_db()
    assert (m.status, seller.withdrawn_at is not None) == ("cancelled", True)


def test_pair_decisions_redirect_only_within_the_site(client, login, world):
    login(world.operator)
    data = {"buyer": world.buyers[0].pk, "seller": world.sellers[0].pk, "level": "must"}
    response = client.post(url("pair_decide", world.pk), {**data, "next": "https://evil.example/"})
    assert response.url == url("pairs", world.pk)
    response = client.post(url("pair_decide", world.pk), {**data, "next": url("pairs", world.pk) + "?page=2"})
    assert response.url == url("pairs", world.pk) + "?page=2"
    assert Preference.objects.get(side="organiser").level == "must"


def test_a_buyer_sees_the_companies_and_his_own_profile_never_another_buyers(client, login, world):
    mine, other = world.buyers[0], world.buyers[1]
    login(mine.contact)
    assert client.get(url("buyer_profile", world.pk, other.pk)).status_code == 403
    assert client.get(url("buyer_profile", world.pk, mine.pk)).status_code == 200
    assert client.get(url("seller_profile", world.pk, world.sellers[0].pk)).status_code == 200
    login(world.sellers[0].contact)
    html = client.get(url("buyer_profile", world.pk, other.pk)).content.decode()
    assert other.products_sought in html
    login(world.interpreters[0].user)
    assert client.get(url("buyer_profile", world.pk, other.pk)).status_code == 403


def test_a_held_meeting_is_neither_moved_nor_cancelled_from_its_page(client, login, world):
    m = meeting(world, number=1)
    services.record_save(actor=None, meeting=m, products_discussed="CCTV", consultation_usd=50_000)
    login(world.operator)
    english(client)
    page = client.get(url("meeting", m.pk)).content.decode()
    assert 'name="mv-slot"' not in page
    assert "it can no longer be moved or cancelled" in page
    response = client.post(url("meeting_cancel", m.pk), {"cx-reason": "x"}, follow=True)
    assert (
        "This meeting took place (its attendance or consultation record is entered); it cannot be cancelled."
        in response.content.decode()
    )
    m.refresh_from_db()
    assert m.status == "scheduled"


def test_cancelling_a_meeting_excludes_the_pair_and_says_so(client, login, world):
    m = meeting(world, number=1)
    login(world.operator)
    english(client)
    response = client.post(url("meeting_cancel", m.pk), {"cx-reason": "buyer ill"}, follow=True)
    assert "re-optimisation will not schedule it again" in response.content.decode()
    decision = Preference.objects.get(side="organiser")
    assert (decision.buyer, decision.seller, decision.level) == (world.buyers[0], world.sellers[0], "no")


def test_participants_see_a_reoptimised_schedule_once_it_is_published_again(client, login, world):
    Preference.objects.create(
        event=world.event, buyer=world.buyers[0], seller=world.sellers[0], side="buyer", level="must"
    )
    world.event.recommendations = 0
    world.event.save()
    run = services.schedule_request(actor=world.operator, event=world.event, enqueue=False)
    services.schedule_execute(run=run, deterministic=True, time_limit=5)
    services.schedule_publish(actor=world.operator, event=world.event, notify=False)
    buyer = world.buyers[0]
    login(buyer.contact)
    assert client.get(url("agenda", world.pk, "buyer", buyer.pk)).status_code == 200
    # the organiser fixes another pair and re-optimises: the change is not shown until he publishes again
    services.pair_decide(actor=world.operator, buyer=buyer, seller=world.sellers[1], level="must")
    run = services.schedule_request(actor=world.operator, event=world.event, kind="reoptimise", enqueue=False)
    services.schedule_execute(run=run, deterministic=True, time_limit=5)
    assert client.get(url("agenda", world.pk, "buyer", buyer.pk)).status_code == 403
    assert client.get(url("agenda_ics", world.pk, "buyer", buyer.pk)).status_code == 403
    login(world.operator)
    english(client)
    assert "provisional again" in client.get(url("schedule", world.pk)).content.decode()
    client.post(url("schedule_publish", world.pk))
    login(buyer.contact)
    html = client.get(url("agenda", world.pk, "buyer", buyer.pk)).content.decode()
    assert html.count('href="/week/export-consultation/meetings/') == 2


def test_organiser_edits_and_removes_an_interpreter(client, login, world):
    interpreter = world.interpreters[0]
    login(world.operator)
    english(client)
    setup = client.get(url("setup", world.pk)).content.decode()
    assert url("interpreter_edit", world.pk, interpreter.pk) in setup
    assert url("interpreter_remove", world.pk, interpreter.pk) in setup
    page = client.get(url("interpreter_edit", world.pk, interpreter.pk))
    assert page.status_code == 200
    bad = client.post(url("interpreter_edit", world.pk, interpreter.pk), {"in-max_consecutive": "3"})
    assert "This field is required." in bad.content.decode()
    response = client.post(
        url("interpreter_edit", world.pk, interpreter.pk),
        {"in-languages": ["id", "th"], "in-max_consecutive": "3"},
    )
    assert response.url == url("setup", world.pk)
    interpreter.refresh_from_db()
    assert (interpreter.languages, interpreter.max_consecutive) == (["id", "th"], 3)
    # the only Vietnamese interpreter has a meeting nobody else can take: refused with the reason
    m = meeting(world, b=1, number=4, interpreter=1)
    response = client.post(url("interpreter_remove", world.pk, world.interpreters[1].pk), follow=True)
    assert "no other interpreter of Vietnamese is free at this time." in response.content.decode()
    assert world.event.interpreters.count() == 2
    response = client.post(url("interpreter_remove", world.pk, interpreter.pk), follow=True)
    assert "The interpreter is removed." in response.content.decode()
    assert list(world.event.interpreters.all()) == [world.interpreters[1]]
    m.refresh_from_db()
    assert m.interpreter == world.interpreters[1]
    login(world.other_handler)
    assert client.get(url("interpreter_edit", world.pk, world.interpreters[1].pk)).status_code == 403
    assert client.post(url("interpreter_remove", world.pk, world.interpreters[1].pk)).status_code == 403


# --- Meetings per participant and sessions per pair ------------------------------------------------------------


def profile_form(buyer, **extra):
    return {
        "country": buyer.country,
        "timezone": buyer.timezone,
        "language": buyer.language,
        "products_sought": buyer.products_sought,
        "purchase_volume_usd": "0",
        **extra,
    }


def test_only_the_organiser_sets_a_participants_minimum_and_maximum(client, login, world):
    buyer, seller = world.buyers[0], world.sellers[0]
    limits_url = url("participant_limits", world.pk, "buyer", buyer.pk)
    login(world.handler)
    english(client)
    page = client.get(url("participant", world.pk, "buyer", buyer.pk)).content.decode()
    assert f'action="{limits_url}"' in page
    assert "at least 0, at most 4" in page
    response = client.post(limits_url, {"lim-min_meetings": "1", "lim-max_meetings": "10"}, follow=True)
    html = response.content.decode()
    assert "The minimum and maximum meetings are saved." in html
    assert "at least 1, at most 10 · set by the organiser" in html
    buyer.refresh_from_db()
    assert (buyer.min_meetings, buyer.max_meetings) == (1, 10)
    bad = client.post(
        url("participant_limits", world.pk, "seller", seller.pk),
        {"lim-min_meetings": "3", "lim-max_meetings": "2"},
        follow=True,
    )
    assert "The maximum (2) cannot be below the minimum (3)." in bad.content.decode()
    not_a_number = client.post(
        url("participant_limits", world.pk, "seller", seller.pk), {"lim-min_meetings": "x"}, follow=True
    )
    assert "Enter a whole number." in not_a_number.content.decode()  # the form's own error, as a message
    seller.refresh_from_db()
    assert (seller.min_meetings, seller.max_meetings) == (None, None)
    # in Korean
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = client.get(url("participant", world.pk, "seller", seller.pk)).content.decode()
    assert "최소 0회, 최대 3회" in page
    assert "최소·최대 상담 수(운영자 지정)" in page
    # the buyer sees his numbers but not the organiser's form, and may not post it
    login(buyer.contact)
    english(client)
    page = client.get(url("participant", world.pk, "buyer", buyer.pk)).content.decode()
    assert "at least 1, at most 10" in page
    assert limits_url not in page
    assert client.post(limits_url, {"lim-max_meetings": "20"}).status_code == 403
    # another agency's handler and an interpreter are not organisers of this event
    for other in (world.other_handler, world.interpreters[0].user):
        login(other)
        assert client.post(limits_url, {"lim-max_meetings": "20"}).status_code == 403
    buyer.refresh_from_db()
    assert (buyer.min_meetings, buyer.max_meetings) == (1, 10)


def test_a_buyer_sets_only_his_own_maximum_within_what_the_event_allows_him(client, login, world):
    buyer = world.buyers[0]
    page_url = url("participant", world.pk, "buyer", buyer.pk)
    login(buyer.contact)
    english(client)
    page = client.get(page_url).content.decode()
    assert 'name="wanted_max_meetings"' in page
    assert "At most 4. Leave it empty to accept up to 4 meetings." in page
    response = client.post(page_url, profile_form(buyer, wanted_max_meetings="5"))
    assert response.status_code == 200
    assert (
        "Give a number from 1 to 4 (the most meetings this event allows you), or leave it empty."
        in response.content.decode()
    )
    buyer.refresh_from_db()
    assert buyer.wanted_max_meetings is None
    response = client.post(page_url, profile_form(buyer, wanted_max_meetings="2"))
    assert response.url == page_url
    buyer.refresh_from_db()
    assert buyer.wanted_max_meetings == 2
    assert "at least 0, at most 2 · own maximum: 2" in client.get(page_url).content.decode()
    # another buyer cannot change it
    login(world.buyers[1].contact)
    assert client.post(page_url, profile_form(buyer, wanted_max_meetings="1")).status_code == 403
    buyer.refresh_from_db()
    assert buyer.wanted_max_meetings == 2


def test_the_buyer_registration_form_asks_for_his_own_maximum(client, world):
    english(client)
    html = client.get(url("buyer_register", world.pk)).content.decode()
    assert 'name="wanted_max_meetings"' in html
    assert "Most meetings you want" in html


def test_the_organiser_restricts_a_pair_to_a_session_and_the_schedule_shows_it(client, login, world):
    buyer, seller = world.buyers[2], world.sellers[1]
    login(world.operator)
    english(client)
    data = {"buyer": buyer.pk, "seller": seller.pk, "level": "", "note": ""}
    bad = client.post(url("pair_decide", world.pk), {**data, "session": "evening"}, follow=True)
    assert "Choose the morning or the afternoon session." in bad.content.decode()
    assert not PairSession.objects.exists()
    response = client.post(url("pair_decide", world.pk), {**data, "session": "afternoon"}, follow=True)
    html = response.content.decode()
    assert "The decision is saved." in html
    assert list(PairSession.objects.values_list("buyer", "seller", "part")) == [
        (buyer.pk, seller.pk, "afternoon")
    ]
    assert '<option value="afternoon" selected>Afternoon only</option>' in html  # the pairs page
    assert '<span class="gv-badge gv-badge-warning">Afternoon only</span>' in html
    schedule = client.get(url("schedule", world.pk)).content.decode()
    assert "Pairs restricted to a session" in schedule
    assert "Not scheduled" in schedule
    m = services.meeting_add(
        actor=world.operator,
        event=world.event,
        buyer=buyer,
        seller=seller,
        slot=world.event.slots.get(number=5),  # 13:30
    )
    schedule = client.get(url("schedule", world.pk)).content.decode()
    assert f'<a href="{url("meeting", m.pk)}">10-06 (Wed) 13:30</a>' in schedule
    assert " · Afternoon only</span>" in schedule  # the grid
    # the pair's decision form without a session field leaves the session alone
    client.post(url("pair_decide", world.pk), {**data, "level": "must"})
    assert PairSession.objects.get().part == "afternoon"
    # participants cannot decide
    login(buyer.contact)
    assert client.post(url("pair_decide", world.pk), {**data, "session": ""}).status_code == 403
    assert client.get(url("pairs", world.pk)).status_code == 403
    assert PairSession.objects.get().part == "afternoon"


def test_consultation_pages_in_korean_use_the_consultation_wording_not_the_councils(client, login, world):
    """Django merges every app's catalogue into one table: without a context, the council's translation of
    'Attendance', 'Held', 'Locked', 'Withdraw'... (listed earlier in INSTALLED_APPS) showed here."""
    m = meeting(world, number=1, locked=True)
    login(world.operator)
    page = client.get(url("meeting", m.pk)).content.decode()
    assert "<dt>참석 여부</dt>" in page
    assert '<h2 id="att-h" class="gv-subtitle">참석 여부</h2>' in page
    assert "참석 여부 저장</button>" in page
    assert "상담 취소</button>" in page
    assert '<span class="gv-badge gv-badge-warning">고정</span>' in page
    for council_wording in ("출석", "회의 취소", "잠김"):
        assert council_wording not in page
    page = client.post(
        url("meeting_attendance", m.pk), {"att-attendance": "held"}, follow=True
    ).content.decode()
    assert "<dt>참석 여부</dt><dd>진행" in page
    page = client.get(url("outcomes", world.pk)).content.decode()
    assert '<label for="mm-att">참석 여부</label>' in page
    assert ">진행</option>" in page
    assert "출석" not in page and "개최" not in page
    # a meeting still to come: the error speaks of the consultation, not of a council meeting
    later = meeting(world, b=1, s=1, number=2)
    later.slot.starts_at = datetime(2999, 1, 1, 10, tzinfo=SEOUL)
    later.slot.ends_at = datetime(2999, 1, 1, 10, 30, tzinfo=SEOUL)
    later.slot.save()
    page = client.post(url("meeting_attendance", later.pk), {"att-attendance": "held"}, follow=True)
    assert "참석 여부는 상담이 시작된 뒤에 기록할 수 있습니다." in page.content.decode()
    # withdrawing a registration, not a consent or an agenda item
    seller = world.sellers[0]
    page = client.get(url("participant", world.pk, "seller", seller.pk)).content.decode()
    assert '<h2 class="gv-subtitle">참가 철회</h2>' in page
    services.participant_withdraw(actor=world.operator, participant=seller)
    page = client.get(url("registrations", world.pk) + "?side=sellers").content.decode()
    assert '<span class="gv-badge gv-badge-danger">철회</span>' in page
