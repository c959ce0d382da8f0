"""Every third-party DCAT document harvests and comes back out isomorphic, from the SPARQL
store and from the feed; the known-invalid ones are rejected with their line."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from harvestkit import SHARED, example_files, read_graph
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF

from govkg.catalog_index import TripleIndex, describe
from govkg.config import Config
from govkg.rdfterms import to_ox, to_rdflib_graph
from govkg.store.oxigraph import OxigraphStore
from loaders.harvest import harvest

EXAMPLES = example_files(SHARED)
INVALID = example_files(SHARED, invalid=True)
XSD_NNI = URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
SPDX = "http://spdx.org/rdf/terms#"


def test_the_kit_is_there() -> None:
    assert len(EXAMPLES) == 24 and len(INVALID) == 3


def graph_of(store: OxigraphStore, graph: str) -> Graph:
    with store.snapshot() as snap:
        return to_rdflib_graph(snap.triples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))


def without_record(g: Graph, dataset: URIRef) -> Graph:
    """A feed's dataset document minus the catalogue record govkg adds to it."""
    drop = set()
    for rec in g.subjects(URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), dataset):
        if (rec, RDF.type, DCAT.CatalogRecord) not in g:
            continue
        drop.add(rec)
        drop.update(g.objects(rec, URIRef(SPDX + "checksum")))
        drop.update(g.objects(rec, URIRef("http://www.w3.org/ns/adms#status")))
    drop.add(URIRef(SPDX + "checksumAlgorithm_sha256"))
    out = Graph()
    for t in g:
        if t[0] not in drop:
            out.add(t)
    return out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_harvests_and_round_trips(path: Path, tmp_path: Path) -> None:
    from server.app import create_app

    store = OxigraphStore(tmp_path / "store")
    report = harvest(store, str(path))
    assert not report.rejected and report.complete
    expected = read_graph(path)
    # out of the SPARQL store (CONSTRUCT of the harvested graph through Snapshot.triples)
    stored = graph_of(store, report.graph)
    assert isomorphic(stored, expected)
    # out of the feed: the source graph verbatim, and each dataset with its record
    app = create_app(Config(store=tmp_path / "store"))
    client = app.test_client()
    resp = client.get("/catalog/source.nt", query_string={"graph": report.graph})
    assert isomorphic(read_graph(data=resp.data, fmt="nt"), expected)
    source = TripleIndex(ox.Triple(*(to_ox(x) for x in t)) for t in expected)  # type: ignore[misc]
    assert report.added
    for d in report.added:
        resp = client.get("/dataset.ttl", query_string={"iri": d})
        assert resp.status_code == 200, d
        published = without_record(read_graph(data=resp.data), URIRef(d))
        wanted = to_rdflib_graph(describe(source.lookup, ox.NamedNode(d)))
        assert isomorphic(published, wanted), d
    app.extensions["govkg_feeds"].close()
    # datatypes that Oxigraph would normalise come back as they went in
    if path.name == "dataset_health.ttl":
        assert any(o.datatype == XSD_NNI for o in stored.objects() if hasattr(o, "datatype"))
    # a second harvest of the unchanged document changes nothing
    again = harvest(store, str(path))
    assert (again.added, again.changed, again.deleted, again.rejected) == ([], [], [], [])
    assert again.unchanged == len(report.added)
    assert isomorphic(graph_of(store, report.graph), expected)


def disjoint_groups(paths: list[Path]) -> list[list[Path]]:
    """Examples in groups that share no dataset IRI (the same IRI twice is a duplicate, kept out)."""
    from rdflib.namespace import DCAT as D

    groups: list[tuple[list[Path], set[str]]] = []
    for path in paths:
        g = read_graph(path)
        ds = {str(s) for c in (D.Dataset, URIRef(str(D) + "DatasetSeries")) for s in g.subjects(RDF.type, c)}
        for members, used in groups:
            if not ds & used:
                members.append(path)
                used |= ds
                break
        else:
            groups.append(([path], set(ds)))
    return [members for members, _ in groups]


def test_examples_come_back_through_the_sparql_endpoint(tmp_path: Path) -> None:
    """The same round trip through /sparql (query workers, HTTP result formats)."""
    from server import sparql
    from server.app import create_app

    groups = disjoint_groups(EXAMPLES)
    assert sum(len(g) for g in groups) == len(EXAMPLES)
    for n, group in enumerate(groups):
        store = OxigraphStore(tmp_path / f"s{n}")
        reports = [harvest(store, str(p)) for p in group]
        assert all(not r.duplicates and not r.rejected for r in reports)
        app = create_app(Config(store=tmp_path / f"s{n}"))
        try:
            client = app.test_client()
            for path, report in zip(group, reports, strict=True):
                query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{report.graph}> {{ ?s ?p ?o }} }}"
                for _ in range(100):  # the workers may still be starting
                    resp = client.post("/sparql", data={"query": query}, headers={"Accept": "application/n-triples"})
                    if resp.status_code != 503:
                        break
                    time.sleep(0.1)
                assert resp.status_code == 200, resp.data[:300]
                assert isomorphic(read_graph(data=resp.data, fmt="nt"), read_graph(path)), path.name
        finally:
            sparql.close(app)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_known_invalid_is_rejected_with_its_line_and_nothing_stored(path: Path, tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    report = harvest(store, str(path))
    assert len(report.rejected) == 1 and not report.complete
    rejection = report.rejected[0]
    expected_line = {
        "dataset.ttl": 149,
        "example-bee-population-dataset-series-api.ttl": 20,
        "example-bee-population-dataset-series-combined.ttl": 32,
    }[path.name]
    assert rejection.line == expected_line
    assert f":{expected_line}:" in str(rejection)
    with store.snapshot() as snap:
        assert ox.NamedNode(report.graph) not in snap.graphs()


def test_cli_harvest_exit_codes(tmp_path: Path, capsys) -> None:
    from govkg.cli import main

    good = next(p for p in EXAMPLES if p.name == "dataset_deri.ttl")
    with pytest.raises(SystemExit) as e:
        main(["--store", str(tmp_path / "s"), "-q", "harvest", str(good)])
    assert e.value.code == 0
    assert "1 added" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["--store", str(tmp_path / "s"), "-q", "harvest", str(INVALID[0])])
    assert e.value.code == 1
    out = capsys.readouterr().out
    assert re.search(r"rejected: .*dataset\.ttl:149:\d+: The prefix healthdcatap: has not been declared", out)
