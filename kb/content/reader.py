"""Read a content file: bytes -> normalised text -> (front matter data, body).

The front matter is parsed from libyaml's event stream, not with yaml.safe_load,
so that nothing in it can surprise us:

- every scalar stays a string (YAML 1.1 turns ``NO`` into False and
  ``2018-01-05`` into a date; here they stay text and the validator checks them);
  only an empty value or ``~``/``null`` becomes None;
- anchors, aliases and explicit tags are refused (no "billion laughs");
- a key given twice is refused, with both lines;
- the front matter must be a mapping of at most MAX_FRONT_MATTER bytes;
- the text is decoded as strict UTF-8, a byte-order mark is dropped and CRLF/CR
  become LF, exactly as MkDocs reads a page; it is normalised to Unicode NFC.

Every value's line in the file is known, so that errors can name it: found by a
second reading, only when a problem needs it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .messages import quote

try:  # libyaml when available: same events, much faster
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _EventLoader

MAX_FRONT_MATTER = 16 * 1024

# Same delimiters as MkDocs (mkdocs/utils/meta.py), closing line may end the file.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.DOTALL)
_NULL = re.compile(r"\A(?:~|null|Null|NULL|)\Z")

Path_ = tuple  # a path inside the data: keys and list indexes


class ReadError(Exception):
    """A content file that cannot be read; carries the line and a French message."""

    def __init__(self, line: int, message: str, field_path: Path_ = ()):
        super().__init__(message)
        self.line = line
        self.message = message
        self.field_path = field_path


@dataclass
class Document:
    """A content file once read: its front matter, body and the line of every value
    (found when first asked for: only a problem needs them)."""

    data: dict | None
    body: str
    body_line: int  # line of the file where the body starts
    front_matter: str = ""  # the YAML text, read again for ``lines``
    has_front_matter: bool = True
    recorded_lines: dict[Path_, int] | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> dict[Path_, int]:
        if self.recorded_lines is None:
            self.recorded_lines = {(): 1}
            if self.has_front_matter:
                parse_yaml(self.front_matter, self.recorded_lines, first_line=2)
        return self.recorded_lines

    def line_of(self, path: Path_) -> int:
        """Line of the value at ``path``, or of its closest parent that has one."""
        lines = self.lines
        path = tuple(path)
        while path:
            if path in lines:
                return lines[path]
            path = path[:-1]
        return lines.get((), 1)


def decode(raw: bytes) -> str:
    """Bytes of a content file to normalised text, as MkDocs would read them."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadError(line, "le fichier n'est pas encodé en UTF-8 (octet invalide "
                        f"0x{raw[exc.start]:02x}) ; enregistrez-le en UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_text(text: str) -> Document:
    """Split normalised text into front matter and body, and parse the front matter."""
    match = _FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            raise ReadError(1, "l'en-tête commence par « --- » mais n'est jamais fermé "
                            "par une seconde ligne « --- »")
        return Document(data=None, body=text, body_line=1, has_front_matter=False)
    yaml_text = match.group(1) or ""
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER:
        raise ReadError(1, f"l'en-tête dépasse {MAX_FRONT_MATTER // 1024} Ko ; "
                        "raccourcissez-le ou déplacez le texte dans le corps de la fiche")
    body = text[match.end():]
    body_line = text[: match.end()].count("\n") + 1
    try:
        data = parse_yaml(yaml_text, None, first_line=2)  # fast: no line recorded
    except ReadError:  # read again, recording lines, for the exact message
        data = parse_yaml(yaml_text, {(): 1}, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReadError(2, "l'en-tête doit être une liste de champs « nom: valeur », "
                        "pas une valeur seule ni une liste")
    return Document(data=data, body=body, body_line=body_line, front_matter=yaml_text)


def read_file(path: Path) -> Document:
    return read_text(decode(Path(path).read_bytes()))


# --- YAML events -> plain data -------------------------------------------------

_YAML_PROBLEMS = {
    "found character '\\t' that cannot start any token":
        "tabulation interdite : indentez avec des espaces",
    "found a tab character": "tabulation interdite : indentez avec des espaces",
    "mapping values are not allowed":
        "deux-points inattendu : mettez la valeur entre guillemets si elle contient « : »",
    "could not find expected ':'": "il manque « : » entre le nom du champ et sa valeur",
    "found unexpected end of stream": "guillemet ou crochet non fermé",
    "did not find expected key": "indentation incohérente ou tiret mal placé",
    "expected <block end>, but found '-'": "indentation incohérente ou tiret mal placé",
    "did not find expected node content": "valeur manquante ou caractère inattendu",
    "found undefined alias": "alias YAML (*nom) interdit",
    "found unknown escape character": "séquence d'échappement inconnue après « \\ » entre guillemets",
    "found character that cannot start any token": "caractère inattendu en début de valeur (« @ », "
                                                   "« ` », « % »…) : mettez la valeur entre guillemets",
    "special characters are not allowed": "caractère spécial interdit dans l'en-tête",
    "found unacceptable character": "caractère interdit dans l'en-tête",
    "expected alphabetic or numeric character": "nom d'ancre ou d'alias invalide",
    "found unexpected ':'": "deux-points inattendu : mettez la valeur entre guillemets",
    "expected ',' or ']'": "crochet « [ » non fermé ou virgule manquante",
    "expected ',' or '}'": "accolade « { » non fermée ou virgule manquante",
    "while scanning a quoted scalar": "guillemet non fermé",
    "found a tab character where an indentation space is expected":
        "tabulation interdite : indentez avec des espaces",
}


def parse_yaml(text: str, lines: dict | None, first_line: int = 1):
    """Parse YAML text into dicts, lists, strings and None; record lines in ``lines``
    (``None``: record nothing; then a refused key has a vague message)."""
    stream = None
    try:
        stream = _Events(text, first_line)  # the pure-Python reader may already refuse the text
        stream.expect(yaml.StreamStartEvent)
        if stream.peek_is(yaml.StreamEndEvent):
            return None
        stream.expect(yaml.DocumentStartEvent)
        value = _node(stream, lines, ())
        stream.expect(yaml.DocumentEndEvent)
        if not stream.peek_is(yaml.StreamEndEvent):
            raise ReadError(stream.line, "l'en-tête contient plusieurs documents YAML")
        return value
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        problem = (exc.problem or str(exc)).strip()
        french = next((fr for en, fr in _YAML_PROBLEMS.items() if problem.startswith(en)), None)
        if french is None:  # PyYAML's own words are English, sometimes over several lines
            column = f" près de la colonne {mark.column + 1}" if mark else ""
            french = f"syntaxe incorrecte{column} (guillemet, crochet, deux-points ou indentation)"
        raise ReadError(line, f"en-tête YAML illisible : {french}") from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked libyaml errors
        raise ReadError(first_line, f"en-tête YAML illisible : {exc}") from None
    finally:
        if stream is not None:
            stream.dispose()


class _Events:
    """The parser's events, one at a time (libyaml's own peek and get, no generator)."""

    def __init__(self, text: str, first_line: int):
        parser = _EventLoader(text)
        self.peek, self._get, self.dispose = parser.peek_event, parser.get_event, parser.dispose
        self.first_line = first_line
        self.line = first_line

    def peek_is(self, kind) -> bool:
        return type(self.peek()) is kind

    def take(self):
        event = self._get()
        if event.start_mark is not None:
            self.line = event.start_mark.line + self.first_line
        return event

    def expect(self, kind):
        event = self.take()
        if type(event) is not kind:  # pragma: no cover - libyaml guarantees order
            raise ReadError(self.line, "en-tête YAML inattendu")
        return event


def _node(stream: _Events, lines: dict | None, path: Path_ | None):
    """One value. ``lines`` None: nothing is recorded (the fast first reading: a file with a
    problem is read again with its lines, see ``read_text``)."""
    event = stream.take()
    kind = type(event)
    line = stream.line
    if lines is not None:
        lines[path] = line
    if kind is yaml.AliasEvent:
        raise ReadError(line, "alias YAML (*nom) interdit : recopiez la valeur", path)
    if event.anchor:
        raise ReadError(line, "ancre YAML (&nom) interdite : recopiez la valeur", path)
    tag = event.tag
    if kind is yaml.ScalarEvent:
        if tag is not None and not any(event.implicit):
            raise ReadError(line, f"étiquette YAML {quote(tag)} interdite", path)
        if not event.style and _NULL.match(event.value):
            return None
        return unicodedata.normalize("NFC", event.value)
    if tag is not None and tag != "!":
        raise ReadError(line, f"étiquette YAML {quote(tag)} interdite", path)
    if kind is yaml.SequenceStartEvent:
        items = []
        while type(stream.peek()) is not yaml.SequenceEndEvent:
            items.append(_node(stream, lines, None if lines is None else path + (len(items),)))
        stream.take()
        return items
    if kind is yaml.MappingStartEvent:
        mapping: dict = {}
        while type(stream.peek()) is not yaml.MappingEndEvent:
            if lines is None:
                key = _node(stream, None, None)
                if not isinstance(key, str) or key in mapping:
                    raise ReadError(stream.line, "champ en double ou invalide")  # read again, with lines
                mapping[key] = _node(stream, None, None)
                continue
            key_event = stream.peek()
            key = _node(stream, lines, path + ("\0key",))
            key_line = stream.line if type(key_event) is not yaml.ScalarEvent else \
                key_event.start_mark.line + stream.first_line
            lines.pop(path + ("\0key",), None)
            if not isinstance(key, str):
                raise ReadError(key_line, "un nom de champ doit être un simple mot", path)
            if key in mapping:
                raise ReadError(key_line, f"le champ {quote(key)} est donné deux fois "
                                f"(lignes {lines[path + (key,)]} et {key_line})", path + (key,))
            mapping[key] = _node(stream, lines, path + (key,))
            lines[path + (key,)] = key_line
        stream.take()
        return mapping
    raise ReadError(line, "en-tête YAML inattendu", path)  # pragma: no cover
