"""The MkDocs adapter: MkDocs' events mapped onto the stages of a build (kb.assemble.session).

``MkDocsAdapter`` is an ordinary MkDocs plugin object. ``mkdocs build`` and
``mkdocs serve`` reach it through hooks/kb_hooks.py (named in mkdocs.yml), which
forwards each event and nothing else; ``python -m kb build``, the tests and the
benchmark call ``build(settings, config_file, site_dir)`` here, which runs MkDocs in
the same process with an adapter holding the Settings the entry point made. Nothing
else in kb imports MkDocs or Material (an import-linter contract checks it): another
site generator needs another adapter, not another pipeline (kb.adapters.export writes
a plain MkDocs project that needs no hook at all).

  event            stage (kb.assemble.session)
  on_config        load, graph, pages (listed), files: a new BuildSession, with the
                   Settings the entry point gave, or (``mkdocs build``/``serve``) made from
                   mkdocs.yml and the environment; ContentErrors (and two producers of one
                   path) stop the build; the feeds' paths put in ``config.extra.flux``
  on_files         only what the session publishes: the generated pages (their front
                   matter: title, description), the published files (open data, feeds,
                   schemas, /admin/) and the checked images of content/medias; every other
                   file MkDocs found in content/ is dropped, and so are the theme's lunr
                   files (its own search, unused: the site searches with Pagefind). In a live preview
                   (``mkdocs serve --dirty``, what ``make serve`` runs) each page is read from
                   its source file of kb.assemble.preview, rewritten only when its Markdown
                   changed, so that MkDocs converts only the pages an edit changed
  on_page_markdown pages: the page's body (rendered from its template, or taken back from the
                   build's pool); a time budget for the page's conversion starts
                   (``PAGE_BUDGET_SECONDS``: the content checks already refuse every body
                   known to be slow to convert; this is the last guard, and it names the page)
  on_page_content  clean: the converted HTML replaced by its clean version at once (from then
                   on ``page.content`` is what the site serves: any later plugin reads it); the
                   ids of the page's generated HTML blocks registered as anchors
  on_env           the theme's compiled templates kept for the next build (kb.assemble.memo)
  on_serve         the live preview looks at the watched files every 0.1 s (MkDocs: 0.5 s),
                   and watches data/ and the theme's overrides too
  on_post_build    index: the pool closed, the search index (Pagefind) written and checked,
                   for ``mkdocs build`` and every rebuild of ``mkdocs serve`` alike
  on_build_error   the pool closed and the page's time budget stopped
  on_shutdown      the pool closed (the preview server stops)

The adapter keeps one ``Memo`` (kb.assemble.memo) for as long as it lives: the rebuilds
of a live preview (``on_startup`` says ``serve``) reuse what an earlier build computed
from the same inputs; with ``--dirty`` it also keeps the preview's page sources
(kb.assemble.preview.Sources), and MkDocs' warning that a « dirty » build may leave other
pages stale is not shown (it would stop ``--strict``): the preview rebuilds every page
when anything but a page's own Markdown changed.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .. import sitemap
from ..assemble.memo import Memo
from ..assemble.preview import Sources
from ..assemble.session import BudgetExceeded, BuildSession, ContentErrors
from ..infra.assets import AssetError
from ..infra.settings import Settings
from ..publish.files import PathClash
from ..render import participate
from ..search.codec import FormatVersionError
from ..search.index import SearchIndexError

log = logging.getLogger("mkdocs.plugins.kb")
# Material's lunr language files (~1 MB, wordcut.js alone 662 KiB) serve its own search
# plugin, which the site does not use (Pagefind: kb.search); no page loads them
THEME_SEARCH_LANGUAGES = "assets/javascripts/lunr/"
WATCH_INTERVAL = 0.1  # seconds between two looks of the live preview at the watched files
PAGE_BUDGET_SECONDS = 60  # Markdown conversion of one page; the slowest body the checks accept takes ~5 s


class PageTooSlow(PluginError):
    """Raised inside MkDocs' conversion of a page: a BuildError, so MkDocs stops with the
    message, not a traceback."""


class ConversionBudget:
    """A timer around the conversion of one page (SIGALRM: only in the main thread, where
    `mkdocs build` converts; the live preview's builder thread goes without). The handler is
    installed by ``start`` and the one it replaced is put back by ``stop``: no handler of
    ours outlives the page."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.page = None
        self.active = False
        self._previous = None

    @staticmethod
    def available() -> bool:
        return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()

    def _expired(self, signum, frame):
        raise PageTooSlow(f"{self.page} : conversion trop longue (plus de {self.seconds:g} s) ; simplifiez le "
                          "texte de la fiche (imbrications, crochets ou balises non fermés)")

    def start(self, page: str) -> None:
        self.stop()
        self.page = page
        self.active = self.available()
        if self.active:
            self._previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def stop(self) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous if self._previous is not None else signal.SIG_DFL)
            self.active, self._previous = False, None


class DirtyWarningFilter(logging.Filter):
    """Drops MkDocs' warning that a « dirty » build may leave navigation and links stale: the
    preview rebuilds every page whenever anything besides a page's own Markdown changes
    (kb.assemble.preview), so the warning is not true of it, and ``--strict`` would count it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def material_version() -> str:
    """The theme's version (a new one may lay out every page differently)."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("mkdocs-material")
    except PackageNotFoundError:
        return ""


def settings_from_config(config) -> Settings:
    """The settings of a build started by MkDocs itself (``mkdocs build``, ``mkdocs serve``):
    paths and names from mkdocs.yml, the rest from the environment."""
    return Settings.from_environment(
        Path(config.config_file_path).resolve().parent, content_dir=Path(config.docs_dir),
        site_dir=Path(config.site_dir), site_name=config.site_name, site_url=config.site_url or None,
        repo_url=config.repo_url or None, extra=dict(config.extra or {}))


class MkDocsAdapter(BasePlugin):
    """The one object the hooks module keeps: the session of the build in progress."""

    def __init__(self, settings: Settings | None = None):
        """``settings``: given by the entry point (``build`` below); None: made from each
        build's MkDocs configuration (``mkdocs build``, ``mkdocs serve``)."""
        self.settings = settings
        self.session: BuildSession | None = None
        self.memo = Memo()
        self.budget = ConversionBudget(PAGE_BUDGET_SECONDS)
        self.settings_told = False  # the placeholders of a local build are named once per process
        self.dirty = False  # a live preview that converts only the pages an edit changed
        self.sources: Sources | None = None
        self._dirty_filter = DirtyWarningFilter()

    def on_startup(self, *, command: str, dirty: bool = False) -> None:
        """A live preview keeps what a build computed for the next one (kb.assemble.memo) and,
        with ``--dirty``, converts only the pages an edit changed (kb.assemble.preview)."""
        self.memo.keep = command == "serve"
        self.dirty = command == "serve" and dirty
        if self.dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(self._dirty_filter)

    def on_config(self, config):
        self.close()  # the previous build of a live preview, if it failed midway
        self.memo.next_build()
        settings = self.settings.with_(site_dir=Path(config.site_dir)) if self.settings else \
            settings_from_config(config)
        self.check_settings(settings, config)
        self.session = BuildSession(settings, self.memo)
        try:
            self.session.prepare()
        except (ContentErrors, PathClash, AssetError) as errors:  # bad content, a modified npm file
            raise PluginError(str(errors)) from None
        config.extra["flux"] = dict(sitemap.FEEDS)  # the feeds every page announces (overrides/main.html)
        for line in self.session.coverage:  # groupings, communes answered (kb.render.ma_commune.report)
            log.info(line)
        if self.session.pool_workers:
            log.info(f"Pages rendues par {self.session.pool_workers} processus en parallèle "
                     "(kb.assemble.parallel ; KB_PARALLELE=0 pour tout faire dans un seul)")
        return config

    def check_settings(self, settings: Settings, config) -> None:
        """A build for publication (a public address: KB_SITE_URL) stops on a placeholder or
        contradictory setting of mkdocs.yml; a local build or a live preview (whose site address
        MkDocs sets to 127.0.0.1) names the placeholders once."""
        found = participate.check_settings(settings.repository, dict(config.extra or {}), config.repo_url)
        if settings.publication and found.messages:
            raise PluginError(found.publication_error())
        if found.messages and not self.settings_told:
            log.info(found.local_notice())
            self.settings_told = True

    def on_files(self, files: Files, *, config) -> Files:
        site = self.session.site
        docs = Path(config.docs_dir).resolve()
        for file in list(files):  # the theme's files stay; of content/, only the checked images,
            from_content = file.src_dir is not None and Path(file.src_dir).resolve() == docs
            if from_content:  # read again here, never copied by path (a link could replace them)
                files.remove(file)
            elif file.src_uri.startswith(THEME_SEARCH_LANGUAGES):  # the theme's own search is not used
                files.remove(file)
        sources = self._preview_sources(config) if self.dirty else None

        def site_file(path: str, content: str | bytes) -> File:  # a preview copies only what changed
            if sources is not None:
                return File.generated(config, path, abs_src_path=str(sources.write(path, content)))
            return File.generated(config, path, content=content)

        ours = [site_file(rel, self.session.media_bytes(rel)) for rel in sorted(site.media)]
        for page in site.pages:  # the front matter now, the body when MkDocs reads the page
            if sources is not None:  # the whole page, in a file rewritten only when it changed
                path = sources.write(page.path, page.front_matter + self.session.body(page.path))
                generated = File.generated(config, page.path, abs_src_path=str(path))
            else:
                generated = File.generated(config, page.path, content=page.front_matter)
            if not page.in_nav:
                generated.inclusion = InclusionLevel.NOT_IN_NAV
            ours.append(generated)
        for path, data in site.files.items():
            if isinstance(data, Path):
                ours.append(File.generated(config, path, abs_src_path=str(data)))
            else:
                ours.append(site_file(path, data))
        for file in ours:
            files.append(file)
        if sources is not None:  # what an earlier rebuild wrote for a page or file now gone
            sources.keep_only(Path(config.site_dir), {file.src_uri: file.dest_uri for file in ours})
        return files

    def _preview_sources(self, config) -> Sources:
        """The live preview's page sources, once the frame of this build is known: a frame
        unlike the previous build's empties the site folder (kb.assemble.preview)."""
        site, settings = self.session.site, self.session.settings
        if self.sources is None:
            self.sources = Sources(settings.cache_dir)
        frame = Sources.frame(config_file=Path(config.config_file_path), overrides_dir=settings.overrides_dir,
                              theme_version=material_version(), glossary=self.session.glossary,
                              navigation=[(page.path, page.title) for page in site.pages if page.in_nav])
        if self.sources.start(frame, Path(config.site_dir)):
            log.info("Aperçu : toutes les pages reconstruites (première construction, ou un changement "
                     "du thème, de mkdocs.yml, du glossaire ou du menu du site)")
        return self.sources

    def on_serve(self, server, *, config, builder):
        """The live preview looks at the watched files every ``WATCH_INTERVAL`` seconds, not
        every half second (MkDocs' default, which its command line cannot change): a server
        like MkDocs' own, built with that interval, replaces it (``on_serve`` may return another
        server); it watches what MkDocs' did (content/, mkdocs.yml) and also data/
        (vocabularies, groupings, glossary: every page may show them) and the theme's overrides."""
        if type(server) is LiveReloadServer:
            quicker = LiveReloadServer(builder=builder, host=config.dev_addr.host, port=config.dev_addr.port,
                                       root=server.root, mount_path=server.mount_path,
                                       polling_interval=WATCH_INTERVAL)
            quicker.error_handler = server.error_handler
            quicker.watch(config.docs_dir)
            if config.config_file_path:
                quicker.watch(config.config_file_path)
            if config.theme.custom_dir:
                quicker.watch(config.theme.custom_dir)
            server = quicker
        if self.session is not None:
            server.watch(str(self.session.settings.data_dir))
        return server

    def on_page_markdown(self, markdown: str, *, page, config=None, files=None) -> str:
        body = self.session.body(page.file.src_uri)  # what followed the front matter
        self.budget.start(page.file.src_uri)
        return body

    def on_page_content(self, html: str, *, page, config=None, files=None) -> str:
        self.budget.stop()
        page.present_anchor_ids.update(self.session.anchor_ids(page.markdown))
        return self.session.clean(html)

    def on_env(self, env, *, config=None, files=None):
        env.bytecode_cache = self.memo.templates  # the theme's templates compiled once per preview
        return env

    def on_post_build(self, *, config) -> None:
        try:
            self.session.finish(Path(config.site_dir))
        except (SearchIndexError, FormatVersionError, BudgetExceeded) as error:
            raise PluginError(str(error)) from None
        for line in self.session.largest:  # what the build wrote, heaviest first (kb.publish.budget)
            log.info(line)

    def on_build_error(self, *, error: Exception) -> None:
        self.close()

    def on_shutdown(self) -> None:
        self.close()
        logging.getLogger("mkdocs.commands.build").removeFilter(self._dirty_filter)

    def close(self) -> None:
        """The page's time budget stopped and the build's pool closed, whatever happened."""
        self.budget.stop()
        if self.session is not None:
            self.session.close()


@contextmanager
def _messages_to_stderr():
    """MkDocs' messages (and ours) printed as ``mkdocs build`` prints them, for the length of
    one build run from Python."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def build(settings: Settings, config_file: Path, site_dir: Path, strict: bool = True) -> bool:
    """``mkdocs build --strict`` of ``config_file`` into ``site_dir``, in this process, with an
    adapter holding ``settings`` (the hooks named in the file are not loaded: the adapter is
    the plugin they would forward to). Content from ``settings.content_dir``. Returns whether
    the build succeeded; MkDocs' messages go to stderr."""
    from mkdocs.commands.build import build as mkdocs_build

    with _messages_to_stderr():
        try:
            config = load_config(config_file=str(config_file), site_dir=str(site_dir),
                                 docs_dir=str(settings.content_dir), strict=strict, hooks=[])
        except MkDocsException as error:
            log.error(str(error))
            return False
        adapter = MkDocsAdapter(settings)
        config.plugins["kb"] = adapter
        try:
            mkdocs_build(config)
        except MkDocsException as error:
            log.error(str(error))
            return False
        finally:
            adapter.close()
    return True
