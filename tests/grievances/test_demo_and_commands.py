"""The demo data (a small run of the same code) and the management commands."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command

from gvalley.accounts import demo as accounts_demo
from gvalley.accounts.models import User
from gvalley.api.models import Open311Key
from gvalley.api.services import hash_key
from gvalley.grievances import demo, selectors, services
from gvalley.grievances.models import Category, Request, Satisfaction, Visit, VisitPlan
from tests.factories import CompanyFactory
from tests.grievances.factories import CategoryFactory, make_request, seoul

pytestmark = pytest.mark.django_db


def test_demo_seed_is_deterministic_idempotent_and_covers_the_statuses(monkeypatch):
    accounts_demo.seed()
    for _ in range(6):
        CompanyFactory()
    monkeypatch.setattr(demo, "N_REQUESTS", 40)
    monkeypatch.setattr(demo, "VISIT_TARGETS", {2019: 3, 2022: 3})
    demo.seed()
    counts = (Request.objects.count(), Visit.objects.count(), Satisfaction.objects.count())
    demo.seed()
    assert (Request.objects.count(), Visit.objects.count(), Satisfaction.objects.count()) == counts
    assert Category.objects.count() == 10 and VisitPlan.objects.count() == 2
    statuses = set(Request.objects.values_list("status", flat=True))
    assert {"received", "reviewing", "in_progress", "closed"} <= statuses
    assert (
        Request.objects.filter(channel="visit").exists() and Request.objects.filter(anonymous=True).exists()
    )
    years = {r.year for r in Request.objects.dates("received_at", "year")}
    assert {2018, 2022} <= years
    rep = User.objects.get(email="company@demo.gvalley.kr")
    worker = User.objects.get(email="worker@demo.gvalley.kr")
    worker_anon = Request.objects.get(filer=worker, anonymous=True)
    assert not rep.has_perm("grievances.view_request", worker_anon)
    assert worker_anon.pk not in {r.pk for r in selectors.company_requests(user=rep)}
    assert Request.objects.filter(filer=rep).count() == 2


def test_grievance_reminders_command():
    req = make_request(category=CategoryFactory(period="7d"), received_at=seoul(2024, 3, 4, 10, 0))
    out = io.StringIO()
    call_command("grievance_reminders", "--now", "2024-04-05T10:00:00+09:00", stdout=out)
    assert out.getvalue().strip() == "reminders=0 overdue=1 progress_notices=1"
    assert any(req.tracking_number in m.subject for m in mail.outbox)
    out = io.StringIO()
    call_command("grievance_reminders", "--now", "2024-04-05T10:00:00+09:00", stdout=out)
    assert out.getvalue().strip() == "reminders=0 overdue=0 progress_notices=0"


def test_open311_key_command_prints_a_key_and_stores_only_its_hash():
    out = io.StringIO()
    call_command("open311_key", "금천구 민원 앱", stdout=out)
    key = out.getvalue().strip()
    record = Open311Key.objects.get()
    assert (
        key.startswith("gv311_") and record.api_key_hash == hash_key(key) and key not in record.api_key_hash
    )
    assert record.name == "금천구 민원 앱" and record.prefix == key[:12]
    from gvalley.api.services import open311_key_check

    assert open311_key_check(key) == record and open311_key_check(key + "x") is None


def test_reopen_by_staff_needs_a_reason_and_services_keep_the_audit_trail():
    req = make_request()
    services.request_answer(actor=None, request=req, outcome="accepted", body="ok", notify=False)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.request_reopen(actor=None, request=req, reason="")


def test_grievance_reindex_command_rebuilds_the_search_columns():
    req = make_request(title="주차장 부족")
    Request.objects.filter(pk=req.pk).update(search_text="", similarity_tokens="")
    out = io.StringIO()
    call_command("grievance_reindex", stdout=out)
    req.refresh_from_db()
    assert out.getvalue().strip() == "1 requests reindexed"
    assert "주차장" in req.search_text and req.similarity_tokens
