"""MkDocs hooks: thin adapters from MkDocs events onto the kb package.

on_config     load and validate content/, build the graph and the pages (kb.site)
on_files      replace the Markdown files of content/ by the generated pages; add the
              other generated files (open data, feeds, schemas, /admin/: kb.published)
on_page_content  sanitise each page's HTML (kb.sanitize)
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, InclusionLevel  # noqa: E402

from kb.incremental import cache_dir_for, materialise  # noqa: E402
from kb.published import site_files  # noqa: E402
from kb.sanitize import sanitize_html  # noqa: E402
from kb.site import ContentErrors, build_site  # noqa: E402

_site = None


def on_config(config):
    global _site
    try:
        _site = build_site(Path(config.docs_dir))
    except ContentErrors as errors:
        raise PluginError(str(errors)) from None
    return config


def on_files(files, config):
    for file in list(files):
        if file.src_uri.endswith(".md"):
            files.remove(file)
    # KB_INCREMENTAL=1 (make serve-rapide): pages become files that change only when
    # their text does, so that `mkdocs serve --dirty` rebuilds only those (kb.incremental)
    on_disk = materialise(_site.pages, cache_dir_for(Path(config.docs_dir))) \
        if os.environ.get("KB_INCREMENTAL") else {}
    for page in _site.pages:
        if page.path in on_disk:
            generated = File.generated(config, page.path, abs_src_path=str(on_disk[page.path]))
        else:
            generated = File.generated(config, page.path, content=page.markdown)
        if not page.in_nav:
            generated.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(generated)
    # open data, feeds, JSON Schemas, /admin/ editor (kb.published)
    for path, data in site_files(_site, config.site_name, config.site_url, config.repo_url).items():
        if isinstance(data, Path):
            files.append(File.generated(config, path, abs_src_path=str(data)))
        else:
            files.append(File.generated(config, path, content=data))
    return files


def on_page_content(html, page, config, files):
    return sanitize_html(html)
