"""What one content file may make the site produce (issue 24: bounded output).

A fiche is small (its front matter is at most 16 KB: kb.content.reader), but a short list
can make the site large: each partner with an official code gets a territory page, each
member of a grouping a path in the « Ma commune » index that every reader downloads. These
limits bound what one file may cause, far above what real fiches need (the largest real
fiche has 8 partners, 5 members, 5 sources); README « Limites » and CONTRIBUTING list them.

``file_problems(kind, data)`` gives (path in the front matter, French message) for each
limit passed; the validator names the file and the line (kb.content.validate).
"""
from __future__ import annotations

# field of a front matter -> (most items in one file, what they are, in French)
MAX_ITEMS = {
    "territoires": (40, "partenaires"),
    "sources": (30, "sources"),
    "documents": (20, "documents signés"),
    "financements": (30, "financements"),
    "resultats": (30, "résultats"),
    "facteurs_de_reussite": (30, "facteurs de réussite"),
    "obstacles": (30, "obstacles"),
    "recommandations": (50, "recommandations liées"),
    "cooperations": (50, "coopérations liées"),
    "origines": (30, "origines signalées"),
}
MAX_MEMBERS = 200  # members (« membres ») of one partner: a large natural park has about 150 communes
MAX_MEMBERS_PER_FILE = 400  # members of all the partners of one file
# pages one file may cause: its own page and one territory or actor page per partner
MAX_PAGES_PER_FILE = 1 + MAX_ITEMS["territoires"][0]


def _items(value) -> list:
    return value if isinstance(value, list) else []


def file_problems(kind: str, data) -> list[tuple[tuple, str]]:
    """(path, French message) for every limit that the front matter ``data`` passes."""
    if not isinstance(data, dict):
        return []
    out = []
    for name, (limit, what) in MAX_ITEMS.items():
        count = len(_items(data.get(name)))
        if count > limit:
            extra = (f" : une fiche fait naître au plus {MAX_PAGES_PER_FILE} pages (la sienne et une par "
                     "partenaire) ; décrivez un grand ensemble comme un seul partenaire (un groupement "
                     "et ses membres)") if name == "territoires" else " ; gardez les plus importants"
            out.append(((name,), f"{count} {what}, {limit} au plus par fichier{extra}"))
    total = 0
    for i, partner in enumerate(_items(data.get("territoires"))):
        members = _items(partner.get("membres")) if isinstance(partner, dict) else []
        total += len(members)
        if len(members) > MAX_MEMBERS:
            out.append((("territoires", i, "membres"), f"{len(members)} membres, {MAX_MEMBERS} au plus pour "
                        "un partenaire : citez les intercommunalités plutôt que leurs communes"))
    if total > MAX_MEMBERS_PER_FILE:
        out.append((("territoires",), f"{total} membres en tout, {MAX_MEMBERS_PER_FILE} au plus par fichier"))
    return out
