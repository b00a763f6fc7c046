"""What became of an agreement or a demand: its history across the stored articles.

:func:`history` finds the agreements whose name or an alias, and the tracked demands whose
content or one of whose actors, match a phrase, and returns each one's steps in order
(:mod:`kg_builder.rdf.history` says how steps and tracked demands are made). The
``kg-builder history`` command prints them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg_builder.errors import QueryError
from kg_builder.rdf import vocab as V
from kg_builder.store.embedded import open_store, run_query

#: What ``kind`` may be.
KINDS = ("agreement", "demand")

_PREFIXES = f"""PREFIX kgb: <{V.KGB}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@dataclass(frozen=True, slots=True)
class Step:
    """One article's report in a history."""

    ordinal: int
    date: str  # the article's publication date ('' when unknown)
    status: str  # the code list's label: "made", "reiterated", "in force", ...
    article_id: str
    said: str  # the agreement's name, or the demand's words, in that article
    evidence: str  # the sentence


@dataclass(frozen=True, slots=True)
class Timeline:
    """The history of one agreement or one tracked demand."""

    kind: str  # "agreement" or "demand"
    iri: str
    title: str  # the agreement's name, or the demand's first words
    actors: str  # the parties, or "demanders → addressees"
    status_now: str
    first_seen: str
    last_seen: str
    steps: tuple[Step, ...]

    @property
    def articles(self) -> int:
        """How many articles report it."""
        return len({s.article_id for s in self.steps})


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    text = re.sub(r"[^\w\s'-]", " ", text)
    return re.sub(r"^the ", "", " ".join(text.split()))


def matches(phrase: str, text: str) -> bool:
    """``phrase`` equals ``text``, or its words occur in ``text`` as whole words, both
    case-folded, without punctuation or a leading "the".

    >>> matches("minsk agreements", "the Minsk Agreements")
    True
    >>> matches("Minsk", "Minsk accords") and not matches("Mins", "Minsk accords")
    True
    """
    p, t = _norm(phrase), _norm(text)
    return bool(p) and re.search(r"(^|\W)" + re.escape(p) + r"($|\W)", t) is not None


def _rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = run_query(store, _PREFIXES + query, union_default_graph=True)
    columns = [v.value for v in result.variables]
    return [{c: ("" if r[c] is None else str(r[c].value)) for c in columns} for r in result]


def _values(iris) -> str:
    return " ".join(f"<{i}>" for i in sorted(iris))


def _agreements(store: ox.Store, phrase: str) -> list[str]:
    rows = _rows(
        store,
        """SELECT ?x ?n WHERE { ?x a kgb:Agreement ; kgb:step ?s .
             { ?x kgb:name ?n } UNION { ?x kgb:alias ?n } }""",
    )
    return sorted({r["x"] for r in rows if matches(phrase, r["n"])})


def _demands(store: ox.Store, phrase: str) -> list[str]:
    rows = _rows(
        store,
        """SELECT ?x ?n WHERE { ?x a kgb:TrackedDemand .
             { ?x kgb:content ?n } UNION
             { ?x kgb:demander|kgb:addressee ?a .
               { ?a kgb:name ?n } UNION { ?a kgb:alias ?n } } }""",
    )
    return sorted({r["x"] for r in rows if matches(phrase, r["n"])})


def _timelines(store: ox.Store, kind: str, iris: list[str]) -> list[Timeline]:
    if not iris:
        return []
    said = "kgb:name" if kind == "agreement" else "kgb:content"
    who = (
        "OPTIONAL { ?x kgb:party/kgb:name ?p1 }"
        if kind == "agreement"
        else "OPTIONAL { ?x kgb:demander/kgb:name ?p1 } OPTIONAL { ?x kgb:addressee/kgb:name ?p2 }"
    )
    heads = _rows(
        store,
        f"""SELECT ?x ?title (GROUP_CONCAT(DISTINCT ?p1; separator=", ") AS ?by)
                  (GROUP_CONCAT(DISTINCT ?p2; separator=", ") AS ?to) ?now ?first ?last
            WHERE {{ VALUES ?x {{ {_values(iris)} }}
              ?x {"kgb:name" if kind == "agreement" else "kgb:content"} ?title .
              {who}
              OPTIONAL {{ ?x kgb:agreementStatus|kgb:demandStatus ?st . ?st skos:prefLabel ?now }}
              OPTIONAL {{ ?x kgb:firstSeen ?first }} OPTIONAL {{ ?x kgb:lastSeen ?last }} }}
            GROUP BY ?x ?title ?now ?first ?last""",
    )
    steps = _rows(
        store,
        f"""SELECT ?x ?n ?date ?status ?id ?said ?evidence WHERE {{ VALUES ?x {{ {_values(iris)} }}
              ?x kgb:step ?s . ?s kgb:ordinal ?n ; kgb:status ?st ; kgb:basis ?b .
              OPTIONAL {{ ?s kgb:seenOn ?date }} OPTIONAL {{ ?st skos:prefLabel ?status }}
              ?b {said} ?said ; kgb:evidence/kgb:sentence ?evidence ;
                 prov:wasDerivedFrom/kgb:articleId ?id . }}""",
    )
    by: dict[str, list[Step]] = {}
    for r in steps:
        step = Step(int(r["n"]), r["date"], r["status"], r["id"], r["said"], r["evidence"])
        by.setdefault(r["x"], []).append(step)
    out = []
    for h in heads:
        actors = h["by"] if kind == "agreement" else f"{h['by']} → {h['to'] or '?'}"
        out.append(
            Timeline(
                kind,
                h["x"],
                h["title"],
                actors,
                h["now"],
                h["first"],
                h["last"],
                tuple(sorted(by.get(h["x"], ()), key=lambda s: s.ordinal)),
            )
        )
    return out


def history(
    store_path: str | Path, phrase: str, *, kind: str | None = None, min_articles: int = 1
) -> tuple[Timeline, ...]:
    """The histories of the agreements and tracked demands that match ``phrase``.

    Args:
        store_path: The embedded store.
        phrase: Words of an agreement's name or alias ("Minsk Agreements", "JCPOA"), or
            of a demand's content or one of its actors' names ("withdraw", "Russia").
        kind: "agreement" or "demand" to look for one kind only.
        min_articles: Leave out histories reported in fewer articles.

    Returns:
        Timelines, those reported in most articles first, each with its steps in order.

    Raises:
        QueryError: an unknown ``kind``.
        StoreError: there is no store at ``store_path``.

    >>> # history("data/store", "Minsk Agreements")[0].steps[0].status  # e.g. 'in force'
    """
    if kind is not None and kind not in KINDS:
        raise QueryError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    store = open_store(store_path, read_only=True)
    found: list[Timeline] = []
    if kind in (None, "agreement"):
        found += _timelines(store, "agreement", _agreements(store, phrase))
    if kind in (None, "demand"):
        found += _timelines(store, "demand", _demands(store, phrase))
    found = [t for t in found if t.articles >= min_articles]
    return tuple(sorted(found, key=lambda t: (-t.articles, t.kind, t.title, t.iri)))
