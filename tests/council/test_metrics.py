from __future__ import annotations

from datetime import date

import pytest

from gvalley.council import metrics
from gvalley.council.models import ActionItem, AgendaItem
from tests.council.factories import DecisionFactory, MeetingFactory, aware

pytestmark = pytest.mark.django_db


def test_registry_computes_and_says_none_for_unknown_metrics():
    metrics.register_metric("test_constant", "Constant", lambda start, end: (end - start).days + 1)
    try:
        assert metrics.compute("test_constant", date(2021, 1, 1), date(2021, 1, 31)) == 31
        assert metrics.compute("nothing_here", date(2021, 1, 1), date(2021, 1, 31)) is None
        assert "test_constant" in {m.key for m in metrics.all_metrics()}
        many = metrics.compute_many(
            [
                ("test_constant", date(2021, 1, 1), date(2021, 1, 2)),
                ("nothing_here", date(2021, 1, 1), date(2021, 1, 2)),
            ]
        )
        assert many == {
            ("test_constant", date(2021, 1, 1), date(2021, 1, 2)): 2,
            ("nothing_here", date(2021, 1, 1), date(2021, 1, 2)): None,
        }
    finally:
        metrics.unregister_metric("test_constant")
    with pytest.raises(ValueError):
        metrics.register_metric("", "x", lambda s, e: 0)


def test_council_metrics_count_records_by_local_date(world, django_assert_num_queries):
    # 2021-01-01 00:30 in Seoul is still 2020-12-31 in UTC: it counts for 2021.
    MeetingFactory(
        council=world.council,
        starts_at=aware(date(2021, 1, 1), 0).replace(minute=30),
        ends_at=aware(date(2021, 1, 1), 2),
        status="held",
    )
    MeetingFactory(
        council=world.council,
        starts_at=aware(date(2021, 6, 1)),
        ends_at=aware(date(2021, 6, 1), 16),
        status="held",
    )
    MeetingFactory(
        council=world.council,
        starts_at=aware(date(2021, 7, 1)),
        ends_at=aware(date(2021, 7, 1), 16),
        status="cancelled",
    )
    MeetingFactory(
        council=world.council,
        kind="working",
        starts_at=aware(date(2021, 3, 1)),
        ends_at=aware(date(2021, 3, 1), 16),
        status="held",
    )
    periods = [
        (date(2020, 1, 1), date(2020, 12, 31)),
        (date(2021, 1, 1), date(2021, 12, 31)),
        (date(2021, 6, 1), date(2021, 6, 1)),
    ]
    bulk = metrics.get_metric("plenaries_held").bulk
    with django_assert_num_queries(1):
        assert bulk(periods) == [0, 2, 1]
    assert metrics.compute("working_meetings_held", date(2021, 1, 1), date(2021, 12, 31)) == 1


def test_decision_and_action_metrics(world):
    meeting = MeetingFactory(
        council=world.council,
        starts_at=aware(date(2021, 5, 1)),
        ends_at=aware(date(2021, 5, 1), 16),
        status="held",
    )
    kicox = world.orgs[2]
    kicox.kind = "public_enterprise"
    kicox.save()
    item = AgendaItem.objects.create(
        council=world.council,
        meeting=meeting,
        title="공단 협의",
        origin="request",
        status="discussed",
        presenter_organisation=kicox,
    )
    decision = DecisionFactory(agenda_item=item, decided_on=date(2021, 5, 1))
    DecisionFactory(agenda_item=item, decided_on=date(2021, 5, 1), method="deferred")
    ActionItem.objects.create(
        decision=decision,
        title="a",
        owner_organisation=kicox,
        due_on=date(2021, 6, 1),
        status="done",
        progress=100,
        completed_on=date(2021, 6, 1),
    )
    year = (date(2021, 1, 1), date(2021, 12, 31))
    assert metrics.compute("decisions_made", *year) == 1
    assert metrics.compute("action_items_done", *year) == 1
    assert metrics.compute("agenda_items_discussed", *year) == 1
    assert metrics.compute("agenda_items_from_requests", *year) == 1
    assert metrics.compute("kicox_agenda_items", *year) == 1
    assert metrics.compute("kicox_agenda_items", date(2022, 1, 1), date(2022, 12, 31)) == 0
