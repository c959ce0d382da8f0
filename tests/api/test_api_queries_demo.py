"""Every query of the library, run through the API on the demo graph, against what the demo
planted (its Manifest) or against the same question answered in plain Python over the
store's triples (``Facts``) - never against numbers copied from a run.

``CHECKS`` must name every query: a new query without a check fails
``test_every_query_has_a_demo_check``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable

import pyoxigraph as ox
import pytest

from govkg.demo import tables as T

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
GDS = "https://w3id.org/govkg/def#"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
ADMS = "http://www.w3.org/ns/adms#"
ODRL = "http://www.w3.org/ns/odrl/2/"
DPV = "https://w3id.org/dpv#"
ELI = "http://data.europa.eu/eli/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
AUTH = "https://w3id.org/govkg/authority/"
J = "https://w3id.org/govkg/id/jurisdiction/"
ID = "https://w3id.org/govkg/id/"
CHINA = dt.timezone(dt.timedelta(hours=8))


def api_rows(client, name: str, **params: str) -> list[dict]:
    """All rows of a SELECT query through the API (following every next link)."""
    url = f"/api/{name}.json"
    query: dict[str, str] | None = {**params, "limit": "500"}
    rows: list[dict] = []
    for _ in range(100):
        resp = client.get(url, query_string=query) if query is not None else client.get(url)
        assert resp.status_code == 200, resp.get_json()
        body = resp.get_json()
        rows += body["rows"]
        if not body["next"]:
            return rows
        url, query = body["next"], None
    raise AssertionError("more than 100 pages")


def code(iri: str, scheme: str) -> str:
    return AUTH + scheme + "/" + iri


def datasets(f) -> set:
    return {d for d in f.of_type(DCAT + "Dataset") if isinstance(d, str)}


def publisher(f, x):
    return f.obj(x, DCT + "publisher")


def dt_of(lit: ox.Literal) -> dt.datetime:
    return dt.datetime.fromisoformat(lit.value.replace("Z", "+00:00"))


# -- the checks -------------------------------------------------------------------------------------
def check_sharing(client, demo):
    f = demo.facts
    tops = f.tops()
    assert len(tops) == 4

    def expect(level=None, within=None):
        out = defaultdict(lambda: [set(), set(), set(), set()])
        for d in datasets(f):
            a = publisher(f, d)
            if a is None or not f.under(a, within):
                continue
            for lv in f.objs(a, GDS + "adminLevel"):
                if level and lv != level:
                    continue
                for top in {t for j in f.objs(a, GDS + "jurisdiction") for t in f.ancestors(j)} & tops:
                    e = out[(top, lv)]
                    e[0].add(d)
                    for i, c in enumerate(("UNCONDITIONAL", "CONDITIONAL", "NOT_SHARED")):
                        if code(c, "sharing-type") in f.objs(d, GDS + "sharingType"):
                            e[i + 1].add(d)
        return {k: tuple(len(x) for x in v) for k, v in out.items()}

    def got(rows):
        for r in rows:
            assert r["share_conditional"] == pytest.approx(r["conditional"] / r["datasets"])
            assert r["share_not_shared"] == pytest.approx(r["not_shared"] / r["datasets"])
        return {(r["top"], r["level"]): (r["datasets"], r["unconditional"], r["conditional"], r["not_shared"])
                for r in rows}

    rows = api_rows(client, "sharing-by-jurisdiction-and-level")
    assert got(rows) == expect()
    assert {r["top_name"] for r in rows} == {"Guiyang", "Zhejiang Province", "Liaoning Province", "Shanxi Province"}
    # the planted two-type resources (R2) are counted under both of their types
    counted = sum(r["unconditional"] + r["conditional"] + r["not_shared"] - r["datasets"] for r in rows)
    assert counted == len(demo.planted("R2")) > 0
    level = code("MUNICIPAL", "admin-level")
    rows = api_rows(client, "sharing-by-jurisdiction-and-level", level="MUNICIPAL", jurisdiction=J + "330000",
                    lang="zh")
    assert got(rows) == expect(level, J + "330000") and len(rows) == 1
    assert rows[0]["top_name"] == "浙江省"


def check_restricted(client, demo):
    f = demo.facts
    restricted = {code(c, "sharing-type") for c in ("CONDITIONAL", "NOT_SHARED")}

    def expect(sharing=None, within=None):
        out = {}
        for d in datasets(f):
            types = f.objs(d, GDS + "sharingType")
            a = publisher(f, d)
            if not types & restricted or a is None or not f.under(a, within) or (sharing and sharing not in types):
                continue
            basis = any(ELI + "LegalResource" in f.objs(b, RDF_TYPE) for b in f.objs(d, DPV + "hasLegalBasis"))
            reason = bool(f.objs(d, GDS + "nonSharingReason"))
            if not basis or not reason:
                out[d] = (not basis, not reason)
        return out

    rows = api_rows(client, "restricted-without-legal-basis")
    assert {r["dataset"]: (r["missing_legal_basis"], r["missing_reason"]) for r in rows} == expect()
    # exactly the planted R3 resources lack their legal basis
    assert {r["dataset"] for r in rows if r["missing_legal_basis"]} == demo.planted("R3") != set()
    rows = api_rows(client, "restricted-without-legal-basis", sharing_type="NOT_SHARED", jurisdiction=J + "140000")
    assert set(map(lambda r: r["dataset"], rows)) == set(expect(code("NOT_SHARED", "sharing-type"), J + "140000"))
    assert all("NOT_SHARED" in r["sharing_types"].split() for r in rows)


def check_overdue(client, demo):
    f = demo.facts
    late = demo.planted("R12-GY") | demo.planted("R13-LN")
    rows = api_rows(client, "catalogues-overdue")
    assert {r["trigger"] for r in rows} == late != set()
    for r in rows:
        assert r["catalog"] == f.obj(r["trigger"], GDS + "affects")
        assert r["status"] == "late" and r["adjusted_on"] > r["deadline"]
    rows = api_rows(client, "catalogues-overdue", jurisdiction=J + "210000")
    assert {r["trigger"] for r in rows} == demo.planted("R13-LN")
    rows = api_rows(client, "catalogues-overdue", trigger_type="SITUATION_CHANGE")
    assert rows == []  # the demo plants late adjustments only after law revisions


def _minus_months(day: dt.datetime, months: int) -> dt.datetime:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    return day.replace(year=y, month=m, day=min(day.day, calendar.monthrange(y, m)[1]))


def check_stale(client, demo):
    f = demo.facts
    period = {"REAL_TIME": (0, 1), "DAILY": (0, 1), "WEEKLY": (0, 7), "MONTHLY": (1, 0), "QUARTERLY": (3, 0),
              "HALF_YEARLY": (6, 0), "YEARLY": (12, 0)}
    published = {f.obj(r, FOAF + "primaryTopic") for r in f.subjs(ADMS + "status", code("PUBLISHED", "record-status"))}

    def expect(as_of: dt.date, cycle=None, within=None):
        midnight = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=CHINA)
        out = set()
        for d in datasets(f) & published:
            a = publisher(f, d)
            c = f.obj(d, GDS + "updateCycle")
            if a is None or c is None or not f.under(a, within):
                continue
            key = c.rsplit("/", 1)[1]
            if key not in period or (cycle and key != cycle):
                continue
            months, days = period[key]
            cutoff = _minus_months(midnight, months) - dt.timedelta(days=days)
            if any(dt_of(m) < cutoff for m in f.objs(d, DCT + "modified")):
                out.add(d)
        return out

    rows = api_rows(client, "stale-datasets", as_of="2025-07-01")
    assert {r["dataset"] for r in rows} == expect(dt.date(2025, 7, 1))
    assert 0 < len(rows) < len(published)
    rows = api_rows(client, "stale-datasets", as_of="2025-03-31", cycle="MONTHLY", jurisdiction=J + "330000")
    assert {r["dataset"] for r in rows} == expect(dt.date(2025, 3, 31), "MONTHLY", J + "330000") != set()


def check_repeated_collection(client, demo):
    f = demo.facts
    rows = api_rows(client, "repeated-collection")
    assert {r["activity"] for r in rows} == demo.planted("R26") != set()
    for r in rows:
        assert r["collector"] == f.obj(r["activity"], PROV + "wasAssociatedWith")
        assert r["data_element"] == f.obj(r["activity"], GDS + "collects")
        offered = f.obj(r["offered_by_dataset"], DCT + "publisher")
        assert offered == r["offered_by"] != r["collector"]
    rows = api_rows(client, "repeated-collection", jurisdiction=J + "330000", lang="zh")
    assert {r["activity"] for r in rows} == {a for a in demo.planted("R26")
                                             if f.under(f.obj(a, PROV + "wasAssociatedWith"), J + "330000")}
    assert all(r["element_name"] in ("公民身份号码", "统一社会信用代码") for r in rows)


def check_basic_coverage(client, demo):
    f = demo.facts
    rows = api_rows(client, "basic-resource-coverage")
    assert len(rows) == 4 * 6
    covered = {(r["top"], r["basic_resource"].rsplit("/", 1)[1]) for r in rows if r["covered"]}
    expected = set()
    for c in f.subjs(GDS + "resourceAttribute", code("BASIC", "resource-attribute")):
        owner_tops = {t for j in f.objs(publisher(f, c), GDS + "jurisdiction") for t in f.ancestors(j)} & f.tops()
        for b in f.objs(c, GDS + "basicResource"):
            expected |= {(t, b.rsplit("/", 1)[1]) for t in owner_tops}
    assert covered == expected
    # Shanxi lacks exactly one of the six (the planted R18-SX); the others cover what the tables say
    sx = {b for t, b in covered if t == J + "140000"}
    assert len(sx) == 5 and demo.planted("R18-SX") == {ID + "catalog/140000-resource"}
    for top, code_ in T.TOP_CODE.items():
        if top != "SX":
            assert {b for t, b in covered if t == J + code_} == set(T.BASIC_CATALOGUES[top])
    # Liaoning pairs each basic catalogue with its lead department (LN 11) except where R17-LN is planted
    for r in rows:
        if r["top"] == J + "210000" and r["covered"]:
            lead_kind = T.BASIC_CATALOGUES["LN"][r["basic_resource"].rsplit("/", 1)[1]]
            right = r.get("lead") == f"{ID}agency/210000-{lead_kind}"
            assert right == (r["catalog"] not in demo.planted("R17-LN"))
            assert r["datasets"] == len(f.objs(r["catalog"], DCAT + "dataset"))
    rows = api_rows(client, "basic-resource-coverage", jurisdiction=J + "140000", basic_resource="POPULATION")
    assert [(r["top"], r["basic_resource"]) for r in rows] == [(J + "140000", code("POPULATION", "basic-resource"))]


def check_open_by_theme(client, demo):
    f = demo.facts
    open_types = {code(c, "open-type") for c in ("UNCONDITIONAL_OPEN", "CONDITIONAL_OPEN")}

    def expect(open_type=None, within=None):
        out = defaultdict(set)
        for cat in f.subjs(GDS + "catalogType", code("OPEN_CATALOG", "catalog-type")):
            for d in f.objs(cat, DCAT + "dataset"):
                ot = f.objs(d, GDS + "openType")
                a = publisher(f, d)
                if not ot & open_types or (open_type and open_type not in ot) or not f.under(a, within):
                    continue
                formats = {fm for dist in f.objs(d, DCAT + "distribution") for fm in f.objs(dist, DCT + "format")}
                for theme in f.objs(d, DCAT + "theme") or {None}:
                    for fm in formats or {None}:
                        out[(theme, fm)].add(d)
        return {k: len(v) for k, v in out.items()}

    rows = api_rows(client, "open-datasets-by-theme-and-format")
    assert {(r.get("theme"), r.get("format")): r["datasets"] for r in rows} == expect()
    named = [r for r in rows if r.get("theme")]
    assert named and all(r["theme_name"] for r in named)
    rows = api_rows(client, "open-datasets-by-theme-and-format", open_type="CONDITIONAL_OPEN",
                    jurisdiction=J + "520100")
    assert {(r.get("theme"), r.get("format")): r["datasets"] for r in rows} == \
        expect(code("CONDITIONAL_OPEN", "open-type"), J + "520100")


def check_platforms(client, demo):
    f = demo.facts
    levels = ("STATE", "PROVINCE", "MUNICIPAL", "COUNTY", "TOWNSHIP")
    rank = {code(lv, "admin-level"): n for n, lv in enumerate(levels)}

    def expect(ptype, within=None):
        out = set()
        for p in f.subjs(GDS + "platformType", code(ptype, "platform-type")):
            level = f.obj(p, GDS + "adminLevel")
            if rank[level] == 0 or not f.under(publisher(f, p), within):
                continue
            links = set()
            for prop in ("connectsTo", "basedOn", "migratedTo", "integratedInto"):
                links |= f.objs(p, GDS + prop)
            if not any(rank[f.obj(u, GDS + "adminLevel")] < rank[level] for u in links):
                out.add(p)
        return out

    rows = api_rows(client, "platforms-not-connected-upward")
    assert {r["platform"] for r in rows} == expect("SHARING_PLATFORM")
    assert demo.planted("R20-LN") <= {r["platform"] for r in rows}
    rows = api_rows(client, "platforms-not-connected-upward", platform_type="GOVERNMENT_CLOUD",
                    jurisdiction=J + "140000")
    assert {r["platform"] for r in rows} == expect("GOVERNMENT_CLOUD", J + "140000")
    # SX 6: the city clouds planted without their link to the provincial cloud (R24-SX)
    municipal = {r["platform"] for r in rows if r["level"] == code("MUNICIPAL", "admin-level")}
    assert municipal == demo.planted("R24-SX") != set()


def check_findings(client, demo):
    report = demo.validation
    expected = defaultdict(set)
    for r in report.results:
        expected[(str(r.article), str(r.finding.severity))].add(str(r.finding.focus))
    rows = api_rows(client, "validation-findings-by-article")
    assert {r["run"] for r in rows} == {str(report.run)}
    assert {(r["article"], r["severity"]): (r["findings"], r["resources"]) for r in rows} == \
        {k: (len(v), len(v)) for k, v in expected.items()}
    by_article = {r["article"]: r for r in rows}
    gy13 = by_article[ID.replace("id/", "") + "eli/gy/reg/2017/government-data-sharing-and-opening/art_13"]
    ln12 = by_article[ID.replace("id/", "") + "eli/ln/measures/government-data-resource-sharing/art_12"]
    # the test shapes enforce R15 (an item's data type) and R3 (a legal basis): the demo planted both
    assert gy13["findings"] == len(demo.planted("R15")) and gy13["severity"].endswith("Warning")
    assert ln12["findings"] == len(demo.planted("R3")) and ln12["severity"].endswith("Violation")
    assert gy13["article_number"] == "13" and "Guiyang" in gy13["regulation_title"]
    rows = api_rows(client, "validation-findings-by-article", jurisdiction=J + "210000")
    ln_found = {str(r.finding.focus) for r in report.results if str(r.top) == J + "210000"}
    assert sum(r["findings"] for r in rows) == len(ln_found) > 0


def check_provenance(client, demo):
    f = demo.facts
    record = sorted(demo.planted("R10"))[0]  # a record published without a proper review
    dataset = f.obj(record, FOAF + "primaryTopic")
    resp = client.get("/api/dataset-provenance.nt", query_string={"dataset": dataset})
    assert resp.status_code == 200 and resp.content_type == "application/n-triples"
    triples = list(ox.parse(resp.data, format=ox.RdfFormat.N_TRIPLES))
    got_activities = {t.subject.value for t in triples if t.predicate.value == PROV + "used"}
    assert got_activities == {a for a in f.subjs(PROV + "used", record)} != set()
    types = {t.object.value for t in triples if t.predicate.value == RDF_TYPE}
    assert GDS + "Compilation" in types
    # the load that wrote the demo graph, from the sources graph
    loads = {t.object.value for t in triples if t.predicate.value == PROV + "wasGeneratedBy"}
    assert loads and loads <= f.objs("https://w3id.org/govkg/graph/source/demo", PROV + "wasGeneratedBy")
    # Turtle by default, and the catalogues listing it
    resp = client.get("/api/dataset-provenance", query_string={"dataset": dataset})
    assert resp.content_type.startswith("text/turtle")
    graph = list(ox.parse(resp.data, format=ox.RdfFormat.TURTLE))
    assert {t.subject.value for t in graph if t.predicate.value == DCAT + "dataset"} == f.subjs(DCAT + "dataset", dataset)


def check_harvest(client, demo):
    first, second = demo.harvests
    rows = api_rows(client, "harvest-changes")
    assert {r["harvest"] for r in rows} == {second.activity}
    assert {r["dataset"]: r["change"] for r in rows} == {
        **{d: "added" for d in second.added}, **{d: "changed" for d in second.changed},
        **{d: "withdrawn" for d in second.deleted}}
    assert len(second.added) == len(second.changed) == len(second.deleted) == 1
    rows = api_rows(client, "harvest-changes", run=first.activity)
    rewritten = set(second.added) | set(second.changed) | set(second.deleted)
    assert {r["dataset"] for r in rows} == set(first.added) - rewritten != set()
    assert {r["change"] for r in rows} == {"added"}
    assert {r["source"] for r in rows} == {demo.harvested_file.resolve().as_uri()}


def check_feedback(client, demo):
    f = demo.facts
    open_codes = {code(c, "feedback-status") for c in ("OPEN", "UNDER_VERIFICATION")}

    def expect(as_of: dt.date, days: int, within=None):
        cutoff = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=CHINA) - dt.timedelta(days=days)
        out = set()
        for fb in f.of_type(GDS + "Feedback"):
            status = f.objs(fb, GDS + "feedbackStatus")
            if status and not status & open_codes:
                continue
            agencies = {publisher(f, d) for d in f.objs(fb, GDS + "concerns")}
            if not any(a is not None and f.under(a, within) for a in agencies):
                continue
            if any(dt_of(c) < cutoff for c in f.objs(fb, DCT + "created")):
                out.add(fb)
        return out

    rows = api_rows(client, "feedback-unresolved", as_of="2025-06-30", older_than_days="60")
    assert {r["feedback"] for r in rows} == expect(dt.date(2025, 6, 30), 60) != set()
    rows = api_rows(client, "feedback-unresolved", as_of="2025-12-31", jurisdiction=J + "520100")
    assert {r["feedback"] for r in rows} == expect(dt.date(2025, 12, 31), 30, J + "520100")
    # the planted feedback without a status (R16) counts as unresolved
    no_status = {fb for fb in demo.planted("R16") if not f.objs(fb, GDS + "feedbackStatus")}
    assert no_status <= {r["feedback"] for r in api_rows(client, "feedback-unresolved", as_of="2026-06-30")}


def check_agencies(client, demo):
    f = demo.facts

    def expect(minimum: int, within=None):
        per = defaultdict(lambda: [set(), set(), set()])
        for d in datasets(f):
            a = publisher(f, d)
            if a is None:
                continue
            per[a][0].add(d)
            if code("CONDITIONAL", "sharing-type") in f.objs(d, GDS + "sharingType"):
                per[a][1].add(d)
            if code("NOT_SHARED", "sharing-type") in f.objs(d, GDS + "sharingType"):
                per[a][2].add(d)
        return {a: (len(v[0]), len(v[1]), len(v[2])) for a, v in per.items()
                if len(v[0]) >= minimum and f.under(a, within)}

    rows = api_rows(client, "agencies-by-not-shared-share")
    assert {r["agency"]: (r["datasets"], r["conditional"], r["not_shared"]) for r in rows} == expect(1)
    shares = [r["share_not_shared"] for r in rows]
    assert shares == sorted(shares, reverse=True)
    rows = api_rows(client, "agencies-by-not-shared-share", min_datasets="3", jurisdiction=J + "330000")
    assert {r["agency"]: (r["datasets"], r["conditional"], r["not_shared"]) for r in rows} == \
        expect(3, J + "330000") != {}


def check_datasets(client, demo):
    f = demo.facts
    uncond = code("UNCONDITIONAL", "sharing-type")
    open_ = code("UNCONDITIONAL_OPEN", "open-type")
    with_publisher = {d for d in datasets(f) if publisher(f, d)}
    rows = api_rows(client, "datasets")
    assert {r["dataset"] for r in rows} == with_publisher
    rows = api_rows(client, "datasets", jurisdiction=J + "520100", sharing_type="UNCONDITIONAL",
                    open_type="UNCONDITIONAL_OPEN", lang="zh")
    expected = {d for d in with_publisher if f.under(publisher(f, d), J + "520100")
                and uncond in f.objs(d, GDS + "sharingType") and open_ in f.objs(d, GDS + "openType")}
    assert {r["dataset"] for r in rows} == expected != set()
    assert all(r["sharing_types"] == "UNCONDITIONAL" and r["open_type_code"] == "UNCONDITIONAL_OPEN" for r in rows)
    assert all(r["title"].startswith("贵阳市") or "区" in r["title"] or "县" in r["title"] or "市" in r["title"]
               for r in rows)
    rows = api_rows(client, "datasets", title_contains="REGISTRATION")
    expected = {d for d in with_publisher if any("registration" in t.value.lower() for t in f.objs(d, DCT + "title"))}
    assert {r["dataset"] for r in rows} == expected != set()


def check_keyword(client, demo):
    f = demo.facts
    market_topic = T.KIND_CONTENT["market"][0][0]  # (zh, en) of the topic every market anchor has
    for text, lang in ((market_topic[0], "zh"), (market_topic[1].lower(), "en")):
        rows = api_rows(client, "datasets-by-keyword", keyword=f"{text}@{lang}")
        expected = f.subjs(DCAT + "keyword", ox.Literal(text, language=lang))
        assert {r["dataset"] for r in rows} == expected
        anchors = {f"{ID}dataset/{T.TOP_CODE[t]}-a{2 * n + 1:06d}" for n, t in enumerate(T.TOPS)}
        assert anchors <= expected
        assert all(r["title"] for r in rows)
    assert api_rows(client, "datasets-by-keyword", keyword=f"{market_topic[0]}@en") == []  # the language counts


def check_catalogue_conflicts(client, demo):
    rows = api_rows(client, "catalogue-type-conflicts")
    assert {r["catalog"] for r in rows} == demo.planted("R9") != set()
    rows = api_rows(client, "catalogue-type-conflicts", catalog_type="OPEN_CATALOG")
    assert {r["catalog"] for r in rows} == {c for c in demo.planted("R9") if c.endswith("-open")}
    assert all(r["conflict"] == "not open in an open catalogue" for r in rows)


def check_item_conflicts(client, demo):
    rows = api_rows(client, "item-sharing-conflicts")
    assert {r["resource"] for r in rows} == demo.planted("R31") != set()
    rows = api_rows(client, "item-sharing-conflicts", jurisdiction=J + "140000")
    assert {r["resource"] for r in rows} == {x for x in demo.planted("R31") if "/140" in x or "/141" in x}


def check_sources(client, demo):
    f = demo.facts
    rows = api_rows(client, "items-with-several-sources")
    assert {r["item"] for r in rows} == demo.planted("R27") != set()
    for r in rows:
        assert set(r["source_list"].split()) == f.objs(r["item"], GDS + "authoritativeSource")
        assert r["sources"] == 2


def check_review(client, demo):
    rows = api_rows(client, "published-without-review")
    assert {r["record"] for r in rows} == demo.planted("R10") != set()
    rows = api_rows(client, "published-without-review", jurisdiction=J + "520100")
    assert {r["record"] for r in rows} == {x for x in demo.planted("R10") if "/record/520" in x}


def check_projects(client, demo):
    rows = api_rows(client, "projects-approved-despite-defects", jurisdiction=J + "330000")
    assert {r["project"] for r in rows} == demo.planted("R25-ZJ") != set()
    rows = api_rows(client, "projects-approved-despite-defects")
    assert {r["project"] for r in rows} == demo.planted("R25-ZJ") | demo.decoys("R25-ZJ")
    assert all(r["failed_conditions"] for r in rows)


def check_collection(client, demo):
    rows = api_rows(client, "collection-without-basis-or-consent", jurisdiction=J + "140000")
    assert {r["activity"] for r in rows} == demo.planted("R28-SX") != set()
    rows = api_rows(client, "collection-without-basis-or-consent")
    assert {r["activity"] for r in rows} == demo.planted("R28-SX") | demo.decoys("R28-SX")


def check_competent(client, demo):
    rows = api_rows(client, "competent-departments")
    assert {r["place"] for r in rows} == demo.planted("R34") != set()
    assert all(r["departments"] == 0 for r in rows)
    rows = api_rows(client, "competent-departments", level="COUNTY")
    assert rows == []  # the demo plants the missing department at townships only


def check_thematic(client, demo):
    f = demo.facts
    thematic = f.subjs(GDS + "resourceAttribute", code("THEMATIC", "resource-attribute"))
    rows = api_rows(client, "thematic-catalogues")
    assert {r["catalog"] for r in rows} == thematic
    assert {r["catalog"] for r in rows if not r["meets_rule_19"]} == demo.planted("R19") != set()
    for r in rows:
        assert r["contributors"] == len(f.objs(r["catalog"], DCT + "contributor"))
    rows = api_rows(client, "thematic-catalogues", theme="PUBLIC_SERVICES", jurisdiction=J + "210000")
    assert {r["catalog"] for r in rows} == {c for c in thematic if code("PUBLIC_SERVICES", "theme") in
                                            f.objs(c, DCAT + "theme") and f.under(publisher(f, c), J + "210000")}


def check_personal(client, demo):
    f = demo.facts
    cats = {DPV + "PersonalData", DPV + "CommerciallyConfidentialData"}
    expected = {d for d in datasets(f) if f.objs(d, GDS + "dataCategory") & cats and (
        code("UNCONDITIONAL", "sharing-type") in f.objs(d, GDS + "sharingType")
        or code("UNCONDITIONAL_OPEN", "open-type") in f.objs(d, GDS + "openType"))}
    rows = api_rows(client, "personal-data-exposed")
    assert {r["dataset"] for r in rows} == expected
    # every planted R32 resource that is exposed (not the classified variant) is found
    exposed_plants = {d for d in demo.planted("R32")
                      if code("CLASSIFIED", "secrecy") not in f.objs(d, GDS + "secrecy")}
    assert exposed_plants and exposed_plants <= expected


CHECKS: dict[str, Callable] = {
    "sharing-by-jurisdiction-and-level": check_sharing,
    "restricted-without-legal-basis": check_restricted,
    "catalogues-overdue": check_overdue,
    "stale-datasets": check_stale,
    "repeated-collection": check_repeated_collection,
    "basic-resource-coverage": check_basic_coverage,
    "open-datasets-by-theme-and-format": check_open_by_theme,
    "platforms-not-connected-upward": check_platforms,
    "validation-findings-by-article": check_findings,
    "dataset-provenance": check_provenance,
    "harvest-changes": check_harvest,
    "feedback-unresolved": check_feedback,
    "agencies-by-not-shared-share": check_agencies,
    "datasets": check_datasets,
    "datasets-by-keyword": check_keyword,
    "catalogue-type-conflicts": check_catalogue_conflicts,
    "item-sharing-conflicts": check_item_conflicts,
    "items-with-several-sources": check_sources,
    "published-without-review": check_review,
    "projects-approved-despite-defects": check_projects,
    "collection-without-basis-or-consent": check_collection,
    "competent-departments": check_competent,
    "thematic-catalogues": check_thematic,
    "personal-data-exposed": check_personal,
}


def test_every_query_has_a_demo_check(library):
    assert set(CHECKS) == set(library.names())
    assert len(CHECKS) >= 20


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_query_on_the_demo(name, client, demo):
    CHECKS[name](client, demo)
