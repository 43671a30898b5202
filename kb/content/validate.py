"""Load and validate every content file into typed records (stage 2).

Every problem becomes one line ``path:line: champ: message`` in French; all are
collected before anything stops, so a contributor sees every mistake at once.
"""
from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import fastjsonschema
from jsonschema import Draft202012Validator

from ..content.messages import cut, plural, quote, safe_line
from ..content import fields as F
from ..content import fieldtypes as T
from ..content import editorial, groupings, hygiene, identity, limits, publishable
from ..content.inventory import NotRegular, inventory, read_regular
from ..content.model import (Cooperation, Page, Partner, Recommendation, Reference, SourceDocument, names_partner,
                             typed)
from ..content.paths import territory_problems, vocabulary_problems
from ..content.reader import Document, ReadError, decode, parse_yaml, read_text, strip_bom
from ..content.vocab import ProjectData
from .. import sitemap

FOLDER_KINDS = {"cooperations": "cooperation", "recommandations": "recommandation",
                "sources": "document"}
RECORD_TYPES = {"cooperation": Cooperation, "recommandation": Recommendation,
                "document": SourceDocument, "page": Page}


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        # one safe line: values from content files are escaped and cut (kb.content.messages)
        return safe_line(f"{self.path}:{self.line}: {cut(self.field, 120)}: {self.message}")


@dataclass
class Content:
    cooperations: dict[str, Cooperation] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    documents: dict[str, SourceDocument] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    root: Path | None = None
    data: ProjectData | None = None  # the vocabularies and départements the files were checked against
    # files refused (kind -> identifier -> (path, front matter as read, or {})): their own problems are
    # reported; a reference to them is not « n'existe pas », and their references are still checked
    refused: dict[str, dict[str, tuple[str, dict]]] = field(default_factory=dict)

    def shown(self, rel: str) -> str:
        """A content path as a contributor sees it from the repository root."""
        return f"{self.root.name}/{rel}" if self.root else rel

    def records(self):
        yield from self.cooperations.values()
        yield from self.recommendations.values()
        yield from self.documents.values()
        yield from self.pages.values()


def kind_of(rel_path: str) -> str:
    parts = rel_path.split("/")
    return FOLDER_KINDS.get(parts[0], "page") if len(parts) > 1 else "page"


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation: for near-miss suggestions."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def suggest(value: str, choices: dict[str, str]) -> str | None:
    """The allowed identifier closest to ``value`` (choices: identifier -> label)."""
    wanted = normalise(value)
    if not wanted:
        return None
    index = {}
    for ident, label in choices.items():
        index.setdefault(normalise(ident), ident)
        index.setdefault(normalise(label), ident)
    if wanted in index:
        return index[wanted]
    close = difflib.get_close_matches(wanted, list(index), n=1, cutoff=0.6)
    return index[close[0]] if close else None


def _quote_list(items, limit: int = 25) -> str:
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown + (f" … ({len(items)} en tout)" if len(items) > limit else "")


def _schema(kind: str, data: ProjectData) -> dict:
    """The JSON Schema of a kind of content file, or of data/references.yml ("references")."""
    return F.references_schema(data) if kind == "references" else F.json_schema(kind, data)


# Compiled once per kind and version of the data files (ProjectData compares by stamp).
@lru_cache(maxsize=16)
def _validator(kind: str, data: ProjectData) -> Draft202012Validator:
    return Draft202012Validator(_schema(kind, data))


# The schema keywords the fast check understands the same way as jsonschema does;
# the published schema is JSON Schema 2020-12, fastjsonschema reads draft 7, which
# differs only by the name of ``dependentRequired`` (draft 7: ``dependencies``).
FAST_KEYWORDS = {"$id", "$schema", "title", "description", "x-labels", "type", "properties", "required",
                 "additionalProperties", "propertyNames", "items", "minItems", "uniqueItems", "enum",
                 "pattern", "format", "minLength", "maxLength", "minimum", "maximum", "anyOf",
                 "dependentRequired"}


def draft7(schema):
    """``schema`` (2020-12, as kb.content.fields builds it) in draft 7 terms, for fastjsonschema."""
    if isinstance(schema, list):
        return [draft7(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "$schema":
            out[key] = "http://json-schema.org/draft-07/schema#"
        elif key == "dependentRequired":
            out["dependencies"] = value
        elif key in ("properties", "x-labels"):  # names of fields, not keywords
            out[key] = {name: draft7(sub) for name, sub in value.items()}
        else:
            out[key] = draft7(value)
    return out


@lru_cache(maxsize=16)
def _fast_check(kind: str, data: ProjectData):
    """A compiled yes/no check of the same schema (fastjsonschema): most files are
    valid, and for them it is many times faster than jsonschema; a file it rejects
    goes through jsonschema, which names every problem."""
    return fastjsonschema.compile(draft7(_schema(kind, data)), use_default=False)


def _field_name(path) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (("." if out else "") + part)
    return out or "en-tête"


def _spec_at(kind: str, path) -> F.Field | None:
    """The Field describing the value at ``path`` (list indexes skipped)."""
    if kind == "references":
        kind, path = "reference", path[1:]
    fields, spec = F.MODEL[kind], None
    for part in path:
        if isinstance(part, int):
            continue
        spec = next((f for f in fields if f.name == part), None)
        if spec is None:
            return None
        fields = spec.fields
    return spec


_PATTERN_HINTS = {name: ftype.hint for name, ftype in T.REGISTRY.items()}  # from the field types
_TYPE_HINTS = {"array": "une liste est attendue, par exemple [valeur-1, valeur-2]",
               "object": "une liste de champs « nom: valeur » est attendue",
               "string": "un texte est attendu"}


def _schema_problems(kind: str, doc: Document, rel: str, data: ProjectData) -> list[Problem]:
    try:
        _fast_check(kind, data)(doc.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # jsonschema says what is wrong (or, if the fast check was stricter, that nothing is)
    vocabularies = data.vocabularies
    problems = []
    for error in _validator(kind, data).iter_errors(doc.data):
        path = tuple(error.absolute_path)
        spec = _spec_at(kind, path)
        v, value = error.validator, error.instance
        line = doc.line_of(path)
        name = _field_name(path)
        if v == "required":
            for missing in error.validator_value:
                if missing not in value:
                    problems.append(Problem(rel, line, _field_name(path + (missing,)),
                                            "champ obligatoire manquant"))
            continue
        if v == "additionalProperties" and "properties" in error.schema:
            allowed = list(error.schema["properties"])
            for extra in [k for k in value if k not in error.schema["properties"]]:
                hint = suggest(extra, {a: a for a in allowed})
                message = f"champ inconnu {quote(extra)}"
                message += f" ; vouliez-vous dire {quote(hint)} ?" if hint else ""
                problems.append(Problem(rel, doc.line_of(path + (extra,)), _field_name(path + (extra,)),
                                        f"{message} Champs permis : {_quote_list(allowed)}"))
            continue
        if v == "enum":
            if spec and spec.vocab:
                vocab = vocabularies[spec.vocab]
                choices = {t.id: t.label for t in vocab.terms.values()}
                what = f"n'est pas un terme du vocabulaire {quote(vocab.plural)}"
            else:
                deps = data.departements
                choices = {c: d.name for c, d in deps.items()}
                what = "n'est pas un code de département"
            hint = suggest(value, choices)
            message = f"{quote(value)} {what}"
            message += f" ; vouliez-vous dire {quote(hint)} ?" if hint else "."
            problems.append(Problem(rel, line, name,
                                    f"{message} Valeurs permises : {_quote_list(choices)}"))
            continue
        if v == "type":
            expected = error.validator_value
            expected = expected[0] if isinstance(expected, list) else expected
            message = _TYPE_HINTS.get(expected, f"type attendu : {expected}")
            problems.append(Problem(rel, line, name, message))
            continue
        if v == "pattern":
            hint = _PATTERN_HINTS.get(spec.type if spec else "", "format invalide")
            problems.append(Problem(rel, line, name, f"{quote(value)} : {hint}"))
            continue
        if v == "maxLength":
            problems.append(Problem(rel, line, name, f"trop long : {len(value)} caractères, "
                                    f"{error.validator_value} au plus"))
            continue
        if v == "minLength":
            problems.append(Problem(rel, line, name, "valeur vide"))
            continue
        if v == "minItems":
            wanted = plural(error.validator_value, "valeur attendue", "valeurs attendues")
            given = plural(len(value), "donnée", "données", none="aucune donnée")
            problems.append(Problem(rel, line, name, f"au moins {wanted}, {given}"))
            continue
        if v == "uniqueItems":
            problems.append(Problem(rel, line, name, "une même valeur est donnée deux fois"))
            continue
        if v == "anyOf":
            problems.append(Problem(rel, line, name, "une source indique soit « document » "
                                    "(un document de content/sources/), soit « reference » (une "
                                    "référence de data/references.yml), soit « titre » et « editeur »"))
            continue
        if v == "dependentRequired":
            for have, needed in error.validator_value.items():
                wanted = [n for n in needed if have in value and n not in value]
                if not wanted:
                    continue
                both = all(have in error.validator_value.get(n, ()) for n in wanted)
                message = (f"« {have} » et « {wanted[0]} » vont ensemble : donnez les deux ou aucun" if both
                           else f"« {have} » demande aussi « {wanted[0]} »")
                problems.append(Problem(rel, line, name, message))
            continue
        problems.append(Problem(rel, line, name, error.message))  # pragma: no cover
    return problems


def _check_date(text: str | None, partial: bool = False) -> bool:
    if not text:
        return True
    parts = [int(p) for p in str(text).split("-")]
    parts += [1] * (3 - len(parts)) if partial else []
    try:
        date(*parts)
    except (TypeError, ValueError):
        return False
    return True


def _date_problems(kind: str, doc: Document, rel: str) -> list[Problem]:
    problems = []

    def visit(fields, data, path):
        for f in fields:
            value = data.get(f.name) if isinstance(data, dict) else None
            if value is None:
                continue
            if f.type in ("date", "partial_date", "year_or_date") and isinstance(value, str) and \
                    re.match(F.PARTIAL_DATE, value) and not _check_date(value, f.type != "date"):
                problems.append(Problem(rel, doc.line_of(path + (f.name,)), _field_name(path + (f.name,)),
                                        f"{quote(value)} : cette date n'existe pas"))
            if f.type == "objects" and isinstance(value, list):
                for i, item in enumerate(value):
                    visit(f.fields, item, path + (f.name, i))

    visit(F.MODEL[kind], doc.data, ())
    return problems


def _identity_problems(doc: Document, rel: str, data: ProjectData, found: list[Problem] = ()) -> list[Problem]:
    """Partners checked against the official geography (kb.content.identity), in the same round
    as the schema: every partner the schema accepted (``found``: the problems already found,
    whose partners are skipped)."""
    problems = []
    partners = doc.data.get("territoires")
    if not isinstance(partners, list):
        return problems
    flawed = {p.field for p in found}
    for i, partner in enumerate(partners):
        prefix = f"territoires[{i + 1}]"
        if not isinstance(partner, dict) or any(f == prefix or f.startswith(prefix + ".")
                                                or f.startswith(prefix + "[") for f in flawed):
            continue
        for path, message in identity.partner_problems(i, partner, data):
            problems.append(Problem(rel, doc.line_of(path), _field_name(path), message))
    well_formed = [p if isinstance(p, dict) and not any(
        f == f"territoires[{i + 1}]" or f.startswith((f"territoires[{i + 1}].", f"territoires[{i + 1}]["))
        for f in flawed) else None for i, p in enumerate(partners)]  # between partners: the accepted ones
    for path, message in identity.cooperation_problems(well_formed, data):
        problems.append(Problem(rel, doc.line_of(path), _field_name(path), message))
    if problems or any(f.startswith(("territoires", "reciprocites")) for f in flawed):
        return problems  # « reciprocites » is checked against well-formed partners only
    return _reciprocity_problems(doc, rel, data)


def _reciprocity_problems(doc: Document, rel: str, data: ProjectData) -> list[Problem]:
    """Each entry of « reciprocites » names a partner of the fiche (its name or its code)."""
    partners = [identity.resolve(p, data) for p in doc.data.get("territoires") or []]
    names = {p.get("nom") or p.get("code"): p.get("nom") or p.get("code") for p in partners}
    problems = []
    for i, entry in enumerate(doc.data.get("reciprocites") or []):
        name = entry.get("partenaire", "")
        if not any(names_partner(name, p.get("nom"), p.get("code")) for p in partners):
            hint = suggest(name, names)
            message = f"{quote(name)} n'est pas un partenaire de cette fiche"
            message += f" ; vouliez-vous dire {quote(hint)} ?" if hint else "."
            path = ("reciprocites", i, "partenaire")
            problems.append(Problem(rel, doc.line_of(path), _field_name(path),
                                    f"{message} Partenaires : {_quote_list(quote(n) for n in names)}"))
    return problems


def _record(kind: str, ident: str, rel: str, doc: Document, project: ProjectData):
    data = dict(doc.data)
    base = dict(kind=kind, id=ident, path=rel, titre=data.pop("titre"), body=doc.body,
                body_line=doc.body_line)
    if kind == "cooperation":
        data["territoires"] = [identity.resolve(p, project) for p in data["territoires"]]
    data = typed(kind, data)  # every value of its field's type (kb.content.model)
    return RECORD_TYPES[kind](**base, **data)


# a content file is read whole into memory: beyond this, it is refused unread
MAX_FILE_BYTES = 1024 * 1024

RESERVED = sitemap.RESERVED_SOURCES


def load_references(path: Path, content: Content, project: ProjectData) -> None:
    """Read data/references.yml (identifier -> external publication) into ``content``."""
    if not os.path.lexists(path):
        return
    shown = f"{path.parent.name}/{path.name}"
    lines: dict = {}
    try:
        data = parse_yaml(strip_bom(decode(read_regular(path)))[0], lines) or {}
    except OSError as error:
        content.problems.append(Problem(shown, 1, "fichier", f"fichier illisible ({error.strerror or error})"))
        return
    except ReadError as exc:
        content.problems.append(Problem(shown, exc.line, _field_name(exc.field_path), exc.message))
        return
    doc = Document(data=data, body="", body_line=1, recorded_lines=lines)
    problems = _schema_problems("references", doc, shown, project) if isinstance(data, dict) else [
        Problem(shown, 1, "fichier", "le fichier doit associer des identifiants à des références")]
    problems += [Problem(shown, doc.line_of(path), _field_name(path), message)
                 for path, message in hygiene.value_problems(data)]
    problems = _once(problems)
    if not problems:
        for ident, item in data.items():
            problems += [Problem(shown, doc.line_of((ident, "date")), f"{ident}.date",
                                 f"{quote(item['date'])} : cette date n'existe pas")
                         for _ in [0] if item.get("date") and not _check_date(item["date"], partial=True)]
    if problems:
        content.problems.extend(problems)
        return
    content.references = {ident: Reference(id=ident, **item) for ident, item in sorted(data.items())}


def _checked(path: Path, rel: str, shown: str, kind: str, ident: str, data: ProjectData, today: date,
             reuse=None):
    """Read, parse and validate one file into (record or None, problems, front matter or None).
    A file refused has its future dates and its prose checked here too (a record that loads
    has them checked with the others, in load_content): every problem in one round.
    ``reuse(key, compute)``: gives back what ``compute()`` gave for an equal key earlier (a live
    preview: kb.assemble.memo); the key holds the file's bytes and everything checked with them
    but ``data``, which the caller's ``reuse`` answers for."""
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except NotRegular:
        return (None, [Problem(shown, 1, "fichier", "ce n'est plus un fichier ordinaire (lien "
                               "symbolique ou fichier spécial) : il n'est pas lu")], None)
    except OSError as error:
        return (None, [Problem(shown, 1, "fichier", f"fichier illisible ({error.strerror or error})")], None)
    if reuse is None:
        return _checked_bytes(raw, rel, shown, kind, ident, data, today)
    return reuse((raw, rel, shown, kind, ident, today),
                 lambda: _checked_bytes(raw, rel, shown, kind, ident, data, today))


def _checked_bytes(raw: bytes, rel: str, shown: str, kind: str, ident: str, data: ProjectData, today: date):
    """``_checked`` of a file's bytes."""
    try:
        if len(raw) > MAX_FILE_BYTES:
            raise ReadError(1, f"fichier trop long : plus de {MAX_FILE_BYTES // 1024} Ko ; "
                            "découpez-le en plusieurs fiches")
        doc = read_text(decode(raw))
    except ReadError as exc:
        result = (None, [Problem(shown, exc.line, _field_name(exc.field_path), exc.message)], None)
    else:
        if not doc.has_front_matter:
            result = (None, [Problem(shown, 1, "en-tête", "en-tête manquant : le fichier doit "
                                     "commencer par une ligne « --- », les champs, puis « --- »")] +
                      _unloaded_problems(doc, shown, today, []), None)
        else:
            problems = _schema_problems(kind, doc, shown, data) + _date_problems(kind, doc, shown) + \
                _hygiene_problems(doc, shown)
            problems += [Problem(shown, doc.line_of(path), _field_name(path), message)  # kb.content.limits
                         for path, message in limits.file_problems(kind, doc.data)]
            if kind == "cooperation":  # official codes in the same round as the schema
                problems += _identity_problems(doc, shown, data, problems)
            result = (None, _once(problems + _unloaded_problems(doc, shown, today, problems)), doc.data) \
                if problems else (_record(kind, ident, rel, doc, data), [], None)
    return result


def _unloaded_problems(doc: Document, shown: str, today: date, problems: list[Problem]) -> list[Problem]:
    """The checks load_content runs on the records that loaded, run on the front matter and
    body of a file that did not: dates in the future (kb.content.publishable) and prose about
    the data model (kb.content.editorial). A body already refused (too large, too nested) is
    not read as prose."""
    values = doc.data if isinstance(doc.data, dict) else {}
    found = [Problem(shown, line, name, message) for line, name, message in
             publishable.future_date_problems(values, today, lambda name: doc.line_of((name,)))]
    if not any(p.field == editorial.FIELD for p in problems):
        found += [Problem(shown, line, editorial.FIELD, message)
                  for line, message in editorial.problems_of_body(doc.body or "", doc.body_line, None)]
    return found


def _hygiene_problems(doc: Document, shown: str) -> list[Problem]:
    """Refused characters in the front matter, and bodies too large or too nested to convert
    (kb.content.hygiene)."""
    problems = [Problem(shown, doc.line_of(path), _field_name(path), message)
                for path, message in hygiene.value_problems(doc.data)]
    problems += [Problem(shown, doc.body_line + offset, "texte", message)
                 for offset, message in hygiene.body_problems(doc.body)]
    return problems


def _once(problems: list[Problem]) -> list[Problem]:
    """Each problem once, in the order found."""
    return list(dict.fromkeys(problems))


def _file_check(content_dir: Path, path: Path, content: Content) -> tuple | None:
    """What to check of one file (``_checked``'s arguments), or None when its path itself
    is refused (the problem is added to ``content``)."""
    rel = path.relative_to(content_dir).as_posix()
    shown = content.shown(rel)
    kind = kind_of(rel)
    ident = path.stem
    if rel in RESERVED or (kind != "page" and ident == "index"):
        content.problems.append(Problem(shown, 1, "fichier", "ce chemin est réservé à une page "
                                        "générée ; renommez le fichier"))
        return None
    if kind != "page" and not re.match(F.SLUG, ident):
        content.problems.append(Problem(shown, 1, "fichier", f"le nom {quote(path.name)} doit être un "
                                        "identifiant : minuscules sans accent, chiffres et tirets, "
                                        "par exemple « brest-metropole-centre-ouest-bretagne.md »"))
        return None
    return path, rel, shown, kind, ident


def _add(content: Content, args: tuple, record, problems: list, raw: dict | None = None) -> None:
    """Add a checked file's record, or its problems (and what it held), to ``content``."""
    _, rel, shown, kind, ident = args
    if problems:
        content.problems.extend(problems)
        content.refused.setdefault(kind, {}).setdefault(ident, (rel, raw if isinstance(raw, dict) else {}))
        return
    store = {"cooperation": content.cooperations, "recommandation": content.recommendations,
             "document": content.documents, "page": content.pages}[kind]
    key = ident if kind != "page" else rel
    if key in store:
        content.problems.append(Problem(shown, 1, "fichier", f"l'identifiant {quote(ident)} est déjà "
                                        f"utilisé par {store[key].path}"))
        return
    store[key] = record


def check_links(content: Content) -> None:
    """Cross-file checks: every cited id exists; a territory is described one way."""
    problems = content.problems

    def line_of(record, *path):
        # re-read lines lazily only on error: cheap, errors are rare
        try:
            doc = read_text(decode(read_regular(content.root / record.path)))
            return doc.line_of(path)
        except (ReadError, OSError, AttributeError):
            return 1

    flagged = {(p.path, p.field) for p in problems}  # a value already refused is not named twice

    def exists(ref, store, kind):
        return ref in store or ref in content.refused.get(kind, {})  # a refused file has its own messages

    def check_refs(record, name, ids, store, what, kind):
        for i, ref in enumerate(ids):
            if not isinstance(ref, str) or (content.shown(record.path), f"{name}[{i + 1}]") in flagged:
                continue
            if not exists(ref, store, kind):
                hint = suggest(ref, {k: k for k in store})
                message = f"{what} {quote(ref)} n'existe pas"
                message += f" ; vouliez-vous dire {quote(hint)} ?" if hint else ""
                problems.append(Problem(content.shown(record.path), line_of(record, name, i), f"{name}[{i + 1}]",
                                        message))

    # the references of refused files too, read from their front matter: one round of errors
    refused = [(kind, SimpleNamespace(path=rel, **{k: v for k, v in raw.items() if k in _REF_FIELDS}))
               for kind in ("cooperation", "recommandation", "document")
               for rel, raw in content.refused.get(kind, {}).values()]
    for coop in list(content.cooperations.values()) + [r for k, r in refused if k == "cooperation"]:
        check_refs(coop, "recommandations", _list(coop, "recommandations"), content.recommendations,
                   "la recommandation", "recommandation")
    for reco in list(content.recommendations.values()) + [r for k, r in refused if k == "recommandation"]:
        check_refs(reco, "cooperations", _list(reco, "cooperations"), content.cooperations, "la coopération",
                   "cooperation")
    for doc in list(content.documents.values()) + [r for k, r in refused if k == "document"]:
        check_refs(doc, "references", _list(doc, "references"), content.references,
                   "la référence (data/references.yml)", "reference")
    for record in list(content.cooperations.values()) + list(content.recommendations.values()) + \
            [r for k, r in refused if k != "document"]:
        for i, src in enumerate(_list(record, "sources")):
            for attr, store, where in (("document", content.documents, "content/sources/"),
                                       ("reference", content.references, "data/references.yml")):
                ref = src.get(attr) if isinstance(src, dict) else getattr(src, attr, None)
                if isinstance(ref, str) and ref and not exists(ref, store, attr) and \
                        (content.shown(record.path), f"sources[{i + 1}].{attr}") not in flagged:
                    hint = suggest(ref, {k: k for k in store})
                    message = f"{quote(ref)} n'existe pas dans {where}"
                    message += f" ; vouliez-vous dire {quote(hint)} ?" if hint else ""
                    problems.append(Problem(content.shown(record.path), line_of(record, "sources", i, attr),
                                            f"sources[{i + 1}].{attr}", message))

    check_origins(content, line_of)

    partners = [(content.shown(coop.path), (coop, i), partner) for coop in content.cooperations.values()
                for i, partner in enumerate(coop.territoires)]
    for shown, (coop, i), message in territory_problems(partners):
        problems.append(Problem(shown, line_of(coop, "territoires", i, "nom"), f"territoires[{i + 1}].nom",
                                message))

    seen: dict[str, tuple[Partner, str]] = {}
    for coop in content.cooperations.values():
        for i, partner in enumerate(coop.territoires):
            first = seen.setdefault(partner.key, (partner, content.shown(coop.path)))
            other, where = first
            for attr, label in (("type", "type"), ("region", "région"), ("departement", "département"),
                                ("code", "code")):
                mine, theirs = getattr(partner, attr), getattr(other, attr)
                if mine and theirs and mine != theirs:
                    problems.append(Problem(
                        content.shown(coop.path), line_of(coop, "territoires", i, attr), f"territoires[{i + 1}].{attr}",
                        f"{quote(partner.nom)} a le {label} {quote(mine)} ici mais {quote(theirs)} dans {where} ; "
                        "un même territoire doit être décrit de la même façon partout"))


_REF_FIELDS = ("recommandations", "cooperations", "references", "sources")


def _list(record, name) -> list:
    """A list field of a record, or of a refused file's front matter (anything else: empty)."""
    value = getattr(record, name, None)
    return list(value) if isinstance(value, (list, tuple)) else []


def check_origins(content: Content, line_of) -> None:
    """Every origin names a source of the base (or « redaction », « a-confirmer »); every
    flagged value is a value of its field."""
    sources = set(content.documents) | set(content.references)
    words = {T.EDITORS, T.TO_CONFIRM}

    def visit(record, fields, data, path):
        for f in fields:
            value = getattr(data, f.name, None)
            if value is None:
                continue
            if f.type in ("origin", "source_id") and value not in sources and \
                    (f.type == "source_id" or value not in words):
                allowed = sorted(sources) + (sorted(words) if f.type == "origin" else [])
                hint = suggest(value, {k: k for k in allowed})
                message = f"« {value} » n'est ni un document de content/sources/ ni une référence de " \
                          "data/references.yml" + (" ni « redaction » ou « a-confirmer »" if f.type == "origin" else "")
                message += f" ; vouliez-vous dire « {hint} » ?" if hint else ""
                content.problems.append(Problem(content.shown(record.path), line_of(record, *path, f.name),
                                                _field_name(path + (f.name,)), message))
            elif f.type == "ref" and f.target == "reference" and value not in content.references:
                hint = suggest(value, {k: k for k in content.references})
                message = f"« {value} » n'existe pas dans data/references.yml"
                message += f" ; vouliez-vous dire « {hint} » ?" if hint else ""
                content.problems.append(Problem(content.shown(record.path), line_of(record, *path, f.name),
                                                _field_name(path + (f.name,)), message))
            elif f.type == "objects" and f.fields and f.name != "sources":  # sources: check_links
                for i, item in enumerate(value):
                    visit(record, f.fields, item, path + (f.name, i))
            elif f.type == "object" and f.fields:
                visit(record, f.fields, value, path + (f.name,))

    for ident, ref in content.references.items():
        if ref.origine and ref.origine not in words | sources:
            content.problems.append(Problem("data/references.yml", 1, f"{ident}.origine",
                                            f"« {ref.origine} » : « redaction », « a-confirmer » ou l'identifiant "
                                            "d'une source est attendu"))
    for record in list(content.cooperations.values()) + list(content.recommendations.values()):
        visit(record, F.MODEL[record.kind], record, ())
        for i, o in enumerate(record.origines):
            current = record.terms_of_field(o.champ)
            for j, v in enumerate(o.valeurs):
                if v not in current:
                    content.problems.append(Problem(
                        content.shown(record.path), line_of(record, "origines", i, "valeurs", j),
                        f"origines[{i + 1}].valeurs[{j + 1}]",
                        f"« {v} » n'est pas une valeur du champ « {o.champ} » de cette fiche "
                        f"(valeurs : {_quote_list(current) or 'aucune'})"))


def _path_order(path: Path) -> tuple:
    return path.parts  # the order of sorted(paths), compared without pathlib's slow __lt__


def load_content(content_dir: Path, data: ProjectData, today: date | None = None, reuse=None) -> Content:
    """Read every Markdown file below ``content_dir`` and check it against ``data`` (the
    vocabularies and départements); never raises for bad content. ``today``: the build date
    (no date of addition may come after it; default: the day of the check). ``reuse``: each
    file's own checks kept by its bytes (see ``_checked``)."""
    content_dir = Path(content_dir)
    content = Content(root=content_dir, data=data)
    data_dir = data.references_file.parent  # data/ beside the content: references.yml
    content.problems.extend(Problem(*problem) for problem in data.problems())  # kb.content.vocab
    if content.problems:  # nothing can be checked against vocabularies that cannot be read
        return content
    vocabularies = data.vocabularies
    found = inventory(content_dir, data_dir, [v.path for v in vocabularies.values()])
    content.problems.extend(Problem(shown, 1, "fichier", message) for shown, message in found.problems)
    content.problems.extend(Problem(*p) for p in publishable.url_problems(found.markdown, content.shown))
    content.problems.extend(Problem(shown, 1, field, message)
                            for shown, field, message in vocabulary_problems(vocabularies))
    if "references.yml" in found.data:
        load_references(data.references_file, content, data)
    content.problems.extend(Problem(groupings.SHOWN, line, field, message)
                            for line, field, message in groupings.of(data).problems)
    if not found.markdown and not found.problems:
        content.problems.append(Problem(content.shown(""), 1, "dossier", "aucun fichier de contenu "
                                        "(« .md ») : vérifiez le nom du dossier"))
    today = today or date.today()
    todo = [args for path in (content_dir / rel for rel in found.markdown)
            if (args := _file_check(content_dir, path, content)) is not None]
    for args in todo:
        record, problems, raw = _checked(*args, data, today, reuse)
        _add(content, args, record, problems, raw)
    check_links(content)
    content.problems.extend(Problem(*p) for p in publishable.date_problems(content, today))
    content.problems.extend(Problem(*p) for p in editorial.body_problems(content))  # prose for readers
    content.problems.sort()
    return content
