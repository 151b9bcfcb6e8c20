"""The app's deadlines: the engine's rules through the category periods and the operator's ad-hoc holidays.

The engine itself is tested on its own (tests/engines/test_deadlines.py, 39 hand-checked rows); this table
checks what the app adds: periods configured per category, ad-hoc holidays entered in the database, and
the rules a request goes through (receipt outside working hours, reopening).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from gvalley.grievances import services
from gvalley.grievances.models import AdhocHoliday
from tests.grievances.factories import CategoryFactory, make_request, seoul

pytestmark = pytest.mark.django_db

# received, category period, ad-hoc holidays in the database, expected due (Asia/Seoul), why
CASES = [
    (seoul(2024, 3, 5, 10, 0), "3d", [], seoul(2024, 3, 8, 10, 0), "≤5 days in working hours: 7+8+8+1"),
    (seoul(2024, 3, 8, 17, 30), "1d", [], seoul(2024, 3, 11, 17, 30), "Friday evening: weekend skipped"),
    (seoul(2024, 3, 9, 11, 0), "1d", [], seoul(2024, 3, 11, 18, 0), "Saturday: clock starts Monday 09:00"),
    (seoul(2024, 3, 6, 12, 30), "1d", [], seoul(2024, 3, 7, 12, 0), "lunch: clock starts 13:00"),
    (seoul(2024, 3, 6, 16, 30), "immediate", [], seoul(2024, 3, 7, 10, 30), "즉시 = 3 working hours"),
    (seoul(2024, 9, 13, 17, 30), "5d", [date(2024, 10, 1)], seoul(2024, 9, 25, 17, 30), "Chuseok skipped"),
    (seoul(2024, 9, 30, 10, 0), "2d", [date(2024, 10, 1)], seoul(2024, 10, 4, 10, 0), "ad-hoc 10/1 and 10/3"),
    (seoul(2024, 5, 3, 16, 0), "1d", [], seoul(2024, 5, 7, 16, 0), "substitute holiday 5/6"),
    (seoul(2024, 9, 9, 10, 0), "7d", [], seoul(2024, 9, 20, 18, 0), "≥6 days in working days, first day in"),
    (seoul(2024, 9, 14, 10, 0), "7d", [], seoul(2024, 9, 27, 18, 0), "received Saturday before Chuseok"),
    (seoul(2024, 9, 11, 10, 0), "14d", [date(2024, 10, 1)], seoul(2024, 10, 7, 18, 0), "14 days with 10/1"),
    (
        seoul(2026, 6, 1, 10, 0),
        "14d",
        [date(2026, 6, 5)],
        seoul(2026, 6, 22, 18, 0),
        "local election 6/3 + ad-hoc 6/5",
    ),
    (seoul(2024, 5, 3, 10, 0), "1m", [], seoul(2024, 6, 3, 18, 0), "one month ending on a Sunday"),
    (seoul(2024, 9, 4, 10, 0), "2w", [], seoul(2024, 9, 19, 18, 0), "two weeks ending in Chuseok"),
]


@pytest.mark.parametrize("received, period, extra, expected, why", CASES, ids=[c[4] for c in CASES])
def test_due_dates_of_requests(received, period, extra, expected, why):
    for d in extra:
        AdhocHoliday.objects.create(date=d, name="임시공휴일")
    req = make_request(category=CategoryFactory(period=period), received_at=received)
    assert timezone.localtime(req.due_at) == expected, why
    assert req.original_due_at == req.due_at


def test_an_ad_hoc_holiday_entered_later_moves_open_due_dates_but_keeps_the_original():
    req = make_request(category=CategoryFactory(period="14d"), received_at=seoul(2026, 6, 1, 10, 0))
    assert timezone.localtime(req.due_at) == seoul(2026, 6, 19, 18, 0)
    services.holiday_add(actor=None, date=date(2026, 6, 5), name="임시공휴일")
    services.recompute_open_due_dates(actor=None)
    req.refresh_from_db()
    assert timezone.localtime(req.original_due_at) == seoul(2026, 6, 19, 18, 0)
    assert timezone.localtime(req.due_at) == seoul(2026, 6, 22, 18, 0)
    assert req.due_changed
