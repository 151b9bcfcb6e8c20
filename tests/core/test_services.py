from __future__ import annotations

import pytest

from gvalley.core.models import AccessLog, AuditLog, Job
from gvalley.core.services import (
    audit,
    diff,
    job_create,
    job_fail,
    job_finish,
    job_progress,
    job_start,
    log_access,
    snapshot,
)
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_snapshot_keeps_ids_of_relations_and_leaves_out_secrets():
    user = UserFactory(name="김철수")
    data = snapshot(user)
    assert data["name"] == "김철수"
    assert "password" not in data
    company = CompanyFactory()
    data = snapshot(company, ["name", "complex", "employees"])
    assert data == {"name": company.name, "complex_id": company.complex_id, "employees": 12}


def test_audit_records_actor_object_and_changes():
    actor = UserFactory()
    company = CompanyFactory(employees=10)
    before = snapshot(company)
    company.employees = 11
    entry = audit(actor=actor, action="company.update", obj=company, before=before, after=snapshot(company))
    stored = AuditLog.objects.get(pk=entry.pk)
    assert stored.actor == actor
    assert stored.object_id == str(company.pk)
    assert stored.object_repr == company.name
    assert diff(stored.before, stored.after) == {"employees": (10, 11)}


def test_audit_without_an_authenticated_actor_stores_none():
    entry = audit(actor=None, action="x")
    assert entry.actor is None and entry.content_type is None


def test_log_access_records_the_fields_and_count():
    actor = UserFactory()
    entry = log_access(
        actor=actor, kind="export", subject="companies", fields=["name", "phone"], record_count=7
    )
    assert AccessLog.objects.get(pk=entry.pk).fields == "name, phone"
    assert entry.record_count == 7


def test_job_lifecycle_reports_progress_and_result():
    user = UserFactory()
    job = job_create(kind="t", title="test", created_by=user)
    assert job.status == Job.Status.PENDING and job.percent == 0
    job_start(job=job, total=200)
    job_progress(job=job, done=50)
    job.refresh_from_db()
    assert (job.status, job.percent) == (Job.Status.RUNNING, 25)
    job_finish(job=job, result={"n": 3}, message="ok")
    assert (job.status, job.percent, job.result) == (Job.Status.SUCCEEDED, 100, {"n": 3})
    assert AuditLog.objects.filter(action="job.create", object_id=str(job.pk)).count() == 1


def test_job_fail_keeps_every_error():
    job = job_create(kind="t", title="test")
    job_fail(
        job=job, errors=[{"row": 2, "field": "x", "message": "bad"}, {"row": 3, "field": "y", "message": "b"}]
    )
    assert job.status == Job.Status.FAILED
    assert [e["row"] for e in job.errors] == [2, 3]
