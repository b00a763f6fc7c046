"""Deliberately broken article graphs, one fault at a time, read off the shapes themselves.

:func:`constraints` lists every constraint of a SHACL shapes graph that applies to a
targeted node (the node shape's own constraints and those of its property shapes), with
its constraint component. :func:`mutations` then yields, for one data graph, graphs that
each break one of them on one focus node — a value removed, added, retyped, ill-typed,
emptied, moved out of its list or its range — and a few that keep the graph valid in an
unusual way (a value of a datatype given with an equivalent lexical form). The
differential test between the SHACL engines (``tests/test_shacl_engines.py``) runs both
engines on every one; a component the shapes use and no operator here breaks fails that
test, so a new kind of constraint cannot slip past it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

#: Constraint parameters (the predicate in the shapes graph) → component local name.
COMPONENTS = {
    SH["class"]: "ClassConstraintComponent",
    SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent",
    SH.minCount: "MinCountConstraintComponent",
    SH.maxCount: "MaxCountConstraintComponent",
    SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent",
    SH.minLength: "MinLengthConstraintComponent",
    SH.maxLength: "MaxLengthConstraintComponent",
    SH.pattern: "PatternConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent",
    SH.equals: "EqualsConstraintComponent",
    SH.disjoint: "DisjointConstraintComponent",
    SH.lessThan: "LessThanConstraintComponent",
    SH.lessThanOrEquals: "LessThanOrEqualsConstraintComponent",
    SH["not"]: "NotConstraintComponent",
    SH["and"]: "AndConstraintComponent",
    SH["or"]: "OrConstraintComponent",
    SH.xone: "XoneConstraintComponent",
    SH.node: "NodeConstraintComponent",
    SH.qualifiedValueShape: "QualifiedValueShapeConstraintComponent",
    SH.closed: "ClosedConstraintComponent",
    SH.hasValue: "HasValueConstraintComponent",
    SH["in"]: "InConstraintComponent",
}

#: Where broken values point: never a term of the ontology, the shapes or the data.
ELSEWHERE = "urn:kg-builder:test:elsewhere:"


@dataclass(frozen=True)
class Constraint:
    """One constraint of a shape that has targets.

    Attributes:
        shape: The node shape whose targets select the focus nodes.
        path: The property (None for a constraint of the node shape itself).
        component: Local name of the constraint component.
        parameter: The parameter's value (the class, datatype, count, list head...).
        owner: The shape that holds the parameter (the property shape, or ``shape``).
    """

    shape: Node
    path: URIRef | None
    component: str
    parameter: Node
    owner: Node


#: Known disagreements between pyshacl and the SHACL spec (and so the native engine), by
#: the name a :class:`Mutation` carries in ``known``. "stricter": the native engine says
#: "does not conform" where pyshacl does not (the gate then stores nothing: safe).
#: "laxer": the native engine says "conforms" where pyshacl does not; allowed only for
#: values the emitter cannot write (a test proves it cannot).
KNOWN = {
    "pattern-final-newline": (
        "stricter",
        "pyshacl matches sh:pattern with Python's re, whose $ also matches before a final "
        "newline; XPath's (the spec's) does not",
    ),
    "integer-lexical": (
        "stricter",
        "pyshacl reads xsd:integer with Python's int(), which accepts surrounding spaces "
        "and non-ASCII digits; XSD does not",
    ),
    "date-beyond-python": (
        "laxer",
        "XSD 1.1 dates may have year 0000, a minus sign or more than four digits; "
        "Python's date (and so pyshacl) cannot hold them. The emitter writes xsd:date "
        "only from datetime.date.isoformat()",
    ),
}


#: Known differences in the results the two engines report for a graph both reject
#: (``conforms`` agrees): pyshacl's report is the one users read.
KNOWN_REPORT = {
    "node-details": (
        "pyshacl also reports, as results of their own, why the value of a failed sh:node "
        "does not conform to the nested shape (focus: the value); SHACL (and the native "
        "engine) report one NodeConstraintComponent result at the focus node"
    ),
    "less-than-or-equals-ill-typed": (
        "pyshacl reports no sh:lessThanOrEquals result when the other value is ill-typed "
        "(it reports the ill-typed value); SHACL (and the native engine) report both"
    ),
}


@dataclass(frozen=True)
class Mutation:
    """A data graph changed in one place, and what was done.

    Attributes:
        component: The constraint component meant to be broken ("plant": see _plant).
        what: What was done, for a person.
        graph: The changed graph.
        breaks: True: meant to violate a constraint; False: meant to stay valid; None:
            either (the change may also touch another constraint).
        known: A key of :data:`KNOWN` when pyshacl is known to judge it otherwise.
    """

    component: str
    what: str
    graph: Graph
    breaks: bool | None
    known: str = ""


def constraints(shapes: Graph) -> list[Constraint]:
    """Every constraint that applies to targeted nodes, in a stable order."""
    out: list[Constraint] = []
    for shape in sorted(_targeted(shapes), key=str):
        out.extend(_params(shapes, shape, shape, None))
        for prop in sorted(shapes.objects(shape, SH.property), key=str):
            path = shapes.value(prop, SH.path)
            if isinstance(path, URIRef):
                out.extend(_params(shapes, shape, prop, path))
    return out


def components_used(shapes: Graph) -> set[str]:
    """Local names of every constraint component the shapes use anywhere."""
    return {name for p, name in COMPONENTS.items() if any(shapes.subject_objects(p))}


def _targeted(shapes: Graph) -> set[Node]:
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    return {s for p in targets for s in shapes.subjects(p, None)}


def _params(shapes: Graph, shape: Node, owner: Node, path: URIRef | None) -> list[Constraint]:
    return [
        Constraint(shape, path, name, value, owner)
        for p, name in COMPONENTS.items()
        for value in shapes.objects(owner, p)
    ]


def focus_nodes(shapes: Graph, shape: Node, data: Graph) -> list[Node]:
    """The focus nodes of ``shape`` in ``data`` (no inference, as ingest validates)."""
    nodes: set[Node] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        nodes.update(data.subjects(RDF.type, cls))
    for node in shapes.objects(shape, SH.targetNode):
        nodes.add(node)
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(p, None))
    for p in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, p))
    if (shape, RDF.type, RDFS.Class) in shapes:
        nodes.update(data.subjects(RDF.type, shape))
    return sorted(nodes, key=str)


def copy(graph: Graph) -> Graph:
    """A new graph with the same triples."""
    g = Graph()
    for t in graph:
        g.add(t)
    return g


def mutations(shapes: Graph, data: Graph) -> Iterator[Mutation]:
    """Graphs that each break (or, where said, keep) one constraint on one focus node.

    Each constraint is broken once, on the first focus node it has in ``data``, in every
    way its operator knows; a property shape shared by several node shapes counts once,
    and each wrong value of a datatype is tried once per datatype, and once more on each
    property an order constraint compares (sh:lessThan, sh:lessThanOrEquals), where an
    ill-typed value also meets the order constraint.

    Args:
        shapes: The shapes graph (as written, not the targeted form).
        data: A conforming article graph.
    """
    ordered = {
        node
        for order in (SH.lessThan, SH.lessThanOrEquals)
        for owner, other in shapes.subject_objects(order)
        for node in (other, *shapes.objects(owner, SH.path))
    }
    seen: set[tuple[Node | str | None, ...]] = set()
    for c in constraints(shapes):
        for focus in focus_nodes(shapes, c.shape, data)[:1]:
            for m in _break(shapes, data, c, focus):
                form = m.what.rsplit(": ", 1)[-1]
                key = (c.component, c.parameter, form)  # a datatype: once per form
                if c.component != "DatatypeConstraintComponent" or c.path in ordered:
                    key = (c.owner, c.path, *key)
                if key not in seen:
                    seen.add(key)
                    yield m
    yield from _plant(shapes, data)


def mutations_of(shapes: Graph, data: Graph, c: Constraint) -> list[Mutation]:
    """The mutations that break ``c`` on its first focus node in ``data`` (none if it has
    none): one constraint's share of :func:`mutations`, without building the others."""
    return [
        m
        for focus in focus_nodes(shapes, c.shape, data)[:1]
        for m in _break(shapes, data, c, focus)
    ]


def lexical(form: str, datatype: URIRef | None = None) -> Literal:
    """A literal with exactly this lexical form (rdflib would normalise "yes" to "false")."""
    return Literal(form, datatype=datatype, normalize=False)


# ---------------------------------------------------------------------------- operators


def _values(data: Graph, focus: Node, path: URIRef | None) -> list[Node]:
    if path is None:
        return [focus]
    return sorted(data.objects(focus, path), key=str)


def _with(data: Graph, remove: list[Triple], add: list[Triple]) -> Graph:
    g = copy(data)
    for t in remove:
        g.remove(t)
    for t in add:
        g.add(t)
    return g


def _replace_value(data: Graph, focus: Node, path: URIRef, old: Node | None, new: Node) -> Graph:
    remove = [(focus, path, old)] if old is not None else []
    return _with(data, remove, [(focus, path, new)])


def _rename(data: Graph, old: Node, new: Node) -> Graph:
    g = Graph()
    for s, p, o in data:
        g.add((new if s == old else s, p, new if o == old else o))
    return g


def _break(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Iterator[Mutation]:
    op = _OPERATORS.get(c.component)
    if op is None:
        return
    for produced in op(shapes, data, c, focus):
        what, graph, breaks, *known = produced
        label = f"{c.component} on {focus} {c.path or ''}: {what}"
        yield Mutation(c.component, label, graph, breaks, *known)


Produced = Iterator[tuple[str, Graph, bool | None] | tuple[str, Graph, bool | None, str]]


def _min_count(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    n = int(c.parameter)  # type: ignore[arg-type]
    if n < 1 or c.path is None:
        return
    values = _values(data, focus, c.path)
    yield "every value removed", _with(data, [(focus, c.path, v) for v in values], []), True
    if n == 1 and len(values) > 1:
        keep = [(focus, c.path, v) for v in values[1:]]
        yield "all values but one removed", _with(data, keep, []), False


def _max_count(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    n = int(c.parameter)  # type: ignore[arg-type]
    if c.path is None:
        return
    values = _values(data, focus, c.path)
    extra = [(focus, c.path, _another(v, i)) for i, v in enumerate(values or [Literal("x")])]
    if len(values) + len(extra) > n:
        yield f"{len(extra)} more value(s)", _with(data, [], extra), True


def _another(value: Node, i: int) -> Node:
    """A different value of the same kind (a literal of the same datatype, an IRI)."""
    if isinstance(value, Literal):
        if value.datatype in (XSD.integer, XSD.int):
            return Literal(int(value) + 1 + i, datatype=value.datatype)
        if value.datatype == XSD.boolean:
            return Literal(not value.toPython())
        if value.datatype == XSD.date:
            return Literal("1999-12-31", datatype=XSD.date)
        if value.datatype == XSD.gYear:
            return Literal("1999", datatype=XSD.gYear)
        if value.datatype == XSD.gYearMonth:
            return Literal("1999-12", datatype=XSD.gYearMonth)
        return Literal(f"{value} (another {i})", lang=value.language, datatype=value.datatype)
    return URIRef(f"{value}-another-{i}")


#: For each datatype, lexical forms that are NOT in its lexical space, and forms that
#: are, written unusually.
_ILL_TYPED = {
    XSD.integer: (["1.5", "seven", "", "1e3"], []),
    XSD.boolean: (["yes", "TRUE", "", "2"], ["1", "0"]),
    XSD.date: (["2021-02-30", "2021-13-01", "21-01-01", "2021-1-5", "not a date", ""], []),
    XSD.gYear: (["97", "1997-01", "year"], []),
    XSD.gYearMonth: (["2022-13", "2022", "2022-1"], []),
    XSD.string: ([], []),
    XSD.anyURI: ([], []),
}
#: Ill-typed forms that pyshacl and the native engine both accept (neither checks the
#: lexical space of these types); the emitter writes them only from digits it checked.
_BOTH_ACCEPT = {
    (XSD.gYear, "97"),
    (XSD.gYear, "1997-01"),
    (XSD.gYear, "year"),
    (XSD.gYearMonth, "2022-13"),
    (XSD.gYearMonth, "2022"),
    (XSD.gYearMonth, "2022-1"),
}


def _datatype(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    dtype = c.parameter
    if c.path is None or not isinstance(dtype, URIRef):
        return
    values = _values(data, focus, c.path)
    old = values[0] if values else None
    text = str(old) if old is not None else "1"
    path = c.path
    yield "plain string", _replace_value(data, focus, path, old, _other_type(text, dtype)), True
    yield (
        "language-tagged",
        _replace_value(data, focus, path, old, Literal(text, lang="en")),
        True,
    )
    yield "an IRI", _replace_value(data, focus, path, old, URIRef(ELSEWHERE + "value")), True
    if dtype == XSD.integer:
        derived = Literal(text if text.lstrip("-").isdigit() else "1", datatype=XSD.int)
        yield "derived type xsd:int", _replace_value(data, focus, path, old, derived), True
    bad, good = _ILL_TYPED.get(dtype, ([], []))
    for form in bad:
        ill = lexical(form, dtype)
        intended = None if (dtype, form) in _BOTH_ACCEPT else True
        yield f"ill-typed {form!r}", _replace_value(data, focus, path, old, ill), intended
    for form in good:
        ok = lexical(form, dtype)
        yield f"unusual lexical form {form!r}", _replace_value(data, focus, path, old, ok), False
    yield from _lexical_edges(data, focus, path, old, dtype)


def _lexical_edges(
    data: Graph, focus: Node, path: URIRef, old: Node | None, dtype: URIRef
) -> Produced:
    """Forms on which pyshacl and the spec part ways (see :data:`KNOWN`)."""
    if dtype == XSD.integer and old is not None and str(old).isdigit():
        same = str(old)  # the same number, so comparisons with other values still hold
        for form in (f"+{same}", f"0{same}"):  # in the lexical space: all agree
            ok = lexical(form, dtype)
            yield f"same number as {form!r}", _replace_value(data, focus, path, old, ok), False
        arabic = same.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        for form in (f" {same}", f"{same} ", arabic):
            odd = lexical(form, dtype)
            g = _replace_value(data, focus, path, old, odd)
            yield f"same number as {form!r}", g, True, "integer-lexical"
    if dtype == XSD.date:
        for form in ("0000-01-01", "-0001-01-01", "12021-01-01"):
            far = lexical(form, dtype)
            g = _replace_value(data, focus, path, old, far)
            yield f"XSD 1.1 date {form!r}", g, False, "date-beyond-python"


def _other_type(lexical: str, dtype: URIRef) -> Literal:
    if dtype == XSD.string:
        return Literal(lexical, datatype=XSD.normalizedString)
    return Literal(lexical)


def _node_kind(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    kind = c.parameter
    if c.path is None:  # the focus node itself
        if kind == SH.IRI and isinstance(focus, URIRef):
            yield "focus node made a blank node", _rename(data, focus, BNode()), True
        return
    values = _values(data, focus, c.path)
    old = values[0] if values else None
    if kind == SH.IRI:
        yield "a literal", _replace_value(data, focus, c.path, old, Literal("x")), True
        yield "a blank node", _replace_value(data, focus, c.path, old, BNode()), True
    elif kind == SH.Literal:
        yield "an IRI", _replace_value(data, focus, c.path, old, URIRef(ELSEWHERE + "x")), True


def _min_length(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    n = int(c.parameter)  # type: ignore[arg-type]
    if c.path is None or n < 1:
        return
    values = _values(data, focus, c.path)
    old = values[0] if values else None
    dtype = shapes.value(c.owner, SH.datatype)
    short = Literal("x" * (n - 1), datatype=None if dtype == XSD.string else dtype)
    yield "too short", _replace_value(data, focus, c.path, old, short), True
    yield "just long enough", _replace_value(data, focus, c.path, old, Literal("y" * n)), None


def _pattern(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    if c.path is None:
        return
    values = _values(data, focus, c.path)
    old = values[0] if values else None
    for form in ("X12", "Q", "Q12a", " Q12", "q12"):
        bad = Literal(form)
        yield f"{form!r} does not match", _replace_value(data, focus, c.path, old, bad), True
    newline = _replace_value(data, focus, c.path, old, Literal("Q12\n"))
    yield "'Q12\\n' does not match", newline, True, "pattern-final-newline"
    yield "'Q7' matches", _replace_value(data, focus, c.path, old, Literal("Q7")), False


def _in(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    members = list(shapes.items(c.parameter))  # type: ignore[arg-type]
    if c.path is None:
        if isinstance(focus, URIRef):
            yield "focus node not in the list", _rename(data, focus, URIRef(f"{focus}-x")), True
        return
    values = _values(data, focus, c.path)
    old = values[0] if values else None
    path = c.path
    sibling = URIRef(f"{members[0]}-not-listed")
    yield "an IRI not in the list", _replace_value(data, focus, path, old, sibling), True
    local = Literal(str(members[0]).rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    yield "the local name as a literal", _replace_value(data, focus, path, old, local), True
    yield "another listed value", _replace_value(data, focus, path, old, members[-1]), None


def _class(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    if c.path is None:
        return
    values = _values(data, focus, c.path)
    stranger = URIRef(ELSEWHERE + "untyped")
    old = values[0] if values else None
    yield "an untyped IRI", _replace_value(data, focus, c.path, old, stranger), True
    if old is not None:
        other_class = [(old, RDF.type, URIRef(ELSEWHERE + "OtherClass"))]
        retyped = _with(data, [(old, RDF.type, c.parameter)], other_class)
        yield "value typed with another class", retyped, True
        yield "a literal", _replace_value(data, focus, c.path, old, Literal(str(old))), True


def _min_inclusive(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    bound = c.parameter
    if c.path is None or not isinstance(bound, Literal):
        return
    values = _values(data, focus, c.path)
    old = values[0] if values else None
    dtype = bound.datatype or XSD.integer
    below = Literal(int(bound) - 1, datatype=dtype)
    yield "one below the bound", _replace_value(data, focus, c.path, old, below), True
    yield "the bound itself", _replace_value(data, focus, c.path, old, bound), None
    yield "a string", _replace_value(data, focus, c.path, old, Literal("5")), True


def _less_than(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    other = c.parameter
    if c.path is None or not isinstance(other, URIRef):
        return
    mine, theirs = _values(data, focus, c.path), _values(data, focus, other)
    if not (mine and theirs):
        return
    strict = c.component == "LessThanConstraintComponent"
    bound = int(theirs[0])  # type: ignore[arg-type]
    equal = Literal(bound, datatype=XSD.integer)
    above = Literal(bound + 1, datatype=XSD.integer)
    yield "equal to the other", _replace_value(data, focus, c.path, mine[0], equal), strict
    yield "above the other", _replace_value(data, focus, c.path, mine[0], above), True
    string = Literal(str(int(mine[0])))  # type: ignore[arg-type]
    yield "a string, not comparable", _replace_value(data, focus, c.path, mine[0], string), True


def _or(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    """Break every alternative: each one is a property shape with one path; drop the
    values an alternative asks for, add one where it asks for none."""
    remove: list[Triple] = []
    add: list[Triple] = []
    for alternative in shapes.items(c.parameter):  # type: ignore[arg-type]
        path = shapes.value(alternative, SH.path)
        if not isinstance(path, URIRef):
            return
        value = shapes.value(alternative, SH.hasValue)
        if value is not None:
            remove += [(focus, path, v) for v in data.objects(focus, path)]
            add.append((focus, path, _another(value, 0)))
        elif shapes.value(alternative, SH.maxCount) == Literal(0):
            add.append((focus, path, Literal("an added value")))
    yield "no alternative holds", _with(data, remove, add), True


def _has_value(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    if c.path is None:
        return
    values = _values(data, focus, c.path)
    yield "value missing", _with(data, [(focus, c.path, v) for v in values], []), True
    wrong = [(focus, c.path, URIRef(ELSEWHERE + "other"))]
    yield "another value", _with(data, [(focus, c.path, v) for v in values], wrong), True


def _qualified(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    """sh:qualifiedValueShape with sh:qualifiedMaxCount: one more conforming value."""
    top = shapes.value(c.owner, SH.qualifiedMaxCount)
    members = list(shapes.items(shapes.value(c.parameter, SH["in"])))
    if c.path is None or top is None or not members:
        return
    values = set(_values(data, focus, c.path))
    extra = [(focus, c.path, m) for m in members if m not in values][: int(top)]
    yield f"{len(extra)} more qualifying value(s)", _with(data, [], extra), True
    outsider = [(focus, c.path, URIRef(ELSEWHERE + "NotAnActorClass"))]
    yield "a value that does not qualify", _with(data, [], outsider), None


def _node(shapes: Graph, data: Graph, c: Constraint, focus: Node) -> Produced:
    """sh:node: the value made a node the nested shape rejects (an untyped IRI, a literal,
    a node typed only with a class its ``rdf:type`` list leaves out)."""
    if c.path is None:
        return
    values = _values(data, focus, c.path)
    old = values[0] if values else None
    path = c.path
    yield "an untyped IRI", _replace_value(data, focus, path, old, URIRef(ELSEWHERE + "u")), True
    yield "a literal", _replace_value(data, focus, path, old, Literal("x")), True
    listed = set(_type_list(shapes, c.parameter))
    others = sorted(
        {m for shape in shapes.subjects(SH.path, RDF.type) for m in _type_list(shapes, shape)}
        - listed,
        key=str,
    )
    if listed and others:  # e.g. another actor class: only the nested shape objects
        value = URIRef(ELSEWHERE + "retyped")
        remove = [(focus, path, old)] if old is not None else []
        add = [(focus, path, value), (value, RDF.type, others[-1])]
        yield f"a value typed {others[-1]}", _with(data, remove, add), True


def _type_list(shapes: Graph, shape: Node) -> list[Node]:
    """The ``sh:in`` list of ``shape``'s own ``rdf:type`` property (or of ``shape`` itself)."""
    owners = [shape, *shapes.objects(shape, SH.property)]
    for owner in owners:
        head = shapes.value(owner, SH["in"])
        if shapes.value(owner, SH.path) == RDF.type and head is not None:
            return list(shapes.items(head))
    return []


_OPERATORS = {
    "MinCountConstraintComponent": _min_count,
    "MaxCountConstraintComponent": _max_count,
    "DatatypeConstraintComponent": _datatype,
    "NodeKindConstraintComponent": _node_kind,
    "MinLengthConstraintComponent": _min_length,
    "PatternConstraintComponent": _pattern,
    "InConstraintComponent": _in,
    "ClassConstraintComponent": _class,
    "MinInclusiveConstraintComponent": _min_inclusive,
    "LessThanConstraintComponent": _less_than,
    "LessThanOrEqualsConstraintComponent": _less_than,
    "OrConstraintComponent": _or,
    "HasValueConstraintComponent": _has_value,
    "QualifiedValueShapeConstraintComponent": _qualified,
    "NodeConstraintComponent": _node,
}


def _plant(shapes: Graph, data: Graph) -> Iterator[Mutation]:
    """Type an existing node with a targeted class that has no instance in ``data``.

    Reaches shapes the emitter's graphs never trigger (the abstract classes, the code
    lists): the planted node lacks what they require.
    """
    iris = sorted({o for o in data.objects() if isinstance(o, URIRef)}, key=str)
    if not iris:
        return
    for cls in sorted(set(shapes.objects(None, SH.targetClass)), key=str):
        if any(data.subjects(RDF.type, cls)):
            continue
        node = next((i for i in iris if str(i).startswith(str(cls).rsplit("#", 1)[0])), iris[0])
        for value in sorted(data.objects(None, None), key=str):
            if isinstance(value, URIRef) and "/code/" in str(value):
                node = value  # a code-list concept, if the graph uses one
                break
        planted = _with(data, [], [(node, RDF.type, cls)])
        yield Mutation("plant", f"{node} typed {cls}", planted, True)
