"""The store interface every backend implements.

A store holds RDF quads in named graphs.  Reading happens through a :class:`Snapshot`
(a consistent view that never changes under the reader) and writing through a
:class:`Transaction` (all of it becomes visible at once when the ``with`` block ends
without an exception, or none of it does).  Terms are pyoxigraph terms throughout; the
rdflib API is available through :meth:`Snapshot.rdflib_graph`.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from govkg.store.literals import LiteralRestorer
from govkg.vocab import INTERNAL_GRAPHS

INTERNAL = frozenset(ox.NamedNode(str(g)) for g in INTERNAL_GRAPHS)

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Snapshot(abc.ABC):
    """A read-only, consistent view of the store."""

    @abc.abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query.  Without ``default_graph`` the default graph is the union
        of all public named graphs (internal bookkeeping graphs are left out)."""

    @abc.abstractmethod
    def graphs(self) -> list[ox.NamedNode]:
        """All named graphs, internal ones included."""

    @abc.abstractmethod
    def quads(
        self,
        subject: object = None,
        predicate: object = None,
        object: object = None,  # noqa: A002 - the RDF name
        graph: object = None,
    ) -> Iterator[ox.Quad]:
        """Quads matching a pattern (None is a wildcard)."""

    @abc.abstractmethod
    def restorer(self) -> LiteralRestorer:
        """Restores literals that the backend normalised (see govkg.store.literals)."""

    def public_graphs(self) -> list[ox.NamedNode]:
        return [g for g in self.graphs() if g not in INTERNAL]

    def select(self, sparql: str, **kwargs: object) -> list[dict[str, object]]:
        """A SELECT query as a list of {variable: pyoxigraph term} rows (unbound left out)."""
        res = self.query(sparql, **kwargs)  # type: ignore[arg-type]
        if not isinstance(res, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in res.variables]
        return [{n: sol[n] for n in names if sol[n] is not None} for sol in res]

    def ask(self, sparql: str) -> bool:
        res = self.query(sparql)
        if not isinstance(res, ox.QueryBoolean):
            raise TypeError("ask() needs an ASK query")
        return bool(res)

    def triples(self, sparql: str, *, restore: bool = True) -> Iterator[ox.Triple]:
        """A CONSTRUCT or DESCRIBE query's triples, with original literals restored."""
        res = self.query(sparql)
        if not isinstance(res, ox.QueryTriples | list):  # remote stores return a list
            raise TypeError("triples() needs a CONSTRUCT or DESCRIBE query")
        r = self.restorer() if restore else None
        for t in res:
            if r is not None:
                o = r.restore(t.subject, t.predicate, t.object)
                if o is not t.object:
                    t = ox.Triple(t.subject, t.predicate, o)  # type: ignore[arg-type]
            yield t

    def rdflib_graph(self, graph: ox.NamedNode | None = None) -> Graph:
        """A named graph (or the public union) as an in-memory rdflib Graph."""
        from govkg.rdfterms import to_rdflib_graph

        if graph is None:
            triples: Iterable[ox.Triple] = self.triples("CONSTRUCT WHERE { ?s ?p ?o }")
        else:
            restorer = self.restorer()
            triples = (
                ox.Triple(q.subject, q.predicate, restorer.restore(q.subject, q.predicate, q.object))  # type: ignore[arg-type]
                for q in self.quads(graph=graph)
            )
        return to_rdflib_graph(triples)

    def close(self) -> None:  # noqa: B027 - optional hook
        pass

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Transaction(abc.ABC):
    """A write; becomes visible as a whole when the ``with`` block ends without error."""

    @abc.abstractmethod
    def add(self, quads: Iterable[ox.Quad]) -> int:
        """Add quads (literal-form bookkeeping included); returns how many were given."""

    @abc.abstractmethod
    def drop_graph(self, graph: ox.NamedNode) -> None:
        """Remove a named graph and its literal-form entries."""

    def remove(self, quads: Iterable[ox.Quad]) -> int:
        """Remove quads exactly as the store holds them (blank nodes included, as read from
        :meth:`snapshot`), with their literal-form entries; returns how many were given."""
        raise NotImplementedError(f"{type(self).__name__} cannot remove single quads")

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update inside this transaction."""

    @abc.abstractmethod
    def bulk_load_trusted(self, path: Path, fmt: ox.RdfFormat) -> None:
        """Load a file that govkg itself wrote (demo, dump), at raw bulk-load speed.
        The file must already carry its literal-form entries and named graphs."""

    @abc.abstractmethod
    def snapshot(self) -> Snapshot:
        """Read this transaction's own writes."""

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> int:
        self.drop_graph(graph)
        return self.add(quads)


class Store(abc.ABC):
    """A backend: the embedded Oxigraph store or a remote SPARQL 1.1 server."""

    location: str

    @abc.abstractmethod
    def snapshot(self) -> Snapshot: ...

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[Transaction]: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
