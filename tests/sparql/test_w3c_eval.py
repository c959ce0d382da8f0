"""The W3C SPARQL 1.1 query evaluation suites, run twice: directly on pyoxigraph and through
the endpoint.  The endpoint must agree with the engine on every test (same result, or an
error for both), so it passes exactly the tests the engine passes; the pass rates are printed
at the end of the run.

Directly, each test gets a fresh in-memory store with its data in the default graph and its
``qt:graphData`` in named graphs.  Through the endpoint all tests share one on-disk store:
each test's default data lives in a named graph of its own and the dataset is given with
``default-graph-uri``/``named-graph-uri`` (or, for a query with FROM, by the query itself).
Results are requested in every format in turn, so each serialiser is exercised.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sparql_w3c import EvalTest, engine_result, eval_tests, parse_expected, rdf_format, rows_of, same_result
from werkzeug.datastructures import MultiDict

from govkg.config import Config
from govkg.sparql_text import has_dataset_clause, query_form
from govkg.store.oxigraph import OxigraphStore
from server import sparql
from server.app import create_app

W3C = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "w3c-sparql11"
TESTS = {t.id: t for t in eval_tests(W3C)} if W3C.is_dir() else {}
NAMES = list(TESTS) or ["manifests-missing"]
EMPTY = "urn:govkg:test:empty"
RESULTS: dict[str, tuple[bool, bool]] = {}  # test id -> (engine passes, endpoint passes)

ACCEPT = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "tsv": "text/tab-separated-values", "csv": "text/csv",
    "ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml", "trig": "application/trig", "nq": "application/n-quads",
}
_ROTATION = {"select": itertools.cycle(["json", "xml", "tsv"]), "ask": itertools.cycle(["json", "xml"]),
             "graph": itertools.cycle(["ttl", "nt", "jsonld", "rdf", "trig", "nq"])}


def _parse(path: Path, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    return [ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in ox.parse(path=str(path), format=rdf_format(path), base_iri=path.as_uri())]


def default_graph_name(test: EvalTest) -> str:
    key = "|".join(str(p) for p in test.data)
    return "urn:govkg:test:default:" + hashlib.sha1(key.encode()).hexdigest()[:16]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Iterator[FlaskClient]:
    store = OxigraphStore(tmp_path_factory.mktemp("w3c-eval") / "store")
    quads: dict[ox.Quad, None] = {}
    for test in TESTS.values():
        if test.data:
            g = ox.NamedNode(default_graph_name(test))
            for path in test.data:
                quads.update(dict.fromkeys(_parse(path, g)))
        for name, path in test.graph_data:
            quads.update(dict.fromkeys(_parse(path, ox.NamedNode(name))))
    with store.transaction() as tx:
        tx.add(list(quads))
    app: Flask = create_app(Config(store=store.path, query_timeout=30, max_results=1_000_000))
    yield app.test_client()
    sparql.close(app)


def direct(test: EvalTest) -> object:
    store = ox.Store()
    for path in test.data:
        store.extend(_parse(path, ox.DefaultGraph()))
    for name, path in test.graph_data:
        store.extend(_parse(path, ox.NamedNode(name)))
    try:
        return engine_result(store, test.query_text, test.query.as_uri(), csv=test.kind == "CSVResultFormatTest")
    except (SyntaxError, OSError, ValueError) as e:
        return ("error", str(e))


def through_endpoint(client: FlaskClient, test: EvalTest) -> object:
    text = test.query_text
    form = query_form(text) or "select"
    fmt = "csv" if test.kind == "CSVResultFormatTest" else next(_ROTATION[form])
    data: list[tuple[str, str]] = [("query", f"BASE <{test.query.as_uri()}>\n{text}")]
    if not has_dataset_clause(text):
        data.append(("default-graph-uri", default_graph_name(test) if test.data else EMPTY))
        data += [("named-graph-uri", name) for name, _ in test.graph_data]
    resp = client.post("/sparql", data=MultiDict(data), headers={"Accept": ACCEPT[fmt]})
    if resp.status_code != 200:
        assert resp.status_code == 400, f"{resp.status_code}: {resp.data[:300]!r}"
        return ("error", resp.json["error"] if resp.is_json else resp.data.decode())
    ctype = (resp.content_type or "").split(";")[0]
    assert ctype == ACCEPT[fmt], f"asked for {ACCEPT[fmt]}, got {ctype}"
    if fmt == "csv":
        return ("csv", resp.data.decode("utf-8"))
    if form == "graph":
        rdf = ox.RdfFormat.from_media_type(ctype)
        return ("graph", [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(resp.data, format=rdf)])
    res = ox.parse_query_results(resp.data, format=ox.QueryResultsFormat.from_media_type(ctype))
    if isinstance(res, ox.QueryBoolean):
        return ("boolean", bool(res))
    names, rows = rows_of(res)
    return ("rows", names, rows)


@pytest.mark.parametrize("name", NAMES)
def test_endpoint_agrees_with_engine(name: str, endpoint: FlaskClient) -> None:
    if name not in TESTS:
        pytest.fail(f"the W3C manifests are missing under {W3C}")
    test = TESTS[name]
    engine = direct(test)
    served = through_endpoint(endpoint, test)
    if test.kind == "NegativeSyntaxTest11":
        expected_ok = engine[0] == "error"  # type: ignore[index]
        RESULTS[name] = (expected_ok, served[0] == "error")  # type: ignore[index]
        assert engine[0] == served[0] == "error", (engine, served)  # type: ignore[index]
        return
    expected = parse_expected(test.result)  # type: ignore[arg-type]
    RESULTS[name] = (engine[0] != "error" and same_result(expected, engine),  # type: ignore[index]
                     served[0] != "error" and same_result(expected, served))  # type: ignore[index]
    if engine[0] == "error":  # type: ignore[index]
        assert served[0] == "error", f"the engine fails ({engine[1]}) but the endpoint answered"  # type: ignore[index]
    else:
        assert served[0] != "error", f"the endpoint failed: {served[1]}"  # type: ignore[index]
        assert same_result(engine, served), f"engine: {engine}\nendpoint: {served}"
    assert RESULTS[name][0] == RESULTS[name][1]


def test_pass_rates_are_the_engines() -> None:
    """Runs after the suite: the same pass count both ways, and the harness is not broken."""
    assert len(RESULTS) == len(TESTS) > 200
    engine = sum(e for e, _ in RESULTS.values())
    served = sum(s for _, s in RESULTS.values())
    assert engine == served
    assert engine / len(RESULTS) > 0.85, f"only {engine} of {len(RESULTS)} pass on the engine itself"


def pass_rates() -> str | None:
    if not RESULTS:
        return None
    engine = sum(e for e, _ in RESULTS.values())
    served = sum(s for _, s in RESULTS.values())
    n = len(RESULTS)
    failing = sorted(k for k, (e, _) in RESULTS.items() if not e)
    return (f"W3C SPARQL 1.1 evaluation: pyoxigraph {engine}/{n} ({engine / n:.1%}), endpoint {served}/{n} "
            f"({served / n:.1%}); failing on the engine: {', '.join(failing) or 'none'}")
