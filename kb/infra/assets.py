"""Front-end files from the pinned npm packages, verified each time they are used.

package.json and package-lock.json pin the packages (map geometry, official geography, the
/admin/ editor, axe-core); ``npm ci --ignore-scripts`` (run by the Makefile) installs them into
``Settings.node_modules_dir``, checking each registry tarball against the lockfile's integrity.
Nothing here reaches the network.

An installed folder can still change afterwards (a CI cache restored from elsewhere, a hand,
a half-finished install), so npm's check at install time is not enough: every file the build
reads or publishes from node_modules is read once here, its sha256 compared with the list
kept in the repository (``npm-assets.json`` beside this module: package, version, the
lockfile's integrity of its tarball, and one sha256 per file used), and only the bytes that
were checked are used. The list is derived from the tarballs themselves, checked against
package-lock.json (scripts/npm_assets.py; tests/test_assets.py keeps the two in step). A
modified or missing file stops the build with a French message.
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
from functools import lru_cache
from pathlib import Path

MANIFEST = Path(__file__).with_name("npm-assets.json")
INSTALL_HINT = "relancez « make build » (ou « npm ci --ignore-scripts »), qui réinstalle les paquets épinglés"


class AssetError(RuntimeError):
    """A pinned front-end file is missing, unknown or not the pinned one."""


@lru_cache(maxsize=1)
def manifest() -> dict:
    """{"packages": {name: {"version", "integrity", "files": {relative path: sha256}}}}."""
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def package_files(package: str, pattern: str = "*") -> list[str]:
    """Paths (relative to the package) of the checked files of ``package`` matching ``pattern``."""
    return sorted(name for name in manifest()["packages"][package]["files"] if fnmatch.fnmatch(name, pattern))


def read(node_modules: Path, package: str, relative: str) -> bytes:
    """The bytes of one file of a pinned package, as installed under ``node_modules``, after
    checking them against the list; raises AssetError otherwise."""
    entry = manifest()["packages"].get(package)
    expected = entry["files"].get(relative) if entry else None
    where = f"{package}@{entry['version']}" if entry else package
    if expected is None:
        raise AssetError(f"{package}/{relative} : ce fichier ne figure pas dans la liste des fichiers npm "
                         "vérifiés (kb/infra/npm-assets.json) ; ajoutez-le avec « scripts/npm_assets.py »")
    path = Path(node_modules) / package / relative
    try:
        data = path.read_bytes()
    except OSError:
        raise AssetError(f"{path} : fichier introuvable (paquet npm {where}) ; {INSTALL_HINT}") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected:
        raise AssetError(f"{path} : ce fichier a été modifié, il n'est pas celui du paquet épinglé {where} "
                         f"(empreinte sha256 {digest}, attendue {expected}) ; la construction s'arrête "
                         f"sans le publier. Supprimez le dossier node_modules puis {INSTALL_HINT}")
    return data


def read_text(node_modules: Path, package: str, relative: str) -> str:
    return read(node_modules, package, relative).decode("utf-8")
