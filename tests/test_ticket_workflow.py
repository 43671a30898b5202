"""The workflow that turns an issue into a pull request (.github/workflows/ticket.yml) follows
the hardening rules: the issue body reaches the shell only through an environment variable,
the branch comes from the issue number only, least permissions, no credential left on disk,
actions pinned by full commit SHA with their version in a comment, and the job that holds
the write scopes runs no code of the repository."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "ticket.yml"


def load() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    if True in data:  # yaml 1.1 reads `on:` as True
        data["on"] = data.pop(True)
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def all_steps(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in steps(job):
            yield name, step


def test_runs_on_issues_of_the_two_forms_only():
    workflow = load()
    assert set(workflow["on"]) == {"issues"}
    condition = workflow["jobs"]["preparer"]["if"]
    assert "'proposition'" in condition and "'complement'" in condition and "state == 'open'" in condition


def test_no_expression_inside_a_run_script():
    for _, step in all_steps(load()):
        assert "${{" not in step.get("run", ""), step.get("name")


def test_the_issue_body_reaches_the_command_through_the_environment_only():
    text = WORKFLOW.read_text(encoding="utf-8")
    uses_of_body = [line.strip() for line in text.splitlines() if "github.event.issue.body" in line]
    assert uses_of_body == ["TICKET_BODY: ${{ github.event.issue.body }}"]
    step = next(s for _, s in all_steps(load()) if "TICKET_BODY" in s.get("env", {}))
    assert 'printf \'%s\' "$TICKET_BODY" >' in step["run"]
    assert "python -m kb depuis-ticket" in step["run"]
    # nothing else of the issue (title, labels, author) is used anywhere but the number and state
    for line in text.splitlines():
        for expr in re.findall(r"\$\{\{(.*?)\}\}", line):
            if "github.event.issue" in expr:
                assert re.fullmatch(r"\s*github\.event\.issue\.(number|body)\s*", expr), line


def test_the_branch_is_derived_from_the_issue_number_only():
    pr = next(s for _, s in all_steps(load()) if s.get("uses", "").startswith("peter-evans/create-pull-request@"))
    assert pr["with"]["branch"] == "ticket-${{ github.event.issue.number }}"
    assert pr["with"]["add-paths"] == "content/cooperations/*.md"


def test_actions_are_pinned_by_full_sha_with_their_version():
    lines = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines
    for line in lines:
        assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$", line), line


def test_least_permissions_and_write_scopes_only_where_nothing_of_the_repository_runs():
    workflow = load()
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["preparer"]["permissions"] == {"contents": "read"}
    writers = {name for name, job in jobs.items() if "write" in (job.get("permissions") or {}).values()}
    assert writers == {"proposer"}
    for step in steps(jobs["proposer"]):
        run = step.get("run", "")
        assert not re.search(r"\b(python|pip|make|npm|npx|bash \S+\.sh|\./)", run), run


@pytest.mark.parametrize("job", ["preparer", "proposer"])
def test_no_credential_left_on_disk(job):
    for step in steps(load()["jobs"][job]):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_the_token_is_given_only_to_the_steps_that_write():
    text = WORKFLOW.read_text(encoding="utf-8")
    holders = [name for name, step in all_steps(load())
               if "github.token" in str(step) or "secrets.GITHUB_TOKEN" in str(step)]
    assert holders == ["proposer", "proposer"]
    assert "secrets." not in text.replace("secrets.GITHUB_TOKEN", "")


def test_only_one_fiche_of_content_cooperations_is_applied():
    apply = next(s for _, s in all_steps(load()) if "git apply --index" in s.get("run", ""))
    assert "content/cooperations/[a-z0-9]+(-[a-z0-9]+)*\\.md" in apply["run"]
    assert apply["run"].index("--numstat") < apply["run"].index("--index")
