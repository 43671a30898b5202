"""Bytes one search query transfers, measured in a real headless Chromium.

    measure_query_transfer(site_dir, query) -> int

Serves a built site (``python -m kb build``) on 127.0.0.1, opens its
"Rechercher" page, types the query and waits until the results are shown
(titles and excerpts of the first page of results). Returns the bytes received
from the moment the query is typed: the Pagefind runtime (script and WebAssembly,
loaded on the first query), the index chunks, the filter index and the result
fragments. The page itself (HTML, theme CSS and JS) is loaded before and not
counted. The local server does not compress, so the figure is an upper bound
for a server that gzips JavaScript and WebAssembly (Pagefind's index files are
already compressed).

Command line: ``python scripts/search_transfer.py SITE_DIR QUERY [QUERY…]``.
Chromium: /usr/bin/chromium (Debian package), or the path in $KB_CHROMIUM.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kb import sitemap as urls  # noqa: E402
from kb.infra.localsite import LocalServer, in_own_thread, launch_chromium  # noqa: E402
from kb.render import discovery  # noqa: E402

SEARCH_PAGE = urls.page_url(discovery.SEARCH)
TIMEOUT_MS = 30_000


def _measure(browser, base_url: str, query: str) -> int:
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(base_url + SEARCH_PAGE)
        page.wait_for_load_state("networkidle")
        received = {"bytes": 0, "requests": 0}
        pending = set()  # requests started and not yet finished (nor failed)

        def finished(request):
            # page and worker requests alike (Pagefind searches in a Web Worker)
            pending.discard(request)
            sizes = request.sizes()
            body = sizes["responseBodySize"]
            if body <= 0:  # not reported for some requests (the worker script): count the body
                response = request.response()
                body = len(response.body()) if response is not None else 0
            received["bytes"] += body + max(sizes["responseHeadersSize"], 0)
            received["requests"] += 1

        context.on("request", lambda request: pending.add(request))
        context.on("requestfinished", finished)
        context.on("requestfailed", lambda request: pending.discard(request))
        page.fill("#kb-search-q", query)
        page.wait_for_function(
            "q => { const r = document.querySelector('[data-kb-search]');"
            " return r && r.dataset.kbQuery === q && r.dataset.kbState === 'done'; }",
            arg=query.strip(), timeout=TIMEOUT_MS)
        # the results are shown: every request the query made has started; its end is reported
        # by an event that may come later on a busy machine (« networkidle » was reached at the
        # page's load and is not waited for again): wait until none is left
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while pending and time.monotonic() < deadline:
            page.wait_for_timeout(20)  # lets Playwright deliver the events
        if pending:
            raise TimeoutError(f"{len(pending)} requête(s) de la recherche jamais terminée(s)")
        return received["bytes"]
    finally:
        context.close()


def measure_query_transfer(site_dir: Path, query: str) -> int:
    """Bytes transferred by one search query on the built site in ``site_dir``."""
    site_dir = Path(site_dir)
    if not (site_dir / "pagefind" / "pagefind.js").exists():
        raise FileNotFoundError(f"{site_dir}/pagefind absent : construisez le site avec « python -m kb build »")
    def work() -> int:
        # Playwright's sync API cannot start inside a running event loop, and the
        # caller (a test session, a benchmark) may have one
        from playwright.sync_api import sync_playwright

        with LocalServer(site_dir) as server, sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                return _measure(browser, server.url, query)
            finally:
                browser.close()

    return in_own_thread(work, "search-transfer")


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    site = Path(argv[0])
    for query in argv[1:]:
        size = measure_query_transfer(site, query)
        print(f"{query!r}: {size} octets ({size / 1024:.1f} Kio) — {SEARCH_PAGE}?q={quote(query)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
