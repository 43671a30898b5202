"""Incremental preview (make serve-rapide): an edit rebuilds what it changes, nothing else."""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import FIXTURES, ROOT
from kb.build.preview import materialise
from kb.render.pages import GeneratedPage


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


# --- kb.build.preview.Preview: the preview's pages are always those of a full build ----------

def _edit(path: Path, old: str | None, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old is None:
        text += new
    else:
        assert old in text, (path, old)
        text = text.replace(old, new, 1)
    stat = path.stat() if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if stat:  # a later mtime even on a coarse clock: the edit is seen as one
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_preview_pages_equal_a_full_build_edit_after_edit(tmp_path):
    from kb.graph.build import build_graph
    from kb.build.preview import Preview
    from kb.render.pages import generate_pages
    from kb.content.validate import load_content

    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content, symlinks=False)
    shutil.copytree(FIXTURES.parent / "data", tmp_path / "data")
    coops, recos = content / "cooperations", content / "recommandations"
    preview = Preview()

    def rebuild() -> int:
        """Rebuild the preview, compare with a full build; return how many pages were rendered anew."""
        site = preview.site(content)
        fresh = sum(1 for page in site.pages if page._markdown is None)
        full = generate_pages(build_graph(load_content(content)))
        assert [p.path for p in site.pages] == [p.path for p in full]
        for mine, theirs in zip(site.pages, full):
            assert mine.markdown == theirs.markdown, mine.path
        return fresh

    total = rebuild()
    assert total > 30
    # body edits: only the edited record's page is rendered again
    _edit(coops / "montpellier-lacaune.md", None, "\nUne phrase ajoutée.\n")
    assert rebuild() == 1
    _edit(recos / "connaitre-les-flux.md", None, "\nUn paragraphe de plus.\n")
    assert rebuild() == 1
    _edit(content / "a-propos.md", None, "\nEncore une ligne.\n")
    assert rebuild() == 1
    assert rebuild() == 0  # nothing changed
    # front matter edits: the pages that read what changed are rendered again, and every
    # page comes out as a full build's
    for path, old, new, at_most in (
            (coops / "montpellier-lacaune.md", "titre: Contrat de réciprocité Montpellier",
             "titre: Contrat ville-montagne Montpellier", 0.5),
            (coops / "montpellier-lacaune.md", "themes: [foret-bois, energie]", "themes: [foret-bois]", 0.6),
            (coops / "montpellier-lacaune.md", "nom: Montpellier Méditerranée Métropole", "nom: Montpellier", 0.6),
            (coops / "montpellier-lacaune.md", "statut: en-cours", "statut: acheve", 0.6),
            (recos / "connaitre-les-flux.md", "titre:", "titre: Nouveau titre —", 0.5)):
        _edit(path, old, new)
        again = rebuild()
        print(path.name, old, again, total)
        assert 1 < again <= at_most * total, (path.name, old, again, total)
    # a new case and a removed one
    shutil.copy2(coops / "peage-positif.md", coops / "peage-positif-bis.md")
    added = rebuild()
    assert 1 < added < total
    (coops / "peage-positif-bis.md").unlink()
    assert 1 < rebuild() < total
    assert rebuild() == 0


def test_a_title_edit_renders_the_pages_that_show_the_title(tmp_path):
    """The pages rendered again after a new title are those that show the case: not a
    case page that does not list it."""
    from kb.build.preview import Preview

    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content, symlinks=False)
    shutil.copytree(FIXTURES.parent / "data", tmp_path / "data")
    preview = Preview()
    for page in preview.site(content).pages:  # rendered, as kb_hooks does (materialise)
        assert page.markdown
    _edit(content / "cooperations" / "montpellier-lacaune.md", "titre: Contrat de réciprocité Montpellier",
          "titre: Contrat ville-montagne Montpellier")
    site = preview.site(content)
    rendered = {p.path for p in site.pages if p._markdown is None}
    for page in site.pages:
        shows = "Contrat ville-montagne Montpellier" in page.markdown
        assert shows <= (page.path in rendered), page.path  # every page that shows it was rendered
    assert "cooperations/montpellier-lacaune.md" in rendered and "cooperations/index.md" in rendered
    assert "a-propos.md" not in rendered
    assert len(rendered) < len(site.pages) / 2


def test_preview_sees_an_edited_template(tmp_path, monkeypatch):
    from kb.build import preview as incremental
    from kb.render import pages
    from kb.build.preview import Preview

    templates = tmp_path / "templates"
    shutil.copytree(pages.TEMPLATES, templates)
    monkeypatch.setattr(pages, "TEMPLATES", templates)
    monkeypatch.setattr(incremental, "TEMPLATES", templates)
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content, symlinks=False)
    shutil.copytree(FIXTURES.parent / "data", tmp_path / "data")
    preview = Preview()
    page = next(p for p in preview.site(content).pages if p.path == "a-propos.md")
    assert "Modèle modifié" not in page.markdown
    _edit(templates / "page.md", None, "\nModèle modifié.\n")
    page = next(p for p in preview.site(content).pages if p.path == "a-propos.md")
    assert "Modèle modifié" in page.markdown


def test_preview_sees_an_edited_vocabulary(tmp_path, monkeypatch):
    """Editing data/vocabulaires.yml during a preview: labels change on the pages, and files
    are checked again against the new terms."""
    from kb.build import preview as incremental
    from kb.content import vocab
    from kb.build.preview import Preview
    from kb.build.session import ContentErrors

    data = tmp_path / "projet-data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setattr(incremental, "DATA", data)
    monkeypatch.setattr(vocab.load_vocabularies.__wrapped__, "__defaults__", (data / "vocabulaires.yml",))
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content, symlinks=False)
    shutil.copytree(FIXTURES.parent / "data", tmp_path / "data")
    preview = Preview()
    try:
        def page(path):
            return next(p for p in preview.site(content).pages if p.path == path).markdown

        assert "Forêt-bois" in page("cooperations/montpellier-lacaune.md")
        _edit(data / "vocabulaires.yml", "{label: Forêt-bois,", "{label: Sylviculture,")
        text = page("cooperations/montpellier-lacaune.md")
        assert "Sylviculture" in text and "Forêt-bois" not in text
        _edit(data / "vocabulaires.yml", "\n    foret-bois: {", "\n    foret: {")  # the term is gone
        with pytest.raises(ContentErrors, match="foret-bois"):
            preview.site(content)
    finally:
        monkeypatch.undo()
        from kb.content.validate import forget_vocabularies

        forget_vocabularies()  # later tests read the project's own vocabularies


def test_preview_collects_garbage_between_rebuilds_not_during_them(monkeypatch):
    """make serve-rapide: the cyclic garbage collector is off during a rebuild and runs once
    the rebuild is over (kb_hooks), so that memory does not grow edit after edit."""
    import gc
    import threading
    import time

    import hooks.kb_hooks as kb_hooks

    monkeypatch.setenv("KB_INCREMENTAL", "1")
    monkeypatch.setattr(kb_hooks, "COLLECT_AFTER_SECONDS", 0.05)
    collections = []
    callback = lambda phase, info: collections.append(threading.current_thread().name)  # noqa: E731
    gc.callbacks.append(callback)
    try:
        kb_hooks._collect_later(None)  # what on_config does at the start of a rebuild
        assert not gc.isenabled()
        kb_hooks.on_post_build(None)
        deadline = time.monotonic() + 10
        while not collections and time.monotonic() < deadline:
            time.sleep(0.02)
        assert collections and collections[0] != threading.main_thread().name  # by the timer
        assert not gc.isenabled()
    finally:
        gc.callbacks.remove(callback)
        if kb_hooks._collector is not None:
            kb_hooks._collector.cancel()
        gc.enable()
