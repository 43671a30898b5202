"""Messages printed for contributors: values quoted, escaped and cut, one line each.

A value echoed by ``make check`` comes from a content file: it may hold a line
feed followed by ``::warning::`` (a GitHub Actions command in the CI log), ANSI
escape sequences (which rewrite a terminal), bidi controls, or thousands of
characters. ``quote`` shows a value between « » with every such character
written as an escape (``\\n``, ``\\x1b``, ``\\u202e``) and cut to QUOTE_LIMIT
characters; ``safe_line`` does the same to a whole message line as a last guard
(no raw control character, no ``::`` at its start, at most LINE_LIMIT characters).
"""
from __future__ import annotations

import re
import unicodedata

QUOTE_LIMIT = 80
LINE_LIMIT = 1000
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
                     "\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    c = match.group(0)
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with control, format, bidi and non-characters written as escapes."""
    text = str(text)
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def quote(value, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message shows it: « value », escaped, cut to ``limit`` characters."""
    return f"« {escape(cut(str(value), limit))} »"


def safe_line(text: str, limit: int = LINE_LIMIT) -> str:
    """One printable line: escaped, not starting with a workflow command, cut."""
    line = escape(text)
    if line.lstrip().startswith("::"):
        line = "\\" + line.lstrip()
    return cut(line, limit)


def is_safe_line(text: str) -> bool:
    """Whether ``text`` could be printed as it is (for tests)."""
    return "\n" not in text and not _UNSAFE.search(text) and not text.startswith("::") and \
        all(unicodedata.category(c) != "Cc" for c in text)


def plural(n: int, one: str, many: str, none: str | None = None) -> str:
    """« 1 valeur », « 2 valeurs », or ``none`` (« aucune valeur ») for 0 when given."""
    if n == 0 and none is not None:
        return none
    return f"{n} {one if abs(n) < 2 else many}"


def make_command(target: str, variable: str, value: str) -> str:
    """A ``make`` command to copy into a shell, its value quoted: « make chercher NOM='Carhaix' »."""
    import shlex

    return f"make {target} {variable}={shlex.quote(escape(cut(str(value), QUOTE_LIMIT)))}"
