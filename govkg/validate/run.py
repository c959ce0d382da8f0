"""One validation run: derive, check, store the report, summarise.

The single entry point used by ``govkg validate`` and the server.  A run

1. derives what SHACL cannot compute (deadlines) into the derived graph;
2. runs the shapes (compiled to SPARQL) on a snapshot of the store, for the whole graph
   or only for given focus nodes;
3. stores the report in its own named graph ``graph/validation/<run>``: a
   ``sh:ValidationReport`` whose results link focus node, shape and the article the shape
   enforces (``dct:source``), each with the focus node's agency and jurisdiction, and a
   ``gds:ValidationRun`` (a ``prov:Activity``) saying when, which shapes version, what
   scope.  A run restricted to some changed resources re-validates only their
   neighbourhood (:func:`neighbourhood`) and copies the previous run's results for every
   other node, so the latest run always holds the current findings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF
from rdflib.term import Node

from govkg import __version__
from govkg.errors import GovkgError
from govkg.packaged import folder
from govkg.rdfterms import to_ox, to_rdflib
from govkg.store.base import Snapshot, Store
from govkg.validate.compile import Check, compile_shapes
from govkg.validate.data_view import REPORT_GRAPH_PREFIX, DataView
from govkg.validate.derive import derive, write_derived
from govkg.validate.engine import EngineStats, Finding, run_compiled
from govkg.vocab import DERIVED_GRAPH, GDS, ID, JURISDICTIONS, SH, jurisdiction

PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RUN_GRAPH_PREFIX = REPORT_GRAPH_PREFIX


# -- shapes -----------------------------------------------------------------------------------
@dataclass
class ShapesBundle:
    graph: Graph
    files: list[Path]
    version: str
    checks: list[Check] = field(default_factory=list)


def shapes_files(jurisdiction_key: str | None = None, shapes_dir: Path | None = None) -> list[Path]:
    """Shape files that apply: every file without a jurisdiction, and the given one's (or all)."""
    base = shapes_dir or folder("shapes")
    out = []
    for path in sorted(base.glob("*.ttl")):
        g = Graph().parse(path, format="turtle")
        # the resource describing the file names the jurisdiction it is for, if any
        scopes = {str(o) for s in g.subjects(RDF.type, OWL.Ontology) for o in g.objects(s, GDS.jurisdiction)}
        if jurisdiction_key is None or not scopes or str(jurisdiction(JURISDICTIONS[jurisdiction_key])) in scopes:
            out.append(path)
    return out


def load_shapes(jurisdiction_key: str | None = None, shapes_dir: Path | None = None) -> ShapesBundle:
    if jurisdiction_key is not None and jurisdiction_key not in JURISDICTIONS:
        raise GovkgError(f"unknown jurisdiction {jurisdiction_key!r}; use one of {', '.join(JURISDICTIONS)}")
    files = shapes_files(jurisdiction_key, shapes_dir)
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    versions = {str(v) for s in g.subjects(RDF.type, OWL.Ontology) for v in g.objects(s, OWL.versionInfo)}
    version = ",".join(sorted(versions)) or __version__
    return ShapesBundle(g, files, version, compile_shapes(g))


def article_of(shapes: Graph, shape: Node, node_shape: Node | None) -> Node | None:
    for s in (shape, node_shape):
        if s is not None:
            src = shapes.value(s, DCTERMS.source)
            if src is not None:
                return src
    return None


def rule_id(shapes: Graph, finding: Finding) -> str | None:
    """The rule a finding breaks: the ``dct:identifier`` of its shape or of its node shape."""
    for s in (finding.shape, finding.node_shape):
        if s is not None:
            rid = shapes.value(s, DCTERMS.identifier)
            if rid is not None:
                return str(rid)
    return None


# -- what a change can affect ----------------------------------------------------------------
NEIGHBOURHOOD_HOPS = 2
HUB_DEGREE = 32  # a node with more links than this is re-validated but not walked through


def neighbourhood(
    snap: Snapshot, changed: Iterable[URIRef], hops: int = NEIGHBOURHOOD_HOPS, hub_degree: int = HUB_DEGREE
) -> list[URIRef]:
    """The resources whose findings a change to ``changed`` can alter.

    The changed resources and every IRI up to ``hops`` links away from them, following
    links in both directions (a dataset's items and distributions, the catalogue and the
    record that point to it, the activities that used the record).  Blank nodes (a
    policy, a path) belong to the resource that holds them and cost no hop; ``rdf:type``
    links are not followed (a class is not a neighbour), and a node with more than
    ``hub_degree`` links (an agency, a code-list concept, a large catalogue) is included
    but not walked through (the changed resources themselves always are).  So a focus
    node is re-checked when a shape reads the change at most two links away and the node
    in between is not a hub; a change felt further away, or through a hub (a collection
    and a dataset joined through a shared data element, records reviewed in one monthly
    batch whose department changed), needs a full run.  The other nodes keep the
    previous run's results."""
    rdf_type = ox.NamedNode(str(RDF.type))
    start: set[ox.NamedNode | ox.BlankNode] = {ox.NamedNode(str(c)) for c in changed}
    seen = set(start)

    def links(node: ox.NamedNode | ox.BlankNode) -> Iterator[ox.NamedNode | ox.BlankNode]:
        for q in snap.quads(node, None, None, None):
            if q.predicate != rdf_type and isinstance(q.object, ox.NamedNode | ox.BlankNode):
                yield q.object
        for q in snap.quads(None, None, node, None):
            if isinstance(q.subject, ox.NamedNode | ox.BlankNode):
                yield q.subject

    frontier = list(start)
    for _ in range(hops):
        nxt: list[ox.NamedNode | ox.BlankNode] = []
        todo = list(frontier)
        while todo:
            node = todo.pop()
            found = list(links(node)) if node in start else list(itertools.islice(links(node), hub_degree + 1))
            if len(found) > hub_degree and node not in start:
                continue  # a hub: re-validated itself, not walked through
            for n in found:
                if n not in seen:
                    seen.add(n)
                    (todo if isinstance(n, ox.BlankNode) else nxt).append(n)
        frontier = nxt
    return sorted(URIRef(n.value) for n in seen if isinstance(n, ox.NamedNode))


# -- where a focus node belongs -------------------------------------------------------------------
_PLACE_PREFIXES = """PREFIX gds: <https://w3id.org/govkg/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
"""

# How a focus node reaches the agency it belongs to, the most direct way first: a
# dataset or catalogue by its publisher, an activity by its agent, a record by its
# dataset's publisher, a data item or a distribution by its dataset's, a trigger or request by the catalogue
# it concerns, a review by the records it used; an agency is its own.  Each way is one
# query for up to _PLACE_CHUNK focus nodes, whose blocks are single scans that Oxigraph
# joins by hashing.  (A query per 500 focus nodes, with the ways as a UNION of paths,
# took 2.7 s each: 5 minutes at 1M datasets; the same ways as paths walked from each
# focus node are no faster at 100k.)
_PLACE_WAYS = (
    "?f dct:publisher ?agency",
    "?f prov:wasAssociatedWith ?agency",
    "{ SELECT ?f ?x WHERE { ?f foaf:primaryTopic ?x } } { SELECT ?x ?agency WHERE { ?x dct:publisher ?agency } }",
    "{ SELECT ?f ?x WHERE { ?x gds:hasDataItem ?f } } { SELECT ?x ?agency WHERE { ?x dct:publisher ?agency } }",
    "{ SELECT ?f ?x WHERE { ?x dcat:distribution ?f } } { SELECT ?x ?agency WHERE { ?x dct:publisher ?agency } }",
    "{ SELECT ?f ?x WHERE { ?f gds:concerns ?x } } { SELECT ?x ?agency WHERE { ?x dct:publisher ?agency } }",
    "{ SELECT ?f ?x WHERE { ?f gds:affects ?x } } { SELECT ?x ?agency WHERE { ?x dct:publisher ?agency } }",
    "{ SELECT ?f ?x WHERE { ?f prov:used ?x } } { SELECT ?x ?y WHERE { ?x foaf:primaryTopic ?y } }"
    " { SELECT ?y ?agency WHERE { ?y dct:publisher ?agency } }",
    "{ SELECT DISTINCT ?f WHERE { ?f gds:jurisdiction ?j } } BIND(?f AS ?agency)",
)


_PLACE_CHUNK = 200_000  # focus nodes per query (the findings of a 1M demo: one query)


def places(snap: Snapshot, focus: Iterable[Node]) -> dict[Node, tuple[Node | None, Node | None, Node | None]]:
    """focus node -> (agency, jurisdiction, top jurisdiction among the four).

    The jurisdiction is the agency's (``gds:jurisdiction``), or the focus node itself when
    it is a ``gds:Jurisdiction``; the top one is the regulation's jurisdiction above it."""
    tops = {str(jurisdiction(c)): k for k, c in JURISDICTIONS.items()}
    parents: dict[str, list[str]] = {}
    for row in snap.select(_PLACE_PREFIXES + "SELECT ?j ?p WHERE { ?j gds:partOfJurisdiction ?p }"):
        parents.setdefault(row["j"].value, []).append(row["p"].value)  # type: ignore[attr-defined]

    def top_of(j: str) -> str | None:
        seen, todo = set(), [j]
        while todo:
            x = todo.pop()
            if x in tops:
                return x
            if x not in seen:
                seen.add(x)
                todo += parents.get(x, [])
        return None

    nodes = {f for f in focus if isinstance(f, URIRef)}
    pending = {str(f) for f in nodes}
    agency_of: dict[str, str] = {}
    for way in _PLACE_WAYS:
        # the nodes still to place are joined in as VALUES: only their rows are decoded
        # (decoding a term is a lookup of its string, the cost of a large result)
        todo = sorted(pending)
        for i in range(0, len(todo), _PLACE_CHUNK):
            values = " ".join(f"<{f}>" for f in todo[i : i + _PLACE_CHUNK])
            res = snap.query(f"{_PLACE_PREFIXES}SELECT ?f ?agency WHERE {{ VALUES ?f {{ {values} }} {way} }}")
            assert isinstance(res, ox.QuerySolutions)
            for sol in res:
                f, agency = sol["f"], sol["agency"]
                if isinstance(f, ox.NamedNode) and f.value in pending and isinstance(agency, ox.NamedNode):
                    agency_of[f.value] = agency.value
                    pending.discard(f.value)
        if not pending:
            break
    agency_jurisdiction = {
        row["a"].value: row["j"].value  # type: ignore[attr-defined]
        for row in snap.select(_PLACE_PREFIXES + "SELECT ?a ?j WHERE { ?a gds:jurisdiction ?j }")
    }
    jurisdictions = {
        row["j"].value  # type: ignore[attr-defined]
        for row in snap.select(_PLACE_PREFIXES + "SELECT ?j WHERE { ?j a gds:Jurisdiction }")
    }
    out: dict[Node, tuple[Node | None, Node | None, Node | None]] = {}
    for f in nodes:
        agency = agency_of.get(str(f))
        j = agency_jurisdiction.get(agency) if agency is not None else None
        if j is None and str(f) in jurisdictions:
            j = str(f)
        t = top_of(j) if j is not None else None
        out[f] = (URIRef(agency) if agency else None, URIRef(j) if j else None, URIRef(t) if t else None)
    return out


# -- the run -------------------------------------------------------------------------------------
@dataclass
class Result:
    finding: Finding
    article: Node | None
    agency: Node | None
    jurisdiction: Node | None
    top: Node | None
    messages: list[Literal]
    rule: str | None = None  # the rule id (dct:identifier of the shape or its node shape)


@dataclass
class RunReport:
    run: URIRef
    graph: URIRef
    started: str
    ended: str
    scope: str
    shapes_version: str
    results: list[Result]
    focus: list[URIRef] | None = None  # the changed resources of a focus run
    shapes_files: list[str] = field(default_factory=list)
    revalidated: list[URIRef] | None = None  # their neighbourhood, which a focus run re-checked
    carried: int = 0  # results copied from the previous run

    @property
    def violations(self) -> int:
        return sum(1 for r in self.results if r.finding.severity == SH.Violation)

    @property
    def conforms(self) -> bool:
        return self.violations == 0

    def summary(self) -> dict[str, dict[str, int]]:
        def name(n: Node | None) -> str:
            return str(n) if n is not None else "(none)"

        return {
            "severity": dict(Counter(str(r.finding.severity).rsplit("#", 1)[1] for r in self.results)),
            "jurisdiction": dict(Counter(name(r.top) for r in self.results)),
            "agency": dict(Counter(name(r.agency) for r in self.results)),
            "article": dict(Counter(name(r.article) for r in self.results)),
        }


class _Phases:
    """Times the phases of a run into a dict (``EngineStats.phases``)."""

    def __init__(self, into: dict[str, float]) -> None:
        self.into = into

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.into[name] = self.into.get(name, 0.0) + time.perf_counter() - t


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _scope_filter(results: list[Result], key: str | None) -> list[Result]:
    if key is None:
        return results
    top = URIRef(str(jurisdiction(JURISDICTIONS[key])))
    return [r for r in results if r.top == top]


def default_workers(snap: Snapshot) -> int:
    """Processes to run the checks in: ``GOVKG_VALIDATE_WORKERS`` if set, else every core
    for a store large enough (over 256 MiB on disk) to repay starting them, else one."""
    env = os.environ.get("GOVKG_VALIDATE_WORKERS")
    if env:
        return max(1, int(env))
    path = getattr(snap, "path", None)
    if path is None:
        return 1
    size = sum(f.stat().st_size for f in Path(path).iterdir() if f.is_file())
    return (os.cpu_count() or 1) if size > 256 << 20 else 1


def _derived_unchanged(snap: Snapshot, quads: list[ox.Quad]) -> bool:
    held = {(q.subject, q.predicate, q.object) for q in snap.quads(None, None, None, ox.NamedNode(str(DERIVED_GRAPH)))}
    return held == {(q.subject, q.predicate, q.object) for q in quads}


def validate_store(
    store: Store,
    *,
    jurisdiction_key: str | None = None,
    focus: list[URIRef] | None = None,
    as_of: dt.date | None = None,
    shapes: ShapesBundle | None = None,
    store_report: bool = True,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    stats: EngineStats | None = None,
    count_focus: bool = False,
) -> RunReport:
    """Validate the store; with ``focus`` (changed resources), only their neighbourhood.

    ``workers``: processes for the checks (default :func:`default_workers`).  ``stats``
    receives the engine's figures (per-check times; with ``count_focus``, how many
    (check, focus node) pairs were evaluated)."""
    bundle = shapes or load_shapes(jurisdiction_key)
    stats = stats if stats is not None else EngineStats()
    phase = _Phases(stats.phases)
    started = _now()
    with store.snapshot() as snap, phase("derive"):
        derived = derive(DataView(snap), as_of or dt.date.today())
        unchanged = _derived_unchanged(snap, derived)
    if not unchanged:  # no new store generation when the deadlines are the same
        with phase("write derived"), store.transaction() as tx:
            write_derived(tx, derived)
    with store.snapshot() as snap:
        data = DataView(snap)
        with phase("neighbourhood"):
            scope_nodes = neighbourhood(snap, focus) if focus is not None else None
        with phase("checks"):
            findings = run_compiled(
                data,
                bundle.checks,
                focus=scope_nodes,
                progress=progress,
                workers=workers if workers is not None else default_workers(snap),
                stats=stats,
                count_focus=count_focus,
            )
        with phase("places"):
            where = places(data, [f.focus for f in findings])
        with phase("carry"):
            previous = latest_run(snap) if focus is not None else None
            carried = previous_results(snap, previous, set(scope_nodes or []), bundle) if previous is not None else []
    with phase("results"):
        results = []
        for f in findings:
            agency, jur, top = where.get(f.focus, (None, None, None))
            messages = [m for m in bundle.graph.objects(f.shape, SH.message) if isinstance(m, Literal)]
            article = article_of(bundle.graph, f.shape, f.node_shape)
            results.append(Result(f, article, agency, jur, top, messages, rule_id(bundle.graph, f)))
    results = _scope_filter(results + carried, jurisdiction_key)
    run_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    report = RunReport(
        run=URIRef(str(ID[f"validation/{run_id}"])),
        graph=URIRef(RUN_GRAPH_PREFIX + run_id),
        started=started,
        ended=_now(),
        scope=jurisdiction_key or "all",
        shapes_version=bundle.version,
        results=results,
        focus=focus,
        shapes_files=[f.name for f in bundle.files],
        revalidated=scope_nodes,
        carried=len(carried),
    )
    if store_report:
        with phase("store report"), store.transaction() as tx:
            tx.add(report_quads(report))
    return report


def report_quads(report: RunReport) -> list[ox.Quad]:
    g = ox.NamedNode(str(report.graph))
    run = ox.NamedNode(str(report.run))
    rep = ox.NamedNode(str(report.run) + "/report")
    N = ox.NamedNode  # noqa: N806
    dt_t = N(XSD + "dateTime")
    rdf_type = N(str(RDF.type))
    quads = [
        ox.Quad(run, rdf_type, N(PROV + "Activity"), g),
        ox.Quad(run, rdf_type, N(str(GDS.ValidationRun)), g),
        ox.Quad(run, N(PROV + "startedAtTime"), ox.Literal(report.started, datatype=dt_t), g),
        ox.Quad(run, N(PROV + "endedAtTime"), ox.Literal(report.ended, datatype=dt_t), g),
        ox.Quad(run, N(str(GDS.shapesVersion)), ox.Literal(report.shapes_version), g),
        ox.Quad(run, N(str(GDS.scope)), ox.Literal(report.scope), g),
        ox.Quad(run, N(PROV + "generated"), rep, g),
        ox.Quad(run, N(str(GDS.resultCount)), ox.Literal(str(len(report.results)), datatype=N(XSD + "integer")), g),
        ox.Quad(rep, rdf_type, N(str(SH.ValidationReport)), g),
        ox.Quad(
            rep, N(str(SH.conforms)), ox.Literal("true" if report.conforms else "false", datatype=N(XSD + "boolean")), g
        ),
        ox.Quad(rep, N(PROV + "wasGeneratedBy"), run, g),
    ]
    for name in report.shapes_files:
        quads.append(ox.Quad(run, N(PROV + "used"), ox.Literal(name), g))
    if report.revalidated is not None:
        for n in report.revalidated:
            quads.append(ox.Quad(run, N(str(GDS.revalidated)), N(str(n)), g))
    for i, r in enumerate(report.results):
        res = ox.NamedNode(f"{report.run}/result/{i}")
        f = r.finding
        add = quads.append
        add(ox.Quad(rep, N(str(SH.result)), res, g))
        add(ox.Quad(res, rdf_type, N(str(SH.ValidationResult)), g))
        add(ox.Quad(res, N(str(SH.focusNode)), to_ox(f.focus), g))  # type: ignore[arg-type]
        add(ox.Quad(res, N(str(SH.sourceShape)), to_ox(f.shape), g))  # type: ignore[arg-type]
        add(ox.Quad(res, N(str(SH.sourceConstraintComponent)), N(str(f.component)), g))
        add(ox.Quad(res, N(str(SH.resultSeverity)), N(str(f.severity)), g))
        if f.path is not None and isinstance(f.path, URIRef):
            add(ox.Quad(res, N(str(SH.resultPath)), N(str(f.path)), g))
        if f.value is not None:
            add(ox.Quad(res, N(str(SH.value)), to_ox(f.value), g))  # type: ignore[arg-type]
        for m in r.messages:
            add(ox.Quad(res, N(str(SH.resultMessage)), to_ox(m), g))  # type: ignore[arg-type]
        for pred, val in (
            (DCTERMS.source, r.article),
            (GDS.agency, r.agency),
            (GDS.jurisdiction, r.jurisdiction),
            (GDS.topJurisdiction, r.top),
        ):
            if val is not None:
                add(ox.Quad(res, N(str(pred)), to_ox(val), g))  # type: ignore[arg-type]
    return quads


def latest_run(snap: Snapshot) -> ox.NamedNode | None:
    rows = snap.select(
        "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX gds: <https://w3id.org/govkg/def#> "
        "SELECT ?g WHERE { GRAPH ?g { ?run a gds:ValidationRun ; prov:endedAtTime ?t } } ORDER BY DESC(?t) LIMIT 1"
    )
    return rows[0]["g"] if rows else None  # type: ignore[return-value]


def previous_results(
    snap: Snapshot, previous: ox.NamedNode, skip: set[URIRef], bundle: ShapesBundle
) -> list[Result]:
    """The results of the run stored in graph ``previous``, except those about ``skip``."""
    rows = snap.select(
        f"""PREFIX sh: <{SH}> PREFIX dct: <{DCTERMS}> PREFIX gds: <{GDS}>
        SELECT ?r ?focus ?shape ?component ?severity ?value ?path ?article ?agency ?j ?top WHERE {{
          GRAPH <{previous.value}> {{
            ?r a sh:ValidationResult ; sh:focusNode ?focus ; sh:sourceShape ?shape ;
               sh:sourceConstraintComponent ?component ; sh:resultSeverity ?severity .
            OPTIONAL {{ ?r sh:value ?value }} OPTIONAL {{ ?r sh:resultPath ?path }}
            OPTIONAL {{ ?r dct:source ?article }} OPTIONAL {{ ?r gds:agency ?agency }}
            OPTIONAL {{ ?r gds:jurisdiction ?j }} OPTIONAL {{ ?r gds:topJurisdiction ?top }}
          }} }}"""
    )
    # the node shape of a property shape is not stored: the compiled checks know it
    node_shapes = {(c.shape, c.component): c.node_shape for c in bundle.checks}
    # a result path that is not an IRI is not stored either: take the check's
    paths = {(c.shape, c.component): c.path for c in bundle.checks}
    out = []
    for row in rows:
        focus = to_rdflib(row["focus"])
        if focus in skip:
            continue

        def opt(name: str, row: dict[str, object] = row) -> Node | None:
            return to_rdflib(row[name]) if name in row else None

        shape, comp = to_rdflib(row["shape"]), URIRef(row["component"].value)  # type: ignore[attr-defined]
        finding = Finding(
            focus=focus,
            shape=shape,
            component=comp,
            value=opt("value"),
            severity=URIRef(row["severity"].value),  # type: ignore[attr-defined]
            path=opt("path") or paths.get((shape, comp)),
            node_shape=node_shapes.get((shape, comp)),
        )
        messages = [m for m in bundle.graph.objects(shape, SH.message) if isinstance(m, Literal)]
        rule = rule_id(bundle.graph, finding)
        out.append(Result(finding, opt("article"), opt("agency"), opt("j"), opt("top"), messages, rule))
    return out
