"""One harvest run against the store: the record-by-record decisions and the writes.

Graphs.  A source's data goes to its own named graph, exactly as it came (the source's
triples, with their literal forms, blank nodes and language tags).  Beside it, in
``<graph>/records``, govkg keeps one ``dcat:CatalogRecord`` per harvested dataset: its
status, the SHA-256 of its description as last received, what the source said about it
(its record, ``dct:modified``, checksum), and duplicate links.  That is the harvest's state:
the next run compares against it, and the feed and the index read it (a withdrawn record
is a tombstone).  The run itself is a ``prov:Activity`` (``gds:Harvest``) with its counts,
in the sources graph.

Decisions, per dataset found in a document (see ``govkg.catalog_index`` for what a
dataset's description is):

* the source marks its record DELETED or REVOKED → withdrawn here too;
* the description is broken (a literal that is not valid for its datatype, too large) →
  rejected with the reason; what was stored for it before stays;
* the source's own checksum, or the checksum of the description, equals the stored one →
  unchanged, nothing is written;
* the same IRI is already described in another graph → a duplicate link, not stored;
  the same ``dct:identifier`` and publisher under another IRI → stored, with a duplicate link;
* otherwise added, or changed (its old description is removed first).

At the end of a complete walk, datasets the source no longer lists are withdrawn (status
DELETED, description removed from the data graph, record kept).  After an incomplete one
(a broken page, a limit reached) nothing is withdrawn: absence proves nothing.  Shared
triples (catalogue descriptions, agents, anything no single dataset owns) are replaced as
a whole when they changed and the walk was complete, and only added to otherwise.

Everything happens in one store transaction: a run that dies leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from govkg.catalog_index import (
    DCAT_RECORD,
    FOAF_PRIMARY_TOPIC,
    RDF_TYPE,
    RECORD_CLASSES,
    RECORD_STATUS,
    SOURCES_GRAPH,
    TOMBSTONE_STATUSES,
    TripleIndex,
    canonical_ntriples,
    checksum,
    owned_subjects,
    records_graph_for,
    walk,
    xsd_now,
)
from govkg.ox_terms import (
    P_ALGORITHM,
    P_CHECKSUM,
    P_CHECKSUM_VALUE,
    P_MODIFIED,
    P_PUBLISHER,
    P_STATUS,
    SHA256,
    T_CHECKSUM,
)
from govkg.rdfio import MAX_LITERAL_BYTES
from govkg.store.base import INTERNAL, Transaction
from govkg.vocab import GDS, ID, INFERRED_GRAPH, ONTOLOGY_GRAPH
from loaders.harvest.report import Duplicate, HarvestReport
from loaders.sources import record_load

N = ox.NamedNode
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
P_IDENTIFIER = N(DCT + "identifier")
P_ISSUED = N(DCT + "issued")
P_SOURCE = N(DCT + "source")
P_SOURCE_MODIFIED = N(str(GDS.sourceModified))
P_SOURCE_CHECKSUM = N(str(GDS.sourceChecksum))
P_SHARED_CHECKSUM = N(str(GDS.sharedChecksum))
P_SHARED_SUBJECT = N(str(GDS.sharedSubject))
P_SHARED_BLANK_ROOTS = N(str(GDS.sharedBlankRoots))
P_DUP_DATASET = N(str(GDS.dataset))
P_DUP_OF = N(str(GDS.duplicateOf))
P_DUP_IN = N(str(GDS.duplicateIn))
T_DUPLICATE = N(str(GDS.DuplicateLink))
LIVE = "PUBLISHED"
MAX_RECORD_TRIPLES = 50_000

# ADMS change types and statuses that mean "gone" (DCAT-AP's record change type)
_GONE = {
    "http://purl.org/adms/changetype/deleted": "DELETED",
    "http://purl.org/adms/status/Withdrawn": "REVOKED",
    "http://purl.org/adms/status/Deprecated": None,
}


def status_code(term: object) -> str | None:
    """A record status as a govkg record-status code (ADMS change types mapped)."""
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(RECORD_STATUS):
            return term.value[len(RECORD_STATUS) :]
        return _GONE.get(term.value)
    return None


@dataclass
class SourceRecord:
    """What the source says about one of its records."""

    record: str | None = None
    modified: str | None = None  # the literal, N-Triples form (compared exactly)
    checksum: str | None = None
    status: str | None = None


@dataclass
class Batch:
    triples: list[ox.Triple]
    where: str
    meta: dict[str, SourceRecord] = field(default_factory=dict)
    strip_records: bool = False  # records of a paged feed are protocol, not content


@dataclass
class StateEntry:
    record: ox.NamedNode
    status: str
    checksum: str | None = None
    source_modified: str | None = None
    source_checksum: str | None = None

    @property
    def live(self) -> bool:
        return self.status not in TOMBSTONE_STATUSES


# -- literal checks ------------------------------------------------------------------------------
_INT = r"[+-]?[0-9]+"
_DATE = r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TZ = r"(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])"
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?"
_LEXICAL = {
    "integer": _INT,
    "long": _INT,
    "int": _INT,
    "short": _INT,
    "byte": _INT,
    "nonNegativeInteger": r"\+?[0-9]+|-0+",
    "positiveInteger": r"\+?0*[1-9][0-9]*",
    "nonPositiveInteger": r"-[0-9]+|\+?0+",
    "negativeInteger": r"-0*[1-9][0-9]*",
    "unsignedLong": r"\+?[0-9]+",
    "unsignedInt": r"\+?[0-9]+",
    "unsignedShort": r"\+?[0-9]+",
    "unsignedByte": r"\+?[0-9]+",
    "decimal": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    "double": r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|INF)|NaN",
    "float": r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|INF)|NaN",
    "boolean": r"true|false|1|0",
    "date": _DATE + f"{_TZ}?",
    "dateTime": f"{_DATE}T({_TIME}){_TZ}?",
    "dateTimeStamp": f"{_DATE}T({_TIME}){_TZ}",
    "gYear": r"-?[0-9]{4,}" + f"{_TZ}?",
    "gYearMonth": r"-?[0-9]{4,}-(0[1-9]|1[0-2])" + f"{_TZ}?",
    "duration": r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?",
}
_LEXICAL_RE = {XSD + k: re.compile(f"(?:{v})") for k, v in _LEXICAL.items()}


def invalid_literal(lit: ox.Literal) -> str | None:
    pattern = _LEXICAL_RE.get(lit.datatype.value)
    if pattern is None or pattern.fullmatch(lit.value.strip(" \t\r\n")):
        return None
    return f"{lit.value!r} is not a valid xsd:{lit.datatype.value[len(XSD) :]}"


def check_description(dataset: str, desc: list[ox.Triple]) -> str | None:
    """Why a record cannot be stored, or None."""
    if len(desc) > MAX_RECORD_TRIPLES:
        return f"description of {len(desc)} triples exceeds the limit of {MAX_RECORD_TRIPLES}"
    for t in desc:  # the limit a document's parser applies, for sources that are not documents (CKAN, SPARQL)
        o = t.object
        if type(o) is ox.Literal and len(o.value) > MAX_LITERAL_BYTES:
            return (f"a literal of {len(o.value)} characters (<{t.predicate.value}>) exceeds the limit of "
                    f"{MAX_LITERAL_BYTES}")
    return None


def literal_warnings(desc: list[ox.Triple]) -> list[str]:
    """Literals that are not valid for their datatype.  They are stored as published (the
    source answers for its data, and a harvest must round-trip), and reported."""
    out = []
    for t in desc:
        o = t.object
        if type(o) is ox.Literal:
            problem = invalid_literal(o)
            if problem:
                out.append(f"{t.subject} <{t.predicate.value}>: {problem}")
    return out


# -- the session -----------------------------------------------------------------------------------
class Session:
    def __init__(
        self,
        tx: Transaction,
        *,
        graph: ox.NamedNode,
        source: str,
        report: HarvestReport,
        replace_whole: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.tx = tx
        self.graph = graph
        self.records_graph = N(records_graph_for(graph.value))
        self.source = source
        self.report = report
        self.replace_whole = replace_whole  # a single document: rewrite the graph if anything changed
        self.progress = progress
        self.snap = tx.snapshot()
        self.state: dict[str, StateEntry] = {}
        self.shared_checksum: str | None = None
        self.shared_subjects: set[str] = set()
        self.shared_blank_roots = False
        self._load_state()
        self.seen: set[str] = set()
        self.rejected: set[str] = set()
        self.complete = True
        self._shared_plain: dict[ox.Triple, None] = {}
        self._shared_groups: dict[str, list[ox.Triple]] = {}
        self._shared_roots: set[str] = set()
        self._shared_blank_roots = False
        self._content: dict[ox.Triple, None] = {}  # replace_whole: everything to store
        self._changed = False
        self._pending: list[ox.Quad] = []  # adds are written a batch at a time (bulk loads are per call)
        self._excluded_graphs = INTERNAL | {
            SOURCES_GRAPH,
            N(str(INFERRED_GRAPH)),
            N(str(ONTOLOGY_GRAPH)),
            self.graph,
            self.records_graph,
        }

    # -- state ----------------------------------------------------------------------------------
    def _load_state(self) -> None:
        by_record: dict[object, dict[str, object]] = {}
        checks: dict[object, str] = {}
        restorer = self.snap.restorer()
        for q in self.snap.quads(None, None, None, self.records_graph):
            s, p, o = q.subject, q.predicate, q.object
            if s == self.graph:
                if p == P_SHARED_CHECKSUM:
                    self.shared_checksum = o.value  # type: ignore[union-attr]
                elif p == P_SHARED_SUBJECT:
                    self.shared_subjects.add(o.value)  # type: ignore[union-attr]
                elif p == P_SHARED_BLANK_ROOTS:
                    self.shared_blank_roots = o.value == "true"  # type: ignore[union-attr]
                continue
            if p == P_CHECKSUM_VALUE:
                checks[s] = o.value  # type: ignore[union-attr]
                continue
            entry = by_record.setdefault(s, {})
            if p == FOAF_PRIMARY_TOPIC:
                entry["dataset"] = o.value  # type: ignore[union-attr]
            elif p == P_STATUS:
                entry["status"] = status_code(o) or LIVE
            elif p == P_CHECKSUM:
                entry["checksum_node"] = o
            elif p == P_SOURCE_MODIFIED:
                entry["source_modified"] = str(restorer.restore(s, p, o))
            elif p == P_SOURCE_CHECKSUM:
                entry["source_checksum"] = o.value  # type: ignore[union-attr]
        for rec, e in by_record.items():
            if "dataset" not in e or not isinstance(rec, ox.NamedNode):
                continue
            self.state[str(e["dataset"])] = StateEntry(
                rec,
                str(e.get("status", LIVE)),
                checks.get(e.get("checksum_node")),  # type: ignore[arg-type]
                e.get("source_modified"),
                e.get("source_checksum"),
            )  # type: ignore[arg-type]

    def known(self, dataset: str) -> StateEntry | None:
        return self.state.get(dataset)

    def record_iri(self, dataset: str) -> ox.NamedNode:
        h = hashlib.sha1(f"{self.graph.value}\x1f{dataset}".encode(), usedforsecurity=False).hexdigest()
        return N(str(ID[f"record/harvest/{h}"]))

    # -- processing ------------------------------------------------------------------------------
    def unchanged(self, dataset: str) -> None:
        """The adapter knows, without fetching, that this record did not change."""
        self.seen.add(dataset)
        self.report.unchanged += 1

    def process(self, batch: Batch) -> None:
        mem = TripleIndex(batch.triples)
        lookup = mem.lookup
        meta = dict(batch.meta)
        protocol = self._records_in(mem, meta, strip=batch.strip_records)
        datasets = sorted(
            {
                s.value
                for c in RECORD_CLASSES
                for s in mem.subjects_with(RDF_TYPE, c)  # type: ignore[attr-defined]
                if isinstance(s, ox.NamedNode)
            }
        )
        owned_all: set[object] = set()
        for d in datasets:
            owned, desc = walk(lookup, N(d))
            owned_all.update(owned)
            if protocol:
                desc = [t for t in desc if t not in protocol]
            self._record(d, desc, meta.get(d), batch.where)
        for d, m in meta.items():
            if d not in datasets and m.status in TOMBSTONE_STATUSES:
                self._record(d, [], m, batch.where)
        shared = [t for t in mem.triples() if t[0] not in owned_all and t not in protocol]
        self._add_shared(shared)
        self.flush()
        if self.progress:
            self.progress(f"{batch.where}: {len(datasets)} datasets")

    def _records_in(self, mem: TripleIndex, meta: dict[str, SourceRecord], *, strip: bool) -> set[ox.Triple]:
        """Read the source's catalogue records into ``meta``; with ``strip``, the triples that
        carry them (they are the source's bookkeeping, not content) are returned for removal."""
        drop: dict[ox.Triple, None] = {}
        records: set[object] = set()
        for rec in mem.subjects_with(RDF_TYPE, DCAT_RECORD):
            for p, d in mem.lookup(rec):
                if p != FOAF_PRIMARY_TOPIC or not isinstance(d, ox.NamedNode):
                    continue
                m = meta.setdefault(d.value, SourceRecord())
                m.record = rec.value if isinstance(rec, ox.NamedNode) else m.record
                for p2, o2 in mem.lookup(rec):
                    if p2 == P_MODIFIED and isinstance(o2, ox.Literal):
                        m.modified = str(o2)
                    elif p2 == P_STATUS:
                        m.status = status_code(o2) or m.status
                    elif p2 == P_CHECKSUM:
                        for p3, o3 in mem.lookup(o2):
                            if p3 == P_CHECKSUM_VALUE:
                                m.checksum = o3.value  # type: ignore[union-attr]
                if strip:
                    drop.update(dict.fromkeys(walk(mem.lookup, rec)[1]))  # type: ignore[arg-type]
                    records.add(rec)
        if records:  # and the links to them (``<catalogue> dcat:record <record>``)
            for t in mem.triples():
                if t[2] in records:
                    drop[t] = None
        return set(drop)

    def _record(self, d: str, desc: list[ox.Triple], meta: SourceRecord | None, where: str) -> None:
        if d in self.seen:  # listed twice in one run (pages overlap): the first one counts
            if self.replace_whole and d not in self.rejected:
                self._keep(desc)
            return
        self.seen.add(d)
        st = self.state.get(d)
        if meta is not None and meta.status in TOMBSTONE_STATUSES:
            if st is not None and st.live:
                self.withdraw(d, meta.status)  # type: ignore[arg-type]
            return
        problem = check_description(d, desc)
        for warning in literal_warnings(desc)[:3]:
            if len(self.report.notes) < 50:
                self.report.note(f"ill-typed literal kept as published: {warning}")
        if problem:
            self.report.reject(d, problem)
            self.rejected.add(d)
            if self.replace_whole and st is not None and st.live:
                self._keep_stored(d)
            return
        if meta is not None and meta.checksum and st is not None and st.live and st.source_checksum == meta.checksum:
            self.report.unchanged += 1
            self._keep(desc)
            return
        # a source that publishes checksums identifies its versions itself: ours is not needed
        digest = None if meta is not None and meta.checksum else checksum(desc)
        if digest is not None and st is not None and st.live and st.checksum == digest:
            self.report.unchanged += 1
            self._keep(desc)
            return
        dup = self._duplicate(d, desc)
        if dup is not None:
            self.report.duplicates.append(dup)
            self._write_duplicate(dup)
            if not dup.stored:
                return
        self._changed = True
        if st is not None and st.live:
            self.report.changed.append(d)
            if not self.replace_whole:
                self.tx.remove(self._stored_description(d))
        else:
            self.report.added.append(d)
        if self.replace_whole:
            self._content.update(dict.fromkeys(desc))
        else:
            g = self.graph
            self._add(ox.Quad(s, p, o, g) for s, p, o in desc)
        self._write_record(d, st, LIVE, digest, meta)

    def _add(self, quads: Iterable[ox.Quad]) -> None:
        self._pending.extend(quads)

    def flush(self) -> None:
        if self._pending:
            self.tx.add(self._pending)
            self._pending = []

    def _keep(self, desc: list[ox.Triple]) -> None:
        if self.replace_whole:
            self._content.update(dict.fromkeys(desc))

    def _keep_stored(self, d: str) -> None:
        restorer = self.snap.restorer()
        for q in self._stored_description(d):
            o = restorer.restore(q.subject, q.predicate, q.object)
            self._content[ox.Triple(q.subject, q.predicate, o)] = None  # type: ignore[arg-type]

    def _stored_description(self, d: str) -> list[ox.Quad]:
        """The quads of ``d``'s description in the data graph, as stored; resources it owns
        that another subject also points at are left alone."""
        g = self.graph
        snap = self.snap

        def lookup(s: object) -> Iterator[tuple[ox.NamedNode, object]]:
            for q in snap.quads(s, None, None, g):
                yield q.predicate, q.object

        owned = owned_subjects(lookup, N(d))  # type: ignore[arg-type]
        owned_set = set(owned)
        out: list[ox.Quad] = []
        for s in owned:
            if (
                s != N(d)
                and isinstance(s, ox.NamedNode)
                and any(q.subject not in owned_set for q in snap.quads(None, None, s, g))
            ):
                continue  # shared with another dataset: keep
            out.extend(snap.quads(s, None, None, g))
        return out

    # -- duplicates --------------------------------------------------------------------------
    def _duplicate(self, d: str, desc: list[ox.Triple]) -> Duplicate | None:
        node = N(d)
        for q in self.snap.quads(node, RDF_TYPE, None, None):
            g = q.graph_name
            if g not in self._excluded_graphs and not g.value.endswith("/records"):  # type: ignore[union-attr]
                return Duplicate(d, d, g.value, "same IRI", stored=False)  # type: ignore[union-attr]
        idents = [t.object for t in desc if t.subject == node and t.predicate == P_IDENTIFIER]
        publishers = {t.object for t in desc if t.subject == node and t.predicate == P_PUBLISHER}
        if not idents or not publishers:
            return None
        for ident in idents:
            for q in self.snap.quads(None, P_IDENTIFIER, ident, None):
                g = q.graph_name
                if q.subject == node or g in self._excluded_graphs or g.value.endswith("/records"):  # type: ignore[union-attr]
                    continue
                theirs = {q2.object for q2 in self.snap.quads(q.subject, P_PUBLISHER, None, g)}
                if theirs & publishers:
                    return Duplicate(
                        d,
                        q.subject.value,
                        g.value,
                        "same dct:identifier and publisher",  # type: ignore[union-attr]
                        stored=True,
                    )
        return None

    def _write_duplicate(self, dup: Duplicate) -> None:
        h = hashlib.sha1(
            f"{self.graph.value}\x1f{dup.dataset}\x1f{dup.existing}".encode(), usedforsecurity=False
        ).hexdigest()
        link = N(str(ID[f"duplicate/{h}"]))
        rg = self.records_graph
        self.tx.remove(list(self.snap.quads(link, None, None, rg)))
        self._add(
            [
                ox.Quad(link, RDF_TYPE, T_DUPLICATE, rg),
                ox.Quad(link, P_DUP_DATASET, N(dup.dataset), rg),
                ox.Quad(link, P_DUP_OF, N(dup.existing), rg),
                ox.Quad(link, P_DUP_IN, N(dup.graph), rg),
                ox.Quad(link, N(str(GDS.reason)), ox.Literal(dup.reason), rg),
                ox.Quad(link, P_MODIFIED, ox.Literal(xsd_now(), datatype=N(XSD + "dateTime")), rg),
            ]
        )

    # -- records (the state) ------------------------------------------------------------------
    def _write_record(
        self, d: str, old: StateEntry | None, status: str, digest: str | None, meta: SourceRecord | None
    ) -> None:
        rg = self.records_graph
        rec = old.record if old is not None else self.record_iri(d)
        now = ox.Literal(xsd_now(), datatype=N(XSD + "dateTime"))
        issued: ox.Literal | None = None
        if old is not None:
            stale = list(self.snap.quads(rec, None, None, rg))
            for q in stale:
                if q.predicate == P_ISSUED:
                    issued = q.object  # type: ignore[assignment]
                if q.predicate == P_CHECKSUM:
                    stale += list(self.snap.quads(q.object, None, None, rg))
            self.tx.remove(stale)
        quads = [
            ox.Quad(rec, RDF_TYPE, DCAT_RECORD, rg),
            ox.Quad(rec, FOAF_PRIMARY_TOPIC, N(d), rg),
            ox.Quad(rec, P_ISSUED, issued or now, rg),
            ox.Quad(rec, P_MODIFIED, now, rg),
            ox.Quad(rec, P_STATUS, N(RECORD_STATUS + status), rg),
            ox.Quad(rec, P_SOURCE, N(meta.record) if meta and meta.record else _source_term(self.source), rg),
        ]
        if digest is not None:
            cs = ox.BlankNode()
            quads += [
                ox.Quad(rec, P_CHECKSUM, cs, rg),
                ox.Quad(cs, RDF_TYPE, T_CHECKSUM, rg),
                ox.Quad(cs, P_ALGORITHM, SHA256, rg),
                ox.Quad(cs, P_CHECKSUM_VALUE, ox.Literal(digest, datatype=N(XSD + "hexBinary")), rg),
            ]
        if meta is not None and meta.modified and status == LIVE:
            lit = next(
                iter(ox.parse(f"<urn:x:s> <urn:x:p> {meta.modified} .".encode(), format=ox.RdfFormat.N_TRIPLES))
            ).object
            quads.append(ox.Quad(rec, P_SOURCE_MODIFIED, lit, rg))
        if meta is not None and meta.checksum and status == LIVE:
            quads.append(ox.Quad(rec, P_SOURCE_CHECKSUM, ox.Literal(meta.checksum), rg))
        self._add(quads)
        self.state[d] = StateEntry(
            rec,
            status,
            digest,
            meta.modified if meta and status == LIVE else None,
            meta.checksum if meta and status == LIVE else None,
        )

    def withdraw(self, d: str, status: str = "DELETED") -> None:
        """Mark a record withdrawn and take its description out of the data graph."""
        st = self.state[d]
        if not self.replace_whole:
            self.tx.remove(self._stored_description(d))
        self._changed = True
        self.report.deleted.append(d)
        self._write_record(d, st, status, None, None)

    # -- shared triples -----------------------------------------------------------------------
    def _add_shared(self, triples: list[ox.Triple]) -> None:
        if not triples:
            return
        lookup = TripleIndex(triples).lookup
        referenced = {t.object for t in triples if type(t.object) is ox.BlankNode}
        roots = {t.subject for t in triples if type(t.subject) is ox.NamedNode or t.subject not in referenced}
        for root in roots:
            closure = _blank_closure(lookup, root)  # type: ignore[arg-type]
            if isinstance(root, ox.NamedNode):
                self._shared_roots.add(root.value)
            else:
                self._shared_blank_roots = True
            if any(type(t.subject) is ox.BlankNode or type(t.object) is ox.BlankNode for t in closure):
                key = canonical_ntriples(closure)
                if key not in self._shared_groups:
                    self._shared_groups[key] = closure
            else:
                self._shared_plain.update(dict.fromkeys(closure))

    def _shared_triples(self) -> list[ox.Triple]:
        out = dict(self._shared_plain)
        for group in self._shared_groups.values():
            out.update(dict.fromkeys(group))
        return list(out)

    def _shared_digest(self) -> str:
        lines = canonical_ntriples(self._shared_plain) + "".join(sorted(self._shared_groups))
        return hashlib.sha256(lines.encode("utf-8")).hexdigest()

    def _stored_shared(self) -> list[ox.Quad]:
        g = self.graph
        snap = self.snap
        out: dict[ox.Quad, None] = {}

        def lookup(s: object) -> Iterator[tuple[ox.NamedNode, object]]:
            for q in snap.quads(s, None, None, g):
                yield q.predicate, q.object

        roots: list[object] = [N(s) for s in self.shared_subjects]
        if self.shared_blank_roots:  # shared blank nodes no triple points at: find them (a scan)
            res = snap.query(
                f"SELECT DISTINCT ?b WHERE {{ GRAPH {g} {{ ?b ?p ?o FILTER(isBlank(?b)) "
                f"FILTER NOT EXISTS {{ ?x ?y ?b }} }} }}",
                named_graphs=[g],
            )
            roots += [sol["b"] for sol in res]  # type: ignore[union-attr]
        for root in roots:
            for s in [root, *[t for t in _reachable_blanks(lookup, root)]]:
                out.update(dict.fromkeys(snap.quads(s, None, None, g)))
        return list(out)

    # -- the end ------------------------------------------------------------------------------------
    def finish(self) -> None:
        self.flush()
        complete = self.complete
        self.report.complete = complete
        if complete:
            for d, st in list(self.state.items()):
                if st.live and d not in self.seen and d not in self.rejected:
                    self.withdraw(d, "DELETED")
        else:
            self.report.note("the walk was incomplete: no record was withdrawn for being absent")
        digest = self._shared_digest()
        shared_changed = digest != self.shared_checksum
        rg = self.records_graph
        if self.replace_whole:
            if self._changed or shared_changed:
                self._content.update(dict.fromkeys(self._shared_triples()))
                self.tx.drop_graph(self.graph)
                g = self.graph
                self.tx.add(ox.Quad(s, p, o, g) for s, p, o in self._content)
        elif shared_changed:
            stored = self.shared_checksum is not None or self.shared_subjects or self.shared_blank_roots
            if complete and stored:  # (a first run has nothing to replace)
                self.tx.remove(self._stored_shared())
            g = self.graph
            self.tx.add(ox.Quad(s, p, o, g) for s, p, o in self._shared_triples())
        if shared_changed:
            roots = self._shared_roots if complete else self._shared_roots | self.shared_subjects
            self.tx.remove(list(self.snap.quads(self.graph, None, None, rg)))
            quads = [ox.Quad(self.graph, P_SOURCE, _source_term(self.source), rg)]
            if complete:
                quads.append(ox.Quad(self.graph, P_SHARED_CHECKSUM, ox.Literal(digest), rg))
            quads += [ox.Quad(self.graph, P_SHARED_SUBJECT, N(s), rg) for s in sorted(roots)]
            blank = self._shared_blank_roots or (not complete and self.shared_blank_roots)
            quads.append(
                ox.Quad(
                    self.graph,
                    P_SHARED_BLANK_ROOTS,
                    ox.Literal("true" if blank else "false", datatype=N(XSD + "boolean")),
                    rg,
                )
            )
            self.tx.add(quads)
        self.flush()

    def close(self) -> None:
        """Let go of the transaction's database (it must be closed before it is published)."""
        self.snap = None  # type: ignore[assignment]
        self.tx = None  # type: ignore[assignment]

    def record_activity(self) -> None:
        self.flush()
        r = self.report
        res = self.snap.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {self.graph} {{ ?s ?p ?o }} }}")
        n = int(next(iter(res))["n"].value)  # type: ignore[index, union-attr, call-overload]
        activity = record_load(
            self.tx, graph=self.graph, source=self.source, triples=n, started=r.started, kind="Harvest"
        )
        r.activity = activity.value
        r.ended = xsd_now()
        g = SOURCES_GRAPH
        integer = N(XSD + "nonNegativeInteger")
        counts = {
            "recordsAdded": len(r.added),
            "recordsChanged": len(r.changed),
            "recordsUnchanged": r.unchanged,
            "recordsDeleted": len(r.deleted),
            "recordsRejected": len(r.rejected),
            "recordsDuplicated": len(r.duplicates),
            "documentsRead": r.documents,
            "bytesRead": r.bytes,
        }
        quads = [ox.Quad(activity, N(str(GDS[k])), ox.Literal(str(v), datatype=integer), g) for k, v in counts.items()]
        quads.append(
            ox.Quad(
                activity,
                N(str(GDS.harvestComplete)),
                ox.Literal("true" if r.complete else "false", datatype=N(XSD + "boolean")),
                g,
            )
        )
        quads.append(ox.Quad(activity, N(str(GDS.harvestState)), self.records_graph, g))
        for rej in r.rejected:
            b = ox.BlankNode()
            quads += [
                ox.Quad(activity, N(str(GDS.rejected)), b, g),
                ox.Quad(b, RDF_TYPE, N(str(GDS.Rejection)), g),
                ox.Quad(b, N(str(GDS.rejectedItem)), ox.Literal(rej.where), g),
                ox.Quad(b, N(str(GDS.reason)), ox.Literal(str(rej)), g),
            ]
        self.tx.add(quads)


def _source_term(source: str) -> ox.NamedNode | ox.Literal:
    try:
        return N(source)
    except ValueError:
        return ox.Literal(source)


def _blank_closure(
    lookup: Callable[[object], Iterable[tuple[ox.NamedNode, object]]], root: ox.NamedNode | ox.BlankNode
) -> list[ox.Triple]:
    out: list[ox.Triple] = []
    todo: list[object] = [root]
    seen: set[object] = {root}
    while todo:
        s = todo.pop()
        for p, o in lookup(s):
            out.append(ox.Triple(s, p, o))  # type: ignore[arg-type]
            if type(o) is ox.BlankNode and o not in seen:
                seen.add(o)
                todo.append(o)
    return out


def _reachable_blanks(lookup: Callable[[object], Iterable[tuple[ox.NamedNode, object]]], root: object) -> list[object]:
    out: list[object] = []
    todo = [root]
    seen = {root}
    while todo:
        s = todo.pop()
        for _p, o in lookup(s):
            if type(o) is ox.BlankNode and o not in seen:
                seen.add(o)
                out.append(o)
                todo.append(o)
    return out
