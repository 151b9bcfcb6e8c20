"""Background tasks of the directory: thin wrappers over services."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django_tasks import task

from gvalley.accounts.models import User
from gvalley.core.models import Job

from . import services


@task()
def import_directory_file(job_id: int, path: str, filename: str, update_existing: bool = False) -> None:
    job = Job.objects.get(pk=job_id)
    actor = User.objects.filter(pk=job.created_by_id).first()
    file_path = Path(settings.MEDIA_ROOT) / path
    try:
        services.directory_import(
            actor=actor,
            job=job,
            content=file_path.read_bytes(),
            filename=filename,
            update_existing=update_existing,
        )
    finally:
        file_path.unlink(missing_ok=True)
