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


# --- the workflow's own scripts, run locally on a copy of the repository ----------------------

import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

TICKETS = ROOT / "tests" / "fixtures" / "tickets"


def script(step_name: str) -> str:
    return next(s["run"] for _, s in all_steps(load()) if s.get("name") == step_name)


def git(repo: Path, *args) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "essai", "GIT_AUTHOR_EMAIL": "essai@exemple.fr",
           "GIT_COMMITTER_NAME": "essai", "GIT_COMMITTER_EMAIL": "essai@exemple.fr"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git repository holding the project's content, data and settings (what the workflow reads)."""
    repo = tmp_path / "depot"
    repo.mkdir()
    for name in ("content", "data"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy2(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "depart")
    return repo


def run_step(step_name: str, cwd: Path, runner_temp: Path, **env) -> subprocess.CompletedProcess:
    environ = {**os.environ, "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(runner_temp / "sorties"),
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", **env}
    return subprocess.run(["bash", "-e", "-c", script(step_name)], cwd=cwd, capture_output=True, text=True,
                          env=environ, timeout=300)


@pytest.mark.parametrize("ticket, written", [("proposition-valide.md", True), ("proposition-hostile.md", True),
                                             ("complement-chemin.md", False)])
def test_the_two_jobs_scripts_write_one_fiche_and_apply_it_alone(repository, tmp_path, ticket, written):
    temp = tmp_path / "runner"
    temp.mkdir()
    marker = Path("/tmp/kb-ticket-pwned")
    marker.unlink(missing_ok=True)
    body = (TICKETS / ticket).read_text(encoding="utf-8").replace("\n", "\r\n")  # as GitHub sends it
    first = run_step("Écrire la fiche à partir du ticket", repository, temp, TICKET_BODY=body)
    assert first.returncode == 0, first.stderr  # the job goes on: the messages are posted either way
    assert not marker.exists()
    out = temp / "sortie"
    assert (out / "compte-rendu.md").read_text(encoding="utf-8").count("```") >= 2
    # the hostile ticket is a valid fiche whose values are plain text (tests/test_intake.py)
    assert (out / "statut").read_text().strip() == ("0" if written else "1")
    # the second job: a fresh checkout, the patch applied only if it touches one fiche
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repository), str(clone)], check=True)
    second = run_step("Appliquer la fiche (seulement content/cooperations/*.md)", clone, temp)
    assert second.returncode == 0, second.stderr
    outputs = (temp / "sorties").read_text()
    assert outputs.strip() == ("ecrite=oui" if written else "ecrite=non")
    staged = git(clone, "diff", "--cached", "--name-only").split()
    assert len(staged) == (1 if written else 0)
    assert all(path.startswith("content/cooperations/") for path in staged)


def test_a_patch_touching_anything_else_is_refused(repository, tmp_path):
    temp = tmp_path / "runner"
    (temp / "sortie").mkdir(parents=True)
    (repository / "mkdocs.yml").write_text("site_name: pirate\n", encoding="utf-8")
    git(repository, "add", "-A")
    (temp / "sortie" / "fiche.patch").write_text(git(repository, "diff", "--cached", "--binary"), encoding="utf-8")
    git(repository, "reset", "-q", "--hard")
    result = run_step("Appliquer la fiche (seulement content/cooperations/*.md)", repository, temp)
    assert result.returncode == 1 and "refusée" in result.stderr
    assert git(repository, "status", "--porcelain") == ""
