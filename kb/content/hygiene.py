"""Text hygiene of content files: characters and shapes no page may carry.

Front matter (every string value, at any depth):
- control characters (C0, DEL, C1) are refused, except the line feed in the
  fields that may hold several lines (MULTILINE_FIELDS); YAML escapes ("\\0",
  "\\x7f"…) included: they would make a feed invalid XML or break a page header;
- Unicode non-characters (U+FDD0–U+FDEF, U+xxFFFE, U+xxFFFF) and lone surrogates;
- bidirectional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069),
  which reorder what a reader sees ("Trojan source");
- a title or a name with no visible character (only spaces, zero-width or
  format characters) is refused.
Each message names the character (U+XXXX) and its position in the value (the
first one; 1-based). Text stays in NFC (kb.content.reader normalises it).

Body (the Markdown after the front matter), checked before any conversion, so that
a small file can neither crash nor stall the build:
- at most MAX_BODY_CHARS characters and MAX_LINE_CHARS per line;
- control characters refused (tab and line feed allowed), as above;
- nesting depth: list and quote markers at the start of one line
  (MAX_MARKERS_PER_LINE), indentation (MAX_INDENT columns), square brackets and
  parentheses open at once in one paragraph, nested or never closed
  (MAX_BRACKET_DEPTH: Markdown reads inline syntax paragraph by paragraph), HTML
  elements open at once (MAX_TAG_DEPTH). Python-Markdown parses nested lists recursively
  (a 2 KB line of "1. 1. 1. …" raised RecursionError) and unclosed brackets in
  quadratic time (50 KB took minutes): the limits stay far above what a fiche
  needs and far below what hurts.
"""
from __future__ import annotations

import re
import unicodedata

from .messages import quote

MULTILINE_FIELDS = {"resume", "description", "chiffres_cles", "arreter", "commencer", "section"}
# fields shown as a title or a name: they need at least one visible character
TITLE_FIELDS = {"titre", "nom", "editeur", "label"}

MAX_BODY_CHARS = 100_000
MAX_LINE_CHARS = 5_000
MAX_MARKERS_PER_LINE = 6
MAX_INDENT = 32
MAX_BRACKET_DEPTH = 8
MAX_TAG_DEPTH = 32

_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
_VISIBLE_CATEGORIES = ("L", "N", "P", "S")


def _char_problem(c: str, allow_newline: bool, allow_tab: bool = False) -> str | None:
    code = ord(c)
    if c == "\n" and allow_newline or c == "\t" and allow_tab:
        return None
    if code < 0x20 or code == 0x7F or 0x80 <= code <= 0x9F:
        if c == "\n":
            return "saut de ligne interdit dans ce champ"
        return "caractère de contrôle interdit"
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return "non-caractère Unicode interdit"
    if 0xD800 <= code <= 0xDFFF:
        return "demi-caractère (surrogate) interdit"
    if code in _BIDI:
        return "caractère de contrôle de direction (bidi) interdit"
    return None


_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff"
                      "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
                      "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
                      "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
                      "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff"
                      "\ud800-\udfff]")


def char_label(c: str) -> str:
    """U+XXXX and the character's Unicode name when it has one."""
    name = unicodedata.name(c, "")
    return f"U+{ord(c):04X}" + (f" {name}" if name else "")


def first_refused(value: str, allow_newline: bool = False, allow_tab: bool = False):
    """(index, character, why) of the first refused character of ``value``, or None."""
    for match in _SUSPECT.finditer(value):
        why = _char_problem(match.group(0), allow_newline, allow_tab)
        if why:
            return match.start(), match.group(0), why
    return None


def text_problem(value: str, allow_newline: bool = False, allow_tab: bool = False) -> str | None:
    """French message about the first refused character of ``value``, or None."""
    found = first_refused(value, allow_newline, allow_tab)
    if found is None:
        return None
    index, c, why = found
    return f"{why} : {char_label(c)} en position {index + 1} ; supprimez-le"


def has_visible(value: str) -> bool:
    return any(unicodedata.category(c)[0] in _VISIBLE_CATEGORIES for c in value)


def value_problems(data, path=()) -> list[tuple[tuple, str]]:
    """(path, French message) for every string of a front matter that breaks the rules."""
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                problem = text_problem(key)
                if problem:
                    out.append((path + (key,), f"nom de champ : {problem}"))
            out += value_problems(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += value_problems(value, path + (i,))
    elif isinstance(data, str):
        names = [p for p in path if isinstance(p, str)]
        name = names[-1] if names else ""
        problem = text_problem(data, allow_newline=name in MULTILINE_FIELDS)
        if problem:
            out.append((path, problem))
        elif name in TITLE_FIELDS and data and not has_visible(data):
            out.append((path, "aucun caractère visible (seulement des espaces ou des caractères "
                              "invisibles) : écrivez un texte"))
    return out


_LIST_MARKERS = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)]|>)(?=[ \t]|$)")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
# a link or an image to a path that starts with "/" (the editor's « /medias/x.png »): MkDocs
# refuses it under --strict, and it misses the site when it is published in a sub-folder
# (a GitHub Pages project site)
_ROOT_PATH = re.compile(r"(?:\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?|\b(?:src|href)\s*=\s*[\"']?)(/(?![/\\])[^\s)\"'>]*)")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option"}


def body_problems(body: str) -> list[tuple[int, str]]:
    """(line offset in the body, 0-based; French message) for a body that is too large or
    too deeply nested to convert safely. Linear in the size of the body."""
    out = []
    if len(body) > MAX_BODY_CHARS:
        return [(0, f"texte trop long : {len(body):,} caractères, {MAX_BODY_CHARS:,} au plus ; "
                    "découpez la fiche".replace(",", "\u202f"))]
    found = first_refused(body, allow_newline=True, allow_tab=True)
    if found:
        index, c, why = found
        column = index - body.rfind("\n", 0, index)
        out.append((body.count("\n", 0, index), f"{why} : {char_label(c)} en colonne {column} ; supprimez-le"))
    depth = worst = parens = worst_parens = 0
    worst_line = parens_line = None
    tags: list[str] = []
    tag_line = None
    in_fence = False
    for number, line in enumerate(body.split("\n")):
        if len(line) > MAX_LINE_CHARS:
            out.append((number, f"ligne trop longue : {len(line)} caractères, {MAX_LINE_CHARS} au plus ; "
                                "coupez-la en paragraphes"))
            continue
        stripped = line.lstrip(" \t")
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            continue
        if not stripped:  # Markdown reads inline syntax block by block
            depth = parens = 0
            continue
        root_path = _ROOT_PATH.search(line)
        if root_path:
            out.append((number, f"lien ou image vers {quote(root_path.group(1))} : un chemin qui commence par "
                                "« / » ne fonctionne pas quand le site est publié dans un sous-dossier ; "
                                "écrivez un chemin relatif à la fiche, par exemple « ../medias/photo.png »"))
        indent = len(line[:len(line) - len(stripped)].expandtabs(4))
        if indent > MAX_INDENT:
            out.append((number, f"indentation trop profonde : {indent} espaces, {MAX_INDENT} au plus"))
        markers, pos = 0, 0
        while markers <= MAX_MARKERS_PER_LINE:
            match = _LIST_MARKERS.match(line, pos)
            if not match:
                break
            markers, pos = markers + 1, match.end()
        if markers > MAX_MARKERS_PER_LINE:
            out.append((number, f"listes ou citations trop imbriquées : plus de {MAX_MARKERS_PER_LINE} "
                                "marques (« - », « 1. », « > ») en début de ligne"))
        if "[" in line or "(" in line:
            for c in line:
                if c == "[":
                    depth += 1
                    if depth > worst:
                        worst = depth
                        if depth == MAX_BRACKET_DEPTH + 1:
                            worst_line = number
                elif c == "]" and depth:
                    depth -= 1
                elif c == "(":
                    parens += 1
                    if parens > worst_parens:
                        worst_parens = parens
                        if parens == MAX_BRACKET_DEPTH + 1:
                            parens_line = number
                elif c == ")" and parens:
                    parens -= 1
        elif "]" in line or ")" in line:
            depth = max(0, depth - line.count("]"))
            parens = max(0, parens - line.count(")"))
        for closing, name, self_closing in _TAG.findall(line):
            name = name.lower()
            if name in _VOID or self_closing:
                continue
            if closing:
                if name in tags:
                    del tags[len(tags) - 1 - tags[::-1].index(name):]
            else:
                tags.append(name)
                if len(tags) > MAX_TAG_DEPTH and tag_line is None:
                    tag_line = number
    if worst > MAX_BRACKET_DEPTH:
        out.append((worst_line, f"crochets « [ » trop imbriqués ou jamais fermés : {worst} ouverts à la "
                                f"fois dans un même paragraphe, {MAX_BRACKET_DEPTH} au plus"))
    if worst_parens > MAX_BRACKET_DEPTH:
        out.append((parens_line, f"parenthèses « ( » trop imbriquées ou jamais fermées : {worst_parens} "
                                 f"ouvertes à la fois dans un même paragraphe, {MAX_BRACKET_DEPTH} au plus"))
    if tag_line is not None:
        out.append((tag_line, f"balises HTML trop imbriquées ou jamais fermées : plus de {MAX_TAG_DEPTH} "
                              "ouvertes à la fois"))
    return out
