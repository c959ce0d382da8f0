"""``govkg demo``: generate the demo graph and load it with the ontology.

The generator writes N-Quads to a temporary file, which the store bulk-loads at raw
Oxigraph speed (the generator emits its own literal-form entries, see
govkg.store.literals), inside one transaction with the ontology: all or nothing.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from govkg.demo import Manifest, generate
from govkg.packaged import ontology_quads
from govkg.store.base import Store
from govkg.vocab import ONTOLOGY_GRAPH, graph_iri

DEMO_GRAPH = ox.NamedNode(str(graph_iri("source", "demo")))


@dataclass
class DemoResult:
    manifest: Manifest
    datasets: int
    quads: int
    generate_seconds: float
    load_seconds: float
    nquads_path: Path | None


def load_demo(
    store: Store,
    *,
    datasets: int = 2000,
    seed: int = 42,
    keep: Path | None = None,
    progress: Callable[[int], None] | None = None,
    workdir: Path | None = None,
) -> DemoResult:
    from loaders.sources import record_load

    tmpdir = Path(tempfile.mkdtemp(prefix="govkg-demo-", dir=workdir))
    try:
        path = tmpdir / "demo.nq"
        t0 = time.perf_counter()
        with open(path, "w", encoding="utf-8", buffering=1 << 20) as f:
            manifest = generate(
                f,
                datasets=datasets,
                seed=seed,
                graph=DEMO_GRAPH.value,
                progress=(lambda n: progress(n)) if progress else None,
            )
        t1 = time.perf_counter()
        with store.transaction() as tx:
            tx.drop_graph(DEMO_GRAPH)
            tx.drop_graph(ox.NamedNode(str(ONTOLOGY_GRAPH)))
            tx.bulk_load_trusted(path, ox.RdfFormat.N_QUADS)
            tx.add(ontology_quads())
            record_load(
                tx,
                graph=DEMO_GRAPH,
                source=f"urn:govkg:demo?datasets={datasets}&seed={seed}",
                triples=manifest.triples,
                kind="Load",
            )
        t2 = time.perf_counter()
        quads = manifest.quads
        kept = None
        if keep is not None:
            shutil.move(str(path), keep)
            kept = keep
        return DemoResult(manifest, datasets, quads, t1 - t0, t2 - t1, kept)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
