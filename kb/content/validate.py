"""Load and validate every content file into typed records (stage 2).

Every problem becomes one line ``path:line: champ: message`` in French; all are
collected before anything stops, so a contributor sees every mistake at once.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import fastjsonschema
from jsonschema import Draft202012Validator

from ..content import fields as F
from ..content import identity
from ..content.model import Cooperation, Page, Partner, Recommendation, Reference, SourceDocument, SourceRef
from ..content.reader import Document, ReadError, decode, parse_yaml, read_text
from ..content.vocab import load_departements, load_vocabularies

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
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class Content:
    cooperations: dict[str, Cooperation] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    documents: dict[str, SourceDocument] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    root: Path | None = None

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


def _schema(kind: str) -> dict:
    """The JSON Schema of a kind of content file, or of data/references.yml ("references")."""
    return F.references_schema() if kind == "references" else F.json_schema(kind)


@lru_cache(maxsize=8)
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(_schema(kind))


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


@lru_cache(maxsize=8)
def _fast_check(kind: str):
    """A compiled yes/no check of the same schema (fastjsonschema): most files are
    valid, and for them it is many times faster than jsonschema; a file it rejects
    goes through jsonschema, which names every problem."""
    return fastjsonschema.compile(draft7(_schema(kind)), use_default=False)


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


_PATTERN_HINTS = {
    "date": "date attendue au format AAAA-MM-JJ, par exemple 2026-11-22",
    "partial_date": "date attendue au format AAAA, AAAA-MM ou AAAA-MM-JJ",
    "year": "année attendue sur quatre chiffres, par exemple 2018",
    "url": "lien attendu commençant par http:// ou https:// (les liens javascript:, data: "
           "ou sans protocole sont refusés)",
    "ref": "identifiant attendu : minuscules sans accent, chiffres et tirets",
    "refs": "identifiant attendu : minuscules sans accent, chiffres et tirets",
    "code": "code INSEE (commune : 5 caractères ; département : « 29 », « 2A », « 974 » ; région : « 53 ») "
            "ou SIREN d'intercommunalité (9 chiffres) attendu",
}
_TYPE_HINTS = {"array": "une liste est attendue, par exemple [valeur-1, valeur-2]",
               "object": "une liste de champs « nom: valeur » est attendue",
               "string": "un texte est attendu"}


def _schema_problems(kind: str, doc: Document, rel: str) -> list[Problem]:
    try:
        _fast_check(kind)(doc.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # jsonschema says what is wrong (or, if the fast check was stricter, that nothing is)
    vocabularies = load_vocabularies()
    problems = []
    for error in _validator(kind).iter_errors(doc.data):
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
                message = f"champ inconnu « {extra} »"
                message += f" ; vouliez-vous dire « {hint} » ?" if hint else ""
                problems.append(Problem(rel, doc.line_of(path + (extra,)), _field_name(path + (extra,)),
                                        f"{message} Champs permis : {_quote_list(allowed)}"))
            continue
        if v == "enum":
            if spec and spec.vocab:
                vocab = vocabularies[spec.vocab]
                choices = {t.id: t.label for t in vocab.terms.values()}
                what = f"n'est pas un terme du vocabulaire « {vocab.plural} »"
            else:
                deps = load_departements()
                choices = {c: d.name for c, d in deps.items()}
                what = "n'est pas un code de département"
            hint = suggest(value, choices)
            message = f"« {value} » {what}"
            message += f" ; vouliez-vous dire « {hint} » ?" if hint else "."
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
            problems.append(Problem(rel, line, name, f"« {value} » : {hint}"))
            continue
        if v == "maxLength":
            problems.append(Problem(rel, line, name, f"trop long : {len(value)} caractères, "
                                    f"{error.validator_value} au plus"))
            continue
        if v == "minLength":
            problems.append(Problem(rel, line, name, "valeur vide"))
            continue
        if v == "minItems":
            problems.append(Problem(rel, line, name,
                                    f"au moins {error.validator_value} valeur(s) attendue(s), "
                                    f"{len(value)} donnée(s)"))
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
            problems.append(Problem(rel, line, name, "« arreter » et « commencer » vont "
                                    "ensemble : donnez les deux ou aucun"))
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
            if f.type in ("date", "partial_date") and isinstance(value, str) and \
                    re.match(F.PARTIAL_DATE, value) and not _check_date(value, f.type == "partial_date"):
                problems.append(Problem(rel, doc.line_of(path + (f.name,)), _field_name(path + (f.name,)),
                                        f"« {value} » : cette date n'existe pas"))
            if f.type == "objects" and isinstance(value, list):
                for i, item in enumerate(value):
                    visit(f.fields, item, path + (f.name, i))

    visit(F.MODEL[kind], doc.data, ())
    return problems


def _identity_problems(doc: Document, rel: str) -> list[Problem]:
    """Partners checked against the official geography (kb.content.identity)."""
    problems = []
    for i, partner in enumerate(doc.data.get("territoires") or []):
        for path, message in identity.partner_problems(i, partner):
            problems.append(Problem(rel, doc.line_of(path), _field_name(path), message))
    return problems


def _sources(items) -> list[SourceRef]:
    return [SourceRef(**{k: v for k, v in item.items()}) for item in items or []]


def _record(kind: str, ident: str, rel: str, doc: Document):
    data = dict(doc.data)
    base = dict(kind=kind, id=ident, path=rel, titre=data.pop("titre"), body=doc.body,
                body_line=doc.body_line)
    if kind == "cooperation":
        data["territoires"] = [Partner(**identity.resolve(p)) for p in data["territoires"]]
        data["sources"] = _sources(data["sources"])
        if data.get("annee") is not None:
            data["annee"] = int(data["annee"])
    elif kind == "recommandation":
        data["sources"] = _sources(data["sources"])
    data = {k: v for k, v in data.items() if v is not None}
    return RECORD_TYPES[kind](**base, **data)


RESERVED = {"index.md", "cooperations/index.md", "recommandations/index.md", "sources/index.md"}


def load_references(path: Path, content: Content) -> None:
    """Read data/references.yml (identifier -> external publication) into ``content``."""
    if not path.exists():
        return
    shown = f"{path.parent.name}/{path.name}"
    lines: dict = {}
    try:
        data = parse_yaml(decode(path.read_bytes()), lines) or {}
    except ReadError as exc:
        content.problems.append(Problem(shown, exc.line, _field_name(exc.field_path), exc.message))
        return
    doc = Document(data=data, body="", body_line=1, recorded_lines=lines)
    problems = _schema_problems("references", doc, shown) if isinstance(data, dict) else [
        Problem(shown, 1, "fichier", "le fichier doit associer des identifiants à des références")]
    if not problems:
        for ident, item in data.items():
            problems += [Problem(shown, doc.line_of((ident, "date")), f"{ident}.date",
                                 f"« {item['date']} » : cette date n'existe pas")
                         for _ in [0] if item.get("date") and not _check_date(item["date"], partial=True)]
    if problems:
        content.problems.extend(problems)
        return
    content.references = {ident: Reference(id=ident, **item) for ident, item in sorted(data.items())}


# (path, shown path) -> ((mtime, size), (record, problems)): a live preview re-reads
# only the files that changed since the previous build.
_CHECKED: dict[tuple, tuple] = {}


def forget_vocabularies() -> None:
    """Drop everything read or checked against the vocabularies and departments
    (a live preview calls this when a file of data/ changes)."""
    from ..content.vocab import load_departements, load_vocabularies

    for cached in (load_vocabularies, load_departements, _validator, _fast_check):
        cached.cache_clear()
    _CHECKED.clear()


def _checked(path: Path, rel: str, shown: str, kind: str, ident: str):
    """Read, parse and validate one file into (record or None, problems), memoised by mtime."""
    stat = path.stat()
    key, version = (str(path), shown), (stat.st_mtime_ns, stat.st_size)
    known = _CHECKED.get(key)
    if known is not None and known[0] == version:
        return known[1]
    try:
        doc = read_text(decode(path.read_bytes()))
    except ReadError as exc:
        result = (None, [Problem(shown, exc.line, _field_name(exc.field_path), exc.message)])
    else:
        if not doc.has_front_matter:
            result = (None, [Problem(shown, 1, "en-tête", "en-tête manquant : le fichier doit "
                                     "commencer par une ligne « --- », les champs, puis « --- »")])
        else:
            problems = _schema_problems(kind, doc, shown) + _date_problems(kind, doc, shown)
            if kind == "cooperation" and not problems:
                problems = _identity_problems(doc, shown)
            result = (None, problems) if problems else (_record(kind, ident, rel, doc), [])
    _CHECKED[key] = (version, result)
    return result


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
        content.problems.append(Problem(shown, 1, "fichier", f"le nom « {path.name} » doit être un "
                                        "identifiant : minuscules sans accent, chiffres et tirets, "
                                        "par exemple « brest-metropole-centre-ouest-bretagne.md »"))
        return None
    return path, rel, shown, kind, ident


def _check(args: tuple):
    return _checked(*args)


def _add(content: Content, args: tuple, record, problems: list) -> None:
    """Add a checked file's record, or its problems, to ``content``."""
    _, rel, shown, kind, ident = args
    if problems:
        content.problems.extend(problems)
        return
    store = {"cooperation": content.cooperations, "recommandation": content.recommendations,
             "document": content.documents, "page": content.pages}[kind]
    key = ident if kind != "page" else rel
    if key in store:
        content.problems.append(Problem(shown, 1, "fichier", f"l'identifiant « {ident} » est déjà "
                                        f"utilisé par {store[key].path}"))
        return
    store[key] = record


def check_links(content: Content) -> None:
    """Cross-file checks: every cited id exists; a territory is described one way."""
    problems = content.problems

    def line_of(record, *path):
        # re-read lines lazily only on error: cheap, errors are rare
        try:
            doc = read_text(decode((content.root / record.path).read_bytes()))
            return doc.line_of(path)
        except (ReadError, OSError, AttributeError):
            return 1

    def check_refs(record, name, ids, store, what):
        for i, ref in enumerate(ids):
            if ref not in store:
                hint = suggest(ref, {k: k for k in store})
                message = f"{what} « {ref} » n'existe pas"
                message += f" ; vouliez-vous dire « {hint} » ?" if hint else ""
                problems.append(Problem(content.shown(record.path), line_of(record, name, i), f"{name}[{i + 1}]",
                                        message))

    for coop in content.cooperations.values():
        check_refs(coop, "recommandations", coop.recommandations, content.recommendations,
                   "la recommandation")
    for reco in content.recommendations.values():
        check_refs(reco, "cooperations", reco.cooperations, content.cooperations, "la coopération")
    for doc in content.documents.values():
        check_refs(doc, "references", doc.references, content.references,
                   "la référence (data/references.yml)")
    for record in list(content.cooperations.values()) + list(content.recommendations.values()):
        for i, src in enumerate(record.sources):
            for attr, store, where in (("document", content.documents, "content/sources/"),
                                       ("reference", content.references, "data/references.yml")):
                ref = getattr(src, attr)
                if ref and ref not in store:
                    hint = suggest(ref, {k: k for k in store})
                    message = f"« {ref} » n'existe pas dans {where}"
                    message += f" ; vouliez-vous dire « {hint} » ?" if hint else ""
                    problems.append(Problem(content.shown(record.path), line_of(record, "sources", i, attr),
                                            f"sources[{i + 1}].{attr}", message))

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
                        f"« {partner.nom} » a le {label} « {mine} » ici mais « {theirs} » dans {where} ; "
                        "un même territoire doit être décrit de la même façon partout"))


def _path_order(path: Path) -> tuple:
    return path.parts  # the order of sorted(paths), compared without pathlib's slow __lt__


def load_content(content_dir: Path, parallel: bool = False) -> Content:
    """Read every Markdown file below ``content_dir``; never raises for bad content.
    ``parallel``: read and check half of the files in a helper process (kb.build.offload)."""
    content_dir = Path(content_dir)
    content = Content(root=content_dir)
    load_references(content_dir.parent / "data" / "references.yml", content)
    todo = [args for path in sorted(content_dir.rglob("*.md"), key=_path_order)
            if (args := _file_check(content_dir, path, content)) is not None]
    if parallel:
        from ..build.offload import map_halves

        for kind in sorted({args[3] for args in todo}):
            _fast_check(kind)  # compiled once, before the helper is forked, for both processes
        results = map_halves(_check, todo)
    else:
        results = [_check(args) for args in todo]
    for args, (record, problems) in zip(todo, results, strict=True):
        _add(content, args, record, problems)
    check_links(content)
    content.problems.sort()
    return content
