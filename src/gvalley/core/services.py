"""Core services: the audit log, the personal-data access log and background-job progress.

Every domain service calls :func:`audit` for each change it makes. ``snapshot`` gives the before/after
state that the audit log keeps.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import AccessLog, AuditLog, Job

SECRET_FIELDS = {"password", "key", "secret", "token", "api_key_hash"}


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def snapshot(obj: models.Model | None, fields: Iterable[str] | None = None) -> dict[str, Any] | None:
    """The stored values of ``obj`` (foreign keys as ids, secrets left out), JSON-ready."""
    if obj is None:
        return None
    wanted = set(fields) if fields is not None else None
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        if field.name in SECRET_FIELDS:
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname if field.is_relation else field.name] = value
    return _jsonable(data)


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, tuple[Any, Any]]:
    before = before or {}
    after = after or {}
    keys = sorted(set(before) | set(after))
    return {k: (before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)}


def audit(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditLog:
    """Write one audit-log entry. Call it inside the service's transaction."""
    entry = AuditLog(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        note=note[:500],
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:300]
    entry.save()
    return entry


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def log_access(
    *,
    actor: Any,
    kind: str,
    subject: str,
    fields: Iterable[str] = (),
    purpose: str = "",
    request: HttpRequest | None = None,
    record_count: int = 1,
) -> AccessLog:
    """Record that personal data was viewed, unmasked or exported (개인정보 보호법 §29 처리기록)."""
    return AccessLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        subject=subject[:300],
        fields=", ".join(fields)[:300],
        purpose=purpose[:300],
        path=(request.get_full_path() if request is not None else "")[:500],
        record_count=record_count,
        ip_address=_client_ip(request),
    )


# --- Background jobs -------------------------------------------------------------------------------------


@transaction.atomic
def job_create(*, kind: str, title: str, created_by: Any = None, params: dict[str, Any] | None = None) -> Job:
    job = Job.objects.create(
        kind=kind,
        title=title[:300],
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        params=params or {},
    )
    audit(actor=created_by, action="job.create", obj=job, after=snapshot(job, ["kind", "title", "params"]))
    return job


def job_start(*, job: Job, total: int = 0, message: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), total=total, done=0, message=message[:500]
    )
    job.refresh_from_db()


def job_progress(*, job: Job, done: int, total: int | None = None, message: str | None = None) -> None:
    """Record progress. Uses a plain UPDATE so that pages polling the job see it at once."""
    values: dict[str, Any] = {"done": done}
    if total is not None:
        values["total"] = total
    if message is not None:
        values["message"] = message[:500]
    Job.objects.filter(pk=job.pk).update(**values)


def job_finish(
    *, job: Job, result: dict[str, Any] | None = None, message: str = "", result_url: str = ""
) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
        result=_jsonable(result or {}),
        message=message[:500],
        result_url=result_url[:500],
    )
    job.refresh_from_db()


def job_fail(*, job: Job, errors: list[Any], message: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED,
        finished_at=timezone.now(),
        errors=_jsonable(errors),
        message=message[:500],
    )
    job.refresh_from_db()
