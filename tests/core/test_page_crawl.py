"""The whole demo world, crawled as each kind of user in Korean and in English with the Django test client.

Every link a page offers must open for the user who sees it (a 403 or 404 behind a link is a bug: the page showed
a way in that the rules then refuse), no page may fail, and a Korean page must not show an English interface text
that has a Korean translation in our catalogues (an untranslated label: a string marked with something xgettext
does not know, or a template that forgot `translate`). One page per URL pattern (numbers replaced), like
scripts/a11y_crawl.py, which runs axe-core over the same pages in a browser.
"""

from __future__ import annotations

import html
import io
import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from gvalley.accounts.models import Membership, Role
from tests.conftest import login_verified
from tests.crawl import SKIP, pattern

pytestmark = pytest.mark.django_db

LIMIT = 90  # page patterns per user and language


def _interface_texts() -> set[str]:
    """English message ids of our catalogues that have a Korean translation and read as a phrase."""
    root = Path(__file__).resolve().parents[2] / "src" / "gvalley"
    texts = set()
    for po in root.glob("**/locale/ko/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(po)):
            msgid = entry.msgid
            if (
                entry.msgstr
                and entry.msgstr != msgid
                and "%" not in msgid
                and "{" not in msgid
                and len(msgid) >= 12
                and " " in msgid
                and re.fullmatch(r"[A-Za-z][A-Za-z ,.'()/-]+", msgid)
            ):
                texts.add(msgid)
    return texts


def _visible_text(page: str) -> str:
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


def _crawl(client, language: str, texts: set[str]) -> tuple[int, list[str]]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    problems: list[str] = []
    queue: deque[tuple[str, str]] = deque([("/", "")])
    seen = {pattern("/")}
    visited = 0
    while queue and visited < LIMIT:
        path, came_from = queue.popleft()
        response = client.get(path)
        visited += 1
        if response.status_code in (301, 302):
            continue
        if response.status_code != 200:
            problems.append(f"{response.status_code} {path} (linked from {came_from or 'the start'})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        if language == "ko":
            text = _visible_text(page)
            for msgid in texts:
                if msgid in text:
                    i = text.index(msgid)
                    problems.append(f"untranslated {msgid!r} on {path}: …{text[max(0, i - 40) : i + 60]}…")
        for href in re.findall(r'<a\s[^>]*href="([^"#]+)', page):
            url = urljoin("http://testserver" + path, html.unescape(href))
            if not url.startswith("http://testserver/"):
                continue
            rel = url[len("http://testserver") :]
            if any(s in rel for s in SKIP):
                continue
            key = pattern(rel)
            if key not in seen:
                seen.add(key)
                queue.append((rel, path))
    return visited, problems


def _demo_user(role: str):
    membership = (
        Membership.objects.filter(role=role, user__email__endswith="@demo.gvalley.kr", ended_on__isnull=True)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    assert membership is not None, role
    return membership.user


def test_every_link_opens_and_korean_pages_are_translated_for_every_kind_of_user(client):
    call_command("seed_demo", stdout=io.StringIO())
    texts = _interface_texts()
    assert len(texts) > 500  # the catalogues were read
    users = [None] + [
        _demo_user(role)
        for role in (
            Role.OPERATOR,
            Role.SECRETARIAT,
            Role.COUNCIL_MEMBER,
            Role.AGENCY_HANDLER,
            Role.COMPANY_REP,
            Role.WORKER,
            Role.BUYER,
        )
    ]
    report = []
    for user in users:
        client.logout()
        if user is not None:
            login_verified(client, user)
        for language in ("ko", "en"):
            visited, problems = _crawl(client, language, texts)
            who = user.email if user else "anonymous"
            assert visited >= 10, (who, language, visited)
            report += [f"{who} [{language}]: {p}" for p in problems]
    assert report == []
