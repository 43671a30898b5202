"""The size budget of what a reader downloads (issue 24: bounded output).

A file of the built site that an ordinary page or a lookup makes a reader's browser
download must stay under its budget; a build that writes a larger one stops with a French
message naming the file and the budget. The limits per content file (kb.content.limits)
keep any one contribution from swelling these files; the budget is the net behind them.

Budgets (README « Limites ») :
- « Ma commune » (``ma-commune/``): 32 Kio per file once compressed as a server sends it
  (``COMMUNE_LOOKUP``: gzip, level 6), and 1 Mio as written; a lookup reads three of them (the
  manifest, one shard of names, the answers of the commune's département), so it transfers at
  most 96 Kio (issue 20: ≤ 100 KB; measured at 5,000 cases in BENCHMARKS.md). The answers of a
  département grow with the cooperations of its région, not with one fiche: the message says so;
- search index (``pagefind/``): 1 Mio per file (Pagefind splits its index into chunks);
- the rows of the catalogue (``explorer/*.json``, loaded by its script): 4 Mio (2.1 MB at
  5,000 cases, measured);
- pages (``.html``): 2 Mio each, except the two catalogues (``explorer/``), which list
  every fiche of the base on purpose, readable without JavaScript (measured in
  BENCHMARKS.md);
- the site's own scripts and style sheets (``assets/``, ``.js``, ``.css``): 1 Mio each.
Outside the budget: the /admin/ editor (Decap CMS, loaded by contributors only), open data
(``donnees/``, a download the reader asks for), source maps, feeds and ``sitemap.xml``, and
images of ``content/medias`` (5 Mo each, kb.content.inventory).

``report(site_dir)`` also lists the largest files the build wrote; the session's last stage
(kb.assemble.session, every entry point) checks the budget and the MkDocs adapter logs the list.
"""
from __future__ import annotations

import gzip
import os
from pathlib import Path

MIB = 1024 * 1024
COMMUNE_LOOKUP = 32 * 1024  # compressed bytes of one « Ma commune » file (three per lookup)
GZIP_LEVEL = 6  # zlib's default, which servers commonly use for JSON
OUTSIDE = ("admin/", "donnees/", "medias/")
OUTSIDE_SUFFIXES = (".map", ".xml")
EXEMPT_PAGES = ("explorer/",)
COMMUNE = "ma-commune/"
# what grows a file, by folder (default: one contribution)
CAUSES = {COMMUNE: ("un lecteur qui cherche sa commune le télécharge ; il grandit avec le nombre de "
                    "coopérations d'un département et de sa région, pas avec une fiche : le découpage "
                    "de kb/render/ma_commune.py doit être affiné")}
CAUSE = "une fiche décrit-elle trop de territoires ou de membres ?"
SHOWN = 5  # largest files printed by the build


def budget_of(rel: str) -> tuple[int, str] | None:
    """(bytes, what it is in French) for a file of the built site, or None if outside the budget."""
    if rel.startswith(OUTSIDE) or rel.endswith(OUTSIDE_SUFFIXES):
        return None
    if rel.startswith(COMMUNE):
        return MIB, "fichier de « Ma commune »"
    if rel.startswith("pagefind/"):
        return MIB, "fichier de l'index de recherche"
    if rel.startswith("explorer/") and rel.endswith(".json"):
        return 4 * MIB, "données du catalogue"
    if rel.endswith(".html"):
        return (None if rel.startswith(EXEMPT_PAGES) else (2 * MIB, "page"))
    if rel.startswith("assets/") or rel.endswith((".js", ".css")):
        return MIB, "script ou feuille de style"
    return None


def size_label(n: int) -> str:
    if n >= MIB:
        return f"{n / MIB:.1f} Mio".replace(".", ",")
    return f"{max(1, round(n / 1024))} Kio"


def report(site_dir: Path) -> tuple[list[str], list[str]]:
    """(lines listing the largest files written, French problems of the files over budget)."""
    site_dir = Path(site_dir)
    sizes = []
    pending = [""]  # folders below the site, relative (os.scandir: a rebuild of the preview reads thousands)
    while pending:
        folder = pending.pop()
        with os.scandir(site_dir / folder if folder else site_dir) as entries:
            for entry in entries:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir():  # a link to a folder is not followed (as os.walk does)
                    if not entry.is_symlink():
                        pending.append(rel)
                else:
                    sizes.append((entry.stat().st_size, rel))
    sizes.sort(key=lambda item: (-item[0], item[1]))
    problems = []
    for size, rel in sizes:
        budget = budget_of(rel)
        cause = next((why for folder, why in CAUSES.items() if rel.startswith(folder)), CAUSE)
        if budget and size > budget[0]:
            problems.append(f"{rel} : {budget[1]} de {size_label(size)}, au-delà du budget de "
                            f"{size_label(budget[0])} par fichier qu'un lecteur télécharge ; {cause}")
        elif budget and rel.startswith(COMMUNE) and size + 64 > COMMUNE_LOOKUP:  # gzip adds at most 64 bytes here
            sent = len(gzip.compress((site_dir / rel).read_bytes(), compresslevel=GZIP_LEVEL, mtime=0))
            if sent > COMMUNE_LOOKUP:
                problems.append(f"{rel} : {budget[1]} de {size_label(sent)} une fois compressé, au-delà du "
                                f"budget de {size_label(COMMUNE_LOOKUP)} compressés par fichier (une recherche "
                                f"de commune en lit trois, 100 Ko au plus) ; {cause}")
    lines = ["Fichiers les plus lourds écrits :"] + [f"  {size_label(size):>9}  {rel}" for size, rel in sizes[:SHOWN]]
    reader = [(size, rel) for size, rel in sizes if budget_of(rel)][:SHOWN]
    lines += ["Les plus lourds de ce qu'un lecteur télécharge :"] + \
        [f"  {size_label(size):>9}  {rel}" for size, rel in reader]
    return lines, problems
