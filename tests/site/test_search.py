"""Search and facets: Chinese bigrams, facet counts, the SPARQL twin, the index beside the graph."""

from __future__ import annotations

import re

import pyoxigraph as ox
from flask.testing import FlaskClient
from sitekit import BASE, Site

from govkg.search_index import SearchIndexManager, query_terms, tokens

HTML = {"Accept": "text/html"}
UNCONDITIONAL = BASE + "authority/sharing-type/UNCONDITIONAL"


def test_chinese_is_cut_into_bigrams_and_latin_into_words() -> None:
    assert tokens("人口数据 Open-Data") == ["人口", "口数", "数据", "open", "data"]
    assert tokens("人") == ["人"]
    assert query_terms("人") == [("人", True)]
    assert query_terms('a"b a') == [("a", False), ("b", False)]
    assert query_terms("  ") == []


def test_two_character_words_are_found(site: Site) -> None:
    with site.store.snapshot() as snap:
        title = next(r["t"].value for r in snap.select(
            f"SELECT ?t WHERE {{ <{site.dataset}> <http://purl.org/dc/terms/title> ?t FILTER(lang(?t) = 'zh') }}"))
        with SearchIndexManager.for_store(site.store).open(snap) as idx:
            word = re.findall(r"[\u4e00-\u9fff]{2}", title)[-1]
            res = idx.search(word, limit=300)
            assert site.dataset in [h.iri for h in res.hits]
            nothing = idx.search("量子纠缠引力波")
            assert nothing.total == 0
            lone = idx.search(word[0], limit=5)  # a lone Han character: every token it starts
            assert lone.total >= res.total
            page = idx.search(word[0], limit=5, offset=3)
            assert [h.iri for h in page.hits] == [h.iri for h in idx.search(word[0], limit=8).hits][3:]


def test_facet_counts_add_up_and_two_facets_narrow(site: Site) -> None:
    with site.store.snapshot() as snap, SearchIndexManager.for_store(site.store).open(snap) as idx:
        everything = idx.search("")
        sharing = dict(everything.facets["sharing-type"])
        assert sum(sharing.values()) <= everything.total
        assert sharing[UNCONDITIONAL] == idx.search("", {"sharing-type": [UNCONDITIONAL]}).total
        compliance = dict(everything.facets["compliance"])
        assert compliance["violation"] == 2  # the two datasets the test run flags
        two = idx.search("", {"sharing-type": [UNCONDITIONAL], "jurisdiction": [site.jurisdiction]})
        by_sparql = snap.select(
            f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <http://www.w3.org/ns/dcat#Dataset> ; "
            f"<https://w3id.org/govkg/def#sharingType> <{UNCONDITIONAL}> ; <http://purl.org/dc/terms/publisher>/"
            f"<https://w3id.org/govkg/def#jurisdiction>/<https://w3id.org/govkg/def#partOfJurisdiction>* "
            f"<{site.jurisdiction}> }}")
        assert two.total == int(by_sparql[0]["n"].value) > 0
        assert dict(two.facets["sharing-type"]) == {UNCONDITIONAL: two.total}


def test_search_page_with_two_facets_links_to_equivalent_sparql(client: FlaskClient, site: Site) -> None:
    url = f"/search?sharing-type={UNCONDITIONAL}&jurisdiction={site.jurisdiction}"
    html = client.get(url, headers=HTML).get_data(as_text=True)
    total = int(re.search(r'id="result-count"><strong>(\d+)</strong>', html).group(1))
    href = re.search(r'id="sparql-link" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    r = client.get(href, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert len({b["d"]["value"] for b in r.get_json()["results"]["bindings"]}) == total
    assert html.count('class="on"') == 2  # both facets shown as chosen


def test_search_index_follows_the_graph(site: Site, tmp_path) -> None:
    manager = SearchIndexManager.for_store(site.store)
    with site.store.snapshot() as snap:
        before = manager.path_for(snap)
    new = BASE + "id/dataset/search-index-regression-1"
    with site.store.transaction() as tx:
        tx.add([ox.Quad(ox.NamedNode(new), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                        ox.NamedNode("http://www.w3.org/ns/dcat#Dataset"), ox.NamedNode(BASE + "graph/test/extra")),
                ox.Quad(ox.NamedNode(new), ox.NamedNode("http://purl.org/dc/terms/title"),
                        ox.Literal("独角兽登记簿", language="zh"), ox.NamedNode(BASE + "graph/test/extra"))])
    try:
        with site.store.snapshot() as snap, manager.open(snap) as idx:
            assert idx.path != before
            assert [h.iri for h in idx.search("独角兽").hits] == [new]
    finally:
        with site.store.transaction() as tx:
            tx.drop_graph(ox.NamedNode(BASE + "graph/test/extra"))
    with site.store.snapshot() as snap, manager.open(snap) as idx:
        assert idx.search("独角兽").total == 0
