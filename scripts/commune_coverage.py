"""« Ma commune » coverage (issue 20): how many communes of France reach at least one
cooperation directly or through their EPCI or a grouping, and how many get only a
département, région or nearest-cooperations answer. The build prints the same lines
(kb.render.ma_commune.report); this script writes them into BENCHMARKS.md.

    .venv/bin/python scripts/commune_coverage.py            # prints
    .venv/bin/python scripts/commune_coverage.py --write    # and updates BENCHMARKS.md
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.content.validate import load_content  # noqa: E402
from kb.content.vocab import ProjectData  # noqa: E402
from kb.graph.build import build_graph  # noqa: E402
from kb.render import ma_commune  # noqa: E402

SECTION = "## Ma commune : communes atteintes"


def section(graph) -> str:
    n = ma_commune.coverage(graph)
    pct = lambda k: f"{100 * n[k] / n['communes']:.1f} %".replace(".", ",")  # noqa: E731
    fmt = lambda k: f"{n[k]:,}".replace(",", "\u202f")  # noqa: E731
    unknown = [line for line in ma_commune.report(graph)[:-1]]  # the groupings of unknown composition
    return "\n".join([
        SECTION, "",
        f"Mesuré par `.venv/bin/python scripts/commune_coverage.py --write` sur `content/` "
        f"({len(graph.cooperations)} fiches) ; la construction affiche les mêmes chiffres.", "",
        "| Réponse de « Ma commune » | Communes | Part |", "|---|---|---|",
        f"| Au moins une coopération directement, par l'intercommunalité ou par un groupement | {fmt('directement')} | {pct('directement')} |",
        f"| Seulement des coopérations de leur département | {fmt('departement')} | {pct('departement')} |",
        f"| Seulement des coopérations de leur région | {fmt('region')} | {pct('region')} |",
        f"| Seulement les coopérations les plus proches (en km) | {fmt('plus_proches')} | {pct('plus_proches')} |",
        f"| Total (communes en vigueur) | {fmt('communes')} | 100 % |", "",
        lookup(graph), "",
        *(f"{line}" for line in unknown), "",
    ])


def lookup(graph) -> str:
    """What a lookup downloads at most: the manifest, the largest shard and the links table."""
    files = ma_commune.files(graph)
    shards = {k: len(v) for k, v in files.items() if "/n-" in k}
    index = len(files[f"{ma_commune.FOLDER}/index.json"])
    links = len(files[f"{ma_commune.FOLDER}/liens.json"])
    biggest = max(shards.values())
    kb = lambda n: f"{n / 1000:.1f} ko".replace(".", ",")  # noqa: E731
    return (f"Une recherche télécharge au plus {kb(index + biggest + links)} (budget : 100 ko) : la liste des "
            f"morceaux {kb(index)}, le plus gros des {len(shards)} morceaux de l'index des noms {kb(biggest)} "
            f"et la table des coopérations {kb(links)} (fichiers non compressés ; un second choix de commune "
            "ne retélécharge que le morceau de son nom).")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="met à jour BENCHMARKS.md")
    args = parser.parse_args()
    content = load_content(ROOT / "content", ProjectData.at(ROOT / "data"))
    text = section(build_graph(content))
    print(text)
    if args.write:
        path = ROOT / "BENCHMARKS.md"
        kept = path.read_text(encoding="utf-8")
        if SECTION in kept:
            start = kept.index(SECTION)
            end = kept.find("\n## ", start + 1)
            kept = kept[:start] + text + (kept[end + 1:] if end != -1 else "")
        else:
            kept = kept.rstrip("\n") + "\n\n" + text
        path.write_text(kept, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
