"""What a crawl of the site visits: shared by tests/core/test_page_crawl.py (Django test client) and
scripts/a11y_crawl.py (a browser running axe-core)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

#: Links not followed: downloads and exports (checked by their own tests), the admin, static files, sign-out and the
#: language switch (they change the session), the Open311 API and calendar feeds.
SKIP = (
    "/accounts/logout",
    "/admin/",
    "/static/",
    "/media/",
    "/accounts/language",
    "export",
    ".xlsx",
    ".pdf",
    ".hwpx",
    ".ics",
    ".csv",
    "/open311/",
    "/jsi18n/",
    "download",
    "/feed/",
)


def pattern(path: str) -> str:
    """One page per URL pattern: numbers replaced, query values dropped (a list of 10,000 companies is one visit)."""
    parsed = urlparse(path)
    query = re.sub(r"=[^&]*", "=", parsed.query)
    return re.sub(r"\d+", "N", parsed.path) + ("?" + query if query else "")
