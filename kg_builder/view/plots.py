"""Pictures of the graph, each one self-contained HTML file a person can open offline.

* :func:`plot_network` — who demands what of whom: actors as nodes, demands as directed
  edges (width = how many, colour = status), meetings as dashed edges between the actors
  who met. Drawn by vis-network (the copy that ships with pyvis, inlined in the file).
* :func:`plot_timeline` — meetings, demands, agreement statuses (and their changes) and
  statements over time, one row each. A Vega-Lite chart built with altair and drawn by
  Vega (the bundle from vl-convert, inlined in the file).

Both read the graph through :mod:`kg_builder.view.data`, so they work on the embedded
store and on a remote endpoint alike, and take the same :class:`~kg_builder.view.data.Filters`.
The layout is seeded: the same graph gives the same file and the same picture.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kg_builder.errors import ConfigError
from kg_builder.view.data import (
    ActorRef,
    DemandRecord,
    Filters,
    MeetingRecord,
    agreements,
    class_labels,
    demands,
    meetings,
    statements,
)
from kg_builder.view.render import render, write_text
from kg_builder.view.source import Source

if TYPE_CHECKING:
    import altair as alt
    from pyvis.network import Network

#: Edge colour of a demand by its status (the demand-status code list).
STATUS_COLOURS = {"made": "#4e79a7", "accepted": "#59a14f", "rejected": "#e15759"}
#: Edge colour of "met at a meeting".
MEETING_COLOUR = "#8c8c8c"
#: Node colour by the actor's class (local name); others get ``OTHER_COLOUR``.
KIND_COLOURS = {
    "State": "#f28e2b",
    "GovernmentBody": "#edc948",
    "InternationalOrganisation": "#76b7b2",
    "Person": "#b07aa1",
    "CollectiveActor": "#bab0ac",
    "Organisation": "#9c755f",
    "ArmedGroup": "#ff9da7",
    "PoliticalParty": "#86bcb6",
    "MediaOrganisation": "#d4a6c8",
}
OTHER_COLOUR = "#a0cbe8"
#: Colour of each kind of event on the timeline, in the order of its legend.
EVENT_COLOURS = {
    "meeting": "#76b7b2",
    "demand": "#4e79a7",
    "agreement": "#f28e2b",
    "statement": "#b07aa1",
}
#: Longest label on the timeline, in characters.
LABEL_CHARS = 130


@dataclass(frozen=True)
class Picture:
    """A picture written to a file.

    Attributes:
        path: The HTML file.
        title: The picture's title.
        summary: What it shows, in a few words ("9 actors, 8 demand links, 6 meeting links").
    """

    path: Path
    title: str
    summary: str


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _subtitle(source: Source, filters: Filters, extra: str = "") -> str:
    what = filters.describe()
    parts = [f"From {source}"] + ([what] if what else []) + ([extra] if extra else [])
    return "; ".join(parts) + "."


# --------------------------------------------------------------------------- network


@dataclass(frozen=True)
class _Link:
    """A network edge: who, whom, and the facts behind it."""

    source: ActorRef
    target: ActorRef
    status: str  # a demand status, or "met"
    items: tuple[str, ...]  # what was demanded / which meetings
    count: int


def _demand_links(records: Iterable[DemandRecord]) -> list[_Link]:
    facts: dict[tuple[ActorRef, ActorRef, str], set[str]] = defaultdict(set)
    items: dict[tuple[ActorRef, ActorRef, str], set[str]] = defaultdict(set)
    for d in records:
        for a, b in itertools.product(d.demanders, d.addressees):
            if a.iri != b.iri:
                facts[a, b, d.status].add(d.iri)
                items[a, b, d.status].add(d.content)
    return [
        _Link(a, b, status, tuple(sorted(items[a, b, status])), len(facts[a, b, status]))
        for (a, b, status) in sorted(facts)
    ]


def _meeting_links(records: Iterable[MeetingRecord]) -> list[_Link]:
    facts: dict[tuple[ActorRef, ActorRef], set[str]] = defaultdict(set)
    items: dict[tuple[ActorRef, ActorRef], set[str]] = defaultdict(set)
    for m in records:
        for a, b in itertools.combinations(sorted(m.participants), 2):
            facts[a, b].add(m.iri)
            items[a, b].add(f"{m.name} ({m.date})" if m.date else m.name)
    return [
        _Link(a, b, "met", tuple(sorted(items[a, b])), len(facts[a, b])) for (a, b) in sorted(facts)
    ]


def _busiest(links: list[_Link], most: int) -> set[str]:
    """The IRIs of the ``most`` actors in the most facts (ties broken by name)."""
    activity: Counter[ActorRef] = Counter()
    for link in links:
        activity[link.source] += link.count
        activity[link.target] += link.count
    ranked = sorted(activity, key=lambda a: (-activity[a], a))
    return {a.iri for a in ranked[:most]}


def _network_options() -> dict[str, object]:
    """vis-network options: a seeded force layout, settled before the first drawing."""
    return {
        "layout": {"randomSeed": 11, "improvedLayout": True},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -160,
                "springLength": 230,
                "avoidOverlap": 0.6,
            },
            "stabilization": {"enabled": True, "iterations": 600, "fit": True},
        },
        "nodes": {
            "shape": "dot",
            "font": {"size": 15, "face": "DejaVu Sans, Arial, sans-serif", "strokeWidth": 3},
            "scaling": {"min": 10, "max": 28},
            "borderWidth": 1,
        },
        "edges": {
            "scaling": {"min": 1, "max": 9, "label": {"enabled": False}},
            "font": {"size": 13, "align": "horizontal", "strokeWidth": 4},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3},
            "arrowStrikethrough": False,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    }


def _kind_label(kind: str) -> str:
    return class_labels().get(kind, kind)


@functools.cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and style sheet, as shipped inside pyvis."""
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    return (
        (lib / "vis-network.min.js").read_text(encoding="utf-8"),
        (lib / "vis-network.css").read_text(encoding="utf-8"),
    )


def _edge_tooltip(link: _Link) -> str:
    if link.status == "met":
        head = f"{link.source.name} and {link.target.name}: {_count(link.count, 'meeting')}"
    else:
        head = (
            f"{link.source.name} → {link.target.name}: {_count(link.count, 'demand')} {link.status}"
        )
    return "\n".join([head, *(f"• {item}" for item in link.items)])


def _build_network(links: list[_Link], keep: set[str]) -> tuple[Network, dict[str, ActorRef]]:
    """The pyvis network of the links between kept actors, and those actors by IRI."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    degree: Counter[str] = Counter()
    actors: dict[str, ActorRef] = {}
    for link in links:
        if link.source.iri in keep and link.target.iri in keep:
            for end in (link.source, link.target):
                degree[end.iri] += link.count
                actors[end.iri] = end
    for actor in sorted(actors.values()):
        net.add_node(
            actor.iri,
            label=actor.name,
            title=f"{actor.name} ({_kind_label(actor.kind)})",
            color=KIND_COLOURS.get(actor.kind, OTHER_COLOUR),
            value=degree[actor.iri],
        )
    pairs: Counter[frozenset[str]] = Counter()
    for link in links:
        if link.source.iri not in actors or link.target.iri not in actors:
            continue
        pair = frozenset((link.source.iri, link.target.iri))
        nth = pairs[pair]
        pairs[pair] += 1
        options: dict[str, object] = {
            "value": link.count,
            "title": _edge_tooltip(link),
            "label": str(link.count) if link.count > 1 else "",
        }
        if nth:  # another edge between the same two actors: bend it away
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.2 * nth}
        if link.status == "met":
            options.update(color=MEETING_COLOUR, dashes=True, arrows={"to": {"enabled": False}})
        else:
            options.update(color=STATUS_COLOURS.get(link.status, OTHER_COLOUR), arrows="to")
        net.add_edge(link.source.iri, link.target.iri, **options)
    return net, actors


def network_html(
    source: Source,
    filters: Filters | None = None,
    *,
    max_actors: int = 60,
    title: str = "Who demands what of whom",
) -> tuple[str, str]:
    """The network picture as an HTML page, and a summary of what it shows.

    Args:
        source: The graph.
        filters: Which demands and meetings to show.
        max_actors: Show at most this many actors (those in the most demands and
            meetings), so that a large graph stays readable.
        title: The page's title.

    Raises:
        ConfigError: an actor filter that names no actor, a bad date.
        QueryError, StoreError, EndpointError: the graph could not be read.
    """
    if max_actors < 1:
        raise ConfigError(f"the most actors to show must be at least 1, not {max_actors}")
    filters = filters or Filters()
    demand_links = _demand_links(demands(source, filters))
    meeting_links = _meeting_links(meetings(source, filters))
    links = demand_links + meeting_links
    keep = _busiest(links, max_actors)
    net, shown = _build_network(links, keep)
    nodes, edges, *_ = net.get_network_data()
    everyone = {a.iri for link in links for a in (link.source, link.target)}
    cut = (
        f"the {len(shown)} most active of {len(everyone)} actors"
        if len(everyone) > len(shown)
        else ""
    )
    summary = ", ".join(
        (
            _count(len(shown), "actor"),
            _count(sum(1 for e in edges if not e.get("dashes")), "demand link"),
            _count(sum(1 for e in edges if e.get("dashes")), "meeting link"),
        )
    )
    vis_js, vis_css = _vis_assets()
    kinds = sorted({a.kind for a in shown.values()}, key=_kind_label)
    html = render(
        "network.html",
        title=title,
        about=_subtitle(source, filters, cut) + " Drag to move, scroll to zoom, hover for details.",
        vis_js=vis_js,
        vis_css=vis_css + "\ndiv.vis-tooltip { white-space: pre-line; max-width: 32rem; }",
        height=640,
        nodes=nodes,
        edges=edges,
        options=_network_options(),
        statuses=list(STATUS_COLOURS.items()),
        meeting_colour=MEETING_COLOUR,
        kinds=[(_kind_label(k), KIND_COLOURS.get(k, OTHER_COLOUR)) for k in kinds],
        demand_rows=[_row(link) for link in demand_links if _shown(link, shown)],
        meeting_rows=[_row(link) for link in meeting_links if _shown(link, shown)],
    )
    return html, summary


def _shown(link: _Link, shown: dict[str, ActorRef]) -> bool:
    return link.source.iri in shown and link.target.iri in shown


def _row(link: _Link) -> dict[str, object]:
    return {
        "source": link.source.name,
        "target": link.target.name,
        "status": link.status,
        "count": link.count,
        "what": link.items,
    }


def plot_network(
    source: Source,
    output: str | Path,
    filters: Filters | None = None,
    *,
    max_actors: int = 60,
) -> Picture:
    """Write the network of demands and meetings to ``output`` (one HTML file).

    Example:
        >>> plot_network(StoreSource("out/store"), "out/network.html",
        ...              Filters(actors=("NATO",)))                      # doctest: +SKIP
        Picture(path=PosixPath('out/network.html'), title='Who demands what of whom', ...)

    Raises:
        ConfigError: a bad filter, or ``output`` cannot be written.
        QueryError, StoreError, EndpointError: the graph could not be read.
    """
    title = "Who demands what of whom"
    html, summary = network_html(source, filters, max_actors=max_actors, title=title)
    return Picture(write_text(output, html), title, summary)


# --------------------------------------------------------------------------- timeline


@dataclass(frozen=True, order=True)
class TimelineEvent:
    """One row of the timeline.

    Attributes:
        date: ``YYYY-MM-DD``, or '' when neither the fact nor its article has a date.
        kind: ``meeting``, ``demand``, ``agreement`` or ``statement``.
        label: One line saying who did what.
    """

    date: str
    kind: str
    label: str
    article_id: str
    sentence: str
    iri: str
    group: str = ""  # the agreement whose status the row reports (drawn as one line)


def _names(refs: Iterable[ActorRef]) -> str:
    return ", ".join(r.name for r in refs) or "?"


def _day(value: str) -> str:
    return value[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", value) else ""


def _agreement_events(source: Source, filters: Filters | None) -> list[TimelineEvent]:
    events = []
    previous: dict[str, str] = {}
    for a in agreements(source, filters):  # oldest first
        before = previous.get(a.iri)
        change = f"{before} → {a.status}" if before and before != a.status else a.status
        previous[a.iri] = a.status
        parties = f" (parties: {_names(a.parties)})" if a.parties else ""
        events.append(
            TimelineEvent(
                _day(a.date),
                "agreement",
                f"{a.name}: {change}{parties}",
                a.article_id,
                a.sentence,
                a.iri,
                group=a.iri,
            )
        )
    return events


def timeline_events(source: Source, filters: Filters | None = None) -> tuple[TimelineEvent, ...]:
    """The events of the timeline, by date (undated last), then kind and label."""
    events = [
        TimelineEvent(
            _day(m.date),
            "meeting",
            f"{m.name}{', ' + m.place if m.place else ''}{' (planned)' if m.planned else ''}: "
            f"{_names(m.participants)}",
            m.article_id,
            m.sentence,
            m.iri,
        )
        for m in meetings(source, filters)
    ]
    events += [
        TimelineEvent(
            _day(d.date),
            "demand",
            f"{_names(d.demanders)} → {_names(d.addressees) if d.addressees else 'whom?'}: "
            f"{d.content}{'' if d.status == 'made' else f' ({d.status})'}",
            d.article_id,
            d.sentence,
            d.iri,
        )
        for d in demands(source, filters)
    ]
    events += _agreement_events(source, filters)
    events += [
        TimelineEvent(
            _day(s.date),
            "statement",
            f"{_names(s.speakers) if s.speakers else 'unnamed'}: “{s.quote}”",
            s.article_id,
            s.sentence,
            s.iri,
        )
        for s in statements(source, filters)
    ]
    kinds = list(EVENT_COLOURS)
    return tuple(
        sorted(events, key=lambda e: (e.date == "", e.date, kinds.index(e.kind), e.label, e.iri))
    )


def _short(text: str, most: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _time_domain(days: list[str]) -> list[str] | None:
    if not days:
        return None
    first, last = dt.date.fromisoformat(min(days)), dt.date.fromisoformat(max(days))
    pad = dt.timedelta(days=max(1, (last - first).days // 20))
    return [(first - pad).isoformat(), (last + pad).isoformat()]


def timeline_spec(events: tuple[TimelineEvent, ...]) -> dict[str, object]:
    """The Vega-Lite specification of the timeline (built with altair)."""
    import altair as alt

    rows = [
        {
            "row": i,
            "date": e.date or None,
            "day": e.date or "no date",
            "kind": e.kind,
            "label": _short(e.label),
            "article": e.article_id,
            "evidence": _short(e.sentence, 300),
            "group": e.group,
        }
        for i, e in enumerate(events)
    ]
    data = alt.Data(values=rows)
    height = max(24, 22 * len(rows))
    y = alt.Y("row:O", axis=None)
    colour = alt.Scale(domain=list(EVENT_COLOURS), range=list(EVENT_COLOURS.values()))
    tooltip = [
        alt.Tooltip("day:N", title="date"),
        alt.Tooltip("kind:N"),
        alt.Tooltip("label:N", title="what"),
        alt.Tooltip("article:N"),
        alt.Tooltip("evidence:N", title="sentence"),
    ]
    domain = _time_domain([e.date for e in events if e.date])
    # Without a dated event the scale keeps Vega-Lite's own domain (altair refuses None).
    scale = alt.Scale(type="utc", domain=domain) if domain else alt.Scale(type="utc")
    x = alt.X(
        "date:T",
        title=None,
        scale=scale,
        axis=alt.Axis(format="%Y-%m-%d", orient="top", tickCount=3, labelOverlap=True),
    )
    days = (
        alt.Chart(data)
        .mark_text(align="right", baseline="middle", color="#555")
        .encode(x=alt.value(80), y=y, text="day:N")
        .properties(width=80, height=height)
    )
    base = alt.Chart(data).encode(x=x, y=y)
    strip = (
        base.transform_filter("datum.group != ''")
        .mark_line(color="#f28e2b", strokeDash=[3, 2])
        .encode(detail="group:N")
        + base.mark_circle(size=110, opacity=0.9).encode(
            color=alt.Color("kind:N", scale=colour, legend=alt.Legend(orient="top", title=None)),
            tooltip=tooltip,
        )
    ).properties(width=200, height=height)
    labels = (
        alt.Chart(data)
        .mark_text(align="left", baseline="middle", limit=800)
        .encode(
            x=alt.value(0),
            y=y,
            text="label:N",
            color=alt.Color("kind:N", scale=colour, legend=None),
            tooltip=tooltip,
        )
        .properties(width=800, height=height)
    )
    # resolve_scale and configure_* return a copy of the chart; mypy sees Any.
    chart: alt.HConcatChart = (
        alt.hconcat(days, strip, labels, spacing=10)
        .resolve_scale(y="shared")
        .configure_view(stroke=None)
        .configure_axis(grid=True, gridColor="#eee")
    )
    return chart.to_dict()


#: The bundle's own code: vega-embed, Vega and Vega-Lite as globals (the page calls
#: ``vegaEmbed``). It is vl-convert's default, given because its type stub requires one.
_VEGA_GLOBALS = "window.vegaEmbed=vegaEmbed; window.vega=vega; window.vegaLite=vegaLite;"


@functools.cache
def _vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script (from vl-convert), for altair's version.

    vl-convert builds the bundle on every call (seconds), so it is kept in the user's cache
    folder (``$XDG_CACHE_HOME/kg-builder``, else ``~/.cache/kg-builder``), one file per
    vl-convert and Vega-Lite version; without a writable cache it is built each time.
    """
    import importlib.metadata

    import altair as alt
    import vl_convert

    major, minor = alt.VEGALITE_VERSION.split(".")[:2]
    version = f"v{major}_{minor}"
    name = f"vega-embed-{importlib.metadata.version('vl-convert-python')}-{version}.js"
    home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    cached = Path(home) / "kg-builder" / name
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle(_VEGA_GLOBALS, vl_version=version)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_text(bundle, encoding="utf-8")
        partial.replace(cached)  # whole or not at all, even with two writers
    except OSError:
        pass
    return bundle


def timeline_html(
    source: Source,
    filters: Filters | None = None,
    *,
    max_events: int = 500,
    title: str = "What happened when",
) -> tuple[str, str]:
    """The timeline picture as an HTML page, and a summary of what it shows.

    Args:
        source: The graph.
        filters: Which facts to show.
        max_events: Show at most this many rows: the latest (undated ones last).
        title: The page's title.

    Raises:
        ConfigError: an actor filter that names no actor, a bad date, ``max_events`` < 1.
        QueryError, StoreError, EndpointError: the graph could not be read.
    """
    if max_events < 1:
        raise ConfigError(f"the most events to show must be at least 1, not {max_events}")
    filters = filters or Filters()
    every = timeline_events(source, filters)
    dated = [e for e in every if e.date]
    events = tuple(
        dated[-max_events:] + [e for e in every if not e.date][: max(0, max_events - len(dated))]
    )
    counts = Counter(e.kind for e in events)
    summary = ", ".join(_count(counts[k], k) for k in EVENT_COLOURS)
    cut = f"the latest {len(events)} of {len(every)} events" if len(events) < len(every) else ""
    about = (
        _subtitle(source, filters, ", ".join(filter(None, (summary, cut))))
        + " Hover over a row for the sentence it was read from."
    )
    spec = timeline_spec(events)
    html = render(
        "timeline.html", title=title, about=about, vega_js=_vega_bundle(), spec=spec, events=events
    )
    return html, summary


def plot_timeline(
    source: Source, output: str | Path, filters: Filters | None = None, *, max_events: int = 500
) -> Picture:
    """Write the timeline of meetings, demands, agreements and statements to ``output``.

    Give ``Filters(actors=(...))`` for one actor's story, ``Filters(articles=(...))`` for
    the story of some articles.

    Example:
        >>> plot_timeline(StoreSource("out/store"), "out/timeline.html")    # doctest: +SKIP
        Picture(path=PosixPath('out/timeline.html'), title='What happened when', ...)

    Raises:
        ConfigError: a bad filter, or ``output`` cannot be written.
        QueryError, StoreError, EndpointError: the graph could not be read.
    """
    title = "What happened when"
    html, summary = timeline_html(source, filters, max_events=max_events, title=title)
    return Picture(write_text(output, html), title, summary)
