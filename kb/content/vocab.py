"""Vocabularies (data/vocabulaires.yml), départements (data/departements.yml) and the
glossary's entries (data/glossaire.yml).

Data files are contributions too: each is read like a front matter (kb.content.reader:
strings only, no tag, alias or repeated key, nesting limited, a size limit, never through a
link) and its shape is checked here, key by key; any problem is a ``DataFileError`` that
names the file, the line and the key, in French, never a traceback. Labels, names and
definitions are shown as plain text on the site and in the exported project
(kb.adapters.export, built by a stock MkDocs without our hooks): no Markdown link, attribute
list, HTML tag or table cell separator is accepted in them.

``ProjectData.at(data_dir)`` names the data files of one build by their path and
their stamp (time and size): two builds of unchanged files share one parsed copy,
and an edited file (a live preview) is read again. Nothing here knows where the
project lives: the folder comes from the build's settings (kb.infra.settings).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import re

from . import hygiene
from .inventory import read_regular
from .messages import quote
from .reader import ReadError, decode, parse_yaml, strip_bom

VOCABULARIES_FILE = "vocabulaires.yml"
DEPARTEMENTS_FILE = "departements.yml"
GLOSSARY_FILE = "glossaire.yml"
MAX_DATA_BYTES = 1024 * 1024
MAX_LABEL = 150
MAX_PROSE = 1000
# characters that Markdown, attribute lists or HTML read as markup: a label is text
_MARKUP = re.compile(r"[<>\[\]{}`|]")
_DEPARTEMENT_CODE = re.compile(r"\A(?:\d{2}|2[AB]|97\d)\Z")
_SLUG = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_SIGLE = re.compile(r"\A\w[\w.'’ -]{0,29}\Z")


class DataFileError(ValueError):
    """A data file that cannot be used; ``problems``: (shown file, line, key, French message)."""

    def __init__(self, problems: list[tuple[str, int, str, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{p[0]}:{p[1]}: {p[2]}: {p[3]}" for p in problems))


class _Checker:
    """The problems of one data file, each at the line of its key."""

    def __init__(self, shown: str, lines: dict):
        self.shown, self.lines, self.problems = shown, lines, []

    def add(self, path: tuple, message: str) -> None:
        line = next((self.lines[path[:n]] for n in range(len(path), -1, -1) if path[:n] in self.lines), 1)
        self.problems.append((self.shown, line, ".".join(map(str, path)) or "fichier", message))

    def mapping(self, value, path: tuple, what: str) -> bool:
        if isinstance(value, dict):
            return True
        self.add(path, f"{what} est attendu (des lignes « clé: valeur »)")
        return False

    def fields(self, value: dict, path: tuple, required: tuple, optional: tuple = ()) -> None:
        for name in required:
            if name not in value:
                self.add(path, f"champ obligatoire manquant : {quote(name)}")
        for name in value:
            if name not in required + optional:
                self.add(path + (name,), f"champ inconnu {quote(name)} ; champs permis : "
                         + ", ".join(required + optional))

    def text(self, value, path: tuple, limit: int = MAX_LABEL, optional: bool = False) -> None:
        """A plain text shown as it is (a label, a name, a definition)."""
        if value is None and optional:
            return
        if not isinstance(value, str) or not value.strip():
            self.add(path, "un texte non vide est attendu")
            return
        if len(value) > limit:
            self.add(path, f"trop long : {len(value)} caractères, {limit} au plus")
        markup = _MARKUP.search(value)
        if markup:
            self.add(path, f"caractère {quote(markup.group())} refusé : ce texte est affiché tel quel, sans "
                     "lien Markdown, liste d'attributs {…}, balise HTML ni tableau")

    def done(self):
        if self.problems:
            raise DataFileError(self.problems)


def read_data_file(path: Path):
    """(the values of a data file, its lines, a checker) — DataFileError if it cannot be read."""
    path = Path(path)
    shown = f"{path.parent.name}/{path.name}"
    lines: dict = {(): 1}
    try:
        raw = read_regular(path, MAX_DATA_BYTES)
        if len(raw) > MAX_DATA_BYTES:
            raise ReadError(1, f"fichier trop long : plus de {MAX_DATA_BYTES // 1024} Ko")
        data = parse_yaml(strip_bom(decode(raw))[0], lines)
    except ReadError as error:
        where = ".".join(str(p) for p in error.field_path) or "fichier"
        raise DataFileError([(shown, error.line, where, error.message)]) from None
    except OSError as error:
        raise DataFileError([(shown, 1, "fichier", "fichier illisible ou qui n'est pas un fichier ordinaire "
                              f"({error.strerror or error})")]) from None
    checker = _Checker(shown, lines)
    for where, message in hygiene.value_problems(data):
        checker.add(where, message)
    return data, checker


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    definition: str
    page_title: str | None = None  # title of the term's page, when not "<vocabulary> : <label>"


@dataclass(frozen=True)
class Vocabulary:
    name: str  # key in the data file, e.g. "themes"
    label: str  # singular label, e.g. "Thème"
    plural: str
    path: str  # URL folder of the term pages
    description: str
    terms: dict[str, Term]

    def label_of(self, term_id: str) -> str:
        term = self.terms.get(term_id)
        return term.label if term else term_id


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region: str


def _stamp(path: Path) -> tuple:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), None, None)
    return (str(path), stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True)
class ProjectData:
    """The data files of one build; equal (and hashed) by path and stamp, so that what is
    derived from them (schemas, compiled checks) can be cached by it."""
    data_dir: Path
    stamp: tuple = ()
    references_file: Path | None = None  # data/references.yml beside the content (kb.infra.settings)

    @classmethod
    def at(cls, data_dir: Path, references_file: Path | None = None) -> "ProjectData":
        data_dir = Path(data_dir)
        return cls(data_dir, tuple(_stamp(data_dir / name) for name in (VOCABULARIES_FILE, DEPARTEMENTS_FILE)),
                   Path(references_file) if references_file else data_dir / "references.yml")

    @cached_property
    def vocabularies(self) -> dict[str, Vocabulary]:
        return _vocabularies(*self.stamp[0])

    @cached_property
    def departements(self) -> dict[str, Departement]:
        return _departements(*self.stamp[1])

    def problems(self) -> list[tuple[str, int, str, str]]:
        """Every problem of the data files (shown file, line, key, French message); none when
        the vocabularies, the départements and the glossary can be used."""
        out = []
        for read in (lambda: self.vocabularies, lambda: self.departements,
                     lambda: read_glossary(self.data_dir / GLOSSARY_FILE)):
            try:
                read()
            except DataFileError as error:
                out += error.problems
        return out


def load_vocabularies(data_dir: Path) -> dict[str, Vocabulary]:
    return ProjectData.at(data_dir).vocabularies


def load_departements(data_dir: Path) -> dict[str, Departement]:
    return ProjectData.at(data_dir).departements


@lru_cache(maxsize=8)
def _vocabularies(path: str, mtime, size) -> dict[str, Vocabulary]:
    raw, check = read_data_file(Path(path))
    if check.mapping(raw, (), "une liste de vocabulaires"):
        for name, spec in raw.items():
            if not check.mapping(spec, (name,), "un vocabulaire"):
                continue
            check.fields(spec, (name,), ("label", "pluriel", "chemin", "description", "termes"))
            for key in ("label", "pluriel"):
                check.text(spec.get(key), (name, key))
            check.text(spec.get("description"), (name, "description"), MAX_PROSE)
            if not isinstance(spec.get("chemin"), str):
                check.add((name, "chemin"), "un identifiant est attendu")  # its form: kb.content.paths
            if "termes" in spec and check.mapping(spec["termes"], (name, "termes"), "une liste de termes"):
                for tid, term in spec["termes"].items():
                    where = (name, "termes", tid)
                    if check.mapping(term, where, "un terme"):
                        check.fields(term, where, ("label", "definition"), ("titre_page",))
                        check.text(term.get("label"), where + ("label",))
                        check.text(term.get("definition"), where + ("definition",), MAX_PROSE)
                        check.text(term.get("titre_page"), where + ("titre_page",), optional=True)
    check.done()
    vocabularies = {}
    for name, spec in raw.items():
        terms = {str(tid): Term(str(tid), t["label"], t["definition"], t.get("titre_page"))
                 for tid, t in spec["termes"].items()}
        vocabularies[name] = Vocabulary(name, spec["label"], spec["pluriel"], spec["chemin"],
                                        spec["description"], terms)
    return vocabularies


@lru_cache(maxsize=8)
def _departements(path: str, mtime, size) -> dict[str, Departement]:
    raw, check = read_data_file(Path(path))
    if check.mapping(raw, (), "une liste de départements"):
        for code, dep in raw.items():
            if not _DEPARTEMENT_CODE.match(code):
                check.add((code,), f"{quote(code)} n'est pas un code de département (« 29 », « 2A », « 974 »…)")
            if check.mapping(dep, (code,), "un département"):
                check.fields(dep, (code,), ("nom", "region"))
                check.text(dep.get("nom"), (code, "nom"))
                if "region" in dep and not (isinstance(dep["region"], str) and _SLUG.match(dep["region"])):
                    check.add((code, "region"), "l'identifiant d'une région est attendu (minuscules, "
                              "chiffres et tirets)")
    check.done()
    return {code: Departement(code, d["nom"], d["region"]) for code, d in raw.items()}


def read_glossary(path: Path) -> list[tuple[str, str, str]]:
    """(acronym, expanded form, definition) of each entry of data/glossaire.yml, checked; no
    file: no entry."""
    if not os.path.lexists(path):
        return []
    raw, check = read_data_file(path)
    if raw is not None and check.mapping(raw, (), "une liste de sigles"):
        for sigle, entry in raw.items():
            if not _SIGLE.match(sigle):
                check.add((sigle,), f"{quote(sigle)} : un sigle s'écrit en lettres, chiffres, points, tirets "
                          "ou espaces (30 caractères au plus)")
            if check.mapping(entry, (sigle,), "un sigle expliqué"):
                check.fields(entry, (sigle,), ("forme",), ("definition",))
                check.text(entry.get("forme"), (sigle, "forme"))
                check.text(entry.get("definition"), (sigle, "definition"), MAX_PROSE, optional=True)
    check.done()
    return [(sigle, entry["forme"], entry.get("definition") or "") for sigle, entry in (raw or {}).items()]
