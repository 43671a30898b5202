"""Two builds of the same commit are byte-identical.

`python -m kb build` sets SOURCE_DATE_EPOCH from the last commit's date (as the
Makefile does); every generated file, compressed ones included (sitemap.xml.gz,
search index), must then come out the same, whatever the build folder, however
long apart the two builds run, and whatever order Python gives to sets and
dictionaries of strings: each build runs in its own process with its own
PYTHONHASHSEED, so that an order that depends on string hashes shows up.
"""
from __future__ import annotations

import gzip
import hashlib
import re
import time
from pathlib import Path

from project_copy import ROOT, configure_for_publication, kb_build, make_project


def digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _first_difference(a: Path, b: Path) -> str:
    da, db = a.read_bytes(), b.read_bytes()
    if da[:2] == db[:2] == b"\x1f\x8b":
        try:
            da, db = gzip.decompress(da), gzip.decompress(db)
            if da == db:
                return "contenu décompressé identique : en-tête gzip différent (date ?)"
        except OSError:
            pass
    i = next((i for i, (x, y) in enumerate(zip(da, db)) if x != y), min(len(da), len(db)))
    return f"octet {i} : {da[max(0, i - 60):i + 60]!r} / {db[max(0, i - 60):i + 60]!r}"


def test_two_builds_of_the_same_commit_are_identical(content_build, tmp_path):
    # the first build: the session's build of content/ (conftest), PYTHONHASHSEED=1
    assert content_build.env == {"PYTHONHASHSEED": "1"}
    sites = [content_build.site]
    time.sleep(max(0.0, 1.1 - (time.monotonic() - content_build.finished)))  # a clock-dependent timestamp would differ
    # the second: different project and site folders (no absolute path may leak into the
    # output), another process with another seed
    config = make_project(tmp_path / "project-2", ROOT / "content")
    assert config.parent != content_build.config.parent
    site = tmp_path / "site-2"
    result = kb_build(config, site, env={"PYTHONHASHSEED": "2"})
    assert result.returncode == 0, result.stdout + result.stderr
    sites.append(site)
    first, second = (digests(s) for s in sites)
    assert len(first) > 100
    assert any(name.endswith(".gz") for name in first)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == [], "\n".join(f"{name}: {_first_difference(sites[0] / name, sites[1] / name)}"
                                      for name in different[:10])


def test_build_date_comes_from_the_last_commit(tmp_path):
    """The sitemap's dates are the commit's day, not today's."""
    import subprocess

    epoch = int(subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                               capture_output=True, text=True).stdout.strip() or 0)
    config = make_project(tmp_path / "project", ROOT / "content")
    configure_for_publication(config)  # a public address requires the site's settings
    # as a contributor runs it (no SOURCE_DATE_EPOCH), with a site URL so that the sitemap lists pages
    env = {"SOURCE_DATE_EPOCH": "", "KB_SITE_URL": "https://cooperations.example.org/", "KB_DEPOT": "",
           "GITHUB_REPOSITORY": ""}
    result = kb_build(config, tmp_path / "site", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text()
    day = time.strftime("%Y-%m-%d", time.gmtime(epoch))
    assert sitemap.count("<url>") > 100
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {day}
    with gzip.open(tmp_path / "site" / "sitemap.xml.gz") as f:
        assert f.read().decode() == sitemap
    # MkDocs stamps the gzip header with the build day (midnight UTC)
    assert int.from_bytes((tmp_path / "site" / "sitemap.xml.gz").read_bytes()[4:8], "little") == epoch - epoch % 86400
