"""The paging index beside the store: key paging, rebuilds per generation, tombstones, and
the streamed whole-catalogue dump."""

from __future__ import annotations

import time

import pyoxigraph as ox
from feedkit import ADMS, STATUS, listed, make_feed, parse, parse_bytes, records, walk
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, FOAF, RDF

from govkg.catalog_index import ROOT, IndexManager
from govkg.vocab import graph_iri

SYNTHETIC = ox.NamedNode(str(graph_iri("source", "synthetic")))


def drop_dataset(store, dataset: str) -> None:
    """Remove every triple about a dataset, its distribution and its record, as a reload would."""
    with store.transaction() as tx:
        snap = tx.snapshot()
        doomed = []
        for s in (dataset, dataset + "/distribution/1"):
            doomed += list(snap.quads(ox.NamedNode(s), None, None, SYNTHETIC))
        doomed += list(snap.quads(None, None, ox.NamedNode(dataset), SYNTHETIC))
        for q in list(snap.quads(None, ox.NamedNode(str(FOAF.primaryTopic)), ox.NamedNode(dataset), SYNTHETIC)):
            doomed += list(snap.quads(q.subject, None, None, SYNTHETIC))
            doomed += list(snap.quads(None, None, q.subject, SYNTHETIC))
        tx.remove(set(doomed))


def test_key_paging_over_the_index(tmp_path) -> None:
    f = make_feed(tmp_path / "s", datasets=30)
    manager = IndexManager.for_store(f.store)
    with f.store.snapshot() as snap, manager.open(snap) as index:
        total = index.count(ROOT)
        rows = [r.dataset for batch in index.iter_rows(ROOT, batch=4) for r in batch]
        assert len(rows) == total == len(set(rows)) and rows == sorted(rows)
        page = index.page(ROOT, limit=5, after=rows[9])
        assert [r.dataset for r in page.rows] == rows[10:15] and page.has_next and page.has_previous
        back = index.page(ROOT, limit=5, before=rows[10])
        assert [r.dataset for r in back.rows] == rows[5:10]
        last = index.page(ROOT, limit=5, last=True)
        assert [r.dataset for r in last.rows] == rows[-5:] and not last.has_next and last.has_previous
        first_build = index.path
    f.app.extensions["govkg_feeds"].close()
    # a write makes a new generation: the next reader gets a fresh index, the old file goes
    drop_dataset(f.store, f.manifest.published[0])
    with f.store.snapshot() as snap, manager.open(snap) as index:
        assert index.path != first_build
        assert index.count(ROOT) == total  # the dropped dataset is now a tombstone
        assert index.row(f.manifest.published[0]).tombstone
    assert not first_build.exists()


def test_a_dataset_that_vanishes_becomes_a_tombstone_then_expires(tmp_path) -> None:
    f = make_feed(tmp_path / "s", datasets=20)
    gone = f.manifest.published[2]
    before = parse(f.client.get("/catalog?limit=200"))
    assert gone in listed(before, URIRef("https://data.city.example/catalog"))
    drop_dataset(f.store, gone)
    after = parse(f.client.get("/catalog?limit=200"))
    root = URIRef("https://data.city.example/catalog")
    assert gone not in listed(after, root)
    assert records(after)[gone] == (STATUS + "DELETED", None)
    node = URIRef(gone)
    assert after.value(node, DCAT.distribution) is None
    (rec,) = [r for r in after.subjects(FOAF.primaryTopic, node)]
    assert str(after.value(rec, URIRef("http://purl.org/dc/terms/modified")))[:4] == time.strftime("%Y")
    # in the catalogue it belonged to as well
    cat = f.manifest.catalog_of[gone]
    in_cat = parse(f.client.get("/catalog", query_string={"iri": cat, "limit": 200}))
    assert records(in_cat)[gone][0] == STATUS + "DELETED"
    f.app.extensions["govkg_feeds"].close()

    # the same store served with a tombstone period of zero days: the tombstone is gone
    from server.app import create_app

    app = create_app(f.config.with_(tombstone_days=0.0))
    g = parse(app.test_client().get("/catalog?limit=200"))
    assert gone not in records(g)
    assert not [d for d, (st, _) in records(g).items() if st != STATUS + "PUBLISHED"]
    app.extensions["govkg_feeds"].close()


def test_whole_catalogue_dump_streams_in_batches(feed, monkeypatch) -> None:
    from server import feeds

    monkeypatch.setattr(feeds, "DUMP_BATCH", 7)
    resp = feed.client.get("/catalog.nt")
    assert resp.is_streamed and resp.headers["Content-Type"].startswith("application/n-triples")
    chunks = list(resp.response)
    assert len(chunks) >= 1 + -(-len(feed.manifest.published) // 7)
    dump = parse_bytes(b"".join(chunks), "nt")
    paged = Graph()
    for g in walk(feed.client, "/catalog.ttl?limit=9"):
        paged += g
    root = URIRef("https://data.city.example/catalog")
    assert listed(dump, root) == listed(paged, root) == set(feed.manifest.published)
    assert records(dump) == records(paged)
    assert not any(dump.triples((None, URIRef("http://www.w3.org/ns/hydra/core#next"), None)))
    # the dump is the pages without their Hydra views
    for s, p, o in paged:
        if str(p).startswith("http://www.w3.org/ns/hydra/") or (
            p == RDF.type and str(o).startswith("http://www.w3.org/ns/hydra/")
        ):
            continue
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            assert (s, p, o) in dump, (s, p, o)
    assert any(dump.triples((None, ADMS.status, None)))


def test_an_unread_dump_gives_its_snapshot_back(feed) -> None:
    state = feed.app.extensions["govkg_feeds"]
    resp = feed.client.head("/catalog.nt")
    assert resp.status_code == 200
    resp.close()
    assert state._current is not None and state._current.users == 0
    resp = feed.client.get("/catalog.nt")
    next(iter(resp.response))  # a client that goes away after the first batch
    resp.close()
    assert state._current.users == 0
