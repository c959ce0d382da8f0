"""The SPARQL endpoint, the update endpoint and the graph store against hostile requests.

Bad queries answer 400 with a message; queries that explode are stopped by the time limit or
the result cap (an error status, never a truncated 200) within the limit and a margin;
oversized bodies 413.  Writes without the token 401 (403 when none is configured); with it,
bad updates 400.  Graph names that are not absolute IRIs 400.  After every request the
store's checksum is what it was, and the canary saw no request (SERVICE, LOAD).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus import FILE_GRAPH_NAMES, GRAPH_NAMES, QUERIES, SECRETS, UPDATES, RdfCase, Text, graph_store_bodies
from flask import Flask
from flask.testing import FlaskClient
from hostile_kit import (
    MAX_REQUEST_BYTES,
    QUERY_TIMEOUT,
    TOKEN,
    Canary,
    close_app,
    error_of,
    make_app,
    seed,
    store_checksum,
)

from govkg.store.oxigraph import OxigraphStore

MARGIN = 4.0  # seconds beyond the query timeout: killing and answering, on a loaded 2-core machine
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def store(fast_dir: Path) -> OxigraphStore:
    s = OxigraphStore(fast_dir / "store")
    seed(s, filler=600)  # enough for a cartesian product to explode
    return s


@pytest.fixture(scope="module")
def app(store: OxigraphStore) -> Iterator[Flask]:
    a = make_app(store)
    yield a
    close_app(a)


@pytest.fixture
def client(app: Flask, store: OxigraphStore) -> Iterator[FlaskClient]:
    """A client; the store must be unchanged after the test."""
    before = store_checksum(store)
    yield app.test_client()
    assert store_checksum(store) == before, "the store changed"


def _point(text: str, canary: str) -> str:
    return text.replace("http://203.0.113.1", canary)


# -- /sparql ----------------------------------------------------------------------------------------------
BAD_QUERIES = [q for q in QUERIES if q.expect == "400"]
EXPLODING = [q for q in QUERIES if q.expect == "limit"]


@pytest.mark.parametrize("query", BAD_QUERIES, ids=str)
def test_bad_query_is_400_with_a_message(query: Text, client: FlaskClient, fresh_canary: Canary) -> None:
    text = _point(query.text, fresh_canary.url)
    for resp in (client.post("/sparql", data=text.encode(), content_type="application/sparql-query", headers=JSON),
                 client.post("/sparql", data={"query": text}, headers=JSON)):
        assert resp.status_code == 400, (resp.status_code, resp.get_data(as_text=True)[:300])
        error_of(resp)


@pytest.mark.parametrize("query", EXPLODING, ids=str)
def test_exploding_query_is_stopped_in_time_never_truncated(query: Text, client: FlaskClient) -> None:
    started = time.monotonic()
    resp = client.post("/sparql", data={"query": query.text}, headers={"Accept": "application/sparql-results+json, "
                                                                       "text/turtle;q=0.9"})
    took = time.monotonic() - started
    assert resp.status_code in (413, 503), (resp.status_code, resp.get_data(as_text=True)[:300])
    message = error_of(resp)
    assert "time limit" in message or "more than" in message
    assert took < QUERY_TIMEOUT + MARGIN, f"took {took:.1f} s"


def test_a_worker_killed_by_a_timeout_is_replaced(client: FlaskClient) -> None:
    resp = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers=JSON)
    assert resp.status_code == 200 and resp.get_json()["boolean"] is True


@pytest.mark.parametrize("kind", ["direct-query", "form-query", "direct-update"])
def test_oversized_body_is_413(kind: str, client: FlaskClient) -> None:
    filler = "#" + "x" * (MAX_REQUEST_BYTES + 10) + "\n"
    if kind == "direct-query":
        resp = client.post("/sparql", data=filler + "ASK {}", content_type="application/sparql-query", headers=JSON)
    elif kind == "form-query":
        resp = client.post("/sparql", data={"query": filler + "ASK {}"}, headers=JSON)
    else:
        resp = client.post("/update", data=filler + "CLEAR SILENT GRAPH <http://example.org/g>",
                           content_type="application/sparql-update", headers=AUTH)
    assert resp.status_code == 413
    error_of(resp)


# -- /update ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("update", UPDATES, ids=str)
def test_update_without_the_token_is_refused(update: Text, client: FlaskClient, fresh_canary: Canary) -> None:
    text = _point(update.text, fresh_canary.url)
    assert client.post("/update", data={"update": text}).status_code == 401
    assert client.post("/update", data={"update": text}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    resp = client.post("/update", data=text.encode(), content_type="application/sparql-update",
                       headers={"Authorization": "Basic " + TOKEN})
    assert resp.status_code == 401


def test_update_on_a_read_only_server_is_403(store: OxigraphStore) -> None:
    app = make_app(store, update_token=None)
    try:
        before = store_checksum(store)
        resp = app.test_client().post("/update", data={"update": "DROP ALL"}, headers=AUTH)
        assert resp.status_code == 403
        assert store_checksum(store) == before
    finally:
        close_app(app)


@pytest.mark.parametrize("update", UPDATES, ids=str)
def test_bad_update_with_the_token_is_400_and_changes_nothing(update: Text, client: FlaskClient,
                                                              fresh_canary: Canary) -> None:
    text = _point(update.text, fresh_canary.url)
    resp = client.post("/update", data=text.encode(), content_type="application/sparql-update", headers=AUTH)
    assert resp.status_code == 400, (resp.status_code, resp.get_data(as_text=True)[:300])
    error_of(resp)


# -- /graph-store -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", GRAPH_NAMES, ids=str)
def test_graph_name_that_is_not_an_iri_is_400(name: Text, client: FlaskClient) -> None:
    body = b'<http://example.org/s> <http://example.org/p> "x" .\n'
    for resp in (client.get("/graph-store", query_string={"graph": name.text}, headers={"Accept": "text/turtle"}),
                 client.put("/graph-store", query_string={"graph": name.text}, data=body,
                            content_type="text/turtle", headers=AUTH),
                 client.delete("/graph-store", query_string={"graph": name.text}, headers=AUTH)):
        assert resp.status_code == 400, (resp.status_code, resp.get_data(as_text=True)[:300])
        error_of(resp)


@pytest.mark.parametrize("name", FILE_GRAPH_NAMES, ids=str)
def test_file_iri_as_graph_name_reads_no_file(name: Text, client: FlaskClient) -> None:
    resp = client.get("/graph-store", query_string={"graph": name.text}, headers={"Accept": "text/turtle"})
    assert resp.status_code == 404
    assert not any(s in resp.get_data() for s in SECRETS)


GRAPH_SYNTAXES = {"turtle", "ntriples", "rdfxml", "jsonld"}  # what the graph store takes
@pytest.mark.parametrize("case", graph_store_bodies(), ids=str)
def test_hostile_graph_body_is_refused_and_changes_nothing(case: RdfCase, client: FlaskClient,
                                                           fresh_canary: Canary) -> None:
    resp = client.put("/graph-store", query_string={"graph": "http://example.org/hostile"},
                      data=case.data(fresh_canary.url), content_type=case.media_type, headers=AUTH)
    expected = 400 if case.syntax in GRAPH_SYNTAXES else 415
    assert resp.status_code == expected, (resp.status_code, resp.get_data(as_text=True)[:300])
    error_of(resp)


def test_oversized_graph_body_is_413(client: FlaskClient) -> None:
    body = b'<http://example.org/s> <http://example.org/p> "' + b"x" * MAX_REQUEST_BYTES + b'" .\n'
    resp = client.put("/graph-store", query_string={"graph": "http://example.org/big"}, data=body,
                      content_type="text/turtle", headers=AUTH)
    assert resp.status_code == 413


@pytest.mark.parametrize("name", GRAPH_NAMES, ids=str)
def test_dataset_parameters_that_are_not_iris_are_400(name: Text, client: FlaskClient) -> None:
    for param in ("default-graph-uri", "named-graph-uri"):
        resp = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", param: name.text}, headers=JSON)
        assert resp.status_code == 400, (param, resp.status_code)
        error_of(resp)
    for param in ("using-graph-uri", "using-named-graph-uri"):
        resp = client.post("/update", data={"update": "DELETE { GRAPH <http://example.org/g> { ?s ?p ?o } } "
                                            "WHERE { ?s ?p ?o }", param: name.text}, headers=AUTH)
        assert resp.status_code == 400, (param, resp.status_code)
        error_of(resp)
