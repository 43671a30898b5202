"""Identifiers that become paths of the site: safe slugs, none empty, none shared.

Data files are content too. A vocabulary's folder (``chemin``), a term id and a
territory key each become a folder or a file of the built site
(``<chemin>/<term>/``, ``territoires/<key>/``): each must match SLUG (lower-case
ASCII letters, digits, single hyphens), so that none can climb out of the site
(``../``) or land on a generated page; two must never give the same path.

- ``vocabulary_problems``: data/vocabulaires.yml (folders, term ids, names);
- ``territory_problems``: territory keys (slugs of the partners' names): an empty
  key (a name made of emoji or punctuation only), a key that is a page of the
  listing (« Index »), or two names that differ by more than case, accents and
  separators but give the same key are errors;
- ``duplicate_paths``: for whatever lists every generated page (the build): the
  source paths given more than once (two pages at one place).

Each returns (shown file, field, French message) tuples.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ..content.messages import quote
from .. import sitemap

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# a vocabulary name is also an anchor of the vocabularies page: underscores allowed
NAME = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
# folders of content kinds: a vocabulary folder may not take them
CONTENT_FOLDERS = ("cooperations", "recommandations", "sources", "methode", sitemap.MEDIA_FOLDER)
VOCABULARIES_FILE = "data/vocabulaires.yml"


def _slug_hint(value) -> str:
    return f"{quote(value)} n'est pas un identifiant : minuscules sans accent, chiffres et tirets"


def vocabulary_problems(vocabularies) -> list[tuple[str, str, str]]:
    """Problems of the vocabularies (kb.content.vocab.Vocabulary by name)."""
    out = []
    folders: dict[str, str] = {}
    for name, vocab in vocabularies.items():
        if not NAME.match(str(name)):
            out.append((VOCABULARIES_FILE, str(name), _slug_hint(name)))
        path = str(vocab.path)
        if not SLUG.match(path):
            out.append((VOCABULARIES_FILE, f"{name}.chemin", _slug_hint(path)))
        elif path in CONTENT_FOLDERS or sitemap.generated_path_at(path + "/index.md"):
            out.append((VOCABULARIES_FILE, f"{name}.chemin", f"le dossier {quote(path)} est déjà pris par "
                                                              "une autre partie du site"))
        elif path in folders:
            out.append((VOCABULARIES_FILE, f"{name}.chemin", f"le dossier {quote(path)} est aussi celui du "
                                                              f"vocabulaire {quote(folders[path])}"))
        folders.setdefault(path, name)
        for term_id in vocab.terms:
            if not SLUG.match(str(term_id)):
                out.append((VOCABULARIES_FILE, f"{name}.termes.{term_id}", _slug_hint(term_id)))
            elif term_id == "index":
                out.append((VOCABULARIES_FILE, f"{name}.termes.{term_id}", "« index » est réservé à la page "
                                                                            "du vocabulaire"))
    return out


def _spelling(name: str) -> str:
    """A name without case, accents, or differences of separators (spaces, hyphens,
    apostrophes, dots): two spellings of one place give the same result."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-\u2010-\u2014'\u2019.]+", " ", text).strip()


def territory_problems(partners) -> list[tuple[str, str, str]]:
    """Problems of territory keys. ``partners``: (shown file, field, Partner) in file order."""
    out = []
    first: dict[str, tuple[str, str]] = {}  # key -> (spelling, name)
    for shown, field, partner in partners:
        key, name = partner.key, partner.nom
        if not key or not SLUG.match(key):
            out.append((shown, field, f"{quote(name)} ne donne aucune adresse de page : le nom doit "
                                      "contenir au moins une lettre ou un chiffre"))
            continue
        if key == "index":
            out.append((shown, field, f"{quote(name)} donnerait l'adresse de la liste des territoires "
                                      "(territoires/index) : précisez le nom"))
            continue
        # a coded territory is known by its official code, whatever usual name a file gives it
        # (a grouping by its entry in data/groupements.yml)
        grouping = getattr(partner, "grouping_id", None)
        spelling = f"code:{partner.code}" if partner.code else f"groupement:{grouping}" if grouping else _spelling(name)
        known = first.setdefault(key, (spelling, name))
        if known[0] != spelling:
            out.append((shown, field, f"{quote(name)} et {quote(known[1])} donnent la même adresse de page "
                                      f"(territoires/{key}/) : écrivez le même nom de la même façon, "
                                      "ou distinguez-les"))
    return out


def duplicate_paths(paths) -> list[str]:
    """The source paths that occur more than once in ``paths`` (compared case-insensitively,
    as a case-insensitive disk would), in order. For the build, on every generated page's
    path: any result is an error (two pages at one place)."""
    counts = Counter(p.casefold() for p in paths)
    seen, out = set(), []
    for p in paths:
        if counts[p.casefold()] > 1 and p.casefold() not in seen:
            seen.add(p.casefold())
            out.append(p)
    return out
