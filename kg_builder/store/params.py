"""Query parameters: declared in a query's header, typed, and bound without pasting text.

A ``.rq`` file declares its parameters in its header comment, one per line::

    # Parameters (all optional):
    #   actor (text, e.g. `NATO`): the addressee, by any of its names or aliases
    #   since (date, e.g. `2022-01-01`): demands of that day or later

A parameter ``NAME`` binds the query variable ``?NAME``. Its type is ``text`` (a plain
literal), ``date`` (``xsd:date``), ``iri`` or ``integer``; ``required`` after the type
makes it mandatory. A query without such a header may still be given parameters: each
must then be a variable of its ``SELECT`` clause.

Values become RDF terms here (:func:`bind`), checked for their type; they reach an engine
as a ``VALUES`` block at the start of the query's ``WHERE`` clause (:func:`with_values`),
each term written by pyoxigraph's N-Triples serialiser, which escapes quotes, backslashes
and line breaks: never as text pasted into the query. The embedded store and a remote
endpoint get the same block, so Oxigraph plans the query knowing the values (a parameter
in a triple pattern is looked up in an index; pyoxigraph's own substitution, SEP-0007,
binds them only when the query runs, after the plan is chosen: `actors` for one article
of a 1,000-article store took 140-275 ms of CPU so, 1 ms with the block). Shipped queries
project their parameters last, and kg-builder leaves those columns out of the table.

A parameter keeps the same meaning on every engine as long as the query uses it only in
its outermost group: in its filters, in the filters of its ``OPTIONAL`` groups (which see
the outer bindings) and in triple patterns of that group that give the variable one value
per row (``?art kgb:articleId ?article_id , ?article``: without the parameter, ``?article``
is then the row's article id, a column kg-builder leaves out), never inside a subquery or
a nested group; it
tests its presence with ``COALESCE(?p = ?p, false)``, which holds for a bound ``?p``
whatever the binding mechanism. The shipped queries match a code in an ``OPTIONAL`` and
test ``BOUND`` of the match, not in a ``FILTER EXISTS``, which engines evaluate for every
row (5-6x slower on the dev set); they match an actor's name by its lower-cased key
(``BIND(LCASE(STR(?actor)) AS ?actor_key)`` then a triple pattern on ``kgb:nameKey``),
so that the plan starts from that actor.

Example:
    >>> params = declared_parameters(
    ...     "# Parameters:\\n#   since (date, e.g. `2022-01-01`): from that day\\nSELECT ...")
    >>> params[0].name, params[0].kind, params[0].example
    ('since', 'date', '2022-01-01')
    >>> str(bind(params, {"since": "2022-01-12"}, ("since",))["since"])
    '"2022-01-12"^^<http://www.w3.org/2001/XMLSchema#date>'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg_builder.errors import ParameterError, QueryError

#: Parameter types, as written in a header or after ``NAME:`` on the command line.
KINDS: tuple[str, ...] = ("text", "date", "iri", "integer")

XSD = "http://www.w3.org/2001/XMLSchema#"

Term = ox.NamedNode | ox.Literal

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_HEADER = re.compile(r"^#\s*Parameters\b")
_LINE = re.compile(
    rf"^#\s{{2,}}(?P<name>{_NAME})\s+\((?P<kind>\w+)(?P<required>,\s*required)?"
    r"(?:,\s*e\.g\.\s*`(?P<example>[^`]*)`)?\):\s*(?P<doc>.*)$"
)
_MORE = re.compile(r"^#\s{4,}(?P<doc>\S.*)$")
_OPTION = re.compile(rf"^(?P<name>{_NAME})(?::(?P<kind>\w+))?=(?P<value>.*)$", re.S)


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter a query declares.

    Attributes:
        name: The parameter's name, also the variable it binds (``?name``).
        kind: ``text``, ``date``, ``iri`` or ``integer``.
        doc: What it selects, for a person.
        example: A value to try (shown in help and used by the tests).
        required: The query cannot run without it.
    """

    name: str
    kind: str = "text"
    doc: str = ""
    example: str = ""
    required: bool = False

    def describe(self) -> str:
        """``name (kind, e.g. example)``: one line for an error message or help."""
        extra = ", required" if self.required else ""
        example = f", e.g. {self.example}" if self.example else ""
        return f"{self.name} ({self.kind}{extra}{example})"


@dataclass(frozen=True, slots=True)
class Typed:
    """A value given as text with an explicit type (``NAME:date=2022-01-12`` on the CLI)."""

    kind: str
    text: str


def declared_parameters(sparql: str) -> tuple[Parameter, ...]:
    """The parameters a query's header declares (see the module docstring).

    Raises:
        QueryError: a parameter line with an unknown type, or a name declared twice.
    """
    found: list[Parameter] = []
    inside = False
    for line in sparql.splitlines():
        if not inside:
            inside = bool(_HEADER.match(line))
            continue
        match = _LINE.match(line)
        if match:
            kind = match["kind"]
            if kind not in KINDS:
                raise QueryError(
                    f"parameter {match['name']}: unknown type {kind!r} in the query header; "
                    f"choose one of {', '.join(KINDS)}"
                )
            if any(p.name == match["name"] for p in found):
                raise QueryError(f"parameter {match['name']} is declared twice")
            found.append(
                Parameter(
                    match["name"],
                    kind,
                    match["doc"].strip(),
                    match["example"] or "",
                    bool(match["required"]),
                )
            )
            continue
        more = _MORE.match(line)
        if more and found:
            last = found[-1]
            found[-1] = Parameter(
                last.name,
                last.kind,
                f"{last.doc} {more['doc'].strip()}".strip(),
                last.example,
                last.required,
            )
            continue
        break
    return tuple(found)


def parse_option(option: str) -> tuple[str, str | Typed]:
    """``NAME=VALUE`` or ``NAME:TYPE=VALUE`` (the CLI's ``--param``) → (name, value).

    Example:
        >>> parse_option("since:date=2022-01-01")
        ('since', Typed(kind='date', text='2022-01-01'))
        >>> parse_option("actor=NATO")
        ('actor', 'NATO')

    Raises:
        ParameterError: not of that form, or an unknown type.
    """
    match = _OPTION.match(option)
    if not match:
        raise ParameterError(
            f"a parameter is NAME=VALUE or NAME:TYPE=VALUE (TYPE one of {', '.join(KINDS)}), "
            f"not {option!r}"
        )
    kind = match["kind"]
    if kind is None:
        return match["name"], match["value"]
    if kind not in KINDS:
        raise ParameterError(
            f"--param {match['name']}: unknown type {kind!r}; choose one of {', '.join(KINDS)}"
        )
    return match["name"], Typed(kind, match["value"])


def bind(
    declared: Sequence[Parameter],
    values: Mapping[str, object],
    projected: Sequence[str],
    *,
    query: str = "the query",
) -> dict[str, Term]:
    """Check the given parameters against the query's and turn each value into an RDF term.

    Args:
        declared: The query's declared parameters (may be empty).
        values: Name → a string (typed by the declaration, else a plain literal), a
            :class:`Typed` string, a ``datetime.date``, an ``int``, or a pyoxigraph
            ``NamedNode``/``Literal``.
        projected: The variables of the query's ``SELECT`` clause.
        query: The query's name, for messages.

    Returns:
        Variable name → term.

    Raises:
        ParameterError: an unknown or missing parameter (the message lists the query's
            parameters), a value that is not of the parameter's type, or a type given
            on the command line that contradicts the declared one.
    """
    kinds = {p.name: p.kind for p in declared}
    if declared:
        unknown = [n for n in values if n not in kinds]
        missing = [p.name for p in declared if p.required and p.name not in values]
        if unknown or missing:
            what = "unknown" if unknown else "missing"
            names = unknown or missing
            raise ParameterError(
                f"{query}: {what} parameter {', '.join(names)}; its parameters: "
                + "; ".join(p.describe() for p in declared)
            )
    else:
        unknown = [n for n in values if n not in projected]
        if unknown:
            can = ", ".join(projected) or "none"
            raise ParameterError(
                f"{query} declares no parameters and has no variable {', '.join(unknown)} "
                f"in its SELECT clause, which a parameter binds; its variables: {can}"
            )
    return {name: _term(name, value, kinds.get(name)) for name, value in values.items()}


def _term(name: str, value: object, declared: str | None) -> Term:
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    if isinstance(value, Typed):
        if declared is not None and value.kind != declared:
            raise ParameterError(
                f"parameter {name} is of type {declared}, not {value.kind}: give {name}=VALUE"
            )
        return _from_text(name, value.text, value.kind)
    if isinstance(value, bool):
        raise ParameterError(f"parameter {name}: give text, a date or a number, not {value!r}")
    if isinstance(value, dt.datetime):
        raise ParameterError(f"parameter {name}: give a date (datetime.date), not a datetime")
    if isinstance(value, dt.date):
        value = value.isoformat()
        declared = declared or "date"
    elif isinstance(value, int):
        value = str(value)
        declared = declared or "integer"
    if not isinstance(value, str):
        raise ParameterError(f"parameter {name}: unsupported value {value!r}")
    return _from_text(name, value, declared or "text")


def _from_text(name: str, text: str, kind: str) -> Term:
    """The term for ``text`` read as ``kind``; the RDF library checks IRIs."""
    if kind == "text":
        return ox.Literal(text)
    if kind == "date":
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise ParameterError(f"parameter {name}: {text!r} is not a date (YYYY-MM-DD)") from None
        return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if kind == "integer":
        try:
            number = int(text.strip())
        except ValueError:
            raise ParameterError(f"parameter {name}: {text!r} is not an integer") from None
        return ox.Literal(str(number), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "iri":
        try:
            iri = ox.NamedNode(text.strip())
        except ValueError as exc:
            raise ParameterError(f"parameter {name}: {text!r} is not an IRI ({exc})") from None
        if ":" not in iri.value:
            raise ParameterError(f"parameter {name}: {text!r} is not an absolute IRI")
        return iri
    raise ParameterError(f"parameter {name}: unknown type {kind!r}")


def values_block(bindings: Mapping[str, Term]) -> str:
    """``VALUES (?a ?b) { (term term) }`` with each term in N-Triples syntax.

    The terms are written by pyoxigraph (``str()`` of a term is its N-Triples form, with
    quotes, backslashes and line breaks escaped); the names were checked when parsed.
    """
    names = list(bindings)
    for name in names:
        if not re.fullmatch(_NAME, name):
            raise ParameterError(f"{name!r} is not a variable name")
    variables = " ".join(f"?{n}" for n in names)
    terms = " ".join(str(bindings[n]) for n in names)
    return f"VALUES ({variables}) {{ ({terms}) }}"


def with_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """The query with a ``VALUES`` block of ``bindings`` opening its ``WHERE`` clause.

    Raises:
        QueryError: no ``WHERE`` clause was found (a query that does not parse).
    """
    if not bindings:
        return sparql
    brace = where_brace(sparql)
    return f"{sparql[: brace + 1]}\n{values_block(bindings)}\n{sparql[brace + 1 :]}"


_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


def where_brace(sparql: str) -> int:
    """Index of the ``{`` that opens the outermost ``WHERE`` group of a SELECT/ASK query.

    The first ``{`` outside parentheses, comments, strings and IRIs: the prologue and the
    ``SELECT`` clause hold none (an ``EXISTS`` in a projected expression is inside
    parentheses).

    Raises:
        QueryError: there is none.
    """
    i, depth, n = 0, 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            i = _string_end(sparql, i)
        elif c == "<" and (iri := _IRIREF.match(sparql, i)):
            i = iri.end()
        else:
            if c == "(":
                depth += 1
            elif c == ")":
                depth = max(0, depth - 1)
            elif c == "{" and depth == 0:
                return i
            i += 1
    raise QueryError("the query has no WHERE clause ({ ... }) to bind parameters in")


def _string_end(text: str, i: int) -> int:
    """Index just after the string literal that starts at ``i``."""
    quote = text[i]
    long = text.startswith(quote * 3, i)
    delimiter = quote * 3 if long else quote
    j = i + len(delimiter)
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text.startswith(delimiter, j):
            return j + len(delimiter)
        if not long and text[j] in "\r\n":
            break  # an unterminated short string: the query does not parse anyway
        j += 1
    return len(text)
