"""govkg reason: OWL-RL entailments go to the inferred graph only."""

from __future__ import annotations

import pyoxigraph as ox

from govkg.packaged import ontology_quads
from govkg.reason import materialise
from govkg.store.oxigraph import OxigraphStore
from govkg.vocab import INFERRED_GRAPH

GDS = "https://w3id.org/govkg/def#"
G = ox.NamedNode("https://w3id.org/govkg/graph/source/t")


def test_inferences_land_in_the_inferred_graph_only(store: OxigraphStore) -> None:
    n = ox.NamedNode
    sub = n(GDS + "withinOrganization")
    data = [
        ox.Quad(n("http://example.org/district-bureau"), n("http://www.w3.org/ns/org#subOrganizationOf"),
                n("http://example.org/city-bureau"), G),
        ox.Quad(n("http://example.org/city-bureau"), n("http://www.w3.org/ns/org#subOrganizationOf"),
                n("http://example.org/province-bureau"), G),
    ]
    with store.transaction() as tx:
        tx.add(ontology_quads())
        tx.add(data)
    with store.snapshot() as snap:
        before = sorted(str(q) for q in snap.quads(graph=G))
    inferred = materialise(store)
    assert inferred > 0
    with store.snapshot() as snap:
        assert sorted(str(q) for q in snap.quads(graph=G)) == before  # asserted data untouched
        # transitive sub-organisation through gds:withinOrganization, inferred graph only
        assert ox.Quad(n("http://example.org/district-bureau"), sub, n("http://example.org/province-bureau"),
                       ox.NamedNode(str(INFERRED_GRAPH))) in set(snap.quads(graph=ox.NamedNode(str(INFERRED_GRAPH))))
    # re-running replaces the inferred graph rather than growing it
    assert materialise(store) == inferred
