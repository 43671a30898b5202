"""An EPCI SIREN no longer in force (dissolved, merged, re-created under a new SIREN) gets a
message naming what it was and the current EPCI holding its former communes, derived from
an earlier edition of the official geography pinned beside the current one (issue 20 item 1:
« a dissolved or renamed EPCI gets a message naming its successor »)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import load

from kb.content import cog as C

from test_validation import GOOD_CASE, only, problems_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# the Lille metropolis of 2019 (SIREN 245900410), re-created in 2020 as 200093201 with the
# communes of the CC de la Haute Deûle: all its 90 communes went to one current EPCI
LILLE_2019 = "245900410"
LILLE = "200093201"
# CC Monts et Vallées Ouest Creuse (2019), split in 2020 between three CC
CREUSE_2019 = "200067510"
CREUSE_NOW = {"242320109": 17, "242320000": 16, "242300135": 10}


FIRST_PARTNER = 'nom: Ville A\n    type: commune\n    code: "29019"\n    departement: "29"'


def _partner(type_: str, code: str) -> str:
    return GOOD_CASE.replace(FIRST_PARTNER, f'type: {type_}\n    code: "{code}"')


def _named(name: str, type_: str) -> str:
    """The valid fiche whose first partner is given by its name only."""
    return GOOD_CASE.replace(FIRST_PARTNER, f"nom: {name}\n    type: {type_}")


def test_the_history_table_follows_former_communes_to_todays_epci():
    cog = C.load()
    lille = cog.former_epci[LILLE_2019]
    assert (lille.nom, lille.type, lille.edition, lille.communes) == (
        "Métropole Européenne de Lille", "metropole", "2019", 90)
    assert lille.successors == ((LILLE, 90),)
    creuse = cog.former_epci[CREUSE_2019]
    assert dict(creuse.successors) == CREUSE_NOW and creuse.communes == 43
    # history only: a SIREN in force is never listed as former, and is no entity of the past
    assert not set(cog.former_epci) & set(cog.epci)
    assert cog.get(LILLE_2019) is None
    assert cog.source["historique"] == {"2019": "@etalab/decoupage-administratif@0.3.0"}


def test_a_fiche_partner_with_a_former_siren_is_told_its_successor(content):
    p = only(problems_for(content, "cooperations/essai.md", _partner("metropole", LILLE_2019)))
    assert p.field == "territoires[1].code"
    assert (f"« {LILLE_2019} » était en 2019 le SIREN de l'intercommunalité « Métropole Européenne de Lille »"
            in p.message)
    assert "D'après le découpage administratif d'Etalab" in p.message
    assert (f"ses 90 communes de 2019 appartiennent toutes aujourd'hui à « Métropole Européenne de Lille » "
            f"(SIREN {LILLE}) : indiquez ce code") in p.message


def test_a_fiche_partner_with_a_split_epci_is_told_each_share(content):
    p = only(problems_for(content, "cooperations/essai.md", _partner("communaute-de-communes", CREUSE_2019)))
    assert "« Communauté de communes Monts et Vallées Ouest Creuse »" in p.message
    assert ("ses 43 communes de 2019 se répartissent aujourd'hui entre « Communauté de communes du Pays "
            "Dunois » (SIREN 242320109), 17 sur 43 ;") in p.message
    for siren, count in CREUSE_NOW.items():
        assert f"(SIREN {siren}), {count} sur 43" in p.message


GROUPING = ('pays-du-centre-ouest-bretagne:\n  nom: Pays du Centre Ouest Bretagne\n  type: petr-pays\n'
            '  membres: ["242900744", "{member}"]\n  source: redaction\n{extra}')


def _grouping_problems(content: Path, text: str):
    (content.parent / "data" / "groupements.yml").write_text(text, encoding="utf-8")
    return [p for p in load(content).problems if p.path == "data/groupements.yml"]


def test_a_grouping_member_with_a_former_siren_is_told_its_successors(content):
    text = GROUPING.replace("{member}", "200067221").replace("{extra}", "")
    p = only(_grouping_problems(content, text))
    assert (p.line, p.field) == (4, "pays-du-centre-ouest-bretagne.membres[2]")
    assert "« Communauté de communes Centre Morbihan Communauté » ; ce SIREN n'est plus en vigueur" in p.message
    assert "(SIREN 200096683), 12 sur 18 et « Communauté de communes Baud Communauté » (SIREN 200096675), " \
           "6 sur 18 : remplacez-le par le SIREN de celle qui est concernée" in p.message


def test_a_grouping_successor_with_a_former_siren_is_told_todays_epci(content):
    text = GROUPING.replace("{member}", "242900561").replace("{extra}", '  successeur: "200035459"\n')
    p = only(_grouping_problems(content, text))
    assert p.field == "pays-du-centre-ouest-bretagne.successeur"
    assert "« Communauté d'agglomération d'Agen »" in p.message
    assert ("ses 31 communes de 2019 appartiennent toutes aujourd'hui à « Communauté d'agglomération "
            "Agglomération d'Agen » (SIREN 200096956) : indiquez ce code") in p.message


def test_searching_a_former_epci_name_tells_what_became_of_it():
    result = subprocess.run([sys.executable, "-m", "kb.content.cog", "chercher", "Monts et Vallées Ouest Creuse"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    former = [line for line in lines if line.startswith(CREUSE_2019)]
    assert len(former) == 1 and "(ancienne intercommunalité en 2019, SIREN plus en vigueur)" in former[0], lines
    assert all(siren in result.stdout for siren in CREUSE_NOW)


def test_the_name_a_fiche_gives_points_to_the_successor_that_bears_it(content):
    text = _partner("communaute-de-communes", "200067221").replace(
        "  - type: communaute-de-communes", "  - nom: Baud Communauté\n    type: communaute-de-communes")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.message.endswith("; le nom donné est aujourd'hui celui de « Communauté de communes Baud Communauté » "
                              "(SIREN 200096675)"), p.message
    # a name that is none of the successors' adds nothing
    p = only(problems_for(content, "cooperations/essai.md", text.replace("Baud Communauté", "Pays de Baud")))
    assert "le nom donné" not in p.message and "200096675" in p.message


def test_a_former_name_comes_before_mere_close_spellings_of_todays_names():
    result = subprocess.run([sys.executable, "-m", "kb.content.cog", "chercher", "Pays Créçois"],
                            capture_output=True, text=True, cwd=ROOT)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("247700438  CC Pays Créçois (ancienne intercommunalité en 2019"), lines
    assert "200090504 CA Coulommiers Pays de Brie (12 sur 19)" in lines[0]


def test_an_epci_renamed_since_2019_is_found_by_its_former_name(content):
    cog = C.load()
    assert ("CC de Flandre Intérieure", "2019") in cog.former_names["200040947"]
    assert "200040947" in [e.code for e in cog.search("Flandre Intérieure", kind="epci")]
    result = subprocess.run([sys.executable, "-m", "kb.content.cog", "chercher", "CA de Saintes"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.splitlines()[0].startswith("200036473  CA \"Saintes - Grandes Rives - L'Agglo\"")
    assert result.stdout.splitlines()[0].endswith("; nommée « CA de Saintes » en 2019")
    # a fiche naming it by its former name, without a code, is offered today's SIREN
    text = _named("Communauté de communes de Flandre Intérieure", "communaute-d-agglomeration")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires[1].code" and "« 200040947 » (CA Coeur de Flandre, Nord)" in p.message


def test_a_fiche_naming_a_former_epci_without_its_code_is_told_what_became_of_it(content):
    text = _named("Communauté de communes du Pays Créçois", "communaute-de-communes")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert p.field == "territoires[1].code"
    assert "le SIREN de l'intercommunalité (9 chiffres) est obligatoire" in p.message
    assert "« 247700438 » était en 2019 le SIREN de l'intercommunalité « Communauté de communes Pays Créçois »" \
        in p.message
    assert "« Communauté d'agglomération Coulommiers Pays de Brie » (SIREN 200090504), 12 sur 19" in p.message


def test_a_siren_unknown_in_both_editions_says_so(content):
    text = GROUPING.replace("{member}", "242900745").replace("{extra}", "")
    p = only(_grouping_problems(content, text))
    assert "n'est pas une intercommunalité en vigueur" in p.message
    assert "ni une de celles de 2019 : disparue avant, ou mal recopiée" in p.message


def test_a_name_shared_by_a_former_and_a_current_epci_leads_to_the_current_one(content):
    text = _named("Métropole Européenne de Lille", "metropole")
    p = only(problems_for(content, "cooperations/essai.md", text))
    assert "« 200093201 » (Métropole Européenne de Lille, Nord)" in p.message
    assert LILLE_2019 not in p.message


def test_communes_that_cannot_be_followed_are_counted_apart_never_given_to_a_successor():
    import gzip
    import json

    raw = json.loads(gzip.decompress((ROOT / "kb" / "content" / "cog.json.gz").read_bytes()))
    for row in raw["epci_anciens"]:
        if row[0] == CREUSE_2019:
            row[4] = 45  # two communes of 2019 that no current EPCI holds
    text = C.former_epci_text(CREUSE_2019, C.Cog(raw))
    assert "ses 45 communes de 2019 se répartissent" in text and "10 sur 45" in text
    assert "(et 2 dans aucune intercommunalité d'aujourd'hui connue)" in text
