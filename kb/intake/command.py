"""``python -m kb depuis-ticket FICHIER``: the body of an issue (saved as a file) turned into a
fiche, checked as ``make check`` checks it, with French messages.

Which form the issue used is read from its headings (« Proposer une coopération »: a new
fiche; « Compléter une fiche »: an existing one amended). The answers never choose a path:
a new fiche's identifier is its title made into a slug, refused if already taken; an
amendment targets an existing regular file of content/cooperations/, named by a slug.
Exit status 0 only when the fiche was written and the whole content passes the check.
``--compte-rendu`` also writes the messages as Markdown, for the issue's comment.
"""
from __future__ import annotations

import difflib
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..content import fields as F
from ..content.inventory import NotRegular, read_regular
from ..content.messages import safe_line
from ..content.reader import ReadError, decode, read_text
from ..content.scaffold import identifier
from ..content.validate import load_content
from ..content.vocab import ProjectData
from ..publish import issue_form as IF
from . import fiche, issue_body, values as V

FOLDER = "cooperations"


@dataclass
class Outcome:
    written: str | None = None  # path of the fiche, relative to the project (content/…)
    action: str = ""  # « écrite » or « complétée »
    changed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the issue body could not give
    problems: list[str] = field(default_factory=list)  # make check's lines
    valid: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.written) and self.valid and not self.notes


class IntakeError(ValueError):
    """Nothing can be written; the message is for the contributor, in French."""


def _slug_of(text: str) -> str:
    """The identifier named by an answer: a slug, the end of a fiche's address, or a file name."""
    text = (text or "").strip().split("?")[0].split("#")[0]
    last = [part for part in re.split(r"[/\\]+", text) if part.strip()]
    last = last[-1] if last else ""
    if last.endswith(".md"):
        last = last[:-3]
    return identifier(last)


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _form_items(form: dict) -> dict[str, dict]:
    return {item["id"]: item for item in form["body"] if item.get("id")}


def _check_engagements(answers, form, notes: V.Notes) -> None:
    item = _form_items(form).get("engagements")
    if not item:
        return
    ticked = issue_body.checked(answers.get("engagements"))
    unticked = [o["label"] for o in item["attributes"]["options"] if not ticked.get(o["label"])]
    if unticked:
        notes.add(item["attributes"]["label"], "à cocher avant que la fiche soit proposée : "
                  + " ; ".join(f"« {u} »" for u in unticked))


def _common_facts(answers, form, data, known, notes) -> tuple[dict, dict]:
    """(scalars, lists) asked by both forms: dates, porteur, financements, résultats, documents,
    partners, sources."""
    items = _form_items(form)
    label = lambda ident: items[ident]["attributes"]["label"]  # noqa: E731
    scalars, lists = {}, {}
    for name in ("debut", "fin"):
        if name in items:
            scalars[name] = V.one_line(answers.get(name))
    if "porteur" in items:
        scalars["porteur"] = V.facts("porteur", answers.get("porteur"), label("porteur"), notes)
    for name in ("financements", "resultats", "documents"):
        if name in items:
            lists[name] = V.facts(name, answers.get(name), label(name), notes)
    if "reciprocites" in items:
        lists["reciprocites"] = V.reciprocities(answers.get("reciprocites"), label("reciprocites"), data, notes)
    for name in ("facteurs_de_reussite", "obstacles"):
        if name in items:
            lists[name] = V.lines(answers.get(name))
    lists["territoires"] = V.partners(answers.get("territoires"), label("territoires"), data, notes)
    lists["sources"] = V.sources(answers.get("sources"), label("sources"), *known, notes)
    return scalars, lists


def _known_sources(content_dir: Path, data: ProjectData) -> tuple[set[str], set[str]]:
    folder = content_dir / "sources"
    documents = {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set()
    references = set()
    try:
        from ..content.reader import parse_yaml
        raw = parse_yaml(decode(read_regular(data.references_file)), None) or {}
        references = set(raw) if isinstance(raw, dict) else set()
    except (OSError, ReadError, NotRegular):
        pass
    return documents, references


def propose(answers, form, content_dir: Path, data: ProjectData, today: date, notes: V.Notes) -> tuple[Path, list]:
    """A new fiche from « Proposer une coopération »; returns its path and the fields written."""
    items = _form_items(form)
    title = V.one_line(answers.get("titre"))
    if not title:
        raise IntakeError("le titre manque : sans lui, la fiche n'a pas d'identifiant")
    ident = identifier(" ".join(title.split()))
    if not ident or ident == "index" or not re.fullmatch(F.SLUG, ident):
        raise IntakeError("le titre ne donne aucun identifiant de fiche : utilisez des lettres ou des chiffres")
    folder = content_dir / FOLDER
    path = folder / f"{ident}.md"
    if os.path.lexists(path):
        raise IntakeError(f"une fiche porte déjà l'identifiant « {ident} » ({FOLDER}/{ident}.md) : pour "
                          "lui ajouter des informations, utilisez le formulaire « Compléter une fiche » "
                          "(lien « Proposer une modification » de la fiche) ; pour une autre coopération, "
                          "précisez le titre")
    metadata: dict = {"titre": title}
    resume = answers.get("resume")
    if resume:
        metadata["resume"] = " ".join(resume.split())
    scalars, lists = _common_facts(answers, form, data, _known_sources(content_dir, data), notes)
    if lists["territoires"]:
        metadata["territoires"] = lists["territoires"]
    for name in ("themes", "finalites", "portages", "fonctions", "leviers"):
        picked = V.choices(answers.get(name), items[name])
        if picked:
            metadata[name] = picked
    for name in ("temporalite", "intensite", "statut"):
        picked = V.choices(answers.get(name), items[name])
        if picked:
            metadata[name] = picked[0]
    recos = [r for r in re.split(r"[\s,;]+", answers.get("recommandations") or "") if r]
    if recos:
        metadata["recommandations"] = list(dict.fromkeys(recos))
    annee = V.one_line(answers.get("annee"))
    if annee:
        metadata["annee"] = annee
    metadata.update({k: v for k, v in scalars.items() if v})
    metadata["date_ajout"] = today.isoformat()
    metadata.update({k: v for k, v in lists.items() if v and k != "territoires"})
    body = issue_body.normalise(answers.get("texte") or "")
    folder.mkdir(parents=True, exist_ok=True)
    fiche.write_new(path, fiche.new_text(metadata, body))
    return path, list(metadata)


def _new_partners(partners: list[dict], existing: list) -> list[dict]:
    """The partners not already on the fiche (the same official code, or the same name)."""
    codes = {str(p.get("code")) for p in existing if isinstance(p, dict) and p.get("code")}
    names = {V.simplify(p.get("nom")) for p in existing if isinstance(p, dict) and p.get("nom")}
    out = []
    for partner in partners:
        if partner.get("code") in codes or (partner.get("nom") and V.simplify(partner["nom"]) in names):
            continue  # already a partner: not added twice (a duplicate partner is refused by the check)
        out.append(partner)
    return out


def complete(answers, form, content_dir: Path, data: ProjectData, notes: V.Notes) -> tuple[Path, list]:
    """An existing fiche amended from « Compléter une fiche »."""
    raw = V.one_line(answers.get(IF.FICHE_ID)) or ""
    ident = _slug_of(raw)
    folder = content_dir / FOLDER
    existing = sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []
    if not ident or ident not in existing or not re.fullmatch(F.SLUG, ident):
        close = difflib.get_close_matches(ident or raw, existing, n=1, cutoff=0.6)
        hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
        raise IntakeError(f"aucune fiche de coopération n'a l'identifiant « {ident or raw} »{hint} "
                          "(la fin de l'adresse de la fiche, par exemple brest-metropole-centre-ouest-bretagne)")
    path = folder / f"{ident}.md"
    if not _regular(path):
        raise IntakeError(f"{FOLDER}/{ident}.md n'est pas un fichier ordinaire : il ne peut pas être complété")
    try:
        text = decode(read_regular(path))
        doc = read_text(text)
    except (OSError, NotRegular, ReadError):
        raise IntakeError(f"{FOLDER}/{ident}.md n'est pas lisible : corrigez-le d'abord (make check)") from None
    scalars, lists = _common_facts(answers, form, data, _known_sources(content_dir, data), notes)
    lists["territoires"] = _new_partners(lists["territoires"], (doc.data or {}).get("territoires") or [])
    lists = {k: v for k, v in lists.items() if v}
    if not any(v for v in scalars.values()) and not lists:
        raise IntakeError("le ticket n'apporte aucune information à ajouter à la fiche")
    try:
        new, changed = fiche.amend_text(text, scalars, lists, doc.data or {})
    except fiche.AmendError as error:
        raise IntakeError(f"{FOLDER}/{ident}.md : {error}") from None
    if not changed:
        raise IntakeError("la fiche contient déjà toutes ces informations : rien à ajouter")
    fiche.write_over(path, new)
    return path, changed


def run(ticket: Path, content_dir: Path, data: ProjectData, today: date | None = None) -> Outcome:
    outcome = Outcome()
    notes = V.Notes()
    try:
        raw = Path(ticket).read_bytes()
    except OSError as error:
        outcome.notes.append(f"ticket : fichier illisible ({error.strerror or error})")
        return outcome
    text = raw.decode("utf-8", errors="replace")
    if len(text) > issue_body.MAX_BODY:
        outcome.notes.append(f"ticket : plus de {issue_body.MAX_BODY} caractères, il n'est pas lu")
        return outcome
    forms = {"propose": IF.issue_form(data), "complete": IF.complete_form(data)}
    scores = {name: issue_body.matches(text, form) for name, form in forms.items()}
    kind = max(scores, key=lambda name: scores[name])
    if scores[kind] == 0:
        outcome.notes.append("ticket : ce ticket n'a pas été rempli avec le formulaire « Proposer une "
                             "coopération » ni « Compléter une fiche » : rien n'est écrit")
        return outcome
    form = forms[kind]
    answers = issue_body.parse(text, form)
    _check_engagements(answers, form, notes)
    try:
        if kind == "propose":
            path, changed = propose(answers, form, content_dir, data, today or date.today(), notes)
            outcome.action = "écrite"
        else:
            path, changed = complete(answers, form, content_dir, data, notes)
            outcome.action = "complétée"
    except IntakeError as error:
        outcome.notes = list(notes) + [f"ticket : {error}"]
        return outcome
    outcome.written = f"{content_dir.name}/{FOLDER}/{path.name}"
    outcome.changed = sorted(changed, key=lambda k: fiche.ORDER.index(k) if k in fiche.ORDER else 99)
    outcome.notes = list(notes)
    content = load_content(content_dir, data)
    mine = f"{content_dir.name}/{FOLDER}/{path.name}"
    ordered = sorted(content.problems, key=lambda p: (p.path != mine, p))
    outcome.problems = [str(p) for p in ordered]
    outcome.valid = not content.problems
    return outcome


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def lines(outcome: Outcome) -> list[str]:
    """The French messages, one safe line each (kb.content.messages)."""
    out = []
    if outcome.written:
        out.append(f"Fiche {outcome.action} : {outcome.written} (champs : {', '.join(outcome.changed)})")
    out += outcome.notes
    out += outcome.problems
    n = len(outcome.notes) + len(outcome.problems)
    if outcome.ok:
        out.append("Fiche valide : elle passe la vérification (make check). L'équipe va la relire.")
    elif n:
        out.append(f"{_plural(n, 'point', 'points')} à corriger : modifiez le ticket (les réponses du "
                   f"formulaire), la fiche sera réécrite et vérifiée à nouveau.")
    return [safe_line(line) for line in out]


def markdown(outcome: Outcome) -> str:
    """The messages as a comment for the issue: in a code block, whatever they hold."""
    body = "\n".join(lines(outcome))
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    head = ("La fiche proposée passe la vérification." if outcome.ok else
            "La fiche a été écrite, mais la vérification demande des corrections." if outcome.written else
            "Aucune fiche n'a pu être écrite à partir de ce ticket.")
    return f"{head}\n\n{fence}text\n{body}\n{fence}\n"


def main(ticket: Path, content_dir: Path, data: ProjectData, report: Path | None = None) -> int:
    outcome = run(ticket, content_dir, data)
    for line in lines(outcome):
        print(line)
    if report is not None:
        Path(report).write_text(markdown(outcome), encoding="utf-8")
    return 0 if outcome.ok else 1
