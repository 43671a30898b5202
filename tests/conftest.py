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


class WarningCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def build_site(content_dir: Path, site_dir: Path) -> list[str]:
    """Build with the project's mkdocs.yml and --strict; return the warnings."""
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


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> BuiltSite:
    site_dir = tmp_path_factory.mktemp("fixture-site")
    warnings = build_site(FIXTURES, site_dir)
    return BuiltSite(site_dir, warnings)
