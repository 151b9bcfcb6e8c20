"""Background tasks of the grievances app: thin wrappers over services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from gvalley.accounts.models import User
from gvalley.core.models import Job
from gvalley.core.services import job_fail, job_finish, job_start

from . import services


@task()
def recompute_due_dates(job_id: int) -> None:
    """After an ad-hoc holiday was added or removed: recompute the due dates of open requests."""
    job = Job.objects.get(pk=job_id)
    actor = User.objects.filter(pk=job.created_by_id).first()
    job_start(job=job)
    try:
        result = services.recompute_open_due_dates(actor=actor, job=job)
    except Exception as exc:  # pragma: no cover - reported on the job page
        job_fail(job=job, errors=[{"message": str(exc)}], message=_("The recomputation failed."))
        raise
    job_finish(
        job=job,
        result={"checked": result.checked, "changed": result.changed},
        message=_("%(checked)d open requests checked, %(changed)d due dates adjusted (original dates kept).")
        % {"checked": result.checked, "changed": result.changed},
    )
