"""Send the council's reminders. Schedule it hourly, e.g. in cron:

    0 * * * *  cd /srv/gvalley && PYTHONPATH=src .venv/bin/python manage.py council_reminders

Meetings are reminded once, 48 hours ahead; action items at most weekly from 7 days before their due date.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gvalley.council import services


class Command(BaseCommand):
    help = "Send reminders of upcoming council meetings and of action items due soon or overdue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--hours-ahead", type=int, default=48, help="Remind meetings starting within N hours."
        )
        parser.add_argument(
            "--days-before", type=int, default=7, help="Remind action items due within N days."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        meetings = services.meeting_send_reminders(hours_ahead=options["hours_ahead"])
        actions = services.action_items_send_reminders(days_before=options["days_before"])
        self.stdout.write(f"meeting reminders sent: {meetings}; action-item reminders sent: {actions}")
