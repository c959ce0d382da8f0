"""Any SPARQL 1.1 Query + Update server as the store (Oxigraph server, Virtuoso, Fuseki...).

Reads are SPARQL queries over HTTP; results are parsed back into pyoxigraph terms so
callers see the same objects as with the embedded store.  A write stages each target
graph's new content in a private staging graph (one request per graph, so blank nodes
keep their identity), then publishes everything in ONE update request (``DROP`` /
``ADD`` / the caller's updates) that the server runs as one operation; on failure the
staging graphs are dropped and the target graphs are as they were.  Whether readers can
see a half-applied request depends on the server (Oxigraph's is transactional).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
import requests

from govkg.errors import GovkgError, QueryError, StoreError
from govkg.store.base import INTERNAL, Snapshot, Store, Transaction
from govkg.store.literals import _DATATYPE, _LEXICAL, _LF_GRAPH, LiteralRestorer, with_literal_forms

STAGING_PREFIX = "urn:govkg:staging:"
# A staging graph is named urn:govkg:staging:<unix time>:<transaction>:<n>.  A writer killed
# between staging and publishing leaves its staging graphs behind (they sit in the server's
# union default graph); every later write drops those older than this, which no live
# transaction reaches (a transaction stages and publishes in one go).
STALE_STAGING_SECONDS = 6 * 3600
_ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.5, "
    "application/sparql-results+xml;q=0.4"
)


class TripleList(list):  # type: ignore[type-arg]
    """CONSTRUCT/DESCRIBE results from a remote server (a list of pyoxigraph Triples)."""


class RemoteError(GovkgError):
    def __init__(self, message: str, source: str, status: int = 502) -> None:
        super().__init__(message, source=source, exit_code=2, http_status=status)


class RemoteSnapshot(Snapshot):
    def __init__(self, store: RemoteStore) -> None:
        self._s = store
        self._restorer: LiteralRestorer | None = None

    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        base_iri: str | None = None,
    ):  # type: ignore[no-untyped-def]
        data: list[tuple[str, str]] = [("query", sparql)]
        data += [("default-graph-uri", g.value) for g in default_graph or ()]
        data += [("named-graph-uri", g.value) for g in named_graphs or ()]
        resp = self._s.post(self._s.query_url, data, accept=_ACCEPT)
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        body = resp.content
        if ctype in ("application/sparql-results+json", "application/json"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if ctype in ("application/sparql-results+xml", "application/xml"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        fmt = ox.RdfFormat.from_media_type(ctype)
        if fmt is None:
            raise RemoteError(f"unexpected response type {ctype!r}", self._s.query_url)
        return TripleList(ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt))

    def graphs(self) -> list[ox.NamedNode]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return [r["g"] for r in rows if isinstance(r.get("g"), ox.NamedNode)]  # type: ignore[misc]

    def public_graphs(self) -> list[ox.NamedNode]:
        return [g for g in self.graphs() if g not in INTERNAL and not g.value.startswith(STAGING_PREFIX)]

    def quads(
        self, subject: object = None, predicate: object = None, object: object = None, graph: object = None
    ) -> Iterator[ox.Quad]:  # noqa: A002
        def term(t: object, var: str) -> str:
            return str(t) if t is not None else var

        pattern = f"{term(subject, '?s')} {term(predicate, '?p')} {term(object, '?o')}"
        if graph is None:
            q = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ {pattern} }} }}"
        else:
            q = f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ {pattern} }} }}"
        for row in self.select(q):
            yield ox.Quad(
                subject if subject is not None else row["s"],  # type: ignore[arg-type]
                predicate if predicate is not None else row["p"],  # type: ignore[arg-type]
                object if object is not None else row["o"],  # type: ignore[arg-type]
                graph if graph is not None else row["g"],  # type: ignore[arg-type]
            )

    def restorer(self) -> LiteralRestorer:
        if self._restorer is None:
            cache: dict[str, tuple[str, str] | None] = {}

            def lookup(node: ox.NamedNode) -> tuple[str, str] | None:
                if node.value not in cache:
                    rows = self.select(
                        f"SELECT ?l ?d WHERE {{ GRAPH {_LF_GRAPH} {{ {node} {_LEXICAL} ?l ; {_DATATYPE} ?d }} }}"
                    )
                    cache[node.value] = (rows[0]["l"].value, rows[0]["d"].value) if rows else None  # type: ignore[attr-defined]
                return cache[node.value]

            has_forms = self.ask(f"ASK {{ GRAPH {_LF_GRAPH} {{ ?s ?p ?o }} }}")
            self._restorer = LiteralRestorer(lookup, enabled=has_forms)
        return self._restorer


class RemoteTransaction(Transaction):
    def __init__(self, store: RemoteStore) -> None:
        self._s = store
        self._id = f"{int(time.time())}:{uuid.uuid4().hex}"
        self._ops: list[str] = []
        self._staging: list[str] = []

    def _stage(self, graph: ox.NamedNode, triples: list[ox.Triple]) -> str:
        staging = f"{STAGING_PREFIX}{self._id}:{len(self._staging)}"
        self._staging.append(staging)
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        self._s.post(
            self._s.update_url,
            [("update", f"INSERT DATA {{ GRAPH <{staging}> {{\n{body.decode('utf-8')}\n}} }}")],
        )
        return staging

    def add(self, quads: Iterable[ox.Quad]) -> int:
        by_graph: dict[ox.NamedNode, list[ox.Triple]] = defaultdict(list)
        n = 0
        for q in with_literal_forms(quads):
            if q.graph_name != _LF_GRAPH:
                n += 1
            by_graph[q.graph_name].append(ox.Triple(q.subject, q.predicate, q.object))  # type: ignore[index]
        for g, triples in by_graph.items():
            staging = self._stage(g, triples)
            self._ops.append(f"ADD SILENT <{staging}> TO {g}")
        return n

    def drop_graph(self, graph: ox.NamedNode) -> None:
        if graph in INTERNAL:
            raise StoreError(f"{graph.value} is an internal graph and cannot be dropped")
        self._ops.append(f"DROP SILENT GRAPH {graph}")

    def remove(self, quads: Iterable[ox.Quad]) -> int:
        # Blank nodes read over HTTP are not the server's own: only ground quads can be named.
        # Literal-form entries stay; a stale entry only restores a triple that is gone.
        ground: list[ox.Quad] = []
        for q in quads:
            if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
                raise StoreError("a remote store cannot remove quads with blank nodes one by one")
            if q.graph_name in INTERNAL:
                raise StoreError(f"{q.graph_name.value} is an internal graph")
            ground.append(q)
        if ground:
            body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in ground)
            self._ops.append(f"DELETE DATA {{\n{body}\n}}")
        return len(ground)

    def update(self, sparql: str) -> None:
        self._ops.append(sparql)

    def bulk_load_trusted(self, path: Path, fmt: ox.RdfFormat) -> None:
        # A remote server has no shared file system: stream the file through, graph by graph.
        self.add(ox.parse(path=str(path), format=fmt))

    def snapshot(self) -> RemoteSnapshot:
        return RemoteSnapshot(self._s)

    def commit(self) -> None:
        ops = list(self._ops) + [f"DROP SILENT GRAPH <{s}>" for s in self._staging]
        if ops:
            ops += [f"DROP SILENT GRAPH <{s}>" for s in self._s.stale_staging_graphs()]
        if ops:
            self._s.post(self._s.update_url, [("update", " ;\n".join(ops))])

    def rollback(self) -> None:
        if self._staging:
            with contextlib.suppress(GovkgError):
                self._s.post(
                    self._s.update_url, [("update", " ;\n".join(f"DROP SILENT GRAPH <{s}>" for s in self._staging))]
                )


class RemoteStore(Store):
    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        timeout: float = 60.0,
        auth: tuple[str, str] | None = None,
    ) -> None:
        if not query_url.startswith(("http://", "https://")):
            raise StoreError("the endpoint must be an http(s) URL", source=query_url)
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.location = query_url
        self.timeout = timeout
        self._http = requests.Session()
        self._http.trust_env = False  # never route loopback test traffic through a proxy
        if auth:
            self._http.auth = auth

    def post(self, url: str, data: list[tuple[str, str]], accept: str | None = None) -> requests.Response:
        headers = {"Accept": accept} if accept else {}
        try:
            resp = self._http.post(url, data=data, headers=headers, timeout=self.timeout)
        except requests.Timeout:
            raise RemoteError(f"no answer within {self.timeout:g} s", url, 504) from None
        except requests.ConnectionError as e:
            raise RemoteError(f"cannot reach the SPARQL server: {e.__class__.__name__}", url, 503) from None
        if resp.status_code == 400:
            raise QueryError(resp.text.strip()[:2000] or "bad request", source=url)
        if resp.status_code >= 400:
            raise RemoteError(
                f"server answered {resp.status_code}: {resp.text.strip()[:500]}",
                url,
                503 if resp.status_code >= 500 else 502,
            )
        return resp

    def snapshot(self) -> RemoteSnapshot:
        return RemoteSnapshot(self)

    def stale_staging_graphs(self, now: float | None = None) -> list[str]:
        """Staging graphs left by writers that died more than STALE_STAGING_SECONDS ago."""
        rows = self.snapshot().select(
            f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{}} FILTER(STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}'
        )
        cutoff = (time.time() if now is None else now) - STALE_STAGING_SECONDS
        stale = []
        for row in rows:
            name = row["g"].value  # type: ignore[attr-defined]
            stamp = name[len(STAGING_PREFIX):].split(":", 1)[0]
            if stamp.isdigit() and int(stamp) < cutoff:
                stale.append(name)
        return stale

    @contextlib.contextmanager
    def transaction(self) -> Iterator[RemoteTransaction]:
        tx = RemoteTransaction(self)
        try:
            yield tx
            tx.commit()
        except BaseException:
            tx.rollback()
            raise

    def close(self) -> None:
        self._http.close()
