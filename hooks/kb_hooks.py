"""MkDocs hooks: thin adapters from MkDocs events onto the kb package.

on_startup    (mkdocs serve) look for edited files more often than MkDocs does
on_config     load and validate content/, build the graph and the list of pages (kb.build.session);
              when it can, start the helper process that renders and sanitises the
              pages beside MkDocs (kb.build.offload)
on_files      replace the Markdown files of content/ by the generated pages; add the
              other generated files (open data, feeds, schemas, /admin/: kb.publish.files)
on_page_read_source  a page's Markdown, from the helper
on_page_content  sanitise each page's HTML (kb.publish.sanitize), or queue it for the helper
on_env        (after every page is read) keep the theme's compiled templates; put the
              open data and feeds computed by the helper in place
on_page_context  (just before a page is written) put its sanitised HTML in place, waiting
              for the helper if need be
on_post_build, on_build_error  stop the helper
"""
from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, InclusionLevel  # noqa: E402

from kb.render import islands

from kb.build import offload# noqa: E402
from kb.build.preview import PREVIEW, cache_dir_for, materialise  # noqa: E402
from kb.render.pages import COMPILED_TEMPLATES  # noqa: E402
from kb.publish.files import data_paths, data_files, other_files, site_files  # noqa: E402
from kb.publish.sanitize import sanitize_html  # noqa: E402
from kb.build.session import ContentErrors, build_site, collector_paused  # noqa: E402

_site = None
_helper: offload.Helper | None = None
_pending: dict[str, File] = {}  # site path -> File whose content the helper computes
_unclean: set[str] = set()  # pages (src_uri) whose HTML the helper is still sanitising
_pending_data = None  # the helper's future for those contents
log = logging.getLogger("mkdocs.hooks.kb")
# mkdocs serve looks for edited files every 0.5 s: on average a quarter of a second lost
# before each rebuild. Every 0.2 s costs a directory walk of about 3 ms at 1,000 files.
SERVE_POLLING_SECONDS = 0.2


def on_startup(command, dirty):
    if command == "serve":
        from mkdocs.livereload import LiveReloadServer

        init = LiveReloadServer.__init__
        if init.__defaults__ == ("/", 0.5, 0.25):  # mount_path, polling_interval, shutdown_delay (MkDocs 1.6)
            init.__defaults__ = ("/", SERVE_POLLING_SECONDS, 0.25)


def on_config(config):
    global _site, _helper
    _stop_helper()
    if _incremental():
        _collect_later(None)  # no collection during a rebuild (see _collect_later)
    helper = not _incremental() and offload.available()
    try:
        with collector_paused():
            # KB_INCREMENTAL=1 (make serve-rapide): reuse what the previous rebuild made (kb.build.preview)
            _site = (PREVIEW.site if _incremental() else build_site)(Path(config.docs_dir))
            if helper:
                # What exists now lives for the whole build: keep the garbage collector from
                # walking it again and again (and the helper from copying memory it touches).
                # Frozen before the collector runs again, which would walk it all at once.
                gc.freeze()
    except ContentErrors as errors:
        raise PluginError(str(errors)) from None
    if helper:
        # started now, the helper renders the first pages while MkDocs gathers its files
        try:
            _helper = offload.Helper(_site)
        except (OSError, NotImplementedError) as error:  # no fork, no semaphores (/dev/shm)…
            gc.unfreeze()
            log.info(f"Processus auxiliaire indisponible ({error}) : construction dans un seul processus.")
        else:
            log.info("Pages rendues et nettoyées par un processus auxiliaire, en parallèle de MkDocs "
                     "(KB_PARALLELE=0 pour tout faire dans un seul processus).")
    return config


def on_files(files, config):
    global _pending_data
    for file in list(files):
        if file.src_uri.endswith(".md"):
            files.remove(file)
    # KB_INCREMENTAL=1 (make serve-rapide): pages become files that change only when
    # their text does, so that `mkdocs serve --dirty` rebuilds only those (kb.build.preview)
    on_disk = materialise(_site.pages, cache_dir_for(Path(config.docs_dir))) if _incremental() else {}
    for page in _site.pages:
        if page.path in on_disk:
            generated = File.generated(config, page.path, abs_src_path=str(on_disk[page.path]))
        elif _helper:
            generated = File.generated(config, page.path, content="")  # see on_page_read_source
        else:
            generated = File.generated(config, page.path, content=page.markdown)
        if not page.in_nav:
            generated.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(generated)
    # open data, feeds, JSON Schemas, /admin/ editor (kb.publish.files)
    args = (config.site_name, config.site_url, config.repo_url)
    if _helper:  # open data and feeds computed by the helper, put in place by on_env
        published = other_files(_site, *args)
        _pending_data = _helper.call(data_files, *args)
        for path in data_paths(_site, config.site_url):
            _pending[path] = File.generated(config, path, content=b"")
            files.append(_pending[path])
    elif _incremental():
        published = {**PREVIEW.files(args, lambda: data_files(_site, *args)),
                     **PREVIEW.files(args, lambda: other_files(_site, *args), content_free=True)}
    else:
        published = site_files(_site, *args)
    for path, data in published.items():
        if isinstance(data, Path):
            files.append(File.generated(config, path, abs_src_path=str(data)))
        else:
            files.append(File.generated(config, path, content=data))
    return files


def on_page_read_source(page, config):
    if not _helper:
        return None
    try:
        return _helper.markdown(page.file.src_uri)
    except offload.RenderError as error:
        _stop_helper()
        raise PluginError(f"rendu de la page {page.file.src_uri} impossible : {error}") from None
    except KeyError:  # not one of the generated pages, or asked for twice
        _stop_helper()
        raise PluginError(f"page {page.file.src_uri} inconnue du processus auxiliaire") from None
    except Exception as error:  # the helper itself failed (killed, out of memory…)
        _stop_helper()
        raise PluginError(f"le processus auxiliaire s'est arrêté ({type(error).__name__}: {error}) ; "
                          "relancez avec KB_PARALLELE=0 pour tout faire dans un seul processus") from None


def on_page_content(html, page, config, files):
    # anchors inside generated HTML blocks, which Markdown stored without reading (kb.render.islands)
    if not _helper:
        page.present_anchor_ids.update(islands.anchor_ids(page.markdown))
        return sanitize_html(html)
    page.present_anchor_ids.update(_helper.anchor_ids(page.file.src_uri))
    # cleaned in the helper; put in place batch after batch (the raw HTML is freed then),
    # and from on_env on. MkDocs sets this page's content from what this function returns:
    # only pages of earlier batches are put in place here.
    if _helper.sanitize(page, html):
        _put_in_place(_helper.sanitized(wait=False))
    _unclean.add(page.file.src_uri)
    return html


def _put_in_place(cleaned) -> None:
    for done, clean in cleaned:
        done.content = clean
        _unclean.discard(done.file.src_uri)


def on_env(env, config, files):
    # the theme's templates too are compiled once per process (a live preview rebuilds often)
    env.bytecode_cache = COMPILED_TEMPLATES
    # every page has been read and converted: from here on MkDocs writes the files out
    if _helper:
        try:
            _helper.flush()  # the last pages read: cleaned while MkDocs writes the first ones
            _put_in_place(_helper.sanitized(wait=False))
            data = _pending_data.result()
            if data.keys() != _pending.keys():
                raise RuntimeError(f"fichiers attendus {sorted(_pending)}, reçus {sorted(data)}")
            for path, content in data.items():
                _pending.pop(path).content_bytes = content
        except Exception as error:
            _stop_helper()
            raise PluginError(f"données ouvertes et flux impossibles à produire : {error}") from error
    return env


def on_page_context(context, page, config, nav):
    # MkDocs writes the pages in the order it read them: the helper has cleaned most of them
    if page.file.src_uri in _unclean:
        try:
            _put_in_place(_helper.sanitized(wait=False, until=page))
        except Exception as error:
            _stop_helper()
            raise PluginError(f"nettoyage du HTML de la page {page.file.src_uri} impossible : {error}") from error
    if page.file.src_uri in _unclean:  # never write a page whose HTML was not sanitised
        raise PluginError(f"HTML de la page {page.file.src_uri} non nettoyé")
    return context


def on_post_build(config):
    _stop_helper()
    if _incremental():
        _collect_later(COLLECT_AFTER_SECONDS)


def on_build_error(error):
    _stop_helper()
    if _incremental():
        _collect_later(COLLECT_AFTER_SECONDS)


# Live preview (make serve-rapide): an automatic collection of cyclic garbage in the middle
# of a rebuild walks every object the preview keeps (graph, pages…) and delays the reload.
# The collector stays off; the garbage of each rebuild is collected once it is over, while
# the server waits for the next edit.
COLLECT_AFTER_SECONDS = 0.5
_collector: threading.Timer | None = None


def _collect_later(delay: float | None) -> None:
    global _collector
    if _collector is not None:
        _collector.cancel()
        _collector = None
    gc.disable()
    if delay is not None:
        _collector = threading.Timer(delay, gc.collect)
        _collector.daemon = True
        _collector.start()


def _incremental() -> bool:
    return bool(os.environ.get("KB_INCREMENTAL"))


def _stop_helper():
    global _helper, _pending_data
    if _helper:
        _helper.close()
        _helper = None
        _pending.clear()
        _unclean.clear()
        _pending_data = None
        gc.unfreeze()
