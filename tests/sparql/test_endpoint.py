"""The endpoint beyond the W3C manifests: negotiation, limits, writes and their authorisation,
the graph store, CORS, the service description, VoID and the query page."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sparql_helpers import TOKEN

from govkg.config import Config
from govkg.errors import GovkgError
from govkg.query_pool import QueryJob, QueryPool, WorkersBusy
from govkg.store.oxigraph import OxigraphStore
from govkg.vocab import DCAT, DCTERMS, GDS, LITERAL_FORMS_GRAPH, SD, SKOS, VOID
from server import query_page, sparql
from server.app import create_app

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"
G1 = ox.NamedNode(EX + "graph/one")
G2 = ox.NamedNode(EX + "graph/two")
A = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FOREVER = ("SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {' '.join(str(k) for k in range(60))} }}" for i in range(7)) + " }")


def n(iri: object) -> ox.NamedNode:
    return iri if isinstance(iri, ox.NamedNode) else ox.NamedNode(str(iri))


def catalogue() -> list[ox.Quad]:
    """Two jurisdictions (one within the other), agencies, datasets with exact literal forms."""
    province = ox.NamedNode(EX + "jurisdiction/330000")
    city = ox.NamedNode(EX + "jurisdiction/330100")
    q = []

    def add(s: ox.NamedNode, p: object, o: object, g: ox.NamedNode = G1) -> None:
        q.append(ox.Quad(s, n(p), o, g))  # type: ignore[arg-type]

    add(province, A, n(GDS.Jurisdiction))
    add(province, SKOS.notation, ox.Literal("330000"))
    add(province, SKOS.prefLabel, ox.Literal("浙江省", language="zh"))
    add(city, A, n(GDS.Jurisdiction))
    add(city, SKOS.notation, ox.Literal("330100"))
    add(city, GDS.partOfJurisdiction, province)
    for i, j in enumerate([province, city, city]):
        agency = ox.NamedNode(f"{EX}agency/{i}")
        add(agency, A, n(GDS.Agency))
        add(agency, GDS.jurisdiction, j)
        d = ox.NamedNode(f"{EX}dataset/{i}")
        add(d, A, n(DCAT.Dataset), G2)
        add(d, DCTERMS.publisher, agency, G2)
        add(d, DCTERMS.title, ox.Literal(f"数据集 {i}", language="zh"), G2)
        add(d, DCAT.byteSize, ox.Literal(f"0{i}", datatype=ox.NamedNode(XSD + "nonNegativeInteger")), G2)
        add(d, n(EX + "price"), ox.Literal(f"{i}.50", datatype=ox.NamedNode(XSD + "decimal")), G2)
    return q


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    s = OxigraphStore(tmp_path_factory.mktemp("endpoint") / "store")
    with s.transaction() as tx:
        tx.add(catalogue())
    return s


@pytest.fixture(scope="module")
def app(store: OxigraphStore) -> Iterator[Flask]:
    a = create_app(Config(store=store.path, query_timeout=10, max_results=50))
    yield a
    sparql.close(a)


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[tuple[FlaskClient, OxigraphStore]]:
    s = OxigraphStore(tmp_path / "store")
    with s.transaction() as tx:
        tx.add(catalogue())
    a = create_app(Config(store=s.path, query_timeout=10, update_token=TOKEN, query_workers=1))
    yield a.test_client(), s
    sparql.close(a)


def select(client: FlaskClient, query: str, **kw: object) -> list[dict[str, object]]:
    resp = client.get("/sparql", query_string={"query": query}, **kw)
    assert resp.status_code == 200, resp.data
    return resp.json["results"]["bindings"]  # type: ignore[index,no-any-return]


# -- negotiation ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("accept", "expected"), [
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/tab-separated-values, */*;q=0.1", "text/tab-separated-values"),
    ("application/*", "application/sparql-results+json"),
    ("application/sparql-results+json;q=0, */*;q=0.5", "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
    (None, "application/sparql-results+json"),
])
def test_select_format_follows_accept_q_values(client: FlaskClient, accept: str | None, expected: str) -> None:
    headers = {"Accept": accept} if accept else {}
    resp = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s a ?c } LIMIT 1"}, headers=headers)
    assert resp.status_code == 200
    assert resp.content_type.split(";")[0] == expected
    assert resp.headers["Vary"] == "Accept"


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/turtle;q=0, */*", "application/n-triples"),
    ("application/ld+json, text/turtle;q=0.9", "application/ld+json"),
    ("application/json", "application/ld+json"),
    ("application/rdf+xml;q=0.2, application/trig;q=0.3", "application/trig"),
])
def test_construct_format_follows_accept(client: FlaskClient, accept: str, expected: str) -> None:
    resp = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s a ?c }"}, headers={"Accept": accept})
    assert resp.status_code == 200
    assert resp.content_type.split(";")[0] == expected
    assert len(list(ox.parse(resp.data, format=ox.RdfFormat.from_media_type(expected)))) == 8


def test_format_parameter_beats_a_browsers_accept(client: FlaskClient) -> None:
    resp = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s a ?c }", "format": "csv"},
                      headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert resp.content_type == "text/csv; charset=utf-8"
    assert resp.data.startswith(b"s\r\n")


@pytest.mark.parametrize(("query", "params"), [
    ("SELECT * WHERE { ?s ?p ?o }", {"headers": {"Accept": "image/png"}}),
    ("ASK { ?s ?p ?o }", {"headers": {"Accept": "text/csv"}}),
    ("CONSTRUCT WHERE { ?s ?p ?o }", {"query_string": {"format": "csv"}}),
])
def test_unacceptable_format_is_406(client: FlaskClient, query: str, params: dict[str, dict[str, str]]) -> None:
    qs = {"query": query, **params.get("query_string", {})}
    resp = client.get("/sparql", query_string=qs, headers=params.get("headers", {}))
    assert resp.status_code == 406
    assert resp.json["ok"] is False and "available" in resp.json["error"]


def test_bad_query_is_400_with_the_parsers_message(client: FlaskClient) -> None:
    resp = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert resp.status_code == 400
    assert resp.json["error"].startswith("error at 1:")


@pytest.mark.parametrize(("content_type", "status"), [
    ("text/plain", 415), ("application/sparql-query; charset=ISO-8859-1", 415), (None, 415),
])
def test_post_needs_a_sparql_media_type(client: FlaskClient, content_type: str | None, status: int) -> None:
    resp = client.post("/sparql", data=b"ASK {}", content_type=content_type)
    assert resp.status_code == status


def test_post_direct_with_invalid_utf8_is_400(client: FlaskClient) -> None:
    resp = client.post("/sparql", data=b"ASK { ?s ?p \"\xff\" }", content_type="application/sparql-query")
    assert resp.status_code == 400 and "UTF-8" in resp.json["error"]


def test_graph_uri_parameters_must_be_absolute_iris(client: FlaskClient) -> None:
    resp = client.get("/sparql", query_string={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert resp.status_code == 400


# -- datasets -------------------------------------------------------------------------------------
def test_default_graph_is_the_union_of_public_graphs(client: FlaskClient) -> None:
    rows = select(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(rows[0]["n"]["value"]) == len(catalogue())  # literal-form entries are not in it
    graphs = {r["g"]["value"] for r in select(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}
    assert {G1.value, G2.value} <= graphs and str(LITERAL_FORMS_GRAPH) in graphs


def test_from_clause_is_not_overridden_by_the_union_default_graph(client: FlaskClient) -> None:
    rows = select(client, f"SELECT (COUNT(*) AS ?n) FROM <{G1.value}> WHERE {{ ?s ?p ?o }}")
    assert int(rows[0]["n"]["value"]) == sum(1 for q in catalogue() if q.graph_name == G1)


def test_protocol_dataset_overrides_from(client: FlaskClient) -> None:
    resp = client.get("/sparql", query_string={
        "query": f"SELECT (COUNT(*) AS ?n) FROM <{G1.value}> WHERE {{ ?s ?p ?o }}", "default-graph-uri": G2.value})
    assert int(resp.json["results"]["bindings"][0]["n"]["value"]) == sum(1 for q in catalogue() if q.graph_name == G2)


def test_relative_iris_resolve_against_the_endpoint(client: FlaskClient) -> None:
    rows = select(client, "SELECT ?x WHERE { BIND(<rel> AS ?x) }")
    assert rows[0]["x"]["value"] == "http://localhost/rel"


# -- literal forms ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "rdf", "jsonld"])
def test_construct_gives_back_original_literals_in_every_format(client: FlaskClient, fmt: str) -> None:
    resp = client.get("/sparql", query_string={
        "query": f"CONSTRUCT {{ ?d <{DCAT.byteSize}> ?b ; <{EX}price> ?p }} WHERE {{ ?d <{DCAT.byteSize}> ?b ; <{EX}price> ?p }}",
        "format": fmt})
    assert resp.status_code == 200
    rdf = ox.RdfFormat.from_media_type(resp.content_type.split(";")[0])
    objects = {q.object for q in ox.parse(resp.data, format=rdf)}
    assert ox.Literal("01", datatype=ox.NamedNode(XSD + "nonNegativeInteger")) in objects
    assert ox.Literal("2.50", datatype=ox.NamedNode(XSD + "decimal")) in objects


def test_select_shows_stored_values(client: FlaskClient) -> None:
    rows = select(client, f"SELECT ?b WHERE {{ <{EX}dataset/1> <{DCAT.byteSize}> ?b }}")
    assert rows == [{"b": {"type": "literal", "value": "1", "datatype": XSD + "integer"}}]


# -- limits ------------------------------------------------------------------------------------------
def test_result_cap_is_an_error_never_a_truncated_answer(client: FlaskClient) -> None:
    ok = client.get("/sparql", query_string={"query": "SELECT ?i WHERE { VALUES ?i { " + " ".join(
        map(str, range(50))) + " } }", "format": "xml"})
    assert ok.status_code == 200 and ok.data.count(b"<result>") == 50
    over = client.get("/sparql", query_string={"query": "SELECT ?i WHERE { VALUES ?i { " + " ".join(
        map(str, range(51))) + " } }", "format": "xml"})
    assert over.status_code == 413
    assert over.json == {"ok": False, "status": 413,
                         "error": "query produced more than 50 solutions; add LIMIT or narrow the query"}
    graph = client.get("/sparql", query_string={
        "query": "CONSTRUCT { <http://x/s> <http://x/p> ?i } WHERE { VALUES ?i { " + " ".join(map(str, range(51))) + " } }"})
    assert graph.status_code == 413 and "triples" in graph.json["error"]


def test_timed_out_query_is_stopped_and_the_worker_replaced(store: OxigraphStore) -> None:
    app = create_app(Config(store=store.path, query_timeout=1.0, query_workers=1))
    try:
        client = app.test_client()
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
        pool = app.extensions["govkg.sparql"].executor()
        (pid,) = pool.pids()
        started = time.monotonic()
        resp = client.get("/sparql", query_string={"query": FOREVER})
        elapsed = time.monotonic() - started
        assert resp.status_code == 503 and "time limit of 1 s" in resp.json["error"]
        assert elapsed < 2.0
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
        assert pool.pids() and pool.pids() != [pid] and pool.respawns == 1
    finally:
        sparql.close(app)


def test_a_full_pool_refuses_at_once_instead_of_queueing(store: OxigraphStore) -> None:
    pool = QueryPool(store.path, 1, max_waiting=0)
    try:
        pool.call("query", QueryJob("ASK {}"), timeout=30)  # started and warm
        busy = threading.Thread(target=lambda: _swallow(pool, FOREVER, 1.5))
        busy.start()
        time.sleep(0.3)
        started = time.monotonic()
        with pytest.raises(WorkersBusy):
            pool.call("query", QueryJob("ASK {}"), timeout=30)
        assert time.monotonic() - started < 0.5
        busy.join()
    finally:
        pool.close()


def test_idle_workers_let_go_of_replaced_generations(tmp_path: Path) -> None:
    s = OxigraphStore(tmp_path / "store")
    pool = QueryPool(s.path, 2, idle_check=0.1)
    try:
        pool.call("query", QueryJob("ASK {}"), timeout=30)
        with s.transaction() as tx:
            tx.add(catalogue())
        assert s.generation_count() == 2  # the old one is still read by a worker
        time.sleep(0.5)
        with s.transaction() as tx:  # collects what no reader holds
            tx.add([])
        assert s.generation_count() == 1
        rows = json.loads(pool.call("query", QueryJob("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"), timeout=30).body)
        assert rows["results"]["bindings"][0]["n"]["value"] == str(len(catalogue()))
    finally:
        pool.close()


def _swallow(pool: QueryPool, query: str, timeout: float) -> None:
    with contextlib.suppress(GovkgError):
        pool.call("query", QueryJob(query), timeout=timeout)


# -- writes ------------------------------------------------------------------------------------------
def test_writes_are_refused_without_a_configured_token(client: FlaskClient) -> None:
    for resp in (
        client.post("/update", data={"update": "CLEAR ALL"}, headers=AUTH),
        client.put("/graph-store", query_string={"graph": G1.value}, data=b"<a:b> <a:c> <a:d> .",
                   content_type="text/turtle", headers=AUTH),
        client.delete("/graph-store", query_string={"graph": G1.value}, headers=AUTH),
    ):
        assert resp.status_code == 403 and "read-only" in resp.json["error"]
    assert select(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]["value"] == str(len(catalogue()))


def test_update_needs_the_bearer_token(writable: tuple[FlaskClient, OxigraphStore]) -> None:
    client, _ = writable
    update = {"update": f"INSERT DATA {{ GRAPH <{G1.value}> {{ <{EX}new> <{EX}p> 1 }} }}"}
    missing = client.post("/update", data=update)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == 'Bearer realm="govkg"'
    wrong = client.post("/update", data=update, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "invalid_token" in wrong.headers["WWW-Authenticate"]
    assert not client.get("/sparql", query_string={"query": f"ASK {{ <{EX}new> ?p ?o }}"}).json["boolean"]
    ok = client.post("/update", data=update, headers=AUTH)
    assert ok.status_code == 204
    assert client.get("/sparql", query_string={"query": f"ASK {{ <{EX}new> ?p ?o }}"}).json["boolean"]


def test_update_into_the_default_graph_is_refused_whole(writable: tuple[FlaskClient, OxigraphStore]) -> None:
    client, store = writable
    before = store.current_generation()
    resp = client.post("/update", headers=AUTH, content_type="application/sparql-update",
                       data=f"INSERT DATA {{ GRAPH <{G1.value}> {{ <{EX}x> <{EX}p> 1 }} }} ; INSERT DATA {{ <{EX}y> <{EX}p> 2 }}")
    assert resp.status_code == 400 and "named graphs" in resp.json["error"]
    assert store.current_generation() == before
    assert not client.get("/sparql", query_string={"query": f"ASK {{ <{EX}x> ?p ?o }}"}).json["boolean"]


def test_using_graph_uri_conflicts_with_using_in_the_update(writable: tuple[FlaskClient, OxigraphStore]) -> None:
    client, _ = writable
    resp = client.post("/update", headers=AUTH, query_string={"using-graph-uri": G1.value},
                       content_type="application/sparql-update",
                       data=f"INSERT {{ GRAPH <{G2.value}> {{ ?s ?p ?o }} }} USING <{G1.value}> WHERE {{ ?s ?p ?o }}")
    assert resp.status_code == 400


def test_dropping_a_graph_by_update_forgets_its_literal_forms(writable: tuple[FlaskClient, OxigraphStore]) -> None:
    client, _ = writable
    assert client.post("/update", data={"update": f"DROP GRAPH <{G2.value}>"}, headers=AUTH).status_code == 204
    q = f"INSERT DATA {{ GRAPH <{G2.value}> {{ <{EX}dataset/1> <{DCAT.byteSize}> 1 }} }}"
    assert client.post("/update", data={"update": q}, headers=AUTH).status_code == 204
    resp = client.get("/sparql", query_string={"query": f"CONSTRUCT WHERE {{ <{EX}dataset/1> ?p ?o }}", "format": "nt"})
    assert f'"1"^^<{XSD}integer>'.encode() in resp.data  # not the old "01"^^nonNegativeInteger


def test_graph_store_put_get_post_delete(writable: tuple[FlaskClient, OxigraphStore]) -> None:
    client, _ = writable
    g = {"graph": EX + "graph/new"}
    body = f'<{EX}s> <{EX}size> "007"^^<{XSD}nonNegativeInteger> .'.encode()
    assert client.put("/graph-store", query_string=g, data=body, content_type="text/turtle").status_code == 401
    assert client.put("/graph-store", query_string=g, data=body, content_type="text/turtle",
                      headers=AUTH).status_code == 201
    got = client.get("/graph-store", query_string={**g, "format": "nt"})
    assert got.status_code == 200 and f'"007"^^<{XSD}nonNegativeInteger>'.encode() in got.data
    assert got.headers["Access-Control-Allow-Origin"] == "*"
    assert client.put("/graph-store", query_string=g, data=body, content_type="text/turtle",
                      headers=AUTH).status_code == 204
    more = f"<{EX}s> <{EX}p> <{EX}o> .".encode()
    assert client.post("/graph-store", query_string=g, data=more, content_type="application/n-triples",
                       headers=AUTH).status_code == 204
    assert len(list(ox.parse(client.get("/graph-store", query_string={**g, "format": "nt"}).data,
                             format=ox.RdfFormat.N_TRIPLES))) == 2
    assert client.head("/graph-store", query_string=g).status_code == 200
    assert client.delete("/graph-store", query_string=g, headers=AUTH).status_code == 204
    assert client.get("/graph-store", query_string=g).status_code == 404
    assert client.delete("/graph-store", query_string=g, headers=AUTH).status_code == 404


def test_graph_store_post_to_the_service_creates_a_graph(writable: tuple[FlaskClient, OxigraphStore]) -> None:
    client, _ = writable
    resp = client.post("/graph-store", data=f"<{EX}s> <{EX}p> 1 .".encode(), content_type="text/turtle", headers=AUTH)
    assert resp.status_code == 201
    location = resp.headers["Location"]
    assert location.startswith("https://w3id.org/govkg/graph/upload/")
    assert client.get("/graph-store", query_string={"graph": location}).status_code == 200


@pytest.mark.parametrize(("query", "ctype", "body", "status"), [
    ({"graph": str(LITERAL_FORMS_GRAPH)}, "text/turtle", b"<a:s> <a:p> <a:o> .", 403),
    ({"graph": EX + "g"}, "application/n-quads", b"<a:s> <a:p> <a:o> <a:g> .", 415),
    ({"graph": EX + "g"}, "text/turtle", b"<a:s> <a:p> .", 400),
    ({"default": ""}, "text/turtle", b"<a:s> <a:p> <a:o> .", 400),
    ({"graph": "relative"}, "text/turtle", b"<a:s> <a:p> <a:o> .", 400),
])
def test_graph_store_refusals(writable: tuple[FlaskClient, OxigraphStore], query: dict[str, str], ctype: str,
                              body: bytes, status: int) -> None:
    client, _ = writable
    resp = client.put("/graph-store", query_string=query, data=body, content_type=ctype, headers=AUTH)
    assert resp.status_code == status, resp.data


def test_graph_store_reads_the_default_graph(client: FlaskClient) -> None:
    resp = client.get("/graph-store", query_string={"default": "", "format": "nt"})
    assert resp.status_code == 200
    assert len(list(ox.parse(resp.data, format=ox.RdfFormat.N_TRIPLES))) == len(catalogue())


# -- CORS -----------------------------------------------------------------------------------------------
def test_cors_for_reads_only(client: FlaskClient) -> None:
    get = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://elsewhere.example"})
    assert get.headers["Access-Control-Allow-Origin"] == "*"
    err = client.get("/sparql", query_string={"query": "ASK {"}, headers={"Origin": "https://elsewhere.example"})
    assert err.status_code == 400 and err.headers["Access-Control-Allow-Origin"] == "*"
    pre = client.options("/sparql", headers={"Origin": "https://elsewhere.example",
                                             "Access-Control-Request-Method": "POST"})
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Authorization" not in pre.headers["Access-Control-Allow-Headers"]
    for resp in (client.options("/update"), client.post("/update", data={"update": "CLEAR ALL"}),
                 client.options("/graph-store", headers={"Access-Control-Request-Method": "PUT"})):
        if resp.request.path == "/graph-store":
            assert "PUT" not in resp.headers.get("Access-Control-Allow-Methods", "")
        else:
            assert "Access-Control-Allow-Origin" not in resp.headers


# -- descriptions -------------------------------------------------------------------------------------------
def _graph(resp_data: bytes, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> ox.Store:
    s = ox.Store()
    s.extend(ox.Quad(q.subject, q.predicate, q.object) for q in ox.parse(resp_data, format=fmt))
    return s


def test_plain_get_is_a_service_description(client: FlaskClient) -> None:
    resp = client.get("/sparql")
    assert resp.status_code == 200 and resp.content_type.startswith("text/turtle")
    g = _graph(resp.data)
    endpoint = ox.NamedNode("http://localhost/sparql")
    (service,) = [q.subject for q in g.quads_for_pattern(None, n(SD.endpoint), endpoint)]
    assert ox.Quad(service, A, n(SD.Service)) in g
    assert ox.Quad(service, A, n(DCAT.DataService)) in g
    assert ox.Quad(service, n(SD.supportedLanguage), n(SD.SPARQL11Query)) in g
    assert ox.Quad(service, n(DCAT.endpointDescription), endpoint) in g
    assert ox.Quad(service, n("http://www.w3.org/2000/01/rdf-schema#seeAlso"), n("http://localhost/void")) in g
    formats = {q.object.value for q in g.quads_for_pattern(service, n(SD.resultFormat), None)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats and len(formats) == 10
    assert ox.Quad(n("https://w3id.org/govkg/catalog"), n(DCAT.service), service) in g
    assert not list(g.quads_for_pattern(None, n(SD.supportedLanguage), n(SD.SPARQL11Update)))  # read-only


def test_service_description_in_json_ld(client: FlaskClient) -> None:
    resp = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert resp.content_type == "application/ld+json"
    assert len(_graph(resp.data, ox.RdfFormat.JSON_LD)) > 20


def test_void_counts_classes_graphs_and_jurisdictions(client: FlaskClient) -> None:
    resp = client.get("/void")
    assert resp.status_code == 200
    g = _graph(resp.data)
    dataset = n("https://w3id.org/govkg/void#govkg")

    def value(s: object, p: object) -> int:
        (q,) = list(g.quads_for_pattern(s, n(p), None))  # type: ignore[arg-type]
        return int(q.object.value)

    assert value(dataset, VOID.triples) == len(catalogue())
    parts = {q.object for q in g.quads_for_pattern(dataset, n(VOID.classPartition), None)}
    counts = {next(g.quads_for_pattern(p, n(VOID["class"]), None)).object.value: value(p, VOID.entities) for p in parts}
    assert counts[str(DCAT.Dataset)] == 3 and counts[str(GDS.Agency)] == 3
    graphs = {next(g.quads_for_pattern(s.object, n(SD.name), None)).object.value: value(s.object, VOID.triples)
              for s in g.quads_for_pattern(dataset, n(VOID.subset), None)
              if next(g.quads_for_pattern(s.object, n(SD.name), None), None)}
    assert graphs == {G1.value: sum(q.graph_name == G1 for q in catalogue()),
                      G2.value: sum(q.graph_name == G2 for q in catalogue())}
    province = n("https://w3id.org/govkg/void#jurisdiction-330000")
    city = n("https://w3id.org/govkg/void#jurisdiction-330100")
    assert value(province, VOID.entities) == 3  # one dataset of its own and two of the city's
    assert value(city, VOID.entities) == 2
    assert ox.Quad(province, n(DCTERMS.spatial), n(EX + "jurisdiction/330000")) in g
    city_parts = [q.object for q in g.quads_for_pattern(city, n(VOID.classPartition), None)]
    assert {next(g.quads_for_pattern(p, n(VOID["class"]), None)).object.value for p in city_parts} == {str(DCAT.Dataset)}
    assert client.get("/.well-known/void", headers={"Accept": "application/n-triples"}).status_code == 200


# -- query page ---------------------------------------------------------------------------------------
@pytest.fixture
def queries(tmp_path: Path) -> Path:
    d = tmp_path / "queries"
    d.mkdir()
    (d / "datasets-by-jurisdiction.rq").write_text(
        "#+ summary: Datasets <script>alert(1)</script> per jurisdiction\n#+ description: counts\n"
        "#+ tags: [catalogue, jurisdiction]\nSELECT ?j (COUNT(?d) AS ?n) WHERE { ?d a ?c } GROUP BY ?j\n", "utf-8")
    (d / "plain.rq").write_text("ASK {}\n", "utf-8")
    return d


def test_query_page_lists_examples_escaped(store: OxigraphStore, queries: Path) -> None:
    app = create_app(Config(store=store.path), test_config={"QUERIES_DIR": str(queries)})
    try:
        resp = app.test_client().get("/sparql", headers={"Accept": "text/html"})
        assert resp.status_code == 200 and resp.content_type.startswith("text/html")
        html = resp.data.decode()
        assert "<script>alert(1)</script>" not in html
        assert "Datasets &lt;script&gt;alert(1)&lt;/script&gt; per jurisdiction" in html
        assert "plain" in html and 'name="query"' in html and 'action="http://localhost/sparql"' in html
        data = html.split('<script type="application/json" id="examples-data">')[1].split("</script>")[0]
        examples = json.loads(data)
        assert [e["name"] for e in examples] == ["datasets-by-jurisdiction", "plain"]
        assert examples[0]["tags"] == ["catalogue", "jurisdiction"]
    finally:
        sparql.close(app)


def test_query_page_is_a_plain_form_without_yasgui(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query_page, "YASGUI_JS", "vendor/missing/yasgui.min.js")
    html = client.get("/sparql", headers={"Accept": "text/html"}).data.decode()
    assert "vendor/" not in html and "query.js" not in html
    assert '<form id="plain-form" method="get"' in html and "hidden" not in html.split("plain-form")[1][:80]


def test_query_page_loads_yasgui_when_installed(client: FlaskClient, monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path, app: Flask) -> None:
    static = tmp_path / "static"
    (static / "vendor" / "yasgui").mkdir(parents=True)
    for name in ("yasgui.min.js", "yasgui.min.css"):
        (static / "vendor" / "yasgui" / name).write_text("/* stub */")
    monkeypatch.setattr(app, "static_folder", str(static))
    html = client.get("/sparql", headers={"Accept": "text/html"}).data.decode()
    assert "/static/vendor/yasgui/yasgui.min.js" in html and "/static/query.js" in html
    assert '<div id="yasgui" data-endpoint="http://localhost/sparql">' in html
