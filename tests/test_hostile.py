"""Hostile contributions, proven at build level.

1. A front matter that tries to surprise the YAML parser (aliases, anchors,
   tags, duplicate keys, not a mapping, too large, not UTF-8…) or a source link
   that is not http(s) stops the real build (`python -m kb build`, in a
   subprocess, on a copy of the project) with a French message naming the file
   and the line, and no traceback.
2. "Métropole" typed in NFC in one file and NFD in another is one territory.
3. The hostile corpus tests/fixtures/hostile/ (script payloads in every field
   and in bodies) builds, shows its payloads as text, and no payload survives
   as something that can run or load, in ANY file of the built site.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import load
from hostile_scan import Finding, check_fragment, scan_file, scan_site
from kb.content.reader import decode, parse_yaml, read_file
from project_copy import configure_for_publication, kb_build, make_project

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "content"
HOSTILE = HERE / "fixtures" / "hostile" / "content"

VALID_CASE = """---
titre: Une coopération piégée
resume: Un résumé.
territoires:
  - nom: Ville A
    type: association
    departement: "29"
  - nom: Ville B
    type: association
    departement: "29"
themes: [energie]
statut: en-cours
date_ajout: 2026-01-15
sources:
  - titre: Un rapport
    editeur: Un éditeur
    url: {url}
---

Corps.
"""

# name -> (file bytes, text of the line the error must name, French words expected in the message)
HOSTILE_FRONT_MATTER = {
    "ancre": (b"---\ntitre: &t Titre\nresume: *t\n---\n", "&t", "ancre"),
    "alias-orphelin": (b"---\ntitre: Titre\nresume: *inconnu\n---\n", "*inconnu", "alias"),
    "milliard-de-rires": (b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a]\n"
                          b"c: [*b, *b, *b, *b, *b, *b, *b, *b]\n---\n", "&a", "ancre"),
    "etiquette-python": (b"---\ntitre: !!python/object/apply:os.system [\"echo pwned\"]\n---\n",
                         "!!python", "étiquette"),
    "etiquette-locale": (b"---\ntitre: Titre\nresume: !secret valeur\n---\n", "!secret", "étiquette"),
    "cle-en-double": (b"---\ntitre: Premier\nresume: x\ntitre: Second\n---\n", "Second", "deux fois"),
    "liste": (b"---\n- titre\n- resume\n---\n", "- titre", "liste de champs"),
    "valeur-seule": (b"---\njuste du texte\n---\n", "juste du texte", "liste de champs"),
    "trop-long": (b"---\ntitre: Titre\nresume: " + b"a" * (17 * 1024) + b"\n---\n", "---", "16 Ko"),
    "pas-utf8": (b"---\ntitre: Titre\nresume: caf\xe9 cr\xe8me\n---\n", "resume", "UTF-8"),
    "utf16": ("---\ntitre: Titre\n---\n".encode("utf-16"), "---", "UTF-8"),
    "jamais-ferme": (b"---\ntitre: Titre\nresume: x\n", "---", "jamais fermé"),
    "tabulation": (b"---\ntitre: Titre\nterritoires:\n\t- nom: A\n---\n", "\t- nom", "tabulation"),
    # a thousand levels in 2 KB: Python's recursion limit, unless the reader stops first
    "imbrication-listes": (b"---\ntitre: Titre\nresume: " + b"[" * 999 + b"]" * 999 + b"\n---\n", "resume",
                           "trop imbriquées"),
    "imbrication-champs": (b"---\ntitre: Titre\nresume:\n" + b"".join(b" " * i + b"k:\n" for i in range(1, 40))
                           + b"\n---\n", " " * 16 + "k:", "trop imbriquées"),
    "lien-javascript": (VALID_CASE.format(url="\"javascript:alert('x')\"").encode(), "url:", "http"),
    "lien-data": (VALID_CASE.format(url="\"data:text/html;base64,PHNjcmlwdD4=\"").encode(), "url:", "http"),
    "lien-vbscript": (VALID_CASE.format(url="\"vbscript:msgbox(1)\"").encode(), "url:", "http"),
    "lien-sans-protocole": (VALID_CASE.format(url="//evil.example/x").encode(), "url:", "http"),
    "lien-avec-guillemet": (VALID_CASE.format(url="'https://a.example/\" onmouseover=\"x'").encode(),
                            "url:", "http"),
}


def expected_line(data: bytes, needle: str) -> int:
    """1-based line of the first line containing ``needle`` (of the file as MkDocs reads it)."""
    text = data.decode("utf-8", errors="replace") if not data.startswith(b"\xff\xfe") else ""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    return 1


NFC_NAME = unicodedata.normalize("NFC", "Métropole de l'Essai")
NFD_NAME = unicodedata.normalize("NFD", "Métropole de l'Essai")


def decap_public_folder() -> str:
    from kb.publish.decap import config

    return config(load(FIXTURES).data, "o/r")["public_folder"]


def _valid_case(replacements: dict[str, str]) -> str:
    text = VALID_CASE.format(url="https://example.org/r.pdf")
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


# Valid files the tests below add to the fixture content, each in a file of its own:
# one real build of the fixture content with all of them (``valid_build``).
VALID_ADDITIONS = {
    # saved by Windows Notepad: BOM and CRLF
    "fiche-windows.md": b"\xef\xbb\xbf" + _valid_case({"Une coopération piégée": "Fiche Windows"})
    .replace("\n", "\r\n").encode("utf-8"),
    # unquoted values that YAML 1.1 would turn into a boolean, a date or a number
    "scalaires.md": _valid_case({"titre: Une coopération piégée": "titre: NO",
                                   "resume: Un résumé.": "resume: 2018-01-05",
                                   "nom: Ville A": "nom: 0x1F", "nom: Ville B": "nom: 1e3"}).encode("utf-8"),
    # one territory typed in NFC in one file and NFD in another
    **{f"{slug}.md": _valid_case({"Une coopération piégée": f"Cas {slug}", "nom: Ville A": f"nom: {spelling}"})
       .encode("utf-8") for slug, spelling in (("essai-nfc", NFC_NAME), ("essai-nfd", NFD_NAME))},
    # an abbreviation defined in a body: for that body only, not the page's title or « Sources » heading
    "abreviations.md": _valid_case({"Une coopération piégée": "Sources partagées", "Corps.":
                                    "*[Sources]: Documents cités\n\nLes Sources du texte."}).encode("utf-8"),
    # an image inserted by the /admin/ editor, at the path its configuration writes
    "image-editeur.md": _valid_case({"Une coopération piégée": "Image de l'éditeur", "Corps.":
                                     f"![Une photo]({decap_public_folder()}/photo.png)"}).encode("utf-8"),
}
SUB_PATH = "https://example.org/depot/"  # a GitHub Pages project site


@pytest.fixture(scope="module")
def valid_build(tmp_path_factory):
    """`python -m kb build` on a copy of the project around the fixture content and the
    valid files of VALID_ADDITIONS; proves it builds. Returns the site folder."""
    root = tmp_path_factory.mktemp("fixture-project")
    config = make_project(root / "project", FIXTURES)
    for name, data in VALID_ADDITIONS.items():
        (config.parent / "content" / "cooperations" / name).write_bytes(data)
    (config.parent / "content" / "medias").mkdir(exist_ok=True)
    (config.parent / "content" / "medias" / "photo.png").write_bytes((HOSTILE / "medias" / "image.png").read_bytes())
    configure_for_publication(config)  # a public address requires the site's settings (kb.render.participate)
    result = kb_build(config, root / "site", env={"KB_SITE_URL": SUB_PATH, "KB_DEPOT": "", "GITHUB_REPOSITORY": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def front_matter_build(tmp_path_factory):
    """`python -m kb build` on a copy of the project around the fixture content and every
    file of HOSTILE_FRONT_MATTER, each in a file of its own: the build reports every
    problem of every file (kb.assemble.session.ContentErrors), then stops."""
    root = tmp_path_factory.mktemp("hostile-front-matter")
    config = make_project(root / "project", FIXTURES)
    assert load(config.parent / "content").problems == []  # the fixture content alone is valid
    for name, (data, _, _) in HOSTILE_FRONT_MATTER.items():
        (config.parent / "content" / "cooperations" / f"{name}.md").write_bytes(data)
    result = kb_build(config, root / "site")
    return result, root / "site"


def _location(name: str) -> str:
    data, needle, _ = HOSTILE_FRONT_MATTER[name]
    return f"cooperations/{name}.md:{expected_line(data, needle)}: "


@pytest.mark.parametrize("name", sorted(HOSTILE_FRONT_MATTER))
def test_hostile_front_matter_stops_the_build_with_a_french_message(name, front_matter_build, tmp_path):
    data, needle, words = HOSTILE_FRONT_MATTER[name]
    location = _location(name)
    # the file alone, added to the valid fixture content, is a problem of its own: read and
    # checked in this process as the build reads them (any problem stops the build)
    config = make_project(tmp_path / "project", FIXTURES)
    (config.parent / "content" / "cooperations" / f"{name}.md").write_bytes(data)
    alone = [str(p) for p in load(config.parent / "content").problems]
    assert alone, name
    assert all(location.split(":")[0] in text for text in alone), alone
    assert any(location in text and words in text for text in alone), alone
    # the real build of the content with every hostile file: stopped, the file named, in French
    result, site = front_matter_build
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    messages = [text for text in output.splitlines() if location in text]
    assert messages, f"aucun message « {location}… » dans :\n{output}"
    assert words in messages[0], messages[0]
    assert "la construction du site est arrêtée" in output
    assert not (site / "index.html").exists()


def test_bom_and_crlf_are_read_like_mkdocs(valid_build):
    """A valid file saved by Windows Notepad (BOM, CRLF) builds, and its title is intact."""
    page = BeautifulSoup((valid_build / "cooperations" / "fiche-windows" / "index.html").read_text(), "lxml")
    assert page.select_one("article h1").get_text(strip=True) == "Fiche Windows"
    assert page.title.get_text().startswith("Fiche Windows")


def test_abbreviations_of_a_body_stay_in_that_body(valid_build):
    page = BeautifulSoup((valid_build / "cooperations" / "abreviations" / "index.html").read_text(), "lxml")
    article = page.select_one("article")
    assert [a.get("title") for a in article.select(".kb-corps abbr, p abbr") if a.get_text() == "Sources"]
    assert article.h1.get_text(strip=True) == "Sources partagées" and not article.h1.find("abbr")
    headings = [h for h in article.find_all(["h2", "h3"]) if h.get_text(strip=True).startswith("Sources")]
    assert headings and not [h for h in headings if h.find("abbr")]
    assert not [a for a in page.select("nav abbr, .md-header abbr, title abbr")]


def test_an_image_inserted_by_the_editor_builds_and_works_under_a_sub_path(valid_build):
    """The strict build passed (valid_build); the image is published and its address, read from
    the page's address on a project site, is the published file."""
    from urllib.parse import urljoin

    page = BeautifulSoup((valid_build / "cooperations" / "image-editeur" / "index.html").read_text(), "lxml")
    src = page.select_one("article img[alt='Une photo']")["src"]
    assert urljoin(SUB_PATH + "cooperations/image-editeur/", src) == SUB_PATH + "medias/photo.png"
    assert (valid_build / "medias" / "photo.png").exists()


def test_yaml_scalars_stay_text(valid_build):
    """Unquoted values that YAML 1.1 would turn into a boolean, a date or a number are shown as typed."""
    page = BeautifulSoup((valid_build / "cooperations" / "scalaires" / "index.html").read_text(), "lxml")
    assert page.select_one("article h1").get_text(strip=True) == "NO"
    assert page.find("meta", attrs={"name": "description"})["content"] == "2018-01-05"
    assert [a.get_text() for a in page.select("article .kb-partners a")] == ["0x1F", "1e3"]


def test_nfc_and_nfd_spellings_are_one_territory(valid_build):
    nfc, nfd = NFC_NAME, NFD_NAME
    assert nfc != nfd
    site = valid_build
    pages = [p for p in (site / "acteurs").glob("*/index.html")
             if BeautifulSoup(p.read_text(), "lxml").select_one("article h1").get_text(strip=True) == nfc]
    assert len(pages) == 1, pages
    soup = BeautifulSoup(pages[0].read_text(), "lxml")
    linked = {a["href"].rstrip("/").split("/")[-1] for a in soup.select("article table a[href*='cooperations/']")}
    assert {"essai-nfc", "essai-nfd"} <= linked
    index = BeautifulSoup((site / "acteurs" / "index.html").read_text(), "lxml")
    rows = [td.get_text(strip=True) for td in index.select("article table td:first-child")]
    assert rows.count(nfc) == 1
    for path in site.rglob("*.html"):
        assert nfd not in path.read_text(encoding="utf-8"), path


# --- The hostile corpus -----------------------------------------------------------------

def typed_values(content: Path) -> set[str]:
    """Every string a contributor typed in a front matter of ``content``."""
    values: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            values.add(value.strip())

    for path in content.rglob("*.md"):
        walk(read_file(path).data)
    for path in (content.parent / "data").glob("*.yml"):
        walk(parse_yaml(decode(path.read_bytes()), {}))
    return values


@pytest.fixture(scope="module")
def hostile_site(hostile_build):
    """The hostile corpus built by `python -m kb build` (conftest.hostile_build, shared)."""
    return hostile_build.site


def test_corpus_carries_payloads_in_every_field():
    """The corpus really is hostile: each kind of field holds markup."""
    fields = set()
    for path in HOSTILE.rglob("*.md"):
        if path.name == "accessibilite.md":  # a copy of the real declaration, which every site links to
            continue
        doc = read_file(path)

        def walk(value, name):
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(v, f"{name}.{k}" if name else k)
            elif isinstance(value, list):
                for v in value:
                    walk(v, name)
            elif isinstance(value, str) and "<" in value or "javascript" in str(value):
                fields.add(name)

        walk(doc.data, "")
        assert "<script>" in doc.body or "<img" in doc.body or "javascript:" in doc.body, path
    for name in ("titre", "resume", "territoires.nom", "sources.titre", "sources.editeur", "sources.section",
                 "arreter", "commencer", "editeur", "chiffres_cles", "description",
                 "territoires.motif", "porteur.organisation", "financements.financeur", "financements.programme",
                 "resultats.indicateur", "resultats.unite", "facteurs_de_reussite", "obstacles", "documents.titre",
                 "origines.motif"):
        assert name in fields, name


def test_no_payload_survives_in_any_output_file(hostile_site):
    files = [p for p in hostile_site.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in files)
    findings = scan_site(hostile_site, typed_values(HOSTILE))
    assert findings == [], "\n".join(map(str, findings))


def test_search_index_is_scanned(hostile_site):
    """Whatever search index the build writes is among the scanned files and holds the payload text."""
    index_files = [p for p in hostile_site.rglob("*") if p.is_file() and
                   re.search(r"(^|/)(_?pagefind|search)/", p.relative_to(hostile_site).as_posix())
                   and p.suffix not in (".js", ".css", ".map")]
    assert index_files, "aucun index de recherche trouvé"
    import gzip

    def text_of(p):
        data = p.read_bytes()
        return (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode("utf-8", "replace")

    assert any("kbx-titre" in text_of(p) for p in index_files)


def test_payloads_are_shown_as_text(hostile_site):
    """Escaping, not deletion: what the contributor typed is displayed as typed."""
    case = read_file(HOSTILE / "cooperations" / "charge-utile.md").data
    soup = BeautifulSoup((hostile_site / "cooperations" / "charge-utile" / "index.html").read_text(), "lxml")
    assert soup.select_one("article h1").get_text() == case["titre"]
    assert soup.title.get_text().startswith(case["titre"])
    assert soup.find("meta", attrs={"name": "description"})["content"] == case["resume"]
    # the usual names of the fiche, beside the official ones (and data/groupements.yml's, itself hostile)
    shown = soup.select_one("article .kb-partners").get_text()
    assert all(f"« {t['nom']} » dans cette fiche" in shown for t in case["territoires"]), shown
    assert "Pays <img src=x onerror=alert('kbx-groupement')>" in shown
    exchange = soup.select_one("article .kb-reciprocity__list li")
    assert case["reciprocites"][0]["description"] in exchange.get_text()
    reco = read_file(HOSTILE / "recommandations" / "reco-piegee.md").data
    table = BeautifulSoup((hostile_site / "arreter-commencer" / "index.html").read_text(), "lxml")
    cells = [td.get_text() for td in table.select("article table td")]
    assert reco["arreter"] in cells and reco["commencer"] in cells
    page = read_file(HOSTILE / "a-propos.md").data
    about = BeautifulSoup((hostile_site / "a-propos" / "index.html").read_text(), "lxml")
    assert about.title.get_text().startswith(page["titre"])
    assert about.find("meta", attrs={"name": "description"})["content"] == page["description"]
    # Material repeats the title in the header
    assert [t.get_text(strip=True) for t in about.select(".md-header__topic .md-ellipsis")][-1] == page["titre"]
    # the H1 with inline code in the body became text inside <code>, in the page and its table of contents
    assert soup.find("code", string=re.compile(r"</title><script>alert\('kbx-h1'\)")) is not None


def test_foreign_image_is_dropped_local_image_kept(hostile_site):
    soup = BeautifulSoup((hostile_site / "cooperations" / "charge-utile" / "index.html").read_text(), "lxml")
    images = [img.get("src") for img in soup.select("article img")]
    assert not [src for src in images if src and "evil.example" in src]
    assert any(src and src.endswith("image.png") for src in images)


# --- The scanner itself finds what it must find ---------------------------------------

@pytest.mark.parametrize("markup", [
    "<script>alert('kbx')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg><g onload='x'></g></svg>",
    "<a href=' jAvAsCrIpT:alert(1)'>x</a>",
    "<a href='data:text/html,x'>x</a>",
    "<iframe src='https://e.example'></iframe>",
    "<object data='x'></object>",
    "<base href='https://e.example/'>",
    "<meta http-equiv='refresh' content='0;url=https://e.example'>",
    "<link rel='stylesheet' href='https://e.example/x.css'>",
    "<p style=\"background:url('https://e.example/x.png')\">x</p>",
    "<img src='https://e.example/pixel.png'>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "<form><button formaction='javascript:alert(1)'>x</button></form>",
])
def test_scanner_detects_live_markup(markup, tmp_path):
    assert check_fragment(markup, "x", "y"), markup
    page = tmp_path / "page.html"
    page.write_text(f"<!doctype html><html><body>{markup}</body></html>")
    assert scan_file(page, "page.html", set()), markup
    data = tmp_path / "data.json"
    data.write_text('{"text": %s}' % __import__("json").dumps(f"texte {markup}"))
    assert scan_file(data, "data.json", set()), markup


def test_scanner_accepts_escaped_markup_and_typed_data(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><html><head><title>&lt;script&gt;alert('kbx')&lt;/script&gt;</title>"
                    "</head><body><p>&lt;img src=x onerror=alert('kbx')&gt;</p>"
                    "<script src='assets/app.js'></script></body></html>")
    assert scan_file(page, "page.html", set()) == []
    data = tmp_path / "data.json"
    data.write_text('{"titre": "<script>alert(\'kbx\')</script>"}')
    assert scan_file(data, "data.json", {"<script>alert('kbx')</script>"}) == []
    assert isinstance(scan_file(data, "data.json", set())[0], Finding)


# --- In a real browser: no payload runs --------------------------------------------------

def test_no_payload_runs_in_a_browser(hostile_site, chromium):
    """Every page that shows a payload, and the search page queried for them, opened in
    Chromium: no dialog (every payload calls alert), no request to another host."""
    from conftest import LocalServer, PageWatch

    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html")
                   if "kbx" in p.read_text(encoding="utf-8") and not p.relative_to(hostile_site).parts[0] == "admin")
    assert len(pages) > 10
    with LocalServer(hostile_site) as server:
        context = chromium.new_context(locale="fr-FR")
        page = context.new_page()
        watch = PageWatch(page, server.url)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        for rel in pages:
            page.goto(server.url + rel.removesuffix("index.html"), wait_until="load")
        for query in ("alert", "kbx", "script"):
            page.goto(server.url + f"rechercher/?q={query}", wait_until="load")
            page.wait_for_function("q => { const r = document.querySelector('[data-kb-search]');"
                                   " return r.dataset.kbQuery === q && r.dataset.kbState === 'done'; }",
                                   arg=query, timeout=10000)  # every result shown: the event, no fixed delay
            shown = page.inner_text("[data-kb-search-results]")
            assert "alert(" in shown  # the payloads are found, and shown as text
        assert dialogs == []
        page.evaluate("() => alert('témoin')")  # the listener does catch a script that runs
        assert dialogs == [f"{page.url}: témoin"]
        context.close()
    assert watch.foreign_requests() == []


# --- Issue 12: what the scanner must also find ----------------------------------------------

@pytest.mark.parametrize("markup", [
    '<article class="md-content__inner"><div data-md-component="dialog">x</div></article>',
    '<article class="md-content__inner"><div class="md-dialog">x</div></article>',
    '<article class="md-content__inner"><p id="__search">x</p></article>',
    '<article class="md-content__inner"><form><button>x</button></form></article>',
    '<div data-pagefind-meta="title:x">x</div>',
])
def test_scanner_detects_spoofing(markup, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(f"<!doctype html><html><body>{markup}</body></html>")
    assert scan_file(page, "page.html", set()), markup


def test_scanner_reads_feeds_csv_and_search_records_as_their_readers_do(tmp_path):
    import gzip
    import json

    rss = tmp_path / "flux-rss.xml"
    rss.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item>"
                   "<title>Titre &lt;b&gt;gras&lt;/b&gt;</title></item></channel></rss>")
    assert scan_file(rss, "flux-rss.xml", {"Titre <b>gras</b>"})
    table = tmp_path / "t.csv"
    table.write_text("id,titre\r\na,=HYPERLINK(\"https://e.example\")\r\n")
    assert scan_file(table, "t.csv", {'=HYPERLINK("https://e.example")'})
    fragment = tmp_path / "fragment.pf_fragment"
    for record in ({"url": "/cooperations/a/", "filters": {"coop": ["a", "b"]}, "meta": {"title": "T"}},
                   {"url": "/cooperations/a/", "filters": {"coop": ["a"]}, "meta": {"title": "kbx-faux"}},
                   {"url": "/x/", "filters": {"rang": ["1"]}, "meta": {}}):
        fragment.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps(record).encode()))
        assert scan_file(fragment, "fragment.pf_fragment", set()), record


def test_feed_readers_show_payloads_as_text(hostile_site):
    """Every RSS and Atom feed parsed by feedparser, as a feed reader does: no title or
    summary holds an element, and the hostile titles are shown as typed."""
    import feedparser

    titles = {read_file(p).data["titre"] for p in (HOSTILE / "cooperations").glob("*.md")}
    shown_titles = set()
    feeds = sorted(hostile_site.glob("flux-*.xml"))
    assert len(feeds) == 4
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        for entry in parsed.entries:
            for detail in (entry.title_detail, entry.summary_detail):
                if detail.type == "text/html":
                    soup = BeautifulSoup(detail.value, "html.parser")
                    assert soup.find() is None, (path.name, detail.value)
                    shown = soup.get_text()
                else:
                    shown = detail.value
                if detail is entry.title_detail:
                    shown_titles.add(shown)
    assert titles <= shown_titles


def test_heading_ids_do_not_run_in_a_browser(hostile_site, chromium):
    """The table of contents and the skip link print heading ids outside the article: every
    link of the page is hovered and focused in Chromium, and no payload runs."""
    from conftest import LocalServer

    with LocalServer(hostile_site) as server:
        context = chromium.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(server.url + "cooperations/charge-utile/", wait_until="load")
        links = page.locator("nav.md-nav--secondary a, a.md-skip, .md-sidebar a")
        assert links.count() > 5
        for i in range(links.count()):
            link = links.nth(i)
            link.focus()
            if link.is_visible():
                link.hover()
        for _ in range(40):
            page.keyboard.press("Tab")
        page.evaluate("() => document.querySelectorAll('a').forEach(a => "
                      "['mouseover', 'focus', 'focusin'].forEach(t => a.dispatchEvent(new Event(t))))")
        assert dialogs == []
        page.evaluate("() => alert('témoin')")
        assert dialogs == ["témoin"]
        context.close()


def test_file_system_shapes_stop_the_build_with_french_messages(tmp_path):
    """A link to a file of the machine, a linked folder, a FIFO, a folder named x.md, a page
    and a script at a theme path: the real build stops, names each file, and publishes nothing."""
    import os

    config = make_project(tmp_path / "project", FIXTURES)
    content = config.parent / "content"
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-DE-LA-MACHINE")
    (content / "cooperations" / "lien.md").symlink_to(secret)
    (content / "dossier-lie").symlink_to(tmp_path)
    os.mkfifo(content / "attente.md")
    (content / "dossier.md").mkdir()
    (content / "page.html").write_text("<script>alert(1)</script>")
    (content / "assets" / "javascripts").mkdir(parents=True)
    (content / "assets" / "javascripts" / "kb-search.js").write_text("alert(1)")
    result = kb_build(config, tmp_path / "site", timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    for rel in ("cooperations/lien.md", "dossier-lie", "attente.md", "dossier.md", "page.html",
                "assets/javascripts/kb-search.js"):
        assert f"content/{rel}:1: fichier: " in output, rel
    assert "la construction du site est arrêtée" in output
    site = tmp_path / "site"
    assert not site.exists() or "SECRET" not in "".join(
        p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())


# --- The export is as safe as the build (issue 24) ---------------------------------------

def _export(project: Path, target) -> "subprocess.CompletedProcess":
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "kb", "--projet", str(project), "export-pages", str(target)],
                          cwd=project, capture_output=True, text=True, timeout=600)


def _own_copy(project: Path, name: str) -> None:
    """The project copy's ``name`` folder as a real copy, not a link to the repository's."""
    import shutil

    link = project / name
    source = link.resolve()
    link.unlink()
    shutil.copytree(source, link)


def test_export_refuses_the_project_and_folders_it_did_not_create(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES).parent
    (project / "docs").unlink()
    (project / "docs").mkdir()
    (project / "docs" / "note.md").write_text("à garder")
    _own_copy(project, "overrides")
    kept = sorted(p.relative_to(project) for p in (project / "overrides").rglob("*"))
    other = tmp_path / "autre"
    other.mkdir()
    (other / "photo.jpg").write_bytes(b"x")
    for target, words in ((".", "est dans le projet"), (project / "sortie", "est dans le projet"),
                          (tmp_path, "contient le projet"), (other, "n'a pas été créé par l'export")):
        result = _export(project, target)
        output = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in output, output
        assert output.startswith("Erreur : ") and words in output, output
    assert (project / "docs" / "note.md").read_text() == "à garder"
    assert sorted(p.relative_to(project) for p in (project / "overrides").rglob("*")) == kept
    assert not (project / "mkdocs.yml").read_text().startswith("# Exporté")
    assert [p.name for p in other.iterdir()] == ["photo.jpg"] and not (project / "sortie").exists()
    # a new folder, then the same folder again: the export replaces what it wrote
    target = tmp_path / "export"
    for _ in range(2):
        result = _export(project, target)
        assert result.returncode == 0, result.stderr[-3000:]
    assert (target / "mkdocs.yml").exists() and (target / "docs" / "index.md").exists()


def test_export_refuses_data_labels_with_markup(tmp_path):
    """A vocabulary label with a Markdown link or an attribute list is refused before anything is
    exported (a stock MkDocs would publish the link and the onclick attribute)."""
    project = make_project(tmp_path / "project", HOSTILE).parent
    vocabularies = project / "data" / "vocabulaires.yml"
    text = vocabularies.read_text(encoding="utf-8")
    text = text.replace("energie: {label: Énergie,", "energie: {label: \"[Énergie](javascript:alert('kbx'))\",")
    text = text.replace("  description: Le sujet sur lequel porte l'alliance entre territoires.",
                        "  description: \"Le sujet. {onclick=alert('kbx')}\"")
    vocabularies.write_text(text, encoding="utf-8")
    result = _export(project, tmp_path / "export")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert "data/vocabulaires.yml" in output and "refusé" in output, output
    assert not (tmp_path / "export" / "docs").exists()


def test_export_of_the_hostile_corpus_built_by_stock_mkdocs_is_clean(tmp_path):
    """The hostile corpus exported, then built by a stock MkDocs where our package cannot be
    imported: every output file scanned like the site's own build."""
    import os
    import subprocess
    import sys

    project = make_project(tmp_path / "project", HOSTILE).parent
    out = tmp_path / "export"
    result = _export(project, out)
    assert result.returncode == 0, result.stderr[-3000:]
    built = subprocess.run([sys.executable, "-I", "-m", "mkdocs", "build", "--strict", "-f", str(out / "mkdocs.yml")],
                           cwd=tmp_path, capture_output=True, text=True, timeout=600,
                           env={**os.environ, "PYTHONPATH": "", "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr[-3000:]
    findings = scan_site(out / "site", typed_values(HOSTILE))
    assert findings == [], "\n".join(map(str, findings))


def test_the_build_prints_the_largest_files_it_wrote(hostile_build):
    # MkDocs' log (stderr): each line behind its level, « INFO    -  »
    lines = (hostile_build.result.stdout + hostile_build.result.stderr).splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith("Fichiers les plus lourds écrits :"))
    shown = [line.split()[-1] for line in lines[start + 1:start + 6]]
    assert "admin/decap-cms.js" in shown
    assert all((hostile_build.site / rel).is_file() for rel in shown)
    reader = next(i for i, line in enumerate(lines) if line.endswith("Les plus lourds de ce qu'un lecteur télécharge :"))
    assert "admin/decap-cms.js" not in lines[reader + 1:reader + 6]
