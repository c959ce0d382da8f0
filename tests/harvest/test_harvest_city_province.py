"""Two govkg servers on loopback: a province harvests a city's DCAT feed; the city changes,
adds, deletes and revokes datasets; the province's next harvest does exactly that."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import requests
import synthetic
from feedkit import STATUS, listed, parse, records
from harvestkit import read_graph
from loopback import serve
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS

from govkg.catalog_index import TripleIndex, describe
from govkg.config import Config
from govkg.rdfterms import to_ox, to_rdflib_graph
from govkg.store.oxigraph import OxigraphStore
from govkg.vocab import graph_iri
from loaders.harvest import harvest

CITY = "https://data.guiyang.example/"
PROVINCE = "https://data.guizhou.example/"
CITY_GRAPH = ox.NamedNode(str(graph_iri("source", "synthetic")))
XSD_DT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
DCT = "http://purl.org/dc/terms/"
FOAF_TOPIC = ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic")
ADMS_STATUS = ox.NamedNode("http://www.w3.org/ns/adms#status")


def set_value(tx, s: str, p: str, value: ox.Literal | ox.NamedNode) -> None:
    snap = tx.snapshot()
    tx.remove(list(snap.quads(ox.NamedNode(s), ox.NamedNode(p), None, CITY_GRAPH)))
    tx.add([ox.Quad(ox.NamedNode(s), ox.NamedNode(p), value, CITY_GRAPH)])


def record_of(tx, dataset: str) -> str:
    (q,) = list(tx.snapshot().quads(None, FOAF_TOPIC, ox.NamedNode(dataset), CITY_GRAPH))
    return q.subject.value


def city_changes(store: OxigraphStore, changed: str, deleted: str, revoked: str) -> str:
    now = ox.Literal("2026-01-15T09:00:00Z", datatype=XSD_DT)
    with store.transaction() as tx:
        # a dataset is retitled (and its dates move)
        set_value(tx, changed, DCT + "title", ox.Literal("Bus stops (revised)", language="en"))
        set_value(tx, changed, DCT + "modified", now)
        set_value(tx, record_of(tx, changed), DCT + "modified", now)
        # a dataset is revoked: its record says so
        rec = record_of(tx, revoked)
        set_value(tx, rec, str(ADMS_STATUS.value), ox.NamedNode(STATUS + "REVOKED"))
        set_value(tx, rec, DCT + "modified", now)
        # a dataset is deleted outright, with its distribution and record
        snap = tx.snapshot()
        rec = record_of(tx, deleted)
        doomed = set()
        for s in (deleted, deleted + "/distribution/1", rec):
            doomed |= set(snap.quads(ox.NamedNode(s), None, None, CITY_GRAPH))
            doomed |= set(snap.quads(None, None, ox.NamedNode(s), CITY_GRAPH))
        doomed |= {
            q
            for q in snap.quads(None, None, None, CITY_GRAPH)
            if str(q.subject).startswith("_:")
            and any(True for _ in snap.quads(ox.NamedNode(deleted), None, q.subject, CITY_GRAPH))
        }
        tx.remove(doomed)
        # and a new one is published
        buf = io.StringIO()
        m = synthetic.generate(buf, datasets=1, start=500, base=CITY, statuses=False, vocab=False)
        tx.add(ox.parse(buf.getvalue().encode(), format=ox.RdfFormat.N_QUADS))
    return m.datasets[0]


def test_province_follows_the_city(tmp_path: Path) -> None:
    from server.app import create_app

    city_store = OxigraphStore(tmp_path / "city")
    manifest = synthetic.load(city_store, datasets=40, base=CITY, seed=9)
    prov_store = OxigraphStore(tmp_path / "province")
    city_app = create_app(Config(store=tmp_path / "city", base_iri=CITY, feed_page_size=7, tombstone_days=1e6))
    prov_app = create_app(Config(store=tmp_path / "province", base_iri=PROVINCE, feed_page_size=7, tombstone_days=1e6))
    published = manifest.published
    with serve(city_app) as city, serve(prov_app) as province:
        first = harvest_city(prov_store, city)
        assert sorted(first.added) == sorted(published) and first.complete and not first.rejected
        assert first.documents == -(-(len(published) + len(manifest.with_status("REVOKED", "DELETED"))) // 7)
        # the province republishes the city's datasets in its own feed, verbatim
        client = prov_app.test_client()
        g = parse(client.get("/catalog?limit=200"))
        root = URIRef(PROVINCE + "catalog")
        assert listed(g, root) == set(published)
        city_doc = parse(city_app.test_client().get("/dataset", query_string={"iri": published[0]}))
        assert isomorphic(description(g, published[0]), description(city_doc, published[0]))
        assert len(description(g, published[0])) > 20

        changed, deleted, revoked = published[1], published[2], published[3]
        added = city_changes(city_store, changed, deleted, revoked)
        second = harvest_city(prov_store, city)
        assert second.added == [added]
        assert second.changed == [changed]
        assert sorted(second.deleted) == sorted([deleted, revoked])
        assert second.unchanged == len(published) - 3
        assert not second.rejected and second.complete

        # the province's store: new title, no trace of the withdrawn descriptions, records say why
        pg = read_graph(data=requests.get(province + "/catalog.nt", timeout=30).content, fmt="nt")
        assert (URIRef(changed), DCTERMS.title, Literal("Bus stops (revised)", lang="en")) in pg
        assert pg.value(URIRef(deleted), DCAT.distribution) is None
        assert pg.value(URIRef(revoked), DCAT.distribution) is None
        recs = records(pg)
        assert recs[deleted][0] == STATUS + "DELETED" and recs[revoked][0] == STATUS + "REVOKED"
        assert recs[added][0] == STATUS + "PUBLISHED"
        assert listed(pg, root) == (set(published) - {deleted, revoked}) | {added}
        # and the nation harvests the province: the city's datasets travel one more hop, intact
        nation = OxigraphStore(tmp_path / "nation")
        hop = harvest(nation, province + "/catalog", graph=str(graph_iri("harvest", "guizhou")))
        assert sorted(hop.added) == sorted((set(published) - {deleted, revoked}) | {added})
        with nation.snapshot() as snap:
            got = to_rdflib_graph(
                snap.triples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{hop.graph}> {{ ?s ?p ?o }} }}")
            )
        assert isomorphic(description(got, changed), description(pg, changed))

        third = harvest_city(prov_store, city)
        assert (third.added, third.changed, third.deleted) == ([], [], [])
        assert third.unchanged == len(published) - 2 + 1
    city_app.extensions["govkg_feeds"].close()
    prov_app.extensions["govkg_feeds"].close()


def description(g, dataset: str):
    index = TripleIndex(ox.Triple(*(to_ox(x) for x in t)) for t in g)  # type: ignore[misc]
    return to_rdflib_graph(describe(index.lookup, ox.NamedNode(dataset)))


def harvest_city(store: OxigraphStore, city: str):
    return harvest(store, city + "/catalog", graph=str(graph_iri("harvest", "guiyang")))
