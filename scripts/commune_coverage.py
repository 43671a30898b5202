"""« Ma commune » coverage (issue 20): how many communes of France reach at least one
cooperation directly or through their EPCI or a grouping, and how many get only a
département, région or nearest-cooperations answer. The build prints the same lines
(kb.render.ma_commune.report); this script writes them into BENCHMARKS.md.

    .venv/bin/python scripts/commune_coverage.py            # prints
    .venv/bin/python scripts/commune_coverage.py --write    # and updates BENCHMARKS.md
    .venv/bin/python scripts/commune_coverage.py --cases 5000 --write   # with a lookup at 5,000 cases

A lookup's bytes: the manifest, the largest shard of names and the largest answers of a
département (the three files it reads at most), as written and gzip-compressed as a server
sends them (kb.publish.budget).
"""
from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.content.validate import load_content  # noqa: E402
from kb.content.vocab import ProjectData  # noqa: E402
from kb.graph.build import build_graph  # noqa: E402
from kb.render import ma_commune  # noqa: E402

SECTION = "## Ma commune : communes atteintes"


def section(graph, synthetic: tuple[int, str] | None = None) -> str:
    n = ma_commune.coverage(graph)
    pct = lambda k: f"{100 * n[k] / n['communes']:.1f} %".replace(".", ",")  # noqa: E731
    fmt = lambda k: f"{n[k]:,}".replace(",", "\u202f")  # noqa: E731
    unknown = [line for line in ma_commune.report(graph)[:-1]]  # the groupings of unknown composition
    return "\n".join([
        SECTION, "",
        f"Mesuré par `.venv/bin/python scripts/commune_coverage.py{f' --cases {synthetic[0]}' if synthetic else ''} "
        f"--write` sur `content/` "
        f"({len(graph.cooperations)} fiches) ; la construction affiche les mêmes chiffres.", "",
        "| Réponse de « Ma commune » | Communes | Part |", "|---|---|---|",
        f"| Au moins une coopération directement, par l'intercommunalité ou par un groupement | {fmt('directement')} | {pct('directement')} |",
        f"| Seulement des coopérations de leur département | {fmt('departement')} | {pct('departement')} |",
        f"| Seulement des coopérations de leur région | {fmt('region')} | {pct('region')} |",
        f"| Seulement les coopérations les plus proches (en km) | {fmt('plus_proches')} | {pct('plus_proches')} |",
        f"| Total (communes en vigueur) | {fmt('communes')} | 100 % |", "",
        lookup(graph), "",
        *([f"À {synthetic[0]:,} fiches synthétiques (`generate_content` de scripts/bench.py) : ".replace(",", "\u202f")
           + synthetic[1][0].lower() + synthetic[1][1:], ""] if synthetic else []),
        *(f"{line}" for line in unknown), "",
    ])


def lookup(graph) -> str:
    """What a lookup downloads at most: the manifest, the largest shard and the largest answers
    of a département, compressed (as sent) and as written."""
    from kb.publish.budget import GZIP_LEVEL

    files = ma_commune.files(graph)

    def sizes(data: bytes) -> tuple[int, int]:
        return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)), len(data)

    shards = [sizes(v) for k, v in files.items() if "/n-" in k]
    answers = [sizes(v) for k, v in files.items() if k.startswith(f"{ma_commune.FOLDER}/liens/")]
    index = sizes(files[f"{ma_commune.FOLDER}/index.json"])
    shard, links = max(shards), max(answers)
    kb = lambda n: f"{n / 1000:.1f} ko".replace(".", ",")  # noqa: E731
    both = lambda s: f"{kb(s[0])} ({kb(s[1])} non compressés)"  # noqa: E731
    return (f"Une recherche transfère au plus {kb(index[0] + shard[0] + links[0])} compressés "
            f"({kb(index[1] + shard[1] + links[1])} non compressés ; budget : 100 ko transférés) : la liste "
            f"des morceaux {both(index)}, le plus gros des {len(shards)} morceaux de l'index des noms "
            f"{both(shard)} et la plus grosse des {len(answers)} réponses d'un département {both(links)} "
            "(un second choix de commune ne retélécharge que le morceau de son nom et, s'il change de "
            "département, les réponses du sien).")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="met à jour BENCHMARKS.md")
    parser.add_argument("--cases", type=int, help="mesure aussi une recherche sur N fiches synthétiques")
    args = parser.parse_args()
    synthetic = None
    if args.cases:
        sys.path.insert(0, str(ROOT / "scripts"))
        import bench

        with tempfile.TemporaryDirectory() as work:
            bench.generate_content(Path(work) / "content", args.cases)
            data = ProjectData.at(ROOT / "data", Path(work) / "data" / "references.yml")
            synthetic = (args.cases, lookup(build_graph(load_content(Path(work) / "content", data))))
    content = load_content(ROOT / "content", ProjectData.at(ROOT / "data"))
    text = section(build_graph(content), synthetic)
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
