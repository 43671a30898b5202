"""What a partner of a cooperation is: an official territory, a grouping, an actor, or a
described partner; its identity checked against the official geography (kb.content.cog).

- an official territory (commune, EPCI, département, région) carries its official code
  (INSEE, or SIREN for an EPCI); the code decides its official name, type, département(s),
  région and population; a ``nom`` given by the contributor is its usual name;
- a grouping without an official code (PETR/pays, PNR, pôle métropolitain, syndicat
  mixte, territoire de projet) lists its ``membres`` (EPCI SIREN or commune INSEE codes)
  where known, and at least its département;
- an actor (agence d'urbanisme, association, SEM, entreprise, établissement public,
  services de l'État) is an organisation, not a territory: own listing, counted apart;
- a described partner (type « ensemble »: « les intercommunalités voisines ») is text on
  the case, with no page.

``partner_problems`` names every contradiction (in French, with « vouliez-vous dire »
suggestions found by name); ``resolve`` turns a checked entry into the values the
record keeps (missing département and région derived from the code or the members).
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from . import cog as COG
from . import groupings as GR
from .messages import make_command
from .vocab import ProjectData

OFFICIAL = "territoire"
GROUPING = "groupement"
ACTOR = "acteur"
DESCRIBED = "ensemble"
CATEGORY = {
    "commune": OFFICIAL, "metropole": OFFICIAL, "communaute-urbaine": OFFICIAL,
    "communaute-d-agglomeration": OFFICIAL, "communaute-de-communes": OFFICIAL,
    "departement": OFFICIAL, "region": OFFICIAL,
    "petr-pays": GROUPING, "pole-metropolitain": GROUPING, "parc-naturel-regional": GROUPING,
    "syndicat-mixte": GROUPING, "territoire-de-projet": GROUPING,
    "sem": ACTOR, "association": ACTOR, "etat": ACTOR, "etablissement-public": ACTOR,
    "agence-urbanisme": ACTOR, "entreprise": ACTOR,
    "ensemble": DESCRIBED,
}
CODE_NAMES = {"commune": "code INSEE de la commune (5 caractères)", "epci": "SIREN de l'intercommunalité (9 chiffres)",
              "departement": "code INSEE du département", "region": "code INSEE de la région"}


def category(type_: str) -> str:
    return CATEGORY.get(type_, ACTOR)


def region_slug(insee_region: str, data: ProjectData) -> str | None:
    """The ``regions`` vocabulary term of an INSEE région code."""
    return _region_slugs(data).get(insee_region)


@lru_cache(maxsize=8)
def _region_slugs(data: ProjectData) -> dict[str, str]:
    """INSEE région code -> term of the ``regions`` vocabulary, through the départements of
    data/departements.yml (cached per version of the data files: ProjectData compares by stamp)."""
    slugs: dict[str, str] = {}
    deps = data.departements
    for code, dep in COG.load().departements.items():
        if code in deps:
            slugs.setdefault(dep.region, deps[code].region)
    return slugs


def entity_of(code, type_: str) -> COG.Entity | None:
    kind = COG.KIND_OF_TYPE.get(type_)
    if kind is None or code is None:
        return None
    return COG.load().get(str(code), kind)


def _suggestions(name: str | None, kind: str | None) -> str:
    if not name:
        return ""
    if kind in (None, "epci"):  # the name of an EPCI no longer in force (and of none in force)
        former = [f for f in COG.load().search_former(name, limit=3) if COG.same_epci_name(f.nom, name)]
        current = [e for e in COG.load().search(name, kind="epci", limit=3) if COG.same_epci_name(e.nom, name)]
        if len(former) == 1 and not current:
            return " " + COG.former_epci_text(former[0].code) + "."
    found = COG.load().suggest(name, kind=kind, limit=3)
    if not found:
        return ""
    shown = " ; ".join(f"« {e.code} » ({e.nom}{_where(e)})" for e in found)
    return f" Vouliez-vous dire {shown} ? ({make_command('chercher', 'NOM', name)})"


USUAL_NAME = "nom_usuel"  # « nom_usuel: oui »: the name differs from the official one on purpose


def name_contradiction(index: int, p: dict, entity: COG.Entity) -> list[tuple[tuple, str]]:
    """A ``nom`` that is the official name of another territory of the same kind than the one
    its code names (« Carhaix-Plouguer » with the code of another commune), unless the partner
    says it is a usual name on purpose (``nom_usuel: oui``). A usual name that names no other
    territory (« Saint-Nazaire Agglomération ») is not a contradiction."""
    name = p.get("nom")
    if not name or p.get(USUAL_NAME) or COG.normalise(name) == COG.normalise(entity.nom):
        return []
    others = sorted((e for e in COG.load().by_name.get(COG.normalise(name), ())
                     if e.kind == entity.kind and e.code != entity.code), key=lambda e: (-e.population, e.code))
    if not others:
        return []
    meant = " ; ".join(f"« {e.code} » ({e.nom}{_where(e)})" for e in others[:3])
    return [(("territoires", index, "nom"),
             f"« {name} » n'est pas le nom du code « {entity.code} », qui est « {entity.nom} » "
             f"({entity.kind_label}{_where(entity)}). Vouliez-vous dire {meant} ? Corrigez le code "
             f"({make_command('chercher', 'NOM', name)}), ou, si ce nom d'usage est voulu pour ce "
             f"territoire, ajoutez « {USUAL_NAME}: oui » à ce partenaire")]


def _where(entity: COG.Entity) -> str:
    if entity.kind in ("departement", "region"):
        return ""
    dep = COG.load().departements.get(entity.departement or "")
    return f", {dep.nom}" if dep else ""


def partner_problems(index: int, p: dict, data: ProjectData) -> list[tuple[tuple, str]]:
    """Problems of the ``index``-th partner (a dict that passed the schema), as
    (path within the front matter, French message)."""
    out = []
    at = lambda name: ("territoires", index, name)  # noqa: E731
    type_ = p.get("type")
    cat = category(type_)
    label = data.vocabularies["types_territoire"].label_of(type_)
    code = p.get("code")
    name = p.get("nom")
    if code is not None:
        code = str(code)
    if not name and code is None:
        out.append((at("nom"), "donnez « nom », ou « code » pour un territoire officiel"))
    if cat == OFFICIAL:
        kind = COG.KIND_OF_TYPE[type_]
        if code is None:
            out.append((at("code"), f"{label.lower()} : le {CODE_NAMES[kind]} est obligatoire."
                        + (_suggestions(name, kind) or " Cherchez-le avec make chercher NOM='nom'.")))
            return out
        entity = entity_of(code, type_)
        if entity is None:
            other = COG.load().get(code)
            former = COG.former_epci_text(code, name=name) if kind == "epci" else None
            if other is not None and other.type != type_:
                out.append((at("type"), f"« {code} » est le code de « {other.nom} » ({other.kind_label}), "
                            f"pas d'un territoire de type « {label} »"))
            elif former is not None:  # an EPCI of an earlier edition: name what holds its communes now
                out.append((at("code"), former))
            else:
                out.append((at("code"), f"« {code} » n'est pas un {CODE_NAMES[kind]} du Code officiel "
                            "géographique." + _suggestions(name, kind)))
            return out
        out += name_contradiction(index, p, entity)
        if entity.type != type_:
            right = data.vocabularies["types_territoire"].label_of(entity.type)
            out.append((at("type"), f"« {entity.nom} » ({code}) est de type « {right} » "
                        f"(« {entity.type} »), pas « {label} »"))
        dep = p.get("departement")
        if dep and str(dep) not in entity.departements:
            names = ", ".join(f"« {d} »" for d in entity.departements) or "aucun"
            out.append((at("departement"), f"« {entity.nom} » ({code}) n'est pas dans le département "
                        f"« {dep} » ; départements permis : {names}"))
        region = p.get("region")
        if region and region != region_slug(entity.region, data):
            out.append((at("region"), f"« {entity.nom} » ({code}) est dans la région "
                        f"« {region_slug(entity.region, data)} », pas « {region} »"))
        return out
    if code is not None:
        out.append((at("code"), f"un partenaire de type « {label} » n'a pas de code dans le Code officiel "
                    "géographique ; retirez « code »"
                    + (f" : ses membres se déclarent dans {GR.SHOWN}" if cat == GROUPING else "")))
    if p.get("membres"):
        out.append((at("membres"), f"les membres d'un groupement se déclarent une seule fois, pour toutes "
                    f"les fiches, dans {GR.SHOWN} (avec leur provenance) : retirez « membres » de la fiche"
                    if cat == GROUPING else f"seul un groupement (PETR, pays, PNR, syndicat mixte, pôle "
                    f"métropolitain, territoire de projet) a des membres, pas un partenaire de type « {label} »"))
    if cat == GROUPING:
        out.extend(grouping_problems(index, p, data))
    return out


def grouping_problems(index: int, p: dict, data: ProjectData) -> list[tuple[tuple, str]]:
    """A grouping partner names an entry of data/groupements.yml, in a département of it."""
    groupings = GR.of(data)
    at = lambda name: ("territoires", index, name)  # noqa: E731
    grouping = groupings.match(p.get("nom"))
    if grouping is None:
        return [(at("nom"), f"groupement « {p.get('nom') or ''} » absent de {GR.SHOWN} : ajoutez-le "
                 "(nom, type, membres et leur provenance, ou « composition_inconnue » avec la raison), "
                 "ou donnez le nom sous lequel il y figure"
                 + _grouping_suggestions(p.get("nom"), groupings))]
    out = []
    label = data.vocabularies["types_territoire"].label_of
    if p.get("type") != grouping.type:
        out.append((at("type"), f"« {grouping.nom} » est de type « {label(grouping.type)} » dans "
                    f"{GR.SHOWN}, pas « {label(p.get('type'))} »"))
    dep = p.get("departement")
    if dep and grouping.departements and str(dep) not in grouping.departements:
        out.append((at("departement"), f"« {dep} » n'est pas un département de « {grouping.nom} » ; "
                    f"départements : {', '.join(grouping.departements)} ({GR.SHOWN})"))
    return out


def _grouping_suggestions(name, groupings) -> str:
    import difflib

    if not name or not groupings.names:
        return ""
    close = difflib.get_close_matches(COG.normalise(name), list(groupings.names), n=2, cutoff=0.6)
    shown = " ; ".join(f"« {groupings.by_id[groupings.names[c]].nom} »" for c in close)
    return f". Vouliez-vous dire {shown} ?" if shown else ""


def _partner_identity(p: dict, data: ProjectData) -> tuple[str, str] | None:
    """What a partner is, to find it twice in one fiche: (kind, code or identifier)."""
    type_ = p.get("type")
    cat = category(type_)
    if cat == OFFICIAL:
        entity = entity_of(p.get("code"), type_)
        return (entity.kind, entity.code) if entity is not None else None
    if cat == GROUPING:
        grouping = GR.of(data).match(p.get("nom"))
        if grouping is not None:
            return ("groupement", grouping.id)
    if p.get("nom"):
        return ("nom", COG.normalise(p["nom"]))
    return None


def cooperation_problems(partners: list, data: ProjectData) -> list[tuple[tuple, str]]:
    """Problems between the partners of one fiche: one partner named twice; a grouping one of
    whose members is itself a partner of the fiche (it would be counted twice)."""
    out = []
    first: dict[tuple, int] = {}
    coded: dict[str, int] = {}
    for i, p in enumerate(partners):
        if not isinstance(p, dict):
            continue
        ident = _partner_identity(p, data)
        if ident is None:
            continue
        if ident in first:
            out.append((("territoires", i), f"ce partenaire est déjà le partenaire n° {first[ident] + 1} de "
                        "la fiche : un partenaire ne compte qu'une fois (deux partenaires au moins sont "
                        "attendus)"))
            continue
        first[ident] = i
        if ident[0] in ("commune", "epci"):
            coded[ident[1]] = i
    groupings = GR.of(data)
    for i, p in enumerate(partners):
        if not isinstance(p, dict) or category(p.get("type")) != GROUPING:
            continue
        grouping = groupings.match(p.get("nom"))
        if grouping is None:
            continue
        for code in grouping.membres:
            if code in coded:
                entity = COG.load().get(code)
                out.append((("territoires", coded[code]), f"« {entity.nom} » ({code}) est membre de "
                            f"« {grouping.nom} » ({GR.SHOWN}), partenaire n° {i + 1} de la même fiche : "
                            "un membre n'est pas un partenaire de son propre groupement"))
        if grouping.successeur and grouping.successeur in coded:
            pass  # the successor beside the grouping it replaced: a history, not a double count
    return out


def resolve(p: dict, data: ProjectData) -> dict:
    """The partner's values once checked: département and région filled from the code,
    or from the members (the département holding most of their population)."""
    p = dict(p)
    p.pop(USUAL_NAME, None)  # checked by partner_problems; the record keeps the name itself
    if p.get("code") is not None:
        p["code"] = str(p["code"])
    entity = entity_of(p.get("code"), p.get("type"))
    if entity is not None:
        p.setdefault("nom", entity.nom)
        if not p.get("departement") and entity.kind != "region" and entity.departement:
            p["departement"] = entity.departement
        if not p.get("region"):
            p["region"] = region_slug(entity.region, data)
    grouping = GR.of(data).match(p.get("nom")) if category(p.get("type")) == GROUPING else None
    if grouping is not None:
        # the grouping's facts come from data/groupements.yml, whatever the fiche says
        p["groupement"] = grouping.id
        p["membres"] = grouping.membres
        if grouping.departements:
            p["departement"] = grouping.departements[0]
            p["region"] = None
    members = [str(m) for m in p.get("membres") or []]
    if members:
        p["membres"] = tuple(members)
        if not p.get("departement"):
            share = Counter()
            cog = COG.load()
            for m in members:
                e = cog.get(m)
                if e is not None:
                    for d in e.departements[:1]:
                        share[d] += e.population
            if share:
                p["departement"] = sorted(share, key=lambda d: (-share[d], d))[0]
    if p.get("departement") and not p.get("region"):
        dep = data.departements.get(str(p["departement"]))
        if dep is not None:
            p["region"] = dep.region
    return p


def format_population(n: int) -> str:
    """« 142 346 » with a narrow no-break space, as French typography wants."""
    return f"{n:,}".replace(",", "\u202f")


# population bands of the partners (facet « tailles »): (term, lower bound, upper bound)
SIZE_BANDS = (("moins-de-10000", 0, 10_000), ("10000-50000", 10_000, 50_000),
              ("50000-200000", 50_000, 200_000), ("plus-de-200000", 200_000, None))
URBAN_TYPES = {"metropole", "communaute-urbaine", "communaute-d-agglomeration", "pole-metropolitain"}
RURAL_TYPES = {"communaute-de-communes", "petr-pays", "parc-naturel-regional"}


def partner_population(p) -> int | None:
    """Population of a partner: its official one, or the sum of its known members."""
    entity = p.official
    if entity is not None:
        return entity.population
    total = 0
    cog = COG.load()
    for m in getattr(p, "membres", ()) or ():
        e = cog.get(str(m))
        total += e.population if e is not None else 0
    return total or None


def size_band(population: int | None) -> str | None:
    if population is None:
        return None
    for term, low, high in SIZE_BANDS:
        if population >= low and (high is None or population < high):
            return term
    return None  # pragma: no cover


def urban_or_rural(p) -> str | None:
    """« urbain », « rural » or None (a département, a région, an actor, a mid-sized commune)."""
    if p.type in URBAN_TYPES:
        return "urbain"
    if p.type in RURAL_TYPES:
        return "rural"
    if p.type == "commune" and p.official is not None:
        if p.official.population >= 50_000:
            return "urbain"
        if p.official.population < 10_000:
            return "rural"
    return None


def profile(partners) -> str | None:
    """Term of the « profils » facet of a cooperation from its partners."""
    kinds = [k for k in (urban_or_rural(p) for p in partners) if k]
    if "urbain" in kinds and "rural" in kinds:
        return "urbain-rural"
    if kinds.count("urbain") >= 2:
        return "entre-territoires-urbains"
    if kinds.count("rural") >= 2:
        return "entre-territoires-ruraux"
    return None
