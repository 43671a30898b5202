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

from functools import lru_cache
from pathlib import Path

import yaml

from ..content import fields as F
from ..content import fieldtypes as T
from .formats.decap_widgets import WidgetContext, widget_of
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
# Decap's local backend (decap-server, `make editer`): used only when the editor is opened on
# this machine (localhost), never by the published site's readers
LOCAL_BACKEND = "http://127.0.0.1:8081/api/v1"
# any GitHub account may propose a change from its own fork (False: the repository's members only);
# the configuration and the welcome text both follow it
OPEN_AUTHORING = True
# official names by code, for the editor's preview of a partner given by its code only (kb-admin.js)
OFFICIAL_NAMES = "territoires-officiels.json"
SIGN_IN_GUIDE = "activer-la-connexion-à-léditeur"  # CONTRIBUTING.md heading (GitHub anchor)
# The editor's own widgets (kb-admin.js registers them under these names): the partners' list
# is Decap's list whose folded items are named by SHOWN_NAME, a value kb-admin.js gives each item
# for the summary only and never saves (a summary template cannot look a code up): the usual
# name, else the official name of the code (never Decap's « No nom »). The official code's
# widget: kb.publish.formats.decap_widgets.CODE_WIDGET.
PARTNERS_WIDGET = "kb-partners"
SHOWN_NAME = "kb_nom_affiche"
PARTNER_SUMMARY = "{{fields.%s}}" % SHOWN_NAME


def widget(f: F.Field, data: ProjectData) -> dict:
    """The Decap field of one model field (its widget comes from the field type registry)."""
    vocabularies = data.vocabularies
    out: dict = {"label": F.field_label(f, vocabularies), "name": f.name, "hint": f.help}
    if not f.required:
        out["required"] = False
    ctx = WidgetContext(widget=lambda sub: widget(sub, data),
                          collection_of=lambda kind: COLLECTIONS[kind][0] if kind in COLLECTIONS else None,
                          label_of=lambda sub: F.field_label(sub, vocabularies))
    out.update(widget_of(f, data, ctx))
    return out


def collection(kind: str, data: ProjectData) -> dict:
    name, folder, label, singular = COLLECTIONS[kind]
    fields = [widget(f, data) for f in F.MODEL[kind]]
    for field in fields:
        if field["name"] == "territoires":
            field["widget"] = PARTNERS_WIDGET
            field["summary"] = PARTNER_SUMMARY
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
        "fields": fields +
                  [{"label": "Texte", "name": "body", "widget": "markdown",
                    "hint": "Avec vos propres mots ; chaque fait vient d'une source citée plus haut."}],
    }


def config(data: ProjectData, repo: str, branch: str = "main", site_url: str | None = None,
           auth_url: str | None = None, local_backend: str = LOCAL_BACKEND, open_authoring: bool = OPEN_AUTHORING) -> dict:
    """The Decap configuration (config.yml) as a dictionary.

    ``auth_url``: the OAuth service that signs people in with GitHub when the site is not
    hosted by Netlify (backend ``base_url``). ``local_backend``: Decap's local backend
    (decap-server), which Decap looks for only when the editor is opened on localhost.
    ``open_authoring``: any GitHub account may propose a change (from its own fork); False:
    only the repository's members."""
    out = {
        "locale": "fr",
        "local_backend": {"url": local_backend},
        "backend": {
            "name": "github",
            "repo": repo,
            "branch": branch,
            "open_authoring": open_authoring,
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
        # the path written in a body: relative to the fiche (every collection is one folder of
        # content/), so that it builds under --strict and works under a site sub-path
        "public_folder": "../medias",
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
    header = ("# Généré par kb/publish/decap.py à partir de kb/content/fields.py et data/vocabulaires.yml :\n"
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
.kb-admin-welcome p, .kb-admin-welcome ul, .kb-admin-welcome ol {{ margin: .4rem 0; }}
.kb-admin-setup {{ border-left: 4px solid #b45309; background: #fff7ed; padding: .6rem .9rem; margin: .8rem 0; }}
.kb-admin-setup code {{ background: #ffedd5; padding: 0 .2rem; overflow-wrap: anywhere; }}
</style>
</head>
<body>
<main class="kb-admin-welcome" id="kb-admin-welcome" data-kb-sign-in="{sign_in}">
<p><a href="../">← Retour au site {site_name}</a></p>
<h1>L'éditeur des fiches</h1>
<p>Cet éditeur sert à rédiger ou corriger une fiche de coopération ou de recommandation dans un formulaire, sans toucher aux fichiers.</p>
{setup}<ul>
<li><strong>Qui peut se connecter ?</strong> {who} Sans compte GitHub, utilisez <a href="{propose_url}">le formulaire « Proposer une coopération »</a>.</li>
<li><strong>Que se passe-t-il ensuite ?</strong> Votre fiche n'est pas publiée tout de suite : elle devient une demande de modification (« pull request »), vérifiée automatiquement puis relue par l'équipe, qui la publie ou vous répond.</li>
<li><strong>Les règles de rédaction</strong> : voir <a href="{contributing_url}">le guide des contributeurs</a>.</li>
</ul>
</main>
<noscript>L'éditeur a besoin de JavaScript. Vous pouvez aussi proposer une coopération
avec <a href="{propose_url}">le formulaire des tickets du dépôt</a>.</noscript>
<script type="module" src="../assets/javascripts/kb-admin.js"></script>
</body>
</html>
"""

WHO_OPEN = ("Toute personne qui a un compte GitHub : l'éditeur enregistre votre fiche dans votre propre copie "
            "du <a href=\"{repo_url}\">dépôt du site</a> et propose la modification à l'équipe ; "
            "aucun droit particulier n'est nécessaire.")
WHO_MEMBERS = ("Les membres de l'équipe, c'est-à-dire les comptes GitHub autorisés à modifier "
               "<a href=\"{repo_url}\">le dépôt du site</a>.")
SETUP = """<div class="kb-admin-setup" role="note">
<p><strong>La connexion à l'éditeur n'est pas encore activée sur ce site.</strong> Aucun service de connexion GitHub n'est configuré : l'éditeur ne peut donc pas s'ouvrir ici.</p>
<p>Pour le responsable du site : déployez le service de connexion, puis donnez son adresse dans la variable <code>KB_DECAP_AUTH_URL</code> du dépôt (Settings → Secrets and variables → Actions → Variables) et publiez à nouveau le site. La marche à suivre, pas à pas : <a href="{guide_url}">« Activer la connexion à l'éditeur »</a> dans le guide des contributeurs.</p>
<p>Sur votre propre ordinateur, <code>make editer</code> ouvre le même éditeur sans compte ni connexion.</p>
</div>
"""


def index_html(site_name: str, repo: str = "", auth_url: str | None = None,
               open_authoring: bool = OPEN_AUTHORING) -> str:
    """The editor's page: a French welcome (what it is, who may sign in, what happens next,
    the way back to the site), then Decap CMS (started by kb-admin.js). Without an OAuth
    service (``auth_url``), the page says what the maintainer must set, and the published
    editor does not start (kb-admin.js: only on this machine, with Decap's local backend)."""
    from html import escape

    from ..render.participate import SiteInfo

    info = SiteInfo(repo_url=f"https://github.com/{repo}") if repo else SiteInfo()
    repo_url = escape(info.repo_url)
    setup = "" if auth_url else SETUP.format(guide_url=escape(f"{info.contributing_url}#{SIGN_IN_GUIDE}"))
    who = (WHO_OPEN if open_authoring else WHO_MEMBERS).format(repo_url=repo_url)
    return INDEX_HTML.format(site_name=escape(site_name), sign_in="configured" if auth_url else "absent",
                             setup=setup, who=who, propose_url=escape(info.propose_url()),
                             contributing_url=escape(info.contributing_url))


def script_files(node_modules: Path) -> dict[str, bytes]:
    """Site path -> bytes of the npm package: decap-cms.js and the chunks and wasm it loads, each
    checked against the pinned list as it is read (kb.infra.assets: a modified file stops the build)."""
    return {f"{FOLDER}/{rel.removeprefix('dist/')}": assets.read(node_modules, PACKAGE, rel)
            for rel in assets.package_files(PACKAGE, "dist/*")}


@lru_cache(maxsize=1)
def official_names() -> bytes:
    """{"communes"|"epci"|"departements"|"regions": {code: official name}} from the official
    geography (kb.content.cog): what the preview shows for a partner known by its code only.
    Made once per process (the official geography does not change): a live preview rebuilds
    the site at each save."""
    import json

    from ..content import cog as COG

    cog = COG.load()
    names = {kind: {code: entity.nom for code, entity in getattr(cog, kind).items()}
             for kind in ("communes", "epci", "departements", "regions")}
    return json.dumps(names, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def files(data: ProjectData, repo: str, site_name: str, branch: str = "main", site_url: str | None = None,
          auth_url: str | None = None, *, node_modules: Path) -> dict:
    """Site path -> text (generated) or bytes (Decap's checked script) for everything under /admin/."""
    out: dict = {f"{FOLDER}/index.html": index_html(site_name, repo, auth_url),
                 f"{FOLDER}/config.yml": config_yaml(data, repo, branch, site_url, auth_url)}
    out[f"{FOLDER}/{OFFICIAL_NAMES}"] = official_names()
    out.update(script_files(node_modules))
    return out
