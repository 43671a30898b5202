"""Islands (kb.render.islands): generated HTML blocks skip the Markdown parser, the pages do not change.

The fixture corpus and the hostile corpus are each built twice, with the
project's mkdocs.yml and with the same file without the ``kb.adapters.islands``
extension (Markdown then parses the blocks and passes them through, markers
included, and the sanitiser removes the markers). Every output file must be the
same, but for blank lines between blocks.
"""
from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from kb.render import islands
from project_copy import kb_build, make_project
from test_reproducible import digests

HERE = Path(__file__).resolve().parent
CORPORA = {"fixtures": HERE / "fixtures" / "content", "hostile": HERE / "fixtures" / "hostile" / "content"}
BUILDS = {"fixtures": "fixture_build", "hostile": "hostile_build"}  # session fixtures (conftest)
BLANK_LINES = re.compile(r"\n[ \t]*(?=\n)")


def _normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".html":
        data = BLANK_LINES.sub("", data.decode("utf-8")).encode("utf-8")
    return data


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_pages_are_the_same_with_and_without_islands(corpus, request, tmp_path):
    # with islands: the session's build of the corpus with the project's mkdocs.yml (conftest)
    built = request.getfixturevalue(BUILDS[corpus])
    assert built.env == {"KB_PARALLELE": "0"}
    text = built.config.read_text(encoding="utf-8")
    assert "  - kb.adapters.islands\n" in text
    # without: another copy of the project, the same settings, the extension taken out
    config = make_project(tmp_path / "project", CORPORA[corpus])
    plain = config.with_name("mkdocs-sans-ilots.yml")
    plain.write_text(text.replace("  - kb.adapters.islands\n", ""), encoding="utf-8")
    result = kb_build(plain, tmp_path / "parsed", env=built.env)
    assert result.returncode == 0, result.stdout + result.stderr
    sites = {"islands": built.site, "parsed": tmp_path / "parsed"}
    # the search index (pagefind/: file names are hashes of their content) is made from
    # the pages: compare the pages themselves
    with_islands, parsed = ({p for p in digests(sites[name]) if not p.startswith("pagefind/")}
                            for name in ("islands", "parsed"))
    assert with_islands == parsed
    pages = sorted(with_islands)
    different = [p for p in pages
                 if _normalised(sites["islands"] / p) != _normalised(sites["parsed"] / p)]
    assert not different, different[:10]
    # the comparison is not empty: the generated pages do use islands, and no marker is left
    assert len(pages) > 50
    catalogue = (sites["islands"] / "cooperations" / "index.html").read_text(encoding="utf-8")
    assert "<table" in catalogue and "kb-island" not in catalogue


def _convert(text: str) -> str:
    return markdown.Markdown(extensions=["md_in_html", "kb.adapters.islands"]).convert(text)


def test_an_island_is_stored_as_it_is():
    block = '<div class="x">\n*not emphasis*\n\n<p id="a&amp;b">text</p>\n</div>'
    text = "# Title\n" + islands.island(block) + "\nSome *Markdown*.\n"
    html = _convert(text)
    assert block in html  # untouched: no Markdown inside an island
    assert "<em>Markdown</em>" in html
    assert islands.OPEN not in html and islands.CLOSE not in html
    assert islands.anchor_ids(text) == {"a&b"}


def test_consecutive_and_nested_islands():
    inner = islands.island('<figure id="map">map</figure>')
    outer = islands.island(f'<div id="outer">\n{inner}\n</div>')
    assert outer.count(islands.OPEN) == 1  # the inner one became part of the outer one
    text = outer + islands.island('<ul id="list"><li>*x*</li></ul>')
    html = _convert(text)
    assert '<figure id="map">map</figure>' in html and "<li>*x*</li>" in html
    assert islands.anchor_ids(text) == {"outer", "map", "list"}


def test_a_body_cannot_open_an_island():
    body = f"{islands.OPEN}\n<div>\n*emphasis*\n</div>\n{islands.CLOSE}\n"
    neutral = islands.neutralise(body)
    assert islands.OPEN not in neutral and islands.CLOSE not in neutral
    assert islands.anchor_ids(neutral) == set()
    assert islands.neutralise("plain text") == "plain text"


def test_a_marker_counts_only_on_a_line_of_its_own():
    text = f"text {islands.OPEN}\n<div id='x'>a</div>\n{islands.CLOSE}\n"
    assert list(islands.blocks(text.split("\n"))) == []
    assert islands.anchor_ids(text) == set()
    own_lines = f"{islands.OPEN}\n<div id=\"x\">a</div>\n{islands.CLOSE}"
    assert list(islands.blocks(own_lines.split("\n"))) == [(0, 2)]
    assert islands.anchor_ids(own_lines) == {"x"}
