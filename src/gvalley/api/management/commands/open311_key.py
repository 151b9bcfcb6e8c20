"""``manage.py open311_key NAME`` issues an Open311 API key for the client NAME and prints it (once)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gvalley.api.services import open311_key_issue


class Command(BaseCommand):
    help = "Issue an Open311 API key for a client application and print it (only a hash is stored)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="The client application's name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            _key, raw = open311_key_issue(actor=None, name=options["name"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stdout.write(raw)
