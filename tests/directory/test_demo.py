"""The demo world reproduces the seed's figures from the records (seed 000, July 2018)."""

from __future__ import annotations

import pytest

from gvalley.directory import demo
from gvalley.directory.models import Building, Company
from gvalley.directory.selectors import statistics
from gvalley.engines import bizno

pytestmark = pytest.mark.django_db


def test_the_demo_directory_matches_the_seed_exactly_and_is_idempotent():
    demo.seed()
    demo.seed()  # a second run adds nothing
    stats = statistics()
    assert stats["totals"] == {
        "company_count": 10_737,
        "employee_count": 145_264,
        "production": 11_934_000,  # KRW million = 119,340억원
        "exports": 2_324_000,  # USD thousand = 2,324백만달러
    }
    assert stats["totals_23"] == {"company_count": 7_352, "employee_count": 101_867}
    assert stats["kic_23"] == {"built": 73, "construction": 11, "not_started": 7}
    assert stats["kic_23_total"] == 91
    assert Company.objects.filter(building__status__in=["construction", "not_started"]).count() == 0
    numbers = list(Company.objects.values_list("business_number", flat=True))
    assert len(set(numbers)) == len(numbers) and all(bizno.is_valid(n) for n in numbers[:500])
    assert Building.objects.filter(kind="kic", complex__number__in=[2, 3]).count() == 91
