"""The generated site written out as a plain MkDocs project (``python -m kb export-pages DIR``).

Our exit from MkDocs-specific machinery: DIR/mkdocs.yml has no hook, no plugin and
no extension of ours, so a stock ``mkdocs build --strict -f DIR/mkdocs.yml`` (or any
generator that reads mkdocs.yml, such as Zensical) builds the site:

  DIR/docs/        every generated page (Markdown), every published file (open data,
                   feeds, schemas, /admin/), the media of content/medias
  DIR/overrides/   the theme overrides, stylesheets and scripts, copied
  DIR/mkdocs.yml   the project's configuration without ``hooks`` and without our
                   Markdown extension (the pages are the same without it, only slower)

Without our hooks nothing cleans the HTML a generator makes of a content file's
body, so the bodies are converted and go through the build's ``clean`` stage here, at
export time (glossary pass, then the body's sanitiser: kb.assemble.session), and enter the
pages as HTML (their headings then stay out of the page's table of contents). The
search index (Pagefind) is not part of a stock build: run ``python -m pagefind --site
DIR/site`` after it.

DIR is replaced, never merged into: the export refuses (``ExportError``, a French message) a
DIR inside the project (``export-pages .`` would delete its overrides/), a DIR that holds the
project, a symbolic link, and a folder that is not empty unless an earlier export created it
(its mark file, ``MARK``).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import markupsafe
import yaml

from .. import sitemap
from ..assemble import session as stages
from ..infra.settings import Settings
from ..publish.sanitize import BODY_CLOSE, BODY_OPEN

OUR_EXTENSIONS = ("kb.",)
MARK = ".export-kb"  # written in the folder the export creates: only such a folder is written again


class ExportError(ValueError):
    """The export cannot write where it was asked to; the message is French."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def prepare_target(settings, target: Path) -> Path:
    """The export's folder, created (with its mark) or checked; ExportError when it is refused."""
    target = Path(target).absolute()
    shown = f"« {target} »"
    if target.is_symlink():
        raise ExportError(f"le dossier {shown} est un lien symbolique : donnez un vrai dossier")
    real = target.resolve()
    for folder in (settings.root, settings.content_dir, settings.data_dir, settings.overrides_dir):
        folder = Path(folder).resolve()
        if _inside(real, folder):
            raise ExportError(f"le dossier {shown} est dans le projet ({folder}) : l'export le remplacerait. "
                              "Choisissez un dossier hors du projet, par exemple ../export")
        if _inside(folder, real):
            raise ExportError(f"le dossier {shown} contient le projet : choisissez un dossier vide ou "
                              "nouveau, hors du projet")
    if real.exists() and not real.is_dir():
        raise ExportError(f"{shown} existe et n'est pas un dossier")
    if real.is_dir() and any(real.iterdir()):
        mark = real / MARK
        if not (mark.is_file() and not mark.is_symlink()):
            raise ExportError(f"le dossier {shown} n'est pas vide et n'a pas été créé par l'export : rien n'y "
                              "est écrit. Choisissez un dossier vide ou nouveau")
    real.mkdir(parents=True, exist_ok=True)
    (real / MARK).write_text("Dossier écrit par « python -m kb export-pages » : il est remplacé à chaque "
                             "export.\n", encoding="utf-8")
    return real


class _EnvTag(yaml.SafeLoader):
    """mkdocs.yml with its !ENV tags kept as they are (the exported project reads them itself)."""


class EnvValue(str):
    pass


def _env_constructor(loader, node):
    value = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else loader.construct_scalar(node)
    return ("!ENV", value)


_EnvTag.add_constructor("!ENV", _env_constructor)
# !!python/name:module.function (a Markdown extension's option): kept as ("!!python/name", name)
_EnvTag.add_multi_constructor("tag:yaml.org,2002:python/name:",
                              lambda loader, suffix, node: ("!!python/name", suffix))


class _EnvDumper(yaml.SafeDumper):
    pass


def _env_representer(dumper, value):
    if value[0] == "!!python/name":
        return dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{value[1]}", "")
    return dumper.represent_sequence("!ENV", value[1]) if isinstance(value[1], list) else \
        dumper.represent_scalar("!ENV", value[1])


def plain_config(config_text: str) -> dict:
    """The project's mkdocs.yml without what needs the project's code."""
    config = yaml.load(config_text, Loader=_EnvTag)  # noqa: S506 - a SafeLoader subclass
    config.pop("hooks", None)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config.setdefault("extra", {})["flux"] = dict(sitemap.FEEDS)  # overrides/main.html links the feeds
    extensions = []
    for item in config.get("markdown_extensions", []):
        name = next(iter(item)) if isinstance(item, dict) else item
        if name == "kb.adapters.attrs":
            # only the templates' Markdown is converted there (bodies are HTML already): the stock
            # attribute lists are safe for it
            extensions.append("attr_list")
            continue
        if name == "kb.adapters.abbr":
            # each body is converted alone here (body_as_html): the stock extension keeps its
            # abbreviations to that body
            extensions.append("abbr")
            continue
        if str(name).startswith(OUR_EXTENSIONS):
            continue
        if isinstance(item, dict) and isinstance(item[name], dict):  # options naming our functions
            options = {k: v for k, v in item[name].items()
                       if not (isinstance(v, tuple) and v[0] == "!!python/name" and v[1].startswith(OUR_EXTENSIONS))}
            item = {name: options}
        extensions.append(item)
    config["markdown_extensions"] = extensions
    return config


def _dump(config: dict) -> str:
    class Dumper(_EnvDumper):
        pass

    def represent_tuple(dumper, value):
        if value and value[0] in ("!ENV", "!!python/name"):
            return _env_representer(dumper, value)
        return dumper.represent_list(list(value))

    Dumper.add_representer(tuple, represent_tuple)
    return yaml.dump(config, Dumper=Dumper, allow_unicode=True, sort_keys=False)


def body_as_html(extensions: list, glossary_entries: tuple = ()) -> callable:
    """How a content body enters an exported page: converted with the site's Markdown
    extensions, then cleaned as the site cleans a body (stage ``clean``), as one block of HTML."""
    names, configs = [], {}
    for item in extensions:
        if isinstance(item, dict):
            name, options = next(iter(item.items()))
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(item)

    def convert(text: str) -> markupsafe.Markup:
        html = markdown.Markdown(extensions=names, extension_configs=configs).convert(text)
        clean = stages.clean(BODY_OPEN + html + BODY_CLOSE, glossary_entries)  # the body's policy
        return markupsafe.Markup(f'<div class="kb-corps">\n{clean}\n</div>')

    return convert


def write_site(site, content_dir: Path, docs: Path) -> None:
    """Every generated page, published file and checked image of ``site`` under ``docs``."""
    for page in site.pages:
        path = docs / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
    for rel, data in site.files.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Path):
            shutil.copyfile(data, path)
        else:
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    for rel in sorted(site.media):  # checked images of content/medias (kb.content.inventory)
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(content_dir / rel, path)


def export_project(settings: Settings, target: Path) -> Path:
    target = prepare_target(settings, target)
    config = plain_config(settings.config_file.read_text(encoding="utf-8"))
    session = stages.BuildSession(settings)
    site = session.prepare(body=body_as_html(config["markdown_extensions"], session.glossary))
    docs = target / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    # pages outside the navigation, as the MkDocs adapter marks them (else --strict warns)
    config["not_in_nav"] = "\n".join(f"/{page.path}" for page in site.pages if not page.in_nav)
    write_site(site, settings.content_dir, docs)
    overrides = settings.overrides_dir
    if (target / "overrides").exists():
        shutil.rmtree(target / "overrides")
    shutil.copytree(overrides, target / "overrides", symlinks=False)
    (target / "mkdocs.yml").write_text(
        "# Exporté par « python -m kb export-pages » : un projet MkDocs ordinaire, sans hook.\n"
        + _dump(config), encoding="utf-8")
    return target
