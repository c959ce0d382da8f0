"""``govkg serve`` for real: gunicorn on loopback, used by SPARQLWrapper as a client would."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from xml.dom.minidom import Document

import pyoxigraph as ox
import pytest
import requests
from sparql_helpers import TOKEN, VENV_BIN, free_port, start_server, stop, wait_for
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import Unauthorized

from govkg.store.oxigraph import OxigraphStore

EX = "http://example.org/"
G = ox.NamedNode(EX + "graph")
TIMEOUT = 2.0
FOREVER = ("SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {' '.join(str(k) for k in range(60))} }}" for i in range(7)) + " }")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("served")
    store = OxigraphStore(tmp / "store")
    with store.transaction() as tx:
        tx.add([ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"),
                        ox.Literal(f"{i}.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")), G)
                for i in range(5)])
    port = free_port()
    env = {**os.environ, "GOVKG_QUERY_WORKERS": "2", "GOVKG_MAX_RESULTS": "1000"}
    log = tmp / "server.log"
    proc = start_server([str(VENV_BIN / "govkg"), "--store", str(store.path), "serve", "--host", "127.0.0.1",
                         "--port", str(port), "--workers", "2", "--threads", "4", "--timeout", str(TIMEOUT),
                         "--token", TOKEN], log, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/sparql?query=ASK%7B%7D", proc, log, seconds=60)
        yield base
    finally:
        stop(proc)


def wrapper(base: str, query: str, fmt: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(base + "/sparql", updateEndpoint=base + "/update")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


def test_it_is_gunicorn(server: str) -> None:
    resp = requests.get(server + "/sparql", params={"query": "ASK {}"}, timeout=10)
    assert resp.status_code == 200 and "gunicorn" in resp.headers["Server"]


def test_sparqlwrapper_select_in_every_results_format(server: str) -> None:
    q = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s"
    js = wrapper(server, q, JSON).queryAndConvert()
    assert [b["s"]["value"] for b in js["results"]["bindings"]] == [f"{EX}s{i}" for i in range(5)]  # type: ignore[index]
    xml = wrapper(server, q, XML).queryAndConvert()
    assert isinstance(xml, Document) and len(xml.getElementsByTagName("result")) == 5
    csv = wrapper(server, q, CSV).queryAndConvert()
    assert csv.decode().splitlines()[0] == "s,o" and len(csv.decode().splitlines()) == 6  # type: ignore[union-attr]
    tsv = wrapper(server, q, TSV).queryAndConvert()
    assert tsv.decode().splitlines()[1] == f"<{EX}s0>\t\"0\"^^<http://www.w3.org/2001/XMLSchema#decimal>"  # type: ignore[union-attr]
    for fmt in (JSON, XML):
        ask = wrapper(server, f"ASK {{ <{EX}s1> ?p ?o }}", fmt).queryAndConvert()
        assert (ask["boolean"] if fmt == JSON else  # type: ignore[index]
                ask.getElementsByTagName("boolean")[0].firstChild.data == "true")  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_sparqlwrapper_construct(server: str, fmt: str) -> None:
    sw = wrapper(server, "CONSTRUCT WHERE { ?s ?p ?o }", fmt)
    if fmt in (TURTLE, N3):
        body, ctype = sw.queryAndConvert(), "text/turtle"
    else:  # SPARQLWrapper converts these with rdflib parsers that raise deprecation warnings
        response = sw.query().response
        body, ctype = response.read(), response.headers["Content-Type"].split(";")[0]
    assert ctype == {RDFXML: "application/rdf+xml", JSONLD: "application/ld+json"}.get(fmt, "text/turtle")
    triples = list(ox.parse(body, format=ox.RdfFormat.from_media_type(ctype)))  # type: ignore[arg-type]
    assert len(triples) == 5
    assert ox.Literal("1.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")) in {
        t.object for t in triples}


@pytest.mark.parametrize(("accept", "fmt"), [("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                             ("application/n-quads", ox.RdfFormat.N_QUADS),
                                             ("application/trig", ox.RdfFormat.TRIG)])
def test_sparqlwrapper_construct_in_other_rdf_formats(server: str, accept: str, fmt: ox.RdfFormat) -> None:
    sw = wrapper(server, "CONSTRUCT WHERE { ?s ?p ?o }", TURTLE)
    sw.addCustomHttpHeader("Accept", accept)
    result = sw.query()
    assert result.response.headers["Content-Type"].startswith(accept)
    triples = list(ox.parse(result.response.read(), format=fmt))
    assert len(triples) == 5
    assert ox.Literal("2.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")) in {
        t.object for t in triples}


def test_sparqlwrapper_update_needs_the_token(server: str) -> None:
    insert = f"INSERT DATA {{ GRAPH <{G.value}> {{ <{EX}added> <{EX}p> 1 }} }}"
    sw = wrapper(server, insert, JSON)
    sw.setMethod(POST)
    with pytest.raises(Unauthorized):
        sw.query()
    ask = f"ASK {{ <{EX}added> ?p ?o }}"
    assert wrapper(server, ask, JSON).queryAndConvert()["boolean"] is False  # type: ignore[index]
    sw = wrapper(server, insert, JSON)
    sw.setMethod(POST)
    sw.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    assert sw.query().response.status == 204
    # every gunicorn worker and every query worker sees the new generation
    for _ in range(6):
        assert wrapper(server, ask, JSON).queryAndConvert()["boolean"] is True  # type: ignore[index]


def test_a_query_that_runs_forever_is_stopped_while_others_are_answered(server: str) -> None:
    outcome: dict[str, object] = {}

    def forever() -> None:
        started = time.monotonic()
        resp = requests.post(server + "/sparql", data={"query": FOREVER}, timeout=60)
        outcome["elapsed"] = time.monotonic() - started
        outcome["status"] = resp.status_code
        outcome["body"] = resp.json()

    t = threading.Thread(target=forever)
    t.start()
    time.sleep(0.3)
    quick: list[float] = []
    while t.is_alive() and len(quick) < 50:
        started = time.monotonic()
        resp = requests.get(server + "/sparql", params={"query": f"SELECT * WHERE {{ ?s <{EX}p> ?o }}"}, timeout=10)
        quick.append(time.monotonic() - started)
        assert resp.status_code == 200 and len(resp.json()["results"]["bindings"]) >= 5
    t.join()
    assert outcome["status"] == 503
    assert "time limit" in outcome["body"]["error"]  # type: ignore[index]
    assert TIMEOUT - 0.1 < outcome["elapsed"] < TIMEOUT + 1.0  # type: ignore[operator]
    assert len(quick) >= 3 and max(quick) < 1.0, quick
    # the killed worker was replaced: the server still answers with its full pool
    for _ in range(4):
        assert requests.get(server + "/sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200


def test_long_queries_are_posted(server: str, tmp_path: Path) -> None:
    values = " ".join(f"<{EX}s{i}>" for i in range(400))
    q = f"SELECT ?s WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"
    sw = wrapper(server, q, JSON)
    sw.setMethod(POST)
    assert len(sw.queryAndConvert()["results"]["bindings"]) == 5  # type: ignore[index]
