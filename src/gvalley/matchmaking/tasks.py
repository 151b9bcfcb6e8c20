"""Background tasks of the export consultation: thin wrappers over services."""

from __future__ import annotations

from django_tasks import task

from . import services
from .models import ScheduleRun


@task()
def run_schedule(run_id: int) -> None:
    """Run the scheduler for one queued run; progress goes to the run's ``core.Job``."""
    run = ScheduleRun.objects.select_related("event__programme", "job", "created_by").get(pk=run_id)
    services.schedule_execute(run=run)
