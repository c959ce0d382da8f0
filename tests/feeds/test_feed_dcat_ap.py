"""The demo catalogue's feed, read page by page like a harvester, against the DCAT-AP 3 shapes.

Shapes (../shared/conformance/dcat-ap): the 3.0.0 ``dcat-ap-SHACL.ttl`` (cardinalities,
datatypes and class ranges, no inference) and the 3.0.1 ``html/shacl`` core shapes with
``range.ttl`` under RDFS inference.  No allow-list: the feed types what it links to.
"""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, RDF

from govkg.config import Config
from govkg.demo import generate
from govkg.packaged import ontology_quads
from govkg.store.oxigraph import OxigraphStore

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def shapes(shared_dir: Path) -> dict[str, tuple[Graph, str]]:
    base = shared_dir / "conformance" / "dcat-ap"
    core = Graph().parse(base / "3.0.1/html/shacl/shapes.ttl")
    core.parse(base / "3.0.1/html/shacl/range.ttl")
    return {
        "3.0.0 dcat-ap-SHACL": (Graph().parse(base / "3.0.0/shacl/dcat-ap-SHACL.ttl"), "none"),
        "3.0.1 shapes+range (rdfs)": (core, "rdfs"),
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    from server.app import create_app

    tmp = tmp_path_factory.mktemp("demo")
    store = OxigraphStore(tmp / "store")
    nq = tmp / "demo.nq"
    with open(nq, "w", encoding="utf-8") as f:
        generate(f, datasets=60, seed=11)
    with store.transaction() as tx:
        tx.bulk_load_trusted(nq, ox.RdfFormat.N_QUADS)
        tx.add(ontology_quads())  # concept labels, legislation, agencies' classes
    app = create_app(Config(store=tmp / "store", feed_page_size=25, tombstone_days=1e6))
    yield store, app.test_client()
    app.extensions["govkg_feeds"].close()


def parse(data: bytes) -> Graph:
    old = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        return Graph().parse(data=data, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = old


def violations(g: Graph, shapes: dict[str, tuple[Graph, str]]) -> dict[str, Counter]:
    out = {}
    for name, (sg, inference) in shapes.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            conforms, report, _text = validate(g, shacl_graph=sg, inference=inference)
        found: Counter = Counter()
        for r in report.subjects(RDF.type, SH.ValidationResult):
            found[
                (
                    str(report.value(r, SH.resultPath)),
                    str(report.value(r, SH.sourceConstraintComponent)),
                    str(report.value(r, SH.resultMessage))[:60],
                )
            ] += 1
        assert conforms == (not found)
        out[name] = found
    return out


def expected_published(store: OxigraphStore) -> set[str]:
    """Datasets whose records do not hold them back (pending, revoked or deleted)."""
    with store.snapshot() as snap:
        rows = snap.select(
            "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
            "PREFIX adms: <http://www.w3.org/ns/adms#> SELECT DISTINCT ?d WHERE { ?d a dcat:Dataset "
            "FILTER NOT EXISTS { ?r foaf:primaryTopic ?d ; adms:status ?s "
            "FILTER(STRENDS(STR(?s), 'PENDING') || STRENDS(STR(?s), 'REVOKED') || STRENDS(STR(?s), 'DELETED') "
            "|| STRENDS(STR(?s), 'REJECTED') || STRENDS(STR(?s), 'CREATED')) } }"
        )
    return {r["d"].value for r in rows}  # type: ignore[union-attr]


def test_demo_feed_walked_page_by_page_lists_every_dataset_once_and_conforms(demo, shapes) -> None:
    store, client = demo
    root = URIRef("https://w3id.org/govkg/catalog")
    url: str | None = "/catalog"
    listed: list[str] = []
    pages = 0
    while url:
        resp = client.get(url, headers={"Accept": "text/turtle"})
        assert resp.status_code == 200
        g = parse(resp.data)
        pages += 1
        listed += [str(d) for d in g.objects(root, DCAT.dataset)]
        assert violations(g, shapes) == {name: Counter() for name in shapes}, url
        (view,) = g.subjects(RDF.type, HYDRA.PartialCollectionView)
        nxt = g.value(view, HYDRA.next)
        url = str(nxt) if nxt is not None else None
    assert pages >= 3
    assert len(listed) == len(set(listed)), "a dataset was listed twice"
    assert set(listed) == expected_published(store)


def test_demo_catalogue_and_dataset_pages_conform(demo, shapes) -> None:
    store, client = demo
    with store.snapshot() as snap:
        rows = snap.select(
            "SELECT ?c (COUNT(?d) AS ?n) WHERE { ?c <http://www.w3.org/ns/dcat#dataset> ?d "
            "; <http://www.w3.org/ns/dcat#service> ?s } GROUP BY ?c ORDER BY DESC(?n) LIMIT 1"
        )
    catalog = rows[0]["c"].value  # type: ignore[union-attr]
    g = parse(client.get("/catalog", query_string={"iri": catalog, "limit": 200}).data)
    assert any(g.objects(URIRef(catalog), DCAT.service))
    assert violations(g, shapes) == {name: Counter() for name in shapes}
    d = next(iter(expected_published(store)))
    g = parse(client.get("/dataset", query_string={"iri": d}).data)
    assert violations(g, shapes) == {name: Counter() for name in shapes}
