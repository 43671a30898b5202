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


def _wait_for(url: str, proc, predicate, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                html = response.read().decode("utf-8")
                if predicate(html):
                    return html
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(proc.stdout.read() if proc.poll() is not None else f"{url}: never as expected")


def test_quick_preview_shows_an_edited_title_everywhere(tmp_path):
    """`make serve-rapide`: after a new title is saved, the case's page and the catalogue
    served by the running preview show it."""
    from project_copy import make_project

    from conftest import FIXTURES

    config = make_project(tmp_path / "project", FIXTURES)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_INCREMENTAL": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty",
                             "-f", str(config), "-a", f"127.0.0.1:{port}"], cwd=config.parent, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/cooperations/", proc, lambda html: "Monts de Lacaune" in html)
        case = config.parent / "content" / "cooperations" / "montpellier-lacaune.md"
        text = case.read_text(encoding="utf-8")
        old = "titre: Contrat de réciprocité Montpellier – Monts de Lacaune"
        assert old in text
        case.write_text(text.replace(old, "titre: Contrat ville-montagne Montpellier – Lacaune"),
                        encoding="utf-8")
        for url in (f"{base}/cooperations/montpellier-lacaune/", f"{base}/cooperations/"):
            html = _wait_for(url, proc, lambda html: "Contrat ville-montagne Montpellier" in html)
            assert "Contrat de réciprocité Montpellier – Monts de Lacaune" not in html
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_looks_for_edits_more_often_than_mkdocs_does(tmp_path):
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from hooks import kb_hooks\n"
        "from mkdocs.livereload import LiveReloadServer\n"
        "kb_hooks.on_startup(command='build', dirty=False)\n"
        "before = LiveReloadServer.__init__.__defaults__\n"
        "kb_hooks.on_startup(command='serve', dirty=False)\n"
        "server = LiveReloadServer(builder=lambda: None, host='127.0.0.1', port=0, root=sys.argv[2])\n"
        "print(before[1], server.observer.timeout, kb_hooks.SERVE_POLLING_SECONDS)\n"
        "server.server_close()\n")
    result = subprocess.run([sys.executable, "-c", script, str(ROOT), str(tmp_path)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    mkdocs_default, ours, wanted = (float(x) for x in result.stdout.split())
    assert mkdocs_default == 0.5  # a build leaves MkDocs as it is
    assert ours == wanted < mkdocs_default
