"""Who may write: anonymous clients never, token holders with the right token only."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from govkg.store.oxigraph import OxigraphStore

TOKEN = "write-token-0123456789"
G = "https://example.org/security/graph"
BODY = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> ."
WRITES = [
    ("POST", "/update", {"data": {"update": f"INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> <urn:c> }} }}"}}),
    ("POST", "/update", {"data": f"INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> <urn:d> }} }}".encode(),
                         "content_type": "application/sparql-update"}),
    ("PUT", f"/graph-store?graph={G}", {"data": BODY, "content_type": "text/turtle"}),
    ("POST", f"/graph-store?graph={G}", {"data": BODY, "content_type": "text/turtle"}),
    ("POST", "/graph-store", {"data": BODY, "content_type": "text/turtle"}),
    ("DELETE", f"/graph-store?graph={G}", {}),
]


@pytest.fixture
def own_store(tmp_path: Path) -> OxigraphStore:
    return OxigraphStore(tmp_path / "store")  # writes must not change the shared demo store


def count(store: OxigraphStore) -> int:
    """Quads the writes of this module put anywhere."""
    with store.snapshot() as snap:
        return sum(1 for q in snap.quads() if q.subject.value in ("https://example.org/s", "urn:a"))


@pytest.mark.parametrize(("method", "url", "kwargs"), WRITES)
def test_without_a_configured_token_every_write_is_forbidden(make_app: Callable[..., Flask], own_store: OxigraphStore,
                                                             method: str, url: str, kwargs: dict[str, object]) -> None:
    client = make_app(store=own_store.path).test_client()
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
        resp = client.open(url, method=method, headers=headers, **kwargs)  # type: ignore[arg-type]
        assert resp.status_code == 403 and "read-only" in resp.json["error"]
    assert count(own_store) == 0


@pytest.mark.parametrize(("method", "url", "kwargs"), WRITES)
def test_anonymous_and_wrong_tokens_get_401(make_app: Callable[..., Flask], own_store: OxigraphStore,
                                            method: str, url: str, kwargs: dict[str, object]) -> None:
    client = make_app(store=own_store.path, update_token=TOKEN).test_client()
    for header in (None, "Bearer", f"Basic {TOKEN}", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer  "):
        headers = {"Authorization": header} if header is not None else {}
        resp = client.open(url, method=method, headers=headers, **kwargs)  # type: ignore[arg-type]
        assert resp.status_code == 401, header
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")
        assert "Access-Control-Allow-Origin" not in resp.headers  # writes are never offered cross-origin
    assert count(own_store) == 0


def test_the_token_holder_writes(make_app: Callable[..., Flask], own_store: OxigraphStore) -> None:
    client = make_app(store=own_store.path, update_token=TOKEN).test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    statuses = [client.open(url, method=method, headers=auth, **kwargs).status_code  # type: ignore[arg-type]
                for method, url, kwargs in WRITES]
    assert statuses == [204, 204, 204, 204, 201, 204]
    assert count(own_store) == 1  # the graph minted by the POST to the service remains
    assert client.get("/graph-store", query_string={"graph": G}).status_code == 404  # deleted last


def test_reads_are_public(make_app: Callable[..., Flask]) -> None:
    client = make_app(update_token=TOKEN).test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    resp = client.get("/graph-store", query_string={"default": ""}, headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200 and resp.headers["Access-Control-Allow-Origin"] == "*"


def test_the_token_is_compared_in_constant_time(make_app: Callable[..., Flask], own_store: OxigraphStore,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    client = make_app(store=own_store.path, update_token=TOKEN).test_client()
    for presented in ("wrong", TOKEN):
        client.post("/update", data={"update": "CLEAR SILENT GRAPH <urn:x>"},
                    headers={"Authorization": f"Bearer {presented}"})
    assert calls == [(b"wrong", TOKEN.encode()), (TOKEN.encode(), TOKEN.encode())]
