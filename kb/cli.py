"""Command-line entry points shared by make and the contributor tools."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .search.codec import stable_search_index
from .search.index import build_index as search_index
from .build.offload import available
from .content.validate import load_content

ROOT = Path(__file__).resolve().parent.parent


def check(content_dir: Path) -> int:
    content = load_content(content_dir, parallel=available())
    for problem in content.problems:
        print(problem)
    if content.problems:
        n = len(content.problems)
        print(f"\n{n} erreur{'s' if n > 1 else ''} : corrigez {'les' if n > 1 else 'la'} puis "
              "relancez « make check ». Le guide CONTRIBUTING.md décrit chaque champ.", file=sys.stderr)
        return 1
    print(f"Contenu valide : {len(content.cooperations)} coopérations, "
          f"{len(content.recommendations)} recommandations, {len(content.documents)} document(s) "
          f"source(s), {len(content.pages)} page(s).")
    return 0


def source_date_epoch() -> str:
    """SOURCE_DATE_EPOCH for reproducible builds: as given, else the last commit's date."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    result = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                            capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "0"


def build(site_dir: Path, config: Path = ROOT / "mkdocs.yml") -> int:
    """Strict MkDocs build, then the post-build steps that work on the built site."""
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch()  # same commit, same bytes
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
                             "--config-file", str(config), "--site-dir", str(site_dir)])
    if result.returncode:
        return result.returncode
    for step in POST_BUILD:
        code = step(Path(site_dir))
        if code:
            return code
    print(f"Site construit dans {site_dir}/")
    return 0


def schemas(check_only: bool = False) -> int:
    """Write (or check) the generated files committed for editors: schemas/*.json, issue form."""
    from .publish import schemas as S

    stale = S.outdated()
    if check_only:
        for rel in stale:
            print(f"{rel} n'est pas à jour : lancez « python -m kb schemas »")
        return 1 if stale else 0
    for rel in S.write():
        print(f"{rel} {'mis à jour' if rel in stale else 'inchangé'}")
    return 0


# Steps run on the built site by `build` (search index…), each returning an exit code.
POST_BUILD: list = [search_index, stable_search_index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb", description="Outils de la base de connaissances.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="valider tous les fichiers de contenu")
    p_check.add_argument("content", nargs="?", default=str(ROOT / "content"))
    p_build = sub.add_parser("build", help="construire le site (MkDocs --strict)")
    p_build.add_argument("--site-dir", default=str(ROOT / "site"))
    p_build.add_argument("--config-file", default=str(ROOT / "mkdocs.yml"),
                         help="configuration MkDocs (par défaut celle du projet)")
    p_schemas = sub.add_parser("schemas", help="écrire les schémas JSON des en-têtes (schemas/) et le formulaire de ticket")
    p_schemas.add_argument("--check", action="store_true", help="vérifier seulement qu'ils sont à jour")
    args = parser.parse_args(argv)
    if args.command == "schemas":
        return schemas(check_only=args.check)
    if args.command == "check":
        return check(Path(args.content))
    if args.command == "build":
        return build(Path(args.site_dir), Path(args.config_file))
    return 2  # pragma: no cover
