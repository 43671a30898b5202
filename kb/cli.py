"""Command-line entry points shared by make and the contributor tools."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .validate import load_content

ROOT = Path(__file__).resolve().parent.parent


def check(content_dir: Path) -> int:
    content = load_content(content_dir)
    for problem in content.problems:
        print(problem)
    if content.problems:
        n = len(content.problems)
        print(f"\n{n} erreur{'s' if n > 1 else ''} : corrigez {'les' if n > 1 else 'la'} puis "
              "relancez « make check ». Le guide CONTRIBUTING.md décrit chaque champ.", file=sys.stderr)
        return 1
    print(f"Contenu valide : {len(content.cooperations)} coopérations, "
          f"{len(content.recommendations)} recommandations, {len(content.documents)} documents "
          f"sources, {len(content.pages)} pages.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb", description="Outils de la base de connaissances.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="valider tous les fichiers de contenu")
    p_check.add_argument("content", nargs="?", default=str(ROOT / "content"))
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(Path(args.content))
    return 2  # pragma: no cover
