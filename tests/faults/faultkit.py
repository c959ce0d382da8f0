"""Helpers of the fault tests: processes we start and kill, store fingerprints, big files.

Every process is started in its own session (its own process group), so a kill reaches
the whole group (gunicorn workers, query workers) and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests
from processkit import free_port, kill, start, stop  # noqa: F401 - the fault tests' process helpers

from govkg.store.oxigraph import STATE_FILE, OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
GOVKG = str(VENV_BIN / "govkg")
PAIRS = "https://example.org/faults/pairs"  # the graph whose triples come in pairs
PAIR_P = ("https://example.org/faults/left", "https://example.org/faults/right")

sys.path.insert(0, str(ROOT / "bench"))


def wait_until(condition: Callable[[], bool], seconds: float, what: str, proc: subprocess.Popen[bytes] | None = None,
               log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"process ended ({proc.returncode}) before {what}:\n{_tail(log)}")
        time.sleep(0.005)
    raise AssertionError(f"timed out waiting for {what}:\n{_tail(log)}")


def wait_for_http(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float = 60.0) -> None:
    def answers() -> bool:
        try:
            requests.get(url, timeout=(1, 20))
            return True
        except requests.RequestException:
            return False

    wait_until(answers, seconds, f"{url} to answer", proc, log)


def _tail(log: Path | None) -> str:
    return log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""


# -- the store's state ------------------------------------------------------------------------------
def current_name(store_dir: Path) -> str:
    return str(json.loads((store_dir / STATE_FILE).read_text("utf-8"))["current"])


def generations(store_dir: Path) -> list[str]:
    return sorted(p.name for p in (store_dir / "generations").iterdir() if p.name.startswith("gen-"))


def next_generation(store_dir: Path) -> Path:
    number = int(current_name(store_dir).removeprefix("gen-")) + 1
    return store_dir / "generations" / f"gen-{number:06d}"


def checksum(store_dir: Path) -> tuple[str, int]:
    """SHA-256 of the sorted N-Quads of everything in the store (internal graphs included), and the count.

    Opened as a fresh process would open it: no repair, no write."""
    store = OxigraphStore(store_dir, create=False)
    with store.snapshot() as snap:
        lines = sorted(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in snap.quads())
    digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
    return digest, len(lines)


def count_in(store_dir: Path, graph: str) -> int:
    store = OxigraphStore(store_dir, create=False)
    with store.snapshot() as snap:
        rows = snap.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"].value)  # type: ignore[union-attr]


def write_pairs_file(path: Path, pairs: int, tag: str) -> Path:
    """N-Triples: ``pairs`` subjects, each with exactly the two predicates of PAIR_P."""
    with open(path, "w", encoding="utf-8") as f:
        for i in range(pairs):
            s = f"<https://example.org/faults/{tag}/{i}>"
            f.write(f'{s} <{PAIR_P[0]}> "left {i} of {tag}" .\n{s} <{PAIR_P[1]}> "{i}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    return path
