"""Caching of hot public pages for anonymous visitors.

Only anonymous GET requests without a session are served from the cache; the key holds the path with its
query, the active language and time zone, and a version that the owning app bumps when its data change
(so an edit shows at once instead of after the timeout). Logged-in users always get a fresh page.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


def _version_file(key: str) -> Path:
    return Path(settings.VAR_DIR) / "versions" / (key.replace(":", "_").replace("/", "_") + ".txt")


def data_version(key: str) -> int:
    """The current version of a body of data (bumped by the services that change it).

    With a shared cache (``CACHE_URL``, Redis) the version lives there, so every app server sees a bump;
    without one, it lives in a small file under ``var/`` so that every process of this machine sees it
    (the local-memory cache is per process).
    """
    if settings.CACHE_URL:
        return cache.get_or_set(key, 1, None) or 1
    try:
        return int(_version_file(key).read_text() or 1)
    except (FileNotFoundError, ValueError):
        return 1


def bump_version(key: str) -> None:
    if settings.CACHE_URL:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 2, None)
        return
    path = _version_file(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(str(data_version(key) + 1))
    os.replace(tmp, path)


def public_cache(
    timeout: int, *, version_key: str | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            cacheable = (
                request.method in ("GET", "HEAD")
                and not request.user.is_authenticated
                and settings.SESSION_COOKIE_NAME not in request.COOKIES
                and not getattr(request, "htmx", False)
            )
            if not cacheable:
                return view(request, *args, **kwargs)
            version = data_version(version_key) if version_key else 0
            raw = "|".join(
                [
                    request.get_full_path(),
                    translation.get_language() or "",
                    timezone.get_current_timezone_name(),
                    str(version),
                ]
            )
            key = "public-page:" + hashlib.sha256(raw.encode()).hexdigest()
            hit = cache.get(key)
            if hit is not None:
                content, content_type, status = hit
                response = HttpResponse(content, content_type=content_type, status=status)
                response["X-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.cookies
                and not getattr(response, "streaming", False)
            ):
                if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                    response.render()
                cache.set(key, (response.content, response["Content-Type"], response.status_code), timeout)
                response["X-Cache"] = "miss"
            return response

        return wrapped

    return decorator
