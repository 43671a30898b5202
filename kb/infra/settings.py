"""Settings of one build: paths and switches, in one typed object built once.

Every entry point (the MkDocs adapter, ``python -m kb``, the tests, the benchmark)
builds a ``Settings`` and hands it to the build session (kb.assemble.session); no
other module reads the environment or computes the project's root from its own
location. Tests build one in memory (``Settings.for_project(tmp, ...)``).

Environment variables are read here only, in ``Settings.from_environment``:

  SOURCE_DATE_EPOCH   build date (reproducible builds; the Makefile exports the last commit's date)
  KB_SITE_URL         public address of the site (also read by mkdocs.yml through !ENV)
  KB_DEPOT            owner/name of the repository the editor and the links point to
  GITHUB_REPOSITORY   the same, as GitHub Actions gives it
  KB_DECAP_AUTH_URL   OAuth service of the /admin/ editor (Decap's base_url)
  KB_PARALLELE        0: never use a process pool; 1: always (above the size threshold otherwise)
"""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

PLACEHOLDER_REPO = "a-configurer/cooperations-territoriales"
SITE_NAME = "Coopérations territoriales"
_GITHUB_URL = re.compile(r"^https?://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$")


def repo_from_url(repo_url: str | None) -> str | None:
    """'https://github.com/owner/name' -> 'owner/name' (None for another host)."""
    match = _GITHUB_URL.match(repo_url or "")
    return match.group(1) if match else None


def epoch_to_date(raw: str | None) -> date | None:
    """SOURCE_DATE_EPOCH as a UTC day; None when unset, invalid or 0 ("unknown", what the
    Makefile exports outside a git clone)."""
    try:
        epoch = int(str(raw or "").strip())
    except ValueError:
        return None
    return datetime.fromtimestamp(epoch, tz=timezone.utc).date() if epoch > 0 else None


def last_commit_epoch(root: Path) -> str:
    """The last commit's date as a Unix time ("0" outside a git clone)."""
    try:
        result = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "0"
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "0"


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data: its !ENV values are left unresolved (None)."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: None)


def read_site_config(path: Path) -> dict:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


# mkdocs.yml ``extra:`` key -> Settings field (« depot » is the repository's address)
EXTRA_KEYS = {"depot": "depot", "branche": "branch", "editeur": "publisher",
              "directeur_publication": "director", "contact": "contact", "hebergeur": "host"}


def extra_values(extra: dict) -> dict:
    """The settings mkdocs.yml gives under ``extra:``, as text (empty values left out)."""
    return {field: str(extra[key]).strip() for key, field in EXTRA_KEYS.items()
            if extra.get(key) not in (None, "")}


@dataclass(frozen=True)
class Settings:
    root: Path  # the project: content/, data/, mkdocs.yml, overrides/
    content_dir: Path
    data_dir: Path
    site_dir: Path
    cache_dir: Path  # scratch files
    node_modules_dir: Path  # pinned front-end packages (package-lock.json), installed by `npm ci`
    site_name: str = SITE_NAME
    site_url: str | None = None
    repo_url: str | None = None  # https://github.com/owner/name, from mkdocs.yml
    repository: str = PLACEHOLDER_REPO  # owner/name
    decap_auth_url: str | None = None
    branch: str = "main"
    # who publishes the site (the « Mentions légales » page; mkdocs.yml extra:)
    publisher: str = ""
    director: str = ""
    contact: str = ""
    host: str = ""
    build_date: date = field(default_factory=date.today)
    source_date_epoch: str = "0"
    parallel: bool | None = None  # None: decided by the size of the content
    # a build for publication (KB_SITE_URL set, as the publishing workflow does): not a live
    # preview, although MkDocs gives `mkdocs serve` a site address of its own (127.0.0.1)
    publication: bool = False

    @property
    def references_file(self) -> Path:
        """data/references.yml beside the content folder (a test corpus brings its own)."""
        return self.content_dir.parent / "data" / "references.yml"

    @property
    def overrides_dir(self) -> Path:
        return self.root / "overrides"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def repository_url(self) -> str:
        return f"https://github.com/{self.repository}"

    @classmethod
    def for_project(cls, root: Path, *, content_dir: Path | None = None, site_dir: Path | None = None,
                    **values) -> "Settings":
        """Settings for the project at ``root`` with explicit values (tests build them this way)."""
        root = Path(root).resolve()
        return cls(root=root, content_dir=Path(content_dir or root / "content").resolve(),
                   data_dir=Path(values.pop("data_dir", root / "data")).resolve(),
                   site_dir=Path(site_dir or root / "site").resolve(),
                   cache_dir=Path(values.pop("cache_dir", root / ".cache")).resolve(),
                   node_modules_dir=Path(values.pop("node_modules_dir", root / "node_modules")), **values)

    @classmethod
    def from_environment(cls, root: Path, environ=None, **values) -> "Settings":
        """Settings for the project at ``root``, completed from the environment (read here only).
        Explicit ``values`` (from mkdocs.yml or the command line) win over the environment."""
        env = os.environ if environ is None else environ
        root = Path(root).resolve()
        epoch = values.pop("source_date_epoch", None) or env.get("SOURCE_DATE_EPOCH") or last_commit_epoch(root)
        repo_url = values.get("repo_url")
        values.update(extra_values(values.pop("extra", None) or {}))
        repo_url = values.pop("depot", None) or repo_url
        repository = (env.get("KB_DEPOT") or env.get("GITHUB_REPOSITORY") or repo_from_url(repo_url)
                      or PLACEHOLDER_REPO)
        switch = env.get("KB_PARALLELE", "").strip().lower()
        parallel = {"0": False, "non": False, "false": False, "1": True, "oui": True, "true": True}.get(switch)
        defaults = dict(site_url=env.get("KB_SITE_URL") or None, repository=repository,
                        decap_auth_url=env.get("KB_DECAP_AUTH_URL") or None,
                        build_date=epoch_to_date(epoch) or date.today(), source_date_epoch=str(epoch),
                        parallel=parallel, publication=bool(env.get("KB_SITE_URL")))
        defaults.update({k: v for k, v in values.items() if k not in ("content_dir", "site_dir")})
        return cls.for_project(root, content_dir=values.get("content_dir"), site_dir=values.get("site_dir"),
                               **defaults)

    @classmethod
    def from_project(cls, root: Path, environ=None, **values) -> "Settings":
        """``from_environment`` completed with the names mkdocs.yml gives (site name, repository):
        for the command line, which does not go through MkDocs."""
        config = read_site_config(Path(root) / "mkdocs.yml")
        found = {k: config[k] for k in ("site_name", "repo_url") if isinstance(config.get(k), str)}
        if isinstance(config.get("extra"), dict):
            found["extra"] = config["extra"]
        return cls.from_environment(root, environ, **{**found, **values})

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
