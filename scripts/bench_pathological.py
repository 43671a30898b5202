"""Pathological bodies: how long Python-Markdown takes on each shape, and whether the
validation (kb.content.hygiene) refuses it first.

    .venv/bin/python scripts/bench_pathological.py [taille en octets, par défaut 50000]

Each body is converted with the project's Markdown extensions (mkdocs.yml), in a
process of its own stopped after LIMIT seconds. Measured 2026-12-01 (2 shared
cores): 10 KB of unclosed brackets took 68 s, 50 KB more than 15 minutes (killed);
a 2 KB line of "1. 1. 1. …" raised RecursionError; 96 KB of "[a](" on lines of
4 KB took 394 s. Every such body is refused by `make check` in under a second.
Bodies the limits let through (96 KB, lines of 4 KB, any of the shapes below)
convert in at most about 5 seconds.
"""
from __future__ import annotations

import multiprocessing
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIMIT = 120


def shapes(size: int) -> dict[str, str]:
    def lines(unit: str) -> str:
        line = unit * max(1, 4000 // len(unit))
        return "\n".join([line] * max(1, size // (len(line) + 1)))

    return {
        "crochets ouverts, une ligne": "[" * size,
        "crochets ouverts, lignes de 4 Ko": lines("["),
        "liens jamais fermés « [a]( »": lines("[a]("),
        "balises <a> jamais fermées": lines("<a>"),
        "liste « 1. » sur une ligne (2 Ko)": "1. " * 700,
        "citations « > » sur une ligne": "> " * (size // 2),
        "crochets fermés « [] »": lines("[]"),
        "balises fermées <a></a>": lines("<a></a>"),
        "emphases « *a »": lines("*a "),
    }


def _convert(text: str, queue) -> None:
    import markdown
    from mkdocs.config import load_config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    start = time.perf_counter()
    try:
        md.convert(text)
        queue.put(f"{time.perf_counter() - start:.2f} s")
    except RecursionError:
        queue.put("RecursionError")


def main() -> None:
    from kb.content import hygiene

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    print(f"| Forme | Taille | Refusée par make check | Conversion (limite {LIMIT} s) |")
    print("|---|---:|---|---:|")
    for name, text in shapes(size).items():
        refused = hygiene.body_problems(text)
        queue = multiprocessing.Queue()
        process = multiprocessing.Process(target=_convert, args=(text, queue))
        process.start()
        process.join(LIMIT)
        if process.is_alive():
            process.kill()
            result = f"> {LIMIT} s"
        else:
            result = queue.get() if not queue.empty() else "échec"
        print(f"| {name} | {len(text)} | {'oui' if refused else 'non'} | {result} |", flush=True)


if __name__ == "__main__":
    main()
