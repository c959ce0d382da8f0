"""Printing a validation run: a text summary, JSON, or the report as Turtle."""

from __future__ import annotations

import json
from typing import TextIO

import pyoxigraph as ox

from govkg.validate.run import RunReport
from govkg.vocab import PREFIXES


def _short(iri: object) -> str:
    s = str(iri)
    for p, ns in PREFIXES.items():
        if s.startswith(ns):
            return f"{p}:{s[len(ns) :]}"
    return s


def _message(r: object, lang: str = "en") -> str:
    msgs = getattr(r, "messages", [])
    for m in msgs:
        if getattr(m, "language", None) == lang:
            return str(m)
    return str(msgs[0]) if msgs else ""


def write_report(report: RunReport, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump(
            {
                "run": str(report.run),
                "graph": str(report.graph),
                "conforms": report.conforms,
                "scope": report.scope,
                "shapesVersion": report.shapes_version,
                "started": report.started,
                "ended": report.ended,
                "summary": report.summary(),
                "results": [
                    {
                        "rule": r.rule,
                        "focusNode": str(r.finding.focus),
                        "shape": str(r.finding.shape),
                        "component": str(r.finding.component),
                        "severity": str(r.finding.severity),
                        "value": None if r.finding.value is None else str(r.finding.value),
                        "path": None if r.finding.path is None else str(r.finding.path),
                        "article": None if r.article is None else str(r.article),
                        "agency": None if r.agency is None else str(r.agency),
                        "jurisdiction": None if r.top is None else str(r.top),
                        "message": {m.language or "": str(m) for m in r.messages},
                    }
                    for r in report.results
                ],
            },
            out,
            ensure_ascii=False,
            indent=1,
        )
        out.write("\n")
        return
    if fmt == "turtle":
        from govkg.validate.run import report_quads

        quads = report_quads(report)
        out.write(
            ox.serialize(
                [ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                format=ox.RdfFormat.TURTLE,
                prefixes=PREFIXES,
            ).decode("utf-8")
        )
        return
    summary = report.summary()
    out.write(f"Validation run {report.run}\n  scope: {report.scope}   shapes: {report.shapes_version}\n")
    out.write(f"  conforms: {report.conforms}   results: {len(report.results)}   violations: {report.violations}\n")
    for key in ("severity", "jurisdiction", "article", "agency"):
        out.write(f"\nby {key}:\n")
        for name, n in sorted(summary[key].items(), key=lambda kv: (-kv[1], kv[0]))[:25]:
            out.write(f"  {n:7d}  {_short(name)}\n")
    out.write("\nresults:\n")
    for r in report.results[:200]:
        f = r.finding
        out.write(f"  [{_short(f.severity)}] {_short(f.focus)}  {_short(r.article)}  {_message(r)}\n")
    if len(report.results) > 200:
        out.write(f"  ... {len(report.results) - 200} more (use --format json)\n")
