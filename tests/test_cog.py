"""The official geography (kb/content/cog.json.gz): extracted, not edited; searchable; located."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from kb.content import cog as C

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("extract_cog", ROOT / "scripts" / "extract_cog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_file_is_what_the_script_extracts():
    """Drift: kb/content/cog.json.gz equals the extraction from the pinned sources (npm + PyPI)."""
    assert (ROOT / "kb" / "content" / "cog.json.gz").read_bytes() == _script().extract()


def test_counts_and_sizes():
    cog = C.load()
    assert len(cog.communes) > 34_000 and len(cog.epci) > 1_200
    assert {"29", "2A", "2B", "974", "976"} <= set(cog.departements) and len(cog.regions) == 18
    assert (ROOT / "kb" / "content" / "cog.json.gz").stat().st_size < 800_000


@pytest.mark.parametrize("typed, expected", [
    ("st die", "88413"), ("Saint-Dié-des-Vosges", "88413"), ("SAINT DIE DES VOSGES", "88413"),
    ("carhaix", "29024"), ("Annecy-le-Vieux", "74010"),  # a former commune leads to today's
])
def test_search_is_accent_hyphen_and_case_insensitive(typed, expected):
    assert expected in [e.code for e in C.load().search(typed, kind="commune")]


def test_memberships_and_population():
    cog = C.load()
    carhaix = cog.get("29024")
    assert carhaix.epci == "242900744" and cog.get("242900744").nom == "CC Poher Communauté"
    assert "29024" in cog.get("242900744").members
    # Lacaune's community now spans the Tarn and the Hérault
    haut_languedoc = cog.get(cog.get("81124").epci)
    assert set(haut_languedoc.departements) == {"81", "34"}
    assert cog.get("29").population > 900_000 and cog.get("53", "region").nom == "Bretagne"


@pytest.mark.parametrize("code, lat, lon", [
    ("29019", 48.39, -4.49),  # Brest
    ("81124", 43.70, 2.69),  # Lacaune
    ("67482", 48.58, 7.75),  # Strasbourg
    ("97411", -20.88, 55.45),  # Saint-Denis (La Réunion), not its namesake of Seine-Saint-Denis
    ("93066", 48.94, 2.36),  # Saint-Denis (Seine-Saint-Denis)
])
def test_communes_are_at_their_place(code, lat, lon):
    entity = C.load().get(code)
    assert entity.precise
    assert abs(entity.lat - lat) < 0.05 and abs(entity.lon - lon) < 0.05


def test_every_commune_is_placed_in_its_departement_area():
    """A commune without its own coordinates is at its EPCI's centre, never at 0, 0."""
    cog = C.load()
    for commune in cog.communes.values():
        dep = cog.departements[commune.departement]
        assert abs(commune.lat - dep.lat) < 3 and abs(commune.lon - dep.lon) < 4, commune


def test_lookup_command_for_contributors():
    result = subprocess.run([sys.executable, "-m", "kb.content.cog", "chercher", "Carhaix"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "29024  Carhaix-Plouguer (commune) – Finistère (29), 7\u202f412 habitants"


FOLDING = ROOT / "tests" / "fixtures" / "folding.json"


def _vectors():
    import json

    return json.loads(FOLDING.read_text(encoding="utf-8"))["vectors"]


def test_name_folding_follows_the_shared_vectors():
    """kb.content.cog.normalise gives the outputs of tests/fixtures/folding.json (the same file
    checks kb-commune.js below): typographic apostrophes, ligatures and « saint » included."""
    wrong = [(text, C.normalise(text), want) for text, want in _vectors() if C.normalise(text) != want]
    assert wrong == []


def test_javascript_name_folding_follows_the_same_vectors(tmp_path):
    """kb-commune.js ``fold``, run by Node on the same vectors: one folding on both sides."""
    import json
    import shutil

    node = shutil.which("node")
    assert node, "Node.js est nécessaire (Debian : apt-get install nodejs)"
    module = tmp_path / "kb-commune.mjs"  # an ES module, loaded as such whatever package.json says
    shutil.copy(ROOT / "overrides" / "assets" / "javascripts" / "kb-commune.js", module)
    script = (f"import {{ fold }} from {json.dumps(module.as_uri())};\n"
              f"const vectors = {json.dumps(_vectors())};\n"
              "console.log(JSON.stringify(vectors.map(([text]) => fold(text))));\n")
    out = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    got = json.loads(out)
    wrong = [(text, g, want) for (text, want), g in zip(_vectors(), got) if g != want]
    assert wrong == []


def test_epci_legal_forms_are_spelled_out():
    assert C.spelled_out("CA du Grand Narbonne") == "Communauté d'agglomération du Grand Narbonne"
    assert C.spelled_out("CC Poher Communauté") == "Communauté de communes Poher Communauté"
    assert C.spelled_out("CU Le Mans Métropole") == "Communauté urbaine Le Mans Métropole"
    assert C.spelled_out("Métropole de Lyon") == "Métropole de Lyon"
