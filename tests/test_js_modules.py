"""The site's scripts are ES modules sharing kb-common.js (kb-commune.js aside: the territories
code owns it): listed as modules in mkdocs.yml, no immediately-invoked functions, every name
they import exported by kb-common.js, and valid for Node's module parser. What they do is
checked in Chromium by the browser tests (sorting, maps, explorer, search)."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

SCRIPTS = ROOT / "overrides" / "assets" / "javascripts"
OWNED_ELSEWHERE = {"kb-commune.js"}
MODULES = sorted(p.name for p in SCRIPTS.glob("kb-*.js") if p.name not in OWNED_ELSEWHERE)
COMMON = (SCRIPTS / "kb-common.js").read_text(encoding="utf-8")
EXPORTED = set(re.findall(r"^export (?:async )?(?:function|const|let) (\w+)", COMMON, re.M))


class _Loader(yaml.SafeLoader):
    """mkdocs.yml as data: its !ENV values left unresolved."""


_Loader.add_constructor("!ENV", lambda loader, node: None)


def _listed() -> dict[str, str | None]:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=_Loader)  # noqa: S506
    out = {}
    for entry in config["extra_javascript"]:
        path, kind = (entry["path"], entry.get("type")) if isinstance(entry, dict) else (entry, None)
        out[path.rsplit("/", 1)[-1]] = kind
    return out


def test_every_script_is_listed_as_a_module():
    listed = _listed()
    for name in MODULES:
        if name in ("kb-common.js", "kb-admin.js"):
            # imported by the others; loaded by the editor's page only (kb.publish.decap)
            assert name not in listed
            continue
        assert listed.get(name) == "module", name


@pytest.mark.parametrize("name", [n for n in MODULES if n != "kb-common.js"])
def test_scripts_share_kb_common(name):
    text = (SCRIPTS / name).read_text(encoding="utf-8")
    assert not re.search(r"^\(function\s*\(", text, re.M), "immediately-invoked function"
    assert '"use strict"' not in text  # modules are strict already
    imports = re.findall(r'import \{([^}]*)\}\s*from\s*"\./kb-common\.js"', text)
    assert imports, "imports nothing from kb-common.js"
    names = {n.strip() for group in imports for n in group.split(",") if n.strip()}
    assert names <= EXPORTED, names - EXPORTED
    # no private copy of a shared helper
    for helper in EXPORTED:
        assert not re.search(rf"^\s*function {helper}\b", text, re.M), helper


@pytest.mark.skipif(shutil.which("node") is None, reason="node absent (installé avec npm)")
@pytest.mark.parametrize("name", MODULES)
def test_node_parses_each_module(name):
    result = subprocess.run(["node", "--check", "--input-type=module"], input=(SCRIPTS / name).read_bytes(),
                            capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
