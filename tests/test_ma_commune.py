"""« Ma commune » (kb/render/ma_commune.py + kb-commune.js), in Chromium: any commune, found
accent- and hyphen-insensitively, homonyms told apart by their département and population,
leads to a layered answer (the commune, its EPCI or a grouping, with the path; then apart
its département and région; else the nearest cases in km); a lookup transfers at most
100 KB; ARIA combobox. On the fixture site, then on the real content, where the answer of
a dozen communes is checked against the fiches."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

MAX_BYTES = 100_000


@pytest.fixture
def commune_page(watched_page):
    sizes: dict[str, int] = {}

    def record(response):
        if "/ma-commune/" in response.url:
            sizes[response.url] = len(response.body())

    watched_page.page.on("response", record)
    watched_page.sizes = sizes
    return watched_page


def _type(page, text):
    box = page.get_by_role("combobox", name="Nom de la commune")
    box.fill("")
    box.press_sequentially(text, delay=20)
    return box


def test_carhaix_leads_to_the_brest_cob_contract(commune_page):
    page = commune_page.page
    page.goto(commune_page.url + "/")
    box = _type(page, "Carhaix")
    option = page.get_by_role("option", name=re.compile(r"^Carhaix-Plouguer — Finistère \(29\), [\d\s]+ habitants$"))
    option.wait_for(timeout=15000)
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    result = page.locator("[data-kb-commune-result]").first
    link = result.get_by_role("link", name="Contrat de réciprocité Brest & Centre Bretagne")
    link.wait_for(timeout=15000)
    assert "via Communauté de communes Poher Communauté, membre du Pays du Centre Ouest Bretagne" in result.inner_text()
    assert link.get_attribute("href").endswith("cooperations/brest-centre-bretagne/")
    assert sum(commune_page.sizes.values()) <= MAX_BYTES, commune_page.sizes
    assert commune_page.foreign_requests() == [] and commune_page.console_errors == []


def test_comparable_territories_say_every_shared_criterion(commune_page):
    """Brest (Brest Métropole: a métropole of more than 200 000 inhabitants, urban, no other
    métropole within 60 km) finds the Montpellier contract comparable, for the four reasons in
    words, with the editors' rule; the lookup stays within its budget."""
    page = commune_page.page
    page.goto(commune_page.url + "/")
    box = _type(page, "Brest")
    page.get_by_role("option", name=re.compile(r"^Brest — Finistère \(29\)")).wait_for(timeout=15000)
    box.press("Enter")
    result = page.locator("[data-kb-commune-result]").first
    layer = result.locator(".kb-commune__layer", has_text="Des territoires comparables qui coopèrent")
    layer.get_by_role("link", name=re.compile("Montpellier")).wait_for(timeout=15000)
    text = layer.inner_text()
    assert ("Montpellier Méditerranée Métropole : comme l'intercommunalité de Brest, même type d'intercommunalité "
            "(une métropole), même tranche de population (de plus de 200\u202f000 habitants), profil urbain, "
            "sans métropole à moins de 60\u202fkm") in text, text
    assert "Règle de la rédaction" in layer.locator(".kb-commune__rule").inner_text()
    assert sum(commune_page.sizes.values()) <= MAX_BYTES, commune_page.sizes
    assert commune_page.foreign_requests() == [] and commune_page.console_errors == []


@pytest.mark.parametrize("typed, expected", [
    ("st die", "Saint-Dié-des-Vosges — Vosges (88)"),
    ("SAINT DIE", "Saint-Dié-des-Vosges — Vosges (88)"),
    ("annecy le vieux", "Annecy-le-Vieux — ancienne commune, aujourd'hui Annecy, Haute-Savoie (74)"),
    ("l’isle jourdain", "L'Isle-Jourdain — Gers (32)")])
def test_names_are_found_without_accents_or_hyphens(commune_page, typed, expected):
    page = commune_page.page
    page.goto(commune_page.url + "/explorer/cooperations/")
    _type(page, typed)
    page.get_by_role("option", name=re.compile("^" + re.escape(expected))).first.wait_for(timeout=15000)
    assert sum(commune_page.sizes.values()) <= MAX_BYTES


def test_a_commune_of_a_partner_epci_and_one_concerned_by_nothing(commune_page):
    page = commune_page.page
    page.goto(commune_page.url + "/")
    box = _type(page, "Lacaune")
    page.get_by_role("option", name=re.compile(r"^Lacaune — Tarn \(81\)")).wait_for(timeout=15000)
    box.press("Enter")
    result = page.locator("[data-kb-commune-result]").first
    result.get_by_text("via Communauté de communes du Haut-Languedoc").wait_for(timeout=15000)
    box = _type(page, "Ajaccio")
    page.get_by_role("option", name=re.compile(r"^Ajaccio — Corse-du-Sud \(2A\)")).wait_for(timeout=15000)
    box.press("Enter")
    result.get_by_text("Aucune non plus dans son département (Corse-du-Sud) ni dans sa région (Corse).").wait_for(timeout=15000)
    nearest = result.locator(".kb-commune__layer", has_text="Les coopérations les plus proches")
    assert re.search(r"\(à [\d\s]+ km\)", nearest.inner_text())
    assert result.get_by_role("link", name="Proposez une coopération de votre territoire").count() == 1


def test_every_shard_is_small_and_every_commune_is_in_one(fixture_site):
    folder = fixture_site.root / "ma-commune"
    manifest = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    total = 0
    for name in manifest["shards"].values():
        size = (folder / name).stat().st_size
        assert size + (folder / "index.json").stat().st_size + (folder / "liens.json").stat().st_size <= MAX_BYTES
        total += len(json.loads((folder / name).read_text(encoding="utf-8")))
    assert total > 34_000


# --- The real content: a dozen communes of different départements, checked against the fiches ---

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real_graph():
    from conftest import load

    from kb.graph.build import build_graph

    return build_graph(load(ROOT / "content"))


def _direct_by_the_fiches(graph, code: str) -> set[str]:
    """Titles of the fiches one of whose partners is the commune, its EPCI, or a grouping listing
    either (the groupings' members read from data/groupements.yml through the graph)."""
    from kb.content import cog as C

    commune = C.load().communes[code]
    mine = {commune.code, commune.epci}
    titles = set()
    for coop in graph.cooperations.values():
        for p in coop.territoires:
            t = graph.territories.get(p.key)
            if t is None:
                continue
            official = t.official
            if (official is not None and official.kind in ("commune", "epci") and official.code in mine) \
                    or mine & set(t.membres):
                titles.add(coop.titre)
    return titles


def _comparable_by_the_fiches(graph, code: str) -> set[str]:
    """Titles of the fiches with an EPCI partner of the same type and population band as the
    commune's EPCI (bands of kb.content.identity.SIZE_BANDS)."""
    from kb.content import cog as C
    from kb.content.identity import size_band

    cog = C.load()
    epci = cog.epci.get(cog.communes[code].epci or "")
    if epci is None:
        return set()
    titles = set()
    for coop in graph.cooperations.values():
        for p in coop.territoires:
            e = p.official
            if e is not None and e.kind == "epci" and e.type == epci.type \
                    and size_band(e.population) == size_band(epci.population):
                titles.add(coop.titre)
    return titles


def _in_area(graph, code: str) -> tuple[set[str], set[str]]:
    """Titles of the fiches with a partner in the commune's département, in its région."""
    from kb.content import cog as C
    from kb.graph import territories as T

    cog = C.load()
    commune = cog.communes[code]
    dep, reg = set(), set()
    for coop in graph.cooperations.values():
        for p in coop.territoires:
            t = graph.territories.get(p.key)
            if t is None:
                continue
            official = t.official
            deps = set(T.departements_of(t)) if not (official and official.kind == "region") else set()
            regions = {cog.departements[d].region for d in deps} | (
                {official.code} if official and official.kind == "region" else set())
            if commune.departement in deps:
                dep.add(coop.titre)
            if commune.region in regions:
                reg.add(coop.titre)
    return dep, reg


@pytest.fixture(scope="module")
def real_page(chromium, content_build):
    from kb.infra.localsite import LocalServer

    with LocalServer(content_build.site) as server:
        context = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
        page = context.new_page()
        sizes: dict[str, int] = {}
        errors: list[str] = []
        page.on("response", lambda r: "/ma-commune/" in r.url and sizes.__setitem__(r.url, len(r.body())))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url + "/")
        yield page, sizes, errors
        context.close()


def _answer(page, typed: str, option: str, arrows: int = 0) -> dict:
    """Type ``typed``, choose the option whose name starts with ``option`` (with the arrows if
    ``arrows``, else Enter on the only option), and read the answer, layer by layer."""
    box = _type(page, typed)
    wanted = page.get_by_role("option", name=re.compile("^" + re.escape(option)))
    wanted.wait_for(timeout=15000)
    if arrows:
        for _ in range(arrows):
            box.press("ArrowDown")
        assert box.get_attribute("aria-activedescendant") == wanted.get_attribute("id")
    box.press("Enter")
    result = page.locator("[data-kb-commune-result]").first
    result.get_by_role("link", name="Proposez une coopération de votre territoire").wait_for(timeout=15000)
    layers = {}
    for layer in result.locator(".kb-commune__layer").all():
        title = layer.locator("h3").inner_text()
        layers[title] = {li.locator("a").inner_text(): li.locator(".kb-meta").inner_text()
                         for li in layer.locator("li").all()}
    return {"title": result.locator("h3.kb-commune__title").inner_text(), "text": result.inner_text(),
            "layers": layers}


def _layer(answer, start: str) -> dict:
    found = [v for k, v in answer["layers"].items() if k.startswith(start)]
    return found[0] if found else {}


# (typed, option chosen, arrows, INSEE code, what the answer must show)
COMMUNES = [
    ("l'isle-jourdain gers", "L'Isle-Jourdain — Gers (32)", 0, "32160", "via Communauté de communes de la Gascogne Toulousaine, membre du PETR du Pays Portes de Gascogne"),
    ("Arcachon", "Arcachon — Gironde (33)", 0, "33009", "membre du Bassin d'Arcachon"),
    ("Saint-Étienne", "Saint-Étienne — Loire (42)", 1, "42218", None),
    ("Châteaulin", "Châteaulin — Finistère (29)", 0, "29026", None),
    ("Rostrenen", "Rostrenen — Côtes-d'Armor (22)", 0, "22266", "membre du Pays du Centre Ouest Bretagne"),
    ("Beaupréau", "Beaupréau — ancienne commune, aujourd'hui Beaupréau-en-Mauges", 1, "49023", "membre du Pays des Mauges"),
    ("Pornic", "Pornic — Loire-Atlantique (44)", 0, "44131", "membre du Pays de Retz"),
    ("Le Mans", "Le Mans — Sarthe (72)", 1, "72181", "la commune est partenaire"),
    ("Villeurbanne", "Villeurbanne — Rhône (69)", 0, "69266", "via Métropole de Lyon"),
    ("Albi", "Albi — Tarn (81)", 1, "81004", "la commune est partenaire"),
    ("Ajaccio", "Ajaccio — Corse-du-Sud (2A)", 0, "2A004", None),
]


@pytest.mark.parametrize("typed, option, arrows, code, path", COMMUNES, ids=[c[0] for c in COMMUNES])
def test_answers_of_real_communes_match_the_fiches(real_page, real_graph, typed, option, arrows, code, path):
    page, sizes, errors = real_page
    answer = _answer(page, typed, option, arrows)
    direct = _layer(answer, "Une coopération concerne") or _layer(answer, " coopérations concernent") or \
        next((v for k, v in answer["layers"].items() if "coopérations concernent" in k), {})
    assert set(direct) == _direct_by_the_fiches(real_graph, code), answer
    if path:
        assert any(path in via for via in direct.values()), answer
    dep, reg = _in_area(real_graph, code)
    shown_dep = next((v for k, v in answer["layers"].items() if k.startswith("Ailleurs dans son département")), {})
    shown_reg = next((v for k, v in answer["layers"].items() if k.startswith("Ailleurs dans sa région")), {})
    assert set(shown_dep) == dep - set(direct), answer
    assert set(shown_reg) == reg - dep - set(direct), answer
    # a région- or département-level partner is never shown as a direct match
    assert not any("à l'échelle" in via for via in direct.values())
    if not (direct or dep or reg):
        assert "Les coopérations les plus proches" in answer["text"]
    else:
        assert "ni dans sa région" not in answer["text"]
    # comparable territories: each has an EPCI partner of the kind and population band of the commune's EPCI
    comparable = next((v for k, v in answer["layers"].items() if k == "Des territoires comparables qui coopèrent"), {})
    assert set(comparable) <= _comparable_by_the_fiches(real_graph, code) and not set(comparable) & set(direct)
    assert all("comme l'intercommunalité" in why and "même type d'intercommunalité" in why
               and "même tranche de population" in why for why in comparable.values())
    if _comparable_by_the_fiches(real_graph, code) - set(direct):
        assert comparable, answer
    assert errors == []
    assert max(sizes.values()) <= MAX_BYTES and sum(sizes.values()) <= 3 * MAX_BYTES, sizes


def test_homonyms_are_all_offered_and_enter_never_picks_one_silently(real_page):
    page, sizes, _ = real_page
    sizes.clear()
    box = _type(page, "Sainte-Marie")
    page.get_by_role("option", name=re.compile(r"^Sainte-Marie — Hautes-Pyrénées \(65\)")).wait_for(timeout=15000)
    names = [" ".join(n.split()) for n in page.get_by_role("option").all_inner_texts()]
    exact = [n for n in names if n.startswith("Sainte-Marie — ")]
    assert len(exact) == 9 and all(re.search(r"\(\d[\dAB]{1,2}\), [\d\s]+ habitants?$", n) for n in exact), names
    page.locator("[data-kb-commune-result]").first.evaluate("e => e.textContent = ''")
    box.press("Enter")  # nine homonyms: Enter does not choose
    status = page.locator("[data-kb-commune-status]").first
    assert "9 communes portent ce nom" in status.inner_text()
    assert page.locator("[data-kb-commune-result]").first.inner_text() == ""
    box = _type(page, "sainte marie martinique")  # the département's name narrows the list
    status.get_by_text("1 commune proposée").wait_for(timeout=15000)
    assert [" ".join(n.split()) for n in page.get_by_role("option").all_inner_texts()] == [
        "Sainte-Marie — Martinique (972), 14 756 habitants"]
    box.press("Enter")
    result = page.locator("[data-kb-commune-result]").first
    result.get_by_text("Les coopérations les plus proches").wait_for(timeout=15000)
    assert re.search(r"\(à [\d\s]+ km\)", result.inner_text())
    assert sum(sizes.values()) <= MAX_BYTES, sizes
