"""Readers during a large load see the old state or the new one, never half of it.

The graph under load holds triples in pairs (every subject has a left and a right
triple).  While ``govkg load`` replaces 100 pairs by 40,000, two readers observe it over
and over: one through the library (a snapshot per observation, as the CLI and the site
read) and one over HTTP through ``govkg serve`` (its query worker processes).  Every
observation must be exactly the old or the new state, and each reader must see both.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import requests
from bench_load import govkg_serve
from faultkit import GOVKG, PAIR_P, PAIRS, write_pairs_file

from govkg.store.oxigraph import OxigraphStore
from loaders.rdf_files import load_files

OLD, NEW = 100, 40_000
OBSERVE = (f"SELECT (COUNT(?l) AS ?left) (COUNT(?r) AS ?right) WHERE {{ GRAPH <{PAIRS}> {{ "
           f"{{ ?s <{PAIR_P[0]}> ?l }} UNION {{ ?s <{PAIR_P[1]}> ?r }} }} }}")


def observe_library(store: OxigraphStore) -> tuple[int, int]:
    with store.snapshot() as snap:
        row = snap.select(OBSERVE)[0]
    return int(row["left"].value), int(row["right"].value)  # type: ignore[union-attr]


def observe_http(base: str, http: requests.Session) -> tuple[int, int]:
    resp = http.get(base + "/sparql", params={"query": OBSERVE}, headers={"Accept": "application/sparql-results+json"},
                    timeout=60)
    assert resp.status_code == 200, resp.text
    row = resp.json()["results"]["bindings"][0]
    return int(row["left"]["value"]), int(row["right"]["value"])


def watch(observe: Callable[[], tuple[int, int]], seen: Counter[tuple[int, int]], stop: threading.Event,
          errors: list[BaseException]) -> None:
    try:
        while not stop.is_set():
            seen[observe()] += 1
    except BaseException as e:  # noqa: BLE001 - reported by the test
        errors.append(e)


def test_readers_see_the_old_or_the_new_state_never_half(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    assert not load_files(store, [write_pairs_file(tmp_path / "old.nt", OLD, "old")], graph=PAIRS).errors
    big = write_pairs_file(tmp_path / "new.nt", NEW, "new")
    http = requests.Session()
    with govkg_serve(store.path, tmp_path / "serve.log", workers=1, threads=2) as base:
        library_seen: Counter[tuple[int, int]] = Counter()
        http_seen: Counter[tuple[int, int]] = Counter()
        errors: list[BaseException] = []
        stop = threading.Event()
        readers = [threading.Thread(target=watch, args=(lambda: observe_library(store), library_seen, stop, errors)),
                   threading.Thread(target=watch, args=(lambda: observe_http(base, http), http_seen, stop, errors))]
        for r in readers:
            r.start()
        load = subprocess.run([GOVKG, "--store", str(store.path), "-q", "load", "--graph", PAIRS, str(big)],
                              capture_output=True, text=True, check=False)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not ((NEW, NEW) in http_seen and (NEW, NEW) in library_seen):
            time.sleep(0.1)
        stop.set()
        for r in readers:
            r.join(60)
    http.close()
    print(f"observations: library {dict(library_seen)}, http {dict(http_seen)}")  # the figures of SECURITY.md
    assert load.returncode == 0, load.stderr
    assert not errors, errors
    for seen in (library_seen, http_seen):
        assert set(seen) == {(OLD, OLD), (NEW, NEW)}, seen  # both states, nothing in between
        assert seen[(OLD, OLD)] >= 3  # observed repeatedly while the load ran
