"""The named-query API: injection attempts in every parameter of every query.

A value is either refused (400, naming the parameter) or bound as one RDF term holding
exactly the value: the query text then differs from the same query with a harmless value
only in that term, it is still valid SPARQL, and over HTTP it answers 200, never 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from corpus import API_VALUES, Text
from flask import Flask
from flask.testing import FlaskClient
from hostile_kit import close_app, error_of, make_app, seed, store_checksum

from govkg.queries import NamedQuery, Param, ParameterError, QueryLibrary
from govkg.store.oxigraph import OxigraphStore

LIBRARY = QueryLibrary.from_folder()
PARAMS = [(q, p) for q in LIBRARY for p in q.params]
PLACEHOLDER = "zzplaceholderzz"


def _harmless(p: Param) -> str:
    if p.type == "string":
        return PLACEHOLDER
    if p.type == "langString":
        return PLACEHOLDER + "@en"
    if p.type == "iri":
        return "http://example.org/" + PLACEHOLDER
    assert p.example is not None, f"{p.name} has no example"
    return p.example


def _values(q: NamedQuery, p: Param, value: str) -> dict[str, str]:
    values = q.example_values()
    values[p.name] = value
    return values


@pytest.fixture(scope="module")
def engine() -> ox.Store:
    return ox.Store()


@pytest.mark.parametrize("value", API_VALUES, ids=str)
def test_value_is_refused_or_bound_as_one_term(value: Text, engine: ox.Store) -> None:
    for q, p in PARAMS:
        try:
            terms = q.bind(_values(q, p, value.text))
        except ParameterError as e:
            assert e.source == p.name or p.name in e.message, e.message
            continue
        term = terms[p.name]
        if p.type == "string":
            assert term == ox.Literal(value.text)
        elif p.type == "langString":
            assert isinstance(term, ox.Literal) and term.value + "@" + str(term.language) == value.text
        elif p.type == "iri":
            assert term == ox.NamedNode(value.text)
        harmless = q.bind(_values(q, p, _harmless(p)))[p.name]
        text = q.render(terms, limit=10)
        assert text == q.render({**terms, p.name: harmless}, limit=10).replace(str(harmless), str(term), 1), \
            f"{q.name}?{p.name}: the value changed the query's shape"
        engine.query(text)  # still one valid query


@pytest.fixture(scope="module")
def app(fast_dir: Path) -> Iterator[tuple[Flask, OxigraphStore]]:
    store = OxigraphStore(fast_dir / "store")
    seed(store, filler=50)
    a = make_app(store)
    yield a, store
    close_app(a)


@pytest.fixture
def client(app: tuple[Flask, OxigraphStore]) -> Iterator[FlaskClient]:
    flask_app, store = app
    before = store_checksum(store)
    yield flask_app.test_client()
    assert store_checksum(store) == before, "the store changed"


@pytest.mark.parametrize("value", API_VALUES, ids=str)
def test_value_over_http_is_400_or_a_whole_answer(value: Text, client: FlaskClient) -> None:
    statuses: dict[int, int] = {}
    for q, p in PARAMS:
        resp = client.get(f"/api/{q.name}", query_string=_values(q, p, value.text),
                          headers={"Accept": "application/json"})
        statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
        if resp.status_code == 400:
            assert p.name in error_of(resp)
            continue
        assert resp.status_code == 200, (q.name, p.name, resp.status_code, resp.get_data(as_text=True)[:300])
        if q.form == "select":
            body = resp.get_json()
            assert body["query"] == q.name and isinstance(body["rows"], list)
    assert set(statuses) <= {200, 400}
