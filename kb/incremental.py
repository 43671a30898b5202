"""Generated pages as files that change only when their text changes.

In memory, a generated page looks new at every build. For a live preview that
rebuilds after each edit (`mkdocs serve --dirty`), each page is written under a
cache folder, and rewritten only when its Markdown differs from the last time:
the site generator then sees which pages really changed and rebuilds only those.
Because every generated page (listings, term and territory pages, related
cases…) is compared, a change that affects other pages still rebuilds them.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .pages import GeneratedPage

ROOT = Path(__file__).resolve().parent.parent
_known: dict[Path, bytes] = {}  # file -> digest of what it holds, kept across rebuilds


def cache_dir_for(content_dir: Path) -> Path:
    key = hashlib.sha1(str(Path(content_dir).resolve()).encode()).hexdigest()[:12]
    return ROOT / ".cache" / "pages" / key


def materialise(pages: list[GeneratedPage], cache_dir: Path) -> dict[str, Path]:
    """Write each page under ``cache_dir`` if its text changed; remove pages that are gone."""
    written = {}
    for page in pages:
        target = cache_dir / page.path
        data = page.markdown.encode("utf-8")
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if _known.get(target) != digest:
            if not (target.exists() and target.read_bytes() == data):
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(".tmp")
                tmp.write_bytes(data)
                os.replace(tmp, target)
            _known[target] = digest
        written[page.path] = target
    wanted = set(written.values())
    for stale in [p for p in cache_dir.rglob("*.md") if p not in wanted]:
        stale.unlink()
        _known.pop(stale, None)
    return written
