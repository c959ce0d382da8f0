"""Helpers shared by the SPARQL endpoint tests (stores, ports, server processes)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import requests
from processkit import free_port, stop  # noqa: F401 - re-exported for the SPARQL tests
from processkit import start as start_server  # noqa: F401

from govkg.store.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
KASEI = "http://kasei.us/2009/09/sparql/data/"
TOKEN = "s3cret-test-token"



def kasei_quads(w3c: Path) -> list[ox.Quad]:
    """data1-3.nt under the graph names the protocol tests use (data1.rdf ... data3.rdf)."""
    quads: list[ox.Quad] = []
    for i in (1, 2, 3):
        g = ox.NamedNode(f"{KASEI}data{i}.rdf")
        for q in ox.parse(path=str(w3c / "protocol" / f"data{i}.nt"), format=ox.RdfFormat.N_TRIPLES):
            quads.append(ox.Quad(q.subject, q.predicate, q.object, g))
    return quads


def reset_store(store: OxigraphStore, quads: list[ox.Quad]) -> None:
    """Replace everything in the store by ``quads`` (one new generation)."""
    with store.transaction() as tx:
        db = tx.oxigraph
        db.clear()
        tx.add(quads)


def wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            requests.get(url, timeout=(1, 20))
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s:\n{log.read_text(errors='replace')[-3000:]}")


