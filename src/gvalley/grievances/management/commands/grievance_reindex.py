"""``manage.py grievance_reindex``: rebuild the search text and similarity features of every request.

Run it after ``gvalley.engines.text.INDEX_VERSION`` changes (a new Kiwi version or index format).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gvalley.grievances.services import request_reindex_all


class Command(BaseCommand):
    help = "Rebuild the Korean search text and similarity features of all requests."

    def handle(self, *args: Any, **options: Any) -> None:
        count = request_reindex_all()
        self.stdout.write(f"{count} requests reindexed")
