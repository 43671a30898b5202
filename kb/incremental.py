"""Live preview (make serve-rapide): rebuild what an edit changes, reuse the rest.

Two mechanisms, both kept between the rebuilds of one preview session:

- ``Preview.site`` skips work the edit cannot have changed. Every record's
  front matter (everything but its Markdown body), the references, the
  vocabularies, the templates and the build date form the site's *shape*. The
  body of a record is shown on its own page only; so when the shape is the same
  as at the previous rebuild (the usual case while writing a text), the graph
  is reused (with the new records put in), and every page keeps its previous
  Markdown except the pages of records whose file changed. Any other edit
  rebuilds the graph and renders every page.
- ``materialise`` writes each generated page under a cache folder, and rewrites
  it only when its Markdown differs from the last time: the site generator
  (`mkdocs serve --dirty`) then sees which pages really changed and converts
  only those. A change that affects other pages (a title shown in listings…)
  still rebuilds them, since every page is compared.

tests/test_incremental.py checks, edit after edit, that the pages of the
preview are exactly those of a full build.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

from .freshness import build_date
from .graph import Graph, build_graph
from .pages import TEMPLATES, GeneratedPage, generate_pages
from .site import ContentErrors, Site
from .validate import Content, forget_vocabularies, load_content

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
_known: dict[Path, tuple[bytes, str]] = {}  # file -> (digest, text) of what it holds, across rebuilds


def _record_shape(record) -> tuple:
    return (type(record).__name__,) + tuple(
        (f.name, getattr(record, f.name)) for f in dataclasses.fields(record) if f.name not in ("body", "body_line"))


def _stamp(folders) -> tuple:
    """Name, time and size of every file in ``folders`` (each folder once)."""
    out = []
    for folder in sorted({Path(f).resolve() for f in folders}):
        for path in sorted(folder.glob("**/*")) if folder.is_dir() else ():
            if path.is_file():
                stat = path.stat()
                out.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


def shape(content: Content, data_stamp: tuple = ()) -> int:
    """What every page but a record's own page is made from, as one hash."""
    inputs = [build_date().isoformat(), repr(sorted(content.references.items())), data_stamp,
              _stamp([TEMPLATES])]
    inputs.extend(repr(_record_shape(record)) for record in content.records())
    return hash(tuple(inputs))


class Preview:
    """The state a live preview keeps from one rebuild to the next."""

    def __init__(self):
        self._shape: int | None = None
        self._data_stamp: tuple | None = None
        self._graph: Graph | None = None
        self._pages: dict[str, GeneratedPage] = {}
        self._files: dict[tuple, dict] = {}

    def site(self, content_dir: Path) -> Site:
        """Like kb.site.build_site, reusing what the last rebuild made from the same inputs."""
        # vocabularies, departments, references: an edit there changes how every file is checked
        data_stamp = _stamp([DATA, Path(content_dir).parent / "data"])
        if data_stamp != self._data_stamp:
            forget_vocabularies()
            self._data_stamp = data_stamp
        content = load_content(Path(content_dir))
        if content.problems:
            raise ContentErrors(content.problems)
        current = shape(content, data_stamp)
        same = current == self._shape
        if same:  # same front matter everywhere: the indexes still hold; bodies come from `content`
            graph = dataclasses.replace(self._graph, content=content,
                                        cooperations=dict(sorted(content.cooperations.items())),
                                        recommendations=dict(sorted(content.recommendations.items())))
        else:
            graph = build_graph(content)
            self._files.clear()
        pages = generate_pages(graph)
        if same:
            for page in pages:
                before = self._pages.get(page.path)
                if before is not None and before.record is page.record:  # unchanged file: same object
                    page.reuse(before.markdown)
        self._shape, self._graph = current, graph
        self._pages = {page.path: page for page in pages}
        return Site(content, graph, pages)

    def files(self, key: tuple, compute) -> dict:
        """The site's other files (open data, feeds…: no record body in them), computed
        once per shape and ``key``."""
        if key not in self._files:
            self._files[key] = compute()
        return self._files[key]


PREVIEW = Preview()  # one per process: MkDocs reloads the hooks module at every rebuild


def cache_dir_for(content_dir: Path) -> Path:
    key = hashlib.sha1(str(Path(content_dir).resolve()).encode()).hexdigest()[:12]
    return ROOT / ".cache" / "pages" / key


def materialise(pages: list[GeneratedPage], cache_dir: Path) -> dict[str, Path]:
    """Write each page under ``cache_dir`` if its text changed; remove pages that are gone."""
    written = {}
    for page in pages:
        target = cache_dir / page.path
        text = page.markdown
        known = _known.get(target)
        if known is None or known[1] is not text:  # a reused page is the very same string
            data = text.encode("utf-8")
            digest = hashlib.blake2b(data, digest_size=16).digest()
            if known is None or known[0] != digest:
                if not (target.exists() and target.read_bytes() == data):
                    target.parent.mkdir(parents=True, exist_ok=True)
                    tmp = target.with_suffix(".tmp")
                    tmp.write_bytes(data)
                    os.replace(tmp, target)
            _known[target] = (digest, text)
        written[page.path] = target
    wanted = set(written.values())
    for stale in [p for p in cache_dir.rglob("*.md") if p not in wanted]:
        stale.unlink()
        _known.pop(stale, None)
    return written
