"""Site settings in one place, checked: a build for publication (a public address, KB_SITE_URL)
with a placeholder repository, publisher or publication director stops with a French message
naming the setting; a local build works and names the placeholders once; contribution links
never point to a repository other than the configured one."""
from __future__ import annotations

import logging

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from conftest import FIXTURES, ROOT
from kb.adapters.mkdocs import MkDocsAdapter
from kb.render.participate import PLACEHOLDER_REPO_URL, check_settings

GOOD = {"depot": "https://github.com/organisme/depot", "branche": "main", "editeur": "Réseau des agences",
        "directeur_publication": "La présidence du réseau", "contact": "", "hebergeur": "GitHub Pages"}


def config(site_url: str | None, **extra):
    overrides = {"docs_dir": str(FIXTURES), "site_url": site_url}
    if extra:
        overrides["extra"] = extra
    return load_config(str(ROOT / "mkdocs.yml"), **overrides)


def test_each_missing_setting_is_named():
    found = check_settings("a-configurer/cooperations-territoriales",
                           {"depot": PLACEHOLDER_REPO_URL, "editeur": "", "directeur_publication": " "})
    assert found.placeholders == ("depot", "editeur", "directeur_publication")
    text = found.publication_error()
    for name in ("extra.depot", "extra.editeur", "extra.directeur_publication"):
        assert name in text
    assert check_settings("organisme/depot", GOOD).messages == ()


def test_links_to_another_repository_than_the_configured_one_are_refused():
    found = check_settings("quelqu-un/copie", GOOD)
    assert any("quelqu-un/copie" in m and "organisme/depot" in m for m in found.messages)
    theme = check_settings("organisme/depot", GOOD, theme_repo_url="https://github.com/autre/depot")
    assert any(m.startswith("repo_url") for m in theme.messages)


def test_a_build_for_publication_with_placeholders_stops_with_the_settings_named(monkeypatch):
    monkeypatch.setenv("KB_SITE_URL", "https://exemple.fr/")
    adapter = MkDocsAdapter()
    with pytest.raises(PluginError) as error:
        adapter.on_config(config("https://exemple.fr/"))
    message = str(error.value)
    assert "extra.depot" in message and "extra.editeur" in message and "extra.directeur_publication" in message
    assert adapter.session is None  # stopped before anything was read


def test_a_build_for_publication_with_every_setting_goes_on(monkeypatch):
    monkeypatch.setenv("KB_SITE_URL", "https://exemple.fr/")
    monkeypatch.setenv("KB_DEPOT", "organisme/depot")
    adapter = MkDocsAdapter()
    adapter.on_config(config("https://exemple.fr/", **GOOD))
    assert adapter.session is not None
    from kb.assemble.session import template_context

    assert template_context(adapter.session.settings)["site_info"].repo_url == "https://github.com/organisme/depot"
    adapter.close()


def test_a_local_build_names_the_placeholders_once(caplog, monkeypatch):
    monkeypatch.delenv("KB_SITE_URL", raising=False)
    adapter = MkDocsAdapter()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.kb"):
        adapter.on_config(config(None))
        # the next build of a live preview: `mkdocs serve` gives it an address of its own
        adapter.on_config(config("http://127.0.0.1:8000/"))
    adapter.close()
    notices = [r.getMessage() for r in caplog.records if "Réglages encore à remplir" in r.getMessage()]
    assert len(notices) == 1
    assert "depot, editeur, directeur_publication" in notices[0]
    assert all(r.levelno < logging.WARNING for r in caplog.records if "Réglages" in r.getMessage())


def test_a_local_build_also_says_when_links_would_go_to_another_repository(caplog, monkeypatch):
    monkeypatch.setenv("KB_DEPOT", "quelqu-un/copie")
    adapter = MkDocsAdapter()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.kb"):
        adapter.on_config(config(None, **GOOD))
    adapter.close()
    notices = [r.getMessage() for r in caplog.records if "quelqu-un/copie" in r.getMessage()]
    assert len(notices) == 1 and "organisme/depot" in notices[0]
