"""The knowledge graph (stage 3): indexes, territories, reverse links, neighbours.

Built once from validated records; every index is a dictionary filled in one
pass, and "coopérations proches" come from an inverted index, never from
comparing all pairs of cases.
"""
from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field

from ..content import groupings as G
from ..content.model import Cooperation, Partner, Recommendation
from ..content.validate import Content
from ..content.vocab import Vocabulary
from .collation import sort_key

COOPERATION_VOCABS = ("themes", "finalites", "portages", "temporalites", "intensites", "fonctions",
                      "leviers", "statuts", "regions", "types_territoire", "tailles", "profils", "echanges")
RECOMMENDATION_VOCABS = ("audiences", "axes")
RELATED_COUNT = 5
IDEA = "idee"  # statut of a workshop idea
START_HEADING = "## Comment commencer"  # a recommendation's section the audience pages link to
# postings longer than this are not walked to find neighbours (they say little)
_MAX_POSTING_WALK = 400


@dataclass
class Territory:
    """A partner of one or more cases, with the facts that belong to its source: an official
    territory's name, type, départements and population come from the official geography,
    a grouping's from data/groupements.yml; never from whichever fiche names it first (a
    fiche's usual name stays on that fiche: ``Partner.nom``)."""

    key: str
    nom: str
    type: str
    region: str | None
    departement: str | None
    code: str | None
    cooperations: list[str] = field(default_factory=list)
    category: str = "territoire"  # territoire, groupement or acteur (kb.content.identity)
    membres: tuple[str, ...] = ()
    grouping: object = None  # kb.content.groupings.Grouping of a grouping, else None

    @classmethod
    def from_partner(cls, partner: Partner, groupings=None) -> "Territory":
        territory = cls(partner.key, partner.nom, partner.type, partner.region, partner.departement,
                        partner.code, category=partner.category, membres=tuple(partner.membres))
        entity = territory.official
        if entity is not None:
            territory.nom = official_name(entity)
            territory.departement = entity.departement if entity.kind != "region" else None
        grouping = groupings.by_id.get(partner.grouping_id) if groupings and partner.grouping_id else None
        if grouping is not None:
            territory.grouping = grouping
            territory.nom, territory.type, territory.membres = grouping.nom, grouping.type, grouping.membres
            territory.departement = grouping.departements[0] if grouping.departements else partner.departement
        return territory

    def complete(self, partner: Partner) -> None:
        """Fill what an earlier mention left unknown (an actor's département or région)."""
        self.region = self.region or partner.region
        self.departement = self.departement or partner.departement
        self.code = self.code or partner.code

    @property
    def official(self):
        """The official entity (kb.content.cog.Entity) of a coded territory, else None."""
        from ..content.identity import entity_of

        return entity_of(self.code, self.type) if self.code else None

    @property
    def is_actor(self) -> bool:
        return self.category == "acteur"


def official_name(entity) -> str:
    """The name shown for an official territory: its official name, an EPCI's legal form
    spelled out (« CC Poher Communauté » -> « Communauté de communes Poher Communauté »)."""
    from ..content.cog import spelled_out

    return spelled_out(entity.nom) if entity.kind == "epci" else entity.nom


@dataclass
class Graph:
    content: Content
    vocabularies: dict[str, Vocabulary]
    cooperations: dict[str, Cooperation]
    recommendations: dict[str, Recommendation]
    by_term: dict[str, dict[str, list[str]]]  # vocab -> term -> ids (cases or recommendations)
    territories: dict[str, Territory]
    recos_of: dict[str, list[str]]  # cooperation id -> recommendation ids
    coops_of: dict[str, list[str]]  # recommendation id -> cooperation ids
    citing: dict[str, dict[str, list[str]]]  # document id -> {"cooperations": [...], "recommandations": [...]}
    partners_of: dict[str, list[str]]  # territory key -> other territory keys
    # recommendation id -> whether its text has a « Comment commencer » section (the audience
    # pages link to it): the one fact of a body shown on another page than the record's own
    starts: dict[str, bool] = field(default_factory=dict)
    # "coopérations proches", computed on first use (only case pages show them: where
    # pages are rendered in a helper process, the helper computes them)
    related_ids: dict[str, list[str]] | None = field(default=None, repr=False)

    @property
    def related(self) -> dict[str, list[str]]:
        if self.related_ids is None:
            self.related_ids = related_cooperations(self.cooperations)
        return self.related_ids

    def cooperations_citing(self, recommendation_ids) -> list[str]:
        """Cases that illustrate any of these recommendations, each once, in title order."""
        found = {cid for rid in recommendation_ids for cid in self.coops_of.get(rid, [])}
        # reads only these cases
        return sorted(found, key=lambda cid: (sort_key(self.cooperations[cid].titre), cid))

    @property
    def realised(self) -> list[str]:
        """Cases that exist or are under way, in title order: workshop ideas (statut idee) left out."""
        return [cid for cid, c in self.cooperations.items() if c.statut != IDEA]

    @property
    def ideas(self) -> list[str]:
        """Workshop ideas (statut idee), in title order: listed apart, never counted as cases."""
        return [cid for cid, c in self.cooperations.items() if c.statut == IDEA]

    def recommendations_illustrated_by(self, cooperation_ids) -> list[str]:
        """Recommendations that any of these cases illustrates, each once, in title order."""
        found = {rid for cid in cooperation_ids for rid in self.recos_of.get(cid, [])}
        return sorted(found, key=lambda rid: (sort_key(self.recommendations[rid].titre), rid))

    def count_ideas(self, cooperation_ids) -> int:
        """How many of these cases are workshop ideas (reads only these cases)."""
        return sum(1 for cid in cooperation_ids if self.cooperations[cid].statut == IDEA)

    def key_recommendations(self, audience: str, count: int = 3) -> list[str]:
        """The recommendations that matter most for an audience: those addressed to the fewest
        audiences (the most specific to it), then the most illustrated by cases, then by title."""
        ids = self.by_term.get("audiences", {}).get(audience, [])
        rank = {rid: k for k, rid in enumerate(ids)}
        return sorted(ids, key=lambda rid: (len(self.recommendations[rid].audiences),
                                            -len(self.coops_of.get(rid, [])), rank[rid]))[:count]

    def recently_added(self, count: int = 8) -> list[str]:
        """The ``count`` cases added last, by date then title; none when every case was added
        the same day (such a list would say nothing)."""
        if len({c.date_ajout for c in self.cooperations.values()}) < 2:
            return []
        # a stable sort: cases added the same day stay in title order
        return sorted(self.cooperations, key=lambda cid: self.cooperations[cid].date_ajout, reverse=True)[:count]

    def source_groups(self, sources) -> list[tuple[object, list]]:
        """A record's sources grouped by the document they cite, in order of first mention:
        (first source of the group, [sources that name a section or a link])."""
        groups: dict[tuple, tuple[object, list]] = {}
        for source in sources:
            if source.document and source.document in self.content.documents:
                key = ("document", source.document)
            elif source.reference and source.reference in self.content.references:
                key = ("reference", source.reference)
            else:
                key = ("cited", source.titre, source.editeur, source.date)
            first, details = groups.setdefault(key, (source, []))
            if (source.section or source.url) and all((d.section, d.url) != (source.section, source.url)
                                                      for d in details):
                details.append(source)
        return list(groups.values())

    def terms_of(self, vocab: str) -> list[tuple[str, list[str]]]:
        """(term id, ids) for every term of a vocabulary, in the vocabulary's order."""
        index = self.by_term.get(vocab, {})
        return [(tid, index.get(tid, [])) for tid in self.vocabularies[vocab].terms]


def _title_order(records) -> dict[str, int]:
    """id -> rank of the record by title in French order (kb.graph.collation), then id:
    one sort for every list."""
    ranked = sorted(records, key=lambda i: (sort_key(records[i].titre), i))
    return {rid: n for n, rid in enumerate(ranked)}


def _sorted_ids(ids, order: dict[str, int]) -> list[str]:
    return sorted(set(ids), key=order.__getitem__)


def features(coop: Cooperation) -> list[str]:
    """What "coopérations proches" compares: a case's terms, territories and regions."""
    feats = [f"{v}:{t}" for v in COOPERATION_VOCABS if v not in ("statuts", "regions", "types_territoire", "tailles", "profils", "echanges")
             for t in coop.terms(v)]
    feats += [f"territoire:{p.key}" for p in coop.territoires]
    feats += [f"region:{r}" for r in coop.terms("regions")]
    return feats


def related_cooperations(cooperations: dict[str, Cooperation], k: int = RELATED_COUNT) -> dict[str, list[str]]:
    """The ``k`` cases sharing the most (rarity-weighted) terms and territories with each case.
    They depend on nothing else than each case's ``features``."""
    features_of: dict[str, list[str]] = {}
    postings: dict[str, list[str]] = defaultdict(list)
    for cid, coop in cooperations.items():
        feats = features_of[cid] = features(coop)
        for f in feats:
            postings[f].append(cid)
    n = max(len(cooperations), 1)
    weight = {f: math.log(1 + n / len(ids)) for f, ids in postings.items()}
    related = {}
    rank = lambda item: (-item[1], item[0])  # noqa: E731 - best score first, then id
    for cid, feats in features_of.items():
        scores: dict[str, float] = {}
        get = scores.get
        for f in sorted(feats, key=lambda f: len(postings[f])):
            ids = postings[f]
            if len(ids) > _MAX_POSTING_WALK and len(scores) > (cid in scores):
                break
            w = weight[f]
            for other in ids[:_MAX_POSTING_WALK]:
                scores[other] = get(other, 0.0) + w
        scores.pop(cid, None)
        # the k best without sorting every candidate (same order as sorted(...)[:k])
        related[cid] = [other for other, _ in heapq.nsmallest(k, scores.items(), key=rank)]
    return related


def build_graph(content: Content) -> Graph:
    """The graph of validated ``content`` (its vocabularies are those it was checked against)."""
    vocabularies = content.data.vocabularies
    coops = dict(sorted(content.cooperations.items()))
    recos = dict(sorted(content.recommendations.items()))

    by_term: dict[str, dict[str, list[str]]] = {v: defaultdict(list) for v in
                                                COOPERATION_VOCABS + RECOMMENDATION_VOCABS}
    territories: dict[str, Territory] = {}
    groupings = G.of(content.data)
    partners_of: dict[str, set[str]] = defaultdict(set)
    for cid, coop in coops.items():
        for vocab in COOPERATION_VOCABS:
            for term in coop.terms(vocab):
                by_term[vocab][term].append(cid)
        keys = []
        for partner in coop.territoires:
            if partner.category == "ensemble":  # a described partner: text on the case, no page
                continue
            territory = territories.get(partner.key)
            if territory is None:
                territory = territories[partner.key] = Territory.from_partner(partner, groupings)
            else:
                territory.complete(partner)
            if territory.cooperations[-1:] != [cid]:  # cases come one after the other
                territory.cooperations.append(cid)
            keys.append(partner.key)
        for key in keys:
            partners_of[key].update(k for k in keys if k != key)
    for rid, reco in recos.items():
        for vocab in RECOMMENDATION_VOCABS:
            for term in reco.terms(vocab):
                by_term[vocab][term].append(rid)

    recos_of: dict[str, set[str]] = defaultdict(set)
    coops_of: dict[str, set[str]] = defaultdict(set)
    for cid, coop in coops.items():
        for rid in coop.recommandations:
            recos_of[cid].add(rid)
            coops_of[rid].add(cid)
    for rid, reco in recos.items():
        for cid in reco.cooperations:
            recos_of[cid].add(rid)
            coops_of[rid].add(cid)

    citing: dict[str, dict[str, list[str]]] = {d: {"cooperations": [], "recommandations": []}
                                               for d in content.documents}
    for kind, records in (("cooperations", coops), ("recommandations", recos)):
        for rid, record in records.items():
            for doc in {s.document for s in record.sources if s.document}:
                citing[doc][kind].append(rid)

    coop_order, reco_order = _title_order(coops), _title_order(recos)
    # every listing of all cases or recommendations is in French alphabetical order of titles
    coops = {cid: coops[cid] for cid in sorted(coops, key=coop_order.__getitem__)}
    recos = {rid: recos[rid] for rid in sorted(recos, key=reco_order.__getitem__)}
    return Graph(
        content=content,
        vocabularies=vocabularies,
        cooperations=coops,
        recommendations=recos,
        by_term={v: {t: _sorted_ids(ids, coop_order if v in COOPERATION_VOCABS else reco_order)
                     for t, ids in terms.items()} for v, terms in by_term.items()},
        territories=dict(sorted(territories.items(), key=lambda kv: (sort_key(kv[1].nom), kv[0]))),
        recos_of={c: _sorted_ids(r, reco_order) for c, r in recos_of.items()},
        coops_of={r: _sorted_ids(c, coop_order) for r, c in coops_of.items()},
        citing={d: {k: _sorted_ids(ids, coop_order if k == "cooperations" else reco_order) for k, ids in v.items()}
                for d, v in citing.items()},
        partners_of={k: sorted(v) for k, v in partners_of.items()},
        starts={rid: START_HEADING in reco.body for rid, reco in recos.items()},
    )
