#!/usr/bin/env python
"""Crawl a running site with Debian's chromium and run axe-core on every distinct page type.

    .venv/bin/python scripts/a11y_crawl.py http://127.0.0.1:8000 [--session SESSIONID] [--lang en] [--limit 150]

One page per URL pattern (numbers replaced), so a list of 10,000 companies costs one visit. Prints every WCAG 2.x
A/AA violation with the page; exits 1 if there is any. The browser tests run axe-core on the pages they visit;
this script covers the rest of a seeded demo world.
"""

from __future__ import annotations

import argparse
import sys
from collections import deque
from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import sync_playwright

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.crawl import SKIP, pattern  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--session", default="")
    parser.add_argument("--lang", default="ko")
    parser.add_argument("--limit", type=int, default=150)
    args = parser.parse_args()
    base = args.base.rstrip("/")
    failures = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
            ],
        )
        context = browser.new_context(bypass_csp=True)
        cookies = [{"name": "gvalley_language", "value": args.lang, "url": base}]
        if args.session:
            cookies.append({"name": "sessionid", "value": args.session, "url": base})
        context.add_cookies(cookies)
        page = context.new_page()
        queue, seen, visited = deque(["/"]), {pattern("/")}, 0
        while queue and visited < args.limit:
            path = queue.popleft()
            response = page.goto(base + path)
            visited += 1
            if (
                response is None
                or response.status >= 400
                or "text/html" not in response.headers.get("content-type", "")
            ):
                continue
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
                "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}})).violations"
                ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))"
            )
            for v in violations:
                failures += 1
                print(f"{path}\t{v}")
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
                url = urljoin(base + path, href)
                if not url.startswith(base):
                    continue
                rel = url[len(base) :].split("#")[0]
                if not rel or any(s in rel for s in SKIP):
                    continue
                key = pattern(rel)
                if key not in seen:
                    seen.add(key)
                    queue.append(rel)
        browser.close()
    print(f"{visited} pages checked, {failures} violations")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
