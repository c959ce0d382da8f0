"""The harvester against the corpus, served from a loopback HTTP server three ways.

* as a DCAT document: a hostile document is rejected with its reason (and line) in the
  report and nothing of it is stored;
* as one page of a Hydra-paged catalogue: that page is rejected with its reason, the pages
  around it load;
* as one package of a CKAN site: that package is rejected with its reason, the others load.

Apart from the harvest's own provenance record (the sources graph), the store is unchanged
by a rejected document, and nothing is fetched from anywhere but the loopback server.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from corpus import CKAN_CASES, CKAN_DEEP_PAGE_DEPTH, CkanCase, RdfCase, rdf_cases, rejected_cases
from hostile_kit import Canary, NetworkGuard, checksum_outside, seed

from govkg.catalog_index import records_graph_for
from govkg.store.oxigraph import OxigraphStore
from loaders.harvest import harvest
from loaders.sources import SOURCES_GRAPH

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "feeds"))
from loopback import StaticSite, serve  # noqa: E402

G = "https://w3id.org/govkg/graph/harvest/hostile/"
PREFIXES = ("@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
            "@prefix dct: <http://purl.org/dc/terms/> .\n")


def _seeded(path: Path) -> OxigraphStore:
    s = OxigraphStore(path)
    seed(s)
    return s


# one store per way of serving: what one way leaves behind (20,000-deep blank nodes) would slow the next
@pytest.fixture(scope="module")
def dcat_store(fast_dir: Path) -> OxigraphStore:
    return _seeded(fast_dir / "dcat")


@pytest.fixture(scope="module")
def hydra_store(fast_dir: Path) -> OxigraphStore:
    return _seeded(fast_dir / "hydra")


@pytest.fixture(scope="module")
def ckan_store(fast_dir: Path) -> OxigraphStore:
    return _seeded(fast_dir / "ckan")


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[StaticSite, str]]:
    s = StaticSite()
    with serve(s) as base:
        yield s, base



def _graph_size(store: OxigraphStore, graph: str) -> int:
    with store.snapshot() as snap:
        return sum(1 for _ in snap.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


# -- DCAT documents ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", rdf_cases(), ids=str)
def test_dcat_document(case: RdfCase, dcat_store: OxigraphStore, site: tuple[StaticSite, str],
                       fresh_canary: Canary) -> None:
    store = dcat_store
    pages, base = site
    path = f"/dcat/{case.name}"
    pages.pages[path] = (case.media_type, case.data(fresh_canary.url))
    graph = G + "dcat/" + case.name
    own = {graph, records_graph_for(graph), SOURCES_GRAPH.value}  # the harvest's data, state and provenance
    outside = checksum_outside(store, own)
    report = harvest(store, base + path, kind="dcat", graph=graph)
    if case.expect == "reject":
        assert len(report.rejected) == 1, report.summary()
        rejection = report.rejected[0]
        assert rejection.where == base + path and rejection.reason.strip()
        if case.line is not None:
            assert rejection.line == case.line, str(rejection)
        assert not report.added and not report.complete
        assert _graph_size(store, graph) == 0
    else:
        assert not report.rejected, report.summary()
        assert _graph_size(store, graph) > 0
    assert checksum_outside(store, own) == outside


# -- Hydra pages ---------------------------------------------------------------------------------------------
def _hydra_pages(base: str, prefix: str) -> tuple[bytes, bytes]:
    first = (PREFIXES + f"<{base}{prefix}/feed> a hydra:Collection ; hydra:view <{base}{prefix}/page1> .\n"
             f"<{base}{prefix}/page1> a hydra:PartialCollectionView ; hydra:next <{base}{prefix}/page2> ; "
             f"hydra:last <{base}{prefix}/page3> .\n"
             f"<https://example.org{prefix}/A> a dcat:Dataset ; dct:title \"first page\" .\n")
    last = (PREFIXES + f"<{base}{prefix}/page3> a hydra:PartialCollectionView ; hydra:previous <{base}{prefix}/page2> .\n"
            f"<https://example.org{prefix}/C> a dcat:Dataset ; dct:title \"last page\" .\n")
    return first.encode(), last.encode()


@pytest.mark.parametrize("case", [c for c in rejected_cases() if not c.big], ids=str)
def test_hydra_page(case: RdfCase, hydra_store: OxigraphStore, site: tuple[StaticSite, str],
                    fresh_canary: Canary) -> None:
    store = hydra_store
    pages, base = site
    prefix = f"/hydra/{case.name}"
    first, last = _hydra_pages(base, prefix)
    pages.pages[prefix + "/page1"] = ("text/turtle", first)
    pages.pages[prefix + "/page2"] = (case.media_type, case.data(fresh_canary.url))
    pages.pages[prefix + "/page3"] = ("text/turtle", last)
    graph = G + "hydra/" + case.name
    own = {graph, records_graph_for(graph), SOURCES_GRAPH.value}
    outside = checksum_outside(store, own)
    report = harvest(store, base + prefix + "/page1", kind="hydra", graph=graph)
    assert [r.where for r in report.rejected] == [base + prefix + "/page2"], report.summary()
    assert report.rejected[0].reason.strip()
    if case.line is not None:
        assert report.rejected[0].line == case.line, str(report.rejected[0])
    assert sorted(report.added) == [f"https://example.org{prefix}/A", f"https://example.org{prefix}/C"]
    assert not report.complete
    assert checksum_outside(store, own) == outside


def test_hydra_links_to_other_hosts_are_not_followed(hydra_store: OxigraphStore, site: tuple[StaticSite, str],
                                                     no_network: NetworkGuard) -> None:
    pages, base = site
    prefix = "/hydra-elsewhere"
    page = (PREFIXES + f"<{base}{prefix}/page1> a hydra:PartialCollectionView ; "
            "hydra:next <http://203.0.113.1/page2> ; hydra:last <http://example.invalid/page3> .\n"
            f"<https://example.org{prefix}/A> a dcat:Dataset ; dct:title \"first page\" .\n").encode()
    pages.pages[prefix + "/page1"] = ("text/turtle", page)
    report = harvest(hydra_store, base + prefix + "/page1", kind="hydra", graph=G + "hydra-elsewhere")
    assert sorted(r.where for r in report.rejected) == ["http://203.0.113.1/page2", "http://example.invalid/page3"]
    assert report.added == [f"https://example.org{prefix}/A"]
    assert not no_network.attempts


# -- CKAN packages ------------------------------------------------------------------------------------------------
def _good(pid: str) -> dict[str, object]:
    return {"id": pid, "name": pid, "title": f"good {pid}", "metadata_modified": "2024-05-01T00:00:00",
            "resources": [{"id": f"{pid}-r", "url": f"https://example.org/{pid}.csv", "format": "CSV"}]}


def _ckan_site(pages: StaticSite, prefix: str, body: bytes) -> None:
    pages.pages[prefix + "/api/3/action/package_search"] = ("application/json", body)


@pytest.mark.parametrize("case", CKAN_CASES, ids=str)
def test_ckan_package(case: CkanCase, ckan_store: OxigraphStore, site: tuple[StaticSite, str]) -> None:
    store = ckan_store
    pages, base = site
    prefix = f"/ckan/{case.id}"
    packages = [_good(f"{case.id}-one"), case.package, _good(f"{case.id}-two")]
    body = json.dumps({"success": True, "result": {"count": 3, "results": packages}}).encode()
    _ckan_site(pages, prefix, body)
    graph = G + "ckan/" + case.id
    own = {graph, records_graph_for(graph), SOURCES_GRAPH.value}
    outside = checksum_outside(store, own)
    report = harvest(store, base + prefix + "/api/3/action/package_search", kind="ckan", graph=graph)
    good = {f"{base}{prefix}/dataset/{case.id}-one", f"{base}{prefix}/dataset/{case.id}-two"}
    assert good <= set(report.added), report.summary()
    if case.expect == "reject":
        assert len(report.rejected) == 1, report.summary()
        assert report.rejected[0].reason.strip()
        assert len(report.added) == 2
        report.summary().encode("utf-8")  # printable: no lone surrogate reaches the report
    else:
        assert not report.rejected, report.summary()
        assert len(report.added) == 3
    assert checksum_outside(store, own) == outside


def test_ckan_page_nested_too_deep_for_json_is_rejected(ckan_store: OxigraphStore,
                                                        site: tuple[StaticSite, str]) -> None:
    store = ckan_store
    pages, base = site
    prefix = "/ckan-deep"
    deep = b'{"success": true, "result": {"count": 1, "results": [' + b"[" * CKAN_DEEP_PAGE_DEPTH \
        + b"]" * CKAN_DEEP_PAGE_DEPTH + b"]}}"
    _ckan_site(pages, prefix, deep)
    graph = G + "ckan-deep"
    own = {graph, records_graph_for(graph), SOURCES_GRAPH.value}
    outside = checksum_outside(store, own)
    report = harvest(store, base + prefix + "/api/3/action/package_search", kind="ckan", graph=graph)
    assert len(report.rejected) == 1 and report.rejected[0].reason.strip(), report.summary()
    assert not report.added and _graph_size(store, graph) == 0
    assert checksum_outside(store, own) == outside
