"""Re-validating changed records: only their neighbourhood is checked, the rest carried over.

A focus run must leave the store with the same findings a full run would give, while
evaluating far fewer (check, focus node) pairs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pyoxigraph as ox
from rdflib import URIRef
from validatekit import AS_OF, Demo, differences

from govkg.load_demo import DEMO_GRAPH
from govkg.store.oxigraph import OxigraphStore
from govkg.validate.engine import EngineStats
from govkg.validate.run import ShapesBundle, latest_run, neighbourhood, previous_results, validate_store

GDS = "https://w3id.org/govkg/def#"
ST = "https://w3id.org/govkg/authority/sharing-type/"
PREFIXES = f"""PREFIX gds: <{GDS}> PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX st: <{ST}>"""


def stored_pairs(store: OxigraphStore, shapes: ShapesBundle) -> set[tuple[str, str]]:
    """(rule, focus) of every result in the latest stored run."""
    with store.snapshot() as snap:
        run = latest_run(snap)
        assert run is not None
        return {(r.rule or "?", str(r.finding.focus)) for r in previous_results(snap, run, set(), shapes)}


def one(store: OxigraphStore, query: str) -> str:
    with store.snapshot() as snap:
        rows = snap.select(PREFIXES + query)
    assert rows, query
    return rows[0]["x"].value  # type: ignore[attr-defined, no-any-return]


def update(store: OxigraphStore, sparql: str) -> None:
    with store.transaction() as tx:
        tx.update(PREFIXES + sparql.replace("#G#", f"<{DEMO_GRAPH.value}>"))


def test_focus_run_checks_the_neighbourhood_and_carries_the_rest(
    fresh_demo: Callable[[int], Demo], shapes: ShapesBundle
) -> None:
    demo = fresh_demo(300)
    store = demo.store
    full_stats = EngineStats()
    validate_store(store, shapes=shapes, as_of=AS_OF, workers=1, stats=full_stats, count_focus=True)
    assert stored_pairs(store, shapes) == demo.planted

    # fix a planted defect: give an ungraded Zhejiang entry the grade of a graded one
    ungraded = sorted(f for r, f in demo.planted if r == "R33-ZJ")[0]
    update(store, f"INSERT {{ GRAPH #G# {{ <{ungraded}> gds:securityGrade ?g }} }} WHERE {{ "
                  f"SELECT ?g WHERE {{ GRAPH #G# {{ ?d gds:securityGrade ?g }} }} LIMIT 1 }}")
    # plant a new one, felt one link away: an item of a clean, unconditionally shared
    # entry becomes not shared, which the entry (not the item) breaks (R31)
    planted_focus = {f for _, f in demo.planted}
    with store.snapshot() as snap:
        unconditional = snap.select(PREFIXES + "SELECT ?x WHERE { ?x a dcat:Dataset ; gds:sharingType "
                                    "st:UNCONDITIONAL ; gds:hasDataItem ?i } ORDER BY ?x")
    entry = next(e for e in (r["x"].value for r in unconditional) if e not in planted_focus)  # type: ignore[attr-defined]
    item = one(store, f"SELECT ?x WHERE {{ <{entry}> gds:hasDataItem ?x }} ORDER BY ?x LIMIT 1")
    update(store, f"DELETE {{ GRAPH #G# {{ <{item}> gds:sharingType ?t }} }} INSERT {{ GRAPH #G# {{ <{item}> "
                  f"gds:sharingType st:NOT_SHARED }} }} WHERE {{ GRAPH #G# {{ <{item}> gds:sharingType ?t }} }}")
    expected = (demo.planted - {("R33-ZJ", ungraded)}) | {("R31", entry)}

    changed = [URIRef(ungraded), URIRef(item)]
    with store.snapshot() as snap:
        scope = neighbourhood(snap, changed)
    assert URIRef(entry) in scope  # the item's entry is re-checked, through one link
    focus_stats = EngineStats()
    focus_report = validate_store(store, shapes=shapes, as_of=AS_OF, focus=changed, workers=1, stats=focus_stats,
                                  count_focus=True)
    assert focus_report.revalidated == scope
    assert focus_report.carried > 0
    after_focus = stored_pairs(store, shapes)
    assert after_focus == {(r.rule, str(r.finding.focus)) for r in focus_report.results}

    full_after = validate_store(store, shapes=shapes, as_of=AS_OF, workers=1, store_report=False)
    full_pairs = {(r.rule or "?", str(r.finding.focus)) for r in full_after.results}
    assert full_pairs == expected, differences(full_pairs, expected)
    assert after_focus == full_pairs, differences(after_focus, full_pairs)
    # the same findings in full detail, not only the same (rule, focus) pairs
    assert sorted(str(r.finding.key()) for r in focus_report.results) == sorted(
        str(r.finding.key()) for r in full_after.results)

    # measurably less work: (check, focus node) pairs evaluated
    assert full_stats.focus_nodes is not None and focus_stats.focus_nodes is not None
    assert 0 < focus_stats.focus_nodes * 10 < full_stats.focus_nodes, (focus_stats.focus_nodes, full_stats.focus_nodes)

    # and through the command line: undo the item change, re-validate that item only
    update(store, f"DELETE {{ GRAPH #G# {{ <{item}> gds:sharingType st:NOT_SHARED }} }} INSERT {{ GRAPH #G# {{ "
                  f"<{item}> gds:sharingType st:UNCONDITIONAL }} }} WHERE {{}}")
    proc = subprocess.run(
        [sys.executable, "-m", "govkg", "--store", str(demo.path), "-q", "validate", "--format", "json",
         "--as-of", AS_OF.isoformat(), "--focus", item],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    cli_pairs = {(r["rule"], r["focusNode"]) for r in json.loads(proc.stdout)["results"]}
    expected = demo.planted - {("R33-ZJ", ungraded)}
    assert cli_pairs == expected, differences(cli_pairs, expected)
    assert stored_pairs(store, shapes) == expected


def test_neighbourhood_does_not_walk_through_hubs(fresh_demo: Callable[[int], Demo]) -> None:
    store = fresh_demo(120).store
    with store.snapshot() as snap:
        rows = snap.select(PREFIXES + "SELECT ?d ?a WHERE { ?d a dcat:Dataset ; dct:publisher ?a } ORDER BY ?d LIMIT 1")
        dataset, agency = rows[0]["d"].value, rows[0]["a"].value  # type: ignore[attr-defined]
        scope = {str(n) for n in neighbourhood(snap, [URIRef(dataset)], hub_degree=5)}
        wide = {str(n) for n in neighbourhood(snap, [URIRef(dataset)], hub_degree=10**9)}
        n_datasets = len(snap.select(PREFIXES + "SELECT ?d WHERE { ?d a dcat:Dataset }"))
        ox_dataset = ox.NamedNode(dataset)
        links = sum(1 for _ in snap.quads(ox_dataset, None, None, None)) + sum(
            1 for _ in snap.quads(None, None, ox_dataset, None))
    assert dataset in scope and agency in scope  # the publisher is a neighbour ...
    assert links > 5  # ... even though the changed dataset itself has more links than the cap
    assert len(scope) < len(wide)  # but hubs (its agency, code lists) are not walked through
    assert sum(1 for n in wide if "/dataset/" in n) > sum(1 for n in scope if "/dataset/" in n)
    assert n_datasets > 100
