"""Files the built site serves besides its pages: open data, feeds, schemas, editor.

``site_files`` returns site path -> content (bytes or str; the files of pinned npm packages
as the bytes checked when they were read, kb.infra.assets), for any site generator to write.
"""
from __future__ import annotations

from pathlib import Path

from ..graph.build import Graph
from ..infra.settings import Settings
from ..render import discovery, ma_commune
from . import decap, feeds, opendata, schemas


def data_files(graph: Graph, settings: Settings) -> dict[str, bytes]:
    """Open data and feeds: each made from the whole graph."""
    base = settings.site_url or ""
    out = dict(opendata.files(graph, base, settings.site_name))
    out.update(feeds.files(graph, settings.site_name, base, settings.build_date))
    out.update(discovery.explorer_files(graph, settings.build_date))  # the explorer's rows
    out.update(ma_commune.files(graph))  # « ma commune »: index of every commune, split
    return out


def other_files(graph: Graph, settings: Settings) -> dict[str, str | Path]:
    """JSON Schemas and the /admin/ editor (independent of the records)."""
    data = graph.content.data
    out: dict[str, str | Path] = {f"{schemas.SITE_DIR}/{name}": text
                                  for name, text in schemas.schema_files(data).items()}
    out.update(decap.files(data, settings.repository, settings.site_name, site_url=settings.site_url,
                           auth_url=settings.decap_auth_url, node_modules=settings.node_modules_dir))
    return out


def site_files(graph: Graph, settings: Settings) -> dict[str, bytes | str | Path]:
    """Every file of the site besides its pages: site path -> content."""
    return {**data_files(graph, settings), **other_files(graph, settings)}
