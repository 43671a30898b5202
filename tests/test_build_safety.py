"""`python -m kb build` (make build) is atomic and locked.

- A build that fails halfway (here: a strict-mode warning, found while the pages are
  converted, long after the old site would have been emptied) leaves the previous site
  as it was, and no scratch folder behind.
- A second build of the same site folder while one runs stops at once with a French message.
"""
from __future__ import annotations

import fcntl
import hashlib
import shutil
from pathlib import Path

from conftest import FIXTURES
from project_copy import kb_build, make_project


def _digest(site: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_failed_build_leaves_the_previous_site_in_place(fixture_build, tmp_path):
    config = make_project(tmp_path / "project", FIXTURES)
    site = tmp_path / "site"
    # the previous site: what `python -m kb build` made of the same content (conftest.fixture_build)
    shutil.copytree(fixture_build.site, site, symlinks=True)
    before = _digest(site)
    assert before == _digest(fixture_build.site)

    case = next((config.parent / "content" / "cooperations").glob("*.md"))
    case.write_text(case.read_text(encoding="utf-8") + "\nVoir [une page absente](absente.md).\n", encoding="utf-8")
    second = kb_build(config, site)
    assert second.returncode != 0
    assert "resté tel quel" in second.stderr
    assert _digest(site) == before
    # no scratch folder left behind (the lock file stays, empty)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.verrou", "project", "site"]


def test_a_second_build_of_the_same_site_is_refused(tmp_path):
    config = make_project(tmp_path / "project", FIXTURES)
    site = tmp_path / "site"
    with open(tmp_path / ".site.verrou", "a+") as held:  # a build in progress holds this lock
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = kb_build(config, site, timeout=120)
    assert result.returncode == 1
    assert "une autre construction" in result.stderr
    assert not site.exists()
