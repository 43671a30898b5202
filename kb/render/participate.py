"""Who publishes the site and how to take part: the links every page offers.

Set once in mkdocs.yml ``extra:`` (``depot``, the repository's address, ``branche``,
``editeur``, ``directeur_publication``, ``contact``, ``hebergeur``), read into the
build's settings (kb.infra.settings), handed to the templates as ``site_info`` by the
build session: every « Proposez-la », « Contribuer », « Signaler une erreur » and
« Proposer une modification » link, the « Mentions légales » page and the footer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

PLACEHOLDER_REPO_URL = "https://github.com/a-configurer/cooperations-territoriales"
ISSUE_FORM = "proposer-une-cooperation.yml"  # kb.publish.issue_form
PROPOSE_RECOMMENDATIONS = "recommandations"  # its element listing the recommendations illustrated
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

    def propose_url(self, about: str = "", reco_id: str = "") -> str:
        """The issue form « Proposer une coopération », prefilled with the recommendation it
        illustrates (its title in the issue's title, its identifier in the form's field)."""
        if not about:
            return self.issue_url(title="[Coopération] ", template=ISSUE_FORM)
        return self.issue_url(title=f"[Coopération] illustrant « {about} »", template=ISSUE_FORM,
                              fields={PROPOSE_RECOMMENDATIONS: reco_id})

    def report_url(self, page_title: str, page_path: str) -> str:
        """An issue « Signaler une erreur » about one page."""
        return self.issue_url(title=f"[Erreur] {page_title}",
                              body=f"Page : {page_title} ({page_path})\n\nCe qui est inexact ou manque, "
                                   "et la source qui le montre :\n")


# --- the settings a published site must have (checked where a build's settings are made) ------

_GITHUB = re.compile(r"^https?://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$")
REQUIRED = (("depot", "l'adresse du dépôt GitHub du site, par exemple https://github.com/organisme/depot"),
            ("editeur", "l'organisme qui publie le site (mentions légales)"),
            ("directeur_publication", "la personne directrice de la publication (mentions légales)"))


@dataclass(frozen=True)
class SettingsCheck:
    """What the settings of ``mkdocs.yml`` (``extra:``) still lack: placeholders (setting names)
    and contradictions (French messages), for a build's entry point to act on."""

    placeholders: tuple[str, ...] = ()
    messages: tuple[str, ...] = field(default=())  # one per problem, naming the setting

    def publication_error(self) -> str:
        """The French message that stops a build for publication (KB_SITE_URL set)."""
        return ("Réglages du site à compléter avant de publier (mkdocs.yml, rubrique extra:) :\n"
                + "\n".join(f"- {m}" for m in self.messages)
                + "\nUne construction locale (sans KB_SITE_URL) reste possible.")

    def local_notice(self) -> str:
        """One French line for a local build: the placeholders, then any other problem."""
        parts = []
        if self.placeholders:
            parts.append("Réglages encore à remplir dans mkdocs.yml (extra:) avant de publier : "
                         + ", ".join(self.placeholders) + " (README, « Réglages du site »).")
        placeholder_keys = tuple(f"extra.{name} :" for name in self.placeholders)
        parts += [m for m in self.messages if not m.startswith(placeholder_keys)]
        return " ".join(parts)


def check_settings(repository: str, extra: dict | None, theme_repo_url: str | None = None) -> SettingsCheck:
    """``repository`` (owner/name: where the build's contribution links point), ``extra`` (the
    ``extra:`` of mkdocs.yml) and the theme's ``repo_url``: every setting a published site
    needs, and any link that would point to a repository other than the configured ``depot``."""
    extra = extra or {}
    placeholders, messages = [], []
    depot = str(extra.get("depot") or "").strip()
    configured = _GITHUB.match(depot).group(1) if _GITHUB.match(depot) else None
    for key, what in REQUIRED:
        value = str(extra.get(key) or "").strip()
        if key == "depot":
            if not value or depot.rstrip("/") == PLACEHOLDER_REPO_URL:
                placeholders.append(key)
                messages.append(f"extra.depot : encore l'adresse d'exemple ({PLACEHOLDER_REPO_URL}) ; "
                                f"indiquez {what}")
            elif configured is None:
                messages.append(f"extra.depot : « {value[:120]} » n'est pas l'adresse d'un dépôt GitHub "
                                "(https://github.com/organisme/depot)")
        elif not value:
            placeholders.append(key)
            messages.append(f"extra.{key} : vide ; indiquez {what}")
    if configured and "depot" not in placeholders and repository != configured:
        messages.append(f"extra.depot : les liens « Proposez-la » et « Proposer une modification » iraient "
                        f"vers {repository}, qui n'est pas le dépôt configuré ({configured}) ; la variable "
                        "KB_DEPOT (ou GITHUB_REPOSITORY, hors du dépôt configuré) doit désigner le même dépôt")
    theme = _GITHUB.match(str(theme_repo_url or "").strip())
    if theme_repo_url and configured and (not theme or theme.group(1) != configured):
        messages.append(f"repo_url : « {str(theme_repo_url)[:120]} » n'est pas le dépôt configuré dans "
                        f"extra.depot ({configured}) ; retirez repo_url ou donnez-lui la même adresse")
    return SettingsCheck(tuple(placeholders), tuple(messages))
