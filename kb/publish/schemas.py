"""Files generated for editors and committed: JSON Schemas of the front matter, issue form.

The JSON Schemas (one per kind of content file) are committed in schemas/ for
editors and served by the site under /schema/ with the same text; the GitHub
issue forms « Proposer une coopération » and « Compléter une fiche » are committed in .github/ISSUE_TEMPLATE/.
``python -m kb schemas`` writes them; a test fails when a committed copy is out of date.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..content.fields import KINDS, json_schema
from ..content.vocab import ProjectData
from .. import sitemap

SITE_DIR = sitemap.SCHEMA_FOLDER  # folder of the built site


def schema_files(data: ProjectData) -> dict[str, str]:
    """File name -> JSON text, for every kind (cooperation.json, recommandation.json…)."""
    return {f"{kind}.json": json.dumps(json_schema(kind, data), ensure_ascii=False, indent=2) + "\n"
            for kind in KINDS}


def repo_files(data: ProjectData) -> dict[str, str]:
    """Path relative to the repository root -> text of every committed generated file."""
    from ..publish.issue_form import form_files

    out = {f"schemas/{name}": text for name, text in schema_files(data).items()}
    out.update(form_files(data))
    return out


def outdated(root: Path, data: ProjectData) -> list[str]:
    """Paths (relative to ``root``) whose committed text differs from the generated one."""
    return [rel for rel, text in repo_files(data).items()
            if not (Path(root) / rel).exists() or (Path(root) / rel).read_text(encoding="utf-8") != text]


def write(root: Path, data: ProjectData) -> list[str]:
    """Write every generated file below ``root``; return the relative paths."""
    files = repo_files(data)
    for rel, text in files.items():
        path = Path(root) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
