"""Groupings (data/groupements.yml): the pays, PETR, parcs naturels régionaux, SCoT, pôles
métropolitains, syndicats and territoires de projet that fiches name, with their composition.

A grouping has no code in the Code officiel géographique, so its members are declared
once, here, for every fiche: EPCI by SIREN or communes by INSEE code, each list with its
provenance (the address of the official record it comes from, or « redaction »: a
précision de la rédaction, shown as such on the site). A grouping whose composition is
not known says so (``composition_inconnue``, with the reason) and gives its
départements; the build prints the list of such groupings.

Invariants checked here (French messages naming the file, the line and the field):
- every member is a current commune or EPCI of the official geography (a former commune
  gets a message naming the commune it merged into; a former EPCI SIREN, the current EPCI
  holding its former communes: kb.content.cog.former_epci_text);
- no member twice, no commune listed beside its own EPCI, no member equal to the
  grouping's successor (``successeur``, the official code of what replaced it);
- a fiche names a grouping by its name or one of its ``autres_noms`` (folded as
  kb.content.cog.normalise does), never two groupings by one name.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import cog as COG
from .inventory import NotRegular, read_regular
from .messages import quote
from .reader import ReadError, decode, parse_yaml, strip_bom

FILE_NAME = "groupements.yml"
SHOWN = f"data/{FILE_NAME}"
TYPES = ("petr-pays", "parc-naturel-regional", "syndicat-mixte", "pole-metropolitain", "territoire-de-projet")
EDITORS = "redaction"  # provenance: précision de la rédaction
MAX_MEMBERS = 1000  # more communes than any grouping of France has (the largest PNR: ~250)
# a few thousand groupings with their member lists (a PNR of 250 communes: ~8 KB); the bench's
# 5,000 cases declare ~2,300 groupings (~450 KB) without members
MAX_BYTES = 4 * 1024 * 1024
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https://[^\s<>\"']+$")
KEYS = {"nom", "type", "autres_noms", "membres", "source", "motif", "composition_inconnue",
        "departements", "successeur"}


@dataclass(frozen=True)
class Grouping:
    id: str
    nom: str
    type: str
    membres: tuple[str, ...]  # EPCI SIREN or commune INSEE codes; () when unknown
    source: str | None  # address of the official record, or "redaction"
    motif: str | None  # what the provenance rests on, or why the composition is unknown
    inconnue: bool  # composition unknown (``motif`` says why)
    departements: tuple[str, ...]  # by population share of the members, largest first
    successeur: str | None = None
    autres_noms: tuple[str, ...] = ()
    line: int = 1

    @property
    def editors(self) -> bool:
        return self.source == EDITORS

    def member_entities(self) -> list[COG.Entity]:
        cog = COG.load()
        return [e for e in (cog.get(m) for m in self.membres) if e is not None]

    @property
    def population(self) -> int | None:
        return sum(e.population for e in self.member_entities()) or None


@dataclass(frozen=True)
class Groupings:
    by_id: dict
    problems: tuple  # (line, field, message)
    names: dict  # folded name -> id

    def match(self, name: str | None) -> Grouping | None:
        """The grouping a fiche means by ``name`` (its name, an other name or its identifier)."""
        if not name:
            return None
        found = self.names.get(COG.normalise(name))
        return self.by_id.get(found) if found else None

    def unknown(self) -> list[Grouping]:
        return [g for g in self.by_id.values() if g.inconnue]


EMPTY = Groupings({}, (), {})


def path_of(data) -> Path:
    """data/groupements.yml beside the content (``data``: a kb.content.vocab.ProjectData)."""
    return Path(data.references_file).parent / FILE_NAME


def of(data) -> Groupings:
    """The groupings of the build whose data is ``data`` (read again when the file changed: its
    path, date and size are the key; called for every partner, so the path is plain text)."""
    if data is None:
        return EMPTY
    path = os.path.join(os.path.dirname(data.references_file), FILE_NAME)
    try:
        stat = os.lstat(path)
    except OSError:
        return EMPTY
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load(path: str, mtime, size) -> Groupings:
    lines: dict = {(): 1}
    try:
        raw = read_regular(Path(path), MAX_BYTES)
        if len(raw) > MAX_BYTES:
            return Groupings({}, ((1, "fichier", f"fichier trop long : plus de {MAX_BYTES // (1024 * 1024)} Mo"),), {})
        data = parse_yaml(strip_bom(decode(raw))[0], lines)
    except NotRegular:
        return Groupings({}, ((1, "fichier", "ce n'est pas un fichier ordinaire : il n'est pas lu"),), {})
    except OSError as error:
        return Groupings({}, ((1, "fichier", f"fichier illisible ({error.strerror or error})"),), {})
    except ReadError as exc:
        return Groupings({}, ((exc.line, "fichier", exc.message),), {})
    return parse(data, lines)


def _editions(cog) -> str:
    """« 2019 »: the years of the earlier editions kept for EPCI history."""
    return ", ".join(sorted(cog.source.get("historique", {}))) or "éditions antérieures"


def _line(lines: dict, *path) -> int:
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _texts(value) -> list | None:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def parse(data, lines: dict) -> Groupings:
    """The groupings of the parsed file and its problems."""
    problems: list[tuple[int, str, str]] = []
    if data is None:
        return EMPTY
    if not isinstance(data, dict):
        return Groupings({}, ((1, "fichier", "le fichier doit associer des identifiants de groupement "
                                              "à leur description"),), {})
    cog = COG.load()
    former = {code: current for code, _, current in cog.anciennes if code != current}
    by_id: dict[str, Grouping] = {}
    names: dict[str, str] = {}
    for gid, item in data.items():
        at = lambda *p: _line(lines, gid, *p)  # noqa: E731
        bad = lambda field, message, *p: problems.append((at(*p), f"{gid}.{field}" if field else gid, message))  # noqa: E731
        if not _ID.match(gid):
            bad("", f"identifiant {quote(gid)} : minuscules, chiffres et tirets seulement")
            continue
        if not isinstance(item, dict):
            bad("", "un groupement se décrit par « nom », « type », puis « membres » et « source », "
                    "ou « composition_inconnue »")
            continue
        for key in item:
            if key not in KEYS:
                bad(key, f"champ inconnu ; champs permis : {', '.join(sorted(KEYS))}", key)
        nom, type_ = item.get("nom"), item.get("type")
        if not isinstance(nom, str) or not nom.strip():
            bad("nom", "le nom du groupement est obligatoire", "nom")
            continue
        if type_ not in TYPES:
            bad("type", f"{quote(type_)} n'est pas un type de groupement ; types permis : {', '.join(TYPES)}",
                "type")
        others = _texts(item.get("autres_noms"))
        members = _texts(item.get("membres"))
        deps = _texts(item.get("departements"))
        for field, value in (("autres_noms", others), ("membres", members), ("departements", deps)):
            if value is None:
                bad(field, "une liste de textes entre guillemets est attendue", field)
        others, members, deps = others or [], members or [], deps or []
        source, motif, unknown = item.get("source"), item.get("motif"), item.get("composition_inconnue")
        for field, value in (("source", source), ("motif", motif), ("composition_inconnue", unknown),
                             ("successeur", item.get("successeur"))):
            if value is not None and not isinstance(value, str):
                bad(field, "un texte est attendu", field)
        if len(members) > MAX_MEMBERS:
            bad("membres", f"{len(members)} membres : au plus {MAX_MEMBERS} par groupement", "membres")
            members = []
        if unknown is not None:
            if members:
                bad("composition_inconnue", "« composition_inconnue » et « membres » s'excluent : "
                    "retirez l'un des deux", "composition_inconnue")
            if not deps:
                bad("departements", "un groupement de composition inconnue indique ses départements "
                    "(departements: [\"29\", \"22\"])", "composition_inconnue")
        elif not members:
            bad("membres", "donnez les membres (SIREN des intercommunalités ou codes INSEE des communes), "
                "ou « composition_inconnue » avec la raison", "nom")
        elif not isinstance(source, str) or not (source == EDITORS or _URL.match(source)):
            bad("source", "la provenance de la liste est obligatoire : l'adresse (https://…) de la fiche "
                "officielle dont elle vient, ou « redaction » (précision de la rédaction)",
                "source" if source is not None else "membres")
        seen: dict[str, int] = {}
        entities = []
        for j, m in enumerate(members):
            m = m.strip().upper()
            if m in seen:
                bad(f"membres[{j + 1}]", f"{quote(m)} est déjà membre (élément {seen[m] + 1}) : un membre "
                    "ne compte qu'une fois", "membres", j)
                continue
            seen[m] = j
            entity = cog.get(m) if len(m) in (5, 9) else None
            if entity is None:
                if m in former and former[m] in cog.communes:
                    new = cog.communes[former[m]]
                    why = f"est une ancienne commune, fusionnée dans {quote(new.nom)} ({new.code}) : donnez ce code"
                elif m in cog.former_epci:
                    why = COG.former_epci_text(m, cog, target="remplacez-le par").removeprefix(f"« {m} » ")
                elif len(m) == 9 and m.isdigit():
                    why = ("n'est pas une intercommunalité en vigueur dans le Code officiel géographique "
                           f"({cog.source['package']}), ni une de celles de {_editions(cog)} : disparue "
                           "avant, ou mal recopiée ; cherchez celle d'aujourd'hui avec "
                           "make chercher NOM=\"nom\"")
                else:
                    why = "n'est ni un SIREN d'intercommunalité (9 chiffres) ni un code INSEE de commune"
                bad(f"membres[{j + 1}]", f"{quote(m)} {why}", "membres", j)
                continue
            entities.append((j, entity))
        successor = item.get("successeur") if isinstance(item.get("successeur"), str) else None
        if successor is not None:
            succ = cog.get(successor)
            if succ is None and successor.strip() in cog.former_epci:
                bad("successeur", COG.former_epci_text(successor, cog), "successeur")
            elif succ is None or succ.kind not in ("commune", "epci"):
                bad("successeur", f"{quote(successor)} n'est ni un SIREN d'intercommunalité ni un code INSEE "
                    "de commune en vigueur", "successeur")
            for j, e in entities:
                if e.code == successor:
                    bad(f"membres[{j + 1}]", f"{quote(e.code)} ({e.nom}) est le successeur du groupement, "
                        "pas un de ses membres : décrivez les membres d'avant, ou ceux de son territoire "
                        "(les communes du successeur)", "membres", j)
        listed = {e.code for _, e in entities}
        for j, e in entities:
            if e.kind == "commune" and e.epci in listed:
                bad(f"membres[{j + 1}]", f"{quote(e.code)} ({e.nom}) est déjà comprise dans son "
                    f"intercommunalité {quote(cog.epci[e.epci].nom)}, membre elle aussi", "membres", j)
        for j, d in enumerate(deps):
            if d not in cog.departements:
                bad(f"departements[{j + 1}]", f"{quote(d)} n'est pas un code de département", "departements", j)
        share: dict[str, int] = {}
        for _, e in entities:
            for d in e.departements[:1] if e.kind == "commune" else e.departements:
                share[d] = share.get(d, 0) + e.population
        derived = tuple(sorted(share, key=lambda d: (-share[d], d)))
        if deps and derived and set(deps) - set(derived):
            bad("departements", f"départements {', '.join(sorted(set(deps) - set(derived)))} : aucun membre "
                "n'y est ; retirez « departements », il se déduit des membres", "departements")
        grouping = Grouping(gid, nom.strip(), type_ if type_ in TYPES else "territoire-de-projet",
                            tuple(e.code for _, e in entities), source if isinstance(source, str) else None,
                            motif if isinstance(motif, str) else (unknown if isinstance(unknown, str) else None),
                            unknown is not None, derived or tuple(d for d in deps if d in cog.departements),
                            successor, tuple(others), at())
        by_id[gid] = grouping
        for name in (gid, nom, *others):
            key = COG.normalise(name)
            if key in names and names[key] != gid:
                bad("autres_noms" if name in others else "nom", f"le nom {quote(name)} désigne déjà le "
                    f"groupement {quote(names[key])}", "autres_noms" if name in others else "nom")
            names.setdefault(key, gid)
    return Groupings(by_id, tuple(problems), names)
