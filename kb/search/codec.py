"""Byte-identical builds: put the search index's unordered parts in a fixed order.

Pagefind (1.5) writes its filter indexes, and the list of filters in its
metadata file, in the order of a Rust hash map, which changes from one run to
the next: two builds of the same commit then differ by a few files whose names
carry a content hash. This post-build step decodes those files (gzip + CBOR),
sorts what has no meaning as an order (filter values, the list of filters),
writes them back deterministically and renames them after their new content,
updating the references (metadata file, pagefind-entry.json). Fragments and
word indexes are already stable and are left untouched.

This reads and writes Pagefind's private file format, which may change in any
release: pyproject.toml pins the exact version it was written for
(``PAGEFIND_VERSION``), and ``check_version`` refuses any other one with a clear
message rather than write a broken index.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
PAGEFIND_VERSION = "1.5.2"


class FormatVersionError(RuntimeError):
    """The installed Pagefind is not the version this codec was written for."""


def installed_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind")
    except PackageNotFoundError:
        return None


def check_version(found: str | None = None) -> None:
    found = installed_version() if found is None else found
    if found != PAGEFIND_VERSION:
        raise FormatVersionError(
            f"Pagefind {found or 'absent'} installé, mais kb/search/codec.py ne connaît que le format de "
            f"Pagefind {PAGEFIND_VERSION} : installez pagefind[bin]=={PAGEFIND_VERSION} (make met "
            "l'environnement à jour), ou adaptez le codec à la nouvelle version.")


# --- minimal CBOR (RFC 8949), the subset Pagefind writes ------------------------------

def cbor_decode(data: bytes):
    value, end = _decode(data, 0)
    if end != len(data):
        raise ValueError("trailing bytes after CBOR value")
    return value


def _decode(data: bytes, i: int):
    head = data[i]
    major, info = head >> 5, head & 0x1F
    i += 1
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg = int.from_bytes(data[i:i + size], "big")
        if major == 7:
            raw = data[i:i + size]
            i += size
            if size == 2:
                return struct.unpack(">e", raw)[0], i
            if size == 4:
                return struct.unpack(">f", raw)[0], i
            if size == 8:
                return struct.unpack(">d", raw)[0], i
        i += size
    else:
        raise ValueError(f"unsupported CBOR item 0x{head:02x}")
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major == 2:
        return bytes(data[i:i + arg]), i + arg
    if major == 3:
        return data[i:i + arg].decode("utf-8"), i + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        pairs = []
        for _ in range(arg):
            key, i = _decode(data, i)
            value, i = _decode(data, i)
            pairs.append((key, value))
        return _Map(pairs), i
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], i
    raise ValueError(f"unsupported CBOR item 0x{head:02x}")


class _Map(list):
    """A CBOR map kept as its list of (key, value) pairs, in file order."""


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


def cbor_encode(value) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xF4 + [False, True, None].index(value)])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, _Map):
        return _head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value)
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    raise TypeError(type(value))


# --- Pagefind files -------------------------------------------------------------------------

def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name}: not a Pagefind file")
    return cbor_decode(data[len(SIGNATURE):])


def _write(path: Path, value) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + cbor_encode(value), compresslevel=9, mtime=0))


def _renamed(path: Path, value, old_hash: str) -> tuple[Path, str]:
    """Write ``value`` under a name whose hash part (``old_hash``, e.g. fr_2c9a231) is recomputed."""
    prefix = old_hash.rsplit("_", 1)[0] + "_"
    digits = len(old_hash) - len(prefix)
    new_hash = prefix + hashlib.sha256(cbor_encode(value)).hexdigest()[:digits]
    target = path.with_name(path.name.replace(old_hash, new_hash))
    path.unlink()
    _write(target, value)
    return target, new_hash


def _sort_key(item):
    return json.dumps(item, ensure_ascii=False, sort_keys=True, default=str)


def canonicalize_pagefind(bundle: Path) -> int:
    """Sort the hash-map-ordered parts of a Pagefind bundle; returns the number of files rewritten."""
    entry_path = bundle / "pagefind-entry.json"
    if not entry_path.exists():
        return 0
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    rewritten = 0
    for _language, info in sorted(entry.get("languages", {}).items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        # meta = [version, pages, index chunks, filters [[name, hash], …], sorts, …]
        filters = meta[3]
        renamed = []
        for name, old_hash in filters:
            path = bundle / "filter" / f"{old_hash}.pf_filter"
            value = _read(path)  # [name, [[value, [page numbers]], …]]
            value[1] = sorted(value[1], key=_sort_key)
            renamed.append([name, _renamed(path, value, old_hash)[1]])
            rewritten += 1
        meta[3] = sorted(renamed, key=_sort_key)
        if len(meta) > 4 and isinstance(meta[4], list):
            meta[4] = sorted(meta[4], key=_sort_key)
        info["hash"] = _renamed(meta_path, meta, info["hash"])[1]
        rewritten += 1
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return rewritten


def stable_search_index(site_dir: Path) -> int:
    """After the search index is written: make it byte-reproducible."""
    check_version()
    for bundle in sorted(p.parent for p in Path(site_dir).glob("*/pagefind-entry.json")):
        canonicalize_pagefind(bundle)
    return 0
