"""DCAT feeds: the root catalogue, each catalogue and each dataset, paged with Hydra.

Routes (each also with a ``.ttl``, ``.rdf``, ``.jsonld`` or ``.nt`` suffix; without one the
``Accept`` header chooses, Turtle by default):

``/catalog``                   the root catalogue: every public dataset (``?iri=`` another catalogue)
``/id/catalog/<key>``          a catalogue govkg minted (``<base>id/catalog/<key>``)
``/dataset?iri=``, ``/id/dataset/<key>``   one dataset with its catalogue record
``/catalog/source?graph=``     a harvested source's graph as stored (verbatim)

Paging: ``limit`` (1 to ``feed_max_page_size``), ``after`` / ``before`` (cursors from
``hydra:next`` / ``hydra:previous``), ``page=last``, ``modified_since`` (xsd:dateTime or
date).  Pages are read from the ordered index (``govkg.catalog_index``), never with OFFSET.
``/catalog.nt`` without paging parameters streams the whole catalogue (every page in one
N-Triples response) in constant memory.

Links are absolute and use the address the client used, including ``Forwarded`` /
``X-Forwarded-*`` from a reverse proxy.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from govkg.catalog_index import ROOT, CatalogIndex, IndexManager, cutoff_for, harvest_graphs, sortable_time
from govkg.errors import GovkgError
from govkg.store.base import INTERNAL, Snapshot, Store
from govkg.vocab import PREFIXES
from server.context import govkg
from server.feed_render import DCAT, DCT, FeedSettings, PageBuilder, PageLinks, build_page, dataset_document
from server.feed_urls import decode_cursor, encode_cursor, external_root, page_url

bp = Blueprint("feeds", __name__)

FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "ttl": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
}
_OFFERS = [
    ("text/turtle", "ttl"),
    ("application/rdf+xml", "rdf"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/x-turtle", "ttl"),
    ("application/json", "jsonld"),
    ("application/xml", "rdf"),
    ("text/plain", "nt"),
    ("text/html", "ttl"),
]
DUMP_BATCH = 500


# -- snapshots and indexes, shared by requests -------------------------------------------------
class _Lease:
    def __init__(self, snap: Snapshot, generation: str) -> None:
        self.snap = snap
        self.generation = generation
        self.users = 0
        self.retired = False


class FeedState:
    """One open snapshot per store generation for the whole process (opening a large
    generation takes seconds), handed to requests and closed when the last one is done."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: _Lease | None = None

    @contextlib.contextmanager
    def snapshot(self, store: Store) -> Iterator[Snapshot]:
        current_generation = getattr(store, "current_generation", None)
        if current_generation is None:  # a remote store: snapshots are cheap
            snap = store.snapshot()
            try:
                yield snap
            finally:
                snap.close()
            return
        gen = current_generation().name
        with self._lock:
            lease = self._current
            if lease is None or lease.generation != gen:
                snap = store.snapshot()
                new_gen = getattr(snap, "path", None)
                lease = _Lease(snap, new_gen.name if new_gen is not None else gen)
                old, self._current = self._current, lease
                if old is not None:
                    old.retired = True
                    if old.users == 0:
                        old.snap.close()
            lease.users += 1
        try:
            yield lease.snap
        finally:
            with self._lock:
                lease.users -= 1
                if lease.retired and lease.users == 0:
                    lease.snap.close()

    def close(self) -> None:
        with self._lock:
            if self._current is not None and self._current.users == 0:
                self._current.snap.close()
            self._current = None


@bp.record_once
def _setup(state: Any) -> None:
    state.app.extensions["govkg_feeds"] = FeedState()


def _state() -> FeedState:
    return current_app.extensions["govkg_feeds"]  # type: ignore[no-any-return]


def settings() -> FeedSettings:
    cfg = govkg().config
    extra = cfg.extra or {}
    s = FeedSettings(base_iri=cfg.base_iri, tombstone_days=cfg.tombstone_days)
    if extra.get("feed_publisher"):
        s.publisher = extra["feed_publisher"]
    for lang in ("zh", "en"):
        if extra.get(f"feed_title_{lang}"):
            s.title[lang] = extra[f"feed_title_{lang}"]
        if extra.get(f"feed_publisher_name_{lang}"):
            s.publisher_name[lang] = extra[f"feed_publisher_name_{lang}"]
    return s


def sparql_service_entry(root: str) -> list[ox.Triple]:
    """The root catalogue's ``dcat:service``: this server's SPARQL endpoint as a
    ``dcat:DataService`` (endpoint URL, title; its service description and VoID are one
    GET of the endpoint away).  Only the service itself: the knowledge graph as a dataset
    is described by /void, not listed among the catalogue's datasets."""
    from server.service_description import catalogue_entry

    triples = catalogue_entry(govkg().config, root + "/")
    service = next(t.object for t in triples if t.predicate.value == DCAT + "service")
    out = [t for t in triples
           if (t.subject == service and t.predicate.value != DCAT + "servesDataset")
           or t.predicate.value == DCAT + "service"]
    # DCAT-AP ranges, stated for harvesters that validate without inference
    typed = {DCT + "conformsTo": "http://purl.org/dc/terms/Standard",
             DCAT + "endpointURL": "http://www.w3.org/2000/01/rdf-schema#Resource",
             DCAT + "endpointDescription": "http://www.w3.org/2000/01/rdf-schema#Resource"}
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    out += [ox.Triple(t.object, rdf_type, ox.NamedNode(typed[t.predicate.value]))  # type: ignore[arg-type]
            for t in out if t.subject == service and t.predicate.value in typed]
    return list(dict.fromkeys(out))


@contextlib.contextmanager
def _open() -> Iterator[tuple[Snapshot, CatalogIndex, PageBuilder]]:
    g = govkg()
    with _state().snapshot(g.store) as snap:
        manager = IndexManager.for_store(g.store, tombstone_days=g.config.tombstone_days)
        with manager.open(snap) as index:
            yield snap, index, PageBuilder(snap, index, settings())


# -- request parsing ---------------------------------------------------------------------------
def _format(ext: str | None) -> str:
    if ext is not None:
        if ext not in FORMATS:
            raise GovkgError(f"unknown format suffix .{ext}; use .ttl, .rdf, .jsonld or .nt", http_status=404)
        return ext
    accept = request.accept_mimetypes
    if not accept or accept.best == "*/*":
        return "ttl"
    best = accept.best_match([m for m, _ in _OFFERS])
    if best is None:
        raise GovkgError(
            "none of the accepted media types is offered: use text/turtle, application/rdf+xml, "
            "application/ld+json or application/n-triples",
            http_status=406,
        )
    return dict(_OFFERS)[best]


@dataclass
class Paging:
    limit: int
    after: str | None
    before: str | None
    last: bool
    since: str | None
    since_raw: str | None
    explicit: bool  # any paging parameter given


def _paging() -> Paging:
    cfg = govkg().config
    args = request.args
    raw_limit = args.get("limit")
    if raw_limit is None:
        limit = cfg.feed_page_size
    else:
        try:
            limit = int(raw_limit)
        except ValueError:
            raise GovkgError("limit must be a whole number", source="limit") from None
        if not 1 <= limit <= cfg.feed_max_page_size:
            raise GovkgError(f"limit must be between 1 and {cfg.feed_max_page_size}", source="limit")
    after = decode_cursor(args["after"], "after") if "after" in args else None
    before = decode_cursor(args["before"], "before") if "before" in args else None
    last = args.get("page") == "last"
    if "page" in args and not last:
        raise GovkgError("page can only be 'last' (follow hydra:next for the others)", source="page")
    if sum(x is not None and x is not False for x in (after, before, last or None)) > 1:
        raise GovkgError("give at most one of after, before and page=last", source="after")
    since_raw = args.get("modified_since")
    since = None
    if since_raw is not None:
        since = sortable_time(since_raw)
        if since is None:
            raise GovkgError(
                "modified_since must be an xsd:dateTime or xsd:date, e.g. 2024-05-01T00:00:00Z", source="modified_since"
            )
    explicit = any(k in args for k in ("limit", "after", "before", "page"))
    return Paging(limit, after, before, last, since, since_raw, explicit)


def _serialize(triples: list[ox.Triple], fmt: str) -> bytes:
    rdf_format = FORMATS[fmt][1]
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""


def _alternates(root: str, base_path: str) -> str:
    query = request.query_string.decode("latin-1")
    links = [
        f'<{root}{base_path}.{ext}{"?" + query if query else ""}>; rel="alternate"; type="{mt.split(";")[0]}"'
        for ext, (mt, _) in FORMATS.items()
    ]
    return ", ".join(links)


def _respond(body: bytes, fmt: str, root: str, base_path: str) -> Response:
    resp = Response(body, mimetype=None, content_type=FORMATS[fmt][0])
    resp.headers["Vary"] = "Accept"
    resp.headers["Link"] = _alternates(root, base_path)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


# -- catalogues -------------------------------------------------------------------------------
@bp.get("/catalog")
@bp.get("/catalog.<ext>")
def catalog(ext: str | None = None) -> Response:
    iri = request.args.get("iri")
    return _catalog_view(iri, ext, "/catalog")


@bp.get("/id/catalog/<path:key>")
def minted_catalog(key: str) -> Response:
    key, ext = _split_suffix(key)
    return _catalog_view(f"{govkg().config.base_iri}id/catalog/{key}", ext, f"/id/catalog/{key}")


def _split_suffix(key: str) -> tuple[str, str | None]:
    for ext in FORMATS:
        if key.endswith("." + ext):
            return key[: -len(ext) - 1], ext
    return key, None


def _catalog_view(iri: str | None, ext: str | None, path: str) -> Response:
    fmt = _format(ext)
    paging = _paging()
    root = external_root(request)
    s = settings()
    key = ROOT if iri in (None, "", s.root_iri) else iri
    if fmt == "nt" and not paging.explicit:
        return _dump(key, paging, root, path)
    with _open() as (_snap, index, builder):
        if key != ROOT and not index.has_catalog(key):
            raise GovkgError(f"no catalogue <{key}> here", http_status=404)
        cutoff = cutoff_for(s.tombstone_days)
        page = index.page(
            key,
            limit=paging.limit,
            after=paging.after,
            before=paging.before,
            last=paging.last,
            since=paging.since,
            cutoff=cutoff,
        )
        total = index.count(key, since=paging.since, cutoff=cutoff)
        suffix = f".{ext}" if ext else ""
        common = {
            "iri": iri if key != ROOT and path == "/catalog" else None,
            "modified_since": paging.since_raw,
            "limit": str(paging.limit),
        }
        view_params = {k: v for k, v in request.args.items()}
        links = PageLinks(
            view=page_url(root, path + suffix, view_params),
            first=page_url(root, path + suffix, common),
            last=page_url(root, path + suffix, {**common, "page": "last"}),
            next=page_url(root, path + suffix, {**common, "after": encode_cursor(page.rows[-1].dataset)})
            if page.has_next and page.rows
            else None,
            previous=page_url(root, path + suffix, {**common, "before": encode_cursor(page.rows[0].dataset)})
            if page.has_previous and page.rows
            else None,
            search_template=f"{root}{path}{suffix}{{?modified_since,limit}}" if key == ROOT else None,
        )
        first_page = paging.after is None and paging.before is None and not paging.last
        triples = build_page(builder, key, page, total, links, first_page)
        if key == ROOT:
            triples += sparql_service_entry(root)
        body = _serialize(triples, fmt)
    return _respond(body, fmt, root, path)


def _dump(key: str, paging: Paging, root: str, path: str) -> Response:
    """The whole catalogue as N-Triples, streamed batch by batch (constant memory)."""
    g = govkg()
    s = settings()
    manager = IndexManager.for_store(g.store, tombstone_days=g.config.tombstone_days)
    held = contextlib.ExitStack()  # released when the last batch has been sent
    try:
        snap = held.enter_context(_state().snapshot(g.store))
        index = held.enter_context(manager.open(snap))
        if key != ROOT and not index.has_catalog(key):
            raise GovkgError(f"no catalogue <{key}> here", http_status=404)
    except BaseException:
        held.close()
        raise

    service = sparql_service_entry(root) if key == ROOT else []

    def generate() -> Iterator[bytes]:
        with held:
            builder = PageBuilder(snap, index, s)
            node, header = builder.header(key)
            if key == ROOT:
                header += builder.subcatalogs() + service
            yield _serialize(list(dict.fromkeys(header)), "nt")
            cutoff = cutoff_for(s.tombstone_days)
            for rows in index.iter_rows(key, since=paging.since, cutoff=cutoff, batch=DUMP_BATCH):
                builder = PageBuilder(snap, index, s)  # label caches stay per batch
                yield _serialize(builder.items(node, rows), "nt")

    resp = Response(generate(), content_type=FORMATS["nt"][0])
    resp.call_on_close(held.close)  # also when the body is never read (HEAD, a client gone early)
    resp.headers["Vary"] = "Accept"
    resp.headers["Link"] = _alternates(root, path)
    return resp


# -- datasets ---------------------------------------------------------------------------------
@bp.get("/dataset")
@bp.get("/dataset.<ext>")
def dataset(ext: str | None = None) -> Response:
    iri = request.args.get("iri")
    if not iri:
        raise GovkgError("give the dataset IRI as ?iri=", source="iri")
    return _dataset_view(iri, ext, "/dataset")


@bp.get("/id/dataset/<path:key>")
def minted_dataset(key: str) -> Response:
    key, ext = _split_suffix(key)
    return _dataset_view(f"{govkg().config.base_iri}id/dataset/{key}", ext, f"/id/dataset/{key}")


def _dataset_view(iri: str, ext: str | None, path: str) -> Response:
    fmt = _format(ext)
    root = external_root(request)
    with _open() as (_snap, _index, builder):
        triples = dataset_document(builder, iri)
        if triples is None:
            raise GovkgError(f"no dataset <{iri}> in the catalogue", http_status=404)
        body = _serialize(triples, fmt)
    return _respond(body, fmt, root, path)


# -- a stored graph, verbatim -------------------------------------------------------------------
@bp.get("/catalog/source")
@bp.get("/catalog/source.<ext>")
def source_graph(ext: str | None = None) -> Response:
    """A harvested source's graph exactly as stored (original literals): what govkg
    republishes of another platform, verbatim."""
    fmt = _format(ext)
    name = request.args.get("graph")
    if not name:
        raise GovkgError("give the graph IRI as ?graph=", source="graph")
    root = external_root(request)
    g = govkg()
    held = contextlib.ExitStack()
    snap = held.enter_context(_state().snapshot(g.store))
    # only what a harvest brought in: govkg's own graphs hold descriptions the feed keeps back
    # (pending, revoked), which the catalogue pages never show
    if name not in harvest_graphs(snap) or ox.NamedNode(name) in INTERNAL:
        held.close()
        raise GovkgError(f"no harvested graph <{name}> here", http_status=404)
    node = ox.NamedNode(name)
    restorer = snap.restorer()

    def triples() -> Iterator[ox.Triple]:
        for q in snap.quads(graph=node):
            yield ox.Triple(q.subject, q.predicate, restorer.restore(q.subject, q.predicate, q.object))  # type: ignore[arg-type]

    if fmt in ("nt", "ttl"):  # line-based syntaxes stream in batches

        def generate() -> Iterator[bytes]:
            with held:
                batch: list[ox.Triple] = []
                for t in triples():
                    batch.append(t)
                    if len(batch) >= 20_000:
                        yield _serialize(batch, fmt)
                        batch = []
                yield _serialize(batch, fmt)

        resp = Response(generate(), content_type=FORMATS[fmt][0])
        resp.call_on_close(held.close)
        resp.headers["Vary"] = "Accept"
        return resp
    with held:
        collected: list[ox.Triple] = []
        for t in triples():
            collected.append(t)
            if len(collected) > g.config.max_results:
                raise GovkgError(
                    f"graph has more than {g.config.max_results} triples: ask for .nt or .ttl, which stream",
                    http_status=413,
                )
        body = _serialize(collected, fmt)
    return _respond(body, fmt, root, "/catalog/source")
