"""Inference: OWL-RL (owlrl) over the ontology and the asserted data, written into the
inferred graph only, never mixed into asserted data.

owlrl works on an in-memory rdflib graph, so the closure is computed over a copy of the
ontology graph plus the public data graphs; only triples that were not there before
are stored, replacing the previous inferred graph.  owlrl's cost grows fast with the
data (it is a naive forward chainer): use ``--profile rdfs`` for large graphs.
"""

from __future__ import annotations

from collections.abc import Callable

import owlrl
import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

from govkg.rdfterms import from_rdflib_graph, to_rdflib_graph
from govkg.store.base import Store
from govkg.vocab import INFERRED_GRAPH

_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


def closure(asserted: Graph, profile: str = "owlrl") -> Graph:
    """The triples entailed by ``asserted`` that it does not already hold."""
    work = Graph()
    for t in asserted:
        work.add(t)
    semantics = owlrl.OWLRL_Semantics if profile == "owlrl" else owlrl.RDFS_Semantics
    owlrl.DeductiveClosure(semantics, rdfs_closure=False, axiomatic_triples=False, datatype_axioms=False).expand(work)
    inferred = Graph()
    for t in work:
        # owlrl works in generalised RDF (literal subjects): keep what RDF can hold
        if t not in asserted and isinstance(t[0], URIRef | BNode) and isinstance(t[1], URIRef):
            inferred.add(t)
    return inferred


def materialise(store: Store, profile: str = "owlrl", log: Callable[[str], None] | None = None) -> int:
    with store.snapshot() as snap:
        graphs = [g for g in snap.public_graphs() if g != _INFERRED]
        asserted = Graph()
        for g in graphs:
            to_rdflib_graph((ox.Triple(q.subject, q.predicate, q.object) for q in snap.quads(graph=g)), asserted)
    if log:
        log(f"reasoning ({profile}) over {len(asserted)} asserted triples from {len(graphs)} graphs")
    inferred = closure(asserted, profile)
    with store.transaction() as tx:
        tx.replace_graph(_INFERRED, from_rdflib_graph(inferred, _INFERRED))
    return len(inferred)
