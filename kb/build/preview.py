"""Live preview (make serve-rapide): rebuild what an edit changes, reuse the rest.

Two mechanisms, both kept between the rebuilds of one preview session:

- ``Preview.site`` renders again only the pages an edit can have changed.
  The vocabularies and other data files, the templates and the build date are
  read by every page: when one of them changes, every page is rendered again.
  Otherwise:
  - when no front matter changed (the usual case while writing a text: the
    body of a record is shown on its own page only), the graph is reused
    (with the new records put in), and only the pages of records whose file
    changed are rendered again;
  - when some front matter changed (a title, a theme, a new case…), the graph
    is built again and compared with the previous one key by key
    (kb.graph.tracking.changes); a page is rendered again when its own inputs
    changed or when it had read one of the changed keys (its ``reads``, noted
    while it was rendered). A new title re-renders the case's page and the
    pages that list the case, not the other two thousand.
- ``materialise`` writes each generated page under a cache folder, and rewrites
  it only when its Markdown differs from the last time: the site generator
  (`mkdocs serve --dirty`) then sees which pages really changed and converts
  only those.

tests/test_incremental.py checks, edit after edit, that the pages of the
preview are exactly those of a full build, and how many pages each edit renders.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

from ..render.freshness import build_date
from ..graph.build import Graph, build_graph, features
from ..render.pages import TEMPLATES, GeneratedPage, generate_pages
from ..build.session import ContentErrors, Site, collector_paused
from ..graph.tracking import changes
from ..content.validate import Content, forget_vocabularies, load_content

ROOT = Path(__file__).resolve().parents[2]
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


def _same_record(a, b) -> bool:
    """Two records look the same on other pages than their own (bodies aside)."""
    return a is b or _record_shape(a) == _record_shape(b)


class Preview:
    """The state a live preview keeps from one rebuild to the next."""

    def __init__(self):
        self._inputs: tuple | None = None  # what every page is made from (data, templates, date)
        self._shapes: dict | None = None  # (kind, id) -> everything of a record but its body
        self._shape_of: dict[int, tuple] = {}  # id(record) -> (record, shape), for the current records
        self._features: dict | None = None  # what "coopérations proches" are computed from
        self._rows: dict = {}  # rows of tables of cases, kept while the inputs are the same (kb.render.pages)
        self._data_stamp: tuple | None = None
        self._graph: Graph | None = None
        self._pages: dict[str, GeneratedPage] = {}
        self._files: dict[tuple, dict] = {}
        self._other_files: dict[tuple, dict] = {}

    def site(self, content_dir: Path) -> Site:
        """Like kb.build.session.build_site, reusing what the last rebuild made from the same inputs."""
        with collector_paused():
            return self._site(Path(content_dir))

    def _site(self, content_dir: Path) -> Site:
        # vocabularies, departments, references: an edit there changes how every file is checked
        data_stamp = _stamp([DATA, Path(content_dir).parent / "data"])
        if data_stamp != self._data_stamp:
            forget_vocabularies()
            self._data_stamp = data_stamp
        content = load_content(Path(content_dir))
        if content.problems:
            raise ContentErrors(content.problems)
        inputs = (build_date().isoformat(), data_stamp, _stamp([TEMPLATES]))
        shapes = self._record_shapes(content)
        same_inputs = inputs == self._inputs and self._graph is not None
        same_shapes = same_inputs and shapes == self._shapes \
            and content.references == self._graph.content.references
        if same_shapes:  # same front matter everywhere: the indexes still hold; bodies come from `content`
            graph = dataclasses.replace(self._graph, content=content,
                                        cooperations=dict(sorted(content.cooperations.items())),
                                        recommendations=dict(sorted(content.recommendations.items())))
            changed = set()
            feats = self._features
        else:
            graph = build_graph(content)
            self._files.clear()
            feats = {cid: features(c) for cid, c in graph.cooperations.items()}
            if feats == self._features and self._graph.related_ids is not None:
                graph.related_ids = self._graph.related_ids  # a new title, summary, date… changes none
            changed = changes(self._graph, graph, _same_record) if same_inputs else None
        if not same_inputs:
            self._rows, self._other_files = {}, {}
        pages = generate_pages(graph, track=True, rows=self._rows)
        if changed is not None:
            for page in pages:
                before = self._pages.get(page.path)
                if before is None or before.reads is None or not before.reads.isdisjoint(changed):
                    continue
                # its own page shows a record's body: the same object means the same file
                same_own = before.record is page.record if same_shapes else before.inputs == page.inputs
                if same_own:
                    page.reuse(before.markdown, before.reads)
        self._inputs, self._shapes, self._graph = inputs, shapes, graph
        self._features = feats
        self._pages = {page.path: page for page in pages}
        return Site(content, graph, pages)

    def _record_shapes(self, content: Content) -> dict:
        """(kind, id) -> shape of every record, computed only for records read anew
        (kb.content.validate gives the records of unchanged files back as the same objects)."""
        out, kept = {}, {}
        for record in content.records():
            known = self._shape_of.get(id(record))
            if known is None or known[0] is not record:
                known = (record, _record_shape(record))
            kept[id(record)] = known
            out[(type(record).__name__, getattr(record, "id", None) or record.path)] = known[1]
        self._shape_of = kept
        return out

    def files(self, key: tuple, compute, content_free: bool = False) -> dict:
        """The site's other files, computed once per ``key`` and shape (open data, feeds…:
        no record body in them), or (``content_free``: schemas, editor) once per ``key`` while
        the data files and templates stay the same."""
        cache = self._other_files if content_free else self._files
        if key not in cache:
            cache[key] = compute()
        return cache[key]


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
