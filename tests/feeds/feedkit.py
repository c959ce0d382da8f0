"""Helpers for the feed tests (and the harvest tests that serve feeds)."""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import rdflib
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, RDF

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from loopback import ensure_sparql_blueprint  # noqa: E402

from govkg.config import Config  # noqa: E402
from govkg.store.oxigraph import OxigraphStore  # noqa: E402

ensure_sparql_blueprint()

BASE = "https://data.city.example/"
TOMBSTONES_FOREVER = 1e6  # the synthetic records are dated 2024
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
STATUS = "https://w3id.org/govkg/authority/record-status/"
PARSERS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld", "nt": "nt"}


@dataclass
class Feed:
    store: OxigraphStore
    app: Flask
    client: FlaskClient
    manifest: synthetic.Manifest
    config: Config


def make_feed(
    path: Path,
    *,
    datasets: int,
    page_size: int = 10,
    tombstone_days: float = TOMBSTONES_FOREVER,
    base: str = BASE,
    seed: int = 5,
) -> Feed:
    from server.app import create_app

    store = OxigraphStore(path)
    manifest = synthetic.load(store, datasets=datasets, base=base, seed=seed)
    config = Config(
        store=path, base_iri=base, feed_page_size=page_size, feed_max_page_size=200, tombstone_days=tombstone_days
    )
    app = create_app(config)
    app.config["TESTING"] = True
    return Feed(store, app, app.test_client(), manifest, config)


def parse(resp, fmt: str = "ttl") -> Graph:
    assert resp.status_code == 200, resp.data[:500]
    return parse_bytes(resp.data, fmt)


def parse_bytes(data: bytes, fmt: str = "ttl") -> Graph:
    """rdflib, without re-writing literals (the feed publishes them as they were given)."""
    old = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its deprecated ConjunctiveGraph
            warnings.simplefilter("ignore", DeprecationWarning)
            return Graph().parse(data=data, format=PARSERS[fmt])
    finally:
        rdflib.NORMALIZE_LITERALS = old


def view_links(g: Graph) -> dict[str, str]:
    views = set(g.subjects(RDF.type, HYDRA.PartialCollectionView))
    assert len(views) == 1
    (v,) = views
    return {k: str(g.value(v, HYDRA[k])) for k in ("first", "next", "previous", "last") if g.value(v, HYDRA[k])}


def walk(client, url: str, direction: str = "next") -> list[Graph]:
    pages = []
    seen = set()
    while url:
        assert url not in seen, "paging loops"
        seen.add(url)
        g = parse(client.get(url))
        pages.append(g)
        url = view_links(g).get(direction)
    return pages


def listed(g: Graph, catalog: URIRef) -> set[str]:
    return {str(d) for d in g.objects(catalog, DCAT.dataset)}


def records(g: Graph) -> dict[str, tuple[str, str | None]]:
    out = {}
    for rec in g.subjects(RDF.type, DCAT.CatalogRecord):
        topic = str(g.value(rec, FOAF.primaryTopic))
        status = str(g.value(rec, ADMS.status))
        cs = g.value(rec, SPDX.checksum)
        out[topic] = (status, str(g.value(cs, SPDX.checksumValue)) if cs is not None else None)
    return out
