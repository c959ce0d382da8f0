"""On the demo graph, validation finds exactly the rule violations the generator planted.

The generator files every violation it writes as planted (in the rule's jurisdiction) or
as a decoy (outside it); ``tests/test_demo.py`` checks that list against the graph with
its own SPARQL.  Here the shapes, compiled, must report exactly the planted (rule, focus)
pairs: nothing missed, no decoy, no false alarm.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Callable

from validatekit import AS_OF, Demo, differences, rule_focus_pairs

from govkg.validate.run import ShapesBundle, validate_store
from govkg.vocab import SH

DATASETS = 1000


def test_validation_finds_exactly_the_planted_violations(demo_of: Callable[[int], Demo], shapes: ShapesBundle) -> None:
    demo = demo_of(DATASETS)
    report = validate_store(demo.store, shapes=shapes, as_of=AS_OF, store_report=False, workers=1)
    found = rule_focus_pairs(report, shapes)
    assert found == demo.planted, differences(found, demo.planted)
    # every rule the generator plants at this size is exercised
    assert {rule for rule, _ in found} == {rule for rule, _ in demo.planted}
    assert len({rule for rule, _ in demo.planted}) >= 30


def test_parallel_workers_find_the_same(demo_of: Callable[[int], Demo], shapes: ShapesBundle) -> None:
    demo = demo_of(DATASETS)
    one = validate_store(demo.store, shapes=shapes, as_of=AS_OF, store_report=False, workers=1)
    two = validate_store(demo.store, shapes=shapes, as_of=AS_OF, store_report=False, workers=2)
    # the same findings, check by check (rows within one query come in no fixed order)
    assert Counter(r.finding for r in two.results) == Counter(r.finding for r in one.results)
    assert len(two.results) == len(one.results) > 0


def test_cli_json_lists_the_planted_violations(demo_of: Callable[[int], Demo]) -> None:
    demo = demo_of(DATASETS)
    proc = subprocess.run(
        [sys.executable, "-m", "govkg", "--store", str(demo.path), "-q", "validate", "--format", "json",
         "--as-of", AS_OF.isoformat(), "--no-store"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1, proc.stderr  # violations found
    out = json.loads(proc.stdout)
    assert out["conforms"] is False
    found = {(r["rule"], r["focusNode"]) for r in out["results"]}
    assert found == demo.planted, differences(found, demo.planted)
    # the summary counts the same results
    assert sum(out["summary"]["severity"].values()) == len(out["results"])
    violations = sum(1 for r in out["results"] if r["severity"] == str(SH.Violation))
    assert out["summary"]["severity"].get("Violation", 0) == violations > 0
    for r in out["results"]:
        assert r["article"] and r["message"].get("en") and r["message"].get("zh"), r


def test_each_result_is_placed_under_its_own_agency_and_jurisdiction(
    demo_of: Callable[[int], Demo], shapes: ShapesBundle
) -> None:
    """A result names the agency its focus node belongs to (a distribution: its dataset's
    publisher) and that agency's jurisdiction; a jurisdiction is placed under itself."""
    demo = demo_of(DATASETS)
    report = validate_store(demo.store, shapes=shapes, as_of=AS_OF, store_report=False, workers=1)
    with demo.store.snapshot() as snap:
        publisher_of_holder = {
            row["f"].value: row["a"].value
            for row in snap.select(
                "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> "
                "SELECT ?f ?a WHERE { ?d dcat:distribution ?f ; dct:publisher ?a }"
            )
        }
        jurisdiction_of = {
            row["a"].value: row["j"].value
            for row in snap.select("SELECT ?a ?j WHERE { ?a <https://w3id.org/govkg/def#jurisdiction> ?j }")
        }
        jurisdictions = {
            row["j"].value for row in snap.select("SELECT ?j WHERE { ?j a <https://w3id.org/govkg/def#Jurisdiction> }")
        }
    kinds = Counter()
    for r in report.results:
        focus = str(r.finding.focus)
        if focus in publisher_of_holder:
            assert str(r.agency) == publisher_of_holder[focus], r
            kinds["distribution"] += 1
        if focus in jurisdictions:
            assert r.agency is None and str(r.jurisdiction) == focus, r
            kinds["jurisdiction"] += 1
        if r.agency is not None:
            assert str(r.jurisdiction) == jurisdiction_of[str(r.agency)], r
        assert r.top is not None, r  # every result falls under one of the four regulations
    assert kinds["distribution"] > 0 and kinds["jurisdiction"] > 0, kinds
