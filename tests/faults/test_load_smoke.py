"""A short run of the load test (bench/bench_load.py) against a real ``govkg serve``.

Four clients for a few seconds mix SPARQL queries, feed pages and site pages, first alone,
then while ``govkg harvest`` runs write into the served store again and again: no request
may fail, every kind must be exercised, every harvest must succeed, and no data is lost
(the demo datasets are all still there and the harvested ones arrived).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from bench_load import KINDS, PagedCatalogue, Targets, govkg_serve, print_summary, run_load

from govkg.load_demo import load_demo
from govkg.store.oxigraph import OxigraphStore

DURATION = float(os.environ.get("GOVKG_LOAD_SMOKE_SECONDS", "10"))
CLIENTS = 4


def datasets_in(store: OxigraphStore, prefix: str) -> int:
    """Distinct datasets whose IRI starts with ``prefix``."""
    with store.snapshot() as snap:
        rows = snap.select("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { "
                           f"?d a <http://www.w3.org/ns/dcat#Dataset> FILTER(STRSTARTS(STR(?d), '{prefix}')) }} }}")
    return int(rows[0]["n"].value)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, OxigraphStore, Targets]]:
    tmp = tmp_path_factory.mktemp("load")
    store = OxigraphStore(tmp / "store")
    load_demo(store, datasets=150, seed=7)
    with govkg_serve(store.path, tmp / "serve.log") as base:
        yield base, store, Targets.discover(base)


def check(result_summary: dict[str, object]) -> None:
    assert result_summary["errors"] == 0, result_summary["first_errors"]
    kinds = result_summary["kinds"]
    assert all(kinds[k]["requests"] > 0 for k in KINDS), kinds  # type: ignore[index]


def test_load_smoke(served: tuple[str, OxigraphStore, Targets]) -> None:
    base, store, targets = served
    demo = datasets_in(store, "https://w3id.org/govkg/id/dataset/")
    result = run_load(base, clients=CLIENTS, duration=DURATION, targets=targets, seed=3)
    summary = result.summary()
    print_summary(summary, f"load smoke: {CLIENTS} clients, {DURATION:g} s")
    check(summary)
    assert result.requests >= 20  # the server answered steadily, not once in a while
    assert datasets_in(store, "https://w3id.org/govkg/id/dataset/") == demo


def test_load_smoke_with_a_harvest_running(served: tuple[str, OxigraphStore, Targets]) -> None:
    base, store, targets = served
    demo = datasets_in(store, "https://w3id.org/govkg/id/dataset/")
    catalogue = PagedCatalogue(pages=5, per_page=20)
    result = run_load(base, clients=CLIENTS, duration=DURATION, targets=targets, seed=4,
                      harvest_store=Path(store.path), catalogue=catalogue)
    summary = result.summary()
    print_summary(summary, f"load smoke with harvests: {CLIENTS} clients, {DURATION:g} s")
    check(summary)
    assert result.harvests and all(rc == 0 for rc in result.harvests), result.harvest_log
    assert datasets_in(store, "https://w3id.org/govkg/id/dataset/") == demo  # no data lost
    assert datasets_in(store, "https://loopback.example.org/") == 100  # every harvested dataset arrived
