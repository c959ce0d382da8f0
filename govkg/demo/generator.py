"""Entry point of the demo generator."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TextIO

from govkg import vocab

from .datasets import Stream
from .manifest import Manifest
from .world import World
from .writer import Writer

DEFAULT_GRAPH = str(vocab.graph_iri("source", "demo"))


def generate(
    out: TextIO,
    *,
    datasets: int = 2000,
    seed: int = 42,
    graph: str = DEFAULT_GRAPH,
    progress: Callable[[int], None] | None = None,
) -> Manifest:
    """Write the demo graph to ``out`` as N-Quads and return its manifest.

    All quads are in ``graph`` except the literal-form entries of ``dcat:byteSize``
    (see :mod:`govkg.store.literals`).  ``datasets`` streamed datasets are written, plus
    two fixed ones per jurisdiction (the enterprise and population registers that repeated
    collection is measured against).  ``progress(n)`` is called after every 1000 streamed
    datasets.  The same ``seed`` and ``datasets`` give byte-identical output.
    """
    if datasets < 0:
        raise ValueError("datasets must be >= 0")
    manifest = Manifest(seed=seed, graph=graph)
    w = Writer(out, graph, manifest)
    world = World(w, random.Random(f"world:{seed}"), datasets)
    world.build()
    world.write()
    stream = Stream(w, world, random.Random(f"data:{seed}"), random.Random(f"schedule:{seed}"), datasets)
    stream.run(progress)
    w.close()
    return manifest
