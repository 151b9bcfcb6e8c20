"""Browser tests: Playwright drives Debian's chromium against the live test server; axe-core checks each page.

Use the ``page`` fixture, ``visit(page, path)`` to open a page and check it with axe-core, and
``browser_login(page, user)`` to start logged in (staff also pass the TOTP check).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.conftest import login_verified

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make browser)")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright: Any) -> Iterator[Any]:
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any, settings: Any) -> Iterator[Any]:
    settings.SITE_URL = live_server.url
    # bypass_csp lets the test inject axe-core; the application's own pages never need it.
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, locale="ko-KR", timezone_id="Asia/Seoul"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "favicon" not in msg.text else None,
    )
    page.js_errors = errors
    page.base_url = live_server.url
    yield page
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return list(result)


def check_accessibility(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core found WCAG violations on {page.url}: {violations}"
    csp_errors = [e for e in page.js_errors if "Content Security Policy" in e or "Refused" in e]
    assert csp_errors == [], f"CSP violations on {page.url}: {csp_errors}"


def visit(page: Any, path: str) -> Any:
    """Open ``path`` and check the page with axe-core (every page a browser test visits is checked)."""
    response = page.goto(path)
    assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
    page.wait_for_load_state("networkidle")
    check_accessibility(page)
    return response


def browser_login(page: Any, user: Any) -> None:
    """Start the browser logged in as ``user`` (staff roles also pass the TOTP check)."""
    client = login_verified(Client(), user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": page.base_url}]
    )


@pytest.fixture
def axe() -> Any:
    return check_accessibility
