"""French alphabetical order for every list the site calls alphabetical.

The rule (written in CONTRIBUTING.md, « Ordre alphabétique »): the Unicode
Collation Algorithm with its default table (DUCET, through ``pyuca``), which is
also the CLDR order for French in France: case and accents only break ties
(« Eau » < « Énergie » < « Forêt », « lac » < « Lac »), and spaces, apostrophes
and punctuation are ignored (the UCA's « blanked » option for variable
characters): « L'Albigeois » is filed as « LAlbigeois », under L, between
« Lac » and « La Rochelle »; « « Cartes sur table » » under C.
"""
from __future__ import annotations

import functools
import re
import unicodedata

import pyuca

_VARIABLE = re.compile(r"\[\*([0-9A-Fa-f]{4})\.")


@functools.lru_cache(maxsize=1)
def _collator() -> tuple[pyuca.Collator, int]:
    collator = pyuca.Collator()
    # the highest primary weight of a variable element (space, punctuation, symbol), read
    # from the same table: pyuca reads the weights but drops the "variable" mark
    import os

    path = os.path.join(os.path.dirname(pyuca.__file__), f"allkeys-{collator.UCA_VERSION}.txt")
    with open(path, encoding="utf-8") as table:
        highest = max(int(m.group(1), 16) for line in table for m in _VARIABLE.finditer(line))
    return collator, highest


@functools.lru_cache(maxsize=None)
def sort_key(text: str) -> tuple:
    """Collation key of ``text``: variable characters blanked, then the three UCA levels."""
    collator, highest = _collator()
    elements = collator.collation_elements(unicodedata.normalize("NFD", text or ""))
    kept = []
    after_variable = False
    for element in elements:
        primary = element[0]
        if 0 < primary <= highest:
            after_variable = True
            continue
        if primary == 0 and after_variable:  # an accent on a blanked character
            continue
        after_variable = False
        kept.append(element)
    return collator.sort_key_from_collation_elements(kept)


def sorted_by(items, text=lambda x: x, tie=None):
    """``items`` in French order of ``text(item)``, then by ``tie(item)`` (default: the text)."""
    return sorted(items, key=lambda x: (sort_key(text(x)), tie(x) if tie else text(x)))
