"""Rebuild the stored search text of every company (after a change of the Korean text layer's index format)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gvalley.directory.services import company_reindex_all


class Command(BaseCommand):
    help = "Rebuild the Korean search index text of all companies."

    def handle(self, *args: Any, **options: Any) -> None:
        count = company_reindex_all(actor=None)
        self.stdout.write(self.style.SUCCESS(f"{count} companies reindexed"))
