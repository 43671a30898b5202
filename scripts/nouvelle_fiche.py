#!/usr/bin/env python3
"""Write the skeleton of a new cooperation or recommendation (see CONTRIBUTING.md).

    make nouvelle-cooperation TITRE="Contrat de réciprocité Ville A – Pays B"
    python scripts/nouvelle_fiche.py recommandation "Financer le temps long" [--contenu content]

A thin wrapper over kb.content.scaffold.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb.content.scaffold import ScaffoldError, scaffold  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Créer le squelette d'une nouvelle fiche.")
    parser.add_argument("type", choices=["cooperation", "recommandation"])
    parser.add_argument("titre")
    parser.add_argument("--contenu", default=str(ROOT / "content"), help="dossier du contenu (content/)")
    args = parser.parse_args(argv)
    try:
        path = scaffold(args.type, args.titre, Path(args.contenu))
    except ScaffoldError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = path
    print(f"Fiche créée : {shown}\n"
          "Remplissez les valeurs vides (\"\" et []) de l'en-tête et rédigez le texte, "
          "puis lancez « make check ».")
    return 0


if __name__ == "__main__":
    sys.exit(main())
