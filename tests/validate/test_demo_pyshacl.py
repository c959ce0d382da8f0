"""On a small demo graph, pyshacl (the reference) and the compiled engine agree exactly.

pyshacl validates the whole graph (demo data, ontology and the derived deadlines) in
memory; the compiled checks run on the store.  Both must report the same results: same
focus node, source shape, constraint component, value and severity.  pyshacl's time
grows quickly with the graph (the fixed part of the demo alone is 27k triples), so the
demo is small.
"""

from __future__ import annotations

from collections.abc import Callable

from validatekit import AS_OF, Demo

from govkg.validate.engine import run_compiled, run_pyshacl
from govkg.validate.run import ShapesBundle, validate_store

DATASETS = 80


def test_pyshacl_and_compiled_engine_agree_on_the_demo(fresh_demo: Callable[[int], Demo], shapes: ShapesBundle) -> None:
    demo = fresh_demo(DATASETS)
    validate_store(demo.store, shapes=shapes, as_of=AS_OF, store_report=False, workers=1)  # derives the deadlines
    with demo.store.snapshot() as snap:
        compiled = {(*f.key(), f.severity) for f in run_compiled(snap, shapes.checks)}
        data = snap.rdflib_graph()  # demo + ontology + derived graph
    reference = {(*f.key(), f.severity) for f in run_pyshacl(data, shapes.graph)}
    missed, extra = reference - compiled, compiled - reference
    assert not missed and not extra, f"pyshacl only: {sorted(map(str, missed))}\ncompiled only: {sorted(map(str, extra))}"
    # the demo is not trivially clean: both report its planted violations
    assert len({focus for focus, *_ in reference}) == len({focus for _, focus in demo.planted}) > 10
