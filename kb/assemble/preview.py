"""A live preview that writes only the pages an edit changed (``Sources``).

A live preview (``make serve``: ``mkdocs serve --dirty``) rebuilds after every save. Every
stage still runs: the content is read and checked, the graph and every page's Markdown
made again, the published files written, the search index made from the written site; but
converting a page's Markdown and laying it out in the theme, most of a rebuild, is done only
for the pages whose Markdown is not what the previous build converted.

How: each page's whole Markdown (front matter and body) is written to a file of the
preview's folder (``Settings.cache_dir``/apercu/), rewritten only when its text changed, and
the site generator reads the page from there; its ``--dirty`` mode converts a page only when
that file is newer than the page it wrote. The site's other files made by the build (open
data, « Ma commune », schemas, editor, images) go through the same folder, so that only those
whose bytes changed are copied into the site again. What the Markdown does not show is in the
*frame* of every page: the theme and its overrides, mkdocs.yml (settings), the glossary
(the first use of each acronym explained in every page), the site's menu (the pages of the
navigation and their titles). ``Sources.frame`` digests them: when the digest changes, the
site folder is emptied and every page is written again, as in a full build. A new fiche is
not in the menu: the pages that list it have a new Markdown and are converted again, the
others not; what the build wrote for a fiche removed or renamed is deleted from the site
(``keep_only``), and the site map is written by the generator at every build. An edit of a
fiche, a title change or a new fiche therefore shows on every page that lists it, as a full
build would show it (tests/test_preview.py compares the whole site with a full build's after
each, tests/test_serve.py reads the pages in Chromium).

A build that is not a live preview (``mkdocs build``, ``python -m kb build``, the tests) does
not use this module: its pages come from memory, converted and laid out, all of them.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from .reuse import folder_digest

FOLDER = "apercu"


class Sources:
    """The preview's page sources (one file per page) and the digest of the frame of the
    previous build, kept for as long as the preview server runs."""

    def __init__(self, cache_dir: Path):
        self.folder = Path(cache_dir) / FOLDER
        self.previous_frame: str | None = None
        self._written: dict[str, str | bytes] = {}  # site path -> what this server wrote for it
        self._outputs: dict[str, str] = {}  # source path -> what the site generator wrote for it

    @staticmethod
    def frame(*, config_file: Path, overrides_dir: Path, theme_version: str, glossary: tuple, navigation) -> str:
        """The digest of what every page shows besides its own Markdown: ``navigation``, the
        (path, title) of the pages of the site's menu, in order."""
        digest = hashlib.sha256()
        digest.update(theme_version.encode("utf-8") + b"\0")
        digest.update(Path(config_file).read_bytes() + b"\0")
        folder_digest(digest, Path(overrides_dir))
        digest.update(repr(glossary).encode("utf-8") + b"\0")
        digest.update(repr(list(navigation)).encode("utf-8") + b"\0")
        return digest.hexdigest()

    def start(self, frame: str, site_dir: Path) -> bool:
        """A rebuild begins with this frame: when it differs from the previous build's, the
        site folder is emptied (every page and file is written again) and the page sources
        too. Returns whether everything is rebuilt."""
        changed = frame != self.previous_frame
        if changed:
            _empty(Path(site_dir))
            shutil.rmtree(self.folder, ignore_errors=True)
            self._written.clear()
            self._outputs.clear()
        self.previous_frame = frame
        return changed

    def keep_only(self, site_dir: Path, outputs: dict[str, str]) -> list[str]:
        """The end of a rebuild's list of pages and files: ``outputs`` maps the source path of
        each page and file of this build to the path the site generator writes it at. What an
        earlier build wrote for a page or file that is gone (a fiche removed or renamed) is
        removed from the site and from the sources, as a full build would not write it; the
        generator's ``--dirty`` mode would leave it. Returns the site paths removed."""
        removed = []
        for source, written in self._outputs.items():
            if outputs.get(source) != written:
                for stale in (Path(site_dir) / written, self.folder / source):
                    if stale.is_file() and ".." not in Path(written).parts:
                        stale.unlink()
                self._written.pop(source, None)
                removed.append(written)
        self._outputs = dict(outputs)
        return removed

    def write(self, path: str, content: str | bytes) -> Path:
        """The source file of the page or file at ``path`` (a site path such as
        « cooperations/x.md » or « donnees/cooperations.csv », made by kb.sitemap), rewritten
        only when ``content`` differs from what it holds: an unchanged page or file keeps the
        date the generator compares with what it wrote into the site (it converts an
        unchanged page, and copies an unchanged file, no more)."""
        target = self.folder / path
        if ".." in Path(path).parts or Path(path).is_absolute():
            raise ValueError(f"page path outside the preview's folder: {path!r}")
        if self._written.get(path) == content:  # what this server wrote there (the file is not read)
            return target
        data = content.encode("utf-8") if isinstance(content, str) else content
        try:
            if target.read_bytes() == data:
                self._written[path] = content
                return target
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        self._written[path] = content
        return target


def _empty(folder: Path) -> None:
    """Everything inside ``folder`` removed (the folder itself stays: the preview serves it)."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
