"""`make serve` runs `mkdocs serve --strict`: the live preview must start and serve the site."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_live_preview_serves_the_home_page():
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "--no-livereload",
                             "-a", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        html = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    html = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.3)
        assert html is not None, proc.stdout.read() if proc.poll() is not None else "serve did not answer"
        assert "Coopérations territoriales pour la transition écologique" in html
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/cooperations/", timeout=5) as response:
            assert response.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
