"""Validation reads the data, not the reports of earlier runs stored beside it."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
import pytest
from validatekit import AS_OF, Demo, differences, rule_focus_pairs

from govkg.validate.data_view import DataView, is_report_graph
from govkg.validate.run import ShapesBundle, validate_store

RESULTS = "ASK { ?r a <http://www.w3.org/ns/shacl#ValidationResult> }"


def test_stored_reports_stay_out_of_what_the_next_run_reads(
    fresh_demo: Callable[[int], Demo], shapes: ShapesBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = fresh_demo(60)
    first = validate_store(demo.store, shapes=shapes, as_of=AS_OF, workers=1)
    validate_store(demo.store, shapes=shapes, as_of=AS_OF, workers=1)
    with demo.store.snapshot() as snap:
        reports = [g for g in snap.graphs() if is_report_graph(g)]
        assert len(reports) == 2
        assert snap.ask(RESULTS)  # the store's default graph serves the reports to researchers
        view = DataView(snap)
        assert not view.ask(RESULTS)
        assert not set(reports) & set(view.default_graphs())
        assert set(view.default_graphs()) == set(snap.public_graphs()) - set(reports)
        # a query naming its own dataset keeps it
        assert view.ask(f"ASK FROM <{reports[0].value}> {{ ?r a <http://www.w3.org/ns/shacl#ValidationResult> }}")

    # every query the third run makes reads no report graph
    seen: list[list[ox.NamedNode]] = []
    original = DataView.query

    def spy(self: DataView, sparql: str, **kw: object):  # type: ignore[no-untyped-def]
        res = original(self, sparql, **kw)  # type: ignore[arg-type]
        seen.append(list(kw.get("default_graph") or self.default_graphs()))  # type: ignore[call-overload]
        return res

    monkeypatch.setattr(DataView, "query", spy)
    third = validate_store(demo.store, shapes=shapes, as_of=AS_OF, workers=1)
    assert seen and not any(is_report_graph(g) for graphs in seen for g in graphs)
    assert rule_focus_pairs(third, shapes) == rule_focus_pairs(first, shapes), differences(
        rule_focus_pairs(third, shapes), rule_focus_pairs(first, shapes)
    )

