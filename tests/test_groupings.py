"""Groupings (data/groupements.yml, kb/content/groupings.py): every grouping a fiche names has
its composition and provenance, or says why it is unknown; members are checked against the
official geography; shared facts (names, members) belong to their source, never to the fiche
that comes first (issue 20 item 1, issue 24 item 1)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load

from kb.content import groupings as G
from kb.graph.build import build_graph

from test_validation import CASE  # noqa: E402  a valid fiche around its partners

ROOT = Path(__file__).resolve().parent.parent

BREST = '  - type: metropole\n    code: "242900314"'
COB = "  - nom: Pays du Centre Ouest Bretagne\n    type: petr-pays"


def _problems(content: Path, groupings: str | None = None, case: str | None = None):
    if groupings is not None:
        (content.parent / "data" / "groupements.yml").write_text(groupings, encoding="utf-8")
    if case is not None:
        (content / "cooperations" / "aaa-essai.md").write_text(case, encoding="utf-8")
    return load(content).problems


def _only(problems, path):
    found = [p for p in problems if p.path == path]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def test_real_groupings_file_is_clean_and_covers_every_grouping_of_the_fiches():
    content = load(ROOT / "content")
    assert [str(p) for p in content.problems] == []
    groupings = G.of(content.data)
    graph = build_graph(content)
    named = [t for t in graph.territories.values() if t.category == "groupement"]
    assert len(named) >= 17 and all(t.grouping is not None for t in named)
    for g in groupings.by_id.values():
        assert g.inconnue or (g.membres and g.source), g.id
        assert not g.inconnue or (g.motif and g.departements), g.id


def test_livradois_forez_spans_three_departements_and_mauges_is_not_its_own_member():
    graph = build_graph(load(ROOT / "content"))
    from kb.graph import territories as T

    park = graph.territories["parc-naturel-regional-livradois-forez"]
    assert set(T.departements_of(park)) == {"63", "43", "42"}
    mauges = graph.territories["pays-des-mauges"]
    assert mauges.grouping.successeur == "200060010"
    assert "200060010" not in mauges.membres and len(mauges.membres) == 6
    partners = {p.code for p in graph.cooperations["mauges-du-pays-a-l-agglomeration"].territoires if p.code}
    assert not partners & set(mauges.membres)


def test_duplicate_member_is_refused_with_file_and_line(content):
    text = ('pays-du-centre-ouest-bretagne:\n  nom: Pays du Centre Ouest Bretagne\n  type: petr-pays\n'
            '  membres: ["242900744", "242900561", "242900744"]\n  source: redaction\n')
    p = _only(_problems(content, text), "data/groupements.yml")
    assert (p.line, p.field) == (4, "pays-du-centre-ouest-bretagne.membres[3]")
    assert "déjà membre" in p.message and "une fois" in p.message


def test_former_commune_names_the_commune_it_merged_into(content):
    text = ('pays-du-centre-ouest-bretagne:\n  nom: Pays du Centre Ouest Bretagne\n  type: petr-pays\n'
            '  membres: ["242900744", "49006"]\n  source: redaction\n')
    p = _only(_problems(content, text), "data/groupements.yml")
    assert "ancienne commune" in p.message and "Beaupréau-en-Mauges" in p.message and "49023" in p.message


def test_epci_no_longer_in_force_and_successor_as_member(content):
    text = ('pays-du-centre-ouest-bretagne:\n  nom: Pays du Centre Ouest Bretagne\n  type: petr-pays\n'
            '  membres: ["242900745", "200060010"]\n  source: redaction\n  successeur: "200060010"\n')
    problems = [p for p in _problems(content, text) if p.path == "data/groupements.yml"]
    messages = " | ".join(p.message for p in problems)
    assert len(problems) == 2, messages
    assert "n'est pas une intercommunalité en vigueur" in messages
    assert "est le successeur du groupement" in messages


def test_commune_beside_its_own_epci_and_unknown_composition_needs_departements(content):
    text = ('pays-du-centre-ouest-bretagne:\n  nom: Pays du Centre Ouest Bretagne\n  type: petr-pays\n'
            '  membres: ["242900744", "29024"]\n  source: redaction\n'
            'autre:\n  nom: Autre pays\n  type: petr-pays\n  composition_inconnue: "pas encore relevée"\n')
    problems = [p for p in _problems(content, text) if p.path == "data/groupements.yml"]
    messages = " | ".join(p.message for p in problems)
    assert "déjà comprise dans son intercommunalité" in messages
    assert "ses départements" in messages and len(problems) == 2, messages


def test_member_list_needs_its_provenance(content):
    text = ('pays-du-centre-ouest-bretagne:\n  nom: Pays du Centre Ouest Bretagne\n  type: petr-pays\n'
            '  membres: ["242900744"]\n')
    p = _only(_problems(content, text), "data/groupements.yml")
    assert p.field == "pays-du-centre-ouest-bretagne.source" and "précision de la rédaction" in p.message


def test_member_that_is_a_partner_of_the_same_fiche_is_an_error(content):
    poher = '  - type: communaute-de-communes\n    code: "242900744"'
    p = _only(_problems(content, case=CASE.format(partners=f"{COB}\n{poher}")), "content/cooperations/aaa-essai.md")
    assert p.field == "territoires[2]" and "est membre de « Pays du Centre Ouest Bretagne »" in p.message


def test_a_partner_named_twice_is_an_error(content):
    brest_again = '  - nom: Métropole de Brest\n    type: metropole\n    code: "242900314"'
    p = _only(_problems(content, case=CASE.format(partners=f"{BREST}\n{brest_again}")),
              "content/cooperations/aaa-essai.md")
    assert p.field == "territoires[2]" and p.line == 7 and "déjà le partenaire n° 1" in p.message


def test_first_fiche_does_not_rename_an_official_territory_or_a_grouping(content):
    """A fiche sorting first names Brest Métropole and the Pays COB with other usual names: the
    territory pages, maps and territoires.csv keep the official and data-file names."""
    usual = ('  - nom: Métropole renommée\n    type: metropole\n    code: "242900314"\n'
             '  - nom: Centre Ouest Bretagne\n    type: petr-pays')
    text = ('pays-du-centre-ouest-bretagne:\n  nom: Pays du Centre Ouest Bretagne\n  type: petr-pays\n'
            '  autres_noms: ["Centre Ouest Bretagne"]\n  membres: ["242900744"]\n  source: redaction\n')
    assert _problems(content, text, CASE.format(partners=usual)) == []
    graph = build_graph(load(content))
    assert graph.territories["brest-metropole"].nom == "Brest Métropole"
    cob = graph.territories["pays-du-centre-ouest-bretagne"]
    assert cob.nom == "Pays du Centre Ouest Bretagne" and cob.membres == ("242900744",)
    usual_names = {p.nom for p in graph.cooperations["aaa-essai"].territoires}
    assert usual_names == {"Métropole renommée", "Centre Ouest Bretagne"}  # kept on that fiche


def test_build_report_lists_groupings_of_unknown_composition_and_the_communes_answered():
    from kb.render import ma_commune

    lines = ma_commune.report(build_graph(load(ROOT / "content")))
    assert lines[0].startswith("Groupements de composition inconnue (")
    assert any(line.startswith("  - Parc naturel régional Livradois-Forez : ") for line in lines)
    assert lines[-1].startswith("Ma commune : ") and "par leur département" in lines[-1]


@pytest.mark.parametrize("bad", ["- liste\n", "x:\n  nom: X\n  type: petr-pays\n  membres: 3\n  source: redaction\n",
                                 "a b:\n  nom: X\n", "x: !!python/object 1\n"])
def test_malformed_file_gets_a_french_message_not_a_traceback(content, bad):
    problems = [p for p in _problems(content, bad) if p.path == "data/groupements.yml"]
    assert problems and all(p.message for p in problems)


def test_file_of_thousands_of_groupings_is_read_and_an_oversized_one_is_refused(content):
    """3,500 groupings of unknown composition (the 5,000-case bench declares ~2,300) are read;
    a file over the limit gets one French message, not a parse of megabytes."""
    entry = ('g-{0}:\n  nom: "Pôle fictif {0}"\n  type: petr-pays\n  departements: ["29"]\n'
             '  composition_inconnue: "Groupement fictif : sa composition reste à établir."\n')
    many = "".join(entry.format(i) for i in range(3500))
    assert len(many.encode()) > 512 * 1024
    assert not [p for p in _problems(content, many) if p.path == "data/groupements.yml"]
    oversized = many + "# " + "x" * G.MAX_BYTES + "\n"
    found = _only(_problems(content, oversized), "data/groupements.yml")
    assert "fichier trop long" in found.message and "4 Mo" in found.message
