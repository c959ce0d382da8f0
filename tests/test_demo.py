"""The demo generator: determinism, syntax, vocabularies, bounded memory, and an
independent oracle that evaluates every planted rule on the written graph (SPARQL on
pyoxigraph, deadlines in Python) and must find exactly the manifest's planted set, with
the decoys exactly the out-of-scope hits."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import time
from collections import defaultdict

import chinese_calendar
import pyoxigraph as ox
import pytest
import rdflib

from govkg import vocab
from govkg.demo import Manifest, generate
from govkg.demo.terms import zh

EXPECTED_RULES = {
    "R1-LN", "R1-SX", "R2", "R3", "R4-SX", "R5-SX", "R7", "R8-LN", "R9", "R10", "R11-GY", "R12-GY", "R13-LN",
    "R15", "R16", "R17-LN", "R18-SX", "R19", "R20-LN", "R21-LN", "R22-ZJ", "R23-ZJ", "R24-GY", "R24-SX",
    "R25-ZJ", "R26", "R27", "R28-SX", "R29-SX", "R30-GY", "R30-ZJ", "R30-LN", "R31", "R32", "R33-ZJ", "R34",
}
TOPS = {"GY": "520100", "ZJ": "330000", "LN": "210000", "SX": "140000"}


class NullWriter:
    def write(self, s: str) -> int:
        return len(s)


def run(n: int, seed: int = 42) -> tuple[str, Manifest]:
    buf = io.StringIO()
    m = generate(buf, datasets=n, seed=seed)
    return buf.getvalue(), m


@pytest.fixture(scope="module")
def small() -> tuple[str, Manifest]:
    return run(200)


@pytest.fixture(scope="module")
def default() -> tuple[str, Manifest]:
    return run(2000)


# -- basic properties -----------------------------------------------------------------------

def test_deterministic(small):
    text, m = small
    again, m2 = run(200)
    assert text == again
    assert m.planted == m2.planted and m.decoys == m2.decoys
    other, _ = run(200, seed=7)
    assert other != text


@pytest.mark.filterwarnings(r"ignore:Dataset\.\w+ is deprecated:DeprecationWarning")  # rdflib 7.6's own parse()
def test_parses_with_pyoxigraph_and_rdflib(small):
    text, m = small
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == m.quads
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {m.graph, str(vocab.LITERAL_FORMS_GRAPH)}
    ds = rdflib.Dataset()
    ds.parse(data=text, format="nquads")
    assert len(ds) == m.quads  # no duplicate quads either


def test_controlled_vocabularies(small):
    text, _ = small
    used = set(re.findall(r"<" + re.escape(vocab.AUTHORITY) + r"([^>]*)>", text))
    assert used
    for path in used:
        scheme, _, code = path.partition("/")
        assert code in vocab.SCHEMES.get(scheme, ()), path


def test_language_tags_and_escaping(small):
    text, _ = small
    tags = set(re.findall(r'"@([A-Za-z-]+) <', text))
    assert tags == {"zh", "en"}
    assert '"Rui\'an City"@en' in text
    tricky = 'say "hi" \\ then\nnew line\r'
    line = f"<urn:s> <urn:p> {zh(tricky)} <urn:g> .\n"
    (quad,) = ox.parse(line.encode(), format=ox.RdfFormat.N_QUADS)
    assert quad.object == ox.Literal(tricky, language="zh")


def test_literals_survive_oxigraph(small):
    """Every typed literal comes back from Oxigraph unchanged, or has a literal-form entry."""
    text, m = small
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))
    store = ox.Store()
    store.extend(quads)
    stored = {(q.subject, q.predicate, q.object) for q in store}
    lf = str(vocab.LITERAL_FORMS_GRAPH)
    entries = {q.subject for q in quads if q.graph_name.value == lf}
    changed = [q for q in quads if q.graph_name.value != lf and (q.subject, q.predicate, q.object) not in stored]
    assert changed and all(q.predicate.value == "http://www.w3.org/ns/dcat#byteSize" for q in changed)
    assert len(changed) == len(entries) == m.literal_form_entries
    sample = changed[0]
    assert str(sample.object).endswith("XMLSchema#nonNegativeInteger>")


def test_manifest_tsv_roundtrip(small, tmp_path):
    _, m = small
    p = tmp_path / "manifest.tsv"
    m.write_tsv(p)
    assert Manifest.read_tsv(p) == m


def test_progress_every_1000():
    seen: list[int] = []
    generate(NullWriter(), datasets=2500, progress=seen.append)  # type: ignore[arg-type]
    assert seen == [1000, 2000]


@pytest.mark.parametrize("size", [200, 2000])
def test_every_rule_planted(size, small, default):
    m = small[1] if size == 200 else default[1]
    assert m.rule_ids() == EXPECTED_RULES
    assert len(set(m.planted)) == len(m.planted)
    assert 0.05 <= m.planted_datasets / size <= 0.20
    # datasets whose own triples (or record, items, distributions) carry a planted defect
    keys = {k.group(1) for _, f in m.planted
            if (k := re.search(r"/id/(?:dataset|record|item|distribution)/(\d+-\d{7})", f))}
    assert 0.05 <= len(keys) / size <= 0.20


def test_counts_scale():
    _, m = run(6000)
    counts = defaultdict(int)
    for rule, _ in m.planted:
        counts[rule] += 1
    for rule in ("R1-LN", "R3", "R12-GY", "R13-LN", "R16", "R26", "R27", "R30-GY", "R32"):
        assert counts[rule] >= 5, rule


def test_throughput_printed():
    t = time.perf_counter()
    m = generate(NullWriter(), datasets=5000)  # type: ignore[arg-type]
    el = time.perf_counter() - t
    print(f"\ndemo generator: {m.quads} quads in {el:.2f} s = {m.quads / el:,.0f} quads/s "
          f"({m.quads / m.datasets:.0f} quads per dataset)")


# -- memory ---------------------------------------------------------------------------------

_CHILD = r"""
import gc, json, resource, sys, tracemalloc
from govkg.demo import generate
class Null:
    def write(self, s): return len(s)
n, traced = int(sys.argv[1]), sys.argv[2] == "traced"
if traced:
    tracemalloc.start()
m = generate(Null(), datasets=n)
peak = tracemalloc.get_traced_memory()[1] if traced else 0
gc.collect()
print(json.dumps({"peak": peak, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "blocks": sys.getallocatedblocks(), "entries": len(m.planted) + len(m.decoys)}))
"""
PEAK_BOUND = 12 * 2**20  # tracemalloc peak, any size
ENTRY_BYTES = 400  # a (rule, focus) pair in the manifest, generously


def _children(*runs: tuple[int, str]) -> dict[tuple[int, str], dict]:
    procs = {r: subprocess.Popen([sys.executable, "-c", _CHILD, str(r[0]), r[1]], stdout=subprocess.PIPE)
             for r in runs}
    return {r: json.loads(p.communicate(timeout=600)[0]) for r, p in procs.items()}


def test_memory_bounded():
    """Memory does not grow with the number of datasets, except for the manifest's entries.

    tracemalloc slows generation about tenfold, so its peak is compared at 1k and 3k
    datasets; resident memory and the objects left allocated at 10k and 50k (tracemalloc
    at 50k would take about 40 s)."""
    res = _children((1_000, "traced"), (3_000, "traced"), (10_000, "plain"), (50_000, "plain"))
    small, large = res[(1_000, "traced")], res[(3_000, "traced")]
    assert small["peak"] < PEAK_BOUND and large["peak"] < PEAK_BOUND, res
    assert large["peak"] - small["peak"] < (large["entries"] - small["entries"]) * ENTRY_BYTES + 2**20, res
    small, large = res[(10_000, "plain")], res[(50_000, "plain")]
    entries = large["entries"] - small["entries"]
    assert entries > 0
    assert large["rss_kb"] - small["rss_kb"] < 4096 + entries * ENTRY_BYTES / 1024, res
    assert large["blocks"] - small["blocks"] < 2000 + entries * 4, res


# -- the oracle -------------------------------------------------------------------------------

PREFIXES = """
PREFIX gds: <https://w3id.org/govkg/def#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX odrl: <http://www.w3.org/ns/odrl/2/>
PREFIX dpv: <https://w3id.org/dpv#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX st: <https://w3id.org/govkg/authority/sharing-type/>
PREFIX ot: <https://w3id.org/govkg/authority/open-type/>
PREFIX ct: <https://w3id.org/govkg/authority/catalog-type/>
PREFIX al: <https://w3id.org/govkg/authority/admin-level/>
PREFIX pt: <https://w3id.org/govkg/authority/platform-type/>
PREFIX rs: <https://w3id.org/govkg/authority/record-status/>
PREFIX ft: <https://w3id.org/govkg/authority/file-type/>
PREFIX eft: <http://publications.europa.eu/resource/authority/file-type/>
PREFIX id: <https://w3id.org/govkg/id/>
"""
RESTRICTED = "FILTER NOT EXISTS { ?f gds:sharingType st:UNCONDITIONAL }"

# Each query selects ?f (the focus) and ?a (the agency, or for R34 the jurisdiction, that
# places it under one of the four jurisdictions).  The rule is applied everywhere; scoping happens in Python.
QUERIES: dict[str, str] = {
    "R1-LN": """SELECT ?f ?a { ?f a dcat:Dataset ; dct:publisher ?a .
        FILTER (NOT EXISTS { ?f gds:classificationCode ?x } || NOT EXISTS { ?f gds:updateTimeLimit ?x }
             || NOT EXISTS { ?f gds:sharingType ?x } || NOT EXISTS { ?f gds:sharingMode ?x }
             || NOT EXISTS { ?f gds:hasDataItem ?x } || NOT EXISTS { ?f dcat:distribution/dct:format ?x }) }""",
    "R1-SX": """SELECT ?f ?a { ?f a dcat:Dataset ; dct:publisher ?a .
        FILTER (NOT EXISTS { ?f gds:classificationCode ?x } || NOT EXISTS { ?f gds:updateTimeLimit ?x }
             || NOT EXISTS { ?f gds:sharingType ?x } || NOT EXISTS { ?f gds:sharingMode ?x }
             || NOT EXISTS { ?f dcat:distribution/dct:format ?x }) }""",
    "R2": """SELECT ?f ?a { ?f a dcat:Dataset ; dct:publisher ?a .
        { SELECT ?f (COUNT(?t) AS ?n) { ?f a dcat:Dataset OPTIONAL { ?f gds:sharingType ?t } } GROUP BY ?f }
        FILTER (?n > 1 || EXISTS { ?f gds:sharingType ?t FILTER (?t NOT IN
                (st:UNCONDITIONAL, st:CONDITIONAL, st:NOT_SHARED)) }) }""",
    "R3": f"""SELECT ?f ?a {{ ?f a dcat:Dataset ; dct:publisher ?a . {RESTRICTED}
        FILTER NOT EXISTS {{ ?f dpv:hasLegalBasis ?b . ?b a eli:LegalResource }} }}""",
    "R4-SX": f"""SELECT ?f ?a {{ ?f a dcat:Dataset ; dct:publisher ?a . {RESTRICTED}
        MINUS {{ ?f gds:nonSharingReason ?x ; dpv:hasLegalBasis ?y ; dct:publisher/gds:jurisdiction ?j .
                ?j gds:competentDepartment ?dept . ?r foaf:primaryTopic ?f .
                ?d a gds:SharingAttributeDetermination ; prov:used ?r ; prov:wasAssociatedWith ?dept }} }}""",
    "R5-SX": """SELECT ?f ?a { ?f a dcat:Dataset ; dct:publisher ?a ; gds:sharingType st:CONDITIONAL .
        FILTER NOT EXISTS { ?f gds:sharingCondition ?x } FILTER NOT EXISTS { ?f odrl:hasPolicy/odrl:assignee ?x } }""",
    "R7": """SELECT ?f ?a { ?f a dcat:Dataset ; dct:publisher ?a .
        FILTER ((NOT EXISTS { ?f gds:sharingMode ?x } && NOT EXISTS { ?f gds:sharingType st:NOT_SHARED })
             || (NOT EXISTS { ?f gds:sharingType st:UNCONDITIONAL } && NOT EXISTS { ?f gds:sharingCondition ?x }
                 && NOT EXISTS { ?f odrl:hasPolicy/odrl:assignee ?x })) }""",
    "R8-LN": """SELECT ?f ?a { ?ds dcat:distribution ?f ; dct:publisher ?a .
        FILTER (EXISTS { ?f gds:medium gds:Paper } || NOT EXISTS { ?f dct:conformsTo ?x }
             || NOT EXISTS { ?f dct:format ?fmt FILTER (?fmt IN (eft:CSV, eft:JSON, eft:XML, eft:XLSX)) }
             || EXISTS { ?f dct:format ?fmt FILTER (?fmt NOT IN (eft:CSV, eft:JSON, eft:XML, eft:XLSX)) }) }""",
    "R9": """SELECT DISTINCT ?f ?a { ?f a dcat:Catalog ; dct:publisher ?a ; dcat:dataset ?d .
        { ?f gds:catalogType ct:SHARING_CATALOG . ?d gds:sharingType st:NOT_SHARED }
        UNION { ?f gds:catalogType ct:OPEN_CATALOG . ?d gds:openType ot:NOT_OPEN } }""",
    "R10": """SELECT ?f ?a { ?f a dcat:CatalogRecord ; adms:status rs:PUBLISHED ; foaf:primaryTopic/dct:publisher ?a .
        MINUS { ?f dct:issued ?i ; foaf:primaryTopic/dct:publisher ?p . ?p gds:jurisdiction/gds:competentDepartment ?dept .
                ?c a gds:Compilation ; prov:used ?f ; prov:wasAssociatedWith ?p ; prov:endedAtTime ?ce .
                ?v a gds:Review ; prov:used ?f ; prov:wasAssociatedWith ?dept ;
                   prov:startedAtTime ?vs ; prov:endedAtTime ?ve .
                FILTER (?ce <= ?vs && ?ve <= ?i) } }""",
    "R11-GY": """SELECT ?f ?a {
        { ?f a dcat:CatalogRecord ; adms:status rs:PUBLISHED ; foaf:primaryTopic/dct:publisher ?a .
          MINUS { ?f foaf:primaryTopic/dct:publisher/gds:jurisdiction/gds:government ?gov .
                  ?x a gds:Approval ; prov:used ?f ; prov:wasAssociatedWith ?gov } }
        UNION
        { ?f a dcat:Catalog ; dct:publisher ?a ; dct:issued ?i .
          MINUS { ?f dct:publisher/gds:jurisdiction/gds:government ?gov .
                  ?x a gds:Approval ; prov:used ?f ; prov:wasAssociatedWith ?gov } }
        UNION
        { ?f a dcat:Catalog ; dct:publisher ?a . ?a gds:adminLevel al:COUNTY .
          MINUS { ?f dct:isPartOf/dct:publisher/gds:adminLevel al:MUNICIPAL } } }""",
    "R15": """SELECT DISTINCT ?f ?a {
        { ?f a dcat:Dataset ; dct:publisher ?a .
          FILTER NOT EXISTS { ?f dct:description ?d FILTER (lang(?d) = "zh") } }
        UNION { ?ds gds:hasDataItem ?f ; dct:publisher ?a .
                FILTER (NOT EXISTS { ?f gds:dataType ?x } || NOT EXISTS { ?f dct:title ?x }) } }""",
    "R16": """SELECT ?f ?a { ?f a gds:Feedback ; gds:concerns/dct:publisher ?a .
        { SELECT ?f (COUNT(DISTINCT ?d) AS ?n) { ?f a gds:Feedback ; gds:concerns ?d } GROUP BY ?f }
        FILTER (?n != 1 || NOT EXISTS { ?f dct:creator ?x } || NOT EXISTS { ?f dct:created ?x }
                || NOT EXISTS { ?f gds:feedbackStatus ?x }) }""",
    "R18-SX": """SELECT ?f ?a { ?f a dcat:Catalog ; dct:publisher ?a ; gds:catalogType ct:RESOURCE_CATALOG .
        ?a a gds:DataDepartment ; gds:jurisdiction ?j .
        FILTER (?j IN (<https://w3id.org/govkg/id/jurisdiction/520100>, <https://w3id.org/govkg/id/jurisdiction/330000>,
                       <https://w3id.org/govkg/id/jurisdiction/210000>, <https://w3id.org/govkg/id/jurisdiction/140000>))
        FILTER NOT EXISTS { ?f gds:resourceAttribute ?x }
        { SELECT ?f (COUNT(DISTINCT ?b) AS ?n) { ?f a dcat:Catalog OPTIONAL { ?c dct:isPartOf ?f ;
            gds:basicResource ?b } } GROUP BY ?f }
        FILTER (?n < 6) }""",
    "R19": """SELECT ?f ?a { ?f a dcat:Catalog ; dct:publisher ?a ;
            gds:resourceAttribute <https://w3id.org/govkg/authority/resource-attribute/THEMATIC> .
        { SELECT ?f (COUNT(DISTINCT ?c) AS ?n) { ?f a dcat:Catalog OPTIONAL { ?f dct:contributor ?c } } GROUP BY ?f }
        FILTER (?n < 2 || NOT EXISTS { ?f gds:leadDepartment ?x }) }""",
    "R20-LN": """SELECT ?f ?a { ?f a gds:Platform ; gds:platformType pt:SHARING_PLATFORM ; dct:publisher ?a ;
            gds:adminLevel ?l .
        FILTER ((?l IN (al:COUNTY, al:TOWNSHIP) && NOT EXISTS { ?f gds:migratedTo/gds:adminLevel al:MUNICIPAL })
             || (?l = al:MUNICIPAL && NOT EXISTS { ?f gds:connectsTo ?p . ?p gds:adminLevel al:PROVINCE ;
                                                    gds:platformType pt:SHARING_PLATFORM })) }""",
    "R21-LN": """SELECT ?f ?a { ?f a gds:InformationSystem ; dct:publisher ?a ; gds:adminLevel ?l ;
            gds:secrecy <https://w3id.org/govkg/authority/secrecy/NON_CLASSIFIED> . ?a gds:jurisdiction ?j .
        FILTER (NOT EXISTS { ?f gds:connectsTo ?p . ?p gds:platformType pt:SHARING_PLATFORM ; gds:adminLevel ?l ;
                                                    dct:publisher/gds:jurisdiction ?j }
             || NOT EXISTS { ?f gds:runsOn ?p . ?p gds:platformType pt:GOVERNMENT_CLOUD ; gds:adminLevel ?l ;
                                                dct:publisher/gds:jurisdiction ?j }) }""",
    "R22-ZJ": """SELECT ?f ?a { ?f a gds:Platform ; gds:platformType pt:SHARING_PLATFORM ; dct:publisher ?a ;
            gds:adminLevel al:COUNTY .
        FILTER NOT EXISTS { ?f gds:basedOn/gds:adminLevel al:MUNICIPAL }
        FILTER NOT EXISTS { ?f gds:exceptionJustification ?x ; gds:approvedBy ?y } }""",
    "R23-ZJ": """SELECT ?f ?a { ?f a gds:Platform ; gds:platformType ?t ; dct:publisher ?a ; dct:created ?c .
        FILTER (?t IN (pt:SHARING_PLATFORM, pt:OPEN_PLATFORM))
        FILTER NOT EXISTS { ?a a gds:DataDepartment }
        FILTER (NOT EXISTS { ?f gds:integratedInto ?x } || ?c > "2022-03-01"^^xsd:date) }""",
    "R24-GY": """SELECT ?f ?a { ?f a gds:Platform ; gds:platformType ?t ; dct:publisher ?a ; gds:adminLevel ?l .
        FILTER (?t IN (pt:SHARING_PLATFORM, pt:OPEN_PLATFORM, pt:GOVERNMENT_CLOUD))
        FILTER (NOT EXISTS { ?f gds:interconnectedWith/gds:adminLevel al:STATE }
             || (?l != al:PROVINCE && NOT EXISTS { ?f gds:interconnectedWith/gds:adminLevel al:PROVINCE })) }""",
    "R24-SX": """SELECT ?f ?a { ?f a gds:Platform ; gds:platformType pt:GOVERNMENT_CLOUD ; dct:publisher ?a ;
            gds:adminLevel al:MUNICIPAL .
        FILTER NOT EXISTS { ?f gds:connectsTo ?p . ?p gds:platformType pt:GOVERNMENT_CLOUD ;
                            gds:adminLevel al:PROVINCE } }""",
    "R25-ZJ": """SELECT ?f ?a { ?f a gds:DigitalProject ; dct:publisher ?a ; gds:approvalStatus "approved" .
        FILTER EXISTS { ?f ?flag true FILTER (?flag IN (gds:buildsPrivateNetwork, gds:appOutsidePlatform,
            gds:outsideResourceSystem, gds:failsToShareOrCollectsRepeatedly, gds:missesSecurityRequirements)) }
        FILTER NOT EXISTS { ?f gds:consentBy ?x } }""",
    "R26": """SELECT DISTINCT ?f ?a { ?f a gds:CollectionActivity ; prov:wasAssociatedWith ?a ; gds:collects ?e .
        ?d dct:publisher ?p ; gds:hasDataItem/gds:dataElement ?e . FILTER (?p != ?a)
        { ?d gds:sharingType st:UNCONDITIONAL }
        UNION { ?d gds:sharingType st:CONDITIONAL ; odrl:hasPolicy/odrl:assignee ?a } }""",
    "R27": """SELECT ?f ?a { ?ds gds:hasDataItem ?f ; dct:publisher ?a .
        ?f gds:authoritativeSource ?s1, ?s2 . FILTER (?s1 != ?s2) } GROUP BY ?f ?a""",
    "R28-SX": """SELECT ?f ?a { ?f a gds:CollectionActivity ; prov:wasAssociatedWith ?a .
        FILTER NOT EXISTS { ?f dpv:hasLegalBasis ?x } FILTER NOT EXISTS { ?f gds:consentObtained true } }""",
    "R29-SX": """SELECT ?f ?a { ?ds dcat:distribution ?f ; dct:publisher ?a . ?f gds:medium gds:Paper }""",
    "R31": """SELECT DISTINCT ?f ?a {
        { ?ds gds:hasDataItem ?f ; dct:publisher ?a . FILTER NOT EXISTS { ?f gds:sharingType ?x } }
        UNION { ?f gds:sharingType st:UNCONDITIONAL ; dct:publisher ?a ; gds:hasDataItem/gds:sharingType
                st:NOT_SHARED } }""",
    "R32": """SELECT DISTINCT ?f ?a { ?f a dcat:Dataset ; dct:publisher ?a .
        { ?f gds:dataCategory ?c FILTER (?c IN (dpv:PersonalData, dpv:CommerciallyConfidentialData))
          { ?f gds:sharingType st:UNCONDITIONAL } UNION { ?f gds:openType ot:UNCONDITIONAL_OPEN } }
        UNION { ?f gds:secrecy <https://w3id.org/govkg/authority/secrecy/CLASSIFIED> . ?cat dcat:dataset ?f ;
                gds:catalogType ?t FILTER (?t IN (ct:SHARING_CATALOG, ct:OPEN_CATALOG)) } }""",
    "R33-ZJ": """SELECT ?f ?a { ?f a dcat:Dataset ; dct:publisher ?a . FILTER NOT EXISTS { ?f gds:securityGrade ?x } }""",
    "R34": """SELECT ?f ?a { ?f a gds:Jurisdiction . BIND (?f AS ?a)
        { SELECT ?f (COUNT(DISTINCT ?d) AS ?n) { ?f a gds:Jurisdiction OPTIONAL { ?f gds:competentDepartment ?d } }
          GROUP BY ?f }
        FILTER (?n != 1) }""",
}
ADMITTED = {
    "GY": {"ADMINISTRATIVE_ORGAN"},
    "ZJ": {"ADMINISTRATIVE_ORGAN", "AUTHORISED_ORGANISATION", "PUBLIC_SERVICE_OPERATOR", "WATER", "POWER", "GAS",
           "PUBLIC_TRANSPORT", "STATIONED_STATE_AGENCY", "TAX", "CUSTOMS", "FINANCIAL_SUPERVISION"},
    "LN": {"ADMINISTRATIVE_ORGAN", "AUTHORISED_ORGANISATION", "PUBLIC_SERVICE_OPERATOR", "WATER", "POWER", "GAS",
           "HEATING", "TELECOM", "PUBLIC_TRANSPORT", "SOCIAL_ORGANISATION"},
}
LN_BASIC_LEADS = {"POPULATION": "public-security", "LEGAL_ENTITY": "market",
                  "NATURAL_RESOURCES_SPATIAL_GEOGRAPHY": "natural-resources",
                  "SOCIAL_CREDIT": "development-reform", "ELECTRONIC_LICENCE": "business-environment"}


def _ln_deadline(day: dt.date) -> dt.date:
    n = 0
    while n < 10:
        day += dt.timedelta(days=1)
        n += chinese_calendar.is_workday(day)
    return day


class Oracle:
    def __init__(self, text: str) -> None:
        self.store = ox.Store()
        self.store.load(text.encode(), format=ox.RdfFormat.N_QUADS)
        self.top_of: dict[str, str] = {}  # agency or jurisdiction IRI -> GY/ZJ/LN/SX
        for top, code in TOPS.items():
            j = str(vocab.jurisdiction(code))
            for row in self.q(f"SELECT ?x {{ {{ ?x gds:partOfJurisdiction* <{j}> }} UNION "
                              f"{{ ?x gds:jurisdiction/gds:partOfJurisdiction* <{j}> }} }}"):
                self.top_of[row["x"].value] = top

    def q(self, query: str):
        return self.store.query(PREFIXES + query, use_default_graph_as_union=True)

    def hits(self, rule: str) -> dict[str, str]:
        """focus -> top, for every resource under one of the four jurisdictions that breaks ``rule``."""
        if rule in QUERIES:
            out = {}
            for row in self.q(QUERIES[rule]):
                top = self.top_of.get(row["a"].value)
                if top:
                    out[row["f"].value] = top
            return out
        return getattr(self, "_" + rule.replace("-", "_"))()

    def _by_classification(self, scope: str) -> dict[str, str]:
        out = {}
        for row in self.q("SELECT ?f ?a ?c { ?f a dcat:Dataset ; dct:publisher ?a . ?a org:classification ?c }"):
            code = row["c"].value.rsplit("/", 1)[1]
            top = self.top_of.get(row["a"].value)
            if top and code not in ADMITTED[scope]:
                out[row["f"].value] = top
        return out

    def _R30_GY(self):
        return self._by_classification("GY")

    def _R30_ZJ(self):
        return self._by_classification("ZJ")

    def _R30_LN(self):
        return self._by_classification("LN")

    def _deadline_hits(self, late) -> dict[str, str]:
        out = {}
        for row in self.q("""SELECT ?f ?a ?type ?at ?end { ?f a gds:TriggerEvent ; gds:triggerEventType ?type ;
                prov:atTime ?at ; gds:affects/dct:publisher ?a . ?r prov:wasInformedBy ?f ; prov:endedAtTime ?end }"""):
            if not row["type"].value.endswith(("LAW_REVISION", "FUNCTION_CHANGE")):
                continue
            start = dt.date.fromisoformat(row["at"].value[:10])
            end = dt.date.fromisoformat(row["end"].value[:10])
            top = self.top_of.get(row["a"].value)
            if top and late(start, end):
                out[row["f"].value] = top
        return out

    def _R12_GY(self):
        return self._deadline_hits(lambda s, e: e > s + dt.timedelta(days=15))

    def _R13_LN(self):
        return self._deadline_hits(lambda s, e: e > _ln_deadline(s))

    def _R17_LN(self):
        out = {}
        for top, code in TOPS.items():
            base = str(vocab.ID)
            for row in self.q(f"""SELECT ?f ?b ?lead ?co {{ ?f a dcat:Catalog ; gds:basicResource ?b ; dct:publisher ?p .
                    ?p gds:jurisdiction <{vocab.jurisdiction(code)}> .
                    OPTIONAL {{ ?f gds:leadDepartment ?lead }} OPTIONAL {{ ?f gds:coMaintainer ?co }} }}"""):
                b = row["b"].value.rsplit("/", 1)[1]
                if b not in LN_BASIC_LEADS:
                    continue
                lead, co = row["lead"], row["co"]
                if (lead is None or lead.value != f"{base}agency/{code}-{LN_BASIC_LEADS[b]}"
                        or co is None or co.value != f"{base}agency/{code}-data"):
                    out[row["f"].value] = top
        return out


@pytest.fixture(scope="module")
def oracle_small(small) -> tuple[Oracle, Manifest]:
    return Oracle(small[0]), small[1]


@pytest.fixture(scope="module")
def oracle_default(default) -> tuple[Oracle, Manifest]:
    return Oracle(default[0]), default[1]


@pytest.mark.parametrize("which", ["oracle_small", "oracle_default"])
@pytest.mark.parametrize("rule", sorted(EXPECTED_RULES))
def test_oracle_finds_exactly_the_planted_set(rule, which, request):
    oracle, m = request.getfixturevalue(which)
    hits = oracle.hits(rule)
    scope = rule.split("-")[1] if "-" in rule else None
    planted = {f for r, f in m.planted if r == rule}
    decoys = {f for r, f in m.decoys if r == rule}
    in_scope = {f for f, top in hits.items() if scope is None or top == scope}
    assert in_scope == planted, (sorted(in_scope - planted)[:5], sorted(planted - in_scope)[:5])
    assert set(hits) - in_scope == decoys, (sorted(set(hits) - in_scope - decoys)[:5], sorted(decoys - set(hits))[:5])
    if scope is None:
        assert not decoys


def test_holiday_deadline_cases(oracle_small):
    """The fixed cases around the Spring Festival and National Day, judged on the statutory
    calendar: planted when late, decoys for the other jurisdiction's rule."""
    oracle, m = oracle_small
    ends = {}
    for row in oracle.q("""SELECT ?f ?at ?end { ?f a gds:TriggerEvent ; prov:atTime ?at .
                           ?r prov:wasInformedBy ?f ; prov:endedAtTime ?end }"""):
        ends[(row["at"].value[:10], row["end"].value[:10])] = row["f"].value
    planted, decoys = set(m.planted), set(m.decoys)
    cases = [  # (event, revision ended, rule, planted?, decoy of the other rule?)
        ("2025-01-24", "2025-02-13", "R13-LN", False, ("R12-GY",)),  # 26 Jan and 8 Feb are working days
        ("2025-01-24", "2025-02-14", "R13-LN", True, ("R12-GY",)),
        ("2024-09-30", "2024-10-21", "R13-LN", True, ("R12-GY",)),  # Saturday 12 Oct is a working day
        ("2025-09-26", "2025-10-17", "R13-LN", True, ("R12-GY",)),
        ("2023-01-19", "2023-02-07", "R13-LN", False, ("R12-GY",)),
        ("2025-01-22", "2025-02-06", "R12-GY", False, ()),
        ("2025-01-22", "2025-02-07", "R12-GY", True, ()),
        ("2025-03-03", "2025-03-18", "R12-GY", False, ("R13-LN",)),
    ]
    for at, end, rule, late, decoy_rules in cases:
        focus = ends[(at, end)]
        assert ((rule, focus) in planted) == late, (at, end)
        assert {r for r, f in decoys if f == focus} == set(decoy_rules), (at, end)
    assert _ln_deadline(dt.date(2025, 1, 24)) == dt.date(2025, 2, 13)
    assert _ln_deadline(dt.date(2024, 9, 30)) == dt.date(2024, 10, 18)
