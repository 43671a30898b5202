"""Unit tests of the graph and of the search index codec, with expectations computed by hand."""
from __future__ import annotations

import gzip
import json
import math

import pytest

from kb.content.model import Cooperation, Partner
from kb.graph.build import related_cooperations
from kb.search import codec


def coop(cid: str, themes: list[str], partners: list[str]) -> Cooperation:
    return Cooperation(kind="cooperation", id=cid, path=f"cooperations/{cid}.md", titre=cid.upper(), body="",
                       themes=themes, territoires=[Partner(nom=p, type="commune") for p in partners],
                       statut="en-cours", date_ajout="2026-01-01")


def test_related_cases_by_hand():
    """Four cases; a shared feature weighs ln(1 + n / cases having it), n = 4.

        A: énergie, X, Y        B: énergie, X, Z        C: santé, W, V        D: énergie, santé, Y, V

    énergie (3 cases) weighs ln(7/3) = 0.847; santé, X, Y, V (2 cases) ln 3 = 1.099.
      A: B = 0.847 + 1.099 (X) = 1.946, D = 0.847 + 1.099 (Y) = 1.946; C shares nothing
      B: A = 1.946 (énergie, X), D = 0.847 (énergie)
      C: D = 1.099 (santé) + 1.099 (V) = 2.197
      D: C = 2.197, A = 1.946, B = 0.847
    Ties go to the smaller id; a case sharing nothing is not listed."""
    cases = {c.id: c for c in (coop("a", ["energie"], ["X", "Y"]), coop("b", ["energie"], ["X", "Z"]),
                               coop("c", ["sante"], ["W", "V"]), coop("d", ["energie", "sante"], ["Y", "V"]))}
    assert math.isclose(math.log(1 + 4 / 3) + math.log(3), 1.946, abs_tol=1e-3)
    assert related_cooperations(cases) == {"a": ["b", "d"], "b": ["a", "d"], "c": ["d"], "d": ["c", "a", "b"]}
    assert related_cooperations(cases, k=1) == {"a": ["b"], "b": ["a"], "c": ["d"], "d": ["c"]}


# --- Pagefind's private format (kb.search.codec) ---------------------------------------------

@pytest.mark.parametrize("value", [0, 23, 24, 255, 256, 65536, 2 ** 40, -1, -25, "", "élu", b"\x00\xff",
                                   [], [1, [2, "x"]], True, False, None, 1.5])
def test_cbor_round_trip(value):
    assert codec.cbor_decode(codec.cbor_encode(value)) == value


def test_cbor_known_encodings():
    # RFC 8949, appendix A
    assert codec.cbor_encode(10) == bytes.fromhex("0a")
    assert codec.cbor_encode(1000) == bytes.fromhex("1903e8")
    assert codec.cbor_encode(-100) == bytes.fromhex("3863")
    assert codec.cbor_encode("IETF") == bytes.fromhex("6449455446")
    assert codec.cbor_encode([1, [2, 3]]) == bytes.fromhex("8201820203")
    assert codec.cbor_decode(bytes.fromhex("a201020304")) == [(1, 2), (3, 4)]  # maps keep their order
    with pytest.raises(ValueError):
        codec.cbor_decode(bytes.fromhex("0a0a"))


def _write(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(codec.SIGNATURE + codec.cbor_encode(value), mtime=0))


def _read(path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(codec.SIGNATURE)
    return codec.cbor_decode(data[len(codec.SIGNATURE):])


def test_canonical_bundle_does_not_depend_on_hash_map_order(tmp_path):
    """Two bundles that differ only by the order of filter values and filters come out the same."""
    outs = []
    for n, order in enumerate((lambda x: x, lambda x: list(reversed(x)))):
        bundle = tmp_path / f"b{n}"
        _write(bundle / "filter" / "f1.pf_filter", ["type", order([["Page", [1]], ["Coopération", [0, 2]]])])
        _write(bundle / "filter" / "f2.pf_filter", ["coop", order([["b", [2]], ["a", [0]]])])
        _write(bundle / "pagefind.m1.pf_meta", ["1.5.2", [], [], order([["type", "f1"], ["coop", "f2"]]), []])
        (bundle / "pagefind-entry.json").write_text(json.dumps({"version": "1.5.2", "languages": {
            "fr": {"hash": "m1", "wasm": "fr", "page_count": 3}}}), encoding="utf-8")
        codec.canonicalize_pagefind(bundle)
        files = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}
        outs.append(files)
    assert outs[0] == outs[1]
    meta_name = next(name for name in outs[0] if name.endswith(".pf_meta"))
    meta = _read(tmp_path / "b0" / meta_name)
    assert [name for name, _ in meta[3]] == ["coop", "type"]
    entry = json.loads(outs[0]["pagefind-entry.json"])
    assert meta_name == f"pagefind.{entry['languages']['fr']['hash']}.pf_meta"


def test_codec_refuses_another_pagefind_version():
    codec.check_version(codec.PAGEFIND_VERSION)
    with pytest.raises(codec.FormatVersionError, match="Pagefind 9.9.9 installé"):
        codec.check_version("9.9.9")
    assert codec.installed_version() == codec.PAGEFIND_VERSION
