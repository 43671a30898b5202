"""Page bodies a live preview keeps from one rebuild to the next (``Bodies``).

After a save, a live preview lists every page again, but renders again only the pages whose
body could differ from the previous build's. A page's body is taken back from the previous
build when, together:
- the *frame* of the rendering is the same: the data files (vocabularies, groupings,
  glossary, départements…), the page templates, the build date and the settings the
  templates show (``frame``); otherwise every page is rendered again;
- the page has the same template and the same values (``GeneratedPage.inputs``: its own
  record compared whole, body included);
- none of the keys of the graph its rendering read (noted by kb.graph.tracking's views)
  changed value (``tracking.changes``), nor any key read to compute a value every page may
  use once computed (``Reads.shared``: when one of those changed, every page is rendered).

Nothing is declared by hand: what a page read is noted while it renders, and the values
are compared, never their names. tests/test_preview.py checks, after each kind of edit,
that the preview serves the site a full build writes, byte for byte, and renders few pages.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..graph import tracking
from ..graph.build import Graph
from ..render.pages import GeneratedPage


def folder_digest(digest, folder: Path) -> None:
    """Every file under ``folder``, by path and bytes, into ``digest``."""
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")


def data_digest(data_dir: Path) -> str:
    """The digest of the data files (vocabularies, départements, groupings, glossary…), which
    every file is checked against and every page may show."""
    digest = hashlib.sha256()
    folder_digest(digest, Path(data_dir))
    return digest.hexdigest()


def frame(*, data: str, templates_dir: Path, values: tuple) -> str:
    """The digest of what every page may read besides the graph: the data files (``data``:
    their ``data_digest``), the templates, and ``values`` (the build date, the settings the
    templates show, the glossary), by their ``repr``."""
    digest = hashlib.sha256()
    digest.update(data.encode("ascii") + b"\1")
    folder_digest(digest, Path(templates_dir))
    digest.update(b"\1" + repr(values).encode("utf-8"))
    return digest.hexdigest()


class Bodies:
    """The previous build's graph, frame and pages (bodies and reads)."""

    def __init__(self) -> None:
        self._frame: str | None = None
        self._graph: Graph | None = None
        self._reads: tracking.Reads | None = None
        self._pages: dict[str, GeneratedPage] = {}
        self._rows: dict = {}  # rows of tables of cases (kb.render.pages.Renderer), kept with the frame
        self.reused = 0  # bodies taken back by the last build

    def rows(self, frame_digest: str) -> dict:
        """The rows of tables of cases rendered by the previous builds, for this build's
        renderer to use and add to (emptied when the frame changed: a row shows vocabulary
        labels and the build date)."""
        if frame_digest != self._frame:
            self._rows = {}
        return self._rows

    def reuse(self, frame_digest: str, graph: Graph, reads: tracking.Reads, pages: list[GeneratedPage]) -> int:
        """Give ``pages`` (not yet rendered; ``graph``: the untracked graph they are rendered
        from, ``reads``: what its views note into) the bodies of the previous build that cannot
        differ; keep this build's for the next one. Returns how many bodies were taken back."""
        self.reused = 0
        if frame_digest == self._frame and self._graph is not None:
            changed = tracking.changes(self._graph, graph)
            if not self._reads.shared.isdisjoint(changed):
                changed = None  # a value every page may use changed
            else:  # still true of the pages kept, which will not compute the value again
                reads.shared |= self._reads.shared
        else:
            changed = None
        if changed is not None:
            for page in pages:
                before = self._pages.get(page.path)
                if (before is not None and before.reads is not None and before.rendered
                        and before.inputs == page.inputs and before.reads.isdisjoint(changed)):
                    page.provide(before.body, before.reads)
                    self.reused += 1
        self._frame, self._graph, self._reads = frame_digest, graph, reads
        self._pages = {page.path: page for page in pages}
        return self.reused
