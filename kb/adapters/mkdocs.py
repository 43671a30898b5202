"""The MkDocs adapter: MkDocs' events translated into calls on a build session.

hooks/kb_hooks.py (named in mkdocs.yml) forwards each event here. Nothing else in
kb imports MkDocs or Material (an import-linter contract checks it): another site
generator needs another adapter, not another pipeline (kb.adapters.export writes
a plain MkDocs project that needs no hook at all).

  on_config        settings from mkdocs.yml and the environment; a new BuildSession
                   loads and validates everything (ContentErrors stop the build)
  on_files         only what the session publishes: the generated pages (their front matter:
                   title, description), the published files (open data, feeds, schemas,
                   /admin/) and the checked images of content/medias (kb.content.inventory);
                   every other file MkDocs found in content/ is dropped. The pages' bodies
                   start rendering in the build's pool, if it has one (kb.build.ahead)
  on_page_content  the sanitising of the page's HTML started (in the build's process
                   pool, if it has one: kb.build.parallel); the page holds a placeholder,
                   never the unsanitised HTML; the ids of its generated HTML blocks
                   registered as anchors
  on_page_markdown the page's body (rendered from its template, or taken back from the pool);
                   a time budget for the conversion of the page starts (``PAGE_BUDGET_SECONDS``;
                   the content checks already refuse every body known to be slow to convert:
                   this is the last guard, and it says which page, in French)
  on_page_context  the page's sanitised HTML taken back, just before MkDocs renders the
                   theme around it and writes the page (MkDocs converts every page
                   before it writes any: the pool works meanwhile)
  on_post_build    the pool closed; the search index (Pagefind) written and checked, for
                   `mkdocs build` and every rebuild of `mkdocs serve` alike
"""
from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from ..build.session import BuildSession, ContentErrors
from ..infra.assets import AssetError
from ..infra.settings import Settings
from ..search.codec import FormatVersionError
from ..search.index import SearchIndexError

log = logging.getLogger("mkdocs.plugins.kb")
PAGE_BUDGET_SECONDS = 60  # Markdown conversion of one page; the slowest body the checks accept takes ~5 s


class PageTooSlow(PluginError):
    """Raised inside MkDocs' conversion of a page: a BuildError, so MkDocs stops with the
    message, not a traceback."""


class ConversionBudget:
    """A timer around the conversion of one page (SIGALRM: only in the main thread, where
    `mkdocs build` converts; the live preview's builder thread goes without)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.page = None
        self.active = False

    @staticmethod
    def available() -> bool:
        return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()

    def _expired(self, signum, frame):
        raise PageTooSlow(f"{self.page} : conversion trop longue (plus de {self.seconds:g} s) ; simplifiez le "
                          "texte de la fiche (imbrications, crochets ou balises non fermés)")

    def start(self, page: str) -> None:
        self.page = page
        self.active = self.available()
        if self.active:
            signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def stop(self) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)


def settings_from_config(config) -> Settings:
    """The build's settings: paths and names from mkdocs.yml, the rest from the environment."""
    return Settings.from_environment(
        Path(config.config_file_path).resolve().parent, content_dir=Path(config.docs_dir),
        site_dir=Path(config.site_dir), site_name=config.site_name, site_url=config.site_url or None,
        repo_url=config.repo_url or None, extra=dict(config.extra or {}))


class MkDocsAdapter:
    """The one object the hooks module keeps: the session of the build in progress."""

    def __init__(self):
        self.session: BuildSession | None = None
        self.budget = ConversionBudget(PAGE_BUDGET_SECONDS)

    def on_config(self, config):
        if self.session is not None:  # the previous build of a live preview, if it failed midway
            self.session.close()
        self.session = BuildSession(settings_from_config(config))
        try:
            self.session.load()
        except (ContentErrors, AssetError) as errors:  # bad content, a modified npm file
            raise PluginError(str(errors)) from None
        if self.session.pool_workers:
            log.info(f"HTML des pages nettoyé par {self.session.pool_workers} processus en parallèle "
                     "(kb.build.parallel ; KB_PARALLELE=0 pour tout faire dans un seul)")
        return config

    def on_files(self, files: Files, config) -> Files:
        site = self.session.site
        docs = Path(config.docs_dir).resolve()
        for file in list(files):  # the theme's files stay; of content/, only the checked images,
            from_content = file.src_dir is not None and Path(file.src_dir).resolve() == docs
            if from_content:  # read again here, never copied by path (a link could replace them)
                files.remove(file)
        for rel in sorted(site.media):
            files.append(File.generated(config, rel, content=self.session.media_bytes(rel)))
        for page in site.pages:  # the front matter now, the body when MkDocs reads the page
            generated = File.generated(config, page.path, content=page.front_matter)
            if not page.in_nav:
                generated.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(generated)
        for path, data in site.files.items():
            if isinstance(data, Path):
                files.append(File.generated(config, path, abs_src_path=str(data)))
            else:
                files.append(File.generated(config, path, content=data))
        self.session.render_ahead()
        return files

    def on_page_markdown(self, markdown: str, page) -> str:
        body = self.session.page_body(page.file.src_uri)  # what followed the front matter
        self.budget.start(page.file.src_uri)
        return body

    def on_page_content(self, html: str, page) -> str:
        self.budget.stop()
        page.present_anchor_ids.update(self.session.anchor_ids(page.markdown))
        return self.session.start_clean(page.file.src_uri, html)

    def on_page_context(self, context, page):
        page.content = self.session.cleaned(page.file.src_uri)
        return context

    def on_post_build(self, config) -> None:
        try:
            self.session.finish(Path(config.site_dir))
        except (SearchIndexError, FormatVersionError) as error:
            raise PluginError(str(error)) from None
