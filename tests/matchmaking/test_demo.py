"""The demo consultations on a small directory: 2020's records and 2021's published schedule."""

from __future__ import annotations

from collections import Counter

import pytest

from gvalley.accounts import demo as accounts_demo
from gvalley.accounts.models import User
from gvalley.matchmaking import demo, selectors, services
from gvalley.matchmaking.models import Buyer, Event, Interpreter, Meeting, Preference, Seller
from gvalley.week import demo as week_demo
from tests.factories import CompanyFactory, IndustryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    accounts_demo.seed()
    week_demo.seed()
    codes = sorted({code for row in demo.BUYERS + demo.BUYERS_2020_ONLY for code in row[6]})
    for n, code in enumerate(codes):
        industry = IndustryFactory(
            code=code, division=code[:2], name=f"업종 {code}", name_en=f"Industry {code}"
        )
        for k in range(3):
            CompanyFactory(
                industry=industry,
                products=f"제품 {code}",
                products_en=f"products of {code}",
                exports_thousand_usd=100 * (n + k + 1),
            )
    monkeypatch.setattr(demo, "DEMO_SOLVER_BUDGET", 1.0)
    demo.seed()
    return codes


def test_demo_world(seeded):
    """One seeding (it takes a while) checked three ways."""
    check_2020_records_reproduce_140_consultations_worth_usd_35_594_000()
    check_2021_has_30_buyers_80_companies_4_interpreters_and_a_published_schedule()
    check_seeding_twice_adds_nothing()


def check_2020_records_reproduce_140_consultations_worth_usd_35_594_000():
    event = Event.objects.get(programme__edition__year=2020)
    stats = selectors.statistics(event)
    assert stats["totals"]["consultations"] == 140
    assert stats["totals"]["amount"] == 35_594_000
    assert stats["meetings"] == {"scheduled": 148, "held": 140, "no_show": 8}
    assert sum(row["amount"] for row in stats["by_country"]) == 35_594_000
    assert sum(row["consultations"] for row in stats["by_company"]) == 140
    assert event.is_published


def check_2021_has_30_buyers_80_companies_4_interpreters_and_a_published_schedule():
    event = Event.objects.get(programme__edition__year=2021)
    buyers = Buyer.objects.filter(event=event)
    assert buyers.count() == 30
    assert Counter(buyers.values_list("country", flat=True)) == {
        "ID": 8,
        "MY": 7,
        "VN": 6,
        "TH": 4,
        "PH": 3,
        "SG": 2,
    }
    assert set(buyers.values_list("timezone", flat=True)) == set(demo.TZ.values())
    assert Seller.objects.filter(event=event).count() == 80
    assert sorted(Interpreter.objects.filter(event=event).values_list("languages", flat=True)) == sorted(
        languages for _e, _n, languages, *_rest in demo.INTERPRETERS
    )
    assert event.is_published
    run = event.runs.get()
    assert run.stats["deterministic"] is True
    meetings = Meeting.objects.filter(event=event, status="scheduled")
    assert meetings.count() == run.scheduled_meetings > 60
    for m in meetings.select_related("buyer", "interpreter"):
        assert m.buyer.language in m.interpreter.languages
    sides = set(Preference.objects.filter(event=event).values_list("side", flat=True))
    assert sides == {"buyer", "seller", "organiser"}
    siti = Buyer.objects.get(event=event, contact__email="buyer@demo.gvalley.kr")
    assert (siti.timezone, siti.country) == ("Asia/Jakarta", "ID")
    assert 1 <= meetings.filter(buyer=siti).count() <= 5
    rep = User.objects.get(email="company@demo.gvalley.kr")
    assert Seller.objects.filter(event=event, company__in=services.companies_represented(rep)).count() == 1
    # the registration windows are those of 2021 again
    assert event.registration_closes_at.year == 2021


def check_seeding_twice_adds_nothing():
    counts = (
        Event.objects.count(),
        Buyer.objects.count(),
        Meeting.objects.count(),
        Preference.objects.count(),
    )
    demo.seed()
    assert (
        Event.objects.count(),
        Buyer.objects.count(),
        Meeting.objects.count(),
        Preference.objects.count(),
    ) == counts
