"""The cleaning of a converted page (kb.assemble.session.clean): the fast paths of the glossary
pass (kb.render.glossary) and of the sanitiser (kb.publish.sanitize) give the values stated here.

The cleaning is on the build's critical path (every page, in the build's own process): these
paths avoid work, never change a byte of what the pages were before them. The whole site is
compared before and after by tests/test_hostile.py and tests/test_security.py; here, the
inputs each fast path was made for.
"""
from __future__ import annotations

import pytest

from kb.render.glossary import Entry, explain_first_uses

ENTRIES = tuple(Entry(sigle, f"forme de {sigle}") for sigle in
                ("A", "AB", "ABC", "B", "SCoT", "interSCoT", "PAT", "PETR", "SEM", "PNR", "PNR Vosges"))


def abbr(sigle: str) -> str:
    return f'<abbr title="forme de {sigle}">{sigle}</abbr>'


@pytest.mark.parametrize("page", [
    "<h1>Une coopération</h1><p>Sans aucun sigle, ni Pat ni pat.</p>",
    '<p><a href="../pat/">Le PAT du Mené</a> et <code>SEM</code></p>',
    '<h2 id="pat">Plan</h2><p title="PETR">texte</p>',
    '<figure><svg viewBox="0 0 1 1"><title>Le PETR</title><path d="m1 1"></path></svg></figure>',
    "<p>ASSEMBLÉE, /pat/, x.PAT, PAT2, PAT-x, SEM@x</p>",
    "<p>a < b PAT</p>",  # after a « < » never closed, nothing is explained
])
def test_a_page_with_nothing_to_explain_is_given_back_as_it_is(page):
    """No copy of a page (up to half a megabyte at 5,000 cases) when no acronym of it is
    explained: none at all, or only inside links, code, attributes, drawings or words."""
    assert explain_first_uses(page, ENTRIES) is page


def test_the_longest_acronym_is_tried_first_among_those_of_one_letter():
    """The pattern groups the acronyms by their first letter: at each place the longest one
    that ends a word is explained, as a list of every acronym, longest first, did."""
    page = "<p>ABCD AB-x ABC AB A B.</p><p>interSCoT puis SCoT ; le PNR Vosges, un PNR.</p>"
    assert explain_first_uses(page, ENTRIES) == (
        f"<p>ABCD AB-x {abbr('ABC')} {abbr('AB')} {abbr('A')} {abbr('B')}.</p>"
        f"<p>{abbr('interSCoT')} puis {abbr('SCoT')} ; le {abbr('PNR Vosges')}, un {abbr('PNR')}.</p>")


def test_the_elements_left_alone_are_followed_as_far_as_the_last_acronym_to_explain():
    """Once every acronym met is explained, the rest of the page is not read again: its later
    uses stay as they are, and the tags after them (an unclosed <code>) change nothing."""
    page = ('<p><a href="x">PAT</a> <code>SEM</code> PAT <a>PETR</a></p>'
            "<p>SEM PAT <code>PETR</p><p>PETR</p>")
    assert explain_first_uses(page, ENTRIES) == (
        f'<p><a href="x">PAT</a> <code>SEM</code> {abbr("PAT")} <a>PETR</a></p>'
        f"<p>{abbr('SEM')} PAT <code>PETR</p><p>PETR</p>")


def test_acronyms_inside_a_drawing_are_left_as_they_are():
    """The maps' drawings are not read for acronyms (their labels are not explained); what
    follows the drawing's closing tag is, and a drawing never closed leaves the rest alone."""
    drawing = '<figure><svg viewBox="0 0 1 1"><title>PAT</title><text>SEM</text></svg></figure>'
    page = f"{drawing}<p>Le PAT et la SEM.</p>"
    assert explain_first_uses(page, ENTRIES) == f"{drawing}<p>Le {abbr('PAT')} et la {abbr('SEM')}.</p>"
    nested = '<svg><svg><title>PAT</title></svg><text>PAT</text></SVG ><p>PAT</p>'
    assert explain_first_uses(nested, ENTRIES) == f"<svg><svg><title>PAT</title></svg><text>PAT</text></SVG ><p>{abbr('PAT')}</p>"
    unclosed = "<p>SEM</p><svg><text>PAT</text></svg/><p>PAT</p>"
    assert explain_first_uses(unclosed, ENTRIES) == f"<p>{abbr('SEM')}</p><svg><text>PAT</text></svg/><p>PAT</p>"
    not_a_drawing = "<svgx>PAT</svgx><svg/>SEM"
    assert explain_first_uses(not_a_drawing, ENTRIES) == f"<svgx>{abbr('PAT')}</svgx><svg/>{abbr('SEM')}"
    odd = (Entry("X<svg>", "forme"),)  # refused in data/glossaire.yml; still read as written
    assert explain_first_uses("<p>X<svg> a</svg></p>", odd) == '<p><abbr title="forme">X<svg></abbr> a</svg></p>'


def _explained_plainly(page: str, entries: tuple[Entry, ...]) -> str:
    """The glossary pass as first written, without any shortcut (the reference the fast one
    must equal): every acronym of the page in order, longest first; the elements of
    kb.render.glossary._SKIP followed as a stack up to each of them."""
    import html
    import re

    from kb.render.glossary import _SKIP

    names = sorted((e.sigle for e in entries), key=len, reverse=True)
    acronym = re.compile("(" + "|".join(map(re.escape, names)) + r")(?![\w/@-])")
    skip_tag = re.compile(r"<(/?)\s*(" + "|".join(sorted(_SKIP)) + r")(?![a-zA-Z0-9])[^>]*>", re.I)

    def in_tag(at: int) -> bool:
        return page.rfind("<", 0, at) > page.rfind(">", 0, at)

    tags = [t for t in skip_tag.finditer(page) if not in_tag(t.start()) and not t.group(0).endswith("/>")]
    titles = {e.sigle: e.forme for e in entries}
    seen, out, done = set(), [], 0
    for match in acronym.finditer(page):
        at, sigle = match.start(), match.group(1)
        if at and re.match(r"[\w/.@-]", page[at - 1]):
            continue
        stack: list[str] = []
        for tag in (t for t in tags if t.start() < at):
            name = tag.group(2).lower()
            if not tag.group(1):
                stack.append(name)
            elif name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name)]
        if sigle not in seen and not stack and not in_tag(at):
            seen.add(sigle)
            out += [page[done:at], f'<abbr title="{html.escape(titles[sigle], quote=True)}">{sigle}</abbr>']
            done = match.end()
    return "".join(out) + page[done:]


def test_the_glossary_pass_equals_its_plain_definition_on_random_pages():
    """Pages drawn from pieces that exercise every rule (nested and unclosed elements, names
    in capitals, tags inside tags, self-closing tags, acronyms inside words and addresses)."""
    import random

    pieces = ["PAT", "PATR", "PETR", "SEM", "SCoT", "interSCoT", "PNR", "PNR Vosges", "A", "AB", " ", "x", ".",
              "/", "@", "-", "é", "1", "<", ">", "<a href='PAT'>", "</a>", "<code>", "</CODE>", "<svg/>", "<svg>",
              "</svg>", "<abbr>", "</abbr >", "<codex>", "</ a>", "<pre\n>", "<b>", "</b>", '<h2 id="PAT">', "</h2>",
              "\n", "<!--", "-->", "<a", 'title="SEM"', "</code>", "<Button>", "</button>", "<Svg >", "<code/>",
              "</SVG >", "</ svg>", "</svg/>", "</\u017fvg>", "<svgx>", "<svg title='x'>", "<svg", "<title>", "</title>"]
    rng = random.Random(20261208)
    for _ in range(5000):
        page = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert explain_first_uses(page, ENTRIES) == _explained_plainly(page, ENTRIES), page


def test_island_ids_of_a_page_without_any_id_and_of_one_with_ids_outside_its_islands():
    """kb.render.islands.anchor_ids, after each page's conversion: a page with islands but no
    ``id`` anywhere (most pages) has none; an ``id`` outside the islands does not count."""
    from kb.render import islands

    plain = "# Titre\n" + islands.island('<table class="kb-cases">\n<tr><td>PAT</td></tr>\n</table>') + "\nTexte.\n"
    assert islands.anchor_ids(plain) == set()
    outside = '<p id="dehors">x</p>\n' + plain
    assert islands.anchor_ids(outside) == set()
    inside = outside + islands.island('<figure id="kb-map">\n<p id="a&amp;b">carte</p>\n</figure>')
    assert islands.anchor_ids(inside) == {"kb-map", "a&b"}
