"""The two validation engines and the findings they share.

* :func:`run_compiled`: the shapes compiled to SPARQL (govkg.validate.compile), run on a
  store snapshot: the whole graph at once, or only given focus nodes.
* :func:`run_pyshacl`: the reference, pyshacl on an in-memory rdflib graph.

Both return :class:`Finding` sets that compare equal when the engines agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from govkg.errors import QueryError
from govkg.rdfterms import to_rdflib
from govkg.store.base import Snapshot
from govkg.validate.compile import Check, compile_shapes
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


def run_compiled(
    snap: Snapshot,
    checks: Iterable[Check],
    focus: list[URIRef] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Finding]:
    out: list[Finding] = []
    for check in checks:
        query = check.with_focus(focus) if focus is not None else check.unrestricted()
        try:
            res = snap.query(query)
        except QueryError as e:
            raise RuntimeError(f"compiled query of {check.shape} ({check.component}) is invalid: {e}\n{query}") from e
        assert isinstance(res, ox.QuerySolutions)
        names = {v.value for v in res.variables}
        for sol in res:
            this = sol["this"]
            if this is None:
                continue
            value = sol["value"] if "value" in names else None
            out.append(
                Finding(
                    focus=to_rdflib(this),
                    shape=check.shape,
                    component=check.component,
                    value=to_rdflib(value) if value is not None else None,
                    severity=check.severity,
                    path=check.path,
                    node_shape=check.node_shape,
                )
            )
        if progress:
            progress(1)
    return out


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
    _conforms, report, _text = validate(data, **kwargs)  # type: ignore[arg-type]
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
