"""SPARQL endpoints, CKAN sites, incremental documents, duplicates across sources, provenance."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from harvestkit import read_graph
from loopback import StaticSite, serve
from rdflib import Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF
from test_harvest_paged import EX, PREFIXES, catalog_ttl, dataset_ttl, datasets_in, stored
from werkzeug.wrappers import Request, Response

from govkg.config import Config
from govkg.store.oxigraph import OxigraphStore
from govkg.vocab import graph_iri
from loaders.harvest import harvest

GDS = Namespace("https://w3id.org/govkg/def#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
STATUS = "https://w3id.org/govkg/authority/record-status/"
OXIGRAPH = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "oxigraph"


def records_of(store: OxigraphStore, graph: str) -> dict[str, str]:
    with store.snapshot() as snap:
        rows = snap.select(
            f"SELECT ?d ?s WHERE {{ GRAPH <{graph}/records> {{ ?r <http://xmlns.com/foaf/0.1/primaryTopic> ?d ; "
            f"<http://www.w3.org/ns/adms#status> ?s }} }}"
        )
    return {r["d"].value: r["s"].value.rsplit("/", 1)[1] for r in rows}  # type: ignore[union-attr]


# -- a DCAT document, incrementally ------------------------------------------------------------------
def test_document_changes_are_applied_record_by_record(tmp_path: Path) -> None:
    from server.app import create_app

    doc = tmp_path / "catalog.ttl"
    doc.write_text(PREFIXES + catalog_ttl() + "".join(dataset_ttl(i) for i in range(4)))
    store = OxigraphStore(tmp_path / "s")
    first = harvest(store, str(doc))
    assert len(first.added) == 4
    # v2: dataset 1 retitled, dataset 2 gone, dataset 7 new
    doc.write_text(
        PREFIXES + catalog_ttl() + dataset_ttl(0) + dataset_ttl(1, "Renamed") + dataset_ttl(3) + dataset_ttl(7)
    )
    report = harvest(store, str(doc))
    assert report.added == [f"{EX}dataset/7"] and report.changed == [f"{EX}dataset/1"]
    assert report.deleted == [f"{EX}dataset/2"] and report.unchanged == 2
    assert isomorphic(stored(store, report.graph), read_graph(doc))
    assert records_of(store, report.graph)[f"{EX}dataset/2"] == "DELETED"
    # the withdrawn dataset is a tombstone in this platform's own feed
    app = create_app(Config(store=tmp_path / "s", tombstone_days=1))
    g = read_graph(data=app.test_client().get("/dataset.ttl", query_string={"iri": f"{EX}dataset/2"}).data)
    (rec,) = g.subjects(URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), URIRef(f"{EX}dataset/2"))
    assert str(g.value(rec, ADMS.status)) == STATUS + "DELETED"
    assert g.value(URIRef(f"{EX}dataset/2"), DCAT.distribution) is None
    app.extensions["govkg_feeds"].close()
    again = harvest(store, str(doc))
    assert (again.added, again.changed, again.deleted, again.unchanged) == ([], [], [], 4)


def test_provenance_of_a_run(tmp_path: Path) -> None:
    doc = tmp_path / "catalog.ttl"
    doc.write_text(PREFIXES + catalog_ttl() + "".join(dataset_ttl(i) for i in range(3)))
    store = OxigraphStore(tmp_path / "s")
    report = harvest(store, str(doc))
    sources = ox.NamedNode(str(graph_iri("system", "sources")))
    with store.snapshot() as snap:
        g = snap.rdflib_graph(sources)
    act = URIRef(report.activity)
    assert (act, RDF.type, PROV.Activity) in g and (act, RDF.type, GDS.Harvest) in g
    assert (act, PROV.used, URIRef(doc.resolve().as_uri())) in g
    assert (act, PROV.generated, URIRef(report.graph)) in g
    assert g.value(act, PROV.startedAtTime) is not None and g.value(act, PROV.endedAtTime) is not None
    counts = {
        str(p).rsplit("#", 1)[1]: int(o)
        for p, o in g.predicate_objects(act)
        if str(p).startswith(str(GDS)) and str(p).rsplit("#", 1)[1].startswith("records")
    }
    assert counts == {
        "recordsAdded": 3,
        "recordsChanged": 0,
        "recordsUnchanged": 0,
        "recordsDeleted": 0,
        "recordsRejected": 0,
        "recordsDuplicated": 0,
    }


# -- identity across sources ----------------------------------------------------------------------
def test_the_same_dataset_from_two_platforms_is_a_duplicate_link(tmp_path: Path) -> None:
    a, b, c = (tmp_path / n for n in ("a.ttl", "b.ttl", "c.ttl"))
    a.write_text(PREFIXES + catalog_ttl() + dataset_ttl(1))
    b.write_text(PREFIXES + dataset_ttl(1, "Another platform's title") + dataset_ttl(2))
    # same identifier and publisher, another IRI
    c.write_text(PREFIXES + dataset_ttl(1).replace(f"{EX}dataset/1", "https://mirror.example/ds/one"))
    store = OxigraphStore(tmp_path / "s")
    ra = harvest(store, str(a))
    rb = harvest(store, str(b))
    (dup,) = rb.duplicates
    assert (dup.dataset, dup.existing, dup.graph, dup.stored) == (f"{EX}dataset/1", f"{EX}dataset/1", ra.graph, False)
    assert rb.added == [f"{EX}dataset/2"]
    # not overwritten: the first platform's title is the only one
    with store.snapshot() as snap:
        titles = {r["t"].value for r in snap.select(f"SELECT ?t WHERE {{ <{EX}dataset/1> <{DCTERMS.title}> ?t }}")}  # type: ignore[union-attr]
    assert titles == {"Dataset 1"}
    rc = harvest(store, str(c))
    (dup,) = rc.duplicates
    assert dup.existing == f"{EX}dataset/1" and dup.stored and "identifier" in dup.reason
    assert rc.added == ["https://mirror.example/ds/one"]
    g = stored(store, rc.graph + "/records")
    (link,) = g.subjects(RDF.type, GDS.DuplicateLink)
    assert g.value(link, GDS.duplicateOf) == URIRef(f"{EX}dataset/1")
    assert g.value(link, GDS.duplicateIn) == URIRef(ra.graph)


# -- a SPARQL endpoint ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def endpoint():
    port = free_port()
    proc = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/query", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def sparql_update(base: str, update: str) -> None:
    r = requests.post(
        base + "/update", data=update.encode(), headers={"Content-Type": "application/sparql-update"}, timeout=10
    )
    assert r.status_code in (200, 204), r.text


def test_sparql_endpoint_by_class_and_by_modified_date(endpoint: str, tmp_path: Path) -> None:
    body = PREFIXES + catalog_ttl() + "".join(dataset_ttl(i) for i in range(5))
    r = requests.post(
        endpoint + "/store?default", data=body.encode(), headers={"Content-Type": "text/turtle"}, timeout=10
    )
    assert r.status_code in (200, 201, 204)
    served = requests.post(
        endpoint + "/query",
        data={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
        timeout=10,
    ).content
    store = OxigraphStore(tmp_path / "s")
    report = harvest(store, endpoint + "/query", kind="sparql")
    assert report.complete and len(report.added) == 5 and report.documents == 3  # list, one batch, shared
    assert isomorphic(stored(store, report.graph), read_graph(data=served, fmt="nt"))
    # unchanged dct:modified: nothing is fetched but the list and the shared resources
    again = harvest(store, endpoint + "/query", kind="sparql")
    assert again.unchanged == 5 and again.documents == 2 and not again.changed
    sparql_update(
        endpoint,
        f"""PREFIX dct: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#>
        DELETE {{ <{EX}dataset/3> dct:title ?t ; dct:modified ?m }}
        INSERT {{ <{EX}dataset/3> dct:title "Renamed"@en ; dct:modified "2025-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> }}
        WHERE {{ <{EX}dataset/3> dct:title ?t ; dct:modified ?m }} ;
        DELETE WHERE {{ <{EX}dataset/4> ?p ?o }}""",
    )
    third = harvest(store, endpoint + "/query", kind="sparql")
    assert third.changed == [f"{EX}dataset/3"] and third.deleted == [f"{EX}dataset/4"] and third.unchanged == 3
    g = stored(store, report.graph)
    assert (URIRef(f"{EX}dataset/3"), DCTERMS.title, Literal("Renamed", lang="en")) in g
    assert not list(g.triples((URIRef(f"{EX}dataset/4"), None, None)))


# -- a CKAN site ------------------------------------------------------------------------------------
def ckan_package(n: int, modified: str = "2024-03-01T10:00:00.000001", **extra: object) -> dict[str, object]:
    pkg = {
        "id": f"0000-{n}",
        "name": f"pkg-{n}",
        "title": f"Package {n}",
        "notes": "Some data",
        "metadata_created": "2024-01-01T09:00:00",
        "metadata_modified": modified,
        "state": "active",
        "private": False,
        "license_url": "http://www.opendefinition.org/licenses/cc-by",
        "organization": {"id": "org-1", "name": "city", "title": "City of Example"},
        "tags": [{"name": "transport", "display_name": "transport"}],
        "resources": [
            {
                "id": f"res-{n}",
                "name": "CSV",
                "url": f"https://files.example/{n}.csv",
                "format": "CSV",
                "mimetype": "text/csv",
                "size": 1000 + n,
            }
        ],
    }
    pkg.update(extra)
    return pkg


class Ckan:
    def __init__(self, packages: list[object]) -> None:
        self.packages = packages

    def search(self, req: Request) -> Response:
        start, rows = int(req.args["start"]), int(req.args["rows"])
        body = {
            "help": "x",
            "success": True,
            "result": {"count": len(self.packages), "results": self.packages[start : start + rows]},
        }
        return Response(json.dumps(body), content_type="application/json")


def test_ckan_action_api(tmp_path: Path, monkeypatch) -> None:
    from loaders.harvest import ckan

    monkeypatch.setattr(ckan, "ROWS", 3)
    packages: list[object] = [ckan_package(i) for i in range(5)]
    packages.insert(2, {"name": "broken", "metadata_modified": "2024-01-01T00:00:00"})  # no id
    packages.append(ckan_package(9, private=True))
    site = StaticSite()
    api = Ckan(packages)
    site.handlers["/api/3/action/package_search"] = api.search
    site.handlers["/api/3/action/status_show"] = lambda _r: Response(
        json.dumps({"success": True, "result": {"ckan_version": "2.10"}}), content_type="application/json"
    )
    site.pages["/"] = ("text/html", b"<html>CKAN</html>")
    store = OxigraphStore(tmp_path / "s")
    with serve(site) as base:
        report = harvest(store, base + "/")
        assert report.kind == "ckan" and len(report.added) == 5 and report.documents == 3
        (rejection,) = report.rejected
        assert "without an id" in rejection.reason and "broken" in rejection.where
        d0 = f"{base}/dataset/0000-0"
        g = stored(store, report.graph)
        assert (URIRef(d0), DCTERMS.title, Literal("Package 0")) in g
        assert (
            URIRef(f"{d0}/resource/res-0"),
            DCAT.byteSize,
            Literal("1000", datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")),
        ) in g
        again = harvest(store, base + "/", kind="ckan")
        assert again.unchanged == 5 and not again.added and not again.changed and len(again.rejected) == 1
        # package 1 edited, package 3 deleted (state), package 4 purged
        api.packages = [p for p in api.packages if not (isinstance(p, dict) and p.get("id") == "0000-4")]
        api.packages[1] = ckan_package(1, modified="2024-05-01T10:00:00", title="Package one")
        api.packages[4] = ckan_package(3, modified="2024-05-02T10:00:00", state="deleted")
        third = harvest(store, base + "/", kind="ckan")
        assert third.changed == [f"{base}/dataset/0000-1"]
        assert sorted(third.deleted) == [f"{base}/dataset/0000-3", f"{base}/dataset/0000-4"]
        assert third.unchanged == 2
        assert datasets_in(store, report.graph) == {f"{base}/dataset/0000-{i}" for i in (0, 1, 2)}
