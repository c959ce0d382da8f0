"""The site through Flask's test client: dereferencing, pages, languages, escaping, dashboard."""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph as ox
from flask.testing import FlaskClient
from sitekit import BASE, HOSTILE, HOSTILE_TITLE, Site

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def path(iri: str) -> str:
    assert iri.startswith(BASE)
    return "/" + iri[len(BASE):]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_minted_kind_dereferences_to_html(client: FlaskClient, site: Site) -> None:
    for iri in (site.dataset, site.agency, site.jurisdiction, site.article, site.latest_run,
                BASE + "authority/sharing-type/UNCONDITIONAL", BASE + "def",
                BASE + "graph/validation/test-latest"):
        r = client.get(path(iri), headers=HTML)
        assert r.status_code == 200, iri
        assert r.mimetype == "text/html"
        assert "<h1" in r.get_data(as_text=True)


def test_machines_get_rdf_by_accept_and_by_suffix(client: FlaskClient, site: Site) -> None:
    formats = {"text/turtle": ("ttl", ox.RdfFormat.TURTLE), "application/ld+json": ("jsonld", ox.RdfFormat.JSON_LD),
               "application/rdf+xml": ("rdf", ox.RdfFormat.RDF_XML),
               "application/n-triples": ("nt", ox.RdfFormat.N_TRIPLES)}
    for iri in (site.agency, site.article, site.dataset):
        for media, (suffix, fmt) in formats.items():
            for r in (client.get(path(iri), headers={"Accept": media}), client.get(path(iri) + "." + suffix)):
                assert r.status_code == 200
                assert r.mimetype == media
                triples = list(ox.parse(r.data, format=fmt))
                assert any(t.subject == ox.NamedNode(iri) for t in triples)


def test_html_pages_advertise_their_rdf_twins(client: FlaskClient, site: Site) -> None:
    r = client.get(path(site.agency), headers=HTML)
    link = r.headers["Link"]
    assert f'<{path(site.agency)}.ttl>; rel="alternate"; type="text/turtle"' in link
    assert 'type="application/ld+json"' in link and 'type="application/rdf+xml"' in link
    assert f'<link rel="alternate" type="text/turtle" href="{path(site.agency)}.ttl"' in r.get_data(as_text=True)


def test_unknown_iri_is_404(client: FlaskClient) -> None:
    assert client.get("/id/agency/no-such-agency", headers=HTML).status_code == 404
    assert client.get("/id/agency/no-such-agency.ttl").status_code == 404


def test_dataset_page_shows_legal_basis_provenance_and_findings(client: FlaskClient, site: Site) -> None:
    html = client.get(path(site.dataset) + "?lang=en", headers=HTML).get_data(as_text=True)
    assert f'href="{path(site.article)}"' in html  # legal basis links to the article
    assert "Legal basis" in html
    prov = text(html.split('id="provenance"')[1].split("</section>")[0]).lower()
    assert "compilation" in prov and "review" in prov
    assert "publication" in prov and "harvested from" in prov
    findings = html.split('id="findings"')[1].split("</section>")[0]
    assert "The legal basis is not explained" in findings
    assert path(site.article) in findings


def test_article_page_lists_resources_breaking_it(client: FlaskClient, site: Site) -> None:
    html = client.get(path(site.article), headers=HTML).get_data(as_text=True)
    breaking = html.split('id="breaking"')[1].split("</section>")[0]
    assert path(site.dataset) in breaking and path(site.other) in breaking
    assert "test#LegalBasisShape" in html.split('id="shapes"')[1].split("</section>")[0]


def test_agency_page_shows_hierarchy_datasets_and_compliance(client: FlaskClient, site: Site) -> None:
    html = client.get(path(site.agency), headers=HTML).get_data(as_text=True)
    assert 'id="hierarchy"' in html
    assert path(site.dataset) in html.split('id="datasets"')[1].split("</section>")[0]
    compliance = html.split('id="compliance"')[1].split("</section>")[0]
    assert "severity=violation" in compliance and "缺少法律依据说明" in compliance
    # the findings pointing at the agency read as their message, not as "0", "1"...
    inverse = html.split('id="inverse"')[1]
    agency_links = inverse.split("gds:agency")[1].split("</tr>")[0]
    assert "缺少法律依据说明" in agency_links and ">0</a>" not in agency_links


def test_generic_page_resolves_labels_and_inverse_links(client: FlaskClient, site: Site) -> None:
    iri = BASE + "authority/sharing-type/UNCONDITIONAL"
    html = client.get(path(iri) + "?lang=zh", headers=HTML).get_data(as_text=True)
    assert "无条件共享" in html
    inverse = html.split('id="inverse"')[1]
    assert "/id/dataset/" in inverse
    r = client.get("/resource?iri=" + quote("http://www.w3.org/ns/dcat#Dataset"), headers=HTML)
    assert r.status_code == 200


def test_language_by_accept_language_switch_and_cookie(client: FlaskClient, site: Site) -> None:
    en = client.get("/", headers={**HTML, "Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in en and "Jurisdictions" in en
    zh = client.get("/", headers={**HTML, "Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="zh">' in zh and "行政区划" in zh
    r = client.get("/?lang=en", headers={**HTML, "Accept-Language": "zh-CN"})
    assert "govkg_lang=en" in r.headers["Set-Cookie"]
    again = client.get("/", headers={**HTML, "Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="en">' in again  # the cookie wins over Accept-Language


def test_label_falls_back_to_the_other_language(client: FlaskClient, site: Site) -> None:
    # the hostile dataset has an English title only; the zh page shows it
    html = client.get(path(HOSTILE) + "?lang=zh", headers=HTML).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.split("<h1")[1].split("</h1>")[0]


def test_hostile_data_is_escaped_and_csp_is_set(client: FlaskClient, site: Site) -> None:
    r = client.get(path(HOSTILE), headers=HTML)
    html = r.get_data(as_text=True)
    assert HOSTILE_TITLE not in html and "<img src=x" not in html
    assert "script-src" not in r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    found = client.get("/search?q=script", headers=HTML).get_data(as_text=True)
    assert "&lt;script&gt;" in found and HOSTILE_TITLE not in found


def test_dashboard_numbers_link_to_their_lists(client: FlaskClient, site: Site) -> None:
    html = client.get("/dashboard?lang=en", headers=HTML).get_data(as_text=True)
    assert "<svg" in html and "polyline" in html
    links = re.findall(r'href="(/findings\?[^"]+)"', html)
    assert links
    by_article = html.split('id="by-article"')[1].split("</section>")[0]
    m = re.search(r'<a href="(/findings\?[^"]+)">.*?class="count"[^>]*>(\d+)<', by_article, re.S)
    assert m, by_article
    listed = client.get(m.group(1).replace("&amp;", "&"), headers=HTML).get_data(as_text=True)
    assert listed.count('class="finding"') == int(m.group(2)) == 3
    trend = html.split('id="trend"')[1]
    assert "test-older" in trend and "test-latest" in trend


def test_findings_link_to_equivalent_sparql(client: FlaskClient, site: Site) -> None:
    html = client.get("/findings?severity=warning", headers=HTML).get_data(as_text=True)
    assert html.count('class="finding"') == 1
    href = re.search(r'href="(/sparql\?query=[^"]+)"', html).group(1).replace("&amp;", "&")
    r = client.get(href, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert len(r.get_json()["results"]["bindings"]) == 1
