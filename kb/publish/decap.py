"""The browser editor at /admin/ (Decap CMS), configured from the content model.

config.yml is generated from kb.content.fields.MODEL and data/vocabulaires.yml, never
kept by hand: a select widget per vocabulary field (its terms as options, with
their labels), list widgets for partners and sources, relation widgets for the
links between files. The editorial workflow (publish_mode: editorial_workflow,
open_authoring) turns each edit made in the browser into a pull request, which
the same checks as any other pull request then validate.

Decap's script comes from the pinned npm package (kb.infra.npm) and is served
by the site itself, with the chunks it loads on demand.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from ..content import fields as F
from ..infra.npm import package_dir
from ..content.vocab import Vocabulary, load_departements, load_vocabularies

FOLDER = "admin"
PACKAGE = "decap-cms"
SCRIPT = "dist/decap-cms.js"

# kind -> (collection name, folder of content/, plural label, singular label)
COLLECTIONS = {
    "cooperation": ("cooperations", "cooperations", "Coopérations", "Coopération"),
    "recommandation": ("recommandations", "recommandations", "Recommandations", "Recommandation"),
    "document": ("sources", "sources", "Documents sources", "Document source"),
}
DATE_FORMAT = "YYYY-MM-DD"


def _options(vocab: Vocabulary) -> list[dict]:
    return [{"label": t.label, "value": t.id} for t in vocab.terms.values()]


def _length_pattern(max_length: int) -> list[str]:
    return [f"^[\\s\\S]{{1,{max_length}}}$", f"{max_length} caractères au plus"]


def widget(f: F.Field, vocabularies: dict[str, Vocabulary]) -> dict:
    """The Decap field of one model field."""
    out: dict = {"label": F.field_label(f, vocabularies), "name": f.name, "hint": f.help}
    if not f.required:
        out["required"] = False
    if f.type == "text":
        out["widget"] = "text" if (f.max_length or 0) > 150 else "string"
        if f.max_length:
            out["pattern"] = _length_pattern(f.max_length)
    elif f.type in ("term", "terms"):
        out.update(widget="select", options=_options(vocabularies[f.vocab]))
        if f.type == "terms":
            out["multiple"] = True
            if f.min_items:
                out["min"] = f.min_items
    elif f.type == "departement":
        out.update(widget="select", options=[{"label": f"{code} – {d.name}", "value": code}
                                             for code, d in load_departements().items()])
    elif f.type == "date":
        out.update(widget="datetime", format=DATE_FORMAT, date_format=DATE_FORMAT, time_format=False,
                   picker_utc=True)
        if f.required:  # a new file is dated today; an optional date stays absent (never "")
            out["default"] = "{{now}}"
    elif f.type == "partial_date":
        out.update(widget="string", pattern=[F.PARTIAL_DATE, "AAAA, AAAA-MM ou AAAA-MM-JJ"])
    elif f.type == "year":
        out.update(widget="number", value_type="int", min=1900, max=2099)
    elif f.type == "url":
        out.update(widget="string", pattern=[F.URL, "lien commençant par http:// ou https://"])
    elif f.type == "code":
        out.update(widget="string", pattern=[F.OFFICIAL_CODE, "code INSEE (commune : 5 caractères ; département : 29, 2A, 974 ; "
                                                     "région : 53) ou SIREN (9 chiffres)"])
    elif f.type in ("ref", "refs") and f.target in COLLECTIONS:
        out.update(widget="relation", collection=COLLECTIONS[f.target][0], value_field="{{slug}}",
                   search_fields=["titre"], display_fields=["titre"])
        if f.type == "refs":
            out["multiple"] = True
    elif f.type in ("ref", "refs"):
        item = {"widget": "string", "pattern": [F.SLUG, "identifiant : minuscules sans accent, chiffres et tirets"]}
        if f.type == "ref":
            out.update(item)
        else:
            out.update(widget="list", field={"label": out["label"], "name": "id", **item})
    elif f.type == "texts":
        out.update(widget="list", field={"label": out["label"], "name": "texte", "widget": "string"})
    elif f.type == "objects":
        out.update(widget="list", fields=[widget(sub, vocabularies) for sub in f.fields])
        if f.min_items:
            out["min"] = f.min_items
        first = f.fields[0].name
        out["summary"] = "{{fields.%s}}" % first
    else:  # pragma: no cover - a new field type needs a widget here
        raise ValueError(f"no Decap widget for field type {f.type}")
    return out


def collection(kind: str, vocabularies: dict[str, Vocabulary]) -> dict:
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
        "fields": [widget(f, vocabularies) for f in F.MODEL[kind]] +
                  [{"label": "Texte", "name": "body", "widget": "markdown",
                    "hint": "Avec vos propres mots ; chaque fait vient d'une source citée plus haut."}],
    }


def config(repo: str, branch: str = "main", site_url: str | None = None,
           vocabularies: dict[str, Vocabulary] | None = None, auth_url: str | None = None) -> dict:
    """The Decap configuration (config.yml) as a dictionary.

    ``auth_url``: the OAuth service that signs people in with GitHub when the site is not
    hosted by Netlify (backend ``base_url``)."""
    vocabularies = vocabularies or load_vocabularies()
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
        "collections": [collection(kind, vocabularies) for kind in COLLECTIONS],
    }
    if auth_url:
        out["backend"]["base_url"] = auth_url
    if site_url:
        out["site_url"] = site_url
        out["display_url"] = site_url
    return out


def config_yaml(repo: str, branch: str = "main", site_url: str | None = None,
                auth_url: str | None = None) -> str:
    header = ("# Généré par kb/decap.py à partir de kb/fields.py et data/vocabulaires.yml :\n"
              "# ne pas modifier à la main.\n")
    return header + yaml.safe_dump(config(repo, branch, site_url, auth_url=auth_url), allow_unicode=True,
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
</head>
<body>
<noscript>L'interface d'édition a besoin de JavaScript. Vous pouvez aussi proposer une coopération
avec le formulaire des tickets du dépôt, ou suivre le guide CONTRIBUTING.md.</noscript>
<script src="decap-cms.js"></script>
</body>
</html>
"""


def index_html(site_name: str) -> str:
    from html import escape

    return INDEX_HTML.format(site_name=escape(site_name))


def script_files() -> dict[str, Path]:
    """Site path -> file of the npm package: decap-cms.js and the chunks and wasm it loads."""
    dist = package_dir(PACKAGE) / "dist"
    out = {}
    for path in sorted(dist.iterdir()):
        name = path.name
        if name == "decap-cms.js" or name.endswith(".decap-cms.js") or name.endswith(".wasm") \
                or name == "decap-cms.js.LICENSE.txt":
            out[f"{FOLDER}/{name}"] = path
    return out


def files(repo: str, site_name: str, branch: str = "main", site_url: str | None = None,
          auth_url: str | None = None) -> dict:
    """Site path -> text (generated) or Path (copied) for everything under /admin/."""
    out: dict = {f"{FOLDER}/index.html": index_html(site_name),
                 f"{FOLDER}/config.yml": config_yaml(repo, branch, site_url, auth_url)}
    out.update(script_files())
    return out


def repo_from_url(repo_url: str | None) -> str | None:
    """'https://github.com/owner/name(.git)' -> 'owner/name'."""
    if not repo_url:
        return None
    parts = repo_url.rstrip("/").removesuffix(".git").split("/")
    if len(parts) >= 5 and parts[2] == "github.com":
        return f"{parts[3]}/{parts[4]}"
    return None

