"""The auditors' site: hostile harvested data on dereferenced pages, hostile search input,
and paths that try to name files.

Every HTML answer carries the Content-Security-Policy without scripts; hostile markup from
the data or the request shows as text (escaped), never as markup, and no link leads to a
``javascript:`` or ``data:`` URL.  Search input with FTS5 syntax answers 200 or 400, never
500.  Paths naming files outside the site answer 400 or 404 and never a file's content.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from corpus import PATHS, SEARCH_FACETS, SEARCHES, SECRETS, RdfCase, Text, rdf_cases
from flask import Flask
from flask.testing import FlaskClient
from hostile_kit import close_app, make_app, seed, store_checksum
from werkzeug.test import TestResponse

from govkg.rdfio import format_for, parse_document
from govkg.store.oxigraph import OxigraphStore
from loaders.harvest import harvest

HTML = {"Accept": "text/html"}
HTML_CASES = [c for c in rdf_cases() if c.category == "html"]
BASE = "https://w3id.org/govkg/"
# markup that must never reach a page unescaped
DANGEROUS = re.compile(r"<script>alert|<img src=x|<svg onload|<iframe|<b>bold|(href|src|action)\s*=\s*[\"']?\s*"
                       r"(javascript|data):", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(fast_dir: Path) -> Iterator[tuple[Flask, OxigraphStore]]:
    store = OxigraphStore(fast_dir / "store")
    seed(store)
    for case in HTML_CASES:  # harvested, as a platform's catalogue would arrive
        path = fast_dir / case.name
        path.write_bytes(case.data())
        report = harvest(store, str(path), graph=BASE + "graph/harvest/hostile/" + case.name)
        assert not report.rejected, report.summary()
    app = make_app(store)
    yield app, store
    close_app(app)


@pytest.fixture
def client(site: tuple[Flask, OxigraphStore]) -> Iterator[FlaskClient]:
    app, store = site
    before = store_checksum(store)
    yield app.test_client()
    assert store_checksum(store) == before, "the store changed"


def _safe_html(resp: TestResponse) -> str:
    csp = resp.headers.get("Content-Security-Policy", "")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[-1], csp
    body = resp.get_data(as_text=True)
    hit = DANGEROUS.search(body)
    assert hit is None, f"unescaped: {body[max(0, hit.start() - 120):hit.end() + 120]}"
    return body


def _page(iri: str) -> str:
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else "/resource?iri=" + quote(iri, safe="")


@pytest.mark.parametrize("case", HTML_CASES, ids=str)
def test_pages_of_hostile_data_escape_it(case: RdfCase, client: FlaskClient) -> None:
    quads = parse_document(case.data(), format_for(name=case.syntax), source=case.name,
                           graph=ox.NamedNode("urn:x:g"), base_iri="http://example.org/").quads
    subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    assert subjects
    for iri in sorted(subjects):
        resp = client.get(_page(iri), headers=HTML)
        assert resp.status_code == 200, (iri, resp.status_code)
        _safe_html(resp)


@pytest.mark.parametrize("search", SEARCHES, ids=str)
def test_search_input_is_escaped_and_never_an_error_500(search: Text, client: FlaskClient) -> None:
    resp = client.get("/search", query_string={"q": search.text}, headers=HTML)
    assert resp.status_code in (200, 400), (resp.status_code, resp.get_data(as_text=True)[:300])
    body = _safe_html(resp)
    if "<" in search.text:
        assert search.text not in body


@pytest.mark.parametrize("facet", SEARCH_FACETS, ids=str)
def test_search_facets_are_escaped_and_never_an_error_500(facet: Text, client: FlaskClient) -> None:
    name, _, value = facet.text.partition("=")
    resp = client.get("/search", query_string={name: value}, headers=HTML)
    assert resp.status_code in (200, 400), (resp.status_code, resp.get_data(as_text=True)[:300])
    body = _safe_html(resp)
    if "<" in value:
        assert value not in body


def test_search_finds_the_hostile_dataset_and_shows_it_as_text(client: FlaskClient) -> None:
    resp = client.get("/search", query_string={"q": "恶意标题"}, headers=HTML)
    body = _safe_html(resp)
    assert "/id/dataset/hostile-harvested" in body
    assert "&lt;script&gt;alert(" in body


@pytest.mark.parametrize("path", PATHS, ids=str)
def test_paths_naming_files_give_no_file(path: Text, client: FlaskClient) -> None:
    resp = client.get(path.text, headers=HTML)
    assert resp.status_code in (400, 404), (resp.status_code, resp.get_data(as_text=True)[:300])
    assert not any(s in resp.get_data() for s in SECRETS)
    resp = client.get(path.text, headers={"Accept": "application/json"})
    assert resp.status_code in (400, 404)
    assert not any(s in resp.get_data() for s in SECRETS)
