"""The browser editor at /admin/ (Decap CMS), configured from the content model.

config.yml is generated from kb.content.fields.MODEL and data/vocabulaires.yml, never
kept by hand: a select widget per vocabulary field (its terms as options, with
their labels), list widgets for partners and sources, relation widgets for the
links between files. The editorial workflow (publish_mode: editorial_workflow,
open_authoring) turns each edit made in the browser into a pull request, which
the same checks as any other pull request then validate.

Decap's script comes from the pinned npm package decap-cms (package-lock.json), installed
in Settings.node_modules_dir, and is served by the site itself, with the chunks it loads on
demand; each file is checked against the pinned list as it is published (kb.infra.assets).
"""
from __future__ import annotations

from pathlib import Path

import yaml

from ..content import fields as F
from ..content import fieldtypes as T
from ..infra import assets
from ..content.vocab import ProjectData
from .. import sitemap

FOLDER = sitemap.EDITOR_FOLDER
PACKAGE = "decap-cms"
SCRIPT = "dist/decap-cms.js"

# kind -> (collection name, folder of content/, plural label, singular label)
COLLECTIONS = {
    "cooperation": ("cooperations", "cooperations", "Coopérations", "Coopération"),
    "recommandation": ("recommandations", "recommandations", "Recommandations", "Recommandation"),
    "document": ("sources", "sources", "Documents sources", "Document source"),
}
DATE_FORMAT = T.DATE_FORMAT


def widget(f: F.Field, data: ProjectData) -> dict:
    """The Decap field of one model field (its widget comes from the field type registry)."""
    vocabularies = data.vocabularies
    out: dict = {"label": F.field_label(f, vocabularies), "name": f.name, "hint": f.help}
    if not f.required:
        out["required"] = False
    ctx = T.WidgetContext(widget=lambda sub: widget(sub, data),
                          collection_of=lambda kind: COLLECTIONS[kind][0] if kind in COLLECTIONS else None,
                          label_of=lambda sub: F.field_label(sub, vocabularies))
    out.update(T.get(f.type).widget(f, data, ctx))
    return out


def collection(kind: str, data: ProjectData) -> dict:
    name, folder, label, singular = COLLECTIONS[kind]
    return {
        "name": name,
        "label": label,
        "label_singular": singular,
        "folder": f"content/{folder}",
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "slug": "{{slug}}",
        "identifier_field": "titre",
        "summary": "{{titre}}",
        "fields": [widget(f, data) for f in F.MODEL[kind]] +
                  [{"label": "Texte", "name": "body", "widget": "markdown",
                    "hint": "Avec vos propres mots ; chaque fait vient d'une source citée plus haut."}],
    }


def config(data: ProjectData, repo: str, branch: str = "main", site_url: str | None = None,
           auth_url: str | None = None) -> dict:
    """The Decap configuration (config.yml) as a dictionary.

    ``auth_url``: the OAuth service that signs people in with GitHub when the site is not
    hosted by Netlify (backend ``base_url``)."""
    out = {
        "locale": "fr",
        "backend": {
            "name": "github",
            "repo": repo,
            "branch": branch,
            "open_authoring": True,
            "commit_messages": {
                "create": "Nouvelle fiche {{collection}} : {{slug}}",
                "update": "Mise à jour {{collection}} : {{slug}}",
                "delete": "Suppression {{collection}} : {{slug}}",
                "uploadMedia": "Ajout du média {{path}}",
                "deleteMedia": "Suppression du média {{path}}",
                "openAuthoring": "{{message}}",
            },
        },
        "publish_mode": "editorial_workflow",
        "media_folder": "content/medias",
        "public_folder": "/medias",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind, data) for kind in COLLECTIONS],
    }
    if auth_url:
        out["backend"]["base_url"] = auth_url
    if site_url:
        out["site_url"] = site_url
        out["display_url"] = site_url
    return out


def config_yaml(data: ProjectData, repo: str, branch: str = "main", site_url: str | None = None,
                auth_url: str | None = None) -> str:
    header = ("# Généré par kb/decap.py à partir de kb/fields.py et data/vocabulaires.yml :\n"
              "# ne pas modifier à la main.\n")
    return header + yaml.safe_dump(config(data, repo, branch, site_url, auth_url=auth_url), allow_unicode=True,
                                   sort_keys=False,
                                   width=120)


INDEX_HTML = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Proposer une fiche — {site_name}</title>
<link rel="icon" href="../assets/images/favicon.png">
<link href="config.yml" type="text/yaml" rel="cms-config-url">
<style>
.kb-admin-welcome {{ font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem 1.2rem 0; color: #1f1f1f; }}
.kb-admin-welcome h1 {{ font-size: 1.4rem; margin: .2rem 0 .6rem; }}
.kb-admin-welcome a {{ color: #1b5e20; }}
.kb-admin-welcome p, .kb-admin-welcome ul {{ margin: .4rem 0; }}
</style>
</head>
<body>
<main class="kb-admin-welcome" id="kb-admin-welcome">
<p><a href="../">← Retour au site {site_name}</a></p>
<h1>L'éditeur des fiches</h1>
<p>Cet éditeur sert à rédiger ou corriger une fiche de coopération ou de recommandation dans un formulaire, sans toucher aux fichiers.</p>
<ul>
<li><strong>Qui peut se connecter ?</strong> Les personnes qui ont un compte GitHub autorisé à proposer des modifications sur <a href="{repo_url}">le dépôt du site</a>. Sans ce droit, utilisez <a href="{propose_url}">le formulaire « Proposer une coopération »</a>.</li>
<li><strong>Que se passe-t-il ensuite ?</strong> Votre fiche n'est pas publiée tout de suite : elle devient une demande de modification (« pull request »), vérifiée automatiquement puis relue par l'équipe, qui la publie ou vous répond.</li>
<li><strong>Les règles de rédaction</strong> : voir <a href="{contributing_url}">le guide des contributeurs</a>.</li>
</ul>
</main>
<noscript>L'éditeur a besoin de JavaScript. Vous pouvez aussi proposer une coopération
avec <a href="{propose_url}">le formulaire des tickets du dépôt</a>.</noscript>
<script src="decap-cms.js"></script>
</body>
</html>
"""


def index_html(site_name: str, repo: str = "") -> str:
    """The editor's page: a French welcome (what it is, who may log in, what happens next,
    the way back to the site), then Decap CMS."""
    from html import escape

    from ..render.participate import SiteInfo

    info = SiteInfo(repo_url=f"https://github.com/{repo}") if repo else SiteInfo()
    return INDEX_HTML.format(site_name=escape(site_name), repo_url=escape(info.repo_url),
                             propose_url=escape(info.propose_url()),
                             contributing_url=escape(info.contributing_url))


def script_files(node_modules: Path) -> dict[str, bytes]:
    """Site path -> bytes of the npm package: decap-cms.js and the chunks and wasm it loads, each
    checked against the pinned list as it is read (kb.infra.assets: a modified file stops the build)."""
    return {f"{FOLDER}/{rel.removeprefix('dist/')}": assets.read(node_modules, PACKAGE, rel)
            for rel in assets.package_files(PACKAGE, "dist/*")}


def files(data: ProjectData, repo: str, site_name: str, branch: str = "main", site_url: str | None = None,
          auth_url: str | None = None, *, node_modules: Path) -> dict:
    """Site path -> text (generated) or bytes (Decap's checked script) for everything under /admin/."""
    out: dict = {f"{FOLDER}/index.html": index_html(site_name, repo),
                 f"{FOLDER}/config.yml": config_yaml(data, repo, branch, site_url, auth_url)}
    out.update(script_files(node_modules))
    return out
