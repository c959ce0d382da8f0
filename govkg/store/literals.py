"""Keep literals exact through Oxigraph.

Oxigraph stores typed literals by value (upstream oxigraph#526): ``"1.0"^^xsd:decimal``
comes back as ``"1"^^xsd:decimal`` and derived types lose their datatype
(``xsd:nonNegativeInteger`` and ``xsd:int`` come back as ``xsd:integer``,
``xsd:dateTimeStamp`` as ``xsd:dateTime``).  DCAT-AP requires ``dcat:byteSize`` to be
an ``xsd:nonNegativeInteger`` and harvested documents must come back as they came in.

Decision: the store keeps Oxigraph's value semantics (so SPARQL arithmetic, ordering and
``FILTER(?size > 1000)`` keep working) and records, for every literal whose stored form
would differ from its input form, the original lexical form and datatype in the reserved
graph :data:`govkg.vocab.LITERAL_FORMS_GRAPH`.  Every output that emits triples (CONSTRUCT
and DESCRIBE results, feeds, dumps, pages) restores the original term through
:class:`LiteralRestorer`.  SELECT bindings show the stored value with its primitive
datatype; that is documented in the endpoint's service description.

An entry is keyed by a hash of (subject, predicate, stored object), so that a triple
can be restored wherever it is output, even from the union default graph; ``gds:inGraph``
names each graph that holds the triple, so dropping a graph drops its entries.  If two
graphs hold the same stored triple with different original forms, the last load wins::

    <urn:govkg:literal:HEX> gds:inGraph <g> ;
        gds:lexicalForm "1.0" ;            # a plain string: never normalised
        gds:originalDatatype xsd:decimal .  # an IRI: never normalised
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from govkg.vocab import GDS, LITERAL_FORMS_GRAPH

XSD = "http://www.w3.org/2001/XMLSchema#"

# Datatypes whose literals Oxigraph may store in another form.  Strings, language
# strings and unknown datatypes are stored verbatim and need no entry.
_VALUE_TYPES = frozenset(
    XSD + t
    for t in [
        "boolean",
        "decimal",
        "integer",
        "float",
        "double",
        "date",
        "dateTime",
        "dateTimeStamp",
        "time",
        "duration",
        "dayTimeDuration",
        "yearMonthDuration",
        "gYear",
        "gYearMonth",
        "gMonthDay",
        "gDay",
        "gMonth",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
)

_LF_GRAPH = ox.NamedNode(str(LITERAL_FORMS_GRAPH))
_IN_GRAPH = ox.NamedNode(str(GDS.inGraph))
_LEXICAL = ox.NamedNode(str(GDS.lexicalForm))
_DATATYPE = ox.NamedNode(str(GDS.originalDatatype))

_probe_store = ox.Store()
_probe_lock = threading.Lock()
_probe_s = ox.NamedNode("urn:govkg:probe")
_canonical_cache: dict[tuple[str, str], ox.Literal] = {}


def may_change(lit: ox.Literal) -> bool:
    return lit.datatype.value in _VALUE_TYPES


def stored_form(lit: ox.Literal) -> ox.Literal:
    """The literal as Oxigraph will give it back (computed once per distinct literal)."""
    key = (lit.value, lit.datatype.value)
    hit = _canonical_cache.get(key)
    if hit is not None:
        return hit
    # add, read back, remove: Store.clear() on the in-memory store costs about 0.6 ms a call
    with _probe_lock:
        _probe_store.add(ox.Quad(_probe_s, _probe_s, lit))
        quad = next(_probe_store.quads_for_pattern(_probe_s, _probe_s, None, None))
        _probe_store.remove(quad)
    out = quad.object
    assert isinstance(out, ox.Literal)
    if len(_canonical_cache) > 100_000:
        _canonical_cache.clear()
    _canonical_cache[key] = out
    return out


def _key(s: object, p: object, o: object) -> ox.NamedNode:
    h = hashlib.sha1(f"{s} {p} {o}".encode(), usedforsecurity=False).hexdigest()
    return ox.NamedNode("urn:govkg:literal:" + h)


def entry_quads(graph: ox.NamedNode, s: object, p: object, original: ox.Literal, stored: ox.Literal) -> list[ox.Quad]:
    """The quads that record ``original`` for the stored triple (s, p, stored) in ``graph``."""
    node = _key(s, p, stored)
    return [
        ox.Quad(node, _IN_GRAPH, graph, _LF_GRAPH),
        ox.Quad(node, _LEXICAL, ox.Literal(original.value), _LF_GRAPH),
        ox.Quad(node, _DATATYPE, original.datatype, _LF_GRAPH),
    ]


def with_literal_forms(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Pass quads through, adding literal-form entries for those Oxigraph would change."""
    for q in quads:
        yield q
        o = q.object
        if type(o) is ox.Literal and o.datatype.value in _VALUE_TYPES:
            stored = stored_form(o)
            if stored.value != o.value or stored.datatype != o.datatype:
                g = q.graph_name
                assert isinstance(g, ox.NamedNode), "govkg stores data in named graphs only"
                yield from entry_quads(g, q.subject, q.predicate, o, stored)


def nquads_entry(graph_iri: str, s_nt: str, p_nt: str, stored_nt: str, lexical: str, datatype_iri: str) -> str:
    """The same entry as N-Quads text, for generators that write files for bulk loading.

    ``s_nt``, ``p_nt`` and ``stored_nt`` are N-Triples terms exactly as Oxigraph prints them
    (``str()`` of a pyoxigraph term).
    """
    node = _key(s_nt, p_nt, stored_nt).value
    g = f"<{LITERAL_FORMS_GRAPH}>"
    lex = ox.Literal(lexical)
    return (
        f"<{node}> <{_IN_GRAPH.value}> <{graph_iri}> {g} .\n"
        f"<{node}> <{_LEXICAL.value}> {lex} {g} .\n"
        f"<{node}> <{_DATATYPE.value}> <{datatype_iri}> {g} .\n"
    )


class LiteralRestorer:
    """Gives back original literals for triples read from one store snapshot.

    ``lookup`` is a callable that takes an entry node and returns its
    (lexical form, datatype IRI) or None; the store supplies it.
    """

    def __init__(self, lookup, enabled: bool = True) -> None:  # type: ignore[no-untyped-def]
        self._lookup = lookup
        self._enabled = enabled

    def restore(self, s: object, p: object, o: object) -> object:
        if not self._enabled or type(o) is not ox.Literal or o.datatype.value not in _VALUE_TYPES:
            return o
        hit = self._lookup(_key(s, p, o))
        if hit is None:
            return o
        return ox.Literal(hit[0], datatype=ox.NamedNode(hit[1]))
