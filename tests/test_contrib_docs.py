"""CONTRIBUTING.md stays true to the model; the JSON Schemas for editors stay up to date."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from fnmatch import fnmatch

import pytest
from jsonschema import Draft202012Validator

from conftest import DATA, ROOT
from kb.publish import schemas
from kb.content.fields import KINDS, MODEL, json_schema
from kb.content.reader import decode, read_text

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
CONTENT_KINDS = ("cooperation", "recommandation", "document", "page")


def guide_examples() -> list[str]:
    return re.findall(r"```yaml\n(---\n.*?\n---\n)", GUIDE, flags=re.S)


@pytest.mark.parametrize("kind", CONTENT_KINDS)
def test_every_field_is_explained(kind):
    def names(fields):
        for f in fields:
            yield f.name
            yield from names(f.fields)

    missing = [name for name in names(MODEL[kind]) if f"`{name}`" not in GUIDE]
    assert missing == [], f"CONTRIBUTING.md does not explain: {missing}"


def test_guide_examples_are_valid_front_matter():
    examples = guide_examples()
    assert len(examples) >= len(CONTENT_KINDS)
    validated = set()
    for text in examples:
        data = read_text(decode(text.encode("utf-8"))).data
        for kind in CONTENT_KINDS:
            errors = list(Draft202012Validator(json_schema(kind, DATA)).iter_errors(data))
            if not errors:
                validated.add(kind)
                break
        else:
            pytest.fail(f"example matches no kind: {text[:80]}")
    assert validated == set(CONTENT_KINDS)


def test_guide_commands_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make ([a-z-]+)", GUIDE)):
        assert re.search(rf"^{target}:", makefile, flags=re.M), target


def test_committed_generated_files_are_up_to_date():
    stale = schemas.outdated(ROOT, DATA)
    assert stale == [], f"run « python -m kb schemas » and commit: {stale}"
    result = subprocess.run([sys.executable, "-m", "kb", "schemas", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


def test_schema_check_detects_an_outdated_copy(tmp_path):
    for rel, text in schemas.repo_files(DATA).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert schemas.outdated(tmp_path, DATA) == []
    (tmp_path / "schemas" / "cooperation.json").write_text("{}", encoding="utf-8")
    assert schemas.outdated(tmp_path, DATA) == ["schemas/cooperation.json"]


def test_site_publishes_the_same_schemas(fixture_site):
    for kind in KINDS:
        published = (fixture_site.root / "schema" / f"{kind}.json").read_text(encoding="utf-8")
        assert published == (ROOT / "schemas" / f"{kind}.json").read_text(encoding="utf-8")
        Draft202012Validator.check_schema(json.loads(published))


def test_vscode_maps_each_schema_to_its_files():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for kind, folder in (("cooperation", "cooperations"), ("recommandation", "recommandations"),
                         ("document", "sources")):
        globs = mapping[f"./schemas/{kind}.json"]
        assert any(fnmatch(f"content/{folder}/exemple.md", g) for g in globs)
        assert any(fnmatch(f"brouillon.{kind}.yml", g) for g in globs)
    for path in mapping:
        assert (ROOT / path).exists(), path
    assert "make check" in GUIDE and "n'appliquent pas un schéma YAML" in GUIDE
