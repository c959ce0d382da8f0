"""The two validation engines and the findings they share.

* :func:`run_compiled`: the shapes compiled to SPARQL (govkg.validate.compile), run on a
  store snapshot: the whole graph at once, or only given focus nodes; in one process or
  spread over several that open the same read-only generation (:class:`EngineStats`
  says how long each check took and, on request, how many focus nodes were evaluated).
* :func:`run_pyshacl`: the reference, pyshacl on an in-memory rdflib graph.

Both return :class:`Finding` sets that compare equal when the engines agree.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from govkg.errors import QueryError
from govkg.rdfterms import to_rdflib
from govkg.store.base import Snapshot
from govkg.validate import focus_mode
from govkg.validate.compile import Check, ShapeCompileError, compile_shapes
from govkg.vocab import SH


@dataclass(frozen=True)
class Finding:
    focus: Node
    shape: Node  # sh:sourceShape
    component: URIRef  # sh:sourceConstraintComponent
    value: Node | None  # sh:value
    severity: URIRef
    path: Node | None = None
    node_shape: Node | None = None
    message: str | None = None

    def key(self) -> tuple[Node, Node, URIRef, Node | None]:
        """What two engines must agree on."""
        return (self.focus, self.shape, self.component, self.value)


@dataclass
class CheckTiming:
    """How long one compiled check took and how many focus nodes it evaluated."""

    shape: Node
    component: URIRef
    seconds: float
    findings: int


@dataclass
class EngineStats:
    """The work a compiled run did, for benchmarks and for tests of focus runs.

    ``focus_nodes`` counts (check, target node) pairs the checks evaluated; it is only
    measured when asked for (``count_focus=True``), at the price of one extra query per
    distinct target pattern."""

    checks: int = 0
    workers: int = 1
    focus_nodes: int | None = None
    timings: list[CheckTiming] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase of a run


_SPARQL_COMPONENT = URIRef(f"{SH}SPARQLConstraintComponent")


def _findings_of(check: Check, rows: Iterable[tuple[Node, Node | None]]) -> list[Finding]:
    # a SPARQL constraint of a node shape that binds no ?value reports the focus node as
    # its value (SHACL 5.3.2; pyshacl does the same), one of a property shape none
    focus_is_value = check.component == _SPARQL_COMPONENT and check.path is None
    return [
        Finding(
            focus=this,
            shape=check.shape,
            component=check.component,
            value=this if value is None and focus_is_value else value,
            severity=check.severity,
            path=check.path,
            node_shape=check.node_shape,
        )
        for this, value in rows
    ]


Rows = list[tuple[Node, Node | None]]


def _rows(store: ox.Store, query: str, default_graph: list[ox.NamedNode] | ox.DefaultGraph) -> Rows:
    """(?this, ?value) rows of one compiled query, as rdflib terms (picklable)."""
    res = store.query(query, default_graph=default_graph)  # type: ignore[arg-type]
    assert isinstance(res, ox.QuerySolutions)
    has_value = "value" in {v.value for v in res.variables}
    out = []
    for sol in res:
        this = sol["this"]
        if this is None:
            continue
        value = sol["value"] if has_value else None
        out.append((to_rdflib(this), to_rdflib(value) if value is not None else None))
    return out


def _focus_texts(snap: Snapshot, checks: list[Check], focus: list[URIRef]) -> tuple[list[str | None], int]:
    """Per check, its query for the focus nodes in its target (None: it has none), and the
    number of (check, target node) pairs that leaves (focus_mode.py)."""
    members: dict[tuple[str, str], list[URIRef]] = {}
    texts: list[str | None] = []
    pairs = 0
    for check in checks:
        key = (check.prefix, check.target)
        if key not in members:
            rows = snap.select(focus_mode.members_query(check, focus)) if focus else []
            members[key] = sorted(URIRef(r["this"].value) for r in rows if isinstance(r.get("this"), ox.NamedNode))  # type: ignore[attr-defined]
        these = members[key]
        pairs += len(these)
        texts.append(focus_mode.check_query(check, these) if these else None)
    return texts, pairs


# -- worker processes: each opens the snapshot's generation read-only ----------------------------
_WORKER: dict[str, object] = {}


def _worker_init(path: str, default_graph: list[str]) -> None:
    _WORKER["store"] = ox.Store.read_only(path)
    _WORKER["graphs"] = [ox.NamedNode(g) for g in default_graph] or ox.DefaultGraph()


def _worker_run(index: int, query: str) -> tuple[int, float, Rows]:
    t = time.perf_counter()
    rows = _rows(_WORKER["store"], query, _WORKER["graphs"])  # type: ignore[arg-type]
    return index, time.perf_counter() - t, rows


def run_compiled(
    snap: Snapshot,
    checks: Iterable[Check],
    focus: list[URIRef] | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    workers: int = 1,
    stats: EngineStats | None = None,
    count_focus: bool = False,
) -> list[Finding]:
    """Every finding of ``checks`` on the snapshot, for all target nodes or only ``focus``.

    With ``workers`` > 1 (and an embedded store) the checks run in that many processes,
    each opening the snapshot's generation read-only: the checks are independent
    read-only queries, and one Oxigraph query uses one core.  Findings come back in the
    order of ``checks`` either way."""
    checks = list(checks)
    stats = stats if stats is not None else EngineStats()
    stats.checks = len(checks)
    path = getattr(snap, "path", None)
    # a focus run's queries look up from a few nodes: milliseconds each, less than starting workers
    parallel = (
        focus is None and workers > 1 and path is not None and len(checks) > 1 and hasattr(snap, "default_graphs")
    )
    if focus is not None:
        texts, pairs = _focus_texts(snap, checks, focus)
    else:
        texts, pairs = [c.unrestricted() for c in checks], 0
    stats.workers = workers if parallel else 1
    per_check: list[list[Finding]] = [[] for _ in checks]
    timings: list[float] = [0.0] * len(checks)

    def invalid(i: int, e: Exception) -> RuntimeError:
        c = checks[i]
        return RuntimeError(f"compiled query of {c.shape} ({c.component}) is invalid: {e}\n{texts[i]}")

    if parallel:
        graphs = [g.value for g in snap.default_graphs()]  # type: ignore[attr-defined]
        ctx = multiprocessing.get_context("spawn")
        init = (str(path), graphs)
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init, initargs=init) as pool:
            # the most expensive kinds of check first, so that no worker is left with a long tail
            order = sorted(range(len(checks)), key=lambda i: _cost_rank(checks[i]))
            futures = {pool.submit(_worker_run, i, texts[i]): i for i in order}
            for fut in as_completed(futures):
                try:
                    i, seconds, rows = fut.result()
                except SyntaxError as e:
                    raise invalid(futures[fut], e) from e
                per_check[i] = _findings_of(checks[i], rows)
                timings[i] = seconds
                if progress:
                    progress(1)
    else:
        for i, check in enumerate(checks):
            text = texts[i]
            if text is None:  # no focus node in its target
                if progress:
                    progress(1)
                continue
            t = time.perf_counter()
            try:
                res = snap.query(text)
            except QueryError as e:
                raise invalid(i, e) from e
            assert isinstance(res, ox.QuerySolutions)
            has_value = "value" in {v.value for v in res.variables}
            rows = [
                (to_rdflib(sol["this"]), to_rdflib(sol["value"]) if has_value and sol["value"] is not None else None)
                for sol in res
                if sol["this"] is not None
            ]
            if focus is not None:
                rows = list(dict.fromkeys(rows))  # an inlined DISTINCT may repeat a row
            per_check[i] = _findings_of(check, rows)
            timings[i] = time.perf_counter() - t
            if progress:
                progress(1)
    stats.timings = [CheckTiming(c.shape, c.component, timings[i], len(per_check[i])) for i, c in enumerate(checks)]
    if count_focus:
        stats.focus_nodes = pairs if focus is not None else count_focus_nodes(snap, checks, focus)
    return [f for fs in per_check for f in fs]


def _cost_rank(check: Check) -> int:
    """Rough order of cost: SPARQL constraints and shape-valued ones first."""
    name = str(check.component)
    if name.endswith("SPARQLConstraintComponent"):
        return 0
    if any(name.endswith(f"{k}ConstraintComponent") for k in ("Node", "Not", "And", "Or", "Xone", "Class")):
        return 1
    return 2


def count_focus_nodes(snap: Snapshot, checks: list[Check], focus: list[URIRef] | None) -> int:
    """(check, target node) pairs: for each check, how many target nodes it evaluated."""
    per_target: dict[str, int] = {}
    total = 0
    for check in checks:
        target = check.target
        if target not in per_target:
            where = "VALUES ?this { " + " ".join(f"<{f}>" for f in focus) + " } " if focus is not None else ""
            rows = snap.select(f"{check.prefix}SELECT (COUNT(DISTINCT ?this) AS ?n) WHERE {{ {where}{{ {target} }} }}")
            per_target[target] = int(rows[0]["n"].value)  # type: ignore[attr-defined]
        total += per_target[target]
    return total


def run_pyshacl(
    data: Graph, shapes: Graph, ontology: Graph | None = None, focus: list[URIRef] | None = None
) -> list[Finding]:
    """The reference engine (pyshacl with SHACL-AF for SPARQL targets)."""
    from pyshacl import validate

    kwargs: dict[str, object] = {
        "shacl_graph": shapes,
        "advanced": True,
        "inference": "none",
        "allow_warnings": True,
        "allow_infos": True,
    }
    if ontology is not None:
        kwargs["ont_graph"] = ontology
    if focus is not None:
        kwargs["focus_nodes"] = focus
    _conforms, report, text = validate(data, **kwargs)  # type: ignore[arg-type]
    if not isinstance(report, Graph):  # pyshacl reports its own failures in place of a report
        raise ShapeCompileError(f"pyshacl could not validate: {text}")
    out: list[Finding] = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, r) in report:
            continue  # nested detail of another result
        value = report.value(r, SH.value)
        out.append(
            Finding(
                focus=report.value(r, SH.focusNode),  # type: ignore[arg-type]
                shape=report.value(r, SH.sourceShape),  # type: ignore[arg-type]
                component=report.value(r, SH.sourceConstraintComponent),  # type: ignore[arg-type]
                value=value,
                severity=report.value(r, SH.resultSeverity),  # type: ignore[arg-type]
                path=report.value(r, SH.resultPath),
                message=str(report.value(r, SH.resultMessage) or "") or None,
            )
        )
    return out


def compile_for(shapes: Graph) -> list[Check]:
    return compile_shapes(shapes)
