"""Who publishes the site and how to take part: the links every page offers.

Set once in mkdocs.yml ``extra:`` (``depot``, the repository's address, ``branche``,
``editeur``, ``directeur_publication``, ``contact``, ``hebergeur``), read into the
build's settings (kb.infra.settings), handed to the templates as ``site_info`` by the
build session: every « Proposez-la », « Contribuer », « Signaler une erreur » and
« Proposer une modification » link, the « Mentions légales » page and the footer.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

PLACEHOLDER_REPO_URL = "https://github.com/a-configurer/cooperations-territoriales"
ISSUE_FORM = "proposer-une-cooperation.yml"  # kb.publish.issue_form


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
