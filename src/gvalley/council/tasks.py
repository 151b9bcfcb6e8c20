"""Background tasks of the council: thin wrappers over services."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django_tasks import task

from gvalley.accounts.models import User
from gvalley.core.models import Job

from . import services
from .models import PlanProgramme


@task()
def import_plan_file(job_id: int, plan_id: int, path: str, filename: str) -> None:
    job = Job.objects.get(pk=job_id)
    actor = User.objects.filter(pk=job.created_by_id).first()
    file_path = Path(settings.MEDIA_ROOT) / path
    try:
        services.plan_import(
            actor=actor,
            plan=PlanProgramme.objects.get(pk=plan_id),
            content=file_path.read_bytes(),
            filename=filename,
            job=job,
        )
    except ValidationError:
        pass  # the job carries the row-level problems
    finally:
        file_path.unlink(missing_ok=True)


@task()
def send_reminders() -> dict[str, int]:
    """Meeting reminders (48 hours ahead) and action-item reminders (7 days before the due date, weekly)."""
    return {
        "meetings": services.meeting_send_reminders(),
        "action_items": services.action_items_send_reminders(),
    }
