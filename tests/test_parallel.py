"""The process pool of a build (kb.assemble.parallel): same pages, never an unsanitised one.

1. ``workers()`` follows the settings (KB_PARALLELE) and the size of the site.
2. The pool gives what the build's own process gives, errors included; with a pool, the
   pages' Markdown is rendered there, not in the build's own process.
3. From ``on_page_content`` on, a page holds its clean HTML (what the site serves), never
   a placeholder nor the HTML MkDocs made of it; the pool is closed on a build error.
4. A real build with the pool (``KB_PARALLELE=1``) writes every file byte for byte as
   the build without it (``KB_PARALLELE=0``), on the hostile corpus, whose every page
   needs cleaning.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from conftest import FIXTURES, settings_for
from kb.adapters.mkdocs import MkDocsAdapter
from kb.assemble import ahead, parallel
from kb.assemble.session import BuildSession, clean
from kb.publish.sanitize import sanitize_html
from project_copy import kb_build
from test_hostile import HOSTILE, typed_values
from test_reproducible import _first_difference, digests
from hostile_scan import scan_site

UNSAFE = ('<h2 id="x">Titre</h2><p onclick="alert(1)">texte <script>alert("kbx")</script>'
          '<img src="https://ailleurs.example/p.png" onerror="alert(2)"><a href="javascript:alert(3)">lien</a></p>')


def test_workers_follow_the_settings_and_the_size():
    big, small = parallel.THRESHOLD, parallel.THRESHOLD - 1
    assert parallel.workers(None, small, cores=8) == 0  # small site: no pool
    assert parallel.workers(None, big, cores=8) == 7  # one core left to the site generator
    assert parallel.workers(None, big, cores=1) == 0
    assert parallel.workers(False, big, cores=8) == 0  # KB_PARALLELE=0
    assert parallel.workers(True, 1, cores=8) == 7  # KB_PARALLELE=1, at any size
    assert parallel.workers(True, 1, cores=1) == 1


@pytest.mark.parametrize("workers", [0, 1])
def test_pool_gives_what_one_process_gives(workers):
    pool = parallel.Pool(workers)
    pages = {f"p{i}.md": UNSAFE.replace("Titre", f"Titre {i}") for i in range(20)}
    try:
        for key, html in pages.items():
            pool.submit(key, sanitize_html, html)
        with pytest.raises(KeyError):
            pool.submit("p0.md", sanitize_html, "")
        for key in reversed(list(pages)):  # collected in any order
            assert pool.collect(key) == sanitize_html(pages[key])
        with pytest.raises(KeyError):
            pool.collect("p0.md")  # collected once
        pool.submit("bad", sanitize_html, None)  # the work's own error, raised by collect
        with pytest.raises((TypeError, AttributeError)):
            pool.collect("bad")
        pool.submit("left", sanitize_html, UNSAFE)  # never collected: cancelled by close
    finally:
        pool.close()
    pool.close()  # twice: harmless


def _fake_page(src_uri: str):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), markdown="Texte.", present_anchor_ids=set(),
                           content=None)


@pytest.mark.parametrize("setting", [False, True])
def test_a_page_holds_its_clean_html_from_on_page_content(setting):
    adapter = MkDocsAdapter()
    adapter.session = BuildSession(settings_for(FIXTURES, parallel=setting))
    adapter.session.prepare()
    assert adapter.session.pool_workers == (0 if not setting else parallel.workers(True, 1))
    try:
        page = _fake_page("cooperations/x.md")
        acronym = adapter.session.glossary[0].sigle
        unsafe = UNSAFE.replace("texte", f"texte {acronym}")
        page.content = adapter.on_page_content(unsafe, page=page)  # what MkDocs does with the result
        # what any later plugin reads: the page as the site serves it, acronyms explained
        assert page.content == clean(unsafe, adapter.session.glossary) != ""
        assert f">{acronym}</abbr>" in page.content
        assert "<script" not in page.content and "onerror" not in page.content
        assert "onclick" not in page.content
    finally:
        adapter.on_build_error(error=RuntimeError("a page failed"))
    assert adapter.session._pool._executor is None  # closed on a build error


def _rendered_here():
    raise AssertionError("a page rendered in the build's own process, not in the pool")


def test_pages_are_rendered_ahead_in_the_pool():
    """With a pool, the build's own process renders no page: the pool does, from the same
    graph, and the bodies are those one process renders (kb.assemble.ahead)."""
    alone = BuildSession(settings_for(FIXTURES, parallel=False))
    expected = {page.path: page.body for page in alone.prepare().pages}
    session = BuildSession(settings_for(FIXTURES, parallel=True))
    try:
        pages = session.prepare().pages
        for page in pages:
            page._render = _rendered_here
        assert ahead.BATCH < len(pages)  # several batches
        got = {page.path: session.body(page.path) for page in reversed(pages)}  # any order
        assert got == expected
    finally:
        session.close()


@pytest.fixture(scope="module")
def hostile_sites(hostile_build, tmp_path_factory):
    # KB_PARALLELE=0: the session's build of the hostile corpus (conftest)
    assert hostile_build.env == {"KB_PARALLELE": "0"}
    assert "processus en parallèle" not in hostile_build.result.stderr, hostile_build.result.stderr
    sites = {"0": hostile_build.site}
    # KB_PARALLELE=1: another build of the same project
    site = tmp_path_factory.mktemp("parallel") / "site-1"
    result = kb_build(hostile_build.config, site, env={"KB_PARALLELE": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "processus en parallèle" in result.stderr, result.stderr
    sites["1"] = site
    return sites


def test_build_with_the_pool_is_byte_identical(hostile_sites):
    without, with_pool = digests(hostile_sites["0"]), digests(hostile_sites["1"])
    assert sum(name.endswith(".html") for name in without) > 20
    assert sorted(without) == sorted(with_pool)
    different = [name for name in without if without[name] != with_pool[name]]
    assert different == [], "\n".join(
        f"{name}: {_first_difference(hostile_sites['0'] / name, hostile_sites['1'] / name)}"
        for name in different[:10])


def test_no_payload_survives_a_build_with_the_pool(hostile_sites):
    findings = scan_site(hostile_sites["1"], typed_values(HOSTILE))
    assert findings == [], "\n".join(map(str, findings))
