"""Issue 15: the facts élus and funders look for (debut/fin, porteur, financements, resultats,
facteurs_de_reussite, obstacles, documents) and the provenance of what no source states
(a partner's origine, a fiche's origines, a stop/start pair written by the editors):
validated with French messages, rendered, exported, in Decap and CONTRIBUTING."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import DATA, FIXTURES, NODE_MODULES, ROOT, load
from kb.content.fields import MODEL
from kb.publish import decap

REFERENCES = load(FIXTURES).references
NEW_FIELDS = ("debut", "fin", "porteur", "financements", "resultats", "facteurs_de_reussite", "obstacles",
              "documents", "origines")

CASE = """---
titre: Une coopération d'essai
resume: Deux territoires coopèrent.
territoires:
  - nom: Ville A
    type: association
  - nom: Pays du Centre Ouest Bretagne
    type: petr-pays
    departement: "29"
themes: [mobilite]
fonctions: [se-deplacer]
statut: en-cours
date_ajout: 2026-05-01
sources:
  - document: rapport-essai
{extra}
---

Texte.
"""


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("facts")
    shutil.copytree(FIXTURES, root / "content")
    shutil.copytree(FIXTURES.parent / "data", root / "data")
    return root / "content"


def problems(content: Path, extra: str, partner_extra: str = "") -> list[str]:
    text = CASE.format(extra=extra.strip("\n"))
    if partner_extra:
        text = text.replace("    type: petr-pays\n", "    type: petr-pays\n" + partner_extra)
    path = content / "cooperations" / "essai-faits.md"
    path.write_text(text, encoding="utf-8")
    try:
        return [str(p) for p in load(content).problems if p.path.endswith("essai-faits.md")]
    finally:
        path.unlink()


GOOD = """debut: "2016"
fin: 2020-12-31
porteur:
  organisation: Pôle d'essai
  site: https://example.org/
financements:
  - financeur: Région
    montant: 150000
    annee: 2017
    source: rapport-essai
resultats:
  - indicateur: Trajets évités
    valeur: "12,5"
    unite: milliers
facteurs_de_reussite: [Des élus engagés.]
obstacles: [Un coût encore ouvert.]
documents:
  - titre: Contrat signé
    date: 2016-03
    url: https://example.org/contrat.pdf
origines:
  - champ: fonctions
    valeurs: [se-deplacer]
    origine: redaction
  - champ: debut
    origine: a-confirmer
    motif: Lu dans l'adresse du lien.
"""


def test_every_new_field_validates(content):
    assert problems(content, GOOD) == []
    assert problems(content, "", "    origine: a-confirmer\n    motif: Déduit du lien.\n") == []


@pytest.mark.parametrize("extra,partner,expected", [
    ("debut: 2016-13-01", "", "debut: « 2016-13-01 » : cette date n'existe pas"),
    ("fin: vers 2020", "", "fin: « vers 2020 » : année ou date attendue"),
    ("financements:\n  - financeur: Région\n    montant: 12 000 €", "",
     "financements[1].montant: « 12 000 € » : montant attendu en euros"),
    ("financements:\n  - programme: Leader", "", "financements[1].financeur: champ obligatoire manquant"),
    ("resultats:\n  - indicateur: Participants\n    valeur: beaucoup", "",
     "resultats[1].valeur: « beaucoup » : nombre attendu"),
    ("porteur:\n  organisation: Pôle\n  site: javascript:alert(1)", "", "porteur.site: « javascript:alert(1) » : lien attendu"),
    ("porteur: Pôle d'essai", "", "porteur: une liste de champs « nom: valeur » est attendue"),
    ("documents:\n  - url: https://example.org/", "", "documents[1].titre: champ obligatoire manquant"),
    ("obstacles: Un seul texte", "", "obstacles: une liste est attendue"),
    ("documents:\n  - titre: Contrat\n    reference: etude-inconnue", "",
     "documents[1].reference: « etude-inconnue » n'existe pas dans data/references.yml"),
    ("financements:\n  - financeur: Région\n    source: rapport-inconnu", "",
     "financements[1].source: « rapport-inconnu » n'est ni un document de content/sources/ ni une référence"),
    ("origines:\n  - champ: intensite\n    origine: peut-etre", "",
     "origines[1].origine: « peut-etre » n'est ni un document de content/sources/ ni une référence de "
     "data/references.yml ni « redaction » ou « a-confirmer »"),
    ("origines:\n  - champ: couleur\n    origine: redaction", "", "origines[1].champ: « couleur »"),
    ("origines:\n  - champ: fonctions\n    valeurs: [se-nourrir]\n    origine: redaction", "",
     "origines[1].valeurs[1]: « se-nourrir » n'est pas une valeur du champ « fonctions » de cette fiche"),
    ("", "    origine: a-confirmer\n", "territoires[2]: « origine » demande aussi « motif »"),
])
def test_bad_values_are_refused_in_french(content, extra, partner, expected):
    found = problems(content, extra, partner)
    assert any(expected in p for p in found), found
    assert all(p.startswith("content/cooperations/essai-faits.md:") for p in found)


def test_card_shows_the_facts_with_their_sources(fixture_site):
    card = fixture_site.main("cooperations/brest-centre-bretagne/").select_one(".kb-card")
    text = card.get_text(" ")
    assert "depuis 2016, jusqu'à décembre 2020" in text
    assert card.select_one(".kb-porteur a")["href"] == "https://example.org/pole"
    funding = card.select_one(".kb-financements li")
    assert "Région d'essai — Contrat de territoire : 150\u202f000\u00a0€ (2017)" in funding.get_text()
    assert "Rapport d'essai" in funding.get_text()
    assert "Participants au forum : 919 personnes (2019)" in card.select_one(".kb-resultats").get_text()
    assert card.select_one(".kb-facteurs").get_text() == "Des habitants qui portent le projet."
    assert card.select_one(".kb-obstacles").get_text() == "Un modèle économique encore ouvert."
    doc = card.select_one(".kb-documents li")
    assert doc.a["href"] == "https://example.org/contrat.pdf" and "à confirmer" in doc.get_text()
    by_reference = card.select(".kb-documents li")[1]
    assert by_reference.a["href"] == REFERENCES["etude-cler-2018"].url and "à confirmer" not in by_reference.get_text()
    assert card.select_one(".kb-missing") is None  # every fact is given


def test_card_invites_to_contribute_what_is_missing(fixture_site):
    card = fixture_site.main("cooperations/montpellier-lacaune/").select_one(".kb-card")
    missing = card.select_one(".kb-missing")
    assert missing.get_text(" ", strip=True).startswith(
        "Dates, porteur, financements, résultats, documents signés : information non renseignée")
    link = missing.select_one("a")
    assert link.get_text() == "vous la connaissez ?"
    # the repository's issue form when the site knows it, else the site's contribution path
    assert link["href"].startswith(("../../admin/", "https://github.com/")), link["href"]


def test_probable_partner_and_editorial_judgements_are_labelled(fixture_site):
    card = fixture_site.main("cooperations/brest-centre-bretagne/").select_one(".kb-card")
    partners = card.select(".kb-partners li")
    flagged = [li for li in partners if li.select_one(".kb-badge--probable")]
    assert len(flagged) == 1 and "Pays du Centre Ouest Bretagne" in flagged[0].get_text()
    assert "partenaire probable" in flagged[0].get_text() and "adresse du lien" in flagged[0].get_text()
    assert "Brest métropole" in partners[0].get_text() and not partners[0].select_one(".kb-badge--probable")
    whole = card.select_one('.kb-origin[data-champ="intensite"]')
    assert whole.get_text(" ", strip=True) == "classement de la rédaction"
    one = card.select_one('.kb-origin[data-champ="fonctions"]')
    assert one["data-valeur"] == "acceder-a-l-energie" and "Accéder à l'énergie" in one.get_text()
    assert "ajout de la rédaction" in one.get_text()
    assert card.select_one('.kb-origin[data-champ="themes"]') is None  # stated by the sources


def test_pairs_written_by_the_editors_are_marked(fixture_site):
    main = fixture_site.main("arreter-commencer/")
    assert "proposition de la rédaction" in main.select_one(".kb-origin-notice").get_text()
    rows = {tr.select("td")[0].get_text(): tr for tr in main.select("table.kb-stop-start tbody tr")}
    assert "proposition de la rédaction" in rows["Fuir les conflits"].get_text()
    others = [tr for text, tr in rows.items() if text != "Fuir les conflits"]
    assert others and not any(tr.select_one(".kb-badge--editorial") for tr in others)
    reco = fixture_site.main("recommandations/instruire-les-conflits/").select_one(".kb-facts")
    assert "proposition de la rédaction" in reco.get_text()
    audience = reco.select_one('.kb-origin[data-champ="audiences"]')
    assert audience["data-valeur"] == "financeurs" and "ajout de la rédaction" in audience.get_text()


def test_open_data_exports_facts_and_provenance(fixture_site):
    rows = {r["id"]: r for r in json.loads(fixture_site.path("donnees/cooperations.json").read_text("utf-8"))}
    brest = rows["brest-centre-bretagne"]
    assert brest["debut"] == "2016" and brest["porteur"]["organisation"] == "Pôle métropolitain d'essai"
    assert brest["financements"][0]["montant"] == 150000 and brest["resultats"][0]["valeur"] == "919"
    assert brest["territoires"][1]["origine"] == "a-confirmer" and "motif" in brest["territoires"][1]
    assert "origine" not in brest["territoires"][0]
    assert brest["facteurs_de_reussite"] == ["Des habitants qui portent le projet."]
    assert brest["obstacles"] == ["Un modèle économique encore ouvert."] and brest["fin"] == "2020-12"
    assert brest["documents"][0] == {"titre": "Contrat de réciprocité signé", "date": "2016",
                                     "url": "https://example.org/contrat.pdf", "origine": "a-confirmer"}
    assert brest["documents"][1] == {"titre": "Étude citée par référence", "reference": "etude-cler-2018"}
    assert {"champ": "intensite", "origine": "redaction"} in brest["origines"]
    table = {r["id"]: r for r in csv.DictReader(io.StringIO(
        fixture_site.path("donnees/cooperations.csv").read_text("utf-8")))}
    row = table["brest-centre-bretagne"]
    assert row["partenaires_probables"] == "pays-du-centre-ouest-bretagne"
    assert row["origines"] == "intensite:redaction;fonctions/acceder-a-l-energie:redaction"
    assert row["porteur"] == "Pôle métropolitain d'essai" and row["nombre_financements"] == "1"
    assert row["debut"] == "2016" and row["fin"] == "2020-12"
    assert row["nombre_documents"] == "2" and row["nombre_resultats"] == "1"
    assert table["montpellier-lacaune"]["partenaires_probables"] == ""
    recos = {r["id"]: r for r in csv.DictReader(io.StringIO(
        fixture_site.path("donnees/recommandations.csv").read_text("utf-8")))}
    assert recos["instruire-les-conflits"]["origines"] == "paire:redaction;audiences/financeurs:redaction"


def test_new_fields_are_in_decap_and_contributing():
    config = decap.config(DATA, "proprietaire/depot")
    coop = next(c for c in config["collections"] if c["name"] == "cooperations")
    widgets = {w["name"]: w for w in coop["fields"]}
    for name in NEW_FIELDS:
        assert name in widgets, name
    assert widgets["porteur"]["widget"] == "object"
    money = next(w for w in widgets["financements"]["fields"] if w["name"] == "montant")
    assert money["widget"] == "number" and money["min"] == 0
    partner = {w["name"]: w for w in widgets["territoires"]["fields"]}
    assert "origine" in partner and "motif" in partner
    champ = next(w for w in widgets["origines"]["fields"] if w["name"] == "champ")
    assert champ["widget"] == "select" and "intensite" in champ["options"]
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for name in NEW_FIELDS + ("origine", "motif", "a-confirmer", "redaction", "montant", "indicateur"):
        assert f"`{name}`" in guide, name
    assert all(any(f.name == n for f in MODEL["cooperation"]) for n in NEW_FIELDS)


def test_scaffold_lists_the_new_fields():
    from kb.content.scaffold import skeleton

    text = skeleton("cooperation", "Essai", DATA)
    for name in NEW_FIELDS:
        assert f"# {name}" in text, name


REAL = load(ROOT / "content")


@pytest.mark.parametrize("case,partner", [
    ("ligne-ferroviaire-rennes-chateaubriant", "Rennes Métropole"),
    ("ligne-ferroviaire-rennes-chateaubriant", "Communauté de communes Châteaubriant-Derval"),
    ("voyage-a-nantes-vignoble-nantais", "Nantes Métropole"),
    ("interscot-lyon-saint-etienne-charte-commerciale", "SEPAL (SCoT de l'agglomération lyonnaise)"),
    ("lyon-grenoble-cooperation-mobilites", "Métropole de Lyon"),
    ("lyon-grenoble-cooperation-mobilites", "Grenoble-Alpes Métropole"),
    ("campus-mondial-de-la-mer", "Brest métropole"),
    ("forum-de-l-economie-brest", "Brest métropole"),
    ("energiv", "Syndicat départemental d'énergie d'Ille-et-Vilaine"),
    ("label-viande-de-briere", "Parc naturel régional de Brière"),
    ("maison-de-sante-pays-flechois", "Communauté de communes du Pays Fléchois"),
    ("territoires-de-confluence", "Thouarsais"),
])
def test_real_partners_no_source_names_are_probable(case, partner):
    from kb.content.model import territory_key

    # named as the file names it, or by its official name (a coded partner)
    p = next(p for p in REAL.cooperations[case].territoires if territory_key(p.nom) == territory_key(partner))
    assert p.probable and p.motif


def test_real_judgements_and_pairs_of_the_editors_are_flagged():
    for coop in REAL.cooperations.values():
        for champ in ("intensite", "temporalite"):
            if getattr(coop, champ):
                assert coop.origin_of(champ), (coop.id, champ)  # in no source (issue 15)
    assert REAL.cooperations["lyon-grenoble-cooperation-mobilites"].origin_of("portages", "pacte")
    montpellier = REAL.cooperations["montpellier-monts-de-lacaune"]
    assert montpellier.origin_of("fonctions", "acceder-a-l-energie") and not montpellier.origin_of("fonctions", "co-habiter")
    editors = {r.id for r in REAL.recommendations.values() if r.pair_origin}
    assert editors == {"experimenter-avant-de-formaliser", "levier-mutualisation",
                       "levier-planification-coordination", "panier-de-reciprocite"}
    for reco in REAL.recommendations.values():
        for audience in ("etat", "agents-et-dgs", "reseaux"):
            if audience in reco.audiences:
                assert reco.origin_of("audiences", audience), (reco.id, audience)
    financeurs = [r for r in REAL.recommendations.values()
                  if any(s.section and s.section.endswith("Aux financeurs") for s in r.sources)]
    pairs = [r for r in REAL.recommendations.values() if r.id.startswith("arreter-")]
    assert len(financeurs) == 11 and len(pairs) == 5
    assert all("etat" in r.audiences for r in financeurs + pairs)  # applied consistently


def test_missing_facts_link_to_the_completion_form_of_the_configured_repository():
    from urllib.parse import parse_qs, urlparse

    from bs4 import BeautifulSoup

    from kb.graph.build import build_graph
    from kb.render.pages import Renderer, record_page
    from kb.render.participate import SiteInfo

    graph = build_graph(load(FIXTURES))
    renderer = Renderer(graph, node_modules=NODE_MODULES)
    renderer.env.globals["site_info"] = SiteInfo(repo_url="https://github.com/proprietaire/depot")
    renderer.env.globals["repo_url"] = "https://github.com/un-autre/depot"  # never used for the link
    page = record_page(renderer, graph.cooperations["montpellier-lacaune"])
    link = urlparse(BeautifulSoup(page.markdown, "lxml").select_one(".kb-missing a")["href"])
    assert f"{link.scheme}://{link.netloc}{link.path}" == "https://github.com/proprietaire/depot/issues/new"
    query = parse_qs(link.query)
    assert query["template"] == ["completer-une-fiche.yml"] and query["fiche"] == ["montpellier-lacaune"]
    assert "Lacaune" in query["title"][0]


def test_probable_partner_is_drawn_apart_on_the_case_map(fixture_site):
    """A partner no source names is a hollow, dashed dot on the case map, said so in the caption."""
    main = fixture_site.main("cooperations/brest-centre-bretagne/")
    figure = main.select_one("figure.kb-map")
    probable = figure.select("a.kb-map__probable")
    assert [a["data-key"] for a in probable] == ["pays-du-centre-ouest-bretagne"]
    assert len(figure.select(".kb-map__markers a")) > len(probable)  # the others are drawn as facts
    assert "partenaire probable" in figure.select_one("figcaption").get_text()
