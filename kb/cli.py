"""Command-line entry points (``python -m kb …``), used by make and the contributors.

  check [DOSSIER]          validate every content file (make check)
  build [--site-dir D]     build the site with MkDocs --strict, in this process, into a
                           scratch folder next to D, then put it in place of D only if the
                           build succeeded; a lock keeps two builds of the same folder from
                           running at once
  export-pages DOSSIER     write the generated site as a plain MkDocs project (no hook)
  schemas [--check]        write (or check) the committed generated files (schemas/, issue form)
  nouvelle TYPE TITRE      the skeleton of a new cooperation or recommendation
  depuis-ticket FICHIER    the body of an issue form turned into a fiche, then checked (kb.intake)

Settings are read once, here (kb.infra.settings), from the project folder: the
current directory, --projet, or the folder of --config-file; every command works with
them (``build`` hands them to the MkDocs adapter). Commands that need only the data
load it without a build session (kb.assemble.session: ``project_data``, ``load``).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from datetime import datetime, time, timezone
from pathlib import Path

from .assemble import session as stages
from .infra.settings import Settings, epoch_to_date, last_commit_epoch
from .content.validate import Problem
from .content.vocab import DataFileError


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
    content = stages.load(settings, stages.project_data(settings))  # a missing or empty folder is a problem too
    for problem in content.problems:
        print(problem)
    if content.problems:
        n = len(content.problems)
        print(f"\n{n} erreur{'s' if n > 1 else ''} : corrigez-{'les' if n > 1 else 'la'} puis "
              "relancez « make check ». Le guide CONTRIBUTING.md décrit chaque champ.", file=sys.stderr)
        return 1
    counts = [(len(content.cooperations), "coopération", "coopérations"),
              (len(content.recommendations), "recommandation", "recommandations"),
              (len(content.documents), "document source", "documents sources"),
              (len(content.pages), "page", "pages")]
    print("Contenu valide : " + ", ".join(f"{n} {one if n < 2 else many}" for n, one, many in counts) + ".")
    return 0


@contextlib.contextmanager
def build_date_for_mkdocs(settings: Settings):
    """MkDocs reads the build date (sitemap.xml) from SOURCE_DATE_EPOCH itself: set to the
    settings' date for the length of the build, then put back (same commit, same bytes)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    known = settings.source_date_epoch.strip() not in ("", "0")  # "0": no commit known, the build's day
    os.environ["SOURCE_DATE_EPOCH"] = settings.source_date_epoch if known else \
        str(int(datetime.combine(settings.build_date, time(0), tzinfo=timezone.utc).timestamp()))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def build(settings: Settings, config_file: Path) -> int:
    """Strict MkDocs build in this process (kb.adapters.mkdocs.build, the search index
    included) into a scratch folder, which replaces the site folder only when the build
    succeeded."""
    from .adapters.mkdocs import build as mkdocs_build

    site_dir = settings.site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        with build_lock(site_dir):
            scratch = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-construction-", dir=site_dir.parent))
            try:
                with build_date_for_mkdocs(settings):
                    built = mkdocs_build(settings, config_file, scratch)
                if not built:
                    print(f"La construction a échoué : {site_dir}/ est resté tel quel.", file=sys.stderr)
                    return 1
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

    data = stages.project_data(settings)
    stale = S.outdated(settings.root, data)
    if check_only:
        for rel in stale:
            print(f"{rel} n'est pas à jour : lancez « python -m kb schemas »")
        return 1 if stale else 0
    for rel in S.write(settings.root, data):
        print(f"{rel} {'mis à jour' if rel in stale else 'inchangé'}")
    return 0


def export_pages(settings: Settings, target: Path) -> int:
    from .adapters.export import ExportError, export_project
    from .infra.assets import AssetError
    from .publish.files import PathClash

    try:
        export_project(settings, Path(target))
    except (stages.ContentErrors, PathClash, AssetError) as errors:
        print(errors, file=sys.stderr)
        return 1
    except ExportError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    print(f"Projet MkDocs écrit dans {target}/ : mkdocs build --strict -f {target}/mkdocs.yml")
    return 0


def new_file(settings: Settings, kind: str, title: str) -> int:
    from .content.scaffold import ScaffoldError, scaffold

    try:
        path = scaffold(kind, title, settings.content_dir, stages.project_data(settings))
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
    p_ticket = sub.add_parser("depuis-ticket", help="écrire ou compléter une fiche à partir d'un ticket")
    p_ticket.add_argument("ticket", help="le texte du ticket (formulaire GitHub), enregistré dans un fichier")
    p_ticket.add_argument("--compte-rendu", default=None, help="écrire aussi les messages en Markdown")
    p_ticket.add_argument("--contenu", dest="content", default=None, help="dossier du contenu (par défaut content/)")
    args = parser.parse_args(argv)
    values = {}
    if getattr(args, "content", None):
        values["content_dir"] = Path(args.content).resolve()
    if getattr(args, "site_dir", None):
        values["site_dir"] = Path(args.site_dir).resolve()
    config_file = Path(args.config_file).resolve() if getattr(args, "config_file", None) else None
    # the project is the folder of the configuration given, if one is; its date is its last
    # commit's, or (a copy of the project outside any clone) that of the folder the command runs in
    settings = Settings.from_project(config_file.parent if config_file else Path(args.projet), **values)
    if config_file and settings.source_date_epoch == "0":
        epoch = last_commit_epoch(Path(args.projet))
        settings = settings.with_(source_date_epoch=epoch, build_date=epoch_to_date(epoch) or settings.build_date)
    if args.command == "check":
        return check(settings)
    if args.command == "build":
        return build(settings, config_file or settings.config_file)
    if args.command == "export-pages":
        return export_pages(settings, Path(args.target))
    try:  # both read the vocabularies: a data file with problems is a message, not a traceback
        if args.command == "schemas":
            return schemas(settings, check_only=args.check)
        if args.command == "nouvelle":
            return new_file(settings, args.type, args.titre)
        if args.command == "depuis-ticket":
            from .intake.command import main as from_ticket
            return from_ticket(Path(args.ticket), settings.content_dir, stages.project_data(settings),
                               Path(args.compte_rendu) if args.compte_rendu else None)
    except DataFileError as error:
        for problem in error.problems:
            print(Problem(*problem), file=sys.stderr)
        return 1
    return 2  # pragma: no cover
