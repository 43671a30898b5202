"""Editorial rules for the bodies of content files (issue 23): prose for readers.

A body speaks about the cooperation, not about the data model (« la source ne précise
pas… », « nom du fichier », « entrées de la liste »): the phrases refused are data, in
``editorial.yml`` beside this module. Every acronym (a word with two capitals or more:
FEADER, EnR, SCoT) is in the glossary (data/glossaire.yml, explained on the site) or
explained at its first use in the body, in the same sentence: « … (FEADER) » or
« FEADER (fonds européen…) »; this rule applies to cooperations, recommendations and
source documents, not to the site's own pages (legal notice, accessibility statement).

``body_problems`` returns (file, line, field, message) tuples for the phrases about the
model; kb.content.validate makes them problems like every other, so `make check` and the
build refuse such a body. ``acronym_problems`` is the acronym rule, which the tests apply to
the real content (tests/test_editorial.py): refusing a build for « JS » in a technical text
would be too strict for contributors.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from ..content.messages import quote

RULES_FILE = Path(__file__).with_name("editorial.yml")
GLOSSARY_FILE = "glossaire.yml"  # in data/
FIELD = "texte"
# the acronym rule applies to what readers consult as fiches; the site's own pages (legal
# notice, accessibility statement) name technical standards (WCAG, HTML5) on purpose
ACRONYM_KINDS = ("cooperation", "recommandation", "document")

_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
_WORD = re.compile(r"[\w’'-]*\w", re.UNICODE)
_CAPITALS = re.compile(f"[{_UPPER}]")
_TWO_CAPITALS = re.compile(f"[{_UPPER}]{{2}}")
_ROMAN = re.compile(r"^[IVXLCDM]+(e|er|ème)?$")
# what is not prose: code, link targets, addresses, HTML tags and entities
_NOT_PROSE = re.compile(r"`[^`\n]*`|\]\([^)\n]*\)|<[^>\n]*>|https?://\S+|&\w+;|\{[^}\n]*\}")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n|\n\s*[-*+]\s|\n#+\s")


@lru_cache(maxsize=2)
def _phrases(path: Path = RULES_FILE) -> tuple[tuple[re.Pattern, str], ...]:
    """Each refused phrase as a pattern (any case, any spaces or line break between its words)."""
    rules = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple((re.compile(r"\s+".join(map(re.escape, str(r["phrase"]).split())), re.I), str(r["conseil"]))
                 for r in rules.get("model_phrases", ()))


def _glossary(data_dir: Path | None) -> frozenset[str] | None:
    """The glossary's acronyms; None when the project has no glossary (rule not applied)."""
    if data_dir is None:
        return None
    path = Path(data_dir) / GLOSSARY_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    return _glossary_keys(text)


@lru_cache(maxsize=4)
def _glossary_keys(text: str) -> frozenset[str]:
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return frozenset()  # its own problem, reported by the build that reads it
    return frozenset(str(k) for k in raw) if isinstance(raw, dict) else frozenset()


def is_acronym(word: str) -> bool:
    """A word with two capitals or more (« EnR », « SCoT », « PLUi », « FEADER »): two capitals in a
    row, or a last capital; not a Roman numeral (« XXIe »), not a name such as « GitHub »."""
    if len(_CAPITALS.findall(word)) < 2 or _ROMAN.match(word):
        return False
    return bool(_TWO_CAPITALS.search(word) or _CAPITALS.match(word[-1]))


def _explained(acronym: str, sentence: str) -> bool:
    """« … (ACRONYM) » or « ACRONYM (…) » in the sentence."""
    a = re.escape(acronym)
    return bool(re.search(rf"\(\s*{a}\b|\b{a}\s*\(", sentence))


def _prose(body: str) -> str:
    """The body with code, addresses and tags blanked, same length (lines keep their numbers)."""
    return _NOT_PROSE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)


def _sentences(text: str):
    """(offset, sentence) for each sentence, list item or heading of ``text``."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        yield start, text[start:m.start()]
        start = m.end()
    yield start, text[start:]


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


@lru_cache(maxsize=2)
def _plain_phrases(path: Path = RULES_FILE) -> tuple[str, ...]:
    rules = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(" ".join(str(r["phrase"]).split()).casefold() for r in rules.get("model_phrases", ()))


def _has_phrase(body: str) -> bool:
    """A quick test (plain substring search): most bodies have no refused phrase at all."""
    flat = " ".join(body.split()).casefold()
    return any(phrase in flat for phrase in _plain_phrases())


def problems_of_body(body: str, first_line: int, known: frozenset[str] | None):
    """(line, message) for each editorial problem of one body."""
    if known is None and not _has_phrase(body):
        return []
    prose = _prose(body)
    found = []
    for phrase, advice in _phrases():
        for m in phrase.finditer(prose):
            found.append((first_line + _line_at(prose, m.start()),
                          f"{quote(' '.join(m.group(0).split()))} : le texte parle de la fiche ou de ses "
                          f"données, pas de la coopération ; {advice}"))
    if known is not None:
        seen: set[str] = set()
        for at, sentence in _sentences(prose):
            for m in _WORD.finditer(sentence):
                for piece in re.split(r"[-'’]", m.group(0)):
                    if not is_acronym(piece) or piece in known or piece in seen:
                        continue
                    seen.add(piece)
                    if not _explained(piece, sentence):
                        found.append((first_line + _line_at(prose, at + m.start()),
                                      f"sigle {quote(piece)} inexpliqué : ajoutez-le au glossaire "
                                      "(data/glossaire.yml) ou expliquez-le dans la phrase où il apparaît "
                                      f"pour la première fois, par exemple « … ({piece}) »"))
    return sorted(found)


def body_problems(content) -> list[tuple[str, int, str, str]]:
    """(file, line, field, message) for every body of ``content`` (kb.content.validate.Content)
    that talks about the data model: `make check` and every build refuse them."""
    return [(content.shown(record.path), line, FIELD, message)
            for record in content.records()
            for line, message in problems_of_body(record.body or "", record.body_line, None)]


def acronym_problems(content) -> list[tuple[str, int, str, str]]:
    """(file, line, field, message) for the phrases refused and the acronyms unexplained in the
    bodies of the fiches of ``content`` (ACRONYM_KINDS). Not a validation rule: a contributor's
    technical text (« JS », « HTML ») must still build; tests/test_editorial.py holds the real
    content to it."""
    data = getattr(content, "data", None)
    known = _glossary(data.data_dir if data is not None else None) or frozenset()
    return [(content.shown(record.path), line, FIELD, message)
            for record in content.records() if record.kind in ACRONYM_KINDS
            for line, message in problems_of_body(record.body or "", record.body_line, known)]
