"""Command-line entry points (``python -m kb …``), used by make and the contributors.

  check [DOSSIER]          validate every content file (make check)
  build [--site-dir D]     build the site with MkDocs --strict into a scratch folder next to
                           D, then put it in place of D only if the build succeeded; a lock
                           keeps two builds of the same folder from running at once
  export-pages DOSSIER     write the generated site as a plain MkDocs project (no hook)
  schemas [--check]        write (or check) the committed generated files (schemas/, issue form)
  nouvelle TYPE TITRE      the skeleton of a new cooperation or recommendation

Settings are read once, here (kb.infra.settings), from the project folder: the
current directory, or --projet.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .build.session import BuildSession
from .infra.settings import Settings


class BuildLocked(RuntimeError):
    pass


@contextlib.contextmanager
def build_lock(site_dir: Path):
    """An exclusive lock on ``site_dir`` for the length of a build (released if the process dies)."""
    import fcntl

    lock_path = site_dir.parent / f".{site_dir.name}.verrou"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"une autre construction de {site_dir} est en cours (verrou {lock_path.name}) : "
                              "attendez qu'elle se termine, puis relancez.") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check(settings: Settings) -> int:
    content = BuildSession(settings).check()  # a missing or empty folder is a problem too
    for problem in content.problems:
        print(problem)
    if content.problems:
        n = len(content.problems)
        print(f"\n{n} erreur{'s' if n > 1 else ''} : corrigez {'les' if n > 1 else 'la'} puis "
              "relancez « make check ». Le guide CONTRIBUTING.md décrit chaque champ.", file=sys.stderr)
        return 1
    counts = [(len(content.cooperations), "coopération", "coopérations"),
              (len(content.recommendations), "recommandation", "recommandations"),
              (len(content.documents), "document source", "documents sources"),
              (len(content.pages), "page", "pages")]
    print("Contenu valide : " + ", ".join(f"{n} {one if n < 2 else many}" for n, one, many in counts) + ".")
    return 0


def build(settings: Settings, config_file: Path) -> int:
    """Strict MkDocs build (the search index included, by the adapter) into a scratch folder,
    which replaces the site folder only when the build succeeded."""
    site_dir = settings.site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": settings.source_date_epoch}  # same commit, same bytes
    try:
        with build_lock(site_dir):
            scratch = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-construction-", dir=site_dir.parent))
            try:
                result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
                                         "--config-file", str(config_file), "--site-dir", str(scratch)], env=env)
                if result.returncode:
                    print(f"La construction a échoué : {site_dir}/ est resté tel quel.", file=sys.stderr)
                    return result.returncode
                old = None
                if site_dir.exists():
                    old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-ancien-", dir=site_dir.parent))
                    os.replace(site_dir, old / "site")
                os.replace(scratch, site_dir)
                if old:
                    shutil.rmtree(old, ignore_errors=True)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    except BuildLocked as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    print(f"Site construit dans {site_dir}/")
    return 0


def schemas(settings: Settings, check_only: bool = False) -> int:
    """Write (or check) the generated files committed for editors: schemas/*.json, issue form."""
    from .publish import schemas as S

    data = BuildSession(settings).data
    stale = S.outdated(settings.root, data)
    if check_only:
        for rel in stale:
            print(f"{rel} n'est pas à jour : lancez « python -m kb schemas »")
        return 1 if stale else 0
    for rel in S.write(settings.root, data):
        print(f"{rel} {'mis à jour' if rel in stale else 'inchangé'}")
    return 0


def export_pages(settings: Settings, target: Path) -> int:
    from .adapters.export import export_project
    from .build.session import ContentErrors
    from .infra.assets import AssetError

    try:
        export_project(BuildSession(settings), Path(target))
    except (ContentErrors, AssetError) as errors:
        print(errors, file=sys.stderr)
        return 1
    print(f"Projet MkDocs écrit dans {target}/ : mkdocs build --strict -f {target}/mkdocs.yml")
    return 0


def new_file(settings: Settings, kind: str, title: str) -> int:
    from .content.scaffold import ScaffoldError, scaffold

    try:
        path = scaffold(kind, title, settings.content_dir, BuildSession(settings).data)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb", description="Outils de la base de connaissances.")
    parser.add_argument("--projet", default=".", help="dossier du projet (par défaut le dossier courant)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="valider tous les fichiers de contenu")
    p_check.add_argument("content", nargs="?", default=None, help="dossier du contenu (par défaut content/)")
    p_build = sub.add_parser("build", help="construire le site (MkDocs --strict)")
    p_build.add_argument("--site-dir", default=None)
    p_build.add_argument("--config-file", default=None, help="configuration MkDocs (par défaut celle du projet)")
    p_export = sub.add_parser("export-pages", help="écrire le site généré comme un projet MkDocs ordinaire")
    p_export.add_argument("target")
    p_schemas = sub.add_parser("schemas", help="écrire les schémas JSON des en-têtes (schemas/) et le formulaire de ticket")
    p_schemas.add_argument("--check", action="store_true", help="vérifier seulement qu'ils sont à jour")
    p_new = sub.add_parser("nouvelle", help="écrire le squelette d'une nouvelle fiche")
    p_new.add_argument("type", choices=["cooperation", "recommandation"])
    p_new.add_argument("titre")
    p_new.add_argument("--contenu", dest="content", default=None, help="dossier du contenu (par défaut content/)")
    args = parser.parse_args(argv)
    values = {}
    if getattr(args, "content", None):
        values["content_dir"] = Path(args.content).resolve()
    if getattr(args, "site_dir", None):
        values["site_dir"] = Path(args.site_dir).resolve()
    settings = Settings.from_project(Path(args.projet), **values)
    if args.command == "check":
        return check(settings)
    if args.command == "build":
        return build(settings, Path(args.config_file).resolve() if args.config_file else settings.config_file)
    if args.command == "export-pages":
        return export_pages(settings, Path(args.target))
    if args.command == "schemas":
        return schemas(settings, check_only=args.check)
    if args.command == "nouvelle":
        return new_file(settings, args.type, args.titre)
    return 2  # pragma: no cover
