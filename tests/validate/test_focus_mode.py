"""The checks rewritten for focus nodes (govkg/validate/focus_mode.py) find what the
whole-graph checks find, for the nodes they are given; the rewriting itself, piece by piece."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from validatekit import AS_OF, Demo

from govkg.validate import focus_mode
from govkg.validate.data_view import DataView
from govkg.validate.engine import EngineStats, run_compiled
from govkg.validate.run import ShapesBundle, validate_store

sys.path.insert(0, str(Path(__file__).parent.parent / "shapes"))
from casekit import full_and_focused  # noqa: E402


def test_focus_mode_over_every_node_of_the_demo_finds_the_whole_run(
    demo_of: Callable[[int], Demo], shapes: ShapesBundle
) -> None:
    demo = demo_of(1000)  # the demo every rule's violations are planted in
    validate_store(demo.store, shapes=shapes, as_of=AS_OF, store_report=False, workers=1)  # derived graph
    full, focused = full_and_focused(demo.store, shapes, chunk=10_000)
    assert len(full) > 150
    assert focused == full, f"focus mode only: {sorted(focused - full)[:5]}; full run only: {sorted(full - focused)[:5]}"


def test_a_focus_run_evaluates_only_the_focus_nodes_in_each_target(
    demo_of: Callable[[int], Demo], shapes: ShapesBundle
) -> None:
    demo = demo_of(150)
    with demo.store.snapshot() as snap:
        data = DataView(snap)
        dataset = snap.select("SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 1")[0]["d"]
        stats = EngineStats()
        run_compiled(data, shapes.checks, focus=[URIRef(dataset.value)], stats=stats, count_focus=True)  # type: ignore[attr-defined]
        # one dataset is in the target of the dataset checks of its own jurisdiction only
        assert 0 < stats.focus_nodes < len(shapes.checks)  # type: ignore[operator]
        skipped = [t for t in stats.timings if t.seconds == 0.0]
        assert skipped  # checks of other targets were not run at all


def test_a_subselect_is_inlined_with_its_hidden_variables_renamed() -> None:
    text = "SELECT ?this WHERE { { SELECT ?this WHERE { ?this <urn:p> ?x . ?x <urn:q> ?y } } ?y <urn:r> ?this }"
    out = focus_mode.inline_subselects(text)
    assert "SELECT ?this WHERE" in out and out.count("SELECT") == 1
    assert "?x" not in out.replace("?_in", "") and "?y <urn:r> ?this" in out  # the outer ?y is another variable
    assert ox.Store().query(out) is not None  # still SPARQL


def test_aggregates_and_union_operands_keep_their_form() -> None:
    agg = "SELECT ?this WHERE { { SELECT ?this WHERE { ?this <urn:p> ?v } GROUP BY ?this HAVING (COUNT(?v) > 1) } }"
    assert focus_mode.inline_subselects(agg) == agg
    union = "SELECT ?v WHERE { { SELECT ?v WHERE { ?v <urn:p> 1 } } UNION { SELECT ?v WHERE { ?v <urn:q> 2 } } }"
    out = focus_mode.inline_subselects(union)
    assert "SELECT" not in out.split("WHERE", 1)[1] and "} UNION {" in out.replace("  ", " ")
    assert list(ox.Store().query(out)) == []


def test_comments_go_but_iris_with_hashes_stay() -> None:
    text = 'SELECT * WHERE { ?s a <http://www.w3.org/ns/shacl#Shape> . # a comment\n ?s <urn:p> "#not" }'
    assert focus_mode.without_comments(text) == 'SELECT * WHERE { ?s a <http://www.w3.org/ns/shacl#Shape> . \n ?s <urn:p> "#not" }'


def test_minus_of_values_becomes_not_exists_and_groups_start_from_the_focus_nodes() -> None:
    query = "SELECT ?this ?value WHERE { ?this <urn:p> ?value MINUS { ?value a <urn:C> } MINUS { ?this <urn:q> ?z } }"
    values = "VALUES ?this { <urn:a> }"
    out = focus_mode.for_focus(query, values)
    assert "FILTER NOT EXISTS { ?value a <urn:C> }" in out
    assert f"MINUS {{ {values}" in out
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.NamedNode("urn:v"), ox.DefaultGraph()))
    assert [s["this"].value for s in store.query(out)] == ["urn:a"]  # type: ignore[union-attr]


def test_a_hidden_this_in_an_aggregate_leaves_the_query_as_it_is() -> None:
    query = "SELECT ?this WHERE { ?this <urn:p> ?o { SELECT (COUNT(?this) AS ?n) WHERE { ?this <urn:q> ?x } } }"
    assert focus_mode.restrict_groups(query, "VALUES ?this { <urn:a> }") == query
