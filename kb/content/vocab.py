"""Vocabularies (data/vocabulaires.yml) and départements (data/departements.yml).

``ProjectData.at(data_dir)`` names the data files of one build by their path and
their stamp (time and size): two builds of unchanged files share one parsed copy,
and an edited file (a live preview) is read again. Nothing here knows where the
project lives: the folder comes from the build's settings (kb.infra.settings).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

VOCABULARIES_FILE = "vocabulaires.yml"
DEPARTEMENTS_FILE = "departements.yml"


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


def load_vocabularies(data_dir: Path) -> dict[str, Vocabulary]:
    return ProjectData.at(data_dir).vocabularies


def load_departements(data_dir: Path) -> dict[str, Departement]:
    return ProjectData.at(data_dir).departements


@lru_cache(maxsize=8)
def _vocabularies(path: str, mtime, size) -> dict[str, Vocabulary]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    vocabularies = {}
    for name, spec in raw.items():
        terms = {str(tid): Term(str(tid), t["label"], t["definition"], t.get("titre_page"))
                 for tid, t in spec["termes"].items()}
        vocabularies[name] = Vocabulary(name, spec["label"], spec["pluriel"], spec["chemin"],
                                        spec["description"], terms)
    return vocabularies


@lru_cache(maxsize=8)
def _departements(path: str, mtime, size) -> dict[str, Departement]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {str(code): Departement(str(code), d["nom"], d["region"]) for code, d in raw.items()}
