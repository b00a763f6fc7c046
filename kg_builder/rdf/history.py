"""Histories: the same demand, and the same agreement, followed across articles by date.

**Tracked demands.** Only shared actors count here (an actor that exists in one article
only, "an Iranian source", cannot be recognised in another); a demand with no shared
demander is not tracked. Two demands read from articles are *linked* when

1. they have a demander in common, and an addressee in common (or neither has one), and
2. their contents are similar: the Jaccard index of their word signatures is at least
   :data:`SIMILARITY` (0.5). A signature is the set of the content's words, case-folded,
   without English stop words (spaCy's list, negations kept: "not" matters), each cut to
   its first :data:`STEM_LENGTH` (5) characters — truncation stemming, so that
   "withdraw" / "withdrawal" and "troops" / "troop" meet while "lift sanctions" and
   "impose sanctions" (1 of 3 stems shared) stay apart.

One tracked demand is a connected component of "is linked to" (so the grouping does not
depend on the order in which articles arrive); its demanders and addressees are those of
all its reports. It has one ``kgb:StatusStep`` per report, ordered by article date, then
article id, then offset. The first report that says the demand was made gives ``made``; a later one
``reiterated``; a report that the addressee accepted, rejected, or the demander withdrew
it gives that status. The tracked demand's status is its last step's.

**Agreement histories.** Every report of an agreement is a step with the status that
article gives; the agreement's ``kgb:agreementStatus`` is that of the latest step whose
status is known.

Both record first and last seen (the earliest and latest publication date) and, per
step, the article's date (``kgb:seenOn``), the fact it rests on (``kgb:basis``, whose
evidence gives the sentence) and the article (``prov:wasDerivedFrom``).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg_builder.rdf import vocab as V
from kg_builder.rdf.claims import AgreementClaim, ArticleInfo, DemandClaim, Triple
from kg_builder.rdf.iris import IriMinter

#: Two demands are the same when their signatures' Jaccard index reaches this.
SIMILARITY = 0.5
#: Words are compared on their first this many characters.
STEM_LENGTH = 5
#: Stop words that carry the meaning of a demand and are kept.
_KEPT = frozenset({"no", "not", "never", "nor", "none", "neither", "nothing", "without"})
_WORD = re.compile(r"[^\W\d_]+|\d+")

_MADE = V.DEMAND_STATUS["made"]
_REITERATED = V.DEMAND_STATUS["reiterated"]
_UNKNOWN = V.AGREEMENT_STATUS["unknown"]


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # a plain word list; no model loaded

    return frozenset(STOP_WORDS) - _KEPT


def signature(content: str) -> frozenset[str]:
    """The word signature of a demand's content (see the module docstring).

    >>> sorted(signature("withdraw its troops from the border"))
    ['borde', 'troop', 'withd']
    """
    stop = _stop_words()
    words = _WORD.findall(content.casefold())
    return frozenset(w[:STEM_LENGTH] for w in words if w not in stop)


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Jaccard index of two signatures ≥ :data:`SIMILARITY` (two empty ones are equal)."""
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= SIMILARITY


def linked(a: DemandClaim, b: DemandClaim, sig_a=None, sig_b=None) -> bool:
    """Whether two demands are the same demand by one link (see the module docstring)."""
    if not set(a.demanders) & set(b.demanders):
        return False
    if (a.addressees or b.addressees) and not set(a.addressees) & set(b.addressees):
        return False
    return similar(sig_a or signature(a.content), sig_b or signature(b.content))


def threads(claims: Iterable[DemandClaim]) -> list[list[DemandClaim]]:
    """Demands grouped into the same demand: the connected components of
    :func:`linked` (independent of the order of ``claims``), each sorted by IRI."""
    members = sorted({c.demand: c for c in claims if c.demanders}.values(), key=lambda c: c.demand)
    sigs = [signature(c.content) for c in members]
    # Only demands with a (demander, addressee) pair in common can be linked.
    by_pair: dict[tuple, list[int]] = defaultdict(list)
    for i, c in enumerate(members):
        for d in c.demanders:
            for a in c.addressees or (None,):
                by_pair[d, a].append(i)
    parent = list(range(len(members)))
    tried: set[tuple[int, int]] = set()
    for indices in by_pair.values():
        for x, i in enumerate(indices):
            for j in indices[x + 1 :]:
                if (i, j) in tried:
                    continue
                tried.add((i, j))
                if linked(members[i], members[j], sigs[i], sigs[j]):
                    parent[_root(parent, j)] = _root(parent, i)
    components: dict[int, list[DemandClaim]] = defaultdict(list)
    for i, c in enumerate(members):
        components[_root(parent, i)].append(c)
    return sorted(components.values(), key=lambda t: t[0].demand)


def _root(parent: list[int], i: int) -> int:
    """Union-find: the representative of ``i`` (bounded by the list's length)."""
    for _ in range(len(parent)):
        if parent[i] == i:
            break
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _ordered(claims, articles: dict, start=lambda c: 0) -> list:
    def order(c):
        info = articles.get(c.article) or ArticleInfo(str(c.article))
        return (*info.order(), start(c), str(getattr(c, "demand", None) or c.report))

    return sorted(claims, key=order)


def _seen(history: URIRef, claims, articles: dict) -> list[Triple]:
    dates = sorted(
        {articles[c.article].published for c in claims if c.article in articles} - {None}
    )
    out: list[Triple] = []
    if dates:
        out += [
            (history, V.firstSeen, Literal(dates[0], datatype=XSD.date)),
            (history, V.lastSeen, Literal(dates[-1], datatype=XSD.date)),
        ]
    return out


def _step(history: URIRef, n: int, status: URIRef, basis: URIRef, article, articles) -> list:
    node = URIRef(IriMinter.step_of(history, basis))
    out: list[Triple] = [
        (history, V.step, node),
        (node, RDF.type, V.StatusStep),
        (node, V.status, status),
        (node, V.ordinal, Literal(n, datatype=XSD.integer)),
        (node, V.basis, basis),
    ]
    if article is not None:
        out.append((node, V.wasDerivedFrom, article))
        published = articles[article].published if article in articles else None
        if published:
            out.append((node, V.seenOn, Literal(published, datatype=XSD.date)))
    return out


def agreement_history(
    agreement: URIRef, claims: list[AgreementClaim], articles: dict[URIRef, ArticleInfo]
) -> list[Triple]:
    """The steps of an agreement's history and its status now (see the module)."""
    ordered = _ordered(claims, articles)
    out: list[Triple] = []
    for n, c in enumerate(ordered, 1):
        out += _step(agreement, n, c.status, c.report, c.article, articles)
    known = [c.status for c in ordered if c.status != _UNKNOWN]
    out.append((agreement, V.agreementStatus, known[-1] if known else _UNKNOWN))
    out += _seen(agreement, claims, articles)
    return out


def tracked_demands(
    claims: Iterable[DemandClaim], articles: dict[URIRef, ArticleInfo], minter: IriMinter
) -> list[Triple]:
    """The tracked demands of ``claims``, with their steps.

    ``claims`` must hold whole components: every demand linked to one of them (the store
    reads them so, :mod:`kg_builder.store.entities`). Their actors must be shared ones.
    """
    out: list[Triple] = []
    for thread in threads(claims):
        ordered = _ordered(thread, articles, start=lambda c: c.start)
        first = ordered[0]
        node = URIRef(minter.tracked_demand(first.demanders, first.addressees, first.content))
        out += [
            (node, RDF.type, V.TrackedDemand),
            (node, V.content, Literal(first.content)),
            (node, RDFS.label, Literal(first.content)),
        ]
        out += [(node, V.demander, d) for d in sorted({d for c in thread for d in c.demanders})]
        out += [(node, V.addressee, a) for a in sorted({a for c in thread for a in c.addressees})]
        status = _MADE
        for n, c in enumerate(ordered, 1):
            status = c.status if c.status != _MADE else (_MADE if n == 1 else _REITERATED)
            out += _step(node, n, status, c.demand, c.article, articles)
        out.append((node, V.demandStatus, status))
        out += [(node, V.report, c.demand) for c in sorted(thread, key=lambda c: c.demand)]
        out += _seen(node, thread, articles)
    return out
