"""A throw-away copy of the project around another content folder.

The real commands (`python -m kb build`, `mkdocs build`) read the project's
mkdocs.yml, whose docs_dir is `content/`. To build another content folder with
exactly the same configuration, hooks, templates and overrides, a temporary
folder gets a copy of mkdocs.yml, the content and the data (no link inside the
folders a build reads), and a symbolic link to every other top-level entry of
the project (code, overrides).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SKIP = {"content", "site", ".git", ".venv", "mkdocs.yml", ".pytest_cache", "__pycache__"}


def make_project(target: Path, content: Path | None = None) -> Path:
    """Project folder at ``target`` whose content/ is a copy of ``content``; returns its mkdocs.yml."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    # data/ next to the content folder (references.yml…) overrides the project's own files
    own_data = Path(content).parent / "data" if content is not None else None
    for entry in ROOT.iterdir():
        if entry.name in _SKIP or entry.name.startswith("site"):
            continue
        link = target / entry.name
        if entry.name == "data":
            # copied, not linked: the build refuses symbolic links in data/ (kb.content.inventory)
            link.mkdir(exist_ok=True)
            for item in entry.iterdir():
                if not (link / item.name).exists():
                    shutil.copy2(item, link / item.name)
            if own_data is not None and own_data.is_dir():
                for item in own_data.iterdir():
                    if item.is_file():
                        shutil.copy2(item, link / item.name)
        elif not link.exists():
            link.symlink_to(entry)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    if content is not None:
        shutil.copytree(content, target / "content", dirs_exist_ok=True)
    else:
        (target / "content").mkdir(exist_ok=True)
    return target / "mkdocs.yml"


def configure_for_publication(config: Path, repository: str = "organisme/depot") -> None:
    """Give a project copy's mkdocs.yml the settings a build for publication requires
    (kb.render.participate.check_settings): repository, publisher, publication director."""
    text = Path(config).read_text(encoding="utf-8")
    text = text.replace("https://github.com/a-configurer/cooperations-territoriales",
                        f"https://github.com/{repository}")
    text = text.replace('editeur: ""', 'editeur: "Réseau d\'essai"').replace(
        'directeur_publication: ""', 'directeur_publication: "Présidence du réseau d\'essai"')
    Path(config).write_text(text, encoding="utf-8")


def kb_build(config: Path, site_dir: Path, env: dict | None = None, timeout: int = 600):
    """`python -m kb build` on a project copy, in a subprocess; returns CompletedProcess."""
    environ = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "kb", "build", "--config-file", str(config),
                           "--site-dir", str(site_dir)], cwd=ROOT, capture_output=True, text=True,
                          env=environ, timeout=timeout)
