"""The embedded default store: Oxigraph on disk, in immutable generations.

Layout of a store directory::

    DIR/govkg-store.json        {"format": 1, "current": "gen-000007"}
    DIR/write.lock              held (flock) by the one writer
    DIR/generations/gen-000007/ an Oxigraph (RocksDB) database, never written once current
    DIR/generations/gen-000007/readers.lock   shared-locked by every reader of it

Why generations.  Oxigraph's bulk loader is not transactional, its Python API has no
query timeout (so queries run in processes that can be killed) and opening a database
read-only while another process writes it is undefined behaviour.  So a write never
touches the current database: a transaction checkpoints it (``Store.backup``: hard
links, cheap), writes the copy, flushes it and then switches ``current`` with an atomic
rename.  A crash or SIGKILL at any point leaves ``current`` as it was; the half-written
copy is removed by the next writer, or when the store is next opened with no write under
way.  Readers, in this process or in query worker processes, open a generation read-only
and see one consistent state for as long as they hold it; an old generation is deleted
once no reader holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from govkg.errors import QueryError, StoreError
from govkg.filelock import hold_lock, try_lock
from govkg.sparql_text import has_dataset_clause
from govkg.store.base import INTERNAL, QueryResult, Snapshot, Store, Transaction
from govkg.store.literals import (
    _DATATYPE,
    _IN_GRAPH,
    _LEXICAL,
    _LF_GRAPH,
    LiteralRestorer,
    _key,
    may_change,
    with_literal_forms,
)

STATE_FILE = "govkg-store.json"
SMALL_WRITE = 20_000  # quads: below this, Transaction.add inserts instead of bulk-loading
FORMAT = 1
_GEN_RE = re.compile(r"^gen-(\d{6,})$")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class OxigraphSnapshot(Snapshot):
    """A read-only generation, held open until closed."""

    def __init__(self, store: ox.Store, path: Path | None, lock_fd: int | None) -> None:
        self._store = store
        self.path = path
        self._lock_fd = lock_fd
        self._default: list[ox.NamedNode] | None = None
        self._restorer: LiteralRestorer | None = None

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def default_graphs(self) -> list[ox.NamedNode]:
        if self._default is None:
            self._default = self.public_graphs()
        return self._default

    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        kwargs: dict[str, object] = {}
        if default_graph is not None:
            kwargs["default_graph"] = list(default_graph) or ox.DefaultGraph()
        elif not has_dataset_clause(sparql):  # a query's own FROM / FROM NAMED wins
            kwargs["default_graph"] = self.default_graphs() or ox.DefaultGraph()
        if named_graphs is not None:
            kwargs["named_graphs"] = list(named_graphs)
        if base_iri is not None:
            kwargs["base_iri"] = base_iri
        try:
            return self._store.query(sparql, **kwargs)  # type: ignore[arg-type, no-any-return]
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}", source="query") from None

    def graphs(self) -> list[ox.NamedNode]:
        return [g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]

    def quads(
        self, subject: object = None, predicate: object = None, object: object = None, graph: object = None
    ) -> Iterator[ox.Quad]:  # noqa: A002
        return self._store.quads_for_pattern(subject, predicate, object, graph)  # type: ignore[arg-type, no-any-return]

    def restorer(self) -> LiteralRestorer:
        if self._restorer is None:
            store = self._store
            enabled = store.contains_named_graph(_LF_GRAPH)

            def lookup(node: ox.NamedNode) -> tuple[str, str] | None:
                lex = next(store.quads_for_pattern(node, _LEXICAL, None, _LF_GRAPH), None)
                dt = next(store.quads_for_pattern(node, _DATATYPE, None, _LF_GRAPH), None)
                if lex is None or dt is None:
                    return None
                return lex.object.value, dt.object.value

            self._restorer = LiteralRestorer(lookup, enabled=enabled)
        return self._restorer

    def close(self) -> None:
        self._store = None  # type: ignore[assignment]  # drops the RocksDB handle
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the shared reader lock
            self._lock_fd = None


class OxigraphTransaction(Transaction):
    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self.quads_added = 0
        self._snapshots: list[OxigraphSnapshot] = []

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def add(self, quads: Iterable[ox.Quad]) -> int:
        counter = _Counter(quads)
        it = iter(with_literal_forms(counter))
        head = list(itertools.islice(it, SMALL_WRITE))
        if len(head) < SMALL_WRITE:
            # a bulk load costs about 0.1 s whatever its size (it ingests files); small writes
            # go through the ordinary insert
            self._store.extend(head)
        else:
            self._store.bulk_extend(itertools.chain(head, it))
        self.quads_added += counter.n
        return counter.n

    def drop_graph(self, graph: ox.NamedNode) -> None:
        if graph in INTERNAL:
            raise StoreError(f"{graph.value} is an internal graph and cannot be dropped")
        if self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)
        # literal-form entries: forget this graph, then entries no graph holds any more
        store = self._store
        for q in list(store.quads_for_pattern(None, _IN_GRAPH, graph, _LF_GRAPH)):
            store.remove(q)
            if next(store.quads_for_pattern(q.subject, _IN_GRAPH, None, _LF_GRAPH), None) is None:
                for q2 in list(store.quads_for_pattern(q.subject, None, None, _LF_GRAPH)):
                    store.remove(q2)

    def remove(self, quads: Iterable[ox.Quad]) -> int:
        store = self._store
        n = 0
        for q in quads:
            g = q.graph_name
            if g in INTERNAL:
                raise StoreError(f"{g.value} is an internal graph: its quads are not removed one by one")
            store.remove(q)
            n += 1
            o = q.object
            if type(o) is ox.Literal and may_change(o):
                # the entry (if any) that restores this triple's original literal in this graph
                node = _key(q.subject, q.predicate, o)
                link = ox.Quad(node, _IN_GRAPH, g, _LF_GRAPH)
                if link in store:
                    store.remove(link)
                    if next(store.quads_for_pattern(node, _IN_GRAPH, None, _LF_GRAPH), None) is None:
                        for q2 in list(store.quads_for_pattern(node, None, None, _LF_GRAPH)):
                            store.remove(q2)
        return n

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as e:
            raise QueryError(f"SPARQL update syntax error: {e}", source="update") from None

    def bulk_load_trusted(self, path: Path, fmt: ox.RdfFormat) -> None:
        self._store.bulk_load(path=str(path), format=fmt)

    def snapshot(self) -> OxigraphSnapshot:
        snap = OxigraphSnapshot(self._store, None, None)
        self._snapshots.append(snap)
        return snap

    def _release(self) -> None:
        """Drop every handle on the written database (this one and its snapshots'), so that
        RocksDB is closed, its background work done, before the generation is published."""
        for snap in self._snapshots:
            snap._store = None  # type: ignore[assignment]
            snap._restorer = None  # its lookup holds the database too
        self._snapshots.clear()
        self._store = None  # type: ignore[assignment]


class _Counter:
    def __init__(self, it: Iterable[ox.Quad]) -> None:
        self._it = iter(it)
        self.n = 0

    def __iter__(self) -> Iterator[ox.Quad]:
        for q in self._it:
            self.n += 1
            yield q


class OxigraphStore(Store):
    """The generational on-disk store (see the module docstring)."""

    def __init__(self, path: Path | str, *, create: bool = True) -> None:
        self.path = Path(path).expanduser()
        self.location = str(self.path)
        self._gens = self.path / "generations"
        state = self.path / STATE_FILE
        if not state.exists():
            if not create:
                raise StoreError("no govkg store here (run `govkg load` or `govkg demo` first)", source=self.location)
            if self.path.exists() and any(p.name != "write.lock" for p in self.path.iterdir()):
                raise StoreError("directory exists, is not empty and is not a govkg store", source=self.location)
            self._initialise()
        self._check_format()
        self._tidy()

    # -- layout -------------------------------------------------------------------------
    def _initialise(self) -> None:
        self._gens.mkdir(parents=True, exist_ok=True)
        with self._write_lock():
            if (self.path / STATE_FILE).exists():
                return
            first = self._gens / "gen-000000"
            if first.exists():
                shutil.rmtree(first)
            db = ox.Store(str(first))
            db.flush()
            del db
            self._publish("gen-000000")

    def _check_format(self) -> None:
        state = self._state()
        if state.get("format") != FORMAT:
            raise StoreError(f"unsupported store format {state.get('format')!r}", source=self.location)

    def _state(self) -> dict[str, object]:
        try:
            return json.loads((self.path / STATE_FILE).read_text("utf-8"))  # type: ignore[no-any-return]
        except (OSError, ValueError) as e:
            raise StoreError(f"cannot read {STATE_FILE}: {e}", source=self.location) from e

    def current_generation(self) -> Path:
        return self._gens / str(self._state()["current"])

    def _publish(self, name: str) -> None:
        tmp = self.path / (STATE_FILE + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"format": FORMAT, "current": name}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path / STATE_FILE)
        _fsync_dir(self.path)

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        self.path.mkdir(parents=True, exist_ok=True)
        with hold_lock(self.path / "write.lock"):
            yield

    # -- reading --------------------------------------------------------------------------
    def snapshot(self) -> OxigraphSnapshot:
        # The reader lock is taken before the generation is opened, and the generation
        # is re-read afterwards: a writer that published and collected in between
        # would otherwise delete what we are about to open.
        for _ in range(10):
            gen = self.current_generation()
            try:
                fd = os.open(gen / "readers.lock", os.O_RDWR | os.O_CREAT, 0o644)
            except FileNotFoundError:
                continue  # collected under our feet: read the state again
            fcntl.flock(fd, fcntl.LOCK_SH)
            if self.current_generation() == gen or gen.exists():
                try:
                    db = ox.Store.read_only(str(gen))
                except OSError as e:
                    os.close(fd)
                    raise StoreError(f"cannot open generation {gen.name}: {e}", source=self.location) from e
                return OxigraphSnapshot(db, gen, fd)
            os.close(fd)
        raise StoreError("the store changed too often to be opened", source=self.location)

    # -- writing --------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[OxigraphTransaction]:
        with self._write_lock():
            self._remove_orphans()
            current = self.current_generation()
            number = int(_GEN_RE.match(current.name).group(1)) + 1  # type: ignore[union-attr]
            new = self._gens / f"gen-{number:06d}"
            try:
                src = ox.Store.read_only(str(current))
                src.backup(str(new))
                del src
                db = ox.Store(str(new))
            except OSError as e:
                shutil.rmtree(new, ignore_errors=True)
                raise StoreError(f"cannot start a write: {e}", source=self.location) from e
            tx = OxigraphTransaction(db)
            try:
                yield tx
                db.flush()
            except BaseException:
                tx._release()  # the caller's `as tx` (and snapshots read from it) outlive us
                del tx, db
                shutil.rmtree(new, ignore_errors=True)
                raise
            tx._release()
            del tx, db  # close RocksDB before the generation becomes visible
            self._publish(new.name)
            self._collect()

    def _tidy(self) -> None:
        """On opening: remove what a killed writer left behind (its half-written generation, old
        generations it did not collect), unless a write is under way or the store is read-only."""
        with try_lock(self.path / "write.lock") as taken:
            if taken:
                self._remove_orphans()
                self._collect()

    def _remove_orphans(self) -> None:
        """Generations newer than current: left by a writer that died.  Caller holds the write lock."""
        current = self.current_generation().name
        for p in self._gens.iterdir():
            if _GEN_RE.match(p.name) and p.name > current:
                shutil.rmtree(p, ignore_errors=True)

    def _collect(self) -> None:
        """Delete old generations no reader holds.  Caller holds the write lock."""
        current = self.current_generation().name
        for p in sorted(self._gens.iterdir()):
            if not _GEN_RE.match(p.name) or p.name >= current:
                continue
            with try_lock(p / "readers.lock") as unread:
                if unread:
                    shutil.rmtree(p, ignore_errors=True)

    def generation_count(self) -> int:
        return sum(1 for p in self._gens.iterdir() if _GEN_RE.match(p.name))
