"""The front-matter reader: every YAML trap becomes a French error with its line."""
from __future__ import annotations

import pytest

from kb.content.reader import MAX_FRONT_MATTER, ReadError, decode, read_text


def read(text: str):
    return read_text(decode(text.encode("utf-8")))


def error_of(raw: bytes | str) -> ReadError:
    raw = raw.encode("utf-8") if isinstance(raw, str) else raw
    with pytest.raises(ReadError) as info:
        read_text(decode(raw))
    return info.value


def test_yaml_11_booleans_dates_and_numbers_stay_text():
    doc = read("---\na: NO\nb: yes\nc: 2018-01-05\nd: 029\ne: 1e3\nf:\ng: ~\n---\ncorps\n")
    assert doc.data == {"a": "NO", "b": "yes", "c": "2018-01-05", "d": "029", "e": "1e3",
                        "f": None, "g": None}
    assert doc.body == "corps\n"


def test_lines_of_values_are_recorded():
    doc = read("---\ntitre: x\nterritoires:\n  - nom: A\n    type: commune\n  - nom: B\n---\n")
    assert doc.line_of(("titre",)) == 2
    assert doc.line_of(("territoires", 1, "nom")) == 6
    assert doc.line_of(("territoires", 0, "type")) == 5
    assert doc.line_of(("territoires", 1, "absent")) == 6  # falls back to the parent


@pytest.mark.parametrize("text, line, words", [
    ("---\na: &x [1]\nb: *x\n---\n", 2, "ancre"),
    ("---\na: *x\n---\n", 2, "alias"),
    ("---\ntitre: a\nb: 1\ntitre: c\n---\n", 4, "deux fois (lignes 2 et 4)"),
    ("---\ntitre: a\n\tb: c\n---\n", 3, "tabulation"),
    ("---\n- a\n- b\n---\n", 2, "liste de champs"),
    ("---\njuste une phrase\n---\n", 2, "liste de champs"),
    ("---\na: !!python/object:os.system x\n---\n", 2, "étiquette"),
    ("---\na: b\n", 1, "jamais fermé"),
    ("---\ntitre: a: b\n---\n", 2, "deux-points"),
    ("---\na: [b, c\n---\n", 3, "YAML illisible"),
])
def test_yaml_traps_are_french_errors_with_line(text, line, words):
    error = error_of(text)
    assert error.line == line
    assert words in error.message


def test_billion_laughs_is_refused_before_expansion():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8)) + "---\n"
    assert "ancre" in error_of(bomb).message


def test_front_matter_size_limit():
    big = "---\ntitre: " + "x" * (MAX_FRONT_MATTER + 10) + "\n---\n"
    assert "16 Ko" in error_of(big).message


def test_invalid_utf8_names_its_line():
    error = error_of(b"---\ntitre: ok\nresume: caf\xe9\n---\n")
    assert error.line == 3
    assert "UTF-8" in error.message


def test_bom_and_crlf_are_read_like_mkdocs():
    doc = read_text(decode(b"\xef\xbb\xbf---\r\ntitre: Brest\r\n---\r\nligne 1\r\nligne 2\r\n"))
    assert doc.data == {"titre": "Brest"}
    assert doc.body == "ligne 1\nligne 2\n"


def test_text_is_normalised_to_nfc():
    nfd = "Me\u0301tropole"
    doc = read(f"---\ntitre: {nfd}\n---\n{nfd}\n")
    assert doc.data["titre"] == "Métropole" and len(doc.data["titre"]) == 9
    assert doc.body == "Métropole\n"


def test_file_without_front_matter():
    doc = read("Juste du texte.\n")
    assert not doc.has_front_matter and doc.data is None


def test_bom_is_stripped_and_remembered():
    with_bom = read_text(decode(b"\xef\xbb\xbf---\ntitre: Brest\n---\ntexte\n"))
    without = read_text(decode(b"---\ntitre: Brest\n---\ntexte\n"))
    assert with_bom.bom is True and without.bom is False
    assert with_bom.data == without.data == {"titre": "Brest"}
    assert with_bom.body == without.body == "texte\n" and with_bom.body_line == 4


def test_python_frontmatter_handler_uses_the_safe_reader():
    import frontmatter
    from frontmatter.default_handlers import BaseHandler

    from kb.content.reader import HANDLER

    assert isinstance(HANDLER, BaseHandler)
    # the library's own split and load, with our handler: everything a string, aliases refused
    post = frontmatter.loads("---\ntitre: NO\nannee: 2018\n---\ncorps\n", handler=HANDLER)
    assert post.metadata == {"titre": "NO", "annee": "2018"} and post.content == "corps"
    with pytest.raises(ReadError) as error:
        frontmatter.loads("---\na: &x 1\nb: *x\n---\n", handler=HANDLER)
    assert "ancre" in error.value.message


@pytest.mark.parametrize("value", ['Titre: "guillemets" --- # dièse \\ fin', "yes", "null", "2018-01-05",
                                   "", "a\u00a0b", "  espaces  ", "- tiret", "[crochet", "&ancre *alias"])
def test_written_front_matter_reads_back_unchanged(value):
    from kb.content.reader import dumps

    text = dumps({"titre": value, "liste": [value, "x"], "objets": [{"nom": value, "type": "commune"}]},
                 "Corps.", notes={"titre": ["note"]})
    doc = read_text(text)
    assert doc.data == {"titre": value, "liste": [value, "x"], "objets": [{"nom": value, "type": "commune"}]}
    assert doc.body.strip() == "Corps."
