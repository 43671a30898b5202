"""The live preview converts only the pages an edit changed (kb.assemble.preview), and ends
where a full build ends: after an edit, the site it serves is byte for byte the site a clean
build of the same content writes."""
from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from conftest import FIXTURES
from project_copy import make_project

from kb.adapters.mkdocs import MkDocsAdapter
from kb.infra.settings import Settings

SERVE_URL = "http://127.0.0.1:8000/"


def _build(adapter: MkDocsAdapter, project: Path, site: Path, dirty: bool) -> None:
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site),
                         docs_dir=str(project / "content"), strict=True, hooks=[])
    config.plugins["kb"] = adapter
    mkdocs_build(config, serve_url=SERVE_URL, dirty=dirty)


def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _mtimes(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def test_an_edit_rewrites_its_pages_only_and_the_preview_ends_like_a_full_build(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES).parent
    settings = Settings.for_project(project, cache_dir=tmp_path / "cache")
    preview = MkDocsAdapter(settings)
    preview.on_startup(command="serve", dirty=True)
    site = tmp_path / "preview"
    site.mkdir()
    try:
        _build(preview, project, site, dirty=True)
        before = _mtimes(site)
        case = project / "content" / "cooperations" / "montpellier-lacaune.md"
        case.write_text(case.read_text(encoding="utf-8") + "\nUne phrase de l'ornithorynque.\n", encoding="utf-8")
        _build(preview, project, site, dirty=True)
    finally:
        preview.on_shutdown()
    after = _mtimes(site)
    assert set(after) == set(before)
    rewritten = {path for path in after if after[path] != before[path]}
    assert "cooperations/montpellier-lacaune/index.html" in rewritten
    assert "a-propos/index.html" not in rewritten and "glossaire/index.html" not in rewritten
    assert len(rewritten) < len(after) / 4, sorted(rewritten)

    full = tmp_path / "full"
    _build(MkDocsAdapter(settings.with_(cache_dir=tmp_path / "other")), project, full, dirty=False)
    served, built = _files(site), _files(full)
    assert sorted(served) == sorted(built)
    different = [path for path in built if served[path] != built[path]]
    assert different == []
    assert "ornithorynque" in served["cooperations/montpellier-lacaune/index.html"].decode("utf-8")


def test_a_page_path_cannot_leave_the_preview_folder(tmp_path):
    from kb.assemble.preview import Sources

    sources = Sources(tmp_path / "cache")
    for bad in ("../escape.md", "/etc/passwd.md", "a/../../b.md"):
        try:
            sources.write(bad, "x")
        except ValueError:
            continue
        raise AssertionError(f"{bad} was written")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
