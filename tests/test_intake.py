"""From an issue to a fiche (kb.intake, ``python -m kb depuis-ticket``): real issue-form bodies
as GitHub renders them (tests/fixtures/tickets/), valid, incomplete and hostile, each written
(or refused) and then passing or failing the same check as ``make check``."""
from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from kb.content.reader import decode, read_text
from kb.content.validate import load_content
from kb.content.vocab import ProjectData
from kb.intake import command, issue_body
from kb.publish import issue_form as IF

TICKETS = Path(__file__).resolve().parent / "fixtures" / "tickets"
TODAY = date(2026, 12, 7)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the real content and data (the tickets name real fiches and sources)."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def data_of(project: Path) -> ProjectData:
    return ProjectData.at(project / "data", project / "data" / "references.yml")


def run(project: Path, name: str) -> command.Outcome:
    return command.run(TICKETS / name, project / "content", data_of(project), today=TODAY)


def run_text(project: Path, tmp_path: Path, text: str) -> command.Outcome:
    """The command on an issue body given as text (a ticket of the fixtures, edited)."""
    ticket = tmp_path / "ticket.md"
    ticket.write_text(text, encoding="utf-8")
    return command.run(ticket, project / "content", data_of(project), today=TODAY)


def check(project: Path):
    return load_content(project / "content", data_of(project))


def cli(project: Path, ticket: Path, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kb", "--projet", str(project), "depuis-ticket", str(ticket),
                           *extra], cwd=ROOT, capture_output=True, text=True, timeout=120)


def files_of(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in project.rglob("*") if p.is_file()}


# --- reading the body as GitHub writes it ------------------------------------------------

def test_body_is_read_by_the_form_labels_with_no_response_and_checkboxes():
    form = IF.issue_form(data_of(ROOT))
    text = (TICKETS / "proposition-valide.md").read_text(encoding="utf-8").replace("\n", "\r\n")
    answers = issue_body.parse(text, form)
    assert answers.get("titre") == "Coopération alimentaire Carhaix – Brest métropole"
    assert answers.get("portages") is None and answers.get("fin") is None  # _No response_
    assert answers.get("texte").startswith("## Contexte")
    assert all(issue_body.checked(answers.get("engagements")).values())
    assert answers.missing == ()


def test_a_heading_typed_inside_an_answer_does_not_start_a_field():
    form = IF.issue_form(data_of(ROOT))
    text = (TICKETS / "proposition-hostile.md").read_text(encoding="utf-8")
    answers = issue_body.parse(text, form)
    # « ### Titre » inside the description stays in the description: the title is the first one
    assert answers.get("titre").startswith("../../../tmp/$(touch")
    assert "### Titre\n\nAutre titre" in answers.get("texte")


# --- valid tickets ------------------------------------------------------------------------

def test_a_valid_proposal_becomes_a_fiche_that_passes_the_check(project):
    before = files_of(project)
    report = project / "compte-rendu.md"
    result = cli(project, TICKETS / "proposition-valide.md", "--compte-rendu", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    path = project / "content" / "cooperations" / "cooperation-alimentaire-carhaix-brest-metropole.md"
    assert path.is_file()
    assert set(files_of(project)) - set(before) == {path.relative_to(project).as_posix(), "compte-rendu.md"}
    assert "Fiche écrite" in result.stdout and "Fiche valide" in result.stdout
    assert not check(project).problems
    doc = read_text(decode(path.read_bytes()))
    assert doc.data["titre"] == "Coopération alimentaire Carhaix – Brest métropole"
    assert doc.data["territoires"] == [
        {"nom": "Brest métropole", "type": "metropole", "code": "242900314"},
        {"nom": "Carhaix-Plouguer", "type": "commune", "code": "29024"}]
    assert doc.data["themes"] == ["alimentation", "economie"] and doc.data["statut"] == "en-cours"
    assert doc.data["financements"] == [{"financeur": "Région Bretagne", "programme": "Contrat de plan",
                                         "montant": "150000", "annee": "2019"}]
    assert doc.data["resultats"][0]["valeur"] == "12,5"
    assert doc.data["sources"] == [{"document": "cartes-sur-table",
                                    "section": "Des thématiques émergentes de coopérations – Alimentation"}]
    assert doc.data["recommandations"] == ["connaitre-les-flux-entre-territoires"]
    assert doc.data["reciprocites"] == [{"partenaire": "Carhaix-Plouguer", "sens": "apporte", "nature": "alimentation",
                                         "description": "Des produits locaux pour les cantines de la métropole",
                                         "source": "cartes-sur-table"}]
    assert doc.body.strip().startswith("## Contexte")
    assert "passe la vérification" in report.read_text(encoding="utf-8")


def test_a_completion_adds_facts_and_keeps_every_other_byte(project):
    path = project / "content" / "cooperations" / "agence-developpement-nantes-saint-nazaire.md"
    old = path.read_text(encoding="utf-8")
    outcome = run(project, "complement-valide.md")
    assert outcome.ok, command.lines(outcome)
    new = path.read_text(encoding="utf-8")
    # only lines added: every line of the fiche, and its body, stay as they were
    ops = difflib.SequenceMatcher(a=old.splitlines(True), b=new.splitlines(True), autojunk=False).get_opcodes()
    assert {op for op, *_ in ops} <= {"equal", "insert"}
    assert new.endswith(old.split("---\n", 2)[2])
    doc = read_text(decode(path.read_bytes()))
    assert doc.data["debut"] == "2015"
    assert doc.data["territoires"][-1] == {"nom": "Saint-Nazaire", "type": "commune", "code": "44184"}
    assert doc.data["sources"][-1]["editeur"] == "Agence de développement Nantes Saint-Nazaire"
    assert doc.data["financements"] == [{"financeur": "Nantes Métropole", "montant": "200000", "annee": "2016"}]
    assert not check(project).problems
    # the same ticket again (an edited issue): nothing more to add
    again = run(project, "complement-valide.md")
    assert not again.written and "rien à ajouter" in " ".join(again.notes)


# --- incomplete and hostile tickets --------------------------------------------------------

def test_an_incomplete_proposal_is_written_and_fails_the_check_with_french_messages(project):
    result = cli(project, TICKETS / "proposition-incomplete.md")
    assert result.returncode == 1
    assert (project / "content" / "cooperations" / "cantines-partagees-du-centre-bretagne.md").is_file()
    problems = check(project).problems
    assert {p.field for p in problems} == {"resume", "statut", "territoires"}
    assert "resume: champ obligatoire manquant" in result.stdout
    assert "modifiez le ticket" in result.stdout


def test_shell_metacharacters_and_a_path_in_the_title_choose_neither_a_command_nor_a_path(project):
    marker = Path("/tmp/kb-ticket-pwned")
    marker.unlink(missing_ok=True)
    before = files_of(project)
    outcome = run(project, "proposition-hostile.md")
    assert not marker.exists()
    added = set(files_of(project)) - set(before)
    assert added == {"content/cooperations/tmp-touch-tmp-kb-ticket-pwned-id-rm-rf-cat-etc-passwd.md"}
    doc = read_text(decode((project / sorted(added)[0]).read_bytes()))
    assert doc.data["titre"] == "../../../tmp/$(touch /tmp/kb-ticket-pwned) `id` ; rm -rf ~ | cat /etc/passwd"
    # a partner's name cannot add keys: it reads back as one name
    assert doc.data["territoires"][0]["nom"] == 'Brest métropole", type: region, code: "53'
    assert doc.data["territoires"][0]["type"] == "metropole"
    # HTML and a fake front matter stay in the body (the build cleans the HTML: kb.publish.sanitize)
    assert "<script>" in doc.body and set(doc.data) >= {"titre", "statut"} and "pirate" not in doc.data.values()
    # every value is plain text in its place: the fiche passes the check (a person reviews the pull request)
    assert outcome.ok and not check(project).problems


def test_yaml_injection_in_a_field_is_one_refused_value(project):
    outcome = run(project, "proposition-yaml.md")
    assert outcome.written and not outcome.ok
    path = project / outcome.written
    doc = read_text(decode(path.read_bytes()))
    assert "evil" not in doc.data and doc.data["statut"] == "en-cours"
    assert doc.data["titre"].startswith('Cantines"\nstatut: acheve')
    problems = check(project).problems
    assert [(p.field, "saut de ligne" in p.message) for p in problems] == [("titre", True)]


def test_a_completion_cannot_target_a_path_outside_the_cooperations(project):
    before = files_of(project)
    result = cli(project, TICKETS / "complement-chemin.md")
    assert result.returncode == 1
    assert files_of(project) == before
    assert "aucune fiche de coopération" in result.stdout


@pytest.mark.parametrize("body", ["", "Bonjour, voici une coopération : Brest et Carhaix.",
                                  "### Titre\n\n" + "x" * 70_000])
def test_a_body_that_is_not_a_form_writes_nothing(project, tmp_path, body):
    ticket = tmp_path / "ticket.md"
    ticket.write_text(body, encoding="utf-8")
    before = files_of(project)
    result = cli(project, ticket)
    assert result.returncode == 1 and files_of(project) == before
    assert result.stdout.startswith("ticket : ")


def test_an_identifier_already_taken_is_refused_with_the_completion_form_named(project, tmp_path):
    text = (TICKETS / "proposition-valide.md").read_text(encoding="utf-8").replace(
        "Coopération alimentaire Carhaix – Brest métropole", "Agence développement Nantes Saint-Nazaire")
    before = files_of(project)
    outcome = run_text(project, tmp_path, text)
    after = files_of(project)
    assert not outcome.written and after.pop("ticket.md") and after == before  # the ticket itself only
    assert "Compléter une fiche" in " ".join(outcome.notes)


def test_unticked_writing_rules_block_the_proposal(project, tmp_path):
    text = (TICKETS / "proposition-valide.md").read_text(encoding="utf-8").replace(
        "- [X] Le ton est neutre", "- [ ] Le ton est neutre")
    outcome = run_text(project, tmp_path, text)
    assert outcome.written and not outcome.ok
    assert any("Le ton est neutre" in note for note in outcome.notes)


def test_the_comment_keeps_every_value_inside_its_code_block(project, tmp_path):
    text = (TICKETS / "proposition-incomplete.md").read_text(encoding="utf-8").replace(
        "Brest métropole ; metropole ; 242900314", "Brest ; ````\n@maintainer <img src=x> ; 242900314")
    outcome = run_text(project, tmp_path, text)
    report = command.markdown(outcome)
    assert "« ```` »" in report
    fence = report.split("\n")[2][:-len("text")]
    assert len(fence) >= 5 and report.rstrip("\n").endswith(fence)
    assert report.count(fence) == 2


def test_the_forms_are_generated_and_read_by_the_same_labels():
    forms = IF.form_files(data_of(ROOT))
    for path, text in forms.items():
        assert (ROOT / path).read_text(encoding="utf-8") == text, f"{path} : python -m kb schemas"
    complete = yaml.safe_load(forms[IF.COMPLETE_PATH])
    ids = [item.get("id") for item in complete["body"]]
    assert ids[1] == IF.FICHE_ID
    for name in ("debut", "fin", "porteur", "financements", "resultats", "documents", "territoires", "sources"):
        assert name in ids


def test_a_completion_reads_the_fiche_address_and_skips_partners_already_there(project, tmp_path):
    text = (TICKETS / "complement-valide.md").read_text(encoding="utf-8")
    text = text.replace("agence-developpement-nantes-saint-nazaire",
                        "https://exemple.fr/cooperations/agence-developpement-nantes-saint-nazaire/#dates")
    text = text.replace("Saint-Nazaire ; commune ; 44184",
                        "Saint-Nazaire Agglo ; communaute-d-agglomeration ; 244400644\n ; ; 44109")
    text = text.replace("### Porteur\n\n_No response_", "### Porteur\n\nAgence Nantes Saint-Nazaire ; https://exemple.fr")
    ticket = tmp_path / "ticket.md"
    ticket.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))  # GitHub sends CRLF
    outcome = command.run(ticket, project / "content", data_of(project), today=TODAY)
    assert outcome.ok, command.lines(outcome)
    doc = read_text(decode((project / outcome.written).read_bytes()))
    codes = [p.get("code") for p in doc.data["territoires"]]
    assert codes.count("244400644") == 1  # already a partner: not added twice
    assert codes[-1] == "44109" and doc.data["territoires"][-1]["type"] == "commune"  # type from the code
    assert doc.data["porteur"] == {"organisation": "Agence Nantes Saint-Nazaire", "site": "https://exemple.fr"}
    assert b"\r\n" not in (project / outcome.written).read_bytes()
