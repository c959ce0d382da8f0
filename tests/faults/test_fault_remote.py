"""A remote SPARQL backend that goes away: clear 502/503 answers, no hang, recovery when it is back.

A real ``oxigraph serve`` (without ``--union-default-graph``) holds the data; ``govkg serve
--endpoint`` stands in front of it.  The backend is SIGKILLed while a slow query runs
through govkg, every route kind is asked while it is down, and it is restarted on the same
port and location: the next request is answered, with the data as it was.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from faultkit import GOVKG, PAIR_P, PAIRS, VENV_BIN, free_port, kill, start, stop, wait_for_http, wait_until

from govkg.store.remote import RemoteStore

TIMEOUT = 20.0  # govkg's query time limit: a dead backend must be reported well before it
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{PAIRS}> {{ ?s <{PAIR_P[0]}> ?o }} }}"
DOWN = [  # (url, accept) of each route kind that reads the store
    ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
    ("/", "text/html"),
    ("/catalog", "text/turtle"),
    ("/search?q=data", "text/html"),
    ("/api/restricted-without-legal-basis", "application/json"),
    ("/graph-store?graph=" + PAIRS, "application/n-triples"),
]


class Backend:
    """``oxigraph serve`` on a fixed loopback port and location, killable and restartable."""

    def __init__(self, location: Path, log: Path) -> None:
        self.location = location
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self) -> None:
        binary = VENV_BIN / "oxigraph"
        assert binary.exists(), f"{binary} is missing: install the test extra (pip install -e '.[test]')"
        self.proc = start([str(binary), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
                          self.log)
        wait_for_http(self.url + "/query?query=ASK%7B%7D", self.proc, self.log)

    def kill(self) -> None:
        kill(self.proc)  # type: ignore[arg-type]


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    b = Backend(tmp_path / "oxigraph", tmp_path / "oxigraph.log")
    b.start()
    store = RemoteStore(b.url + "/query", b.url + "/update", timeout=30)
    with store.transaction() as tx:
        tx.add([ox.Quad(ox.NamedNode(f"https://example.org/faults/r/{i}"), ox.NamedNode(p), ox.Literal(str(i)),
                        ox.NamedNode(PAIRS)) for i in range(50) for p in PAIR_P])
    store.close()
    yield b
    if b.proc is not None:
        stop(b.proc)


@pytest.fixture
def front(backend: Backend, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = tmp_path / "govkg.log"
    proc = start([GOVKG, "--endpoint", backend.url + "/query", "--update-endpoint", backend.url + "/update", "serve",
                  "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--threads", "4",
                  "--timeout", str(TIMEOUT), "--rate-limit", "0"], log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/sparql?query=ASK%7B%7D", proc, log)
        yield base
    finally:
        stop(proc)


def assert_clear_gateway_error(resp: requests.Response) -> None:
    assert resp.status_code in (502, 503), (resp.status_code, resp.text[:500])
    assert resp.headers["Content-Type"].startswith("application/json"), resp.text[:500]
    body = resp.json()
    assert body["ok"] is False and body["status"] == resp.status_code
    assert "SPARQL server" in body["error"] or "cut off" in body["error"], body
    assert "Traceback" not in resp.text


def count(base: str) -> int:
    resp = requests.get(base + "/sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"},
                        timeout=30)
    assert resp.status_code == 200, resp.text
    return int(resp.json()["results"]["bindings"][0]["n"]["value"])


def test_backend_killed_mid_request_then_restarted(front: str, backend: Backend) -> None:
    assert count(front) == 50
    answers: list[tuple[requests.Response, float]] = []

    def slow_query() -> None:
        started = time.monotonic()
        resp = requests.post(front + "/sparql", data={"query": SLOW}, headers={"Accept": "application/json"},
                             timeout=TIMEOUT * 3)
        answers.append((resp, time.monotonic() - started))

    slow = threading.Thread(target=slow_query)
    slow.start()
    time.sleep(1.5)  # the query is running on the backend (it would take far longer than TIMEOUT)
    assert slow.is_alive() and not answers
    killed_at = time.monotonic()
    backend.kill()
    slow.join(TIMEOUT * 3)
    resp, took = answers[0]
    assert_clear_gateway_error(resp)
    assert time.monotonic() - killed_at < 10 and took < TIMEOUT  # reported at once, not at the time limit

    for url, accept in DOWN:  # every route kind, while the backend is down
        started = time.monotonic()
        resp = requests.get(front + url, headers={"Accept": accept}, timeout=TIMEOUT * 2)
        assert resp.status_code in (502, 503), (url, resp.status_code, resp.text[:300])
        assert "Traceback" not in resp.text and time.monotonic() - started < 10, url
    assert_clear_gateway_error(requests.get(front + DOWN[0][0], timeout=TIMEOUT))

    backend.start()  # same port, same location
    assert count(front) == 50  # recovered, nothing lost
    for url, accept in DOWN:
        assert requests.get(front + url, headers={"Accept": accept}, timeout=TIMEOUT * 2).status_code == 200, url


def staged(backend: Backend) -> bool:
    ask = 'ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "urn:govkg:staging:")) }'
    resp = requests.get(backend.url + "/query", params={"query": ask},
                        headers={"Accept": "application/sparql-results+json"}, timeout=30)
    return bool(resp.json()["boolean"])


def test_backend_killed_during_a_write(front: str, backend: Backend, tmp_path: Path) -> None:
    """A ``govkg load --endpoint`` whose backend dies midway fails clearly and changes nothing."""
    big = tmp_path / "big.nt"
    with open(big, "w", encoding="utf-8") as f:
        for i in range(60_000):
            f.write(f'<https://example.org/faults/w/{i}> <{PAIR_P[0]}> "{i}" .\n')
    log = tmp_path / "load.log"
    proc = start([GOVKG, "--endpoint", backend.url + "/query", "--update-endpoint", backend.url + "/update", "load",
                  "--graph", PAIRS, str(big)], log)
    wait_until(lambda: staged(backend), 120, "the staging graph on the backend", proc, log)
    backend.kill()  # between staging and publishing
    assert proc.wait(60) == 2, log.read_text(errors="replace")
    assert "SPARQL server" in log.read_text(errors="replace") or "cut off" in log.read_text(errors="replace")
    backend.start()
    assert count(front) == 50  # the target graph is as it was
