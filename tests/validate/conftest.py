"""Demo graphs for the validation tests: generated once per session and size, read-only.

Tests that change the graph build their own store (``fresh_demo``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from validatekit import Demo

from govkg.load_demo import load_demo
from govkg.store.oxigraph import OxigraphStore
from govkg.validate.run import ShapesBundle, load_shapes


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
