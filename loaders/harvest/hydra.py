"""A Hydra-paged catalogue: follow the pages, whatever style of paging the server speaks.

Three styles are in the wild and all are read:

* ``hydra:PartialCollectionView`` (Hydra Core today): ``<collection> hydra:view <page>``,
  ``<page> hydra:next <...>`` with IRIs (govkg's own feed, Linked Data Fragments);
* a ``hydra:Collection`` whose ``hydra:view`` is an untyped or blank node that carries
  ``hydra:first`` / ``hydra:next``, members listed with ``hydra:member``;
* the legacy ``hydra:PagedCollection`` (ckanext-dcat and older servers) with
  ``hydra:nextPage`` / ``hydra:lastPage`` as *literals* holding the URL.

Hydra triples are paging protocol and are not stored; neither are the feed's catalogue
records (they are read for the record's status, modified date and checksum: an unchanged
checksum means the record is skipped; a DELETED or REVOKED record is withdrawn here).

A page that cannot be fetched or parsed is rejected with its reason.  If the feed said
where its last page is, the walk resumes from there backwards (``hydra:previous``) until
it meets pages it has read, so one broken page costs only its own records.  Either way the
walk is incomplete and nothing is withdrawn for being absent.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

import pyoxigraph as ox

from govkg.errors import InputError
from govkg.vocab import HYDRA
from loaders.harvest.fetch import BudgetExceeded, Document, Fetcher, FetchError, is_http, parse_rdf
from loaders.harvest.report import HarvestReport
from loaders.harvest.session import Batch, Session

KIND = "hydra"
REPLACE_WHOLE = False
H = str(HYDRA)
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LINKS = {
    "next": (H + "next", H + "nextPage"),
    "previous": (H + "previous", H + "previousPage"),
    "first": (H + "first", H + "firstPage"),
    "last": (H + "last", H + "lastPage"),
}
MAX_PAGES = 1_000_000


def page_links(triples: list[ox.Triple], page_url: str) -> dict[str, str]:
    """The paging links of a page: on the page itself, on a view of a collection, or on
    the only node that has them."""
    kinds = {p: kind for kind, predicates in _LINKS.items() for p in predicates}
    views: set[object] = set()
    found: list[tuple[str, object, object]] = []
    for t in triples:
        s, p, o = t
        if not _is_hydra_predicate(p):
            continue
        if p.value == H + "view":
            views.add(o)
        kind = kinds.get(p.value)
        if kind is not None and isinstance(o, ox.NamedNode | ox.Literal):
            found.append((kind, s, o))
    out: dict[str, str] = {}
    for kind in _LINKS:
        candidates: list[tuple[int, str]] = []
        for k, s, o in found:
            if k != kind:
                continue
            url = urljoin(page_url, o.value.strip())  # type: ignore[union-attr]
            rank = 0 if isinstance(s, ox.NamedNode) and s.value == page_url else 1 if s in views else 2
            candidates.append((rank, url))
        if candidates:
            candidates.sort()
            best = [u for r, u in candidates if r == candidates[0][0]]
            if len(set(best)) == 1:
                out[kind] = best[0]
    return out


_HYDRA_PREDICATE: dict[object, bool] = {}


def _is_hydra_predicate(p: object) -> bool:
    hit = _HYDRA_PREDICATE.get(p)
    if hit is None:
        hit = _HYDRA_PREDICATE[p] = p.value.startswith(H)  # type: ignore[attr-defined]
        if len(_HYDRA_PREDICATE) > 10_000:
            _HYDRA_PREDICATE.clear()
    return hit


def strip_hydra(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The page without its paging protocol (and blank nodes only the protocol used)."""
    kept: list[ox.Triple] = []
    dropped: list[ox.Triple] = []
    for t in triples:
        _s, p, o = t
        hydra = _is_hydra_predicate(p) or (p == RDF_TYPE and type(o) is ox.NamedNode and o.value.startswith(H))
        (dropped if hydra else kept).append(t)
    orphans = {t.object for t in dropped if type(t.object) is ox.BlankNode}
    while orphans:
        referenced = {t.object for t in kept if type(t.object) is ox.BlankNode}
        orphans -= referenced
        if not orphans:
            break
        nxt = {t.object for t in kept if t.subject in orphans and type(t.object) is ox.BlankNode}
        kept = [t for t in kept if t.subject not in orphans]
        orphans = nxt
    return kept


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def _same_origin(links: dict[str, str], source: str, report: HarvestReport) -> dict[str, str]:
    """Only page links on the source's own scheme, host and port are followed: a hostile
    source must not steer the harvester to other hosts (an intranet, another platform)."""
    home = origin(source)
    kept = {}
    for kind, link in links.items():
        if not is_http(link) or origin(link) == home:  # other schemes are refused where they are read
            kept[kind] = link
        else:
            report.reject(link, f"the {kind} page link leaves the source's host; only same-origin page links "
                                "are followed")
    return kept


def run(session: Session, fetcher: Fetcher, first: Document | None, url: str, fmt: str | None) -> None:
    report = session.report
    visited: set[str] = set()
    failed = False
    last_url: str | None = None
    pending: Document | None = first
    current: str | None = url
    # the next page is fetched while this one is stored: the server and the store work at once
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="govkg-prefetch")
    ahead: tuple[str, Future[Document]] | None = None
    try:
        while current and current not in visited and len(visited) < MAX_PAGES:
            visited.add(current)
            if ahead is not None and ahead[0] == current:
                try:
                    pending = ahead[1].result()
                except FetchError as e:
                    report.reject(e.url, e.reason)
                    failed = True
                    break
            ahead = None
            page = _read(session, fetcher, current, pending, fmt)
            pending = None
            if page is None:
                failed = True
                break
            doc, triples, links = page
            visited.add(doc.url)
            links = _same_origin(links, url, report)
            last_url = links.get("last", last_url)
            nxt = links.get("next")
            if nxt and nxt not in visited and is_http(nxt):
                ahead = (nxt, pool.submit(fetcher.get, nxt))
            new = _process(session, doc, triples)
            if nxt is None and not new and links.get("first") not in visited | {None}:
                nxt = links["first"]  # a collection document that only points at its first page
            current = nxt
        if failed and last_url and last_url not in visited:
            report.note(f"resuming from the last page {last_url} backwards")
            current = last_url
            while current and current not in visited:
                visited.add(current)
                page = _read(session, fetcher, current, None, fmt)
                if page is None:
                    break
                doc, triples, links = page
                links = _same_origin(links, url, report)
                if not _process(session, doc, triples):
                    break  # met pages already read
                current = links.get("previous")
    except BudgetExceeded as e:
        report.note(str(e))
        failed = True
    finally:
        if ahead is not None:
            ahead[1].cancel()
        pool.shutdown(wait=True)
    if failed:
        session.complete = False


def _read(
    session: Session, fetcher: Fetcher, url: str, pending: Document | None, fmt: str | None
) -> tuple[Document, list[ox.Triple], dict[str, str]] | None:
    report = session.report
    if not is_http(url) and pending is None:
        report.reject(url, "a page link that is not http(s) is not followed")
        return None
    try:
        doc = pending or fetcher.get(url)
    except FetchError as e:
        report.reject(e.url, e.reason)
        return None
    report.documents += 1
    report.bytes += len(doc.body)
    try:
        triples = parse_rdf(doc, fmt)
    except InputError as e:
        report.reject(e.source or doc.url, e.message, e.line, e.column)
        return None
    return doc, triples, page_links(triples, doc.url)


def _process(session: Session, doc: Document, triples: list[ox.Triple]) -> bool:
    """Store one page; True if it held datasets this run had not seen yet."""
    before = len(session.seen)
    session.process(Batch(strip_hydra(triples), doc.url, strip_records=True))
    return len(session.seen) > before
