"""What content/ and data/ hold, read without following anything (stage 1).

Only what the content model knows is published from content/; nothing outside the
repository is ever read. The folders are walked with ``os.scandir`` and ``lstat``:
a symbolic link is never followed, a FIFO never opened (no hang), a device never
read. Every entry is one of:

- a Markdown file (``*.md``) outside the media folder: a page or a record;
- a medium in content/medias/ (the one media folder, where the /admin/ editor
  uploads): PNG, JPEG, WebP or GIF, recognised by its first bytes (its
  "magic number"), not only its extension, and of at most MAX_MEDIA_BYTES;
- a ``.yml`` file at the top of data/;

and anything else is a problem (French message naming the file): symbolic links
(even to a file of the repository: a link can be retargeted), FIFOs, devices,
sockets, unreadable entries, folders named ``*.md``, files with another Markdown
extension that MkDocs would read (``.markdown``, ``.mdown``…), any other file (an
``.html`` page, a script, a stylesheet…), and any Markdown file whose page would
land on a path the build writes (kb.sitemap.generated_path_at).

SVG is refused: an SVG is a document that can hold scripts, event handlers and
links to other hosts; sanitising it reliably is a project of its own, and the
maps and charts of the site are drawn by the build. Contributors convert a
drawing to PNG or WebP.

``read_regular`` is how every content file is then read: opened with O_NOFOLLOW
and O_NONBLOCK and checked to be a regular file, so that a file swapped for a
link or a FIFO between the walk and the reading is refused, not followed.

Invariant: ``inventory(...).media`` (also ``publishable_media``) is the complete
list of files of content/ that a build may copy into the site besides the pages
it generates from the Markdown files.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..content.messages import quote
from .. import sitemap

MARKDOWN_SUFFIX = ".md"
# the other extensions MkDocs reads as Markdown (mkdocs.utils.markdown_extensions)
OTHER_MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd")
MEDIA_FOLDER = sitemap.MEDIA_FOLDER
MAX_MEDIA_BYTES = 5 * 1024 * 1024
MAX_MEDIA_LABEL = "5 Mo"
# extension -> (format name, test of the first bytes)
MEDIA_TYPES = {
    ".png": ("PNG", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("JPEG", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("JPEG", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".webp": ("WebP", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    ".gif": ("GIF", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
}
MEDIA_LIST = "PNG, JPEG, WebP ou GIF"
# a file git needs to keep an empty media folder
PLACEHOLDERS = (".gitkeep",)


@dataclass
class Inventory:
    """Relative POSIX paths (to the content folder) of what may be read and published."""

    markdown: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)  # relative to the data folder
    problems: list[tuple[str, str]] = field(default_factory=list)  # (shown path, French message)


class NotRegular(OSError):
    """A file that is not (or no longer) a regular file: never read."""


def _kind_of(mode: int) -> str | None:
    """French name of what a non-regular, non-directory entry is."""
    if stat.S_ISLNK(mode):
        return "un lien symbolique"
    if stat.S_ISFIFO(mode):
        return "un tube nommé (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "un périphérique"
    if stat.S_ISSOCK(mode):
        return "une socket"
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    return "un fichier spécial"  # pragma: no cover - door, whiteout…


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of ``path`` if it is a regular file, never following a link nor opening a
    FIFO for good; at most ``limit`` + 1 bytes when ``limit`` is given. Raises NotRegular
    (or OSError)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | \
        getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if os.path.islink(path):
            raise NotRegular(f"{path}: lien symbolique") from None
        raise error
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(f"{path}: pas un fichier ordinaire")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read() if limit is None else handle.read(limit + 1)
    finally:
        os.close(fd)


def _walk(root: Path, problems: list, shown_root: str):
    """(relative POSIX path, lstat result) of every regular file below ``root``; every
    other entry becomes a problem. Iterative (no recursion limit), sorted, never follows."""
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        here = root / rel_dir if rel_dir else root
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name, reverse=True)
        except OSError as error:
            problems.append((f"{shown_root}/{rel_dir}".rstrip("/"),
                             f"dossier illisible ({error.strerror or error}) : vérifiez ses droits"))
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            shown = f"{shown_root}/{rel}"
            try:
                entry.name.encode("utf-8")
            except UnicodeEncodeError:
                problems.append((shown, "nom de fichier illisible (pas en UTF-8) : renommez-le"))
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as error:
                problems.append((shown, f"entrée illisible ({error.strerror or error})"))
                continue
            kind = _kind_of(info.st_mode)
            if kind:
                why = ("un lien pourrait publier un fichier de la machine qui construit le site ; "
                       "remplacez-le par le fichier lui-même") if stat.S_ISLNK(info.st_mode) else \
                    "supprimez-le"
                problems.append((shown, f"{kind} est interdit dans {shown_root}/ : seuls des fichiers "
                                        f"ordinaires sont lus ({why})"))
                continue
            if stat.S_ISDIR(info.st_mode):
                if entry.name.lower().endswith((MARKDOWN_SUFFIX, *OTHER_MARKDOWN_SUFFIXES)):
                    problems.append((shown, "un dossier ne peut pas porter un nom de fichier Markdown "
                                            f"({quote(entry.name)}) : renommez-le"))
                    continue
                stack.append(rel)
                continue
            if not os.access(here / entry.name, os.R_OK, follow_symlinks=False):
                problems.append((shown, "fichier illisible : vérifiez ses droits"))
                continue
            yield rel, info


def _media_problem(path: Path, rel: str, info) -> str | None:
    """Why a file of the media folder cannot be published, or None."""
    name = rel.rsplit("/", 1)[-1]
    suffix = Path(name).suffix.lower()
    if suffix == ".svg":
        return ("les images SVG sont refusées : un SVG peut contenir du script ; "
                f"convertissez-le en PNG ou en WebP")
    if suffix not in MEDIA_TYPES:
        return f"type de fichier refusé dans {MEDIA_FOLDER}/ : seules des images {MEDIA_LIST} sont publiées"
    if info.st_size > MAX_MEDIA_BYTES:
        size = f"{info.st_size / 1024 / 1024:.1f}".replace(".", ",")
        return f"image trop lourde : {size} Mo, {MAX_MEDIA_LABEL} au plus ; réduisez-la"
    label, test = MEDIA_TYPES[suffix]
    try:
        head = read_regular(path, 16)[:16]
    except OSError:
        return "fichier illisible"
    if not test(head):
        return (f"le contenu du fichier n'est pas une image {label} comme son extension l'annonce ; "
                f"seules des images {MEDIA_LIST} sont publiées")
    return None


def inventory(content_dir: Path, data_dir: Path | None = None, vocabulary_folders=(),
              content_label: str | None = None) -> Inventory:
    """Walk ``content_dir`` (and ``data_dir``) without following anything. ``vocabulary_folders``:
    the folders of the vocabularies' term pages (generated). ``content_label``: the folder's
    name as messages show it (default: its own name)."""
    content_dir = Path(content_dir)
    shown_root = content_label or content_dir.name
    out = Inventory()
    problems = out.problems
    try:
        root_info = os.lstat(content_dir)
    except OSError:
        problems.append((shown_root, "dossier de contenu introuvable"))
        return out
    if stat.S_ISLNK(root_info.st_mode) or not stat.S_ISDIR(root_info.st_mode):
        problems.append((shown_root, "le dossier de contenu doit être un vrai dossier (pas un lien "
                                     "symbolique ni un fichier)"))
        return out
    for rel, info in _walk(content_dir, problems, shown_root):
        shown = f"{shown_root}/{rel}"
        name = rel.rsplit("/", 1)[-1]
        lower = name.lower()
        first = rel.split("/", 1)[0] if "/" in rel else ""
        if first.casefold() == MEDIA_FOLDER:
            if lower in PLACEHOLDERS and info.st_size == 0:
                continue
            if lower.endswith(MARKDOWN_SUFFIX):
                problems.append((shown, f"le dossier {MEDIA_FOLDER}/ ne contient que des images : "
                                        "déplacez ce fichier Markdown"))
                continue
            problem = _media_problem(content_dir / rel, rel, info)
            if problem:
                problems.append((shown, problem))
            else:
                out.media.append(rel)
            continue
        if lower.endswith(OTHER_MARKDOWN_SUFFIXES):
            problems.append((shown, f"extension {quote(Path(name).suffix)} refusée : les fichiers Markdown "
                                    "se terminent par « .md » ; renommez-le"))
            continue
        if not name.endswith(MARKDOWN_SUFFIX):
            what = "fichier caché" if name.startswith(".") else "fichier"
            problems.append((shown, f"{what} refusé : content/ ne contient que des fichiers Markdown "
                                    f"(« .md ») et, dans {MEDIA_FOLDER}/, des images {MEDIA_LIST} ; "
                                    "tout autre fichier serait publié tel quel sur le site"))
            continue
        if name.startswith("."):
            problems.append((shown, "fichier caché refusé : renommez-le sans point initial"))
            continue
        taken = sitemap.generated_path_at(rel, vocabulary_folders)
        if taken:
            problems.append((shown, f"ce chemin est réservé au site généré ({quote(taken)}) : "
                                    "renommez ou déplacez le fichier"))
            continue
        out.markdown.append(rel)
    if data_dir is not None:
        _data_inventory(Path(data_dir), out)
    out.markdown.sort(key=lambda r: r.split("/"))
    out.media.sort()
    return out


def _data_inventory(data_dir: Path, out: Inventory) -> None:
    shown_root = data_dir.name
    try:
        info = os.lstat(data_dir)
    except OSError:
        return  # no data folder: the project's own vocabularies are used
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        out.problems.append((shown_root, "le dossier data/ doit être un vrai dossier (pas un lien "
                                         "symbolique ni un fichier)"))
        return
    for rel, _ in _walk(data_dir, out.problems, shown_root):
        if "/" in rel or not rel.endswith(".yml") or rel.startswith("."):
            out.problems.append((f"{shown_root}/{rel}", "fichier refusé : data/ ne contient que des "
                                                        "fichiers YAML (« .yml ») à sa racine"))
            continue
        out.data.append(rel)
    out.data.sort()


def publishable_media(content_dir: Path) -> list[str]:
    """The files of ``content_dir`` a build may copy into the site, relative POSIX paths:
    the allowed media of the media folder, and nothing else (Markdown files become pages
    through the generator). A build refuses to run when ``inventory`` reports problems;
    this list is what is left to publish once it has none."""
    return list(inventory(content_dir).media)
