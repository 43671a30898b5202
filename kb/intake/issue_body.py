"""The body of an issue opened with a GitHub issue form, read the way GitHub writes it.

GitHub renders each answered element of the form as ``### Label``, a blank line, then
the value; an element left empty as ``_No response_``; a multiple drop-down as its
options joined by ``, ``; checkboxes as ``- [X] label`` / ``- [ ] label``. Lines end with
CRLF. Only the labels of the form, in the form's order, start a section: a « ### … »
line typed inside an answer (or a label repeated further down) stays part of that
answer, so nobody can add or reorder a field by editing the body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

NO_RESPONSE = "_No response_"
MAX_BODY = 65_536  # GitHub's limit for an issue body, in characters
_CHECKBOX = re.compile(r"^\s*[-*]\s+\[([ xX])\]\s+(.*)$")


@dataclass(frozen=True)
class Answers:
    """The answers of one issue: element id -> text (None when left empty)."""

    values: dict[str, str | None]
    missing: tuple[str, ...]  # ids of the form's elements whose heading is absent

    def get(self, ident: str) -> str | None:
        return self.values.get(ident)


def _labels(form: dict) -> list[tuple[str, str]]:
    """(id, label) of every element of ``form`` that GitHub renders in the body."""
    return [(item["id"], item["attributes"]["label"]) for item in form["body"]
            if item.get("type") != "markdown" and item.get("id")]


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str, form: dict) -> Answers:
    """The answers of ``form`` found in the issue body ``text``."""
    elements = _labels(form)
    lines = normalise(text).split("\n")
    found: dict[str, list[str]] = {}
    current = None
    position = -1  # index in ``elements`` of the current section: later labels only
    for line in lines:
        heading = line.strip()
        if heading.startswith("### "):
            label = heading[4:].strip()
            match = next(((i, ident) for i, (ident, lab) in enumerate(elements)
                          if lab == label and i > position), None)
            if match is not None:
                position, current = match
                found[current] = []
                continue
        if current is not None:
            found[current].append(line)
    values: dict[str, str | None] = {}
    for ident, chunk in found.items():
        value = "\n".join(chunk).strip("\n")
        value = value.strip()
        values[ident] = None if value in ("", NO_RESPONSE) else value
    missing = tuple(ident for ident, _ in elements if ident not in found)
    return Answers(values, missing)


def checked(value: str | None) -> dict[str, bool]:
    """Checkbox label -> whether it is ticked (``- [X] label``)."""
    out = {}
    for line in (value or "").split("\n"):
        match = _CHECKBOX.match(line)
        if match:
            out[match.group(2).strip()] = match.group(1) in "xX"
    return out


def matches(text: str, form: dict) -> int:
    """How many of ``form``'s labels head a section of ``text`` (which form an issue used)."""
    headings = {line.strip()[4:].strip() for line in normalise(text).split("\n")
                if line.strip().startswith("### ")}
    return sum(1 for _, label in _labels(form) if label in headings)
