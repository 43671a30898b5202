"""Serve a built site on 127.0.0.1 and drive Debian's Chromium: shared by the
tests and the measuring tools (scripts/search_transfer.py, scripts/bench.py)."""
from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


class _Handler(http.server.SimpleHTTPRequestHandler):
    extra_headers: dict[str, str] = {}

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


class LocalServer:
    """``with LocalServer(site_dir) as server: server.url`` — a static server in a thread."""

    def __init__(self, root: Path, headers: dict[str, str] | None = None):
        handler_class = type("Handler", (_Handler,), {"extra_headers": dict(headers or {})})
        handler = functools.partial(handler_class, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def launch_chromium(playwright):
    """Debian's Chromium through Playwright, with the flags this machine needs."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def in_own_thread(function, name: str):
    """Call ``function()`` in a thread of its own and return its result (or raise its
    error): the caller may already run an event loop (Playwright's sync API, asyncio)."""
    box: dict = {}

    def target():
        try:
            box["value"] = function()
        except BaseException as error:  # re-raised in the caller's thread
            box["error"] = error

    thread = threading.Thread(target=target, name=name)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]
