"""The same jobs as govkg.query_pool, run against a remote SPARQL 1.1 server over HTTP.

The remote server should keep its default graph as it is (for ``oxigraph serve``: no
``--union-default-graph``): a query without a dataset of its own asks for the union with
Oxigraph's ``union-default-graph`` parameter, as govkg's default graph is the union of the
named graphs (which then includes the internal literal-forms graph).  Other servers ignore
the parameter and must be configured for a union default graph themselves.

The proxy does not pass the remote bytes through: it asks for a format whose end can be
checked (SPARQL JSON results, JSON-LD; a line format cut at a line boundary would look
complete, and ``oxigraph serve --timeout-s`` answers a timed-out query with a truncated
200), parses the whole answer, counts it against the cap, restores original literal forms
(govkg.store.literals) and serialises it in the format the client negotiated.  A query gets
``timeout`` seconds in all, measured here: the request is abandoned past it and the client
gets the same 503 as with the embedded store.  (Whether the remote server stops working on
an abandoned request is up to it: give it its own time limit as a backstop.)
"""

from __future__ import annotations

import re
import threading
import time

import pyoxigraph as ox
import requests

from govkg.errors import GovkgError, QueryError, QueryTimeout, ResultTooLarge
from govkg.query_pool import GraphJob, NotFound, QueryJob, QueryReply, UpdateJob
from govkg.query_results import (
    ASK_FORMATS,
    GRAPH_FORMATS,
    SELECT_FORMATS,
    NotAcceptable,
    restored,
    serialize_boolean,
    serialize_solutions,
    serialize_triples,
)
from govkg.sparql_text import has_dataset_clause, query_form
from govkg.store.base import INTERNAL
from govkg.store.literals import _DATATYPE, _LEXICAL, _LF_GRAPH, _VALUE_TYPES, LiteralRestorer, _key
from govkg.store.remote import RemoteError, RemoteStore

_ACCEPT = {
    "select": "application/sparql-results+json, application/sparql-results+xml;q=0.5",
    "ask": "application/sparql-results+json, application/sparql-results+xml;q=0.5",
    "graph": "application/ld+json, application/rdf+xml;q=0.5",
    None: "application/sparql-results+json, application/ld+json;q=0.9",
}
_ERROR_AT = re.compile(r"\berror at (\d+):(\d+)")
_LOOKUP_BATCH = 200


class RemoteRunner:
    """Jobs over HTTP; ``timeout`` is the whole time a call may take."""

    def __init__(self, store: RemoteStore, session: requests.Session | None = None, *,
                 max_response_bytes: int = 1 << 30) -> None:
        self.store = store
        self.max_response_bytes = max_response_bytes
        self._budget = 0.0
        if session is None:
            session = requests.Session()
            session.trust_env = False  # loopback and intranet servers: never through a proxy
        self._http = session

    # -- HTTP ---------------------------------------------------------------------------------
    def _post(self, url: str, data: list[tuple[str, str]], accept: str | None, deadline: float,
              shift_lines: int = 0) -> tuple[str, bytes]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise QueryTimeout(self._budget)
        headers = {"Accept": accept} if accept else {}
        try:
            resp = self._http.post(url, data=data, headers=headers, timeout=(min(10.0, remaining), remaining),
                                   stream=True)
        except requests.Timeout:
            raise QueryTimeout(self._budget) from None
        except requests.ConnectionError as e:
            raise RemoteError(f"cannot reach the SPARQL server: {e.__class__.__name__}", url, 503) from None
        with resp:
            body = self._read(resp, deadline, url)
            if resp.status_code == 400:
                text = body.decode("utf-8", "replace").strip()[:2000] or "bad request"
                if shift_lines:  # the BASE line we added is not the client's
                    text = _ERROR_AT.sub(
                        lambda m: f"error at {max(int(m.group(1)) - shift_lines, 1)}:{m.group(2)}", text
                    )
                raise QueryError(text)
            if resp.status_code >= 400:
                raise RemoteError(f"server answered {resp.status_code}: {body[:500].decode('utf-8', 'replace')}",
                                  url, 503 if resp.status_code >= 500 else 502)
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
            return ctype, body

    def _read(self, resp: requests.Response, deadline: float, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.iter_content(65536):
                chunks.append(chunk)
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise RemoteError(f"the answer exceeds {self.max_response_bytes} bytes", url, 502)
                if time.monotonic() > deadline:
                    raise QueryTimeout(self._budget)
        except requests.Timeout:
            raise QueryTimeout(self._budget) from None
        except requests.RequestException as e:
            raise RemoteError(f"the answer was cut off: {e.__class__.__name__}", url, 502) from None
        return b"".join(chunks)

    def _start(self, timeout: float) -> float:
        self._budget = timeout
        return time.monotonic() + timeout

    # -- reads ----------------------------------------------------------------------------------
    def query(self, job: QueryJob, *, timeout: float) -> QueryReply:
        deadline = self._start(timeout)
        form = query_form(job.query)
        if form is not None and job.formats.get(form) is None:
            raise _not_acceptable(form)
        text = job.query
        shift = 0
        if job.base_iri:  # relative IRIs resolve against our endpoint, as with the embedded store
            text = f"BASE <{job.base_iri}>\n{text}"
            shift = 1
        data = [("query", text)]
        data += [("default-graph-uri", g) for g in job.default_graphs or ()]
        data += [("named-graph-uri", g) for g in job.named_graphs or ()]
        if job.default_graphs is None and job.named_graphs is None and not has_dataset_clause(job.query):
            # govkg's default graph is the union of the named graphs; Oxigraph's server takes this
            # per query (started with --union-default-graph it would refuse updates with USING)
            data.append(("union-default-graph", ""))
        ctype, body = self._post(self.store.query_url, data, _ACCEPT[form], deadline, shift)
        return self._reply(ctype, body, job, deadline)

    def _reply(self, ctype: str, body: bytes, job: QueryJob, deadline: float) -> QueryReply:
        url = self.store.query_url
        results = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                   "application/json": ox.QueryResultsFormat.JSON,
                   "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                   "application/xml": ox.QueryResultsFormat.XML}
        try:
            if ctype in results:
                res = ox.parse_query_results(body, format=results[ctype])
                if isinstance(res, ox.QueryBoolean):
                    fmt = job.formats.get("ask")
                    if fmt not in ASK_FORMATS:
                        raise _not_acceptable("ask")
                    return QueryReply("ask", fmt, serialize_boolean(res, fmt), 1)
                fmt = job.formats.get("select")
                if fmt not in SELECT_FORMATS:
                    raise _not_acceptable("select")
                out, n = serialize_solutions(res, fmt, job.max_results)
                return QueryReply("select", fmt, out, n)
            rdf = ox.RdfFormat.from_media_type(ctype)
            if rdf is None:
                raise RemoteError(f"unexpected response type {ctype!r}", url, 502)
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=rdf)]
        except SyntaxError as e:
            raise RemoteError(f"the server sent an incomplete or invalid answer ({e})", url, 502) from None
        fmt = job.formats.get("graph")
        if fmt not in GRAPH_FORMATS:
            raise _not_acceptable("graph")
        if len(triples) > job.max_results:
            raise ResultTooLarge(job.max_results, "triples")
        restorer = self._restorer(triples, deadline)
        out, n = serialize_triples(restored(triples, restorer), fmt, job.max_results)
        return QueryReply("graph", fmt, out, n)

    def _select(self, sparql: str, deadline: float) -> list[dict[str, object]]:
        _, body = self._post(self.store.query_url, [("query", sparql)], _ACCEPT["select"], deadline)
        res = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        names = [v.value for v in res.variables]  # type: ignore[union-attr]
        return [{n: sol[n] for n in names if sol[n] is not None} for sol in res]  # type: ignore[union-attr]

    def _restorer(self, triples: list[ox.Triple], deadline: float) -> LiteralRestorer | None:
        """Original literal forms for these triples, looked up in batches (one request per batch)."""
        keys = {_key(t.subject, t.predicate, t.object).value for t in triples
                if type(t.object) is ox.Literal and t.object.datatype.value in _VALUE_TYPES}
        if not keys:
            return None
        found: dict[str, tuple[str, str]] = {}
        ordered = sorted(keys)
        for i in range(0, len(ordered), _LOOKUP_BATCH):
            values = " ".join(f"<{k}>" for k in ordered[i : i + _LOOKUP_BATCH])
            pattern = f"GRAPH {_LF_GRAPH} {{ ?k {_LEXICAL} ?l ; {_DATATYPE} ?d }}"
            rows = self._select(f"SELECT ?k ?l ?d WHERE {{ VALUES ?k {{ {values} }} {pattern} }}", deadline)
            for r in rows:
                found[r["k"].value] = (r["l"].value, r["d"].value)  # type: ignore[attr-defined]
        return LiteralRestorer(lambda node: found.get(node.value), enabled=bool(found))

    def graph_get(self, job: GraphJob, *, timeout: float) -> QueryReply:
        if job.graph is None:
            return self.query(QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", formats={"graph": job.format},
                                       max_results=job.max_results), timeout=timeout)
        deadline = self._start(timeout)
        if not self._graph_exists(job.graph, deadline):
            raise NotFound(f"no graph <{job.graph}> in the store")
        q = QueryJob(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{job.graph}> {{ ?s ?p ?o }} }}",
                     formats={"graph": job.format}, max_results=job.max_results)
        return self.query(q, timeout=max(deadline - time.monotonic(), 0.001))

    def _graph_exists(self, graph: str, deadline: float) -> bool:
        _, body = self._post(self.store.query_url, [("query", f"ASK {{ GRAPH <{graph}> {{ }} }}")],
                             _ACCEPT["ask"], deadline)
        return bool(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))

    # -- writes ----------------------------------------------------------------------------------
    def update(self, job: UpdateJob, *, timeout: float) -> None:
        text = f"BASE <{job.base_iri}>\n{job.update}" if job.base_iri else job.update
        self._with_timeout(timeout, lambda tx: tx.update(text))

    def graph_put(self, job: GraphJob, *, replace: bool, timeout: float) -> bool:
        from govkg.rdfio import format_for, parse_document

        if job.graph is None:
            raise GovkgError("govkg keeps all data in named graphs: give ?graph=<iri>", http_status=400)
        g = ox.NamedNode(job.graph)
        if g in INTERNAL:
            raise GovkgError(f"<{job.graph}> is an internal graph and cannot be written", http_status=403)
        parsed = parse_document(job.data, format_for(name=job.format), source="request body", graph=g,
                                base_iri=job.graph, allow_empty=True)
        if any(q.graph_name != g for q in parsed.quads):
            raise GovkgError("the body names other graphs; send a graph syntax for one graph", http_status=400)
        created = not self._graph_exists(job.graph, self._start(timeout))

        def write(tx):  # type: ignore[no-untyped-def]
            if replace:
                tx.replace_graph(g, parsed.quads)
            else:
                tx.add(parsed.quads)

        self._with_timeout(timeout, write)
        return created

    def graph_delete(self, job: GraphJob, *, timeout: float) -> None:
        if job.graph is None:
            raise GovkgError("govkg keeps all data in named graphs: give ?graph=<iri>", http_status=400)
        g = ox.NamedNode(job.graph)
        if g in INTERNAL:
            raise GovkgError(f"<{job.graph}> is an internal graph and cannot be dropped", http_status=403)
        if not self._graph_exists(job.graph, self._start(timeout)):
            raise NotFound(f"no graph <{job.graph}> in the store")
        self._with_timeout(timeout, lambda tx: tx.drop_graph(g))

    def _with_timeout(self, timeout: float, body) -> None:  # type: ignore[no-untyped-def]
        # a store of our own: the shared one's timeout must not change under other threads
        store = RemoteStore(self.store.query_url, self.store.update_url, timeout=timeout)
        try:
            with store.transaction() as tx:
                body(tx)
        finally:
            store.close()

    def version(self, *, timeout: float = 0.0) -> str:
        return remote_version()


def remote_version() -> str:
    """No generations to compare on a remote server: a new value every five minutes."""
    return str(int(time.time() // 300))


def _not_acceptable(form: str) -> NotAcceptable:
    offered = {"select": SELECT_FORMATS, "ask": ASK_FORMATS, "graph": GRAPH_FORMATS}[form]
    return NotAcceptable({"select": "SELECT", "ask": "ASK", "graph": "CONSTRUCT/DESCRIBE"}[form], offered)


class RemoteExecutor:
    """The QueryPool interface (``call``) over RemoteRunners, one HTTP session per thread."""

    def __init__(self, store: RemoteStore) -> None:
        self._store = store
        self._local = threading.local()
        self._sessions: list[requests.Session] = []

    def _session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            s.trust_env = False
            self._local.session = s
            self._sessions.append(s)
        return s

    def call(self, method: str, *args: object, timeout: float, **kwargs: object) -> object:
        runner = RemoteRunner(self._store, self._session())
        return getattr(runner, method)(*args, timeout=timeout, **kwargs)

    def start(self) -> None:
        pass

    def close(self) -> None:
        for s in self._sessions:
            s.close()
        self._sessions.clear()
