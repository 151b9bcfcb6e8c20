from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/static/", "/media/", "/i18n/", "/jsi18n/", "/api/", "/open311/")


class StaffTwoFactorMiddleware:
    """People holding a staff role must pass a TOTP check before they can use the platform."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.GVALLEY_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and user.needs_second_factor
            and not user.is_verified()
        ):
            exempt = (
                reverse("accounts:two_factor"),
                reverse("accounts:two_factor_setup"),
                reverse("accounts:logout"),
            )
            if not request.path.startswith(EXEMPT_PREFIXES) and request.path not in exempt:
                return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
