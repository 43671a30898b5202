"""Vocabularies (data/vocabulaires.yml) and départements (data/departements.yml)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


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


@lru_cache(maxsize=4)
def load_vocabularies(path: Path = DATA_DIR / "vocabulaires.yml") -> dict[str, Vocabulary]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    vocabularies = {}
    for name, spec in raw.items():
        terms = {str(tid): Term(str(tid), t["label"], t["definition"], t.get("titre_page"))
                 for tid, t in spec["termes"].items()}
        vocabularies[name] = Vocabulary(name, spec["label"], spec["pluriel"], spec["chemin"],
                                        spec["description"], terms)
    return vocabularies


@lru_cache(maxsize=4)
def load_departements(path: Path = DATA_DIR / "departements.yml") -> dict[str, Departement]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {str(code): Departement(str(code), d["nom"], d["region"]) for code, d in raw.items()}
