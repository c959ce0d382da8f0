"""Harvesting other platforms' catalogues (``govkg harvest SOURCE``).

One module per kind of source:

``dcat_document``    a DCAT document, a file or URL in any RDF syntax
``hydra``            a Hydra-paged catalogue (all three paging styles)
``sparql_endpoint``  a SPARQL endpoint (CONSTRUCT by class, in batches)
``ckan``             a CKAN site's action API

:func:`harvest` picks the kind (or is told), opens one store transaction and hands the
source to :class:`loaders.harvest.session.Session`, which decides record by record
(added, changed, unchanged, withdrawn, rejected, duplicate) and keeps the harvest state.
See the session module for the model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from govkg.catalog_index import xsd_now
from govkg.errors import InputError
from govkg.store.base import Store
from govkg.vocab import graph_iri
from loaders.harvest import ckan, dcat_document, hydra, sparql_endpoint
from loaders.harvest.fetch import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_SECONDS,
    Budget,
    BudgetExceeded,
    Document,
    Fetcher,
    FetchError,
    is_http,
    parse_rdf,
    read_local,
)
from loaders.harvest.report import Duplicate, HarvestReport, Rejection
from loaders.harvest.session import Session

__all__ = ["Duplicate", "HarvestReport", "Rejection", "default_graph", "harvest"]

KINDS = {"dcat": dcat_document, "hydra": hydra, "sparql": sparql_endpoint, "ckan": ckan}


def default_graph(source: str) -> str:
    """``graph/harvest/<host+path>`` for a URL, ``graph/harvest/file/<name>`` for a file."""
    if is_http(source):
        parts = urlsplit(source)
        key = f"{parts.hostname or ''}{'-' + str(parts.port) if parts.port else ''}{parts.path}"
    else:
        key = "file/" + Path(source).name
    slug = re.sub(r"[^A-Za-z0-9._/-]+", "-", key).strip("-/").lower() or "source"
    return str(graph_iri("harvest", slug))


def harvest(
    store: Store,
    source: str,
    *,
    kind: str = "auto",
    graph: str | None = None,
    max_bytes: int | None = None,
    max_seconds: float | None = None,
    fmt: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> HarvestReport:
    """Harvest one source into its own named graph; see the module docstring."""
    local: Path | None = None
    if source.startswith("file://"):
        local = Path(urlsplit(source).path)
    elif not is_http(source):
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source):
            raise InputError("only http(s) URLs and local files can be harvested", source=source)
        local = Path(source)
    if kind not in ("auto", *KINDS):
        raise InputError(f"unknown source kind {kind!r}; use one of auto, {', '.join(KINDS)}")
    if local is not None and kind not in ("auto", "dcat"):
        raise InputError(f"a local file can only be a DCAT document, not {kind}", source=source)
    budget = Budget(max_bytes or DEFAULT_MAX_BYTES, max_seconds or DEFAULT_MAX_SECONDS)
    fetcher = Fetcher(budget)
    first: Document | None = None
    try:
        if local is not None:
            first = read_local(local, budget)
            source_id = local.resolve().as_uri()
            kind = "dcat"
        else:
            source_id = source
            if kind == "auto":
                kind, first = _detect(fetcher, source, fmt)
        try:
            target = ox.NamedNode(graph or default_graph(str(local) if local else source))
        except ValueError:
            raise InputError(f"not an IRI: {graph!r}", source="--graph") from None
        module = KINDS[kind]
        report = HarvestReport(source=source_id, kind=kind, graph=target.value, started=xsd_now())
        with store.transaction() as tx:
            session = Session(
                tx, graph=target, source=source_id, report=report, replace_whole=module.REPLACE_WHOLE, progress=progress
            )
            try:
                try:
                    module.run(session, fetcher, first, None if local else source, fmt)  # type: ignore[attr-defined]
                except BudgetExceeded as e:
                    report.note(str(e))
                    session.complete = False
                session.finish()
                session.record_activity()
            finally:
                session.close()  # no handle on the written database may outlive the transaction
        return report
    finally:
        fetcher.close()


def _detect(fetcher: Fetcher, url: str, fmt: str | None) -> tuple[str, Document | None]:
    """Guess what a URL is from what it answers."""
    path = urlsplit(url).path.rstrip("/")
    if "/api/3/action" in path:
        return "ckan", None
    try:
        doc = fetcher.get(url)
    except FetchError as e:
        if path.endswith(("/sparql", "/query")):  # an endpoint answers a bare GET with an error
            return "sparql", None
        raise InputError(e.reason, source=e.url) from None
    ctype = doc.content_type.split(";")[0].strip().lower()
    if ctype in ("application/json", "text/json"):
        try:
            body = json.loads(doc.body)
        except ValueError:
            body = None
        if isinstance(body, dict) and "success" in body and "result" in body:
            return "ckan", None
    if ctype == "text/html" or not doc.body.strip():
        if _is_ckan(fetcher, url):
            return "ckan", None
        if path.endswith(("/sparql", "/query")):
            return "sparql", None
        raise InputError("cannot tell what this source is; give --kind", source=url)
    try:
        triples = parse_rdf(doc, fmt)
    except InputError:
        if path.endswith(("/sparql", "/query")):
            return "sparql", None
        return "dcat", doc  # the document kind reports the parse error with its line
    if any(
        t.object.value == "http://www.w3.org/ns/sparql-service-description#Service"
        for t in triples
        if isinstance(t.object, ox.NamedNode)
    ):
        return "sparql", None
    if hydra.page_links(triples, doc.url).get("next") or any(t.predicate.value.startswith(hydra.H) for t in triples):
        return "hydra", doc
    return "dcat", doc


def _is_ckan(fetcher: Fetcher, url: str) -> bool:
    try:
        doc = fetcher.get(url.rstrip("/") + "/api/3/action/status_show", accept="application/json")
        body = json.loads(doc.body)
    except (FetchError, ValueError):
        return False
    return isinstance(body, dict) and body.get("success") is True
