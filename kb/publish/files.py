"""Files the built site serves besides its pages: open data, feeds, schemas, editor.

``site_files`` returns site path -> content (bytes or str; the files of pinned npm packages
as the bytes checked when they were read, kb.infra.assets), for any site generator to write.
Each producer lists its own files; ``merge`` puts them together and stops the build when
two of them write one path (compared as a case-insensitive disk would), naming both.
"""
from __future__ import annotations

from pathlib import Path

from ..graph.build import Graph
from ..infra.settings import Settings
from ..render import discovery, ma_commune
from . import decap, feeds, opendata, schemas


class PathClash(ValueError):
    """Two producers of the build write the same file of the site."""


def merge(produced: dict[str, dict]) -> dict:
    """The files of every producer (producer name -> {site path: content}) in one mapping;
    raises PathClash naming the path and both producers if two write one path."""
    out: dict = {}
    owner: dict[str, tuple[str, str]] = {}
    for producer, files in produced.items():
        for path, data in files.items():
            first = owner.get(path.casefold())
            if first is not None:
                raise PathClash(f"{path} : deux producteurs écrivent ce fichier du site, {first[0]} "
                                f"({first[1]}) et {producer} ; la construction est arrêtée")
            owner[path.casefold()] = (producer, path)
            out[path] = data
    return out


def producers(graph: Graph, settings: Settings, data_files=None) -> dict[str, dict]:
    """Every producer of files and what it writes: producer name -> {site path: content}.
    ``data_files(key, compute)``: for the producers that read only the data files (schemas,
    editor) and the settings named in ``key``, gives back what ``compute()`` gave for an equal
    key with the same data files (a live preview: kb.assemble.session)."""
    base = settings.site_url or ""
    data = graph.content.data
    if data_files is None:
        def data_files(key, compute):
            return compute()
    editor = (settings.repository, settings.site_name, settings.site_url, settings.decap_auth_url,
              settings.node_modules_dir)
    return {
        "kb.publish.opendata": opendata.files(graph, base, settings.site_name),
        "kb.publish.feeds": feeds.files(graph, settings.site_name, base, settings.build_date),
        "kb.render.discovery": discovery.explorer_files(graph, settings.build_date),  # the explorer's rows
        "kb.render.ma_commune": ma_commune.files(graph),  # « ma commune »: index of every commune, split
        "kb.publish.schemas": data_files("schemas", lambda: {
            f"{schemas.SITE_DIR}/{name}": text for name, text in schemas.schema_files(data).items()}),
        "kb.publish.decap": data_files(("decap", editor), lambda: decap.files(
            data, settings.repository, settings.site_name, site_url=settings.site_url,
            auth_url=settings.decap_auth_url, node_modules=settings.node_modules_dir)),
    }


def site_files(graph: Graph, settings: Settings, data_files=None) -> dict[str, bytes | str | Path]:
    """Every file of the site besides its pages: site path -> content (``data_files``: see
    ``producers``)."""
    return merge(producers(graph, settings, data_files))
