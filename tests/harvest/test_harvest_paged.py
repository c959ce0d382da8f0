"""Hydra-paged catalogues in all three paging styles, broken pages and records, limits and
the refusals that keep a harvester safe."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from harvestkit import read_graph
from loopback import StaticSite, serve
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS
from werkzeug.wrappers import Response

from govkg.errors import InputError
from govkg.rdfterms import to_rdflib_graph
from govkg.store.oxigraph import OxigraphStore
from loaders.harvest import harvest, session

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
"""
EX = "https://portal.example.org/"
TTL = "text/turtle"


def dataset_ttl(n: int, title: str | None = None, extra: str = "") -> str:
    d = f"<{EX}dataset/{n}>"
    return (
        f'{d} a dcat:Dataset ; dct:title "{title or f"Dataset {n}"}"@en ; dct:identifier "ds-{n}" ;\n'
        f'  dct:publisher <{EX}org/1> ; dct:modified "2024-01-0{1 + n % 9}T00:00:00+00:00"^^xsd:dateTime ;\n'
        f'  dcat:distribution <{EX}dataset/{n}/csv> ; dct:temporal [ dcat:startDate "2020-01-01"^^xsd:date ] {extra}.\n'
        f"<{EX}dataset/{n}/csv> a dcat:Distribution ; dcat:accessURL <{EX}files/{n}.csv> ;\n"
        f'  dcat:byteSize "0{n}00"^^xsd:nonNegativeInteger .\n'
        f"<{EX}catalog> dcat:dataset {d} .\n"
    )


def catalog_ttl() -> str:
    return (
        f'<{EX}catalog> a dcat:Catalog ; dct:title "Portal"@en ; dct:publisher <{EX}org/1> .\n'
        f'<{EX}org/1> a foaf:Agent ; foaf:name "Open data office"@en .\n'
    )


def stored(store: OxigraphStore, graph: str):
    with store.snapshot() as snap:
        return to_rdflib_graph(snap.triples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))


def datasets_in(store: OxigraphStore, graph: str) -> set[str]:
    with store.snapshot() as snap:
        rows = snap.select(f"SELECT ?d WHERE {{ GRAPH <{graph}> {{ ?d a <http://www.w3.org/ns/dcat#Dataset> }} }}")
    return {r["d"].value for r in rows}  # type: ignore[union-attr]


# -- the three paging styles ------------------------------------------------------------------------
def legacy_pages(base: str, n_pages: int = 3, per: int = 2, broken: int | None = None) -> dict[str, tuple[str, bytes]]:
    """ckanext-dcat style: hydra:PagedCollection with *literal* page links."""
    pages = {}
    for p in range(1, n_pages + 1):
        url = f"{base}/catalog.ttl?page={p}"
        body = PREFIXES + f"<{url}> a hydra:PagedCollection ; hydra:totalItems {n_pages * per} ;\n"
        body += f'  hydra:itemsPerPage {per} ; hydra:firstPage "{base}/catalog.ttl?page=1" ;\n'
        body += f'  hydra:lastPage "{base}/catalog.ttl?page={n_pages}"'
        if p < n_pages:
            body += f' ; hydra:nextPage "{base}/catalog.ttl?page={p + 1}"'
        if p > 1:
            body += f' ; hydra:previousPage "{base}/catalog.ttl?page={p - 1}"'
        body += " .\n" + catalog_ttl()
        body += "".join(dataset_ttl((p - 1) * per + i) for i in range(per))
        if p == broken:
            body += "<oops> dct:title 'unterminated .\n"
        pages[f"/catalog.ttl?page={p}"] = (TTL, body.encode())
    pages["/catalog.ttl"] = pages["/catalog.ttl?page=1"]
    return pages


def view_pages(base: str) -> dict[str, tuple[str, bytes]]:
    """Hydra Collection whose view is a blank node with relative links; JSON-LD, inline context."""
    ctx = {
        "hydra": "http://www.w3.org/ns/hydra/core#",
        "dcat": "http://www.w3.org/ns/dcat#",
        "dct": "http://purl.org/dc/terms/",
        "member": {"@id": "hydra:member", "@type": "@id"},
        "view": "hydra:view",
        "next": {"@id": "hydra:next", "@type": "@id"},
        "first": {"@id": "hydra:first", "@type": "@id"},
        "title": "dct:title",
    }
    pages = {}
    for p in (1, 2):
        members = [
            {"@id": f"{EX}dataset/{(p - 1) * 2 + i}", "@type": "dcat:Dataset", "title": f"Dataset {(p - 1) * 2 + i}"}
            for i in range(2)
        ]
        view = {"first": "coll?page=1"}
        if p == 1:
            view["next"] = "coll?page=2"
        doc = {
            "@context": ctx,
            "@id": f"{base}/coll",
            "@type": "hydra:Collection",
            "member": [m["@id"] for m in members],
            "view": view,
            "@included": members,
        }
        body = json.dumps(
            {
                "@context": ctx,
                "@graph": [{k: v for k, v in doc.items() if k not in ("@context", "@included")}, *members],
            }
        ).encode()
        pages[f"/coll?page={p}"] = ("application/ld+json", body)
    pages["/coll"] = pages["/coll?page=1"]
    return pages


def test_legacy_paged_collection_with_literal_links(tmp_path: Path) -> None:
    site = StaticSite()
    with serve(site) as base:
        site.pages = legacy_pages(base)
        store = OxigraphStore(tmp_path / "s")
        report = harvest(store, base + "/catalog.ttl")
        assert report.kind == "hydra" and report.complete and report.documents == 3
        assert sorted(report.added) == [f"{EX}dataset/{i}" for i in range(6)]
        g = stored(store, report.graph)
        assert not [t for t in g if "hydra" in str(t[1]) or "hydra" in str(t[2])], "paging triples are not data"
        # byte sizes keep their lexical form and datatype through the store
        assert '"0300"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' in g.serialize(format="nt")
        again = harvest(store, base + "/catalog.ttl")
        assert (again.added, again.changed, again.deleted, again.unchanged) == ([], [], [], 6)


def test_collection_with_a_blank_view_and_relative_links(tmp_path: Path) -> None:
    site = StaticSite()
    with serve(site) as base:
        site.pages = view_pages(base)
        store = OxigraphStore(tmp_path / "s")
        report = harvest(store, base + "/coll", kind="hydra")
        assert report.complete and sorted(report.added) == [f"{EX}dataset/{i}" for i in range(4)]
        assert "/coll?page=2" in site.requests


# -- broken pages and records ------------------------------------------------------------------------
def test_a_broken_page_is_rejected_the_rest_loads_and_nothing_stored_is_lost(tmp_path: Path) -> None:
    site = StaticSite()
    with serve(site) as base:
        store = OxigraphStore(tmp_path / "s")
        site.pages = legacy_pages(base)
        first = harvest(store, base + "/catalog.ttl")
        assert len(first.added) == 6
        # page 2 now breaks, and page 3 changes one title
        site.pages = legacy_pages(base, broken=2)
        body = site.pages["/catalog.ttl?page=3"][1].replace(b'"Dataset 4"@en', b'"Dataset four"@en')
        site.pages["/catalog.ttl?page=3"] = (TTL, body)
        report = harvest(store, base + "/catalog.ttl")
        (rejection,) = report.rejected
        assert rejection.where.endswith("/catalog.ttl?page=2")
        broken_line = (
            site.pages["/catalog.ttl?page=2"][1].decode().splitlines().index("<oops> dct:title 'unterminated .") + 1
        )
        assert rejection.line == broken_line
        assert not report.complete and report.deleted == []
        assert report.changed == [f"{EX}dataset/4"]  # page 3 reached backwards from hydra:lastPage
        assert "/catalog.ttl?page=3" in site.requests
        # the datasets of the broken page are still there, as they were
        assert datasets_in(store, report.graph) == {f"{EX}dataset/{i}" for i in range(6)}


def test_a_broken_record_is_rejected_with_its_reason(tmp_path: Path, monkeypatch) -> None:
    site = StaticSite()
    with serve(site) as base:
        store = OxigraphStore(tmp_path / "s")
        site.pages = legacy_pages(base)
        harvest(store, base + "/catalog.ttl")
        # dataset 1 grows past the per-record limit
        monkeypatch.setattr(session, "MAX_RECORD_TRIPLES", 12)
        big = "".join(f'; dct:subject "s{i}" ' for i in range(6))
        pages = legacy_pages(base)
        body = pages["/catalog.ttl?page=1"][1].decode().replace(dataset_ttl(1), dataset_ttl(1, extra=big))
        pages["/catalog.ttl?page=1"] = pages["/catalog.ttl"] = (TTL, body.encode())
        site.pages = pages
        report = harvest(store, base + "/catalog.ttl")
        (rejection,) = report.rejected
        assert rejection.where == f"{EX}dataset/1" and "exceeds the limit" in rejection.reason
        assert report.complete and report.deleted == [] and report.unchanged == 5
        g = stored(store, report.graph)
        assert (URIRef(f"{EX}dataset/1"), DCTERMS.title, Literal("Dataset 1", lang="en")) in g  # as before
        assert not any(str(o) == "s0" for o in g.objects())


# -- limits and refusals ----------------------------------------------------------------------------
def test_size_limit_stops_the_walk_without_withdrawing(tmp_path: Path) -> None:
    site = StaticSite()
    with serve(site) as base:
        site.pages = legacy_pages(base)
        store = OxigraphStore(tmp_path / "s")
        harvest(store, base + "/catalog.ttl")
        one_page = len(site.pages["/catalog.ttl?page=1"][1])
        report = harvest(store, base + "/catalog.ttl", max_bytes=one_page + 100)
        assert not report.complete and any("size limit" in n for n in report.notes)
        assert report.deleted == [] and report.unchanged == 2
        assert len(datasets_in(store, report.graph)) == 6


def test_time_limit_stops_a_slow_source(tmp_path: Path) -> None:
    site = StaticSite()

    def slow(_req):
        time.sleep(3)
        return Response(b"", content_type=TTL)

    with serve(site) as base:
        site.pages = legacy_pages(base)
        site.handlers["/slow"] = slow
        body = site.pages["/catalog.ttl?page=1"][1].replace(
            f'"{base}/catalog.ttl?page=2"'.encode(), f'"{base}/slow"'.encode()
        )
        site.pages["/catalog.ttl"] = (TTL, body)
        store = OxigraphStore(tmp_path / "s")
        t0 = time.monotonic()
        report = harvest(store, base + "/catalog.ttl", max_seconds=1.0)
        assert time.monotonic() - t0 < 2.9
        assert not report.complete and len(report.added) == 2
        assert any("time limit" in n for n in report.notes) or any("no answer" in r.reason for r in report.rejected)


def test_only_http_links_are_followed(tmp_path: Path) -> None:
    site = StaticSite()
    with serve(site) as base:
        site.pages = legacy_pages(base)
        body = site.pages["/catalog.ttl?page=1"][1].replace(
            f'"{base}/catalog.ttl?page=2"'.encode(), b'"file:///etc/passwd"'
        )
        site.pages["/catalog.ttl"] = (TTL, body)
        site.handlers["/redirect"] = lambda _req: Response(b"", status=302, headers={"Location": "file:///etc/hosts"})
        store = OxigraphStore(tmp_path / "s")
        report = harvest(store, base + "/catalog.ttl")
        assert any("not http(s)" in r.reason and r.where == "file:///etc/passwd" for r in report.rejected)
        # the walk resumed from hydra:lastPage backwards, but absence proves nothing now
        assert len(report.added) == 6 and not report.complete
        redirected = harvest(store, base + "/redirect", kind="dcat")
        assert "not http(s)" in redirected.rejected[0].reason
    with pytest.raises(InputError, match="only http"):
        harvest(store, "ftp://example.org/catalog.ttl")


def test_no_remote_jsonld_context_and_no_xml_entities_are_fetched(tmp_path: Path) -> None:
    site = StaticSite()
    with serve(site) as base:
        site.pages["/ctx.jsonld"] = (
            "application/ld+json",
            b'{"@context": {"title": "http://purl.org/dc/terms/title"}}',
        )
        doc = {
            "@context": f"{base}/ctx.jsonld",
            "@id": f"{EX}dataset/1",
            "@type": "http://www.w3.org/ns/dcat#Dataset",
            "title": "x",
        }
        site.pages["/remote.jsonld"] = ("application/ld+json", json.dumps(doc).encode())
        site.pages["/xxe.rdf"] = (
            "application/rdf+xml",
            (
                b'<?xml version="1.0"?>\n<!DOCTYPE r [ <!ENTITY x SYSTEM "' + f"{base}/secret".encode() + b'"> ]>\n'
                b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                b'xmlns:dct="http://purl.org/dc/terms/"><rdf:Description rdf:about="http://x/d">'
                b"<dct:title>&x;</dct:title></rdf:Description></rdf:RDF>"
            ),
        )
        store = OxigraphStore(tmp_path / "s")
        report = harvest(store, base + "/remote.jsonld")
        assert "remote JSON-LD @context refused" in report.rejected[0].reason
        report = harvest(store, base + "/xxe.rdf")
        assert "entity" in report.rejected[0].reason and report.rejected[0].line == 2
        assert "/ctx.jsonld" not in site.requests and "/secret" not in site.requests
        with store.snapshot() as snap:
            assert not [g for g in snap.graphs() if "harvest" in g.value and not g.value.endswith("/records")]


def test_graph_of_a_paged_source_round_trips(tmp_path: Path) -> None:
    """What a paged source held (minus its paging) is what the source graph holds."""
    site = StaticSite()
    with serve(site) as base:
        site.pages = legacy_pages(base)
        store = OxigraphStore(tmp_path / "s")
        report = harvest(store, base + "/catalog.ttl")
        expected = read_graph(data=(PREFIXES + catalog_ttl() + "".join(dataset_ttl(i) for i in range(6))).encode())
        assert isomorphic(stored(store, report.graph), expected)
        with store.snapshot() as snap:
            assert ox.NamedNode(report.graph + "/records") in snap.graphs()


def test_page_links_to_another_host_are_not_followed(tmp_path: Path) -> None:
    """A hostile source cannot steer the harvester to other hosts: a next link to another
    origin (here another loopback port) is rejected with its reason, never requested."""
    other = StaticSite()
    site = StaticSite()
    with serve(other) as elsewhere, serve(site) as base:
        other.pages = legacy_pages(elsewhere)
        pages = legacy_pages(base, n_pages=2)
        body = pages["/catalog.ttl?page=1"][1].decode().replace(
            f'hydra:nextPage "{base}/catalog.ttl?page=2"', f'hydra:nextPage "{elsewhere}/catalog.ttl?page=2"')
        site.pages = {**pages, "/catalog.ttl": (TTL, body.encode()), "/catalog.ttl?page=1": (TTL, body.encode())}
        report = harvest(OxigraphStore(tmp_path / "s"), base + "/catalog.ttl")
    assert other.requests == []
    assert sorted(report.added) == [f"{EX}dataset/{i}" for i in range(2)]
    assert [r.where for r in report.rejected] == [f"{elsewhere}/catalog.ttl?page=2"]
    assert "same-origin" in report.rejected[0].reason


def test_internal_addresses_are_recognised() -> None:
    from loaders.harvest.fetch import is_internal

    for url in ("http://127.0.0.1:8080/x", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data",
                "http://[::1]/", "http://192.168.0.1/", "http://localhost/"):
        assert is_internal(url), url
    for url in ("https://1.1.1.1/", "http://[2606:4700:4700::1111]/"):
        assert not is_internal(url), url


def test_a_public_source_cannot_redirect_into_the_intranet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both servers are on loopback; the harvester is told the first one is public. Its
    redirect into the 'intranet' one is refused with the reason, and never followed; a
    redirect within the public one is followed."""
    from loaders.harvest import fetch

    intranet, public = StaticSite(), StaticSite()
    with serve(intranet) as inside, serve(public) as outside:
        monkeypatch.setattr(fetch, "is_internal", lambda url: url.startswith(inside))
        intranet.pages = legacy_pages(inside)
        public.pages = legacy_pages(outside, n_pages=1)
        public.handlers["/to-intranet"] = lambda _req: Response(b"", status=302, headers={"Location": inside + "/catalog.ttl"})
        public.handlers["/moved"] = lambda _req: Response(b"", status=301, headers={"Location": "/catalog.ttl"})
        store = OxigraphStore(tmp_path / "s")
        refused = harvest(store, outside + "/to-intranet", kind="dcat")
        assert intranet.requests == []
        assert "private or loopback" in refused.rejected[0].reason and refused.added == []
        moved = harvest(store, outside + "/moved", kind="dcat")
        assert sorted(moved.added) == [f"{EX}dataset/{i}" for i in range(2)]
