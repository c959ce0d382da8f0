"""Every shape rule, case by case: exactly the expected (rule, focus) findings, on both engines.

Each file of tests/shapes/cases/ is loaded with background.ttl into a fresh store and
validated for its ``as-of`` day with the shapes compiled to SPARQL (as ``govkg validate``
runs them) and with pyshacl, the reference; both must find exactly what the file's
``# expect:`` lines say (see casekit.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from casekit import (
    AS_OF,
    BACKGROUND,
    CASES,
    Case,
    CaseError,
    all_cases,
    as_pairs,
    describe,
    full_and_focused,
    load,
    parse_turtle,
    read_case,
    run_both,
)
from rdflib import Graph, URIRef

from govkg.store.oxigraph import OxigraphStore
from govkg.validate.run import ShapesBundle, load_shapes, validate_store

CASE_FILES = all_cases()


@pytest.fixture(scope="module")
def bundle() -> ShapesBundle:
    return load_shapes()


@pytest.mark.parametrize("path", CASE_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in CASE_FILES])
def test_case_finds_exactly_what_it_expects(path: Path, store: OxigraphStore, bundle: ShapesBundle) -> None:
    case = read_case(path)
    load(store, case)
    compiled, reference = run_both(store, case, bundle)
    assert compiled == reference, (
        f"{case.name}: the engines disagree\ncompiled only:\n{describe(compiled - reference)}\n"
        f"pyshacl only:\n{describe(reference - compiled)}"
    )
    assert compiled == set(case.expected), (
        f"{case.name}: findings differ from the header\nunexpected:\n{describe(compiled - case.expected)}\n"
        f"missing:\n{describe(set(case.expected) - compiled)}"
    )
    # the checks rewritten for focus nodes (focus_mode.py), over every node, find the same
    full, focused = full_and_focused(store, bundle)
    assert focused == full, f"{case.name}: focus mode only: {focused - full}; full run only: {full - focused}"
    if not case.valid:  # an invalid case is about its folder's rule
        assert case.rule in {r for r, _ in case.expected}, f"{case.name} expects nothing of rule {case.rule}"
        # re-validating only the expected focus nodes (govkg validate --focus) finds the same
        focus = sorted({URIRef(f) for _, f in case.expected})
        report = validate_store(store, as_of=case.as_of, shapes=bundle, store_report=False, focus=focus)
        assert as_pairs(bundle.graph, [r.finding for r in report.results]) == set(case.expected)


def test_every_rule_has_a_valid_and_an_invalid_case(bundle: ShapesBundle) -> None:
    from rdflib.namespace import DCTERMS

    rules = {str(o) for o in bundle.graph.objects(None, DCTERMS.identifier)}
    folders = {p.name: {f.stem.split("-", 1)[0] for f in p.glob("*.ttl")} for p in CASES.iterdir() if p.is_dir()}
    missing = sorted(r for r in rules if folders.get(r, set()) != {"valid", "invalid"})
    assert not missing, f"rules without both a valid-*.ttl and an invalid-*.ttl case: {missing}"
    unknown = sorted(set(folders) - rules)
    assert not unknown, f"case folders named after no rule id of the shapes: {unknown}"


def test_background_conforms(store: OxigraphStore, bundle: ShapesBundle) -> None:
    """The shared background alone gives no finding, so every finding of a case is the case's."""
    empty = Case(BACKGROUND, "background", True, Graph(), frozenset(), AS_OF)
    load(store, empty)
    compiled, reference = run_both(store, empty, bundle)
    assert compiled == reference == set(), f"the background itself is flagged:\n{describe(compiled | reference)}"
    assert len(parse_turtle(BACKGROUND)) > 100


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("valid-x.ttl", "# expect: R2 ex:entry\nex:entry a dcat:Dataset .\n", "a valid case expects no finding"),
        ("invalid-x.ttl", "ex:entry a dcat:Dataset .\n", "declares its findings"),
        ("invalid-x.ttl", "# expect: R2 nope:entry\nex:entry a dcat:Dataset .\n", "neither <IRI> nor a known prefix"),
        ("invalid-x.ttl", "# expect R2\nex:entry a dcat:Dataset .\n", "malformed header line"),
        ("other-x.ttl", "ex:entry a dcat:Dataset .\n", "named valid-"),
        ("valid-x.ttl", "ex:entry a dcat:Dataset\n", "not valid Turtle"),
    ],
)
def test_malformed_case_files_are_refused(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / "R2" / name
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError, match=message) as info:
        read_case(path)
    assert str(path) in str(info.value)


def test_shapes_folder_is_the_repository_one_despite_tests_shapes() -> None:
    """Regression: tests/shapes/ on sys.path made the ``shapes`` namespace package resolve here."""
    from govkg.packaged import folder

    assert folder("shapes") == Path(__file__).resolve().parents[2] / "shapes"
    assert {p.name for p in folder("shapes").glob("*.ttl")} >= {"common.ttl", "guiyang.ttl", "liaoning.ttl"}
