"""Helpers of the hostile-input tests (a module of its own: every test folder has a conftest)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Flask
from werkzeug.test import TestResponse

from govkg.store.oxigraph import OxigraphStore


# -- the network guard and the canary (fixtures in conftest.py) ------------------------------------
@dataclass
class NetworkGuard:
    attempts: list[str] = field(default_factory=list)

    def refuse(self, what: str) -> OSError:
        self.attempts.append(what)
        return OSError(f"hostile-input tests: network access refused ({what})")


@dataclass
class Canary:
    url: str
    hits: list[str]

    def assert_untouched(self) -> None:
        assert not self.hits, f"something fetched from the canary: {self.hits}"


# -- stores ----------------------------------------------------------------------------------------------
SEED = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/govkg/id/dataset/seed-1> a dcat:Dataset ; dct:title "种子数据集"@zh, "Seed dataset"@en ;
    dct:identifier "seed-1" ; dct:modified "2024-01-02"^^<http://www.w3.org/2001/XMLSchema#date> .
<https://w3id.org/govkg/id/dataset/seed-2> a dcat:Dataset ; dct:title "Second seed"@en ;
    dcat:keyword "water", "水" ; dcat:byteSize "0010"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .
"""
SEED_GRAPH = "https://w3id.org/govkg/graph/source/hostile-seed"


def store_checksum(store: OxigraphStore) -> str:
    """SHA-256 of the sorted N-Quads of everything in the store, internal graphs included."""
    with store.snapshot() as snap:
        lines = sorted(str(q) for q in snap.oxigraph.quads_for_pattern(None, None, None, None))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def seed(store: OxigraphStore, *, filler: int = 0) -> None:
    """A store that is not empty: a few Turtle triples, and ``filler`` more triples so that
    a cartesian product over the store explodes (a few hundred cubed)."""
    g = ox.NamedNode(SEED_GRAPH)
    quads = [ox.Quad(q.subject, q.predicate, q.object, g) for q in ox.parse(SEED.encode(), format=ox.RdfFormat.TURTLE)]
    quads += [ox.Quad(ox.NamedNode(f"https://w3id.org/govkg/id/filler/{i % 97}"),
                      ox.NamedNode(f"http://example.org/filler/p{i % 7}"),
                      ox.NamedNode(f"https://w3id.org/govkg/id/filler/{(i * 31 + 7) % 97}"), g) for i in range(filler)]
    with store.transaction() as tx:
        tx.add(quads)


# -- the server ------------------------------------------------------------------------------------
TOKEN = "hostile-test-token"
QUERY_TIMEOUT = 2.0  # seconds: the exploding queries must be stopped within this and a margin
MAX_RESULTS = 1000
MAX_REQUEST_BYTES = 256 * 1024


def make_app(store: OxigraphStore, **overrides: object) -> Flask:
    """The real app over ``store``, with small limits so that the explosive inputs end fast."""
    from govkg.config import Config
    from server.app import create_app

    settings: dict[str, object] = {"store": store.path, "query_timeout": QUERY_TIMEOUT, "max_results": MAX_RESULTS,
                                   "max_request_bytes": MAX_REQUEST_BYTES, "update_token": TOKEN,
                                   "query_workers": 2}
    settings.update(overrides)
    return create_app(Config(**settings))  # type: ignore[arg-type]


def close_app(app: Flask) -> None:
    from server import browse, sparql

    browse.close(app)
    sparql.close(app)


def error_of(resp: TestResponse) -> str:
    """The message of govkg's one error shape (JSON), failing if the answer is not that shape."""
    data = resp.get_json(silent=True)
    assert isinstance(data, dict) and data.get("ok") is False, resp.get_data(as_text=True)[:300]
    assert data["status"] == resp.status_code
    message = str(data["error"])
    assert message.strip() and "Traceback" not in message
    return message


def checksum_outside(store: OxigraphStore, graphs: set[str]) -> str:
    """The checksum of everything but ``graphs`` (and the literal forms recorded for them):
    what a write meant for those graphs must have left unchanged."""
    from govkg.vocab import GDS, LITERAL_FORMS_GRAPH

    lf = ox.NamedNode(str(LITERAL_FORMS_GRAPH))
    skip = {ox.NamedNode(g) for g in graphs}
    with store.snapshot() as snap:
        db = snap.oxigraph
        theirs = {q.subject for q in db.quads_for_pattern(None, ox.NamedNode(str(GDS.inGraph)), None, lf)
                  if q.object in skip}
        lines = sorted(str(q) for q in db.quads_for_pattern(None, None, None, None)
                       if q.graph_name not in skip and not (q.graph_name == lf and q.subject in theirs))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
