"""« Ma commune » (kb/render/ma_commune.py + kb-commune.js), in Chromium: any commune, found
accent- and hyphen-insensitively, homonyms told apart by their département and population,
leads to a layered answer (the commune, its EPCI or a grouping, with the path; then apart
its département and région; else the nearest cases in km); a lookup transfers at most
100 KB; ARIA combobox. On the fixture site, then on the real content, where the answer of
a dozen communes is checked against the fiches."""
from __future__ import annotations

import itertools
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
    """Type ``text`` key by key, then wait until the suggestions answer the whole of it (not a
    first few letters: a busy machine can leave more than the page's pause between two keys)."""
    box = page.get_by_role("combobox", name="Nom de la commune")
    box.fill("")
    box.press_sequentially(text, delay=20)
    page.wait_for_function("box => box.dataset.kbSuggested === box.value", arg=box.element_handle(), timeout=15000)
    return box


def _pick(page, typed: str, option: str, arrows: int = 0):
    """Type ``typed``, choose the option whose name starts with ``option`` (with the arrows if
    ``arrows``, else Enter on the only option); returns the answer's element."""
    box = _type(page, typed)
    wanted = page.get_by_role("option", name=re.compile("^" + re.escape(option)))
    wanted.wait_for(timeout=15000)
    if arrows:
        for _ in range(arrows):
            box.press("ArrowDown")
        assert box.get_attribute("aria-activedescendant") == wanted.get_attribute("id")
    box.press("Enter")
    return page.locator("[data-kb-commune-result]").first


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
    result = _pick(page, "Brest", "Brest — Finistère (29)")
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
    result = _pick(page, "Lacaune", "Lacaune — Tarn (81)")
    result.get_by_text("via Communauté de communes du Haut-Languedoc").wait_for(timeout=15000)
    _pick(page, "Ajaccio", "Ajaccio — Corse-du-Sud (2A)")
    result.get_by_text("Aucune non plus dans son département (Corse-du-Sud) ni dans sa région (Corse).").wait_for(timeout=15000)
    nearest = result.locator(".kb-commune__layer", has_text="Les coopérations les plus proches")
    assert re.search(r"\(à [\d\s]+ km\)", nearest.inner_text())
    assert result.get_by_role("link", name="Proposez une coopération de votre territoire").count() == 1


def test_every_shard_is_small_and_every_commune_is_in_one(fixture_site):
    folder = fixture_site.root / "ma-commune"
    manifest = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    answers = max((folder / manifest["liens"].replace("{dep}", dep)).stat().st_size for dep in manifest["deps"])
    total = 0
    for name in manifest["shards"].values():
        size = (folder / name).stat().st_size
        assert size + (folder / "index.json").stat().st_size + answers <= MAX_BYTES
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
    result = _pick(page, typed, option, arrows)
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


# --- At 5,000 cases: a lookup reads the answers of one département, and they stay small ---

WORDS = ("territoire coopération transition énergie alimentation mobilité habitants élus agents réseau paysage "
         "chaleur circuits logement diagnostic financement échange transport sociale partenaire numérique public "
         "photovoltaïque étude forêt eau santé culture tourisme").split()
LEFT_OUT = {"94", "01", "02", "03", "04", "06"}  # Corse and overseas: no cooperation, the nearest are shown


def crafted_graph(n_cases: int, seed: int = 20261207):
    """A graph of ``n_cases`` cooperations between real communes, EPCI, groupings of EPCI,
    départements and régions (70 % of the partners in the région of the first), with titles
    as long as the bench's; none in Corse or overseas. What kb.render.ma_commune reads of a
    graph, without reading 5,000 files (a build of that size takes minutes)."""
    import random
    from types import SimpleNamespace

    from kb.content import cog as C
    from kb.graph.build import official_name

    cog = C.load()
    rng = random.Random(seed)
    regions = sorted(r for r in cog.regions if r not in LEFT_OUT)
    communes = {r: sorted(c for c, e in cog.communes.items() if e.region == r) for r in regions}
    epcis = {r: sorted(s for s, e in cog.epci.items() if e.region == r) for r in regions}
    territories: dict = {}

    def official(entity):
        return territories.setdefault(f"{entity.kind}-{entity.code}", SimpleNamespace(
            official=entity, cooperations=[], membres=(), nom=official_name(entity), grouping=None,
            departement=entity.departement))

    def grouping(region, i):
        key = f"groupement-{region}-{i}"
        if key not in territories:
            territories[key] = SimpleNamespace(official=None, cooperations=[], nom=f"Pays {key}", grouping=None,
                                               departement=None, membres=tuple(rng.sample(epcis[region], 4)))
        return territories[key]

    titles = {}
    for i in range(n_cases):
        cid = f"cas-{i:05d}"
        titles[cid] = f"Coopération {i + 1} : " + " ".join(rng.choice(WORDS) for _ in range(6))
        region = rng.choice(regions)
        for _ in range(rng.randint(2, 4)):
            r = region if rng.random() < .7 else rng.choice(regions)
            roll = rng.random()
            t = (official(cog.epci[rng.choice(epcis[r])]) if roll < .5
                 else official(cog.communes[rng.choice(communes[r])]) if roll < .8
                 else grouping(r, rng.randrange(20)) if roll < .9
                 else official(cog.departements[rng.choice(cog.regions[r].departements)]) if roll < .95
                 else official(cog.regions[r]))
            if cid not in t.cooperations:
                t.cooperations.append(cid)
    return SimpleNamespace(territories=territories, cooperations={
        cid: SimpleNamespace(titre=titles[cid]) for cid in sorted(titles, key=titles.__getitem__)})


@pytest.fixture(scope="module")
def graph_at_5000():
    return crafted_graph(5000)


@pytest.fixture(scope="module")
def files_at_5000(graph_at_5000):
    from kb.render import ma_commune

    return ma_commune.files(graph_at_5000)


def _sent(data: bytes) -> int:
    """Bytes a server sends for a JSON file (gzip, zlib's default level)."""
    import gzip

    return len(gzip.compress(data, compresslevel=6, mtime=0))


def _answer_file(files: dict, code: str) -> bytes:
    """The answers a lookup of commune ``code`` reads (the manifest names them)."""
    from kb.content.cog import departement_of_commune

    manifest = json.loads(files["ma-commune/index.json"])
    return files["ma-commune/" + manifest.get("liens", "liens.json").replace("{dep}", departement_of_commune(code))]


def test_a_lookup_stays_under_100_kb_at_5000_cases(files_at_5000, tmp_path):
    """Manifest, the largest shard of names and the answers of the commune's département: at most
    100 KB sent, for a commune of every département; the build's budget agrees."""
    from kb.content import cog as C
    from kb.publish import budget

    files = files_at_5000
    shard = max(_sent(v) for k, v in files.items() if k.startswith("ma-commune/n-"))
    index = _sent(files["ma-commune/index.json"])
    one_per_departement = {c.departement: code for code, c in sorted(C.load().communes.items())}
    sent = {dep: index + shard + _sent(_answer_file(files, code)) for dep, code in one_per_departement.items()}
    assert max(sent.values()) <= MAX_BYTES, sorted(sent.items(), key=lambda kv: -kv[1])[:3]
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    assert budget.report(tmp_path)[1] == []


def _ranked(data: dict, sig: str) -> list:
    """(cooperation, its partner most like it) of every cooperation with an EPCI partner of the
    kind and band of ``sig``, more criteria shared first, then in the order of the file (once per
    table and signature: leaving out the direct answers afterwards keeps the order, the sort is stable)."""
    key = (id(data), sig)
    if key not in _RANKED:
        def shared(s):
            return (s[2] == sig[2]) + (s[3] == sig[3])
        rows = []
        for cid, partners in data["cmp"].items():
            alike = [p for p in partners if p[1][:2] == sig[:2]]
            if alike:
                best = max(alike, key=lambda p: shared(p[1]))
                rows.append((-shared(best[1]), len(rows), cid, best[0]))
        _RANKED[key] = [row[2:] for row in sorted(rows)]
    return _RANKED[key]


_RANKED: dict = {}


def _shown(data: dict, commune, sig: str, nearest: int = 3, comparable: int = 5) -> dict:
    """What kb-commune.js shows for ``commune`` from ``data`` (a table of answers): each layer's
    cooperations (title, page) with their reason, in order; the nearest with their distance in km;
    the comparable ones with their partner and the criteria shared."""
    from kb.content.likeness import km

    by, inside, coops = data["by"], data["in"], data["coops"]
    seen: set = set()

    def keep(rows):
        out = [(r[0], r[1]) for r in rows if r[0] not in seen and not seen.add(r[0])]
        return [(*coops[cid], why) for cid, why in out], [cid for cid, _ in out]

    direct, direct_ids = keep([(r[0], r[1] or "partenaire") for r in by.get("c" + commune.code, [])]
                              + by.get("e" + (commune.epci or ""), []))
    dep, reg = commune.departement, commune.region
    in_dep, _ = keep(by.get("d" + dep, []) + [(cid, "département") for cid in inside.get("d" + dep, [])])
    in_reg, _ = keep(by.get("r" + reg, []) + [(cid, "région") for cid in inside.get("r" + reg, [])])
    near = []
    if not (direct or in_dep or in_reg):
        lat, lon = float(f"{commune.lat:.2f}"), float(f"{commune.lon:.2f}")
        dist = sorted((min(km(lat, lon, *p) for p in pts), cid) for cid, pts in data["pts"].items())
        near = [(*coops[cid], round(d)) for d, cid in dist[:nearest]]
    like = []
    if sig and sig[0] in "MUAC":
        direct_set = set(direct_ids)
        others = (row for row in _ranked(data, sig) if row[0] not in direct_set)
        like = [(*coops[cid], partner) for cid, partner in itertools.islice(others, comparable)]
    return {"direct": direct, "departement": in_dep, "region": in_reg, "near": near, "like": like,
            "rule": data.get("regle") if like else None}


def test_the_answers_of_a_departement_are_those_of_the_whole_table(graph_at_5000, files_at_5000):
    """Every layer (the commune, its EPCI, a grouping; département; région; the nearest with km;
    comparable territories) is the same from the answers of the commune's département as from the
    one table for all of France, for one commune in forty, and one in eight where the nearest are
    shown."""
    from kb.content import cog as C
    from kb.render import ma_commune

    cog = C.load()
    whole = json.loads(ma_commune._dump(ma_commune.links(graph_at_5000)))
    answers = {}
    checked = nearest = comparable = 0
    for n, (code, commune) in enumerate(sorted(cog.communes.items())):
        if n % (8 if commune.region in LEFT_OUT else 40):
            continue
        sig = ma_commune.signature(cog.epci.get(commune.epci or ""))
        dep = _answer_file(files_at_5000, code)
        if dep not in answers:
            answers[dep] = json.loads(dep)
        mine = _shown(answers[dep], commune, sig)
        assert mine == _shown(whole, commune, sig), code
        checked, nearest, comparable = checked + 1, nearest + bool(mine["near"]), comparable + bool(mine["like"])
    _RANKED.clear()
    assert checked > 900 and nearest > 50 and comparable > 700, (checked, nearest, comparable)


def test_the_budget_counts_what_a_lookup_transfers_and_names_the_cause(tmp_path):
    """A « Ma commune » file over 32 Kio once compressed stops the build (a lookup reads three),
    with a message that says what grows it (the cooperations of a région, not one fiche)."""
    import random

    from kb.publish.budget import report

    folder = tmp_path / "ma-commune" / "liens"
    folder.mkdir(parents=True)
    (folder / "29.json").write_bytes(random.Random(29).randbytes(40_000))  # does not compress
    (folder / "44.json").write_bytes(b"x" * 400_000)  # compresses to almost nothing
    problems = report(tmp_path)[1]
    assert len(problems) == 1, problems
    assert problems[0].startswith("ma-commune/liens/29.json : fichier de « Ma commune » de 39 Kio une fois "
                                  "compressé, au-delà du budget de 32 Kio compressés par fichier"), problems
    assert "coopérations d'un département et de sa région, pas avec une fiche" in problems[0]
    assert "une fiche décrit-elle" not in problems[0]
