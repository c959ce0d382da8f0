"""The DCAT feed: formats, Hydra paging by key, filters, proxies, records and checksums."""

from __future__ import annotations

from feedkit import HYDRA, PARSERS, STATUS, listed, parse, records, view_links, walk
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from govkg.catalog_index import checksum, describe
from govkg.rdfterms import to_ox

GDS = Namespace("https://w3id.org/govkg/def#")
EU_AR = "http://publications.europa.eu/resource/authority/access-right/"
EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"


ROOT = URIRef("https://data.city.example/catalog")


def test_every_format_by_suffix_and_by_accept_says_the_same(feed) -> None:
    c = feed.client
    by_suffix = {fmt: parse(c.get(f"/catalog.{fmt}?limit=5"), fmt) for fmt in PARSERS}
    accept = {
        "ttl": "text/turtle",
        "rdf": "application/rdf+xml",
        "jsonld": "application/ld+json",
        "nt": "application/n-triples",
    }
    by_accept = {fmt: parse(c.get("/catalog?limit=5", headers={"Accept": mt}), fmt) for fmt, mt in accept.items()}
    # the view IRI is the request URL, so it differs between suffix and Accept: compare without it
    for graphs in (by_suffix, by_accept):
        base = graphs["ttl"]
        assert len(listed(base, ROOT)) == 5
        for fmt, g in graphs.items():
            assert len(g) == len(base), fmt
    for fmt in PARSERS:
        assert isomorphic(by_accept[fmt], by_accept["ttl"]), fmt
    resp = c.get("/catalog?limit=5", headers={"Accept": "application/rdf+xml"})
    assert resp.headers["Content-Type"].startswith("application/rdf+xml")
    assert resp.headers["Vary"] == "Accept"
    assert 'rel="alternate"' in resp.headers["Link"] and ".jsonld" in resp.headers["Link"]
    assert c.get("/catalog", headers={"Accept": "image/png"}).status_code == 406
    assert c.get("/catalog.csv").status_code == 404


def test_paging_by_key_yields_every_record_exactly_once(feed) -> None:
    pages = walk(feed.client, "/catalog")
    m = feed.manifest
    published = set(m.published)
    seen: list[str] = []
    tombstones: dict[str, str] = {}
    for g in pages:
        seen += sorted(listed(g, ROOT))
        for topic, (status, _cs) in records(g).items():
            if status != STATUS + "PUBLISHED":
                tombstones[topic] = status
    assert len(seen) == len(set(seen)), "a dataset was listed twice"
    assert set(seen) == published
    assert tombstones == {d: STATUS + m.status[d] for d in m.with_status("REVOKED", "DELETED")}
    assert not set(m.with_status("PUBLISH_PENDING")) & (set(seen) | set(tombstones))
    total = len(published) + len(tombstones)
    for g in pages:
        assert int(g.value(ROOT, HYDRA.totalItems)) == total
    assert len(pages) == -(-total // feed.config.feed_page_size)


def test_paging_backwards_from_the_last_page(feed) -> None:
    first = parse(feed.client.get("/catalog"))
    links = view_links(first)
    assert "previous" not in links and links["first"].startswith("http://localhost/catalog?")
    back = walk(feed.client, links["last"], direction="previous")
    forward = walk(feed.client, "/catalog")
    assert set().union(*(listed(g, ROOT) for g in back)) == set().union(*(listed(g, ROOT) for g in forward))
    assert "next" not in view_links(back[0])


def test_page_size_has_a_maximum_and_cursors_are_checked(feed) -> None:
    c = feed.client
    assert len(listed(parse(c.get("/catalog?limit=200")), ROOT)) == len(feed.manifest.published)
    for bad in ("limit=201", "limit=0", "limit=ten", "after=nonsense", "page=2", "modified_since=yesterday"):
        resp = c.get(f"/catalog?{bad}", headers={"Accept": "application/json"})
        assert resp.status_code == 400, bad
        assert resp.get_json()["ok"] is False


def test_modified_since_filters_by_record_date(feed) -> None:
    all_pages = parse(feed.client.get("/catalog?limit=200"))
    since = "2024-07-01T00:00:00Z"
    recent = parse(feed.client.get(f"/catalog?limit=200&modified_since={since}"))
    expected = set()
    for rec in all_pages.subjects(RDF.type, DCAT.CatalogRecord):
        if str(all_pages.value(rec, DCTERMS.modified)) >= since:
            expected.add(str(all_pages.value(rec, FOAF.primaryTopic)))
    assert 0 < len(expected) < len(records(all_pages))
    assert set(records(recent)) == expected
    nxt = view_links(parse(feed.client.get(f"/catalog?limit=3&modified_since={since}")))["next"]
    assert "modified_since=2024-07-01T00%3A00%3A00Z" in nxt


def test_links_follow_the_reverse_proxy(feed) -> None:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "open.example.gov.cn", "X-Forwarded-Prefix": "/govkg"}
    links = view_links(parse(feed.client.get("/catalog", headers=headers)))
    assert links["next"].startswith("https://open.example.gov.cn/govkg/catalog?")
    assert links["last"].startswith("https://open.example.gov.cn/govkg/catalog?")
    links = view_links(
        parse(
            feed.client.get("/catalog", headers={"Forwarded": 'for=10.0.0.1;proto=https;host="data.example.org:8443"'})
        )
    )
    assert links["next"].startswith("https://data.example.org:8443/catalog?")
    links = view_links(
        parse(feed.client.get("/catalog", headers={"X-Forwarded-Host": "evil.example> <x", "X-Forwarded-Port": "8080"}))
    )
    assert links["next"].startswith("http://localhost:8080/catalog?")


def test_each_catalogue_has_its_own_url(feed) -> None:
    m = feed.manifest
    c0 = m.catalogs[0]
    key = c0.rsplit("/", 1)[1]
    pages = walk(feed.client, f"/id/catalog/{key}.ttl")
    node = URIRef(c0)
    got = set().union(*(listed(g, node) for g in pages))
    assert got == {d for d in m.published if m.catalog_of[d] == c0}
    assert view_links(pages[0])["next"].startswith(f"http://localhost/id/catalog/{key}.ttl?")
    assert pages[0].value(node, DCTERMS.title) is not None
    by_iri = parse(feed.client.get("/catalog", query_string={"iri": c0, "limit": 200}))
    assert listed(by_iri, node) == got
    assert feed.client.get("/id/catalog/nope").status_code == 404
    first = parse(feed.client.get("/catalog"))
    assert {str(x) for x in first.objects(ROOT, DCAT.catalog)} == set(m.catalogs)


def test_dataset_document_and_its_checksum(feed) -> None:
    m = feed.manifest
    d = m.published[3]
    g = parse(feed.client.get("/id/dataset/" + d.rsplit("/", 1)[1] + ".nt"), "nt")
    status, digest = records(g)[d]
    assert status == STATUS + "PUBLISHED"
    # the checksum is the SHA-256 of the description as published (same rule as harvesters)
    triples = [tuple(to_ox(x) for x in t) for t in g]
    import pyoxigraph as ox

    from govkg.catalog_index import TripleIndex

    index = TripleIndex(ox.Triple(*t) for t in triples)
    assert digest == checksum(describe(index.lookup, ox.NamedNode(d)))
    assert g.value(URIRef(d), DCTERMS.title) is not None
    same = parse(feed.client.get("/dataset", query_string={"iri": d}))
    assert len(same) == len(g)
    pending = m.with_status("PUBLISH_PENDING")[0]
    assert feed.client.get("/dataset", query_string={"iri": pending}).status_code == 404


def test_tombstones_carry_no_description(feed) -> None:
    m = feed.manifest
    revoked = m.with_status("REVOKED")[0]
    g = parse(feed.client.get("/dataset", query_string={"iri": revoked}))
    assert records(g)[revoked] == (STATUS + "REVOKED", None)
    node = URIRef(revoked)
    assert str(g.value(node, DCTERMS.title, any=True)) in ("withdrawn dataset", "已撤销或删除的数据集")
    assert g.value(node, DCAT.distribution) is None and g.value(node, GDS.sharingType) is None


def test_chinese_extension_rides_along_dcat_ap(feed) -> None:
    g = parse(feed.client.get("/catalog?limit=200"))
    for d in feed.manifest.published:
        node = URIRef(d)
        open_type = str(g.value(node, GDS.openType))
        code = {"UNCONDITIONAL_OPEN": "PUBLIC", "CONDITIONAL_OPEN": "RESTRICTED", "NOT_OPEN": "NON_PUBLIC"}[
            open_type.rsplit("/", 1)[1]
        ]
        assert str(g.value(node, DCTERMS.accessRights)) == EU_AR + code
        assert g.value(node, GDS.sharingType) is not None  # its own property, not folded into access rights
        assert str(g.value(node, DCTERMS.accrualPeriodicity)).startswith(EU_FREQ)
        assert g.value(node, GDS.updateCycle) is not None
        assert g.value(node, URIRef("http://data.europa.eu/r5r/applicableLegislation")) is not None
    assert any(g.triples((None, URIRef("https://w3id.org/dpv#hasLegalBasis"), None)))


def test_the_mappings_are_those_of_the_ontology(shared_dir) -> None:
    from pathlib import Path

    from server.feed_render import OPEN_TYPE_ACCESS_RIGHTS, UPDATE_CYCLE_FREQUENCY

    path = Path(__file__).resolve().parents[2] / "ontology" / "alignments.ttl"
    g = Graph().parse(path)
    skos = Namespace("http://www.w3.org/2004/02/skos/core#")
    found: dict[str, dict[str, str]] = {"open-type": {}, "update-cycle": {}}
    for p in (skos.exactMatch, skos.closeMatch):
        for s, o in g.subject_objects(p):
            scheme, code = str(s).split("/authority/")[-1].split("/") if "/authority/" in str(s) else ("", "")
            if scheme in found and (str(o).startswith(EU_AR) or str(o).startswith(EU_FREQ)):
                found[scheme][code] = str(o).rsplit("/", 1)[1]
    assert found["open-type"] == OPEN_TYPE_ACCESS_RIGHTS
    assert found["update-cycle"] == UPDATE_CYCLE_FREQUENCY


def test_only_harvested_graphs_come_out_verbatim(feed) -> None:
    """govkg's own graphs hold descriptions the catalogue keeps back (pending, revoked)."""
    from govkg.vocab import graph_iri

    for graph in (str(graph_iri("source", "synthetic")), "https://w3id.org/govkg/graph/system/literal-forms"):
        assert feed.client.get("/catalog/source.nt", query_string={"graph": graph}).status_code == 404


def test_root_catalogue_lists_the_sparql_endpoint_as_a_data_service(feed) -> None:
    """Issue #4: the service description and VoID are linked from a dcat:DataService in the
    govkg catalogue; a harvester finds the endpoint on every page and in the dump, at the
    address the client used (reverse proxy included)."""
    c = feed.client
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "data.example.org", "X-Forwarded-Prefix": "/kg"}
    for url in ("/catalog.ttl?limit=5", "/catalog.nt"):
        g = parse(c.get(url, headers=proxied), url.split("?")[0].rsplit(".", 1)[1])
        (service,) = g.objects(ROOT, DCAT.service)
        assert (service, RDF.type, DCAT.DataService) in g
        assert g.value(service, DCAT.endpointURL) == URIRef("https://data.example.org/kg/sparql")
        assert {t.language for t in g.objects(service, DCTERMS.title)} == {"zh", "en"}
        assert not any(g.objects(service, DCAT.servesDataset))  # the KG itself is described by /void
    g = parse(c.get("/catalog.ttl?limit=5"), "ttl")
    endpoint = g.value(g.value(ROOT, DCAT.service), DCAT.endpointURL)
    sd = Graph().parse(data=c.get(endpoint.replace("http://localhost", ""), headers={"Accept": "text/turtle"}).data,
                       format="turtle")
    assert (None, URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"), endpoint) in sd
