"""The search and facet index of the site: an SQLite file per store generation.

Text search runs on SQLite FTS5 over titles, descriptions and keywords in zh and en.
Chinese has no spaces between words, so text is cut into tokens by :func:`tokens` before it
reaches FTS5: runs of Han characters become overlapping bigrams (``人口数据`` → ``人口 口数
数据``), other scripts lower-cased words.  A query is cut the same way and all its tokens must
match; a lone Han character matches as a prefix.  This finds every two-character word without
a dictionary (jieba would miss out-of-vocabulary agency names) at the cost of a larger index.

Facets (jurisdiction with its ancestors, agency, catalogue type, sharing type, open type,
theme, basic resource, update cycle, compliance status from the latest validation run) are
rows ``(facet, value, doc)``; counts over a result set are one GROUP BY, and the counts over
everything are computed once at build time.

Like the catalogue paging index (govkg/catalog_index.py) the file is keyed by the store
generation: ``<store>/search-index/<generation>.sqlite``, built from the graph the first time
a generation is read (one builder under a file lock, the others wait), written aside and
renamed, so it is always rebuildable from the graph and never out of step with it.
"""

# ruff: noqa: S608  -- SQL below is assembled from module constants only; values are bound parameters

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

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
CREATE VIRTUAL TABLE fts USING fts5(body, content='', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE facets (facet TEXT NOT NULL, value TEXT NOT NULL, doc INTEGER NOT NULL,
                     PRIMARY KEY (facet, value, doc)) WITHOUT ROWID;
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


def match_expression(query: str) -> str | None:
    """An FTS5 expression requiring every token of ``query``; None when it has none."""
    parts = []
    for t in dict.fromkeys(tokens(query)):
        quoted = '"' + t.replace('"', '""') + '"'
        parts.append(quoted + "*" if len(t) == 1 and _HAN.fullmatch(t) else quoted)
    return " AND ".join(parts) if parts else None


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


class SearchIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def totals(self, facet: str) -> list[tuple[str, int]]:
        return [(v, n) for v, n in self._db.execute(
            "SELECT value, n FROM totals WHERE facet = ? ORDER BY n DESC, value", (facet,))]

    def search(self, text: str = "", filters: dict[str, list[str]] | None = None, *,
               limit: int = 20, offset: int = 0, facet_limit: int = 30) -> Results:
        where, args = [], []
        expr = match_expression(text) if text else None
        if text and expr is None:
            return Results(0, [], {f: [] for f in FACET_NAMES})
        if expr is not None:
            where.append("id IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            args.append(expr)
        for name, values in sorted((filters or {}).items()):
            if name not in FACET_NAMES or not values:
                continue
            marks = ", ".join("?" * len(values))
            where.append(f"id IN (SELECT doc FROM facets WHERE facet = ? AND value IN ({marks}))")
            args += [name, *values]
        if not where:
            total = self.count()
            rows = self._db.execute(
                "SELECT iri, title_zh, title_en, publisher, compliance FROM docs ORDER BY id LIMIT ? OFFSET ?",
                (limit, offset)).fetchall()
            facets = {f: self.totals(f)[:facet_limit] for f in FACET_NAMES}
            return Results(total, [Hit(*r) for r in rows], facets)
        db = self._db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS m (id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM temp.m")
        db.execute(f"INSERT INTO temp.m SELECT id FROM docs WHERE {' AND '.join(where)}", args)
        total = int(db.execute("SELECT COUNT(*) FROM temp.m").fetchone()[0])
        rows = db.execute(
            "SELECT d.iri, d.title_zh, d.title_en, d.publisher, d.compliance FROM temp.m JOIN docs d ON d.id = m.id "
            "ORDER BY m.id LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        facets: dict[str, list[tuple[str, int]]] = {f: [] for f in FACET_NAMES}
        for name, value, n in db.execute(
            "SELECT f.facet, f.value, COUNT(*) AS n FROM temp.m JOIN facets f ON f.doc = m.id "
            "GROUP BY f.facet, f.value ORDER BY f.facet, n DESC, f.value"
        ):
            if len(facets[name]) < facet_limit:
                facets[name].append((value, n))
        db.execute("DELETE FROM temp.m")
        return Results(total, [Hit(*r) for r in rows], facets)


class SearchIndexManager:
    """Finds or builds the search index of a snapshot's store generation."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def for_store(cls, store: object) -> SearchIndexManager:
        path = getattr(store, "path", None)
        if path is not None:
            return cls(Path(path) / "search-index")
        key = hashlib.sha1(str(getattr(store, "location", "")).encode(), usedforsecurity=False).hexdigest()[:16]
        return cls(Path(tempfile.gettempdir()) / f"govkg-search-index-{key}")

    @staticmethod
    def generation_of(snap: Snapshot) -> str:
        from govkg.catalog_index import IndexManager

        return IndexManager.generation_of(snap)

    def path_for(self, snap: Snapshot) -> Path:
        gen = self.generation_of(snap)
        target = self.directory / f"{gen}.sqlite"
        if not target.exists():
            self.directory.mkdir(parents=True, exist_ok=True)
            with self._lock():
                if not target.exists():
                    build_index(snap, target, generation=gen)
                    for p in self.directory.glob("*.sqlite"):
                        if p != target and p.stem < target.stem:
                            with contextlib.suppress(OSError):
                                p.unlink()
        return target

    def open(self, snap: Snapshot) -> SearchIndex:
        return SearchIndex(self.path_for(snap))

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        fd = os.open(self.directory / "build.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def _rows(snap: Snapshot, sparql: str) -> Iterator[tuple[str, ...]]:
    res = snap.query(sparql)
    names = [v.value for v in res.variables]  # type: ignore[union-attr]
    for sol in res:  # type: ignore[union-attr]
        yield tuple(_key(sol[n]) for n in names)


def _key(term: object) -> str:
    if term is None:
        return ""
    return str(getattr(term, "value", term))


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
            CREATE INDEX facets_by_doc ON facets(doc, facet, value);
            INSERT INTO totals SELECT facet, value, COUNT(*) FROM facets GROUP BY facet, value;
            """
        )
        db.execute("UPDATE docs SET publisher = (SELECT MIN(value) FROM facets f "
                   "WHERE f.doc = docs.id AND f.facet = 'agency')")
        cur = db.execute("SELECT d.id, group_concat(t.value, ' ') FROM docs d JOIN texts t ON t.iri = d.iri "
                         "GROUP BY d.id")
        while batch := cur.fetchmany(5000):
            db.executemany("INSERT INTO fts (rowid, body) VALUES (?, ?)",
                           [(i, " ".join(tokens(body or ""))) for i, body in batch])
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                       [("generation", generation), ("run", run.value if run is not None else "")])
        db.commit()
    finally:
        db.close()
    os.replace(tmp, target)
    return target
