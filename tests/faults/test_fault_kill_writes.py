"""SIGKILL a ``govkg load`` or ``govkg harvest`` midway: the store is as it was before, opens
without repair, cleans up what the dead writer left, and takes the next write.

"Midway" is proven, not hoped for: the kill is sent once the writer's new generation exists
(its transaction has begun), and the state file is read after the kill to confirm that the
new generation was never published.  The random-moment kills may land anywhere (parsing,
writing, publishing, after publishing): each must leave the old state or the whole new one.
"""

from __future__ import annotations

import os
import random
import subprocess
import time
from pathlib import Path

import pytest
from bench_load import PagedCatalogue, serve_wsgi
from faultkit import (
    GOVKG,
    PAIRS,
    checksum,
    count_in,
    current_name,
    generations,
    kill,
    next_generation,
    start,
    wait_until,
    write_pairs_file,
)

from govkg.store.oxigraph import OxigraphStore
from loaders.rdf_files import load_files

SMALL_PAIRS = 100
BIG_PAIRS = 40_000  # 80,000 triples: a transaction of a few seconds on a shared 2-core machine
SEED = int(os.environ.get("GOVKG_FAULT_SEED", "20261123"))  # the random kill moments; printed on failure


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("fault-files")
    return {"small": write_pairs_file(d / "small.nt", SMALL_PAIRS, "small"),
            "big": write_pairs_file(d / "big.nt", BIG_PAIRS, "big")}


def small_store(path: Path, files: dict[str, Path]) -> Path:
    store = OxigraphStore(path)
    assert not load_files(store, [files["small"]], graph=PAIRS).errors
    return store.path


def load_cmd(store: Path, file: Path) -> list[str]:
    return [GOVKG, "--store", str(store), "load", "--graph", PAIRS, str(file)]


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def assert_sound_after_kill(store: Path, before: tuple[str, int], old_gen: str) -> bool:
    """The store opens as a new process would, and holds either the old state or the complete new one.

    Returns whether the load got published before the kill."""
    published = current_name(store) != old_gen
    if published:
        assert count_in(store, PAIRS) == 2 * BIG_PAIRS
    else:
        assert checksum(store) == before
    pairs = count_in(store, PAIRS)
    assert pairs % 2 == 0 and pairs in (2 * SMALL_PAIRS, 2 * BIG_PAIRS)
    assert generations(store) == [current_name(store)]  # opening removed what the dead writer left
    return published


def test_load_killed_inside_its_transaction_leaves_the_store_as_it_was(tmp_path: Path,
                                                                       files: dict[str, Path]) -> None:
    store = small_store(tmp_path / "store", files)
    assert count_in(store, PAIRS) == 2 * SMALL_PAIRS
    before = checksum(store)
    old_gen = current_name(store)
    points = {
        "as soon as the new generation exists": lambda new, old: new.exists(),
        "while the new generation is being written": lambda new, old: dir_bytes(new) > dir_bytes(old) + 256 * 1024,
    }
    for what, reached in points.items():
        new, old = next_generation(store), store / "generations" / old_gen
        log = tmp_path / "load.log"
        proc = start(load_cmd(store, files["big"]), log)
        wait_until(lambda: reached(new, old), 120, what, proc, log)  # noqa: B023
        kill(proc)
        assert proc.returncode == -9
        assert current_name(store) == old_gen, f"the load was published before the kill ({what}): not midway"
        assert new.exists()  # the dead writer's half-written generation ...
        assert checksum(store) == before  # ... is invisible: a fresh open sees exactly the old store
        assert generations(store) == [old_gen]  # and that open removed it
    done = subprocess.run(load_cmd(store, files["big"]), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert count_in(store, PAIRS) == 2 * BIG_PAIRS
    assert generations(store) == [current_name(store)] and current_name(store) != old_gen


def test_load_killed_at_random_moments_is_all_or_nothing(tmp_path: Path, files: dict[str, Path]) -> None:
    store = small_store(tmp_path / "store", files)
    started = time.monotonic()
    done = subprocess.run(load_cmd(store, files["big"]), capture_output=True, text=True, check=False)
    full = time.monotonic() - started  # how long an uninterrupted load takes here, now
    assert done.returncode == 0, done.stderr
    store = small_store(tmp_path / "store2", files)
    rng = random.Random(SEED)
    outcomes = []
    for _ in range(4):
        before, old_gen = checksum(store), current_name(store)
        delay = rng.uniform(0.05, full * 1.1)
        proc = start(load_cmd(store, files["big"]), tmp_path / "load.log")
        time.sleep(delay)
        kill(proc)
        published = assert_sound_after_kill(store, before, old_gen)
        outcomes.append((round(delay, 2), proc.returncode, published))
        if published:  # start the next round from the small state again
            store = small_store(tmp_path / f"store-{len(outcomes)}", files)
    assert any(not published for *_, published in outcomes), (SEED, outcomes)
    done = subprocess.run(load_cmd(store, files["big"]), capture_output=True, text=True, check=False)
    assert done.returncode == 0 and count_in(store, PAIRS) == 2 * BIG_PAIRS, done.stderr


def test_harvest_killed_midway_leaves_the_store_as_it_was(tmp_path: Path, files: dict[str, Path]) -> None:
    store = small_store(tmp_path / "store", files)
    catalogue = PagedCatalogue(pages=12, per_page=25, delay=0.25)
    with serve_wsgi(catalogue) as base:
        source = base + "/catalog"
        rng = random.Random(SEED)
        for pages_read in (1, rng.randint(2, 6), rng.randint(7, 9)):  # of 12: the last kill has 3 pages to spare
            before, old_gen = checksum(store), current_name(store)
            log = tmp_path / "harvest.log"
            proc = start([GOVKG, "--store", str(store), "harvest", source, "--kind", "hydra"], log)
            wait_until(lambda: log.read_text(errors="replace").count(" datasets\n") >= pages_read,  # noqa: B023
                       120, f"{pages_read} harvested pages", proc, log)
            assert next_generation(store).exists()  # the harvest's transaction is open
            kill(proc)
            assert current_name(store) == old_gen, "the harvest was published before the kill: not midway"
            assert checksum(store) == before
            assert generations(store) == [old_gen]
        catalogue.delay = 0.0
        done = subprocess.run([GOVKG, "--store", str(store), "harvest", source, "--kind", "hydra"],
                              capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "300 added" in done.stdout
    assert generations(store) == [current_name(store)]
    with OxigraphStore(store, create=False).snapshot() as snap:
        n = snap.select("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d a <http://www.w3.org/ns/dcat#Dataset> "
                        "FILTER(STRSTARTS(STR(?d), 'https://loopback.example.org/')) } }")
    assert int(n[0]["n"].value) == 300  # type: ignore[union-attr]
    assert count_in(store, PAIRS) == 2 * SMALL_PAIRS  # untouched by the harvests
