"""Killable query workers: SPARQL over the embedded store with a timeout that really stops the work.

pyoxigraph cannot interrupt a running query (upstream oxigraph#1926), so every query,
update and graph-store operation of the server runs in a worker process.  The parent
waits for the answer up to the time limit; past it, the worker is killed (SIGKILL) and a
fresh one is started in the background, so the next request never pays for the start.

* Workers are started with the ``spawn`` context: nothing of the parent (least of all an
  open RocksDB) is inherited.
* A worker opens the store's current generation read-only (``OxigraphStore.snapshot()``)
  and re-opens it when ``current_generation()`` changes, so it sees every committed write
  at its next job and holds an old generation only while it is still being read.
* Writes (SPARQL Update, graph store PUT/POST/DELETE) run in a worker too, inside
  ``store.transaction()``: killed midway, they leave the store as it was.
* Results are serialised in the worker, with the result cap enforced while serialising
  (govkg.query_results), so only finished bytes cross the pipe.
* ``size`` workers serve at most ``size`` jobs at once; up to ``max_waiting`` more callers
  wait for a free worker (for at most their time limit) and any further caller is refused
  at once with 503: a burst never queues without bound.

Jobs are plain dataclasses; :class:`EmbeddedRunner` executes them against a store and is
also what a caller without a pool (tests, the benchmark) can use directly.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from govkg.errors import GovkgError, QueryError, QueryTimeout, StoreError
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
from govkg.sparql_text import has_dataset_clause, untrusted_problem

log = logging.getLogger(__name__)


# -- jobs ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueryJob:
    query: str
    # the result format chosen for each query form (None: the client accepts none)
    formats: dict[str, str | None] = field(default_factory=lambda: {"select": "json", "ask": "json", "graph": "ttl"})
    # a dataset given by the protocol (default-graph-uri / named-graph-uri); None: not given
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    max_results: int = 100_000


@dataclass(frozen=True)
class QueryReply:
    form: str  # select, ask or graph
    format: str  # a key of govkg.output.RESULT_FORMATS or RDF_FORMATS
    body: bytes
    count: int  # solutions or triples (1 for ASK)


@dataclass(frozen=True)
class UpdateJob:
    update: str
    base_iri: str | None = None


@dataclass(frozen=True)
class GraphJob:
    """A Graph Store Protocol operation on one named graph (``graph=None``: the default graph)."""

    graph: str | None
    format: str = "ttl"  # the reply format (GET) or the body's syntax name (PUT/POST)
    data: bytes = b""
    max_results: int = 100_000


class NotFound(GovkgError):
    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=2, http_status=404)


class WorkersBusy(GovkgError):
    def __init__(self, size: int) -> None:
        super().__init__(
            f"all {size} query workers are busy and the waiting line is full; try again shortly",
            exit_code=2,
            http_status=503,
        )


# -- execution against the embedded store ----------------------------------------------------
class EmbeddedRunner:
    """Runs jobs against an embedded store directory, re-opening newer generations."""

    def __init__(self, store_path: Path | str) -> None:
        self.store_path = Path(store_path)
        self._store: Any = None
        self._snap: Any = None

    def _open_store(self) -> Any:
        if self._store is None:
            from govkg.store.oxigraph import OxigraphStore

            self._store = OxigraphStore(self.store_path, create=False)
        return self._store

    def snapshot(self) -> Any:
        store = self._open_store()
        current = store.current_generation()
        if self._snap is None or self._snap.path != current:
            if self._snap is not None:
                self._snap.close()
                self._snap = None
            self._snap = store.snapshot()
        return self._snap

    def close(self) -> None:
        if self._snap is not None:
            self._snap.close()
            self._snap = None

    def release_if_stale(self) -> None:
        """Let go of a generation a write has replaced, so that it can be deleted while we idle."""
        if self._snap is not None and self._store is not None:
            with contextlib.suppress(GovkgError, OSError):
                if self._store.current_generation() != self._snap.path:
                    self.close()

    # -- reads ------------------------------------------------------------------------
    def query(self, job: QueryJob) -> QueryReply:
        problem = untrusted_problem(job.query)
        if problem:
            raise QueryError(problem)
        snap = self.snapshot()
        kwargs: dict[str, Any] = {}
        if job.base_iri:
            kwargs["base_iri"] = job.base_iri
        if job.default_graphs is not None or job.named_graphs is not None:
            # a dataset given by the protocol replaces the query's own and the union default
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
        elif not has_dataset_clause(job.query):
            kwargs["default_graph"] = snap.default_graphs() or ox.DefaultGraph()
        try:
            result = snap.oxigraph.query(job.query, **kwargs)
            return self._reply(result, job, snap)
        except SyntaxError as e:
            raise QueryError(str(e)) from None
        except OSError as e:
            raise StoreError(f"reading the store failed: {e}") from None

    @staticmethod
    def _reply(result: Any, job: QueryJob, snap: Any) -> QueryReply:
        if isinstance(result, ox.QueryBoolean):
            fmt = job.formats.get("ask")
            if fmt not in ASK_FORMATS:
                raise NotAcceptable("ASK", ASK_FORMATS)
            return QueryReply("ask", fmt, serialize_boolean(result, fmt), 1)
        if isinstance(result, ox.QuerySolutions):
            fmt = job.formats.get("select")
            if fmt not in SELECT_FORMATS:
                raise NotAcceptable("SELECT", SELECT_FORMATS)
            body, n = serialize_solutions(result, fmt, job.max_results)
            return QueryReply("select", fmt, body, n)
        fmt = job.formats.get("graph")
        if fmt not in GRAPH_FORMATS:
            raise NotAcceptable("CONSTRUCT/DESCRIBE", GRAPH_FORMATS)
        body, n = serialize_triples(restored(result, snap.restorer()), fmt, job.max_results)
        return QueryReply("graph", fmt, body, n)

    def graph_get(self, job: GraphJob) -> QueryReply:
        snap = self.snapshot()
        if job.format not in GRAPH_FORMATS:
            raise NotAcceptable("graph", GRAPH_FORMATS)
        if job.graph is None:  # the default graph: the union of the public graphs
            return self.query(QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", formats={"graph": job.format},
                                       max_results=job.max_results))
        g = ox.NamedNode(job.graph)
        if not snap.oxigraph.contains_named_graph(g):
            raise NotFound(f"no graph <{job.graph}> in the store")
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in snap.quads(graph=g))
        body, n = serialize_triples(restored(triples, snap.restorer()), job.format, job.max_results)
        return QueryReply("graph", job.format, body, n)

    # -- writes -------------------------------------------------------------------------
    def update(self, job: UpdateJob) -> None:
        problem = untrusted_problem(job.update, update=True)
        if problem:
            raise QueryError(problem)
        store = self._open_store()
        with store.transaction() as tx:
            db = tx.oxigraph
            before = [g for g in db.named_graphs() if isinstance(g, ox.NamedNode)]
            default_was_empty = _is_empty(db, ox.DefaultGraph())
            try:
                db.update(job.update, base_iri=job.base_iri)
            except SyntaxError as e:
                raise QueryError(str(e)) from None
            except OSError as e:
                raise StoreError(f"the update failed: {e}") from None
            if default_was_empty and not _is_empty(db, ox.DefaultGraph()):
                raise QueryError(
                    "govkg keeps all data in named graphs and queries the union of them: write the "
                    "triples inside GRAPH <iri> { ... } (nothing was changed)"
                )
            _forget_literal_forms_of_emptied_graphs(tx, before)

    def graph_put(self, job: GraphJob, *, replace: bool) -> bool:
        """Replace (PUT) or extend (POST) a named graph; True if the graph is new."""
        from govkg.rdfio import format_for, parse_document
        from govkg.store.base import INTERNAL

        if job.graph is None:
            raise GovkgError("govkg keeps all data in named graphs: give ?graph=<iri>", http_status=400)
        g = ox.NamedNode(job.graph)
        if g in INTERNAL:
            raise GovkgError(f"<{job.graph}> is an internal graph and cannot be written", http_status=403)
        fmt = format_for(name=job.format)
        parsed = parse_document(job.data, fmt, source="request body", graph=g, base_iri=job.graph,
                                allow_empty=True)
        if any(q.graph_name != g for q in parsed.quads):
            raise GovkgError("the body names other graphs; send a graph syntax (Turtle, N-Triples, "
                             "RDF/XML, JSON-LD) for one graph", http_status=400)
        store = self._open_store()
        with store.transaction() as tx:
            created = not tx.oxigraph.contains_named_graph(g)
            if replace:
                tx.replace_graph(g, parsed.quads)
            else:
                tx.add(parsed.quads)
        return created

    def graph_delete(self, job: GraphJob) -> None:
        from govkg.store.base import INTERNAL

        if job.graph is None:
            raise GovkgError("govkg keeps all data in named graphs: give ?graph=<iri>", http_status=400)
        g = ox.NamedNode(job.graph)
        if g in INTERNAL:
            raise GovkgError(f"<{job.graph}> is an internal graph and cannot be dropped", http_status=403)
        store = self._open_store()
        with store.transaction() as tx:
            if not tx.oxigraph.contains_named_graph(g):
                raise NotFound(f"no graph <{job.graph}> in the store")
            tx.drop_graph(g)

    def version(self) -> str:
        """The current generation's name: changes with every committed write."""
        return str(self._open_store().current_generation().name)


def _is_empty(db: ox.Store, graph: ox.DefaultGraph | ox.NamedNode) -> bool:
    return next(iter(db.quads_for_pattern(None, None, None, graph)), None) is None


def _forget_literal_forms_of_emptied_graphs(tx: Any, graphs: list[ox.NamedNode]) -> None:
    """An update that dropped or cleared a graph leaves its literal-form entries behind;
    left there, they would 'restore' a later triple that happens to match to an old form."""
    from govkg.store.base import INTERNAL

    db = tx.oxigraph
    for g in graphs:
        if g not in INTERNAL and (not db.contains_named_graph(g) or _is_empty(db, g)):
            tx.drop_graph(g)


# -- the worker process ---------------------------------------------------------------------
def _worker_main(conn: Connection, store_path: str, idle_check: float) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server; the server stops us
    runner = EmbeddedRunner(store_path)
    with contextlib.suppress(GovkgError):
        runner.snapshot()  # open the store now, not during the first query
    conn.send(("ready", os.getpid()))
    while True:
        try:
            if not conn.poll(idle_check):
                runner.release_if_stale()
                continue
            method, args, kwargs = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            break
        try:
            result = getattr(runner, method)(*args, **kwargs)
            conn.send(("ok", result))
        except GovkgError as e:
            conn.send(("error", (e.message, e.source, e.line, e.column, e.http_status)))
        except Exception as e:  # noqa: BLE001 - reported to the caller, the worker lives on
            conn.send(("error", (f"{type(e).__name__}: {e}", None, None, None, 500)))
    runner.close()


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection


class QueryPool:
    """``size`` worker processes over one store directory (see the module docstring)."""

    def __init__(self, store_path: Path | str, size: int = 2, *, max_waiting: int | None = None,
                 start_timeout: float = 120.0, idle_check: float = 10.0) -> None:
        self.store_path = str(store_path)
        self.idle_check = idle_check  # an idle worker lets go of a replaced generation this often
        self.size = max(1, size)
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        waiting = 4 * self.size if max_waiting is None else max_waiting
        self._admission = threading.BoundedSemaphore(self.size + waiting)
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._start_timeout = start_timeout
        self._closed = False
        self._started = False
        self.respawns = 0

    # -- life cycle -----------------------------------------------------------------------
    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.size):
            self._spawn_in_background()

    def _spawn_in_background(self) -> None:
        threading.Thread(target=self._spawn, name="govkg-query-worker-start", daemon=True).start()

    def _spawn(self) -> None:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, args=(child, self.store_path, self.idle_check), daemon=True,
                                 name="govkg-query-worker")
        try:
            proc.start()
        except Exception:  # noqa: BLE001 - e.g. out of processes: try again later
            log.exception("cannot start a query worker")
            parent.close()
            child.close()
            if not self._closed:
                threading.Timer(1.0, self._spawn_in_background).start()
            return
        child.close()
        worker = _Worker(proc, parent)
        try:
            ok = parent.poll(self._start_timeout) and parent.recv()[0] == "ready"
        except (EOFError, OSError):
            ok = False
        with self._lock:
            if self._closed:
                ok = False
            elif ok:
                self._workers.add(worker)
        if ok:
            self._idle.put(worker)
        else:
            self._kill(worker, respawn=not self._closed)

    def _kill(self, worker: _Worker, *, respawn: bool) -> None:
        with self._lock:
            self._workers.discard(worker)
        with contextlib.suppress(Exception):
            worker.process.kill()
        with contextlib.suppress(Exception):
            worker.process.join(5)
        with contextlib.suppress(Exception):
            worker.conn.close()
        if respawn and not self._closed:
            self.respawns += 1
            self._spawn_in_background()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for w in workers:
            self._kill(w, respawn=False)

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers]

    # -- calls ------------------------------------------------------------------------------
    def call(self, method: str, *args: Any, timeout: float, **kwargs: Any) -> Any:
        """Run ``EmbeddedRunner.<method>(*args, **kwargs)`` in a worker, within ``timeout`` seconds
        of the worker taking it (a caller first waits for a free worker, up to ``timeout`` too)."""
        if self._closed:
            raise StoreError("the query pool is closed")
        self.start()
        if not self._admission.acquire(blocking=False):
            raise WorkersBusy(self.size)
        try:
            try:
                worker = self._idle.get(timeout=timeout)
            except queue.Empty:
                raise WorkersBusy(self.size) from None
            started = time.monotonic()
            try:
                worker.conn.send((method, args, kwargs))
                if not worker.conn.poll(timeout):
                    log.warning("query worker %s stopped after %.1f s", worker.process.pid, time.monotonic() - started)
                    self._kill(worker, respawn=True)
                    raise QueryTimeout(timeout)
                status, payload = worker.conn.recv()
            except (EOFError, OSError):
                self._kill(worker, respawn=True)
                raise StoreError("the query worker died (out of memory?); the query was not answered") from None
            self._idle.put(worker)
        finally:
            self._admission.release()
        if status == "ok":
            return payload
        message, source, line, column, http_status = payload
        raise GovkgError(message, source=source, line=line, column=column, http_status=http_status)
