"""Shared fixtures: settings for tests, logged-in clients (staff pass the TOTP check), query counting."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from tests.factories import UserFactory

# The suite draws the same Hypothesis examples on every run, so CI gives the same answer twice and a failure seen
# there is the failure seen here. New examples are searched for by `make fuzz` (profile "explore": fresh random
# examples on every round); what it finds becomes a plain regression test.
hypothesis_settings.register_profile("repeatable", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "http://testserver"
    settings.LANGUAGE_CODE = "ko"


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    from django.core.cache import cache

    from gvalley.directory.search_index import INDEX

    cache.clear()
    INDEX.clear()
    yield
    cache.clear()
    INDEX.clear()


def login_verified(client: Any, user: Any) -> Any:
    """Log ``user`` in; staff roles also pass the TOTP check, as if they had entered a valid code."""
    client.force_login(user)
    if user.needs_second_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login(client: Any) -> Callable[[Any], Any]:
    def _login(user: Any) -> Any:
        return login_verified(client, user)

    return _login


@pytest.fixture
def user(db: Any) -> Any:
    return UserFactory()


@contextmanager
def count_queries() -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as ctx:
        yield ctx


@pytest.fixture
def queries() -> Callable[[], Any]:
    return count_queries
