"""Security headers on every route of the app, and page policies that fit the pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from flask import Flask

from govkg.store.oxigraph import OxigraphStore
from server.security import API_DOCS_CSP, DEFAULT_CSP, QUERY_PAGE_CSP

HTML = {"Accept": "text/html"}


def one_dataset(store: OxigraphStore) -> str:
    with store.snapshot() as snap:
        rows = snap.select("SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> "
                           "FILTER(STRSTARTS(STR(?d), 'https://w3id.org/govkg/id/dataset/')) } LIMIT 1")
    return rows[0]["d"].value  # type: ignore[union-attr]


def requests_for_every_route(app: Flask, store: OxigraphStore) -> list[tuple[str, str, dict[str, object]]]:
    """(method, url, extra test-client arguments): at least one request per endpoint of the app."""
    dataset = one_dataset(store).removeprefix("https://w3id.org/govkg/")
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    api_name = app.test_client().get("/api/openapi.json").json["paths"]
    first_api = sorted(api_name)[0]
    return [
        ("GET", "/", {"headers": HTML}),
        ("GET", "/dashboard", {"headers": HTML}),
        ("GET", "/findings", {"headers": HTML}),
        ("GET", "/search?q=data", {"headers": HTML}),
        ("GET", "/resource?iri=https://example.org/nothing", {"headers": HTML}),
        ("GET", f"/{dataset}", {"headers": HTML}),
        ("GET", f"/{dataset}.ttl", {}),
        ("GET", "/id/agency/none", {"headers": HTML}),
        ("GET", "/def", {"headers": HTML}),
        ("GET", "/def.ttl", {}),
        ("GET", "/authority", {}),
        ("GET", "/authority/none", {}),
        ("GET", "/eli/none", {}),
        ("GET", "/graph/none", {}),
        ("GET", "/id/catalog/none", {}),
        ("GET", "/catalog", {}),
        ("GET", "/catalog.jsonld", {}),
        ("GET", "/catalog.nt", {}),
        ("GET", "/catalog/source", {}),
        ("GET", "/catalog/source.ttl", {}),
        ("GET", "/dataset", {}),
        ("GET", "/dataset.ttl", {}),
        ("GET", "/sparql", {"headers": HTML}),
        ("GET", "/sparql", {"headers": {"Accept": "text/turtle"}}),
        ("GET", "/sparql?" + "query=" + query.replace(" ", "+"), {}),
        ("POST", "/sparql", {"data": {"query": query}}),
        ("OPTIONS", "/sparql", {}),
        ("GET", "/void", {"headers": {"Accept": "text/turtle"}}),
        ("GET", "/.well-known/void", {"headers": {"Accept": "text/turtle"}}),
        ("POST", "/update", {"data": {"update": "CLEAR ALL"}}),
        ("GET", "/graph-store?default", {"headers": {"Accept": "application/n-triples"}}),
        ("PUT", "/graph-store?graph=https://example.org/g", {"data": b"", "content_type": "text/turtle"}),
        ("GET", "/api/", {"headers": HTML}),
        ("GET", "/api/openapi.json", {}),
        ("GET", f"/api/{first_api.strip('/').removeprefix('api/')}", {}),
        ("GET", "/static/site.css", {}),
        ("GET", "/no/such/route", {"headers": HTML}),
        ("DELETE", "/sparql", {}),
    ]


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


def test_every_route_is_covered(app: Flask, demo_store: OxigraphStore) -> None:
    """A new route must be added to the list above (and so gets its headers checked)."""
    adapter = app.url_map.bind("localhost")
    hit = set()
    for method, url, _ in requests_for_every_route(app, demo_store):
        path = url.split("?")[0]
        try:
            hit.add(adapter.match(path, method="GET" if method in ("OPTIONS", "DELETE") else method)[0])
        except Exception:  # noqa: BLE001 - the deliberate 404 and 405
            continue
    assert hit == {rule.endpoint for rule in app.url_map.iter_rules()}


def test_every_response_carries_the_security_headers(app: Flask, demo_store: OxigraphStore) -> None:
    client = app.test_client()
    statuses = set()
    for method, url, kwargs in requests_for_every_route(app, demo_store):
        resp = client.open(url, method=method, **kwargs)  # type: ignore[arg-type]
        resp.close()  # a static file's handle
        statuses.add(resp.status_code)
        csp = resp.headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp, (method, url)
        assert "default-src 'none'" in csp, (method, url)
        assert "'unsafe-eval'" not in csp and not re.search(r"script-src[^;]*'unsafe-inline'", csp), (method, url)
        assert resp.headers.get("X-Content-Type-Options") == "nosniff", (method, url)
        assert resp.headers.get("Referrer-Policy") == "same-origin", (method, url)
        assert resp.headers.get("X-Frame-Options") == "DENY", (method, url)
    assert {200, 404, 403}.issubset(statuses)  # pages, errors and refusals alike


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.inline_handlers += [name for name, _ in attrs if name.startswith("on")]


def test_query_page_policy_lets_its_own_scripts_run_and_nothing_else(app: Flask) -> None:
    resp = app.test_client().get("/sparql", headers=HTML)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert resp.headers["Content-Security-Policy"] == QUERY_PAGE_CSP
    assert "script-src 'self';" in QUERY_PAGE_CSP and "connect-src 'self'" in QUERY_PAGE_CSP
    page = _Scripts()
    page.feed(resp.get_data(as_text=True))
    assert page.scripts, "the query page has no scripts: YASGUI is not installed (scripts/install-assets.sh)"
    for attrs in page.scripts:  # every script is a same-origin file under /static, or data
        src = attrs.get("src")
        assert (src or "").startswith("/static/") or attrs.get("type") == "application/json", attrs
    assert page.inline_handlers == []
    assert any("yasgui" in (a.get("src") or "") for a in page.scripts)


def test_other_pages_get_no_scripts(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/api/", headers=HTML).headers["Content-Security-Policy"] == API_DOCS_CSP
    assert "script-src" not in API_DOCS_CSP and "script-src" not in DEFAULT_CSP
    service_description = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert service_description.headers["Content-Security-Policy"] == DEFAULT_CSP
    home = client.get("/", headers=HTML)
    assert "script-src" not in home.headers["Content-Security-Policy"]
