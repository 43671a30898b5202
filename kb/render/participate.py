"""Who publishes the site and how to take part, set once in mkdocs.yml ``extra:``.

``extra.depot`` (the repository's address), ``extra.branche``, ``extra.editeur``,
``extra.directeur_publication``, ``extra.contact`` and ``extra.hebergeur`` give every
« Proposez-la », « Contribuer », « Signaler une erreur » and « Proposer une
modification » link, the « Mentions légales » page and the footer. The templates see
them as ``site`` (kb.render.pages). The build's settings object is meant to carry
them later (kb.infra.settings); until then they are read here, from mkdocs.yml.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import yaml

MKDOCS_YML = Path(__file__).resolve().parents[2] / "mkdocs.yml"
PLACEHOLDER_REPO_URL = "https://github.com/a-configurer/cooperations-territoriales"
ISSUE_FORM = "proposer-une-cooperation.yml"  # kb.publish.issue_form


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with its MkDocs tags (!ENV …) read as nothing."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class SiteInfo:
    repo_url: str = PLACEHOLDER_REPO_URL  # https://github.com/owner/name
    branch: str = "main"
    publisher: str = ""
    director: str = ""
    contact: str = ""
    host: str = ""

    @property
    def contributing_url(self) -> str:
        return f"{self.repo_url}/blob/{self.branch}/CONTRIBUTING.md"

    def edit_url(self, content_path: str) -> str:
        """The repository's editor for a file of content/ (``content_path`` relative to it)."""
        return f"{self.repo_url}/edit/{self.branch}/content/{content_path}"

    def issue_url(self, title: str = "", body: str = "", template: str | None = None) -> str:
        """A new issue of the repository, prefilled."""
        query = {k: v for k, v in (("template", template), ("title", title), ("body", body)) if v}
        return f"{self.repo_url}/issues/new" + (f"?{urlencode(query)}" if query else "")

    def propose_url(self, about: str = "") -> str:
        """The issue form « Proposer une coopération », prefilled with what it illustrates."""
        return self.issue_url(title="[Coopération] ", template=ISSUE_FORM) if not about else \
            self.issue_url(title=f"[Coopération] illustrant « {about} »", template=ISSUE_FORM)

    def report_url(self, page_title: str, page_path: str) -> str:
        """An issue « Signaler une erreur » about one page."""
        return self.issue_url(title=f"[Erreur] {page_title}",
                              body=f"Page : {page_title} ({page_path})\n\nCe qui est inexact ou manque, "
                                   "et la source qui le montre :\n")


@functools.lru_cache(maxsize=4)
def load(config_file: Path = MKDOCS_YML) -> SiteInfo:
    try:
        config = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=_Loader) or {}
    except OSError:
        return SiteInfo()
    extra = config.get("extra") or {}
    return SiteInfo(repo_url=str(extra.get("depot") or PLACEHOLDER_REPO_URL).rstrip("/"),
                    branch=str(extra.get("branche") or "main"),
                    publisher=str(extra.get("editeur") or ""),
                    director=str(extra.get("directeur_publication") or ""),
                    contact=str(extra.get("contact") or ""),
                    host=str(extra.get("hebergeur") or ""))
