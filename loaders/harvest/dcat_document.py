"""A DCAT document: one file or URL in any RDF syntax, harvested as a whole.

The document is parsed completely first (``govkg.rdfio``: no external entities, no remote
JSON-LD contexts); a document that does not parse is rejected with its line and nothing
changes.  Catalogue records in the document are content: they are stored with it (and
their status is honoured).  When anything changed, the source graph is rewritten with the
document, so the graph stays exactly what the source published.
"""

from __future__ import annotations

from govkg.errors import InputError
from loaders.harvest.fetch import Document, Fetcher, FetchError, parse_rdf
from loaders.harvest.session import Batch, Session

KIND = "dcat"
REPLACE_WHOLE = True


def run(session: Session, fetcher: Fetcher, document: Document | None, url: str | None, fmt: str | None) -> None:
    report = session.report
    try:
        doc = document if document is not None else fetcher.get(url)  # type: ignore[arg-type]
    except FetchError as e:
        report.reject(e.url, e.reason)
        session.complete = False
        return
    report.documents += 1
    report.bytes += len(doc.body)
    try:
        triples = parse_rdf(doc, fmt)
    except InputError as e:
        report.reject(e.source or doc.url, e.message, e.line, e.column)
        session.complete = False
        return
    session.process(Batch(triples, doc.url))
