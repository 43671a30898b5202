"""GitHub files: workflows and issue form valid for GitHub (check-jsonschema with its vendored
schemas, no network), and doing what CONTRIBUTING.md says they do."""
from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from conftest import DATA, ROOT
from kb.content.fields import MODEL
from kb.publish.issue_form import PATH as ISSUE_FORM

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))


def lint(schema: str, *paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
                           *map(str, paths)], capture_output=True, text=True, timeout=120)


def load(path):
    # yaml 1.1 reads the key `on:` as True: GitHub reads it as "on"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def test_workflows_are_valid_for_github():
    assert len(WORKFLOWS) == 3
    result = lint("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_linter_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\non: pull_request\njobs:\n  a:\n    steps:\n      - run: make\n", encoding="utf-8")
    assert lint("vendor.github-workflows", broken).returncode != 0  # runs-on is missing


def test_pull_request_workflow_checks_builds_tests_and_uploads_the_site():
    workflow = load(GITHUB / "workflows" / "verifier.yml")
    assert "pull_request" in workflow["on"]
    runs = [s.get("run", "") for s in steps(workflow)]
    assert runs.index("make check") < runs.index("make build") < runs.index("make test")
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"
    # nothing is uploaded from a failed build (the default `success()`, never `always()`)
    assert upload.get("if", "success()") == "success()"
    assert upload["with"]["if-no-files-found"] == "error"
    env = workflow["jobs"]["verifier"]["env"]
    assert env["KB_REQUIRE_BROWSER"] == "1"


def test_main_workflow_deploys_to_pages():
    workflow = load(GITHUB / "workflows" / "publier.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    deploy = workflow["jobs"]["publier"]["permissions"]  # write scopes in the deploy job only (test_security)
    assert deploy["pages"] == "write" and deploy["id-token"] == "write"
    uses = [s.get("uses", "") for s in steps(workflow)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    build = next(s for s in steps(workflow) if s.get("run") == "make build")
    assert "KB_SITE_URL" in build["env"]


def test_issue_form_is_valid_for_github():
    result = lint("vendor.github-issue-forms", ROOT / ISSUE_FORM)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_form_asks_for_the_cooperation_fields():
    form = yaml.safe_load((ROOT / ISSUE_FORM).read_text(encoding="utf-8"))
    assert form["name"] == "Proposer une coopération"
    items = {item.get("id"): item for item in form["body"] if item.get("id")}
    required = [f.name for f in MODEL["cooperation"] if f.required and f.name != "date_ajout"]
    for name in required:
        assert name in items, name
        assert items[name]["validations"]["required"] is True, name
    vocabs = DATA.vocabularies
    for f in MODEL["cooperation"]:
        if f.vocab and f.name in items:
            options = items[f.name]["attributes"]["options"]
            assert options == [f"{t.label} ({t.id})" for t in vocabs[f.vocab].terms.values()]


@pytest.mark.parametrize("rule", ["make check", "source", "propres mots", "neutre", "invent"])
def test_pull_request_template_has_the_checklist(rule):
    template = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    checklist = [line for line in template.splitlines() if line.startswith("- [ ] ")]
    assert len(checklist) >= 5
    assert any(rule in line for line in checklist)
