"""Open data of the real content/ (not a fixture): the published data package is valid, and its
schemas say exactly which cells may be empty."""
from __future__ import annotations

import json

import pytest
from frictionless import Package


@pytest.fixture(scope="module")
def donnees(content_build):
    """The /donnees/ folder of content/ built by `python -m kb build` (conftest, once per session)."""
    return content_build.site / "donnees"


def _errors(report) -> list:
    return [(task.name, err.type, getattr(err, "row_number", None), getattr(err, "field_name", None))
            for task in report.tasks for err in task.errors]


def test_every_resource_of_the_real_data_package_is_valid(donnees):
    descriptor = json.loads((donnees / "datapackage.json").read_text(encoding="utf-8"))
    report = Package(str(donnees / "datapackage.json")).validate()
    assert _errors(report) == []
    assert report.valid
    assert [task.name for task in report.tasks] == [res["name"] for res in descriptor["resources"]]
    assert all(task.stats["rows"] > 0 for task in report.tasks)


def test_the_schemas_say_which_cells_may_be_empty(donnees):
    """A column that may be empty says when in its description; every other column is
    ``required`` (and frictionless, above, checks that no cell of it is empty)."""
    descriptor = json.loads((donnees / "datapackage.json").read_text(encoding="utf-8"))
    silent = []
    for res in descriptor["resources"]:
        for field in res["schema"]["fields"]:
            if field.get("constraints", {}).get("required"):
                continue
            text = field.get("description", "").lower()
            if "vide" not in text and "null" not in text:
                silent.append((res["name"], field["name"]))
    assert silent == []
