"""The /api blueprint: formats, negotiation, paging, errors, injection attempts, limits, the
docs page and the OpenAPI document."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from openapi_spec_validator import validate

from govkg.config import Config

J = "https://w3id.org/govkg/id/jurisdiction/"


def _all(client, url: str, **params: str) -> list[dict]:
    resp = client.get(url, query_string={**params, "limit": "10000"})
    assert resp.status_code == 200
    return resp.get_json()["rows"]


# -- formats ------------------------------------------------------------------------------------
def test_formats_by_suffix_accept_and_format_parameter(client):
    params = {"jurisdiction": J + "520100", "sharing_type": "NOT_SHARED"}
    rows = _all(client, "/api/datasets", **params)
    assert rows
    ids = [r["dataset"] for r in rows]
    csv_resp = client.get("/api/datasets.csv", query_string=params)
    assert csv_resp.content_type == "text/csv; charset=utf-8"
    assert 'filename="datasets.csv"' in csv_resp.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(csv_resp.data.decode("utf-8"))))
    assert [r["dataset"] for r in table] == ids
    assert [r["title"] for r in table] == [r["title"] for r in rows]
    tsv = client.get("/api/datasets", query_string=params, headers={"Accept": "text/tab-separated-values"})
    assert tsv.content_type.startswith("text/tab-separated-values")
    assert [line.split("\t")[0] for line in tsv.data.decode().splitlines()[1:]] == [f"<{i}>" for i in ids]
    srj = client.get("/api/datasets", query_string={**params, "format": "srj"})
    assert srj.content_type == "application/sparql-results+json"
    bindings = srj.get_json()["results"]["bindings"]
    assert [b["dataset"]["value"] for b in bindings] == ids
    assert bindings[0]["title"]["xml:lang"] == "en"
    default = client.get("/api/datasets", query_string=params, headers={"Accept": "text/html,*/*;q=0.8"})
    assert default.content_type == "application/json" and default.headers["Vary"] == "Accept"
    assert default.headers["Access-Control-Allow-Origin"] == "*"


def test_json_values_are_plain(client):
    [row] = [r for r in _all(client, "/api/sharing-by-jurisdiction-and-level", level="PROVINCE",
                             jurisdiction=J + "210000")]
    assert isinstance(row["datasets"], int) and isinstance(row["share_not_shared"], float)
    assert row["top"] == J + "210000" and row["top_name"] == "Liaoning Province"
    [flag] = {r["missing_reason"] for r in _all(client, "/api/restricted-without-legal-basis",
                                                sharing_type="NOT_SHARED", jurisdiction=J + "210000")
              if r["missing_legal_basis"]} or {False}
    assert flag in (True, False)


def test_construct_formats(client, demo):
    dataset = "https://w3id.org/govkg/id/dataset/520100-a000001"
    for suffix, accept, fmt in ((".ttl", None, ox.RdfFormat.TURTLE), ("", "application/n-triples", ox.RdfFormat.N_TRIPLES),
                                (".jsonld", None, ox.RdfFormat.JSON_LD)):
        headers = {"Accept": accept} if accept else {}
        resp = client.get(f"/api/dataset-provenance{suffix}", query_string={"dataset": dataset}, headers=headers)
        assert resp.status_code == 200, resp.data
        triples = list(ox.parse(resp.data, format=fmt))
        assert any(t.subject.value == dataset for t in triples)
    assert client.get("/api/dataset-provenance.csv", query_string={"dataset": dataset}).status_code == 406
    resp = client.get("/api/dataset-provenance", query_string={"dataset": dataset, "limit": "5"})
    assert resp.status_code == 400 and "takes no limit" in resp.get_json()["error"]


def test_unavailable_format_is_406(client):
    assert client.get("/api/datasets.ttl").status_code == 406
    resp = client.get("/api/datasets", headers={"Accept": "image/png"})
    assert resp.status_code == 406 and "available" in resp.get_json()["error"]


# -- paging ---------------------------------------------------------------------------------------
def test_cursor_paging_walks_the_whole_result_once(client):
    everything = [r["dataset"] for r in _all(client, "/api/datasets", jurisdiction=J + "330000")]
    assert len(everything) > 60
    seen: list[str] = []
    url, query = "/api/datasets.json", {"limit": "17", "jurisdiction": J + "330000"}
    pages = 0
    while url:
        body = client.get(url, query_string=query).get_json()
        assert body["count"] == len(body["rows"]) <= 17
        seen += [r["dataset"] for r in body["rows"]]
        url, query = body["next"], None
        pages += 1
        if url:
            assert "cursor=" in url and "offset=" not in url and body["cursor"] and "jurisdiction=" in url
    assert seen == everything
    assert pages == -(-len(everything) // 17)


def test_cursor_paging_in_csv_follows_the_link_header(client):
    everything = [r["dataset"] for r in _all(client, "/api/stale-datasets", as_of="2025-07-01")]
    seen: list[str] = []
    url, query = "/api/stale-datasets.csv", {"as_of": "2025-07-01", "limit": "50"}
    while url:
        resp = client.get(url, query_string=query)
        seen += [r["dataset"] for r in csv.DictReader(io.StringIO(resp.data.decode()))]
        link = resp.headers.get("Link")
        url = link[1:link.index(">")] if link else None
        query = None
        if url:
            assert ".csv?" in url and "as_of=2025-07-01" in url
    assert seen == everything and len(seen) > 50


def test_offset_paging_and_its_hard_maximum(client, app):
    everything = _all(client, "/api/agencies-by-not-shared-share")
    seen: list[dict] = []
    url, query = "/api/agencies-by-not-shared-share", {"limit": "100"}
    while url:
        body = client.get(url, query_string=query).get_json()
        seen += body["rows"]
        url, query = body["next"], None
        if url:
            assert "offset=" in url and "cursor=" not in url
    assert seen == everything
    cap = app.extensions["govkg"].config.api_max_offset
    resp = client.get("/api/agencies-by-not-shared-share", query_string={"offset": str(cap + 1)})
    assert resp.status_code == 400 and resp.get_json()["source"] == "offset"
    assert client.get("/api/agencies-by-not-shared-share", query_string={"offset": str(cap)}).status_code == 200
    assert client.get("/api/agencies-by-not-shared-share", query_string={"cursor": "abc"}).status_code == 400
    assert client.get("/api/datasets", query_string={"offset": "10"}).status_code == 400


def test_bad_cursors_are_400(client):
    body = client.get("/api/datasets", query_string={"limit": "2"}).get_json()
    token = body["cursor"]
    from server.api import encode_cursor

    crafted = encode_cursor("datasets", 'x" } ; DROP ALL #\n')  # well-formed, but not a key the query wrote
    for bad in ("zzz", token + "!", token[:-3], "a" * 9000, json.dumps({"q": "datasets"}), crafted):
        resp = client.get("/api/datasets", query_string={"cursor": bad})
        assert resp.status_code == 400 and resp.get_json()["source"] == "cursor", bad
    # a cursor of one query is not accepted by another
    other = client.get("/api/stale-datasets", query_string={"cursor": token})
    assert other.status_code == 400


@pytest.mark.parametrize("limit", ["0", "-1", "1.5", "ten", "10001", "99999999999"])
def test_bad_limits_are_400(client, limit):
    resp = client.get("/api/datasets", query_string={"limit": limit})
    assert resp.status_code == 400 and resp.get_json()["source"] == "limit"


# -- parameters: injection attempts, wrong types, missing and unknown ones ---------------------------
HOSTILE = ['"} ; DROP ALL #', "' } UNION { ?s ?p ?o } #", "} ; DROP ALL", '"""', "\\",
           "<http://evil.example/> } INSERT DATA { <a:a> <a:b> <a:c> }"]


def _store_state(demo) -> tuple[str, int]:
    from govkg.store.oxigraph import OxigraphStore

    store = OxigraphStore(demo.path, create=False)
    try:
        with store.snapshot() as snap:
            n = sum(1 for g in snap.graphs() for _ in snap.quads(graph=g))
        return store.current_generation().name, n
    finally:
        store.close()


def test_injection_attempts_are_data_or_400_and_change_nothing(client, library, demo):
    before = _store_state(demo)
    for q in library:
        for p in q.params:
            base = {k: v for k, v in q.example_values().items() if k != p.name}
            for hostile in HOSTILE:
                if p.type == "string":
                    value, ok = hostile, True
                elif p.type == "langString":
                    value, ok = hostile + "@zh", True
                elif p.type == "iri":
                    value, ok = "http://example.org/x" + hostile, False
                elif p.type == "enum":
                    value, ok = (p.codes[0] + hostile), False
                else:
                    value, ok = hostile, False
                resp = client.get(f"/api/{q.name}", query_string={**base, p.name: value})
                body = resp.get_json() if resp.content_type == "application/json" else None
                if ok and len(value) <= p.max_length:
                    assert resp.status_code == 200, (q.name, p.name, value, body)
                else:
                    assert resp.status_code == 400, (q.name, p.name, value)
                    assert body["source"] == p.name and p.name in body["error"] and body["ok"] is False
    assert _store_state(demo) == before


def test_a_hostile_keyword_matches_nothing_but_is_searched_for(client):
    resp = client.get("/api/datasets-by-keyword", query_string={"keyword": '企业登记信息" } ; DROP ALL #@zh'})
    assert resp.status_code == 200 and resp.get_json()["rows"] == []
    resp = client.get("/api/datasets", query_string={"title_contains": '") || true || ("'})
    assert resp.status_code == 200 and resp.get_json()["rows"] == []


@pytest.mark.parametrize(("url", "params", "source", "says"), [
    ("datasets", {"jurisdiction": "https://w3id.org/govkg/id/jurisdiction/520100>"}, "jurisdiction", "absolute IRI"),
    ("datasets", {"jurisdiction": "520100"}, "jurisdiction", "absolute IRI"),
    ("datasets", {"sharing_type": "conditional"}, "sharing_type", "one of UNCONDITIONAL"),
    ("datasets", {"title_contains": "x" * 101}, "title_contains", "longer than 100"),
    ("stale-datasets", {"as_of": "2025-02-29"}, "as_of", "YYYY-MM-DD"),
    ("feedback-unresolved", {"older_than_days": "thirty"}, "older_than_days", "an integer"),
    ("feedback-unresolved", {"older_than_days": "-1"}, "older_than_days", "at least 0"),
    ("datasets-by-keyword", {"keyword": "企业登记信息"}, "keyword", "language tag"),
    ("datasets-by-keyword", {}, "keyword", "is required"),
    ("dataset-provenance", {}, "dataset", "is required"),
    ("dataset-provenance", {"dataset": ""}, "dataset", "is required"),
    ("datasets", {"jurisdction": J + "520100"}, "jurisdction", "unknown parameter"),
])
def test_bad_parameters_get_a_clear_400(client, url, params, source, says):
    resp = client.get(f"/api/{url}", query_string=params)
    assert resp.status_code == 400
    body = resp.get_json()
    assert body == {"ok": False, "status": 400, "source": source, "error": body["error"]}
    assert says in body["error"] and source in body["error"]


def test_repeated_parameters_are_400(client):
    resp = client.get("/api/datasets?sharing_type=CONDITIONAL&sharing_type=NOT_SHARED")
    assert resp.status_code == 400 and "once" in resp.get_json()["error"]


def test_unknown_query_is_404(client):
    resp = client.get("/api/no-such-query.csv")
    assert resp.status_code == 404 and "/api/" in resp.get_json()["error"]


def test_errors_for_browsers_are_html(client):
    resp = client.get("/api/datasets?sharing_type=<script>", headers={"Accept": "text/html,*/*;q=0.8"})
    assert resp.status_code == 400 and resp.content_type.startswith("text/html")
    assert b"<script>" not in resp.data and b"&lt;script&gt;" in resp.data


# -- limits of the SPARQL endpoint apply --------------------------------------------------------------
@pytest.fixture
def limited_app(demo):
    from server import sparql
    from server.app import create_app

    apps = []

    def make(**settings):
        app = create_app(Config(store=demo.path, query_workers=1, **settings))
        apps.append(app)
        return app.test_client()

    yield make
    for app in apps:
        sparql.close(app)


def test_the_result_cap_and_time_limit_apply(limited_app):
    capped = limited_app(max_results=5)
    resp = capped.get("/api/dataset-provenance", query_string={"dataset": "https://w3id.org/govkg/id/dataset/520100-a000001"})
    assert resp.status_code == 413 and "more than 5" in resp.get_json()["error"]
    assert capped.get("/api/datasets", query_string={"limit": "20"}).status_code == 200  # pages fit under the cap
    hurried = limited_app(query_timeout=0.001)
    resp = hurried.get("/api/stale-datasets")
    assert resp.status_code == 503


# -- documentation ----------------------------------------------------------------------------------
def test_openapi_document_is_valid_and_describes_every_query(client, library, app):
    resp = client.get("/api/openapi.json")
    assert resp.status_code == 200 and resp.content_type == "application/json"
    doc = resp.get_json()
    validate(doc)
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {f"/api/{q.name}" for q in library}
    cfg = app.extensions["govkg"].config
    for q in library:
        op = doc["paths"][f"/api/{q.name}"]["get"]
        assert op["summary"] == q.summary and op["operationId"] == q.name
        declared = {p["name"]: p for p in op["parameters"] if "name" in p}
        assert set(declared) == {p.name for p in q.params}
        for p in q.params:
            assert declared[p.name]["required"] == p.required
            schema = declared[p.name]["schema"]
            if p.type == "enum":
                assert schema["enum"] == list(p.codes)
            if p.type == "integer":
                assert schema["type"] == "integer"
        refs = {p.get("$ref") for p in op["parameters"]}
        if q.form == "select":
            assert "#/components/parameters/limit" in refs
            assert ("#/components/parameters/cursor" if q.cursor else "#/components/parameters/offset") in refs
            assert set(op["responses"]["200"]["content"]) >= {"application/json", "text/csv"}
        else:
            assert "text/turtle" in op["responses"]["200"]["content"]
    limit = doc["components"]["parameters"]["limit"]["schema"]
    assert limit["maximum"] == cfg.api_max_page_size and limit["default"] == cfg.api_page_size


def test_docs_page_lists_every_query_and_links_its_twin(client, library):
    resp = client.get("/api/")
    assert resp.status_code == 200 and resp.content_type.startswith("text/html")
    assert 'rel="service-desc"' in resp.headers["Link"]
    page = resp.data.decode("utf-8")
    for q in library:
        assert f'id="{q.name}"' in page and q.summary.replace("'", "&#39;").replace('"', "&#34;") in page
        for p in q.params:
            assert f'name="{p.name}"' in page
    assert "curl -s" in page and ".csv" in page
    assert client.get("/api").status_code in (200, 308)


def test_docs_page_examples_all_work(client, library):
    page = client.get("/api/").data.decode("utf-8")
    for q in library:
        from server.api import example_url

        url = example_url(q)
        assert f'href="{url.replace("&", "&amp;")}"' in page
        assert client.get(url).status_code == 200, url


def test_the_project_readme_points_to_the_api():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    for needle in ("/api/openapi.json", "/api/<name>", "queries/README.md", "govkg query NAME"):
        assert needle in readme, needle


def test_next_links_keep_the_format_parameter(client):
    resp = client.get("/api/datasets", query_string={"format": "tsv", "limit": "5"})
    assert resp.content_type.startswith("text/tab-separated-values")
    link = resp.headers["Link"]
    assert "format=tsv" in link and "cursor=" in link
    follow = client.get(link[1:link.index(">")])
    assert follow.content_type.startswith("text/tab-separated-values") and len(follow.data.splitlines()) == 6


def test_rows_of_unbound_values_are_rows(demo, tmp_path):
    """Regression: a one-column row whose value is unbound is an empty TSV line, not the end of the page."""
    from server import sparql
    from server.app import create_app

    (tmp_path / "gaps.rq").write_text("#+ summary: gaps\n#+ description: rows with unbound values\n"
                                      "SELECT ?x WHERE { VALUES ?x { UNDEF 1 UNDEF 2 } } ORDER BY ?x\n")
    app = create_app(Config(store=demo.path, query_workers=1), test_config={"QUERIES_DIR": str(tmp_path)})
    try:
        c = app.test_client()
        body = c.get("/api/gaps", query_string={"limit": "3"}).get_json()
        assert body["rows"] == [{}, {}, {"x": 1}] and body["next"].endswith("offset=3")
        assert c.get(body["next"]).get_json()["rows"] == [{"x": 2}]
        assert c.get("/api/gaps.csv").data.decode().splitlines() == ["x", "", "", "1", "2"]
        assert [p for p in c.get("/api/openapi.json").get_json()["paths"]] == ["/api/gaps"]
    finally:
        sparql.close(app)
