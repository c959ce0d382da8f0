"""Demo graphs for the validation tests: generated once per session and size, read-only.

Tests that change the graph build their own store (``fresh_demo``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from govkg.load_demo import load_demo
from govkg.store.oxigraph import OxigraphStore
from govkg.validate.run import RunReport, ShapesBundle, load_shapes, rule_id

# deadlines are judged at a fixed day after every demo event (2023-2025)
AS_OF = dt.date(2026, 11, 23)


@dataclass
class Demo:
    path: Path
    store: OxigraphStore
    planted: set[tuple[str, str]]


@pytest.fixture(scope="session")
def shapes() -> ShapesBundle:
    return load_shapes()


@pytest.fixture(scope="session")
def demo_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Demo]:
    """demo_of(n): a store holding the demo graph of n datasets (shared: do not change it)."""
    made: dict[int, Demo] = {}

    def make(n: int) -> Demo:
        if n not in made:
            path = tmp_path_factory.mktemp(f"demo-{n}") / "store"
            store = OxigraphStore(path)
            result = load_demo(store, datasets=n)
            made[n] = Demo(path, store, set(result.manifest.planted))
        return made[n]

    return make


@pytest.fixture
def fresh_demo(tmp_path: Path) -> Callable[[int], Demo]:
    """fresh_demo(n): a demo store of this test's own, free to change."""

    def make(n: int) -> Demo:
        store = OxigraphStore(tmp_path / "store")
        result = load_demo(store, datasets=n)
        return Demo(tmp_path / "store", store, set(result.manifest.planted))

    return make


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
