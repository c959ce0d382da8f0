"""The catalogue's records: what a dataset's description is, its checksum, and the ordered
index the DCAT feeds page through.

Descriptions
------------
A dataset's *description* is what a feed publishes for it and what a harvester compares:
the dataset's own triples, the closure of the blank nodes it reaches, and the resources it
owns through :data:`DEPENDENT_PROPERTIES` (its distributions, data items, policies,
qualified relations), each again with its blank-node closure.  Everything else the
dataset points at (publishers, concepts, services, other datasets) is shared and not part
of it.  The feed (``server/feeds.py``) and the harvester (``loaders/harvest``) use the same
:func:`owned_subjects`, so a record's checksum means the same thing on both sides.

The checksum is the SHA-256 of the description's canonical N-Triples: one line per triple,
sorted, blank nodes labelled by :func:`rdflib.compare.to_canonical_graph` (only when
there are any), literals exactly as published (original lexical forms and datatypes).

The paging index
----------------
``ORDER BY`` over IRIs is a full sort and ``OFFSET`` is linear (see PITFALLS), so the
feeds never page the graph itself.  Beside the store, an SQLite file per store generation
holds one row per (catalogue, dataset): modified, record status, tombstone flag, record IRI,
whether govkg or a harvest published it, and when the index first saw it.  Pages are read
by key (``dataset > after ORDER BY dataset LIMIT n`` on the primary key), so page 10,000
costs what page 1 costs.  The root catalogue (every public dataset) has the catalogue key
``""``.

When the store moves to a new generation the index is rebuilt from the graph (streamed into
SQLite, joined there; Python holds no per-dataset state) and compared with the previous
index: a dataset that was published and is gone now becomes a *tombstone* (status DELETED,
modified = when the index noticed), so incremental harvesters learn about deletions.
Tombstones (also those from records with status DELETED or REVOKED) stay for
``tombstone_days`` and then drop out.
"""

# ruff: noqa: S608  -- SQL below is assembled from module constants only; values are bound parameters

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import pyoxigraph as ox

from govkg.index_files import GenerationIndexManager, ReadOnlyIndex
from govkg.store.base import INTERNAL, Snapshot
from govkg.store.literals import may_change
from govkg.vocab import ADMS, GDS, INFERRED_GRAPH, ODRL2, PROV, SPDX, graph_iri

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
_FOAF = "http://xmlns.com/foaf/0.1/"
DCAT_DATASET = ox.NamedNode(_DCAT + "Dataset")
DCAT_SERIES = ox.NamedNode(_DCAT + "DatasetSeries")
DCAT_CATALOG = ox.NamedNode(_DCAT + "Catalog")
DCAT_RECORD = ox.NamedNode(_DCAT + "CatalogRecord")
DCAT_DATASET_P = ox.NamedNode(_DCAT + "dataset")
DCAT_RECORD_P = ox.NamedNode(_DCAT + "record")
DCT_MODIFIED = ox.NamedNode(_DCT + "modified")
FOAF_PRIMARY_TOPIC = ox.NamedNode(_FOAF + "primaryTopic")
ADMS_STATUS = ox.NamedNode(str(ADMS.status))
RECORD_CLASSES = frozenset({DCAT_DATASET, DCAT_SERIES})

# Resources a dataset owns: published, checksummed and replaced together with it.
DEPENDENT_PROPERTIES = frozenset(
    ox.NamedNode(iri)
    for iri in (
        _DCAT + "distribution",
        _DCAT + "qualifiedRelation",
        _DCAT + "accessURL",
        _DCAT + "downloadURL",
        str(GDS.hasDataItem),
        str(ODRL2.hasPolicy),
        str(PROV.qualifiedAttribution),
        str(ADMS.sample),
        str(SPDX.checksum),
    )
)

RECORD_STATUS = "https://w3id.org/govkg/authority/record-status/"
TOMBSTONE_STATUSES = frozenset({"DELETED", "REVOKED"})
HIDDEN_STATUSES = frozenset({"CREATED", "PUBLISH_PENDING", "PUBLISH_REJECTED"})
ROOT = ""  # catalogue key of the root catalogue: every public dataset

HARVEST_GRAPH_PREFIX = str(graph_iri("harvest", ""))
SOURCES_GRAPH = ox.NamedNode(str(graph_iri("system", "sources")))

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Lookup = Callable[[object], Iterable[tuple[ox.NamedNode, Term]]]


# -- descriptions ---------------------------------------------------------------------------
def walk(
    lookup: Lookup,
    root: ox.NamedNode | ox.BlankNode,
) -> tuple[list[ox.NamedNode | ox.BlankNode], list[ox.Triple]]:
    """Breadth-first over what ``root`` owns: (its subjects, root first; their triples)."""
    seen: set[object] = {root}
    order: list[ox.NamedNode | ox.BlankNode] = [root]
    triples: dict[ox.Triple, None] = {}
    i = 0
    while i < len(order):
        s = order[i]
        i += 1
        for p, o in lookup(s):
            triples[ox.Triple(s, p, o)] = None  # type: ignore[arg-type]
            if o in seen:
                continue
            if type(o) is ox.BlankNode or (type(o) is ox.NamedNode and p in DEPENDENT_PROPERTIES):
                seen.add(o)
                order.append(o)  # type: ignore[arg-type]
    return order, list(triples)


def owned_subjects(lookup: Lookup, root: ox.NamedNode | ox.BlankNode) -> list[ox.NamedNode | ox.BlankNode]:
    """The subjects whose triples make up ``root``'s description, ``root`` first.

    ``lookup(s)`` yields the (predicate, object) pairs of subject ``s``."""
    return walk(lookup, root)[0]


def describe(lookup: Lookup, root: ox.NamedNode | ox.BlankNode) -> list[ox.Triple]:
    """``root``'s description as triples (no duplicates)."""
    return walk(lookup, root)[1]


class TripleIndex:
    """Triples in memory, indexed by subject and by object, exactly as given.

    (An in-memory ``pyoxigraph.Store`` would normalise literals, and a checksum must be
    taken over the literals as published.)"""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.by_subject: dict[object, list[tuple[ox.NamedNode, Term]]] = {}
        self._triples = dict.fromkeys(triples)
        self._by_object: dict[object, list[tuple[object, ox.NamedNode]]] | None = None
        self.typed: dict[object, list[object]] = {}  # class -> its instances
        by_subject = self.by_subject
        typed = self.typed
        for t in self._triples:
            s, p, o = t  # unpacking is several times faster than attribute access
            entry = by_subject.get(s)
            if entry is None:
                by_subject[s] = [(p, o)]
            else:
                entry.append((p, o))
            if p == RDF_TYPE:
                typed.setdefault(o, []).append(s)

    @property
    def by_object(self) -> dict[object, list[tuple[object, ox.NamedNode]]]:
        if self._by_object is None:
            self._by_object = {}
            for t in self._triples:
                s, p, o = t
                if type(o) is not ox.Literal:
                    self._by_object.setdefault(o, []).append((s, p))
        return self._by_object

    def lookup(self, s: object) -> list[tuple[ox.NamedNode, Term]]:
        return self.by_subject.get(s, [])

    def triples(self) -> Iterable[ox.Triple]:
        """Each distinct triple once, in the order given."""
        return self._triples.keys()

    def subjects_with(self, predicate: ox.NamedNode, obj: object) -> list[object]:
        if predicate == RDF_TYPE:
            return list(self.typed.get(obj, ()))
        return [s for s, p in self.by_object.get(obj, ()) if p == predicate]

    def has(self, s: object, p: ox.NamedNode, o: object) -> bool:
        return (p, o) in self.by_subject.get(s, ())


def canonical_ntriples(triples: Iterable[ox.Triple]) -> str:
    """Sorted N-Triples with canonical blank-node labels: equal for isomorphic graphs."""
    ts = set(triples)
    if any(type(t.subject) is ox.BlankNode or type(t.object) is ox.BlankNode for t in ts):
        lines = _tree_labelled(ts)
        if lines is None:  # blank nodes shared or in cycles: the general algorithm
            from rdflib.compare import to_canonical_graph

            from govkg.rdfterms import to_ox, to_rdflib_graph

            canon = to_canonical_graph(to_rdflib_graph(ts))
            lines = {f"{to_ox(s)} {to_ox(p)} {to_ox(o)} .\n" for s, p, o in canon}  # type: ignore[arg-type]
    else:
        lines = {f"{t.subject} {t.predicate} {t.object} .\n" for t in ts}
    return "".join(sorted(lines))


def _tree_labelled(ts: set[ox.Triple]) -> set[str] | None:
    """Canonical lines when every blank node is the object of at most one triple and the
    blank nodes form trees (the usual case: periods, checksums, contact points): a blank
    node is labelled by the hash of its subtree.  None when that is not enough (a blank
    node used twice, a cycle, two sibling subtrees alike): then rdflib's algorithm decides."""
    children: dict[object, list[tuple[str, object]]] = {}
    parents: dict[object, int] = {}
    for t in ts:
        if type(t.subject) is ox.BlankNode:
            children.setdefault(t.subject, []).append((str(t.predicate), t.object))
        if type(t.object) is ox.BlankNode:
            parents[t.object] = parents.get(t.object, 0) + 1
            if parents[t.object] > 1:
                return None
    labels: dict[object, str] = {}
    visiting: set[object] = set()

    def label(root: object) -> str | None:
        """Post-order over the subtree, with a stack of its own: a harvested document can nest
        blank nodes tens of thousands deep, far beyond Python's recursion limit."""
        stack: list[tuple[object, bool]] = [(root, False)]
        while stack:
            b, expanded = stack.pop()
            if b in labels:
                continue
            if not expanded:
                visiting.add(b)  # expanded, not finished: the ancestors of what is on top
                stack.append((b, True))
                for _p, o in children.get(b, ()):
                    if type(o) is ox.BlankNode and o not in labels:
                        if o in visiting:
                            return None  # a cycle
                        stack.append((o, False))
                continue
            parts = []
            for p, o in children.get(b, ()):
                if type(o) is ox.BlankNode:
                    sub = labels.get(o)
                    if sub is None:
                        return None
                    parts.append(f"{p} _:{sub}")
                else:
                    parts.append(f"{p} {o}")
            visiting.discard(b)
            parts.sort()
            labels[b] = "t" + hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]
        return labels.get(root)

    blanks = set(children) | set(parents)
    for b in blanks:
        if label(b) is None:
            return None
    if len(set(labels.values())) != len(labels):
        return None  # indistinguishable subtrees: let the general algorithm count them

    def term(x: object) -> str:
        return f"_:{labels[x]}" if type(x) is ox.BlankNode else str(x)

    return {f"{term(t.subject)} {t.predicate} {term(t.object)} .\n" for t in ts}


def checksum(triples: Iterable[ox.Triple]) -> str:
    """SHA-256 (hex) of the canonical N-Triples of a description."""
    return hashlib.sha256(canonical_ntriples(triples).encode("utf-8")).hexdigest()


# -- dates ----------------------------------------------------------------------------------
def sortable_time(lexical: str) -> str | None:
    """An xsd:dateTime or xsd:date lexical form as a UTC string that sorts in time order
    (``YYYY-MM-DDTHH:MM:SS.ffffffZ``); None if it is neither."""
    text = lexical.strip()
    try:
        if len(text) <= 10 or (len(text) > 10 and text[10] != "T"):
            d = dt.date.fromisoformat(text[:10])
            value = dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC)
        else:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            if value.tzinfo is None:
                value = value.replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def xsd_now() -> str:
    """Now as an xsd:dateTime lexical form (seconds, UTC)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def cutoff_for(tombstone_days: float, now: str | None = None) -> str:
    """The oldest tombstone still published (sortable UTC form)."""
    base = dt.datetime.strptime(now, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC) if now else dt.datetime.now(dt.UTC)
    try:
        return (base - dt.timedelta(days=tombstone_days)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    except OverflowError:
        return ""  # a period longer than the calendar: every tombstone stays


# -- graphs ---------------------------------------------------------------------------------
def harvest_graphs(snap: Snapshot) -> set[str]:
    """Graphs that a harvest filled (from the sources graph), so published verbatim."""
    rows = snap.select(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH {SOURCES_GRAPH} {{ ?g <{PROV.wasGeneratedBy}> ?a . "
        f"?a a <{GDS.Harvest}> }} }}",
        default_graph=[SOURCES_GRAPH],
    )
    out = {r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode)}  # type: ignore[union-attr]
    out |= {g.value for g in snap.graphs() if g.value.startswith(HARVEST_GRAPH_PREFIX)}
    return out


def records_graph_for(graph: str) -> str:
    """Where a harvest keeps its records (its state) for the source graph ``graph``."""
    return graph.rstrip("/") + "/records"


def description_graphs(snap: Snapshot) -> list[ox.NamedNode]:
    """The graphs descriptions are read from: public graphs except inferred triples."""
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    return [g for g in snap.public_graphs() if g != inferred and g != SOURCES_GRAPH]


class SnapshotDescriber:
    """Descriptions read from a store snapshot, original literals restored."""

    def __init__(self, snap: Snapshot, graphs: Iterable[ox.NamedNode] | None = None) -> None:
        self.snap = snap
        self.graphs = frozenset(graphs if graphs is not None else description_graphs(snap))
        self.restorer = snap.restorer()
        # Only the inferred and sources graphs can hold triples about a dataset that are not
        # part of its description; without them the graph of each quad need not be checked.
        present = set(snap.graphs())
        self._check_graphs = bool(present - self.graphs - INTERNAL)

    def lookup(self, s: object) -> list[tuple[ox.NamedNode, Term]]:
        restore = self.restorer.restore
        out: dict[tuple[ox.NamedNode, Term], None] = {}
        check = self._check_graphs
        graphs = self.graphs
        for q in self.snap.quads(s, None, None, None):
            _s, p, o, g = q
            if check and g not in graphs:
                continue
            if type(o) is ox.Literal and may_change(o):
                o = restore(s, p, o)
            out[(p, o)] = None
        return list(out)

    def describe(self, root: ox.NamedNode | ox.BlankNode) -> list[ox.Triple]:
        return describe(self.lookup, root)


# -- the index ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    catalog: str
    dataset: str
    modified: str | None  # sortable UTC form
    modified_nt: str | None  # the literal as stored (N-Triples term)
    modified_of: str | None  # the subject whose dct:modified it is (to restore its original form)
    status: str | None  # record-status code, if a record gives one
    tombstone: bool
    record: str | None  # record IRI in the data, if any
    own: bool  # published by govkg (False: harvested, republished verbatim)
    first_seen: str

    @property
    def effective_modified(self) -> str:
        return self.modified or self.first_seen


_COLUMNS = "catalog, dataset, modified, modified_nt, modified_of, status, tombstone, record, own, first_seen"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE items (
    catalog TEXT NOT NULL, dataset TEXT NOT NULL, modified TEXT, modified_nt TEXT, modified_of TEXT, status TEXT,
    tombstone INTEGER NOT NULL, record TEXT, own INTEGER NOT NULL, first_seen TEXT NOT NULL,
    PRIMARY KEY (catalog, dataset)
) WITHOUT ROWID;
CREATE TABLE catalogs (iri TEXT PRIMARY KEY, header TEXT NOT NULL, own INTEGER NOT NULL) WITHOUT ROWID;
"""


@dataclass
class Page:
    rows: list[Row]
    has_previous: bool
    has_next: bool


class CatalogIndex(ReadOnlyIndex):
    """A built index (read-only).  Open one per thread or request; it is cheap."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.generation = self.meta("generation") or ""
        self.built_at = self.meta("built_at") or ""

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # catalogues
    def catalogs(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT iri FROM catalogs ORDER BY iri")]

    def has_catalog(self, iri: str) -> bool:
        return self._db.execute("SELECT 1 FROM catalogs WHERE iri = ?", (iri,)).fetchone() is not None

    def header(self, iri: str) -> tuple[list[ox.Triple], bool]:
        """The catalogue's own triples (not its dataset and record links), and whether govkg owns it."""
        row = self._db.execute("SELECT header, own FROM catalogs WHERE iri = ?", (iri,)).fetchone()
        if row is None:
            return [], True
        quads = ox.parse(row[0].encode(), format=ox.RdfFormat.N_TRIPLES)
        return [ox.Triple(q.subject, q.predicate, q.object) for q in quads], bool(row[1])

    # rows
    def _where(self, catalog: str, since: str | None, cutoff: str) -> tuple[str, list[object]]:
        sql = "catalog = ? AND (tombstone = 0 OR COALESCE(modified, first_seen) >= ?)"
        args: list[object] = [catalog, cutoff]
        if since is not None:
            sql += " AND COALESCE(modified, first_seen) >= ?"
            args.append(since)
        return sql, args

    def row(self, dataset: str, catalog: str = ROOT) -> Row | None:
        sql = f"SELECT {_COLUMNS} FROM items WHERE catalog = ? AND dataset = ?"
        r = self._db.execute(sql, (catalog, dataset)).fetchone()
        return _row(r) if r else None

    def count(self, catalog: str, *, since: str | None = None, cutoff: str = "") -> int:
        where, args = self._where(catalog, since, cutoff)
        return int(self._db.execute(f"SELECT COUNT(*) FROM items WHERE {where}", args).fetchone()[0])

    def max_modified(self, catalog: str, cutoff: str = "") -> str | None:
        where, args = self._where(catalog, None, cutoff)
        row = self._db.execute(f"SELECT MAX(COALESCE(modified, first_seen)) FROM items WHERE {where}", args).fetchone()
        return row[0] if row else None

    def page(
        self,
        catalog: str,
        *,
        limit: int,
        after: str | None = None,
        before: str | None = None,
        last: bool = False,
        since: str | None = None,
        cutoff: str = "",
    ) -> Page:
        where, args = self._where(catalog, since, cutoff)
        if after is not None or (before is None and not last):
            sql = f"SELECT {_COLUMNS} FROM items WHERE {where} AND dataset > ? ORDER BY dataset LIMIT ?"
            rows = [_row(r) for r in self._db.execute(sql, [*args, after or "", limit + 1])]
            has_next = len(rows) > limit
            rows = rows[:limit]
            has_prev = after is not None and self._exists(where, args, "<", rows[0].dataset if rows else after)
            return Page(rows, has_prev, has_next)
        if last:
            sql = f"SELECT {_COLUMNS} FROM items WHERE {where} ORDER BY dataset DESC LIMIT ?"
            rows = [_row(r) for r in self._db.execute(sql, [*args, limit + 1])]
        else:
            sql = f"SELECT {_COLUMNS} FROM items WHERE {where} AND dataset < ? ORDER BY dataset DESC LIMIT ?"
            rows = [_row(r) for r in self._db.execute(sql, [*args, before, limit + 1])]
        has_prev = len(rows) > limit
        rows = rows[:limit][::-1]
        has_next = (
            bool(rows)
            and self._exists(where, args, ">", rows[-1].dataset)
            or (not rows and before is not None and self._exists(where, args, ">=", before))
        )
        return Page(rows, has_prev, has_next)

    def _exists(self, where: str, args: list[object], op: str, key: str) -> bool:
        sql = f"SELECT 1 FROM items WHERE {where} AND dataset {op} ? LIMIT 1"
        return self._db.execute(sql, [*args, key]).fetchone() is not None

    def iter_rows(
        self, catalog: str, *, since: str | None = None, cutoff: str = "", batch: int = 500
    ) -> Iterator[list[Row]]:
        """All rows of a catalogue in key order, a batch at a time (constant memory)."""
        after: str | None = None
        while True:
            page = self.page(catalog, limit=batch, after=after, since=since, cutoff=cutoff)
            if not page.rows:
                return
            yield page.rows
            if not page.has_next:
                return
            after = page.rows[-1].dataset


def _row(r: tuple[object, ...]) -> Row:
    return Row(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], bool(r[8]), r[9])  # type: ignore[arg-type]


# -- building -------------------------------------------------------------------------------
class IndexManager(GenerationIndexManager):
    """Finds or builds the index of a snapshot's store generation.

    Index files live in ``<store>/catalog-index/<generation>.sqlite`` (see
    :mod:`govkg.index_files`).  One process builds (under a file lock) while the others wait
    for it; a file is complete once it has its final name.  A build starts from the latest
    older file, which it compares with to make tombstones."""

    directory_name = "catalog-index"

    def __init__(self, directory: Path, *, tombstone_days: float = 90.0) -> None:
        super().__init__(directory)
        self.tombstone_days = tombstone_days

    @classmethod
    def for_store(cls, store: object, *, tombstone_days: float = 90.0) -> Self:
        return cls(cls.directory_for(store), tombstone_days=tombstone_days)

    def open(self, snap: Snapshot) -> CatalogIndex:
        return CatalogIndex(self.path_for(snap))

    def _build(self, snap: Snapshot, target: Path, generation: str) -> None:
        previous = self._latest_before(generation)
        build_index(snap, target, generation=generation, previous=previous, tombstone_days=self.tombstone_days)

    def _latest_before(self, gen: str) -> Path | None:
        older = sorted(p for p in self.directory.glob("*.sqlite") if p.stem < gen)
        return older[-1] if older else None


def _status_code(term: object) -> str | None:
    if isinstance(term, ox.NamedNode) and term.value.startswith(RECORD_STATUS):
        return term.value[len(RECORD_STATUS) :]
    return None


def _term_key(t: object) -> str:
    return t.value if isinstance(t, ox.NamedNode) else str(t)  # blank nodes keep their "_:" label


def build_index(
    snap: Snapshot,
    target: Path,
    *,
    generation: str,
    previous: Path | None = None,
    tombstone_days: float = 90.0,
    now: str | None = None,
) -> Path:
    """Build the index of ``snap`` into ``target`` (atomically: written aside, then renamed).

    The graph is read by a handful of pattern scans (types, ``dct:modified``, records,
    statuses, memberships) streamed into SQLite, and joined there: no SPARQL per row and no
    per-dataset state in Python.  ``dct:modified`` is kept as stored; the page restores its
    original form (``modified_of`` names the subject it came from)."""
    now = now or utc_now()
    cutoff = cutoff_for(tombstone_days, now)
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    db = sqlite3.connect(tmp)
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE;" + _SCHEMA)
        db.executescript(
            """
            CREATE TEMP TABLE typed (s TEXT NOT NULL, t INTEGER NOT NULL, harvested INTEGER NOT NULL);
            CREATE TEMP TABLE mods (s TEXT NOT NULL, modified TEXT, modified_nt TEXT NOT NULL);
            CREATE TEMP TABLE topics (r TEXT NOT NULL, d TEXT NOT NULL, pref INTEGER NOT NULL);
            CREATE TEMP TABLE statuses (r TEXT NOT NULL, status TEXT NOT NULL);
            CREATE TEMP TABLE links (c TEXT NOT NULL, x TEXT NOT NULL, via_record INTEGER NOT NULL);
            """
        )
        graphs = set(description_graphs(snap))
        hgraphs = harvest_graphs(snap)
        record_graphs = {records_graph_for(g) for g in hgraphs}

        def scan(p: ox.NamedNode, o: object = None) -> Iterator[tuple[object, object, object]]:
            for q in snap.quads(None, p, o, None):
                s_, _p, o_, g = q
                if g in graphs:
                    yield s_, o_, g

        kinds = {DCAT_DATASET: 0, DCAT_SERIES: 0, DCAT_RECORD: 1, DCAT_CATALOG: 2}
        for cls, kind in kinds.items():
            db.executemany(
                "INSERT INTO typed VALUES (?, ?, ?)",
                (
                    (_term_key(s_), kind, 1 if g.value in hgraphs else 0)  # type: ignore[attr-defined]
                    for s_, _o, g in scan(RDF_TYPE, cls)
                    if kind == 1 or isinstance(s_, ox.NamedNode)
                ),
            )
        db.executemany(
            "INSERT INTO mods VALUES (?, ?, ?)",
            (
                (_term_key(s_), sortable_time(o.value), str(o))  # type: ignore[attr-defined]
                for s_, o, _g in scan(DCT_MODIFIED)
                if type(o) is ox.Literal
            ),
        )
        db.executemany(
            "INSERT INTO topics VALUES (?, ?, ?)",
            (
                (_term_key(s_), o.value, 1 if g.value in record_graphs else 0)  # type: ignore[attr-defined]
                for s_, o, g in scan(FOAF_PRIMARY_TOPIC)
                if isinstance(o, ox.NamedNode)
            ),
        )
        db.executemany(
            "INSERT INTO statuses VALUES (?, ?)",
            ((_term_key(s_), code) for s_, o, _g in scan(ADMS_STATUS) if (code := _status_code(o)) is not None),
        )
        for p, via in ((DCAT_DATASET_P, 0), (DCAT_RECORD_P, 1)):
            db.executemany(
                "INSERT INTO links VALUES (?, ?, ?)",
                ((s_.value, _term_key(o), via) for s_, o, _g in scan(p) if isinstance(s_, ox.NamedNode)),
            )
        db.executescript(
            f"""
            CREATE INDEX temp.typed_s ON typed(s, t);
            CREATE INDEX temp.mods_s ON mods(s);
            CREATE INDEX temp.topics_r ON topics(r);
            CREATE INDEX temp.statuses_r ON statuses(r);
            CREATE TEMP TABLE dsagg AS
                SELECT t.s AS d, MAX(m.modified) AS modified, MAX(m.modified_nt) AS modified_nt,
                       MIN(t.harvested) AS harvested
                FROM typed t LEFT JOIN mods m ON m.s = t.s WHERE t.t = 0 GROUP BY t.s;
            CREATE UNIQUE INDEX temp.dsagg_d ON dsagg(d);
            CREATE TEMP TABLE recs AS
                SELECT tp.d AS d, tp.r AS record, tp.pref AS pref,
                       (SELECT MAX(m.modified) FROM mods m WHERE m.s = tp.r) AS modified,
                       (SELECT MAX(m.modified_nt) FROM mods m WHERE m.s = tp.r) AS modified_nt,
                       (SELECT MIN(st.status) FROM statuses st WHERE st.r = tp.r) AS status
                FROM topics tp WHERE EXISTS (SELECT 1 FROM typed t WHERE t.s = tp.r AND t.t = 1);
            CREATE TEMP TABLE recbest AS
                SELECT d, record, modified, modified_nt, status FROM (
                    SELECT *, ROW_NUMBER() OVER (PARTITION BY d ORDER BY pref DESC, modified DESC) AS n FROM recs
                ) WHERE n = 1;
            CREATE UNIQUE INDEX temp.recbest_d ON recbest(d);
            CREATE TEMP TABLE pairs AS
                SELECT c, x AS d FROM links WHERE via_record = 0
                UNION SELECT l.c, tp.d FROM links l JOIN topics tp ON tp.r = l.x WHERE l.via_record = 1
                UNION SELECT '{ROOT}', d FROM dsagg UNION SELECT '{ROOT}', d FROM recbest;
            """
        )
        tomb = ", ".join(f"'{x}'" for x in sorted(TOMBSTONE_STATUSES))
        hidden = ", ".join(f"'{x}'" for x in sorted(HIDDEN_STATUSES))
        db.execute(
            f"""
            INSERT OR IGNORE INTO items ({_COLUMNS})
            SELECT p.c, p.d,
                   COALESCE(r.modified, a.modified),
                   CASE WHEN r.modified IS NOT NULL THEN r.modified_nt ELSE a.modified_nt END,
                   CASE WHEN r.modified IS NOT NULL THEN r.record ELSE p.d END,
                   r.status, CASE WHEN r.status IN ({tomb}) THEN 1 ELSE 0 END,
                   CASE WHEN r.record LIKE '_:%' THEN NULL ELSE r.record END,
                   CASE WHEN COALESCE(a.harvested, 0) = 1 THEN 0 ELSE 1 END, ?
            FROM pairs p
            LEFT JOIN dsagg a ON a.d = p.d
            LEFT JOIN recbest r ON r.d = p.d
            WHERE (a.d IS NOT NULL AND (r.status IS NULL OR r.status NOT IN ({hidden})))
               OR r.status IN ({tomb})
            """,
            (now,),
        )
        if previous is not None and previous.exists():
            db.execute("ATTACH DATABASE ? AS prev", (str(previous),))
            # first sightings carry over; what vanished becomes a tombstone; tombstones live out their period
            db.execute(
                "UPDATE items SET first_seen = (SELECT p.first_seen FROM prev.items p "
                "WHERE p.catalog = items.catalog AND p.dataset = items.dataset) "
                "WHERE EXISTS (SELECT 1 FROM prev.items p "
                "WHERE p.catalog = items.catalog AND p.dataset = items.dataset)"
            )
            db.execute(
                f"""
                INSERT INTO items ({_COLUMNS})
                SELECT p.catalog, p.dataset,
                       CASE WHEN p.tombstone = 1 THEN p.modified ELSE ? END,
                       CASE WHEN p.tombstone = 1 THEN p.modified_nt ELSE ? END,
                       CASE WHEN p.tombstone = 1 THEN p.modified_of ELSE NULL END,
                       CASE WHEN p.tombstone = 1 THEN p.status ELSE 'DELETED' END,
                       1, p.record, p.own, p.first_seen
                FROM prev.items p
                WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.catalog = p.catalog AND i.dataset = p.dataset)
                  AND (p.tombstone = 0 OR COALESCE(p.modified, p.first_seen) >= ?)
                """,
                (now, f'"{now[:19]}Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>', cutoff),
            )
            db.commit()
            db.execute("DETACH DATABASE prev")
        db.execute("DELETE FROM items WHERE tombstone = 1 AND COALESCE(modified, first_seen) < ?", (cutoff,))
        # catalogue headers: the catalogue's own triples, without its (paged) dataset and record links
        restorer = snap.restorer()
        glist = sorted(graphs, key=lambda g: g.value)
        cats = [
            r[0]
            for r in db.execute("SELECT s FROM typed WHERE t = 2 UNION SELECT c FROM pairs WHERE c != '' ORDER BY 1")
        ]
        for c in cats:
            node = ox.NamedNode(c)
            triples = _catalog_header(snap, node, glist, restorer)
            own = not (triples and _only_in(snap, node, hgraphs))
            body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
            db.execute("INSERT INTO catalogs VALUES (?, ?, ?)", (c, body, 1 if own else 0))
        db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [("generation", generation), ("built_at", now), ("tombstone_days", str(tombstone_days))],
        )
        db.commit()
    finally:
        db.close()
    os.replace(tmp, target)
    return target


def _only_in(snap: Snapshot, node: ox.NamedNode, graphs: set[str]) -> bool:
    found = {q.graph_name.value for q in snap.quads(node, RDF_TYPE, None, None)}  # type: ignore[union-attr]
    return bool(found) and found <= graphs


def _catalog_header(
    snap: Snapshot, node: ox.NamedNode, graphs: list[ox.NamedNode], restorer: object
) -> list[ox.Triple]:
    res = snap.query(
        f"SELECT ?p ?o WHERE {{ {node} ?p ?o FILTER(?p != {DCAT_DATASET_P} && ?p != {DCAT_RECORD_P}) }}",
        default_graph=graphs,
    )
    assert isinstance(res, ox.QuerySolutions)
    out: dict[ox.Triple, None] = {}
    blanks: list[ox.BlankNode] = []
    for sol in res:
        o = sol["o"]
        if isinstance(o, ox.Literal):
            o = restorer.restore(node, sol["p"], o)  # type: ignore[attr-defined]
        elif isinstance(o, ox.BlankNode):
            blanks.append(o)
        out[ox.Triple(node, sol["p"], o)] = None  # type: ignore[arg-type]
    if blanks:
        d = SnapshotDescriber(snap, graphs)
        for b in blanks:
            for t in d.describe(b):
                out[t] = None
    return list(out)
