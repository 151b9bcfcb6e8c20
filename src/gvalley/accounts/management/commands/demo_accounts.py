"""Print the demo accounts for each role; with --otp EMAIL, print that person's current TOTP code."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gvalley.accounts.models import Membership, Role


class Command(BaseCommand):
    help = "List the demo accounts (one per role) and how staff pass the two-factor check."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--otp", metavar="EMAIL", help="print the current six-digit code of this account")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["otp"]:
            device = (
                TOTPDevice.objects.filter(user__email=options["otp"], confirmed=True).order_by("id").first()
            )
            if device is None:
                raise CommandError(f"{options['otp']} has no TOTP device")
            code = totp(
                device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
            )
            self.stdout.write(f"{code:0{device.digits}d}")
            return
        rows = (
            Membership.objects.filter(user__email__endswith="@demo.gvalley.kr", ended_on__isnull=True)
            .select_related("user", "organisation")
            .order_by("role", "user__email")
        )
        by_role: dict[str, list[Membership]] = {}
        for m in rows:
            by_role.setdefault(m.role, []).append(m)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts (password for all: {settings.GVALLEY_DEMO_PASSWORD})")
        )
        for role, label in Role.choices:
            members = by_role.get(role, [])
            if not members:
                continue
            canonical = (
                f"{role.replace('_rep', '').replace('council_', '').replace('agency_', '')}@demo.gvalley.kr"
            )
            members.sort(
                key=lambda m: (
                    m.user.email != canonical and not m.user.email.startswith(role.split("_")[0] + "@"),
                    m.user.email,
                )
            )
            first = members[0]
            org = f" — {first.organisation.name}" if first.organisation else ""
            more = f"  (+{len(members) - 1} more)" if len(members) > 1 else ""
            self.stdout.write(f"  {str(label):36} {first.user.email:32} {first.user.name}{org}{more}")
        staff_devices = (
            TOTPDevice.objects.filter(user__email__endswith="@demo.gvalley.kr", confirmed=True)
            .select_related("user")
            .order_by("id")
        )
        first_device: dict[int, TOTPDevice] = {}
        for device in staff_devices:
            first_device.setdefault(device.user_id, device)
        staff = sorted(first_device.values(), key=lambda d: d.user.email)
        if staff:
            self.stdout.write("")
            self.stdout.write(
                "Staff roles sign in with a second factor (TOTP). Add the key to an authenticator app,"
            )
            self.stdout.write("or print the current code with: make otp EMAIL=<address>")
            for device in staff:
                key = base64.b32encode(device.bin_key).decode().rstrip("=")
                self.stdout.write(f"  {device.user.email:34} key {key}")
        self.stdout.write(
            "  admin@demo.gvalley.kr is a superuser (Django admin at /admin/), also with a second factor."
        )
        self.stdout.write("")
