"""govkg demo: the generated graph and the ontology land in the store in one transaction."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from govkg.load_demo import DEMO_GRAPH, load_demo
from govkg.store.oxigraph import OxigraphStore
from govkg.vocab import ONTOLOGY_GRAPH


def test_demo_loads_with_ontology_and_provenance(store: OxigraphStore) -> None:
    result = load_demo(store, datasets=120, seed=7)
    with store.snapshot() as snap:
        graphs = {g.value for g in snap.public_graphs()}
        assert {DEMO_GRAPH.value, str(ONTOLOGY_GRAPH)} <= graphs
        (row,) = snap.select("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }")
        assert int(row["n"].value) >= 120  # type: ignore[attr-defined]
        (row,) = snap.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DEMO_GRAPH.value}> {{ ?s ?p ?o }} }}")
        assert int(row["n"].value) == result.manifest.triples  # type: ignore[attr-defined]
        # byte sizes come back with the datatype DCAT-AP requires
        triples = list(snap.triples("CONSTRUCT WHERE { ?d <http://www.w3.org/ns/dcat#byteSize> ?b } LIMIT 5"))
        assert triples and all(t.object.datatype.value.endswith("#nonNegativeInteger") for t in triples)  # type: ignore[union-attr]
    # a second demo replaces the first instead of adding to it
    load_demo(store, datasets=60, seed=7)
    with store.snapshot() as snap:
        (row,) = snap.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DEMO_GRAPH.value}> {{ ?s ?p ?o }} }}")
        assert int(row["n"].value) < result.manifest.triples  # type: ignore[attr-defined]


def test_govkg_demo_command(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "govkg", "--store", str(tmp_path / "s"), "demo", "--datasets", "50"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "50 datasets" in r.stderr
