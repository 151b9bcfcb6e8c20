"""``manage.py grievance_reminders``: reminders before due, overdue flags, 30-day progress notices.

Run it every hour on working days from cron, e.g.::

    5 * * * *  cd /srv/gvalley && .venv/bin/python manage.py grievance_reminders

It is idempotent: each reminder point and each progress notice is sent once per processing round.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from gvalley.grievances.services import send_reminders


class Command(BaseCommand):
    help = "Send deadline reminders and overdue flags to handlers and 30-day progress notices to filers."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help="Pretend it is this moment (ISO 8601), for checks and tests.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options.get("now"):
            now = parse_datetime(options["now"])
            if now is None:
                raise CommandError("--now must be an ISO 8601 date and time")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        run = send_reminders(now=now)
        self.stdout.write(
            f"reminders={run.reminders} overdue={run.overdue} progress_notices={run.progress_notices}"
        )
