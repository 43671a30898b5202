"""Read a content file: bytes -> normalised text -> (front matter data, body).

The front matter is parsed from libyaml's event stream, not with yaml.safe_load,
so that nothing in it can surprise us:

- every scalar stays a string (YAML 1.1 turns ``NO`` into False and
  ``2018-01-05`` into a date; here they stay text and the validator checks them);
  only an empty value or ``~``/``null`` becomes None;
- anchors, aliases and explicit tags are refused (no "billion laughs");
- a key given twice is refused, with both lines;
- the front matter must be a mapping of at most MAX_FRONT_MATTER bytes, nested at most
  MAX_DEPTH levels deep;
- the text is decoded as strict UTF-8, a byte-order mark is dropped (and remembered:
  ``Document.bom``) and CRLF/CR become LF, exactly as MkDocs reads a page; it is
  normalised to Unicode NFC.

Splitting a file into front matter and body is python-frontmatter's job, through
its handler interface: ``SafeYAMLHandler`` (a ``frontmatter.default_handlers.BaseHandler``)
detects and splits with MkDocs' delimiters, loads with the event reader below, and
exports (for kb.content.scaffold) YAML that this reader reads back to the same values.
The BOM is stripped before the text reaches the handler, so a file that starts with
one is read as MkDocs reads it (python-frontmatter on its own would not see its
front matter). ``frontmatter.loads`` is not called: it strips the text, which would
lose the body's first line number.

Every value's line in the file is known, so that errors can name it: found by a
second reading, only when a problem needs it.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler

from .messages import quote

try:  # libyaml when available: same events, much faster
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _EventLoader

MAX_FRONT_MATTER = 16 * 1024
# Lists and fields inside one another: a content file needs four levels, data files three; a
# value nested deeper is refused before Python's own recursion limit (a thousand levels fit in 2 KB).
MAX_DEPTH = 16

# Same delimiters as MkDocs (mkdocs/utils/meta.py), closing line may end the file.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.DOTALL)
_NULL = re.compile(r"\A(?:~|null|Null|NULL|)\Z")
BOM = "\ufeff"

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
    bom: bool = False  # the file started with a byte-order mark (dropped, as MkDocs does)
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
    """Bytes of a content file to normalised text, as MkDocs would read them. A byte-order
    mark stays, as the character U+FEFF: ``read_text`` drops it and remembers it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadError(line, "le fichier n'est pas encodé en UTF-8 (octet invalide "
                        f"0x{raw[exc.start]:02x}) ; enregistrez-le en UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def strip_bom(text: str) -> tuple[str, bool]:
    """``text`` without its byte-order mark, and whether it had one."""
    return (text[1:], True) if text.startswith(BOM) else (text, False)


class SafeYAMLHandler(BaseHandler):
    """python-frontmatter handler: MkDocs' front-matter delimiters, values read by the
    event-based reader (everything a string, no alias, anchor, tag or repeated key)."""

    FM_BOUNDARY = _FRONT_MATTER
    START_DELIMITER = END_DELIMITER = "---"

    def detect(self, text: str) -> bool:
        """Whether ``text`` (without BOM) starts a front matter, closed or not."""
        return text.startswith("---")

    def split(self, text: str) -> tuple[str, str]:
        """(YAML text, body); ReadError when the front matter is never closed."""
        match = _FRONT_MATTER.match(text)
        if not match:
            raise ReadError(1, "l'en-tête commence par « --- » mais n'est jamais fermé "
                            "par une seconde ligne « --- »")
        return match.group(1) or "", text[match.end():]

    def load(self, fm: str, lines: dict | None = None, first_line: int = 2):
        """The front matter's values (see ``parse_yaml``)."""
        if lines is not None:
            return parse_yaml(fm, lines, first_line)
        try:
            return parse_yaml(fm, None, first_line)  # fast: no line recorded
        except ReadError:  # read again, recording lines, for the exact message
            return parse_yaml(fm, {(): 1}, first_line)

    def export(self, metadata: dict, notes: dict | None = None, inline: dict | None = None,
               inside: dict | None = None, **_) -> str:
        """YAML text of ``metadata`` that ``load`` reads back to the same strings, lists and
        mappings. ``notes``: comment lines written before a key ("" : after the last key);
        ``inline``: a comment after a key; ``inside``: comment lines at the top of a key's list."""
        notes, inline, inside = notes or {}, inline or {}, inside or {}
        out: list[str] = []
        for key, value in metadata.items():
            out += [f"# {line}" if line else "#" for line in notes.get(key, [])]
            comment = f"  # {inline[key]}" if key in inline else ""
            if isinstance(value, list) and value and isinstance(value[0], dict):
                out.append(f"{key}:{comment}")
                out += [f"  # {line}" for line in inside.get(key, [])]
                for item in value:
                    for i, (sub, subvalue) in enumerate(item.items()):
                        out.append(f"{'  - ' if i == 0 else '    '}{sub}: {yaml_scalar(subvalue)}")
            else:
                out.append(f"{key}: {yaml_scalar(value)}{comment}")
        out += [f"# {line}" for line in notes.get("", [])]
        return "\n".join(out)


HANDLER = SafeYAMLHandler()
# Written without quotes: dates and identifiers, but never a word YAML 1.1 tools read as
# a boolean or null (other readers of these files, Decap's among them, are not this one).
_PLAIN = re.compile(r"\A(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[a-z0-9]+(?:-[a-z0-9]+)*)\Z")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def yaml_scalar(value) -> str:
    """A string or a flat list of strings as YAML the reader reads back unchanged."""
    if isinstance(value, list):
        return "[" + ", ".join(yaml_scalar(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text not in _YAML11_WORDS:
        return text
    # A JSON string is a valid double-quoted YAML scalar: nothing in it can break out.
    return json.dumps(text, ensure_ascii=False)


def dumps(metadata: dict, body: str, **export) -> str:
    """A whole file (front matter and body) written by python-frontmatter with the handler."""
    post = frontmatter.Post(body, handler=HANDLER, **metadata)
    return frontmatter.dumps(post, **export) + "\n"


def read_text(text: str) -> Document:
    """Split normalised text into front matter and body, and parse the front matter."""
    text, bom = strip_bom(text)
    if not HANDLER.detect(text):
        return Document(data=None, body=text, body_line=1, has_front_matter=False, bom=bom)
    yaml_text, body = HANDLER.split(text)
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER:
        raise ReadError(1, f"l'en-tête dépasse {MAX_FRONT_MATTER // 1024} Ko ; "
                        "raccourcissez-le ou déplacez le texte dans le corps de la fiche")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    data = HANDLER.load(yaml_text)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReadError(2, "l'en-tête doit être une liste de champs « nom: valeur », "
                        "pas une valeur seule ni une liste")
    return Document(data=data, body=body, body_line=body_line, front_matter=yaml_text, bom=bom)


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


def _node(stream: _Events, lines: dict | None, path: Path_ | None, depth: int = 0):
    """One value. ``lines`` None: nothing is recorded (the fast first reading: a file with a
    problem is read again with its lines, see ``read_text``)."""
    event = stream.take()
    kind = type(event)
    line = stream.line
    if depth > MAX_DEPTH:
        raise ReadError(line, f"valeurs trop imbriquées : plus de {MAX_DEPTH} niveaux de listes ou de "
                        "champs les uns dans les autres", () if path is None else path[:1])
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
            items.append(_node(stream, lines, None if lines is None else path + (len(items),), depth + 1))
        stream.take()
        return items
    if kind is yaml.MappingStartEvent:
        mapping: dict = {}
        while type(stream.peek()) is not yaml.MappingEndEvent:
            if lines is None:
                key = _node(stream, None, None, depth + 1)
                if not isinstance(key, str) or key in mapping:
                    raise ReadError(stream.line, "champ en double ou invalide")  # read again, with lines
                mapping[key] = _node(stream, None, None, depth + 1)
                continue
            key_event = stream.peek()
            key = _node(stream, lines, path + ("\0key",), depth + 1)
            key_line = stream.line if type(key_event) is not yaml.ScalarEvent else \
                key_event.start_mark.line + stream.first_line
            lines.pop(path + ("\0key",), None)
            if not isinstance(key, str):
                raise ReadError(key_line, "un nom de champ doit être un simple mot", path)
            if key in mapping:
                raise ReadError(key_line, f"le champ {quote(key)} est donné deux fois "
                                f"(lignes {lines[path + (key,)]} et {key_line})", path + (key,))
            mapping[key] = _node(stream, lines, path + (key,), depth + 1)
            lines[path + (key,)] = key_line
        stream.take()
        return mapping
    raise ReadError(line, "en-tête YAML inattendu", path)  # pragma: no cover
