"""What validation reads: a snapshot whose default graph leaves out stored validation reports.

Every ``govkg validate`` run stores its report in a graph of its own
(``graph/validation/<run>``), and the store's default graph is the union of all public
graphs, so that researchers can query the reports with the data.  A validation run must
not read them: earlier findings are not data under the regulations, and one more graph in
the union per run would make every lookup of every check a little slower with each run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from govkg.sparql_text import has_dataset_clause
from govkg.store.base import QueryResult, Snapshot
from govkg.store.literals import LiteralRestorer
from govkg.vocab import GRAPH

REPORT_GRAPH_PREFIX = GRAPH + "validation/"


def is_report_graph(graph: ox.NamedNode) -> bool:
    return graph.value.startswith(REPORT_GRAPH_PREFIX)


class DataView(Snapshot):
    """``snap`` with the validation reports out of its default graph (the reports stay
    reachable as named graphs).  Closing the view leaves ``snap`` open."""

    def __init__(self, snap: Snapshot) -> None:
        self._snap = snap
        self.path: Path | None = getattr(snap, "path", None)
        self._graphs = [g for g in snap.public_graphs() if not is_report_graph(g)]

    def default_graphs(self) -> list[ox.NamedNode]:
        return self._graphs

    def public_graphs(self) -> list[ox.NamedNode]:
        return self._graphs

    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        if default_graph is None and not has_dataset_clause(sparql):
            default_graph = self._graphs
        return self._snap.query(sparql, default_graph=default_graph, named_graphs=named_graphs, base_iri=base_iri)

    def graphs(self) -> list[ox.NamedNode]:
        return self._snap.graphs()

    def quads(
        self, subject: object = None, predicate: object = None, object: object = None, graph: object = None
    ) -> Iterator[ox.Quad]:  # noqa: A002
        return self._snap.quads(subject, predicate, object, graph)

    def restorer(self) -> LiteralRestorer:
        return self._snap.restorer()
