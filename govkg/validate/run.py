"""One validation run: derive, check, store the report, summarise.

The single entry point used by ``govkg validate`` and the server.  A run

1. derives what SHACL cannot compute (deadlines) into the derived graph;
2. runs the shapes (compiled to SPARQL) on a snapshot of the store, for the whole graph
   or only for given focus nodes;
3. stores the report in its own named graph ``graph/validation/<run>``: a
   ``sh:ValidationReport`` whose results link focus node, shape and the article the shape
   enforces (``dct:source``), each with the focus node's agency and jurisdiction, and a
   ``gds:ValidationRun`` (a ``prov:Activity``) saying when, which shapes version, what
   scope.  A run restricted to some focus nodes copies the previous run's results for
   every other node, so the latest run always holds the current findings.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
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
from govkg.validate.derive import derive_deadlines, write_derived
from govkg.validate.engine import Finding, run_compiled
from govkg.vocab import GDS, GRAPH, ID, JURISDICTIONS, SH, jurisdiction

PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RUN_GRAPH_PREFIX = GRAPH + "validation/"


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


# -- where a focus node belongs -------------------------------------------------------------------
_PLACE = """
PREFIX gds: <https://w3id.org/govkg/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?f (SAMPLE(?agency) AS ?a) (SAMPLE(?j0) AS ?j) WHERE {
  VALUES ?f { %s }
  OPTIONAL {
    { ?f dct:publisher ?agency } UNION { ?f prov:wasAssociatedWith ?agency }
    UNION { ?f foaf:primaryTopic/dct:publisher ?agency } UNION { ?f ^gds:hasDataItem/dct:publisher ?agency }
    UNION { ?f gds:concerns/dct:publisher ?agency } UNION { ?f gds:affects/dct:publisher ?agency }
    UNION { ?f prov:used/foaf:primaryTopic/dct:publisher ?agency }
    UNION { ?f gds:jurisdiction ?x . BIND(?f AS ?agency) }
  }
  OPTIONAL { ?agency gds:jurisdiction ?jx . }
  OPTIONAL { ?f a gds:Jurisdiction . BIND(?f AS ?jf) }
  BIND(COALESCE(?jx, ?jf) AS ?j0)
} GROUP BY ?f
"""


def places(snap: Snapshot, focus: Iterable[Node]) -> dict[Node, tuple[Node | None, Node | None, Node | None]]:
    """focus node -> (agency, jurisdiction, top jurisdiction among the four)."""
    tops = {str(jurisdiction(c)): k for k, c in JURISDICTIONS.items()}
    parents: dict[str, list[str]] = {}
    for row in snap.select(
        "PREFIX gds: <https://w3id.org/govkg/def#> SELECT ?j ?p WHERE { ?j gds:partOfJurisdiction ?p }"
    ):
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

    out: dict[Node, tuple[Node | None, Node | None, Node | None]] = {}
    nodes = [f for f in set(focus) if isinstance(f, URIRef)]
    for i in range(0, len(nodes), 500):
        chunk = nodes[i : i + 500]
        for row in snap.select(_PLACE % " ".join(f"<{n}>" for n in chunk)):
            f = to_rdflib(row["f"])
            a = to_rdflib(row["a"]) if "a" in row else None
            j = to_rdflib(row["j"]) if "j" in row else None
            t = top_of(str(j)) if j is not None else None
            out[f] = (a, j, URIRef(t) if t else None)
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


@dataclass
class RunReport:
    run: URIRef
    graph: URIRef
    started: str
    ended: str
    scope: str
    shapes_version: str
    results: list[Result]
    focus: list[URIRef] | None = None
    shapes_files: list[str] = field(default_factory=list)

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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _scope_filter(results: list[Result], key: str | None) -> list[Result]:
    if key is None:
        return results
    top = URIRef(str(jurisdiction(JURISDICTIONS[key])))
    return [r for r in results if r.top == top]


def validate_store(
    store: Store,
    *,
    jurisdiction_key: str | None = None,
    focus: list[URIRef] | None = None,
    as_of: dt.date | None = None,
    shapes: ShapesBundle | None = None,
    store_report: bool = True,
    progress: Callable[[int], None] | None = None,
) -> RunReport:
    bundle = shapes or load_shapes(jurisdiction_key)
    started = _now()
    with store.snapshot() as snap:
        derived = derive_deadlines(snap, as_of or dt.date.today())
    with store.transaction() as tx:
        write_derived(tx, derived)
    with store.snapshot() as snap:
        findings = run_compiled(snap, bundle.checks, focus=focus, progress=progress)
        where = places(snap, (f.focus for f in findings))
        previous = latest_run(snap) if focus is not None else None
        carried = _carry_over(snap, previous, focus) if previous is not None else []
    results = []
    for f in findings:
        agency, jur, top = where.get(f.focus, (None, None, None))
        messages = [m for m in bundle.graph.objects(f.shape, SH.message) if isinstance(m, Literal)]
        results.append(Result(f, article_of(bundle.graph, f.shape, f.node_shape), agency, jur, top, messages))
    results = _scope_filter(results, jurisdiction_key)
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
    )
    if store_report:
        quads = report_quads(report) + carried_quads(carried, report)
        with store.transaction() as tx:
            tx.add(quads)
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
    if report.focus is not None:
        for n in report.focus:
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


def _carry_over(snap: Snapshot, previous: ox.NamedNode, focus: list[URIRef] | None) -> list[ox.Quad]:
    """The previous run's results for nodes not re-validated now."""
    skip = {str(f) for f in focus or []}
    out: list[ox.Quad] = []
    result_t = ox.NamedNode(str(SH.ValidationResult))
    focus_p = ox.NamedNode(str(SH.focusNode))
    for q in snap.quads(None, ox.NamedNode(str(RDF.type)), result_t, previous):
        fnode = next(snap.quads(q.subject, focus_p, None, previous), None)
        if fnode is None or fnode.object.value in skip:  # type: ignore[union-attr]
            continue
        out.extend(snap.quads(q.subject, None, None, previous))
    return out


def carried_quads(quads: list[ox.Quad], report: RunReport) -> list[ox.Quad]:
    """The carried results, moved into the new run's graph and listed by its report."""
    g = ox.NamedNode(str(report.graph))
    rep = ox.NamedNode(str(report.run) + "/report")
    result_t = ox.NamedNode(str(SH.ValidationResult))
    out = [ox.Quad(q.subject, q.predicate, q.object, g) for q in quads]
    out += [ox.Quad(rep, ox.NamedNode(str(SH.result)), q.subject, g) for q in quads if q.object == result_t]
    return out
