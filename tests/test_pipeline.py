"""One pipeline behind every entry point, thin adapters, settings read once.

- a plain `mkdocs build` (no `python -m kb`) makes the whole site, search index included;
- `python -m kb export-pages DIR` writes a project that a stock `mkdocs build --strict`
  builds without any hook or extension of ours, with sanitised bodies;
- the hooks module only forwards events; only kb.adapters imports MkDocs;
- the environment is read in kb/infra/settings.py only, and no module locates the
  project from its own file.
"""
from __future__ import annotations

import ast
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import FIXTURES, ROOT
from project_copy import make_project

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile" / "content"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(*args, cwd=ROOT, timeout=600):
    return subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          env=ENV, timeout=timeout)


def test_plain_mkdocs_build_makes_the_search_index(tmp_path):
    config = make_project(tmp_path / "project", FIXTURES)
    site = tmp_path / "site"
    result = run("-m", "mkdocs", "build", "--strict", "-f", config, "-d", site, cwd=config.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (site / "pagefind" / "pagefind.js").stat().st_size > 0
    entry = (site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"fr"' in entry
    assert list((site / "pagefind" / "fragment").glob("*.pf_fragment"))


def test_export_pages_builds_with_stock_mkdocs_without_hooks(tmp_path):
    config = make_project(tmp_path / "project", HOSTILE)
    out = tmp_path / "export"
    exported = run("-m", "kb", "--projet", config.parent, "export-pages", out)
    assert exported.returncode == 0, exported.stderr[-3000:]
    text = (out / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text.replace("!ENV", ""))
    assert "hooks" not in config and "plugins" not in config or not config.get("plugins")
    extensions = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert extensions and not any(str(e).startswith("kb") for e in extensions)
    # a stock MkDocs, run where our package cannot be imported
    isolated = {**ENV, "PYTHONPATH": ""}
    built = subprocess.run([sys.executable, "-I", "-m", "mkdocs", "build", "--strict", "-f", out / "mkdocs.yml"],
                           cwd=tmp_path, capture_output=True, text=True, env=isolated, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    site = out / "site"
    pages = list(site.glob("cooperations/*/index.html"))
    assert len(pages) == len(list((HOSTILE / "cooperations").glob("*.md"))) >= 2
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        article = soup.select_one("article")
        assert article is not None and article.h1 is not None
        # the hostile bodies were sanitised at export time: no script, no handler
        assert not article.find("script")
        assert not any(attr.startswith("on") for tag in article.find_all(True) for attr in tag.attrs)
    assert (site / "donnees" / "cooperations.csv").exists()
    sources = BeautifulSoup((site / "sources" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert "{ #" not in sources.get_text()  # the templates' attribute lists still work


def _module_level_assignments(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [t.id for t in targets if isinstance(t, ast.Name)]
        if isinstance(node, ast.Global):  # pragma: no cover - would be inside functions
            names += node.names
    return names


def test_hooks_only_forward_events_to_the_adapter():
    hooks = ROOT / "hooks" / "kb_hooks.py"
    text = hooks.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 100
    assert _module_level_assignments(hooks) == ["adapter"]
    assert "global " not in text
    forwarded = {node.name for node in ast.parse(text).body if isinstance(node, ast.FunctionDef)}
    assert {"on_build_error", "on_shutdown"} <= forwarded  # the pool closed on error and shutdown
    for forbidden in ("import gc", "threading", "__defaults__", "multiprocessing", "os.environ"):
        assert forbidden not in text


def test_environment_read_in_one_place_and_no_root_from_file():
    offenders = []
    for path in sorted((ROOT / "kb").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if rel != "kb/infra/settings.py" and re.search(r"os\.environ|os\.getenv", text):
            if rel not in ("kb/cli.py", "kb/infra/localsite.py"):  # child process env / test browser path
                offenders.append(f"{rel}: environment")
        if re.search(r"__file__\)?\.resolve\(\)\.parent|parents\[\d\]", text):
            offenders.append(f"{rel}: root from __file__")
    assert offenders == []


def test_templates_are_package_data():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"kb.render" = ["templates/*"]' in pyproject
    assert not (ROOT / "templates").exists()


def test_a_page_conversion_past_its_budget_stops_with_a_french_message():
    from mkdocs.exceptions import BuildError

    from kb.adapters.mkdocs import ConversionBudget, PageTooSlow

    budget = ConversionBudget(0.2)
    assert budget.available()  # pytest runs tests in the main thread
    budget.start("cooperations/lente.md")
    try:
        with pytest.raises(PageTooSlow) as caught:
            while True:  # a conversion that never ends
                pass
    finally:
        budget.stop()
    assert isinstance(caught.value, BuildError)  # MkDocs stops with the message, no traceback
    assert "cooperations/lente.md : conversion trop longue" in str(caught.value)
    budget.start("cooperations/rapide.md")
    budget.stop()  # stopped in time: nothing raised later
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_no_signal_handler_outlives_a_page():
    from kb.adapters.mkdocs import ConversionBudget

    def theirs(signum, frame):  # a handler the process had before the build
        pass

    before = signal.signal(signal.SIGALRM, theirs)
    try:
        budget = ConversionBudget(30)
        budget.start("cooperations/a.md")
        assert signal.getsignal(signal.SIGALRM) != theirs
        budget.stop()
        assert signal.getsignal(signal.SIGALRM) is theirs
        budget.start("cooperations/b.md")  # a page whose conversion failed: the build error
        from kb.adapters.mkdocs import MkDocsAdapter  # event stops the budget all the same
        adapter = MkDocsAdapter()
        adapter.budget = budget
        adapter.on_build_error(error=RuntimeError("conversion failed"))
        assert signal.getsignal(signal.SIGALRM) is theirs
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, before)


def test_kb_build_runs_in_process_with_the_settings_it_was_given(tmp_path):
    """`python -m kb build` hands its own Settings to the build (no child process that would
    read them again from mkdocs.yml and the environment): a value only these Settings hold
    reaches the page that shows it."""
    from conftest import settings_for
    from kb import cli

    config = make_project(tmp_path / "project", FIXTURES)
    settings = settings_for(config.parent / "content", tmp_path / "site", publisher="Éditeur donné par la commande",
                            parallel=False)
    assert cli.build(settings, config) == 0
    legal = BeautifulSoup((tmp_path / "site" / "mentions-legales" / "index.html").read_text(encoding="utf-8"),
                          "lxml")
    assert "Éditeur donné par la commande" in legal.select_one("article").get_text()
    assert (tmp_path / "site" / "pagefind" / "pagefind.js").exists()


def test_exported_bodies_get_the_glossary_pass_and_the_cleaning():
    from kb.adapters.export import body_as_html
    from kb.render import glossary

    entries = glossary.load(ROOT / "data" / glossary.FILE)
    html = str(body_as_html(["tables"], entries)('Le PETR du pays. <span onclick="x()" class="md-nav">PETR</span>'))
    assert html.count("<abbr") == 1 and ">PETR</abbr>" in html  # the first use only, as on the site
    assert "onclick" not in html and "md-nav" not in html  # the body's policy


def test_media_are_read_again_and_two_pages_cannot_share_a_path(tmp_path):
    from kb.assemble.session import BuildSession, ContentErrors
    from conftest import settings_for

    content = tmp_path / "content"
    import shutil
    shutil.copytree(FIXTURES, content)
    shutil.copytree(FIXTURES.parent / "data", tmp_path / "data")
    (content / "medias").mkdir()
    png = (HOSTILE / "medias" / "image.png").read_bytes()
    (content / "medias" / "photo.png").write_bytes(png)
    session = BuildSession(settings_for(content, tmp_path / "site"))
    site = session.prepare()
    assert site.media == {"medias/photo.png"}
    assert session.media_bytes("medias/photo.png") == png
    (content / "medias" / "photo.png").unlink()
    (content / "medias" / "photo.png").symlink_to("/etc/hostname")  # swapped after the check
    with pytest.raises(Exception, match="lien symbolique"):
        session.media_bytes("medias/photo.png")


def test_two_producers_of_one_path_stop_the_build_naming_both():
    from kb.publish.files import PathClash, merge

    assert merge({"a": {"x.json": b"1"}, "b": {"y.json": b"2"}}) == {"x.json": b"1", "y.json": b"2"}
    with pytest.raises(PathClash) as caught:
        merge({"kb.publish.feeds": {"flux-x.xml": b""}, "kb.publish.opendata": {"donnees/a.csv": b""},
               "kb.publish.decap": {"Flux-X.xml": b""}})  # one file on a case-insensitive disk
    message = str(caught.value)
    assert "flux-x.xml" in message and "kb.publish.feeds" in message and "kb.publish.decap" in message


def test_paths_are_decided_in_the_sitemap_only():
    """Pagination, reserved names, schema ids, the 404 file and the feeds' names come from
    kb/sitemap.py; the modules that use them spell none of them."""
    from kb import sitemap

    assert sitemap.numbered("cooperations/index.md", 3) == "cooperations/page-3.md"
    assert sitemap.numbered("themes/energie.md", 2) == "themes/energie/page-2.md"
    assert sitemap.numbered("explorer/cooperations.md", 1) == "explorer/cooperations.md"
    spelled = {"kb/render/pages.py": "page-", "kb/render/discovery.py": "page-",
               "kb/content/validate.py": "cooperations/index.md", "kb/content/fields.py": "}schema/",
               "kb/search/index.py": '"404.html"', "overrides/main.html": "flux-"}
    offenders = [rel for rel, literal in spelled.items() if literal in (ROOT / rel).read_text(encoding="utf-8")]
    assert offenders == []


def test_the_memo_reuses_a_result_only_for_equal_inputs_and_only_in_a_preview():
    from kb.assemble.memo import Memo

    calls = []

    def work(text, n):
        calls.append(text)
        return text.upper() * n

    single = Memo()  # a single build: nothing kept (every page's HTML would stay in memory)
    assert single.get("w", "a", work, "a", 1) == single.get("w", "a", work, "a", 1) == "A"
    assert calls == ["a", "a"]
    calls.clear()
    preview = Memo(keep=True)
    assert preview.get("w", "a", work, "a", 1) == "A"
    assert preview.get("w", "a", work, "a", 2) == "AA"  # other arguments: computed
    preview.next_build()
    assert preview.get("w", "a", work, "a", 1) == "A"  # the build before computed it
    assert calls == ["a", "a"]
    preview.next_build()
    preview.next_build()  # not used by the build before: dropped
    assert preview.get("w", "a", work, "a", 2) == "AA" and calls == ["a", "a", "a"]
