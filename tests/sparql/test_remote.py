"""The same routes with --endpoint: proxied to a real ``oxigraph serve`` on loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sparql_helpers import TOKEN

from govkg.config import Config
from govkg.store.remote import RemoteStore
from server import sparql
from server.app import create_app

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"
G = ox.NamedNode(EX + "graph")
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def remote(oxigraph_server: str) -> Iterator[tuple[FlaskClient, RemoteStore]]:
    store = RemoteStore(oxigraph_server + "/query", oxigraph_server + "/update", timeout=20)
    with store.transaction() as tx:
        tx.add([ox.Quad(ox.NamedNode(f"{EX}d{i}"), ox.NamedNode(EX + "size"),
                        ox.Literal(f"0{i}", datatype=ox.NamedNode(XSD + "nonNegativeInteger")), G) for i in range(300)])
    app: Flask = create_app(Config(endpoint=store.query_url, update_endpoint=store.update_url, update_token=TOKEN,
                                   query_timeout=1.5, max_results=400))
    yield app.test_client(), store
    sparql.close(app)
    store.close()


def test_default_graph_is_the_union(remote: tuple[FlaskClient, RemoteStore]) -> None:
    client, _ = remote
    resp = client.get("/sparql", query_string={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}size> ?o }}"})
    assert resp.json["results"]["bindings"][0]["n"]["value"] == "300"


def test_construct_restores_literal_forms_through_the_proxy(remote: tuple[FlaskClient, RemoteStore]) -> None:
    client, _ = remote
    resp = client.get("/sparql", query_string={"query": f"CONSTRUCT WHERE {{ ?s <{EX}size> ?o }}", "format": "nt"})
    assert resp.status_code == 200
    objects = {t.object for t in ox.parse(resp.data, format=ox.RdfFormat.N_TRIPLES)}
    assert len(objects) == 300  # looked up in batches, not one request per literal
    assert ox.Literal("07", datatype=ox.NamedNode(XSD + "nonNegativeInteger")) in objects


def test_result_cap_through_the_proxy(remote: tuple[FlaskClient, RemoteStore]) -> None:
    client, _ = remote
    resp = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert resp.status_code == 413  # 300 triples + their literal-form entries in the union


def test_bad_query_message_keeps_the_clients_line_numbers(remote: tuple[FlaskClient, RemoteStore]) -> None:
    client, _ = remote
    resp = client.get("/sparql", query_string={"query": "SELECT *\nWHERE { ?s ?p }"})
    assert resp.status_code == 400 and resp.json["error"].startswith("error at 2:")


def test_graph_store_and_update_through_the_proxy(remote: tuple[FlaskClient, RemoteStore]) -> None:
    client, _ = remote
    g = {"graph": EX + "uploaded"}
    body = f'<{EX}x> <{EX}size> "010"^^<{XSD}nonNegativeInteger> .'.encode()
    assert client.put("/graph-store", query_string=g, data=body, content_type="text/turtle").status_code == 401
    assert client.put("/graph-store", query_string=g, data=body, content_type="text/turtle",
                      headers=AUTH).status_code == 201
    got = client.get("/graph-store", query_string={**g, "format": "nt"})
    assert f'"010"^^<{XSD}nonNegativeInteger>'.encode() in got.data
    assert client.post("/update", headers=AUTH, data={"update": f"DROP GRAPH <{EX}uploaded>"}).status_code == 204
    assert client.get("/graph-store", query_string=g).status_code == 404
    assert client.get("/void").status_code == 200


def test_remote_query_is_abandoned_at_the_time_limit(remote: tuple[FlaskClient, RemoteStore]) -> None:
    """Last in the module: the remote server keeps computing until the fixture stops it."""
    client, _ = remote
    forever = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    started = time.monotonic()
    resp = client.get("/sparql", query_string={"query": forever})
    assert resp.status_code == 503 and "time limit" in resp.json["error"]
    assert time.monotonic() - started < 1.5 + 1.0


def test_a_killed_writers_staging_graphs_are_dropped_once_stale(remote: tuple[FlaskClient, RemoteStore]) -> None:
    """A writer killed between staging and publishing leaves staging graphs on the server;
    the next write drops those past STALE_STAGING_SECONDS and leaves younger ones (a live
    writer's) alone."""
    from govkg.store.remote import STAGING_PREFIX, STALE_STAGING_SECONDS

    _, store = remote
    old = f"{STAGING_PREFIX}{int(time.time() - STALE_STAGING_SECONDS - 60)}:dead:0"
    young = f"{STAGING_PREFIX}{int(time.time() - 60)}:alive:0"
    store.post(store.update_url, [("update", f"INSERT DATA {{ GRAPH <{old}> {{ <{EX}x> <{EX}p> 1 }} "
                                             f"GRAPH <{young}> {{ <{EX}y> <{EX}p> 2 }} }}")])
    assert set(store.stale_staging_graphs()) == {old}
    with store.transaction() as tx:
        tx.add([ox.Quad(ox.NamedNode(EX + "z"), ox.NamedNode(EX + "p"), ox.Literal("3"), ox.NamedNode(EX + "other"))])
    graphs = {r["g"].value for r in store.snapshot().select("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")}
    assert old not in graphs and young in graphs and EX + "other" in graphs
    assert not [g for g in graphs if g.startswith(STAGING_PREFIX) and g != young]  # the write's own are gone too
    store.post(store.update_url, [("update", f"DROP GRAPH <{young}> ; DROP GRAPH <{EX}other>")])
