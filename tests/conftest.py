"""Shared fixtures: a real MkDocs build of the fixture content, parsed."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "content"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile" / "content"

from kb.content.validate import load_content  # noqa: E402
from kb.content.vocab import ProjectData  # noqa: E402
from kb.infra.settings import Settings  # noqa: E402


def project_data(content_dir: Path = FIXTURES) -> ProjectData:
    """The project's vocabularies and départements, with the references.yml beside ``content_dir``."""
    return ProjectData.at(ROOT / "data", Path(content_dir).parent / "data" / "references.yml")


DATA = project_data()
NODE_MODULES = Settings.for_project(ROOT).node_modules_dir  # pinned front-end packages (`npm ci`)


def load(content_dir: Path):
    """Every file of ``content_dir`` read and checked, as a build does."""
    return load_content(Path(content_dir), project_data(content_dir))


def settings_for(content_dir: Path = FIXTURES, site_dir: Path | None = None, **values) -> Settings:
    """Settings built in memory, as MkDocs' own tests build their config."""
    return Settings.for_project(ROOT, content_dir=content_dir, site_dir=site_dir, **values)

# Reproducible builds: the same date as `make` and `python -m kb build` (last commit).
from kb.infra.settings import last_commit_epoch  # noqa: E402

__import__("os").environ.setdefault("SOURCE_DATE_EPOCH", last_commit_epoch(ROOT))


class WarningCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def build_site(content_dir: Path, site_dir: Path) -> list[str]:
    """Build with the project's mkdocs.yml and --strict (the search index included, as in
    every build); return the warnings."""
    counter = WarningCounter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        config = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(content_dir),
                             site_dir=str(site_dir), strict=True)
        build(config)
    finally:
        logger.removeHandler(counter)
    return [r.getMessage() for r in counter.records]


class BuiltSite:
    def __init__(self, root: Path, warnings: list[str]):
        self.root = root
        self.warnings = warnings

    def path(self, url: str) -> Path:
        url = url.strip("/")
        target = self.root / url
        return target / "index.html" if not url.endswith((".html", ".json", ".xml", ".csv", ".svg")) else target

    def html(self, url: str) -> str:
        return self.path(url).read_text(encoding="utf-8")

    def soup(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(url), "lxml")

    def main(self, url: str):
        return self.soup(url).select_one("article.md-content__inner")


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the fixture content, with its data/ folder."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES, target)
    shutil.copytree(FIXTURES.parent / "data", tmp_path / "data")
    return target


def made_once(tmp_path_factory, name: str, make) -> dict:
    """What ``make(folder)`` returns (JSON data), made once per test run whatever the number of
    pytest-xdist workers: the first worker that needs it makes it under a file lock, in a folder
    every worker shares (the parent of the workers' own temporary folders); the others wait for
    it, then read the same record. The folders it made are shared too: read them, never write."""
    import fcntl
    import json

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # pytest-N/, shared by pytest-N/popen-gw0, popen-gw1…
    folder, record = root / f"shared-{name}", root / f"shared-{name}.json"
    with open(root / f"shared-{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not record.exists():
            folder.mkdir()
            data = make(folder)
            record.write_text(json.dumps(data), encoding="utf-8")
    return json.loads(record.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> BuiltSite:
    """The fixture content built by MkDocs in process (the project's mkdocs.yml, --strict),
    once per test run (made_once)."""
    def make(folder: Path) -> dict:
        return {"site": str(folder / "site"), "warnings": build_site(FIXTURES, folder / "site")}

    made = made_once(tmp_path_factory, "fixture-site", make)
    return BuiltSite(Path(made["site"]), made["warnings"])


class ProjectBuild:
    """`python -m kb build` of a copy of the project (tests/project_copy.py), in a process of its own."""

    def __init__(self, config: Path, site: Path, env: dict, result, finished: float):
        self.config = config
        self.env = env  # what the build's environment had on top of this process's
        self.site = site
        self.result = result
        self.finished = finished  # time.monotonic() when the build ended

    @property
    def warnings(self) -> list[str]:
        """MkDocs' warnings in the build's output (with --strict, any of them stops the build)."""
        return [line for line in (self.result.stdout + self.result.stderr).splitlines()
                if line.startswith("WARNING")]


def project_build(tmp_path_factory, name: str, content: Path, env: dict | None = None) -> ProjectBuild:
    """`python -m kb build` of ``content`` on a copy of the project, made once per test run
    (made_once: one build shared by every pytest-xdist worker)."""
    import subprocess
    import time

    from project_copy import kb_build, make_project

    def make(root: Path) -> dict:
        config = make_project(root / "project", content)
        result = kb_build(config, root / "site", env=env)
        # time.monotonic() is the machine's clock since boot: the same in every worker
        return {"config": str(config), "site": str(root / "site"), "returncode": result.returncode,
                "stdout": result.stdout, "stderr": result.stderr, "args": result.args,
                "finished": time.monotonic()}

    made = made_once(tmp_path_factory, name, make)
    result = subprocess.CompletedProcess(made["args"], made["returncode"], made["stdout"], made["stderr"])
    assert result.returncode == 0, result.stdout + result.stderr
    return ProjectBuild(Path(made["config"]), Path(made["site"]), dict(env or {}), result, made["finished"])


@pytest.fixture(scope="session")
def content_build(tmp_path_factory) -> ProjectBuild:
    """The real content/ folder, built once per test run by `python -m kb build` on a copy of
    the project with PYTHONHASHSEED=1 (test_reproducible builds it again with another seed)."""
    return project_build(tmp_path_factory, "content-build", ROOT / "content", env={"PYTHONHASHSEED": "1"})


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory) -> ProjectBuild:
    """The fixture content, built once per test run by `python -m kb build` on a copy of the
    project, without the process pool (KB_PARALLELE=0)."""
    return project_build(tmp_path_factory, "fixture-build", FIXTURES, env={"KB_PARALLELE": "0"})


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory) -> ProjectBuild:
    """The hostile corpus tests/fixtures/hostile/, built once per test run by `python -m kb build`
    on a copy of the project, without the process pool (KB_PARALLELE=0: test_parallel builds it
    again with the pool)."""
    return project_build(tmp_path_factory, "hostile-build", HOSTILE, env={"KB_PARALLELE": "0"})


# --- Real headless Chromium (Debian package), driven by Playwright -------------

import functools  # noqa: E402
import http.server  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import threading  # noqa: E402
from urllib.parse import urlparse  # noqa: E402

from kb.infra.localsite import CHROMIUM, CHROMIUM_ARGS, LocalServer, launch_chromium  # noqa: E402,F401


# The longest test files (seconds on a quiet 2-core machine, `pytest --durations`), run first:
# pytest-xdist hands out whole files (--dist loadfile) in collection order
# (--no-loadscope-reorder, pyproject.toml), so that no long file starts last while the
# other workers have nothing left to do.
LONGEST_FIRST = ("test_hostile.py", "test_serve.py", "test_editor.py", "test_explorer_phone.py", "test_security.py",
                 "test_privacy.py", "test_ma_commune.py", "test_a11y.py", "test_discovery_browser.py",
                 "test_for_readers_browser.py", "test_preview.py", "test_parallel.py", "test_islands.py",
                 "test_pipeline.py", "test_decap.py", "test_discovery_site.py", "test_assets.py",
                 "test_reproducible.py", "test_contrib_scaffold.py", "test_build_safety.py")


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium is marked ``browser``; the longest files come first
    (LONGEST_FIRST), each file's tests in their own order."""
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


@pytest.fixture(scope="session")
def chromium():
    """A Playwright Browser on Debian's Chromium. Missing Chromium fails in CI
    (KB_REQUIRE_BROWSER=1) and skips elsewhere, loudly."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        message = f"Chromium introuvable ({CHROMIUM}) : sudo apt-get install chromium"
        if os.environ.get("KB_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def served_fixture_site(fixture_site):
    with LocalServer(fixture_site.root) as server:
        yield server


class PageWatch:
    """A browser page that records console errors and every request made."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base = urlparse(base_url)
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def foreign_requests(self) -> list[str]:
        out = []
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about"):
                continue
            if parsed.hostname not in ("127.0.0.1", "localhost"):
                out.append(url)
        return out


@pytest.fixture
def watched_page(chromium, served_fixture_site):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    watch = PageWatch(page, served_fixture_site.url)
    watch.url = served_fixture_site.url
    yield watch
    context.close()
