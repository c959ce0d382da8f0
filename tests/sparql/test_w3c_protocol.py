"""The W3C SPARQL 1.1 Protocol tests (protocol/manifest.ttl) against the Flask app.

Run three ways: the embedded store with an update token (every test applies), the embedded
store without one (the update tests must then be refused with 403: the endpoint is
read-only), and the app proxying to a real ``oxigraph serve`` process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sparql_helpers import TOKEN, kasei_quads, reset_store
from sparql_w3c import HttpRequest, ProtocolTest, check_response, protocol_tests

from govkg.config import Config
from govkg.store.oxigraph import OxigraphStore
from govkg.store.remote import RemoteStore
from server import sparql
from server.app import create_app

W3C = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "w3c-sparql11"
TESTS = {t.name: t for t in protocol_tests(W3C)} if (W3C / "protocol" / "manifest.ttl").exists() else {}
NAMES = list(TESTS) or ["manifest-missing"]


def send(client: FlaskClient, req: HttpRequest, token: str | None) -> tuple[int, str, bytes]:
    headers = dict(req.headers)
    content_type = headers.pop("content-type", None)
    if token and req.is_update:
        headers["Authorization"] = f"Bearer {token}"
    resp = client.open(req.routed("/sparql", "/update"), method=req.method, headers=headers,
                       data=req.body, content_type=content_type)
    return resp.status_code, resp.content_type or "", resp.data


def run_test(client: FlaskClient, test: ProtocolTest, token: str | None, read_only: bool) -> None:
    for i, req in enumerate(test.requests):
        status, ctype, body = send(client, req, token)
        if read_only and req.is_update:
            expected = 403 if req.method == "POST" else 405  # /update takes only POST
            assert status == expected, f"{test.name} request {i}: a read-only endpoint answered {status}: {body!r}"
            return  # what follows checks the update's effect, which a read-only endpoint has not got
        problems = check_response(req, status, ctype, body)
        assert not problems, f"{test.name} request {i} ({req.method} {req.path[:80]}): {problems}"


def _app(config: Config) -> Flask:
    return create_app(config)


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Iterator[tuple[Callable[..., Flask], OxigraphStore]]:
    store = OxigraphStore(tmp_path_factory.mktemp("protocol") / "store")
    apps: list[Flask] = []

    def app(**settings: object) -> Flask:
        a = _app(Config(store=store.path, query_timeout=20, **settings))  # type: ignore[arg-type]
        apps.append(a)
        return a

    yield app, store
    for a in apps:
        sparql.close(a)


@pytest.fixture(scope="module")
def writable(embedded: tuple[Callable[..., Flask], OxigraphStore]) -> Flask:
    return embedded[0](update_token=TOKEN)


@pytest.fixture(scope="module")
def read_only(embedded: tuple[Callable[..., Flask], OxigraphStore]) -> Flask:
    return embedded[0]()


@pytest.fixture(scope="module")
def remote(oxigraph_server: str) -> Iterator[tuple[Flask, RemoteStore]]:
    store = RemoteStore(oxigraph_server + "/query", oxigraph_server + "/update", timeout=20)
    app = _app(Config(endpoint=store.query_url, update_endpoint=store.update_url, update_token=TOKEN,
                      query_timeout=20))
    yield app, store
    sparql.close(app)
    store.close()


def _test(name: str) -> ProtocolTest:
    if name not in TESTS:
        pytest.fail(f"the protocol manifest is missing under {W3C}")
    return TESTS[name]


@pytest.mark.parametrize("name", NAMES)
def test_protocol_embedded(name: str, writable: Flask, embedded: tuple[object, OxigraphStore], w3c: Path) -> None:
    test = _test(name)
    reset_store(embedded[1], kasei_quads(w3c))
    run_test(writable.test_client(), test, TOKEN, read_only=False)


@pytest.mark.parametrize("name", NAMES)
def test_protocol_read_only(name: str, read_only: Flask, embedded: tuple[object, OxigraphStore], w3c: Path) -> None:
    test = _test(name)
    reset_store(embedded[1], kasei_quads(w3c))
    run_test(read_only.test_client(), test, None, read_only=True)


@pytest.mark.parametrize("name", NAMES)
def test_protocol_remote(name: str, remote: tuple[Flask, RemoteStore], w3c: Path) -> None:
    test = _test(name)
    app, store = remote
    with store.transaction() as tx:
        tx.update("DROP SILENT ALL")
    with store.transaction() as tx:
        tx.add(kasei_quads(w3c))
    run_test(app.test_client(), test, TOKEN, read_only=False)


def test_every_protocol_test_is_run() -> None:
    """34 tests in the manifest, none left out (tests/sparql/README.md: none is not applicable)."""
    assert len(TESTS) == 34
    assert sum(t.has_update for t in TESTS.values()) == 13
