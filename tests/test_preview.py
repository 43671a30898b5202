"""The live preview converts only the pages an edit changed (kb.assemble.preview), and ends
where a full build ends: after an edit, the site it serves is byte for byte the site a clean
build of the same content writes."""
from __future__ import annotations

import re
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


def _mtimes(site: Path, pattern: str = "*.html") -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob(pattern)}


CASE = "cooperations/montpellier-lacaune.md"


def _edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _add_partner(project: Path) -> None:
    """Poher communauté, a member of the Pays du Centre Ouest Bretagne (tests/fixtures/data/
    groupements.yml), becomes a partner and gets a page, which the Pays's page now links to:
    through the memberships every territory page shares (kb.render.places), not through
    anything the Pays's page reads itself."""
    _edit(project, CASE, "themes:", "  - nom: Poher communauté\n    type: communaute-de-communes\n"
          "    code: \"242900744\"\n    region: bretagne\n    departement: \"29\"\nthemes:")


def _new_case(project: Path) -> None:
    text = (project / "content" / CASE).read_text(encoding="utf-8")
    (project / "content" / "cooperations" / "lacaune-bois-bis.md").write_text(
        re.sub(r"(?m)^titre: .*$", "titre: Un second contrat Montpellier – Lacaune", text, count=1), encoding="utf-8")


NEW_CASE = "cooperations/lacaune-bois-bis.md"
# Each kind of edit a contributor makes, one after the other in one preview session, and what
# the preview then shows: (page, text it holds).
EDITS = [
    ("texte", lambda project: _edit(project, CASE, "trouve un débouché.", "trouve un débouché. Une phrase de l'ornithorynque."),
     ("cooperations/montpellier-lacaune/index.html", "ornithorynque")),
    ("titre", lambda project: _edit(project, CASE, "titre: Contrat de réciprocité Montpellier", "titre: Accord bois Montpellier"),
     ("cooperations/index.html", "Accord bois Montpellier")),
    ("partenaire et thème", lambda project: (_add_partner(project),
                                            _edit(project, CASE, "themes: [foret-bois, energie]", "themes: [foret-bois, energie, sante]")),
     ("territoires/pays-du-centre-ouest-bretagne/index.html", "cc-poher-communaute/")),
    ("nouvelle fiche", _new_case, ("cooperations/index.html", "Un second contrat Montpellier")),
    ("fiche supprimée", lambda project: (project / "content" / NEW_CASE).unlink(),
     ("cooperations/index.html", "Accord bois Montpellier")),
    # a fact of a recommendation's text that the audience pages show (kb.graph.build: Graph.starts)
    ("texte d'une recommandation", lambda project: _edit(
        project, "recommandations/connaitre-les-flux.md", "biens et d'énergie.",
        "biens et d'énergie.\n\n## Comment commencer\n\nCompter les trajets domicile-travail."),
     ("publics/elus/index.html", "Connaître les flux entre territoires : comment commencer")),
]


def test_after_each_kind_of_edit_the_preview_serves_what_a_full_build_writes_and_renders_few_pages(tmp_path):
    """A text edit, a title change, a new partner and theme, a new fiche, the fiche removed, a
    recommendation's text, one after the other in one preview session: after each, the preview's whole site folder is
    byte for byte what a clean build of the same content writes; after the text edit, the
    pages not showing the fiche were neither rendered again (kb.assemble.reuse) nor rewritten
    (kb.assemble.preview), and after the new fiche, the pages that do not list it were not
    converted again."""
    project = make_project(tmp_path / "project", FIXTURES).parent
    settings = Settings.for_project(project, cache_dir=tmp_path / "cache")
    preview = MkDocsAdapter(settings)
    preview.on_startup(command="serve", dirty=True)
    site = tmp_path / "preview"
    site.mkdir()
    try:
        _build(preview, project, site, dirty=True)
        for n, (name, edit, (page, shown)) in enumerate(EDITS):
            before, files_before = _mtimes(site), _mtimes(site, "*.json")
            edit(project)
            _build(preview, project, site, dirty=True)
            after = _mtimes(site)
            if name == "texte":
                assert set(after) == set(before)
                rewritten = {path for path in after if after[path] != before[path]}
                assert "cooperations/montpellier-lacaune/index.html" in rewritten
                assert "a-propos/index.html" not in rewritten and "glossaire/index.html" not in rewritten
                assert len(rewritten) < len(after) / 4, sorted(rewritten)
                files_after = _mtimes(site, "*.json")  # the build's other files: copied again only if changed
                assert files_after["schema/cooperation.json"] == files_before["schema/cooperation.json"]
                assert files_after["donnees/cooperations.json"] == files_before["donnees/cooperations.json"]
                pages = len(preview.session.site.pages)  # the fiche's page, the open-data page (functions)
                assert preview.memo.bodies.reused >= pages - 2, (preview.memo.bodies.reused, pages)
            if name == "nouvelle fiche":  # not in the menu: the other pages are not converted again
                assert after["a-propos/index.html"] == before["a-propos/index.html"]
            full = tmp_path / f"full-{n}"
            _build(MkDocsAdapter(settings.with_(cache_dir=tmp_path / f"other-{n}")), project, full, dirty=False)
            served, built = _files(site), _files(full)
            assert sorted(served) == sorted(built), name
            different = [path for path in built if served[path] != built[path]]
            assert different == [], name
            assert shown in served[page].decode("utf-8"), name
    finally:
        preview.on_shutdown()
    assert "cooperations/lacaune-bois-bis/index.html" not in served


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


def test_the_preview_looks_at_the_watched_files_every_tenth_of_a_second(tmp_path):
    """MkDocs' server looks for changes every half second; the preview's, every tenth (a
    quarter of a second less, on average, between saving a fiche and the reload), and it
    watches content/, mkdocs.yml, data/ and the theme's overrides."""
    from mkdocs.livereload import LiveReloadServer

    from kb.adapters.mkdocs import WATCH_INTERVAL

    project = make_project(tmp_path / "project", FIXTURES).parent
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"),
                         docs_dir=str(project / "content"), hooks=[])
    adapter = MkDocsAdapter(Settings.for_project(project, cache_dir=tmp_path / "cache"))
    adapter.on_startup(command="serve", dirty=True)
    builder = lambda: None  # noqa: E731
    mkdocs_own = LiveReloadServer(builder=builder, host="127.0.0.1", port=8123, root=str(tmp_path / "site"))
    server = adapter.on_serve(mkdocs_own, config=config, builder=builder)
    assert WATCH_INTERVAL <= 0.1 and server.observer.timeout == WATCH_INTERVAL
    assert server.builder is builder and server.root == mkdocs_own.root
    watched = {Path(emitter.watch.path).resolve() for emitter in server.observer.emitters}
    assert {(project / "content").resolve(), Path(config.config_file_path).resolve().parent,  # a file: its folder
            Path(config.theme.custom_dir).resolve()} <= watched


def test_no_page_and_no_published_file_reads_the_text_of_another_record_than_its_own():
    """A preview renders a page again after a fiche's text changed only if the page is the
    fiche's own (kb.graph.tracking: a body-only change is noted apart) and makes the published
    files again only if something besides the texts changed (kb.assemble.session.body_blind).
    Both hold because only the four templates of a record's own page read a Markdown body, of
    that record, and no other code of the pages or the published files does; a fact of a body
    that another page shows is an index of the graph (``Graph.starts``, built in
    kb/graph/build.py)."""
    from kb.render.pages import templates_folder

    own = {"cooperation.md": "coop", "recommendation.md": "reco", "document.md": "doc", "page.md": "page"}
    readers = []
    for template in sorted(templates_folder().iterdir()):
        for match in re.finditer(r"(\w+)\.body\b", template.read_text(encoding="utf-8")):
            if own.get(template.name) != match.group(1):
                readers.append(f"{template.name}: {match.group(0)}")
    root = templates_folder().parent.parent
    for module in sorted([*root.glob("render/*.py"), *root.glob("publish/*.py"), *root.glob("search/*.py"),
                          *root.glob("graph/*.py")]):
        if module.name == "pages.py":  # GeneratedPage.body: a page's own Markdown
            continue
        code = "\n".join(line for line in module.read_text(encoding="utf-8").splitlines()
                         if not line.startswith(("from ", "import ")))  # kb.render.body: a module
        for match in re.finditer(r"(\w+)\.body\b", code):
            if (module.name, match.group(0)) != ("build.py", "reco.body"):  # Graph.starts
                readers.append(f"{module.name}: {match.group(0)}")
    assert readers == []
