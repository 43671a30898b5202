"""Files the built site serves besides its pages: open data, feeds, schemas, editor.

One function for the MkDocs hook (or any other generator) to call: it returns
site path -> content (bytes or str for generated files, Path for files copied
from an npm package).
"""
from __future__ import annotations

import os
from pathlib import Path

from ..publish import decap as decap
from ..publish import opendata as exports
from ..publish import feeds as feeds
from ..publish import schemas as schemas
from ..render.freshness import build_date
from ..render import ma_commune as ma_commune
from ..build.session import Site

PLACEHOLDER_REPO = "a-configurer/cooperations-territoriales"


def repository(repo_url: str | None = None, environ=None) -> str:
    """owner/name of the GitHub repository the editor opens pull requests on.

    KB_DEPOT, else GITHUB_REPOSITORY (set by GitHub Actions), else mkdocs.yml repo_url.
    """
    environ = os.environ if environ is None else environ
    return (environ.get("KB_DEPOT") or environ.get("GITHUB_REPOSITORY")
            or decap.repo_from_url(repo_url) or PLACEHOLDER_REPO)


def data_files(site: Site, site_name: str, site_url: str | None = None, repo_url: str | None = None,
               environ=None) -> dict[str, bytes]:
    """Open data and feeds: each made from the whole graph (the costly part)."""
    base = site_url or ""
    out = dict(exports.files(site.graph, base, site_name))
    out.update(feeds.files(site.graph, site_name, base, build_date(environ)))
    out.update(ma_commune.files(site.graph))  # « ma commune »: index of every commune, split
    return out


def data_paths(site: Site, site_url: str | None = None) -> list[str]:
    """The paths of ``data_files``, known without computing them."""
    return exports.paths(site.graph, site_url or "") + feeds.paths() + ma_commune.paths(site.graph)


def other_files(site: Site, site_name: str, site_url: str | None = None, repo_url: str | None = None,
                environ=None) -> dict[str, str | Path]:
    """JSON Schemas and the /admin/ editor (small, independent of the content)."""
    environ = os.environ if environ is None else environ
    out: dict[str, str | Path] = {f"{schemas.SITE_DIR}/{name}": text for name, text in schemas.schema_files().items()}
    out.update(decap.files(repository(repo_url, environ), site_name, site_url=site_url,
                           auth_url=environ.get("KB_DECAP_AUTH_URL") or None))
    return out


def site_files(site: Site, site_name: str, site_url: str | None = None, repo_url: str | None = None,
               environ=None) -> dict[str, bytes | str | Path]:
    """Every file of the site besides its pages: site path -> content."""
    return {**data_files(site, site_name, site_url, repo_url, environ),
            **other_files(site, site_name, site_url, repo_url, environ)}
