"""What the validation tests share besides fixtures (imported by name, so not in ``conftest``:
several test folders have one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from govkg.store.oxigraph import OxigraphStore
from govkg.validate.run import RunReport, ShapesBundle, rule_id

# deadlines are judged at a fixed day after every demo event (2023-2025)
AS_OF = dt.date(2026, 11, 23)


@dataclass
class Demo:
    path: Path
    store: OxigraphStore
    planted: set[tuple[str, str]]


def rule_focus_pairs(report: RunReport, shapes: ShapesBundle) -> set[tuple[str, str]]:
    """(rule id, focus IRI) of every result; a result without a rule id keeps its shape IRI."""
    return {(rule_id(shapes.graph, r.finding) or f"(no rule id) {r.finding.shape}", str(r.finding.focus))
            for r in report.results}


def differences(found: set[tuple[str, str]], expected: set[tuple[str, str]]) -> str:
    """A readable account of two sets of (rule, focus) pairs, for assertion messages."""
    missed, extra = sorted(expected - found), sorted(found - expected)
    lines = [f"{len(missed)} expected but not found, {len(extra)} found but not expected"]
    lines += [f"  MISSED {rule} {focus}" for rule, focus in missed[:40]]
    lines += [f"  EXTRA  {rule} {focus}" for rule, focus in extra[:40]]
    return "\n".join(lines)
