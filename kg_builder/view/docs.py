"""The ontology's documentation: one HTML page, made by pyLODE, with what pyLODE leaves out.

pyLODE's OntPub profile documents ``ontology/kg-builder.ttl``: the ontology's metadata,
then every class and property with its label, definition, super- and sub-classes or
-properties, domain and range — so the alignments to ORG, PROV-O, schema.org, SEM, SKOS
and Web Annotation show as the superclasses and superproperties they are. Two sections
are added to the same page, in pyLODE's own markup and style:

* **Shape constraints**: under each class, the SHACL shapes that target it
  (``ontology/shapes.ttl``), one row per property: how many values, which values, and
  the message a validation report gives; the shapes that check the values of
  actor-valued properties get a section of their own.
* **Code lists**: the SKOS concept schemes (agreement status, demand status, PLOVER
  event categories), each concept with its notation, label and definition.

pyLODE is given the ontology without the concept schemes (OntPub would take a concept
scheme for the ontology itself), without the bare declarations of the reused external
terms (which would otherwise be listed as classes of this ontology), and with each
``owl:unionOf`` domain or range written as ``schema:domainIncludes`` /
``schema:rangeIncludes`` of its members (pyLODE lists a union's members in a different
order on every run). The page is the same, byte for byte, for the same ontology and
shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from dominate.tags import a, code, div, h2, h3, h4, li, p, style, table, td, th, tr, ul
from pylode.utils import generate_fid
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SDO, SH, SKOS
from rdflib.term import Node

from kg_builder.errors import OntologyError
from kg_builder.rdf.shapes import load_shapes
from kg_builder.resources import ontology_file
from kg_builder.view.render import write_text

if TYPE_CHECKING:
    from dominate.document import document

    class OntPub:
        """What this module uses of ``pylode.OntPub`` (pyLODE 3.3), which ships no types."""

        ont: Graph  # the ontology being documented
        fids: dict[str, str]  # IRI → the HTML id of its entry
        doc: document  # the whole page
        content: div  # the page's main section

        def __init__(self, ontology: Graph, sort_subjects: bool = False) -> None: ...

        def make_html(self) -> str:
            """The page (without a destination file, pyLODE returns its text)."""
            ...

        def _make_body(self) -> None: ...

else:
    from pylode import OntPub

_T = TypeVar("_T")
#: Writes an RDF term for a reader (``kgb:Demand``, or the term itself).
Namer = Callable[[Node], str]
#: A row of a shape's table: (path, count, [(parameter, value), ...], message).
ShapeRow = tuple[Node | None, str, list[tuple[Node, Node]], str]

#: Shape parameters shown as the number of values.
_COUNTS = (SH.minCount, SH.maxCount)
#: Shape parameters left out of the "values" column (shown elsewhere or not at all).
_NOT_VALUES = {
    SH.path,
    SH.message,
    SH.minCount,
    SH.maxCount,
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.name,
    SH.description,
    SH.severity,
    SH.order,
    SH.group,
}


def load_ontology(path: str | Path | None = None) -> Graph:
    """Parse the ontology (default: the shipped one).

    Raises:
        OntologyError: the file is missing or is not Turtle.
    """
    source = Path(path) if path else ontology_file()
    graph = Graph()
    try:
        graph.parse(source, format="turtle")
    except FileNotFoundError:
        raise OntologyError(f"the ontology file {source} is missing") from None
    except Exception as exc:  # rdflib raises many parser-specific types
        raise OntologyError(f"the ontology file {source} does not parse as Turtle: {exc}") from None
    if not any(graph.subjects(RDF.type, OWL.Ontology)):
        raise OntologyError(f"the ontology file {source} declares no owl:Ontology")
    return graph


def documentation_graph(ontology: Graph) -> Graph:
    """What pyLODE documents: the ontology less its code lists and the bare declarations
    of external terms (a type and nothing else)."""
    schemes = set(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = {c for c in ontology.subjects(SKOS.inScheme, None) if isinstance(c, URIRef)}
    namespace = _namespace(ontology)
    bare = {
        s
        for s in ontology.subjects()
        if isinstance(s, URIRef)
        and not str(s).startswith(namespace)
        and set(ontology.predicates(s)) == {RDF.type}
    }
    drop = schemes | concepts | bare
    kept = Graph()
    for prefix, ns in ontology.namespaces():
        kept.bind(prefix, ns, override=True)
    for subject, predicate, value in ontology:
        if subject in drop or isinstance(subject, BNode):
            continue
        union = _union_members(ontology, value) if predicate in (RDFS.domain, RDFS.range) else None
        if union:
            # pyLODE lists the members of a union in a set (a different order on every
            # run); schema:domainIncludes / rangeIncludes say the same to a reader, and
            # pyLODE lists them in order.
            includes = SDO.domainIncludes if predicate == RDFS.domain else SDO.rangeIncludes
            for member in union:
                kept.add((subject, includes, member))
        elif not isinstance(value, BNode):
            kept.add((subject, predicate, value))
    return kept


def _union_members(graph: Graph, node: Node) -> list[Node] | None:
    union = graph.value(node, OWL.unionOf) if isinstance(node, BNode) else None
    return list(Collection(graph, union)) if union is not None else None


def _namespace(ontology: Graph) -> str:
    from rdflib.namespace import Namespace

    vann = Namespace("http://purl.org/vocab/vann/")
    uri = ontology.value(
        next(ontology.subjects(RDF.type, OWL.Ontology)), vann.preferredNamespaceUri
    )
    return str(uri) if uri else str(next(ontology.subjects(RDF.type, OWL.Ontology))) + "#"


def _text(graph: Graph, node: Node, *predicates: URIRef) -> str:
    for predicate in predicates:
        for value in sorted(
            graph.objects(node, predicate),
            key=lambda v: (getattr(v, "language", "") != "en", str(v)),
        ):
            return str(value)
    return ""


def docs_html(ontology: str | Path | None = None, shapes: str | Path | None = None) -> str:
    """The documentation page as HTML.

    Args:
        ontology: An ontology file (default: the shipped ``kg-builder.ttl``).
        shapes: A SHACL shapes file (default: the shipped ``shapes.ttl``).

    Raises:
        OntologyError: either file is missing or does not parse.
    """
    onto = load_ontology(ontology)
    shape_graph = load_shapes(str(shapes) if shapes else None)
    page = DocumentationPage(documentation_graph(onto), onto, shape_graph)
    return page.make_html()


def build_docs(
    out_dir: str | Path, ontology: str | Path | None = None, shapes: str | Path | None = None
) -> Path:
    """Write the documentation page to ``out_dir/index.html``; returns its path.

    Example:
        >>> build_docs("out/docs")                                           # doctest: +SKIP
        PosixPath('out/docs/index.html')

    Raises:
        OntologyError: the ontology or shapes are missing or do not parse.
        ConfigError: the page cannot be written.
    """
    return write_text(Path(out_dir) / "index.html", docs_html(ontology, shapes))


# --------------------------------------------------------------------------- shapes → rows


def shapes_of_class(shapes: Graph, cls: URIRef) -> list[Node]:
    """The node shapes that target ``cls`` (``sh:targetClass``), by IRI."""
    return sorted(shapes.subjects(SH.targetClass, cls), key=str)


def value_shapes(shapes: Graph) -> list[Node]:
    """The node shapes that target the values of properties (``sh:targetObjectsOf``)."""
    return sorted(set(shapes.subjects(SH.targetObjectsOf, None)), key=str)


def _count(shapes: Graph, shape: Node) -> str:
    low = shapes.value(shape, SH.minCount)
    high = shapes.value(shape, SH.maxCount)
    if low is None and high is None:
        return ""
    return f"{low if low is not None else 0}..{high if high is not None else '*'}"


def shape_rows(shapes: Graph, node_shape: Node) -> list[ShapeRow]:
    """(path, count, [(parameter, value), ...], message) for the node shape itself (path
    None) and each of its property shapes, in path order."""
    rows: list[ShapeRow] = []
    own = [
        (p, o)
        for p, o in shapes.predicate_objects(node_shape)
        if p not in _NOT_VALUES and p not in (SH.property, SH.targetClass, SH.targetObjectsOf)
    ]
    if own:
        rows.append((None, "", sorted(own, key=_param_key), _text(shapes, node_shape, SH.message)))
    for prop in shapes.objects(node_shape, SH.property):
        params = [(p, o) for p, o in shapes.predicate_objects(prop) if p not in _NOT_VALUES]
        rows.append(
            (
                shapes.value(prop, SH.path),
                _count(shapes, prop),
                sorted(params, key=_param_key),
                _text(shapes, prop, SH.message),
            )
        )
    return sorted(rows, key=lambda r: ("" if r[0] is None else _path_key(shapes, r[0]), r[3]))


def _param_key(pair: tuple[Node, Node]) -> tuple[str, str]:
    return str(pair[0]), str(pair[1])


def _path_key(shapes: Graph, path: Node) -> str:
    return path_text(shapes, path, lambda n: str(n))


def path_text(shapes: Graph, path: Node, name: Namer) -> str:
    """A SHACL property path in SPARQL's syntax, IRIs written by ``name``."""
    if isinstance(path, URIRef):
        return name(path)
    if isinstance(path, BNode):
        if (path, RDF.first, None) in shapes:
            return "/".join(path_text(shapes, p, name) for p in Collection(shapes, path))
        inverse = shapes.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + path_text(shapes, inverse, name)
        alternatives = shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(path_text(shapes, p, name) for p in Collection(shapes, alternatives))
        for step, suffix in (
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = shapes.value(path, step)
            if inner is not None:
                return path_text(shapes, inner, name) + suffix
    return str(path)


def value_text(shapes: Graph, value: Node, name: Namer, depth: int = 0) -> str:
    """A shape parameter's value in words: IRIs by ``name``, lists, nested shapes."""
    if isinstance(value, URIRef):
        return name(value)
    if isinstance(value, Literal):
        return f'"{value}"' if isinstance(value.value, str) else str(value)
    if (value, RDF.first, None) in shapes:
        return ", ".join(value_text(shapes, v, name, depth) for v in Collection(shapes, value))
    if depth > 3:
        return "[…]"
    parts = [
        f"{name(p)} {value_text(shapes, o, name, depth + 1)}"
        for p, o in sorted(shapes.predicate_objects(value), key=_param_key)
        if p != SH.message
    ]
    return "[" + "; ".join(parts) + "]"


def concept_schemes(
    ontology: Graph,
) -> list[tuple[Node, str, str, list[tuple[Node, str, str, str]]]]:
    """(scheme, label, definition, [(concept, notation, label, definition)]): the schemes
    by IRI, their concepts in the order of the file."""
    found = []
    for scheme in sorted(ontology.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        members = list(dict.fromkeys(ontology.subjects(SKOS.inScheme, scheme)))  # file order
        concepts = [
            (
                c,
                _text(ontology, c, SKOS.notation),
                _text(ontology, c, SKOS.prefLabel, RDFS.label),
                _text(ontology, c, SKOS.definition, RDFS.comment),
            )
            for c in members
        ]
        found.append(
            (
                scheme,
                _text(ontology, scheme, RDFS.label, SKOS.prefLabel, DCTERMS.title),
                _text(ontology, scheme, SKOS.definition, RDFS.comment, DCTERMS.description),
                concepts,
            )
        )
    return found


# --------------------------------------------------------------------------- the page


class DocumentationPage(OntPub):
    """pyLODE's OntPub page of ``documented``, with the shape constraints of each class, the
    value shapes and the code lists of ``ontology`` added in pyLODE's markup."""

    def __init__(self, documented: Graph, ontology: Graph, shapes: Graph):
        super().__init__(documented, sort_subjects=True)
        self.full = ontology
        self.shapes = shapes
        self.names = Graph()
        for graph in (shapes, ontology):
            for prefix, ns in graph.namespaces():
                self.names.bind(prefix, ns, override=False)

    def _make_body(self) -> None:  # pyLODE's hook: the page's sections, in order
        super()._make_body()
        sections = [self._code_lists(), self._value_shapes()]
        self._add_shape_constraints()
        children = self.content.children
        at = next(
            (i for i, c in enumerate(children) if c.attributes.get("id") == "namespaces"),
            len(children),
        )
        for offset, section in enumerate(sections):
            self.content.add(section)  # sets the parent; moved into place below
            children.remove(section)
            children.insert(at + offset, section)
        self._extend_toc(
            [
                ("codelists", "Code lists", self._scheme_entries),
                ("valueshapes", "Value shapes", self._value_entries),
            ]
        )
        self.doc.head.add(style(_STYLE))

    # ---- names and links

    def _name(self, iri: Node) -> str:
        if not isinstance(iri, URIRef):  # a blank node has no prefixed name
            return str(iri)
        try:
            prefix, _, local = self.names.compute_qname(iri, generate=False)
        except (KeyError, ValueError):
            return str(iri)
        return f"{prefix}:{local}" if prefix else local

    def _link(self, iri: Node) -> a:
        fid = self.fids.get(str(iri))
        return a(self._name(iri), href=f"#{fid}" if fid else str(iri))

    # ---- shape constraints under each class

    def _shape_table(self, node_shape: Node) -> table:
        t = table(_class="shape")
        t.add(tr(th("property"), th("count"), th("constraints"), th("message")))
        for path, count, params, message in shape_rows(self.shapes, node_shape):
            where = (
                "(the node itself)" if path is None else path_text(self.shapes, path, self._name)
            )
            values = ul()
            for parameter, value in params:
                values.add(
                    li(code(self._name(parameter)), " ", value_text(self.shapes, value, self._name))
                )
            t.add(tr(td(code(where)), td(count), td(values if params else ""), td(message)))
        return t

    def _add_shape_constraints(self) -> None:
        entities = {
            child.attributes.get("id"): child
            for section in self.content.children
            if isinstance(section, div) and section.attributes.get("id") == "classes"
            for child in section.children
            if isinstance(child, div)
        }
        for iri in sorted(set(self.ont.subjects(RDF.type, OWL.Class)), key=str):
            shapes = shapes_of_class(self.shapes, iri) if isinstance(iri, URIRef) else []
            entity = entities.get(self.fids.get(str(iri)))
            if not shapes or entity is None:
                continue
            cell = td()
            for node_shape in shapes:
                cell.add(
                    p(
                        code(self._name(node_shape)),
                        " ",
                        _text(self.shapes, node_shape, RDFS.comment),
                    )
                )
                cell.add(self._shape_table(node_shape))
            entity_table = next(c for c in entity.children if isinstance(c, table))
            entity_table.add(tr(th("Shape constraints"), cell))

    # ---- value shapes

    def _value_shapes(self) -> div:
        section = div(id="valueshapes", _class="section")
        section.add(h2("Value shapes"))
        section.add(p("Shapes that check the values of properties, whatever their subject."))
        self._value_entries: list[tuple[str, str]] = []
        for node_shape in value_shapes(self.shapes):
            label = _text(self.shapes, node_shape, RDFS.label) or self._name(node_shape)
            fid = generate_fid(Literal(label + " shape"), node_shape, self.fids)
            self._value_entries.append((f"#{fid}", label))
            targets = sorted(self.shapes.objects(node_shape, SH.targetObjectsOf), key=str)
            entity = div(h3(label), id=fid, _class="property entity")
            entity.add(
                table(
                    tr(th("IRI"), td(code(str(node_shape)))),
                    tr(th("Description"), td(_text(self.shapes, node_shape, RDFS.comment))),
                    tr(
                        th("Applies to the values of"),
                        td(*_interleave([self._link(t) for t in targets])),
                    ),
                    tr(th("Shape constraints"), td(self._shape_table(node_shape))),
                )
            )
            section.add(entity)
        return section

    # ---- code lists

    def _code_lists(self) -> div:
        section = div(id="codelists", _class="section")
        section.add(h2("Code lists"))
        section.add(p("SKOS concept schemes; the graph points to their concepts by IRI."))
        self._scheme_entries: list[tuple[str, str]] = []
        for scheme, label, definition, concepts in concept_schemes(self.full):
            fid = generate_fid(Literal(label), scheme, self.fids)
            self._scheme_entries.append((f"#{fid}", label))
            rows = table(
                tr(th("notation"), th("label"), th("definition"), th("IRI")), _class="concepts"
            )
            for concept, notation, concept_label, concept_definition in concepts:
                concept_fid = generate_fid(Literal(f"{label} {concept_label}"), concept, self.fids)
                rows.add(
                    tr(
                        td(code(notation)),
                        td(concept_label),
                        td(concept_definition),
                        td(code(self._name(concept)), title=str(concept)),
                        id=concept_fid,
                    )
                )
            section.add(
                div(
                    h3(label),
                    table(
                        tr(th("IRI"), td(code(str(scheme)))),
                        tr(th("Description"), td(definition)),
                        tr(th("Concepts"), td(rows)),
                    ),
                    id=fid,
                    _class="property entity",
                )
            )
        return section

    # ---- table of contents

    def _extend_toc(self, entries: list[tuple[str, str, list[tuple[str, str]]]]) -> None:
        toc = self.doc.get(id="toc")[0]
        first = toc.get(_class="first")[0]
        items = first.children
        at = next(
            (i for i, c in enumerate(items) if "#namespaces" in c.render()),
            len(items),
        )
        for offset, (anchor, title, links) in enumerate(entries):
            item = li(
                h4(a(title, href=f"#{anchor}")),
                ul(*[li(a(t, href=h)) for h, t in links], _class="second"),
            )
            first.add(item)
            items.remove(item)
            items.insert(at + offset, item)


def _interleave(links: Sequence[_T]) -> list[_T | str]:
    out: list[_T | str] = []
    for i, link in enumerate(links):
        if i:
            out.append(", ")
        out.append(link)
    return out


_STYLE = """
table.shape, table.concepts { width: 100%; border-collapse: collapse; font-size: 0.9em; }
table.shape th, table.shape td, table.concepts th, table.concepts td {
  border: 1px solid #ddd; padding: 2px 6px; vertical-align: top; }
table.shape ul { margin: 0; padding-left: 0; list-style: none; }
table.shape td, table.shape li, table.concepts td { text-align: left; }
"""
