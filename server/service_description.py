"""What the endpoint says about itself: a SPARQL Service Description and a VoID description.

* The service description (``sd:Service``) answers a plain GET of ``/sparql``.  It is cheap:
  no query runs for it.
* The VoID description (``/void``) counts triples per named graph, entities per class and
  resources per jurisdiction (a resource is under a jurisdiction when its publisher's, or for
  an activity its agent's, ``gds:jurisdiction`` is it or lies within it; see
  ontology/MODEL.md).  The counts are computed by SPARQL through the same workers as any
  query, once per store generation (remote stores: at most every five minutes).
* Both documents include the ``dcat:DataService`` that the govkg catalogue lists: it links the
  endpoint (``dcat:endpointURL``), its service description (``dcat:endpointDescription``), the
  VoID document (``rdfs:seeAlso``) and the dataset it serves.  :func:`catalogue_entry` gives the
  same triples to the DCAT feeds' root catalogue (``<base>catalog dcat:service ...``).

Identifiers are minted under the configured base IRI (they stay the same wherever the
server runs); the URLs of the endpoint and of the documents are those of this server.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from govkg.config import Config
from govkg.errors import GovkgError
from govkg.query_pool import QueryJob
from govkg.store.base import INTERNAL
from govkg.vocab import DCAT, DCTERMS, FOAF, GDS, PROV, RDF, RDFS, SD, SKOS, VOID, XSD

FORMATS = "http://www.w3.org/ns/formats/"
FORMAT_IRIS = {
    "json": FORMATS + "SPARQL_Results_JSON",
    "xml": FORMATS + "SPARQL_Results_XML",
    "csv": FORMATS + "SPARQL_Results_CSV",
    "tsv": FORMATS + "SPARQL_Results_TSV",
    "ttl": FORMATS + "Turtle",
    "nt": FORMATS + "N-Triples",
    "nq": FORMATS + "N-Quads",
    "trig": FORMATS + "TriG",
    "rdf": FORMATS + "RDF_XML",
    "jsonld": FORMATS + "JSON-LD",
}
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
SPARQL_QUERY = "https://www.w3.org/TR/sparql11-query/"
VOCABULARIES = [str(DCAT), str(DCTERMS), str(GDS), str(PROV), str(SKOS), "http://data.europa.eu/eli/ontology#",
                "http://www.w3.org/ns/org#", "https://w3id.org/dpv#", str(FOAF)]


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _lit(value: object, datatype: object = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    if datatype is not None:
        return ox.Literal(str(value), datatype=_n(datatype))
    return ox.Literal(str(value))


def _int(n: int) -> ox.Literal:
    return _lit(n, XSD.integer)


A = _n(RDF.type)


@dataclass(frozen=True)
class Iris:
    """The identifiers and URLs the two descriptions use."""

    service: ox.NamedNode  # the dcat:DataService / sd:Service
    dataset: ox.NamedNode  # the dataset the endpoint serves (void:Dataset)
    catalog: ox.NamedNode  # the govkg catalogue that lists the service
    endpoint: ox.NamedNode  # this server's /sparql
    void: ox.NamedNode  # this server's /void
    update: ox.NamedNode  # this server's /update

    @classmethod
    def make(cls, config: Config, endpoint_url: str, void_url: str, update_url: str) -> Iris:
        base = config.base_iri
        # hash IRIs under the base: each dereferences (the server maps the base onto its root)
        # to the document that describes it; the catalogue is the feeds' root catalogue
        return cls(_n(base + "sparql#service"), _n(base + "void#govkg"), _n(base + "catalog"),
                   _n(endpoint_url), _n(void_url), _n(update_url))


def data_service_triples(iris: Iris) -> list[ox.Triple]:
    """The dcat:DataService entry (and its catalogue and dataset links) for the govkg catalogue."""
    s, d = iris.service, iris.dataset
    t = ox.Triple
    return [
        t(iris.catalog, A, _n(DCAT.Catalog)),
        t(iris.catalog, _n(DCAT.service), s),
        t(iris.catalog, _n(DCAT.dataset), d),
        t(s, A, _n(DCAT.DataService)),
        t(s, _n(DCTERMS.title), _lit("govkg SPARQL endpoint", lang="en")),
        t(s, _n(DCTERMS.title), _lit("govkg SPARQL 查询服务", lang="zh")),
        t(s, _n(DCAT.endpointURL), iris.endpoint),
        t(s, _n(DCAT.endpointDescription), iris.endpoint),  # GET of the endpoint: the service description
        t(s, _n(RDFS.seeAlso), iris.void),
        t(s, _n(DCTERMS.conformsTo), _n(SPARQL_PROTOCOL)),
        t(s, _n(DCTERMS.conformsTo), _n(SPARQL_QUERY)),
        t(s, _n(DCAT.servesDataset), d),
        t(d, A, _n(DCAT.Dataset)),
        t(d, A, _n(VOID.Dataset)),
        t(d, _n(DCTERMS.title), _lit("govkg knowledge graph", lang="en")),
        t(d, _n(DCTERMS.title), _lit("govkg 政务数据共享开放知识图谱", lang="zh")),
        t(d, _n(DCAT.accessService), s),
        t(d, _n(VOID.sparqlEndpoint), iris.endpoint),
        t(d, _n(RDFS.seeAlso), iris.void),
    ]


def catalogue_entry(config: Config, server_root: str) -> list[ox.Triple]:
    """The DataService triples for the root catalogue of the feeds (``<base>catalog``), given the
    server's root URL (``request.host_url``)."""
    root = server_root.rstrip("/")
    return data_service_triples(Iris.make(config, root + "/sparql", root + "/void", root + "/update"))


def service_description(iris: Iris, config: Config) -> list[ox.Triple]:
    t = ox.Triple
    s = iris.service
    out = data_service_triples(iris)
    out += [
        t(s, A, _n(SD.Service)),
        t(s, _n(SD.endpoint), iris.endpoint),
        t(s, _n(SD.supportedLanguage), _n(SD.SPARQL11Query)),
        t(s, _n(SD.feature), _n(SD.UnionDefaultGraph)),
        t(s, _n(SD.defaultEntailmentRegime), _n("http://www.w3.org/ns/entailment/Simple")),
        t(s, _n(SD.defaultDataset), iris.dataset),
        t(iris.dataset, A, _n(SD.Dataset)),
        t(s, _n(RDFS.comment), _lit(
            f"Read-only SPARQL 1.1 endpoint. Without FROM or a protocol dataset the default graph is the "
            f"union of all public named graphs. A query is stopped after {config.query_timeout:g} s (HTTP 503) "
            f"and may give at most {config.max_results} solutions or triples (HTTP 413); no result is ever cut "
            f"short. SELECT bindings show typed literals by value (the store's canonical form); CONSTRUCT and "
            f"DESCRIBE give back the original lexical form and datatype.", lang="en")),
    ]
    default = ox.BlankNode("defaultGraph")
    out += [
        t(iris.dataset, _n(SD.defaultGraph), default),
        t(default, A, _n(SD.Graph)),
        t(default, _n(RDFS.comment), _lit("the union of all public named graphs", lang="en")),
    ]
    out += [t(s, _n(SD.resultFormat), _n(iri)) for iri in FORMAT_IRIS.values()]
    if config.update_token:
        u = ox.BlankNode("updateService")
        out += [
            t(u, A, _n(SD.Service)),
            t(u, _n(SD.endpoint), iris.update),
            t(u, _n(SD.supportedLanguage), _n(SD.SPARQL11Update)),
            t(u, _n(RDFS.comment), _lit("Only for requests with the configured bearer token.", lang="en")),
        ]
    return out


# -- VoID ---------------------------------------------------------------------------------------
_PUB = f"(<{DCTERMS.publisher}>|<{PROV.wasAssociatedWith}>)/<{GDS.jurisdiction}>/<{GDS.partOfJurisdiction}>*"
STATS_QUERIES = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "classes": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
    "jurisdictions": f"SELECT ?j (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r {_PUB} ?j }} GROUP BY ?j",
    "jurisdiction_classes": f"SELECT ?j ?c (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r {_PUB} ?j ; a ?c }} GROUP BY ?j ?c",
    "jurisdiction_names": f"SELECT ?j ?code ?label WHERE {{ ?j a <{GDS.Jurisdiction}> "
    f"OPTIONAL {{ ?j <{SKOS.notation}> ?code }} OPTIONAL {{ ?j <{SKOS.prefLabel}> ?label }} }}",
}


@dataclass
class Stats:
    version: str
    rows: dict[str, list[dict[str, dict[str, str]]]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def compute_stats(call: Callable[..., object], version: str, timeout: float) -> Stats:
    """Run the statistics queries; one that fails or times out is reported, not fatal."""
    stats = Stats(version)
    for name, query in STATS_QUERIES.items():
        try:
            reply = call("query", QueryJob(query, formats={"select": "json"}, max_results=10_000_000),
                         timeout=timeout)
        except GovkgError as e:
            stats.failed[name] = e.message
            continue
        stats.rows[name] = json.loads(reply.body)["results"]["bindings"]  # type: ignore[attr-defined]
    return stats


def _term(binding: dict[str, str]) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if binding["type"] == "uri":
        return ox.NamedNode(binding["value"])
    if binding["type"] == "bnode":
        return ox.BlankNode(binding["value"])
    if "xml:lang" in binding:
        return ox.Literal(binding["value"], language=binding["xml:lang"])
    return ox.Literal(binding["value"], datatype=_n(binding.get("datatype", XSD.string)))


def _doc(node: ox.NamedNode) -> str:
    return node.value.partition("#")[0]


def _slug(iri: str) -> str:
    return hashlib.sha1(iri.encode(), usedforsecurity=False).hexdigest()[:16]


def void_description(iris: Iris, config: Config, stats: Stats) -> list[ox.Triple]:
    t = ox.Triple
    d = iris.dataset
    out = data_service_triples(iris)
    out += [
        t(d, _n(VOID.uriSpace), _lit(config.base_iri)),
        t(d, _n(DCTERMS.description), _lit(
            "Catalogues, datasets, agencies, jurisdictions, legislation and their links for government data "
            "sharing and opening in China.", lang="en")),
    ]
    out += [t(d, _n(VOID.vocabulary), _n(v)) for v in VOCABULARIES]
    rows = stats.rows
    if "triples" in rows and rows["triples"]:
        out.append(t(d, _n(VOID.triples), _int(int(rows["triples"][0]["n"]["value"]))))
    if "properties" in rows and rows["properties"]:
        out.append(t(d, _n(VOID.properties), _int(int(rows["properties"][0]["n"]["value"]))))
    if "classes" in rows:
        out.append(t(d, _n(VOID.classes), _int(len(rows["classes"]))))
        for r in rows["classes"]:
            cls = r["c"]["value"]
            part = _n(f"{_doc(d)}#class-{_slug(cls)}")
            out += [
                t(d, _n(VOID.classPartition), part),
                t(part, _n(VOID["class"]), _term(r["c"])),  # type: ignore[arg-type]
                t(part, _n(VOID.entities), _int(int(r["n"]["value"]))),
            ]
    if "graphs" in rows:
        internal = {g.value for g in INTERNAL}
        for r in rows["graphs"]:
            g = r["g"]["value"]
            if g in internal:
                continue
            sub = _n(f"{_doc(d)}#graph-{_slug(g)}")
            out += [
                t(d, _n(VOID.subset), sub),
                t(sub, A, _n(VOID.Dataset)),
                t(sub, A, _n(SD.NamedGraph)),
                t(sub, _n(SD.name), _n(g)),
                t(sub, _n(VOID.triples), _int(int(r["n"]["value"]))),
            ]
    out += _jurisdiction_subsets(d, rows)
    for name, message in sorted(stats.failed.items()):
        out.append(t(d, _n(RDFS.comment), _lit(f"{name} not counted: {message}", lang="en")))
    return out


def _jurisdiction_subsets(d: ox.NamedNode, rows: dict[str, list[dict[str, dict[str, str]]]]) -> list[ox.Triple]:
    t = ox.Triple
    out: list[ox.Triple] = []
    codes: dict[str, str] = {}
    labels: list[tuple[str, ox.Literal]] = []
    for r in rows.get("jurisdiction_names", []):
        j = r["j"]["value"]
        if "code" in r:
            codes.setdefault(j, r["code"]["value"])
        if "label" in r:
            labels.append((j, _term(r["label"])))  # type: ignore[arg-type]

    def subset(j: str) -> ox.NamedNode:
        code = codes.get(j)
        key = code if code and code.isalnum() else _slug(j)
        return _n(f"{_doc(d)}#jurisdiction-{key}")

    seen: set[str] = set()
    for r in rows.get("jurisdictions", []):
        j = r["j"]["value"]
        seen.add(j)
        sub = subset(j)
        out += [
            t(d, _n(VOID.subset), sub),
            t(sub, A, _n(VOID.Dataset)),
            t(sub, _n(DCTERMS.spatial), _n(j)),
            t(sub, _n(VOID.entities), _int(int(r["n"]["value"]))),
        ]
    for j, label in labels:
        if j in seen:
            out.append(t(subset(j), _n(RDFS.label), label))
    for r in rows.get("jurisdiction_classes", []):
        j, cls = r["j"]["value"], r["c"]["value"]
        if j not in seen:
            continue
        sub = subset(j)
        part = _n(f"{sub.value}-class-{_slug(cls)}")
        out += [
            t(sub, _n(VOID.classPartition), part),
            t(part, _n(VOID["class"]), _n(cls)),
            t(part, _n(VOID.entities), _int(int(r["n"]["value"]))),
        ]
    return out


class StatsCache:
    """One Stats per store version; computed once even when many requests ask at the same time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stats: Stats | None = None

    def get(self, version: str, compute: Callable[[], Stats]) -> Stats:
        with self._lock:
            if self._stats is None or self._stats.version != version:
                self._stats = compute()
            return self._stats
