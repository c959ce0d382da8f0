"""The defences under ``govkg serve`` (gunicorn), where chunked bodies reach the app unlimited.

Regression: a chunked body over ``max_request_bytes`` was cut at the limit silently (the
view saw the first bytes only), so a graph store PUT could store a truncated document.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_load import govkg_serve  # noqa: E402

from govkg.store.oxigraph import OxigraphStore  # noqa: E402

LIMIT = 4000
RATE = 20  # a minute: the tests above it stay well under it
TOKEN = "served-token"
G = "https://example.org/security/served"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("served")
    store = OxigraphStore(tmp / "store")
    env = {"GOVKG_MAX_REQUEST_BYTES": str(LIMIT), "GOVKG_UPDATE_TOKEN": TOKEN, "GOVKG_QUERY_WORKERS": "1",
           "GOVKG_RATE_LIMIT_PER_MINUTE": str(RATE)}
    with govkg_serve(store.path, tmp / "serve.log", workers=1, threads=2, env=env) as url:
        yield url


def chunks(head: bytes, lines: int) -> Iterator[bytes]:
    """A body sent chunked (a generator: no Content-Length): ``head`` then 100-byte comment lines."""
    yield head
    for _ in range(lines):
        yield b"#" + b"x" * 98 + b"\n"


def ntriples(triples: int) -> Iterator[bytes]:
    for i in range(triples):
        yield f"<https://example.org/s{i}> <https://example.org/p> \"{i}\" .\n".encode()


def test_a_chunked_body_over_the_limit_is_refused_not_cut(base: str) -> None:
    resp = requests.post(base + "/sparql", data=chunks(b"ASK {}\n", LIMIT // 100 + 5),
                         headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert resp.status_code == 413 and str(LIMIT) in resp.json()["error"]
    within = requests.post(base + "/sparql", data=chunks(b"ASK {}\n", LIMIT // 100 - 5),
                           headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert within.status_code == 200 and within.json()["boolean"] is True


def test_a_chunked_graph_over_the_limit_is_not_stored_truncated(base: str) -> None:
    headers = {**AUTH, "Content-Type": "application/n-triples"}
    resp = requests.put(base + "/graph-store", params={"graph": G}, data=ntriples(200), headers=headers, timeout=30)
    assert resp.status_code == 413
    assert requests.get(base + "/graph-store", params={"graph": G}, timeout=30).status_code == 404
    small = requests.put(base + "/graph-store", params={"graph": G}, data=ntriples(20), headers=headers, timeout=30)
    assert small.status_code == 201
    got = requests.get(base + "/graph-store", params={"graph": G}, headers={"Accept": "application/n-triples"},
                       timeout=30)
    assert len(got.content.splitlines()) == 20  # the whole chunked document, not a prefix


def test_headers_and_rate_limit_through_gunicorn(base: str) -> None:
    resp = requests.get(base + "/", headers={"Accept": "text/html"}, timeout=30)
    assert "gunicorn" in resp.headers["Server"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    statuses = []
    for _ in range(RATE + 1):
        resp = requests.get(base + "/sparql", params={"query": "ASK {}"}, timeout=30)
        statuses.append(resp.status_code)
        if resp.status_code == 429:
            assert int(resp.headers["Retry-After"]) >= 1
            break
    assert statuses[-1] == 429 and set(statuses[:-1]) == {200}, statuses
