"""The search and facet index of the site: an SQLite file per store generation.

Text search runs over titles, descriptions and keywords in zh and en.  Chinese has no
spaces between words, so text is cut into tokens by :func:`tokens`: runs of Han characters
become overlapping bigrams (``人口数据`` → ``人口 口数 数据``), other scripts lower-cased words.
A query is cut the same way and all its tokens must match; a lone Han character matches as
a prefix.  This finds every two-character word without a dictionary (jieba would miss
out-of-vocabulary agency names) at the cost of a larger index.

Facets: jurisdiction with its ancestors, agency, catalogue type, sharing type, open type,
theme, basic resource, update cycle, compliance status from the latest validation run.

Every token and every facet value has its set of documents stored as a compressed bitmap
(:mod:`govkg.postings`, the ``postings`` table).  A search intersects the sets of its tokens
and facets and counts every facet value against the result with big-integer operations: at
a million datasets a search with text and two facets and all its facet counts takes
milliseconds, where the same counts in SQL walk millions of index entries.  The counts over
everything are computed once at build time.

Like the catalogue paging index (govkg/catalog_index.py) the file is keyed by the store
generation: ``<store>/search-index/<generation>.sqlite``, built from the graph the first time
a generation is read (one builder under a file lock, the others wait), written aside and
renamed, so it is always rebuildable from the graph and never out of step with it (both
managers share govkg/index_files.py).
"""

# ruff: noqa: S608  -- SQL below is assembled from module constants only; values are bound parameters

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from govkg import postings
from govkg.index_files import GenerationIndexManager, ReadOnlyIndex
from govkg.store.base import INTERNAL, Snapshot

_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
_GDS = "https://w3id.org/govkg/def#"
_SH = "http://www.w3.org/ns/shacl#"

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

# facet name -> SPARQL pattern binding ?d (a dataset) and ?v (the value): the meaning of each
# facet, used for the "equivalent SPARQL" link; the build computes the same in SQL (_FACET_SQL)
FACETS: dict[str, str] = {
    "jurisdiction": f"?d <{_DCT}publisher>/<{_GDS}jurisdiction>/<{_GDS}partOfJurisdiction>* ?v",
    "agency": f"?d <{_DCT}publisher> ?v",
    "catalog-type": f"?c <{_DCAT}dataset> ?d . ?c <{_GDS}catalogType> ?v",
    "sharing-type": f"?d <{_GDS}sharingType> ?v",
    "open-type": f"?d <{_GDS}openType> ?v",
    "theme": f"?d <{_DCAT}theme> ?v",
    "basic-resource": f"?d <{_GDS}basicResource> ?v",
    "update-cycle": f"?d <{_GDS}updateCycle> ?v",
}
_DIRECT = {"agency": _DCT + "publisher", "sharing-type": _GDS + "sharingType", "open-type": _GDS + "openType",
           "theme": _DCAT + "theme", "basic-resource": _GDS + "basicResource", "update-cycle": _GDS + "updateCycle"}
_PAIR_PROPS = (*_DIRECT.values(), _GDS + "jurisdiction", _GDS + "partOfJurisdiction", _DCAT + "dataset",
               _GDS + "catalogType")
_FACET_SQL = "CREATE INDEX temp.pairs_p ON pairs(p, s);\n" + "".join(
    f"INSERT INTO raw SELECT DISTINCT f.iri, '{name}', x.o FROM found f "
    f"JOIN pairs x ON x.p = '{prop}' AND x.s = f.iri;\n"
    for name, prop in _DIRECT.items()) + f"""
INSERT INTO raw SELECT DISTINCT x.o, 'catalog-type', t.o FROM pairs x JOIN pairs t ON t.p = '{_GDS}catalogType'
    AND t.s = x.s WHERE x.p = '{_DCAT}dataset' AND x.o IN (SELECT iri FROM found);
CREATE TEMP TABLE ancestors AS WITH RECURSIVE up(j, a) AS (
    SELECT DISTINCT o, o FROM pairs WHERE p = '{_GDS}jurisdiction'
    UNION SELECT up.j, x.o FROM up JOIN pairs x ON x.p = '{_GDS}partOfJurisdiction' AND x.s = up.a)
    SELECT j, a FROM up;
INSERT INTO raw SELECT DISTINCT r.iri, 'jurisdiction', an.a FROM raw r
    JOIN pairs x ON x.p = '{_GDS}jurisdiction' AND x.s = r.value JOIN ancestors an ON an.j = x.o
    WHERE r.facet = 'agency';
"""
COMPLIANCE = "compliance"
FACET_NAMES = (*FACETS, COMPLIANCE)
COMPLIANCE_VALUES = ("violation", "warning", "info", "conforms")
_SEVERITY = {_SH + "Violation": "violation", _SH + "Warning": "warning", _SH + "Info": "info"}
_TEXT_PROPS = (_DCT + "title", _DCT + "description", _DCAT + "keyword")

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE docs (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, title_zh TEXT, title_en TEXT,
                   publisher TEXT, compliance TEXT NOT NULL DEFAULT 'conforms');
CREATE TABLE postings (kind INTEGER NOT NULL, key TEXT NOT NULL, chunk INTEGER NOT NULL, n INTEGER NOT NULL,
                       data BLOB NOT NULL);
CREATE TABLE totals (facet TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (facet, value));
"""


def tokens(text: str) -> list[str]:
    """Han runs as overlapping bigrams (a single character alone), other words lower-cased."""
    out: list[str] = []
    pos = 0
    for m in _HAN.finditer(text):
        out += [w.lower() for w in _WORD.findall(text[pos:m.start()])]
        run = m.group()
        out += [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        pos = m.end()
    out += [w.lower() for w in _WORD.findall(text[pos:])]
    return out


TERM, FACET = 0, 1  # kinds of postings
_SEP = "\x1f"  # between facet name and value in a facet's postings key


def query_terms(query: str) -> list[tuple[str, bool]]:
    """The tokens of ``query`` that must all match, each with whether it is a prefix (a lone
    Han character matches every token it starts)."""
    return [(t, len(t) == 1 and _HAN.fullmatch(t) is not None) for t in dict.fromkeys(tokens(query))]


@dataclass
class Hit:
    iri: str
    title_zh: str | None
    title_en: str | None
    publisher: str | None
    compliance: str


@dataclass
class Results:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class SearchIndex(ReadOnlyIndex):
    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def totals(self, facet: str) -> list[tuple[str, int]]:
        return [(v, n) for v, n in self._db.execute(
            "SELECT value, n FROM totals WHERE facet = ? ORDER BY n DESC, value", (facet,))]

    def search(self, text: str = "", filters: dict[str, list[str]] | None = None, *,
               limit: int = 20, offset: int = 0, facet_limit: int = 30) -> Results:
        terms = query_terms(text) if text else []
        if text and not terms:
            return Results(0, [], {f: [] for f in FACET_NAMES})
        chosen = {name: values for name, values in (filters or {}).items() if name in FACET_NAMES and values}
        if not terms and not chosen:
            total = self.count()
            rows = self._db.execute(
                "SELECT iri, title_zh, title_en, publisher, compliance FROM docs ORDER BY id LIMIT ? OFFSET ?",
                (limit, offset)).fetchall()
            facets = {f: self.totals(f)[:facet_limit] for f in FACET_NAMES}
            return Results(total, [Hit(*r) for r in rows], facets)
        every = self._facet_sets()
        sets = [self._term_set(t, prefix) for t, prefix in terms]
        sets += [postings.union(every.get(name, {}).get(v, {}) for v in values) for name, values in chosen.items()]
        sets.sort(key=len)
        found = sets[0]
        for other in sets[1:]:
            if not found:
                break
            found = postings.intersect(found, other)
        ids = postings.members(found, offset, limit)
        rows = {}
        if ids:
            marks = ", ".join("?" * len(ids))
            rows = {r[0]: r[1:] for r in self._db.execute(
                f"SELECT id, iri, title_zh, title_en, publisher, compliance FROM docs WHERE id IN ({marks})", ids)}
        facets: dict[str, list[tuple[str, int]]] = {f: [] for f in FACET_NAMES}
        if found and facet_limit > 0:
            for name, values in every.items():
                counted = [(v, postings.overlap(found, s)) for v, s in values.items()]
                facets[name] = sorted(((v, n) for v, n in counted if n), key=lambda x: (-x[1], x[0]))[:facet_limit]
        return Results(postings.count(found), [Hit(*rows[i]) for i in ids if i in rows], facets)

    def _term_set(self, term: str, prefix: bool) -> postings.DocSet:
        if prefix:
            rows = self._db.execute(
                "SELECT chunk, n, data FROM postings WHERE kind = ? AND key >= ? AND key < ?",
                (TERM, term, term + "\U0010ffff"))
            out: postings.DocSet = {}
            for c, n, data in rows:
                out[c] = out.get(c, 0) | postings.decode(data, n)
            return out
        rows = self._db.execute("SELECT chunk, n, data FROM postings WHERE kind = ? AND key = ?", (TERM, term))
        return {c: postings.decode(data, n) for c, n, data in rows}

    def _facet_sets(self) -> dict[str, dict[str, postings.DocSet]]:
        """Every facet value's documents, read once per index file and process."""
        key = (str(self.path), self.path.stat().st_ino if self.path.exists() else 0)
        with _CACHE_LOCK:
            cached = _FACET_CACHE.get(key)
        if cached is not None:
            return cached
        out: dict[str, dict[str, postings.DocSet]] = {}
        for k, c, n, data in self._db.execute("SELECT key, chunk, n, data FROM postings WHERE kind = ?", (FACET,)):
            name, _, value = k.partition(_SEP)
            out.setdefault(name, {}).setdefault(value, {})[c] = postings.decode(data, n)
        with _CACHE_LOCK:
            _FACET_CACHE[key] = out
            while len(_FACET_CACHE) > 2:  # this generation's and the one before it
                _FACET_CACHE.pop(next(iter(_FACET_CACHE)))
        return out


_FACET_CACHE: dict[tuple[str, int], dict[str, dict[str, postings.DocSet]]] = {}
_CACHE_LOCK = threading.Lock()


class SearchIndexManager(GenerationIndexManager):
    """Finds or builds the search index of a snapshot's store generation
    (``<store>/search-index/<generation>.sqlite``, see :mod:`govkg.index_files`)."""

    directory_name = "search-index"

    def open(self, snap: Snapshot) -> SearchIndex:
        return SearchIndex(self.path_for(snap))

    def _build(self, snap: Snapshot, target: Path, generation: str) -> None:
        build_index(snap, target, generation=generation)


def _rows(snap: Snapshot, sparql: str) -> Iterator[tuple[str, ...]]:
    res = snap.query(sparql)
    names = [v.value for v in res.variables]  # type: ignore[union-attr]
    for sol in res:  # type: ignore[union-attr]
        yield tuple(_key(sol[n]) for n in names)


def _key(term: object) -> str:
    if term is None:
        return ""
    return str(getattr(term, "value", term))


def _insert_postings(db: sqlite3.Connection, kind: int, key: str, ids: list[int]) -> None:
    db.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?)",
                   [(kind, key, c, len(offs), postings.encode(offs)) for c, offs in postings.chunks(ids)])


def _write_facet_postings(db: sqlite3.Connection) -> None:
    key, ids = None, []
    for facet, value, doc in db.execute("SELECT facet, value, doc FROM facets ORDER BY facet, value, doc"):
        k = facet + _SEP + value
        if k != key:
            if ids:
                _insert_postings(db, FACET, key, ids)  # type: ignore[arg-type]
            key, ids = k, []
        ids.append(doc)
    if ids:
        _insert_postings(db, FACET, key, ids)  # type: ignore[arg-type]


def _write_term_postings(db: sqlite3.Connection) -> None:
    """Each token's documents, a chunk of documents at a time (memory: one chunk's tokens)."""
    current = -1
    pending: dict[str, list[int]] = {}

    def flush() -> None:
        db.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?)",
                       [(TERM, t, current, len(offs), postings.encode(offs)) for t, offs in pending.items()])
        pending.clear()

    cur = db.execute("SELECT d.id, group_concat(t.value, ' ') FROM docs d JOIN texts t ON t.iri = d.iri "
                     "GROUP BY d.id ORDER BY d.id")
    mask = postings.CHUNK - 1
    while batch := cur.fetchmany(5000):
        for doc, body in batch:
            c = doc >> postings.CHUNK_BITS
            if c != current:
                if pending:
                    flush()
                current = c
            off = doc & mask
            for t in set(tokens(body or "")):
                offs = pending.get(t)
                if offs is None:
                    pending[t] = [off]
                else:
                    offs.append(off)
    if pending:
        flush()


def build_index(snap: Snapshot, target: Path, *, generation: str) -> Path:
    """Build the index of ``snap`` into ``target``: streamed into SQLite, joined there."""
    from govkg.validate.run import latest_run

    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    db = sqlite3.connect(tmp)
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE;" + _SCHEMA)
        db.executescript(
            "CREATE TEMP TABLE texts (iri TEXT NOT NULL, prop TEXT NOT NULL, lang TEXT, value TEXT NOT NULL);"
            "CREATE TEMP TABLE raw (iri TEXT NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);"
        )
        db.execute("CREATE TEMP TABLE found (iri TEXT NOT NULL)")
        db.execute("CREATE TEMP TABLE pairs (s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL)")
        db.execute("CREATE TEMP TABLE facets (facet TEXT NOT NULL, value TEXT NOT NULL, doc INTEGER NOT NULL, "
                   "PRIMARY KEY (facet, value, doc)) WITHOUT ROWID")
        db.executemany("INSERT INTO found VALUES (?)", (
            (q.subject.value,) for q in snap.quads(None, RDF_TYPE, ox.NamedNode(_DCAT + "Dataset"), None)
            if isinstance(q.subject, ox.NamedNode)))
        # ids in IRI order: result pages come out sorted without a sort at query time
        db.execute("INSERT OR IGNORE INTO docs (iri) SELECT iri FROM found ORDER BY iri")
        # predicate scans (an index range each) joined in SQLite: SPARQL joins here scan the store
        for prop in _TEXT_PROPS:
            db.executemany("INSERT INTO texts VALUES (?, ?, ?, ?)", (
                (q.subject.value, prop, q.object.language, q.object.value)
                for q in snap.quads(None, ox.NamedNode(prop), None, None)
                if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
                and q.graph_name not in INTERNAL))
        for prop in _PAIR_PROPS:
            db.executemany("INSERT INTO pairs VALUES (?, ?, ?)", (
                (q.subject.value, prop, q.object.value) for q in snap.quads(None, ox.NamedNode(prop), None, None)
                if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)
                and q.graph_name not in INTERNAL))
        db.executescript(_FACET_SQL)
        run = latest_run(snap)
        if run is not None:
            db.execute("CREATE TEMP TABLE sev (iri TEXT NOT NULL, sev TEXT NOT NULL)")
            db.executemany("INSERT INTO sev VALUES (?, ?)", (
                (f, _SEVERITY.get(s, "info")) for f, s in _rows(
                    snap, f"SELECT ?f ?s WHERE {{ GRAPH {run} {{ ?r a <{_SH}ValidationResult> ; "
                          f"<{_SH}focusNode> ?f ; <{_SH}resultSeverity> ?s }} }}")))
            db.executescript(
                """
                CREATE INDEX temp.sev_iri ON sev(iri);
                UPDATE docs SET compliance = COALESCE((SELECT CASE MIN(CASE sev WHEN 'violation' THEN 0
                    WHEN 'warning' THEN 1 ELSE 2 END)
                    WHEN 0 THEN 'violation' WHEN 1 THEN 'warning' WHEN 2 THEN 'info' END
                    FROM sev WHERE sev.iri = docs.iri), 'conforms');
                """
            )
        db.executescript(
            f"""
            CREATE INDEX temp.texts_iri ON texts(iri);
            UPDATE docs SET
              title_zh = (SELECT MIN(value) FROM texts t WHERE t.iri = docs.iri AND t.prop = '{_DCT}title'
                          AND t.lang LIKE 'zh%'),
              title_en = (SELECT MIN(value) FROM texts t WHERE t.iri = docs.iri AND t.prop = '{_DCT}title'
                          AND (t.lang LIKE 'en%' OR t.lang IS NULL));
            INSERT OR IGNORE INTO facets SELECT r.facet, r.value, d.id FROM raw r JOIN docs d ON d.iri = r.iri;
            INSERT INTO facets SELECT '{COMPLIANCE}', compliance, id FROM docs;
            CREATE INDEX temp.facets_by_doc ON facets(doc, facet, value);
            INSERT INTO totals SELECT facet, value, COUNT(*) FROM facets GROUP BY facet, value;
            """
        )
        db.execute("UPDATE docs SET publisher = (SELECT MIN(value) FROM facets f "
                   "WHERE f.doc = docs.id AND f.facet = 'agency')")
        _write_facet_postings(db)
        _write_term_postings(db)
        db.execute("CREATE UNIQUE INDEX postings_key ON postings(kind, key, chunk)")
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                       [("generation", generation), ("run", run.value if run is not None else "")])
        db.commit()
    finally:
        db.close()
    os.replace(tmp, target)
    return target
