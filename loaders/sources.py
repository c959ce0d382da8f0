"""The sources graph: where every named graph came from, and when.

Each load writes, into ``graph/system/sources``::

    <graph> a gds:SourceGraph ; dct:source <where> ; dct:modified "now" ;
        gds:tripleCount n ; prov:wasGeneratedBy <activity> .
    <activity> a prov:Activity, gds:Load ; prov:used <where> ; prov:generated <graph> ;
        prov:startedAtTime ... ; prov:endedAtTime ... .

Auditors follow it from a dataset's graph back to the file or platform it came from.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pyoxigraph as ox

from govkg.store.base import Transaction
from govkg.vocab import GDS, ID, graph_iri

SOURCES_GRAPH = ox.NamedNode(str(graph_iri("system", "sources")))
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DCT = "http://purl.org/dc/terms/"
_PROV = "http://www.w3.org/ns/prov#"
_XSD_DT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
_XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def record_load(
    tx: Transaction, *, graph: ox.NamedNode, source: str, triples: int, started: str | None = None, kind: str = "Load"
) -> ox.NamedNode:
    """Replace the source description of ``graph`` and add the activity that loaded it."""
    activity = ox.NamedNode(str(ID[f"activity/load/{uuid.uuid4().hex}"]))
    ended = now()
    src = ox.NamedNode(source) if "://" in source or source.startswith("file:") else ox.Literal(source)
    tx.update(
        f"DELETE WHERE {{ GRAPH {SOURCES_GRAPH} {{ {graph} <{_DCT}source> ?s ; <{_DCT}modified> ?m ; "
        f"<{GDS.tripleCount}> ?n }} }}"
    )
    g = SOURCES_GRAPH
    p = ox.NamedNode
    quads = [
        ox.Quad(graph, _RDF_TYPE, p(str(GDS.SourceGraph)), g),
        ox.Quad(graph, p(_DCT + "source"), src, g),
        ox.Quad(graph, p(_DCT + "modified"), ox.Literal(ended, datatype=_XSD_DT), g),
        ox.Quad(graph, p(str(GDS.tripleCount)), ox.Literal(str(triples), datatype=_XSD_INT), g),
        ox.Quad(graph, p(_PROV + "wasGeneratedBy"), activity, g),
        ox.Quad(activity, _RDF_TYPE, p(_PROV + "Activity"), g),
        ox.Quad(activity, _RDF_TYPE, p(str(GDS[kind])), g),
        ox.Quad(activity, p(_PROV + "used"), src, g),
        ox.Quad(activity, p(_PROV + "generated"), graph, g),
        ox.Quad(activity, p(_PROV + "startedAtTime"), ox.Literal(started or ended, datatype=_XSD_DT), g),
        ox.Quad(activity, p(_PROV + "endedAtTime"), ox.Literal(ended, datatype=_XSD_DT), g),
    ]
    tx.add(quads)
    return activity
