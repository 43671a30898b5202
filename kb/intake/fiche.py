"""A fiche written or amended from the values of an issue (kb.intake.values).

A new fiche is written whole, its front matter in the model's order. An amendment
touches the text of the existing file only where a value is added: a date replaced
on its own lines, the porteur replaced, new items appended at the end of their list
(in the list's own indentation); every other line of the front matter, and the body,
stay byte for byte as they were. Values are written by kb.content.reader.yaml_scalar,
which the reader reads back unchanged whatever they hold (quotes, « : », « --- »,
line feeds): no answer can add a field or a line of YAML of its own.
"""
from __future__ import annotations

import json
import os

import yaml

from ..content import fields as F
from ..content.reader import yaml_scalar

ORDER = [f.name for f in F.MODEL["cooperation"]]
BLOCK_LISTS = {f.name for f in F.MODEL["cooperation"] if f.type == "texts"}  # sentences, one a line


class AmendError(ValueError):
    """The existing fiche cannot be amended; the message is in French."""


QUOTED = {"code", "departement"}  # official codes stay quoted, as in every fiche ("01053", "2A")


def _scalar(key: str, value) -> str:
    if key in QUOTED and isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return yaml_scalar(value)


def _item_lines(item, indent: str) -> list[str]:
    if not isinstance(item, dict):
        return [f"{indent}- {yaml_scalar(item)}"]
    out = []
    for i, (key, value) in enumerate(item.items()):
        lead = f"{indent}- " if i == 0 else f"{indent}  "
        out.append(f"{lead}{key}: {_scalar(key, value)}")
    return out


def key_lines(key: str, value, indent: str = "  ") -> list[str]:
    """The YAML lines of one top-level key: a mapping or a list of mappings or sentences in block
    style, a list of identifiers in flow style (« [a, b] »), a value on its line."""
    if isinstance(value, dict):
        return [f"{key}:"] + [f"{indent}{k}: {_scalar(k, v)}" for k, v in value.items()]
    if isinstance(value, list) and value and (isinstance(value[0], dict) or key in BLOCK_LISTS):
        return [f"{key}:"] + [line for item in value for line in _item_lines(item, indent)]
    return [f"{key}: {_scalar(key, value)}"]


def new_text(metadata: dict, body: str) -> str:
    """The whole text of a new fiche: front matter in the model's order, then the body."""
    keys = sorted(metadata, key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER))
    lines = ["---"] + [line for key in keys for line in key_lines(key, metadata[key])] + ["---", ""]
    body = body.strip("\n")
    return "\n".join(lines) + ("\n" + body + "\n" if body else "")


def _front_matter_bounds(lines: list[str]) -> int:
    """Index of the closing « --- » line (the first line is the opening one)."""
    if not lines or lines[0].rstrip("\r\n").lstrip("\ufeff") != "---":
        raise AmendError("la fiche n'a pas d'en-tête : elle ne peut pas être complétée automatiquement")
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n").rstrip() in ("---", "..."):
            return i
    raise AmendError("l'en-tête de la fiche n'est jamais fermé")


def amend_text(text: str, scalars: dict, appended: dict, existing: dict) -> tuple[str, list[str]]:
    """``text`` with ``scalars`` (key -> value, replaced or added) and ``appended`` (key -> new
    items of a list, added after the items already there; an item already present is
    skipped). ``existing``: the front matter as read (kb.content.reader). Returns the new
    text and the keys actually changed."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    close = _front_matter_bounds(lines)
    front = "".join(lines[1:close])
    try:
        root = yaml.compose(front, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        raise AmendError("l'en-tête de la fiche n'est pas lisible") from None
    spans = {}  # key -> (first line, last line, value node), indexes in ``lines``
    if isinstance(root, yaml.MappingNode):
        pairs = root.value
        for n, (key_node, value_node) in enumerate(pairs):  # marks count from lines[1]
            start = key_node.start_mark.line + 1
            end_mark = value_node.end_mark
            stop = end_mark.line + 1 + (1 if end_mark.column > 0 else 0)  # exclusive
            if n + 1 < len(pairs):
                stop = min(stop, pairs[n + 1][0].start_mark.line + 1)
            stop = max(min(stop, close), start + 1)
            last = start  # the last line holding the value (not a blank line or a comment)
            for i in range(start, stop):
                stripped = lines[i].strip()
                if stripped and not stripped.startswith("#"):
                    last = i
            spans[key_node.value] = (start, last, value_node)
    edits: list[tuple[int, int, list[str]]] = []  # (first, last exclusive, new lines)
    additions: list[str] = []
    changed = []
    for key, value in scalars.items():
        if value is None or existing.get(key) == value:
            continue
        changed.append(key)
        if key in spans:
            start, last, _ = spans[key]
            edits.append((start, last + 1, key_lines(key, value)))
        else:
            additions += key_lines(key, value)
    for key, items in appended.items():
        before = existing.get(key) or []
        fresh = [item for i, item in enumerate(items) if item not in before and item not in items[:i]]
        if not fresh:
            continue
        changed.append(key)
        if key in spans and isinstance(spans[key][2], yaml.SequenceNode) and \
                spans[key][2].flow_style is False and before:
            start, last, node = spans[key]
            indent = " " * node.start_mark.column
            edits.append((last + 1, last + 1, [line for item in fresh for line in _item_lines(item, indent)]))
        elif key in spans:
            start, last, _ = spans[key]
            edits.append((start, last + 1, key_lines(key, list(before) + fresh)))
        else:
            additions += key_lines(key, fresh)
    if additions:
        edits.append((close, close, additions))
    for first, stop, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[first:stop] = [line + newline for line in new]
    return "".join(lines), changed


def write_new(path, text: str) -> None:
    """Create ``path`` (never over an existing file or through a link)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags, 0o644), "w", encoding="utf-8", newline="") as out:
        out.write(text)


def write_over(path, text: str) -> None:
    """Rewrite the regular file ``path`` (never through a link)."""
    flags = os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags), "w", encoding="utf-8", newline="") as out:
        out.write(text)
