"""Build the demo world of the seeds (idempotent: running it again adds nothing)."""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the G-Valley demo world (companies, council, requests, G-Valley Week). Safe to run twice."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--only", action="append", default=[], help="run only these seeders (module names)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        for dotted in settings.GVALLEY_DEMO_SEEDERS:
            if options["only"] and dotted.split(".")[-2] not in options["only"]:
                continue
            try:
                module = importlib.import_module(dotted)
            except ModuleNotFoundError as exc:
                if exc.name == dotted:
                    continue
                raise
            t0 = time.monotonic()
            module.seed(stdout=self.stdout)
            self.stdout.write(f"  {dotted.split('.')[-2]}: {time.monotonic() - t0:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Demo world ready in {time.monotonic() - started:.1f} s"))
