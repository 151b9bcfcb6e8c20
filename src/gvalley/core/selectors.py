from __future__ import annotations

from django.db.models import QuerySet

from .models import AccessLog, AuditLog, Job


def audit_log_list(*, action: str = "", object_repr: str = "") -> QuerySet[AuditLog]:
    qs = AuditLog.objects.select_related("actor", "content_type")
    if action:
        qs = qs.filter(action__icontains=action)
    if object_repr:
        qs = qs.filter(object_repr__icontains=object_repr)
    return qs


def access_log_list(*, subject: str = "", kind: str = "") -> QuerySet[AccessLog]:
    qs = AccessLog.objects.select_related("actor")
    if subject:
        qs = qs.filter(subject__icontains=subject)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def job_get(*, pk: int) -> Job:
    return Job.objects.select_related("created_by").get(pk=pk)
