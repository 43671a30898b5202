"""Incremental preview (make serve-rapide): an edit rebuilds what it changes, nothing else."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import FIXTURES, ROOT
from kb.incremental import materialise
from kb.pages import GeneratedPage


def test_materialise_rewrites_only_changed_pages(tmp_path):
    pages = [GeneratedPage("a.md", "A", "un\n"), GeneratedPage("d/b.md", "B", "deux\n")]
    paths = materialise(pages, tmp_path)
    assert paths["d/b.md"].read_text() == "deux\n"
    before = {p: paths[p].stat().st_mtime_ns for p in paths}
    paths = materialise([GeneratedPage("a.md", "A", "un\n"), GeneratedPage("d/b.md", "B", "DEUX\n")], tmp_path)
    assert paths["a.md"].stat().st_mtime_ns == before["a.md"]
    assert paths["d/b.md"].read_text() == "DEUX\n"
    materialise([GeneratedPage("a.md", "A", "un\n")], tmp_path)
    assert not (tmp_path / "d" / "b.md").exists()


def dirty_build(content: Path, site: Path) -> None:
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(content), site_dir=str(site))
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    try:
        build(config, dirty=True)
    finally:
        logging.getLogger("mkdocs").setLevel(logging.NOTSET)


def test_dirty_rebuild_after_one_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_INCREMENTAL", "1")
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content, symlinks=False)
    shutil.copytree(FIXTURES.parent / "data", tmp_path / "data")
    site = tmp_path / "site"
    dirty_build(content, site)
    case = site / "cooperations" / "montpellier-lacaune" / "index.html"
    catalogue = site / "cooperations" / "index.html"
    unrelated = site / "recommandations" / "instruire-les-conflits" / "index.html"
    stamps = {p: p.stat().st_mtime_ns for p in (case, catalogue, unrelated)}

    source = content / "cooperations" / "montpellier-lacaune.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "titre: Contrat de réciprocité Montpellier – Monts de Lacaune",
        "titre: Contrat ville-montagne Montpellier – Lacaune"), encoding="utf-8")
    dirty_build(content, site)

    assert "Contrat ville-montagne Montpellier – Lacaune" in case.read_text(encoding="utf-8")
    assert "Contrat ville-montagne Montpellier – Lacaune" in catalogue.read_text(encoding="utf-8")
    assert case.stat().st_mtime_ns != stamps[case]
    assert unrelated.stat().st_mtime_ns == stamps[unrelated]  # not rebuilt
