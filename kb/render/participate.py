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
COMPLETE_FORM = "completer-une-fiche.yml"  # kb.publish.issue_form.COMPLETE_PATH
COMPLETE_FIELD = "fiche"  # its element holding the fiche's identifier (kb.publish.issue_form.FICHE_ID)


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

    def issue_url(self, title: str = "", body: str = "", template: str | None = None,
                  fields: dict | None = None) -> str:
        """A new issue of the repository, prefilled (``fields``: elements of an issue form, by id)."""
        query = {k: v for k, v in (("template", template), ("title", title), ("body", body)) if v}
        query.update({k: v for k, v in (fields or {}).items() if v})
        return f"{self.repo_url}/issues/new" + (f"?{urlencode(query)}" if query else "")

    def complete_url(self, ident: str, title: str = "") -> str:
        """The issue form « Compléter une fiche », prefilled with the fiche's identifier."""
        return self.issue_url(title=f"[Complément] {title}".strip(), template=COMPLETE_FORM,
                              fields={COMPLETE_FIELD: ident})

    def change_url(self, record) -> str:
        """« Proposer une modification »: the completion form for a cooperation, the file in the
        repository's editor for any other fiche."""
        if getattr(record, "kind", None) == "cooperation":
            return self.complete_url(record.id, record.titre)
        return self.edit_url(record.path)

    def propose_url(self, about: str = "") -> str:
        """The issue form « Proposer une coopération », prefilled with what it illustrates."""
        return self.issue_url(title="[Coopération] ", template=ISSUE_FORM) if not about else \
            self.issue_url(title=f"[Coopération] illustrant « {about} »", template=ISSUE_FORM)

    def report_url(self, page_title: str, page_path: str) -> str:
        """An issue « Signaler une erreur » about one page."""
        return self.issue_url(title=f"[Erreur] {page_title}",
                              body=f"Page : {page_title} ({page_path})\n\nCe qui est inexact ou manque, "
                                   "et la source qui le montre :\n")
