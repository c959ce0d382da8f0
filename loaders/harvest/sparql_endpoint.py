"""A SPARQL endpoint: datasets listed with one SELECT, described by CONSTRUCT in batches.

1. ``SELECT ?d ?m ?s``: every ``dcat:Dataset`` / ``dcat:DatasetSeries`` IRI with its
   ``dct:modified`` and the status of its catalogue record.  A record the endpoint marks
   DELETED or REVOKED is withdrawn here; a dataset whose ``dct:modified`` is the one stored
   at the last harvest is unchanged and is not fetched at all.
2. ``CONSTRUCT`` for the others, a batch of datasets at a time (``VALUES``, never
   ``OFFSET``): each dataset, the resources it owns (distributions and the other
   ``govkg.catalog_index.DEPENDENT_PROPERTIES``) and their blank nodes three levels deep.
3. ``CONSTRUCT`` by class for what datasets share: catalogues, data services, agents,
   concepts, licences, standards, legislation.

A batch that fails is rejected with the endpoint's answer and the walk is incomplete.
"""

from __future__ import annotations

import pyoxigraph as ox

from govkg.catalog_index import DEPENDENT_PROPERTIES, TOMBSTONE_STATUSES
from govkg.vocab import GDS
from loaders.harvest.fetch import BudgetExceeded, Document, Fetcher, FetchError
from loaders.harvest.session import Batch, Session, SourceRecord, status_code

KIND = "sparql"
REPLACE_WHOLE = False
BATCH = 100
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"

LIST_QUERY = f"""
SELECT ?d ?m ?s WHERE {{
  {{ ?d a <{DCAT}Dataset> }} UNION {{ ?d a <{DCAT}DatasetSeries> }}
  FILTER(isIRI(?d))
  OPTIONAL {{ ?d <{DCT}modified> ?m }}
  OPTIONAL {{ ?r <http://xmlns.com/foaf/0.1/primaryTopic> ?d ; <http://www.w3.org/ns/adms#status> ?s }}
}}"""

_DEPENDENT_PATH = "|".join(str(p) for p in sorted(DEPENDENT_PROPERTIES, key=lambda p: p.value))
_BLANKS = """
  OPTIONAL { ?o ?p1 ?o1 FILTER(isBlank(?o))
    OPTIONAL { ?o1 ?p2 ?o2 FILTER(isBlank(?o1))
      OPTIONAL { ?o2 ?p3 ?o3 FILTER(isBlank(?o2)) } } }"""

SHARED_CLASSES = [
    DCAT + "Catalog",
    DCAT + "DataService",
    "http://xmlns.com/foaf/0.1/Agent",
    "http://xmlns.com/foaf/0.1/Organization",
    "http://xmlns.com/foaf/0.1/Person",
    "http://www.w3.org/ns/org#Organization",
    str(GDS.Agency),
    "http://www.w3.org/2006/vcard/ns#Kind",
    "http://www.w3.org/2006/vcard/ns#Organization",
    "http://www.w3.org/2006/vcard/ns#Individual",
    "http://www.w3.org/2004/02/skos/core#Concept",
    DCT + "LicenseDocument",
    DCT + "Standard",
    "http://data.europa.eu/eli/ontology#LegalResource",
]


def describe_query(datasets: list[str]) -> str:
    values = " ".join(f"<{d}>" for d in datasets)
    return (
        "CONSTRUCT { ?x ?p ?o . ?o ?p1 ?o1 . ?o1 ?p2 ?o2 . ?o2 ?p3 ?o3 } WHERE {\n"
        f"  VALUES ?d {{ {values} }}\n"
        f"  {{ BIND(?d AS ?x) }} UNION {{ ?d ({_DEPENDENT_PATH})+ ?x FILTER(isIRI(?x)) }}\n"
        f"  ?x ?p ?o .{_BLANKS}\n}}"
    )


def shared_query() -> str:
    values = " ".join(f"<{c}>" for c in SHARED_CLASSES)
    return (
        "CONSTRUCT { ?x ?p ?o . ?o ?p1 ?o1 . ?o1 ?p2 ?o2 . ?o2 ?p3 ?o3 } WHERE {\n"
        f"  VALUES ?c {{ {values} }}\n  ?x a ?c . ?x ?p ?o .{_BLANKS}\n}}"
    )


def _select(fetcher: Fetcher, url: str, query: str) -> list[dict[str, object]]:
    doc = fetcher.post(
        url, {"query": query}, accept="application/sparql-results+json, application/sparql-results+xml;q=0.8"
    )
    ctype = doc.content_type.split(";")[0].strip().lower()
    fmt = ox.QueryResultsFormat.XML if "xml" in ctype else ox.QueryResultsFormat.JSON
    try:
        res = ox.parse_query_results(doc.body, format=fmt)
    except (SyntaxError, ValueError) as e:
        raise FetchError(doc.url, f"unreadable SELECT results: {e}") from None
    if not isinstance(res, ox.QuerySolutions):
        raise FetchError(doc.url, "the endpoint did not answer a SELECT with solutions")
    names = [v.value for v in res.variables]
    return [{n: sol[n] for n in names if sol[n] is not None} for sol in res]


def _construct(fetcher: Fetcher, url: str, query: str) -> tuple[Document, list[ox.Triple]]:
    doc = fetcher.post(
        url, {"query": query}, accept="application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
    )
    ctype = doc.content_type.split(";")[0].strip().lower()
    fmt = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.N_TRIPLES
    try:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(doc.body, format=fmt)]
    except (SyntaxError, ValueError) as e:
        raise FetchError(doc.url, f"unreadable CONSTRUCT result: {e}") from None
    return doc, triples


def run(session: Session, fetcher: Fetcher, first: Document | None, url: str, fmt: str | None) -> None:
    report = session.report
    try:
        rows = _select(fetcher, url, LIST_QUERY)
    except FetchError as e:
        report.reject(e.url, f"listing datasets: {e.reason}")
        session.complete = False
        return
    report.documents += 1
    listed: dict[str, SourceRecord] = {}
    for row in rows:
        d = row["d"].value  # type: ignore[attr-defined]
        info = listed.setdefault(d, SourceRecord())
        m = row.get("m")
        if isinstance(m, ox.Literal) and (info.modified is None or str(m) > info.modified):
            info.modified = str(m)
        code = status_code(row.get("s"))
        if code is not None and info.status not in TOMBSTONE_STATUSES:
            info.status = code
    to_fetch: list[str] = []
    gone: dict[str, SourceRecord] = {}
    for d in sorted(listed):
        info = listed[d]
        known = session.known(d)
        if info.status in TOMBSTONE_STATUSES:
            gone[d] = info
        elif known is not None and known.live and info.modified and known.source_modified == info.modified:
            session.unchanged(d)
        else:
            to_fetch.append(d)
    if gone:
        session.process(Batch([], url, meta=gone))
    try:
        for i in range(0, len(to_fetch), BATCH):
            chunk = to_fetch[i : i + BATCH]
            try:
                doc, triples = _construct(fetcher, url, describe_query(chunk))
            except FetchError as e:
                report.reject(e.url, f"describing {len(chunk)} datasets from <{chunk[0]}>: {e.reason}")
                session.complete = False
                continue
            report.documents += 1
            report.bytes += len(doc.body)
            session.process(
                Batch(triples, f"{url} (datasets {i + 1}-{i + len(chunk)})", meta={d: listed[d] for d in chunk})
            )
        try:
            doc, triples = _construct(fetcher, url, shared_query())
        except FetchError as e:
            report.reject(e.url, f"describing shared resources: {e.reason}")
            session.complete = False
            return
        report.documents += 1
        report.bytes += len(doc.body)
        session.process(Batch(triples, f"{url} (shared resources)"))
    except BudgetExceeded as e:
        report.note(str(e))
        session.complete = False
