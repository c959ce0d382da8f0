"""The SPARQL blueprint: SPARQL 1.1 Protocol (query and update), Graph Store HTTP Protocol,
service description, VoID and the browser query page.

Routes
------
``GET|POST /sparql``     queries (GET; POST form-encoded; POST ``application/sparql-query``),
                         ``default-graph-uri``/``named-graph-uri``, results by ``Accept`` or
                         ``format``; without a query: the service description (or, for a
                         browser, the query page)
``POST /update``         SPARQL 1.1 Update (form-encoded or ``application/sparql-update``),
                         ``using-graph-uri``/``using-named-graph-uri``
``/graph-store``         Graph Store HTTP Protocol, indirect identification (``?graph=<iri>``;
                         ``?default`` for reading the default graph); GET/HEAD, PUT, POST, DELETE
``GET /void``            the VoID description (also at ``/.well-known/void``)

Reads are public and answer cross-origin requests (CORS).  Writes (``/update`` and graph
store PUT/POST/DELETE) need ``Authorization: Bearer <update token>``: with no token
configured they answer 403, without or with a wrong token 401 (``WWW-Authenticate:
Bearer``); they are never offered to other origins.

Everything runs through an executor: the killable worker pool over the embedded store
(govkg.query_pool) or the HTTP proxy to a remote server (govkg.query_remote).  One executor
per server process, created at its first use in that process.
"""

from __future__ import annotations

import hmac
import os
import threading
import uuid
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, request

from govkg.config import Config
from govkg.errors import GovkgError, InputError
from govkg.query_pool import GraphJob, QueryJob, QueryPool, UpdateJob
from govkg.query_results import NotAcceptable
from govkg.sparql_text import add_using, is_absolute_iri, query_form, update_names_dataset
from govkg.vocab import PREFIXES, graph_iri
from server.context import govkg
from server.errors import error_response
from server.negotiation import GRAPH_OFFERS, MEDIA_TYPES, choose_formats, negotiate
from server.query_page import render_query_page
from server.service_description import (
    Iris,
    StatsCache,
    compute_stats,
    service_description,
    void_description,
)

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT_QUERY = "application/sparql-query"
DIRECT_UPDATE = "application/sparql-update"
PAGE_FORMATS = [("json", "SPARQL JSON"), ("xml", "SPARQL XML"), ("csv", "CSV"), ("tsv", "TSV"),
                ("ttl", "Turtle"), ("nt", "N-Triples"), ("nq", "N-Quads"), ("trig", "TriG"),
                ("rdf", "RDF/XML"), ("jsonld", "JSON-LD")]
_SYNTAX_NAMES = {ox.RdfFormat.TURTLE: "turtle", ox.RdfFormat.N_TRIPLES: "nt", ox.RdfFormat.RDF_XML: "rdfxml",
                 ox.RdfFormat.JSON_LD: "jsonld"}


class BadRequest(GovkgError):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message, exit_code=2, http_status=status)


# -- the per-process executor ------------------------------------------------------------------
class SparqlService:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._executor: Any = None
        self._pid: int | None = None
        self.stats = StatsCache()

    def config(self) -> Config:
        return self.app.extensions["govkg"].config  # type: ignore[no-any-return]

    def executor(self) -> Any:
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                store = self.app.extensions["govkg"].store
                cfg = self.config()
                if cfg.endpoint:
                    from govkg.query_remote import RemoteExecutor

                    self._executor = RemoteExecutor(store)
                else:
                    self._executor = QueryPool(store.path, cfg.query_workers)
                self._executor.start()
                self._pid = os.getpid()
            return self._executor

    def version(self) -> str:
        if self.config().endpoint:
            from govkg.query_remote import remote_version

            return remote_version()
        return str(self.app.extensions["govkg"].store.current_generation().name)

    def close(self) -> None:
        with self._lock:
            if self._executor is not None and self._pid == os.getpid():
                self._executor.close()
            self._executor = None


@bp.record_once
def _register(state: Any) -> None:
    state.app.extensions["govkg.sparql"] = SparqlService(state.app)


def service() -> SparqlService:
    return current_app.extensions["govkg.sparql"]  # type: ignore[no-any-return]


def close(app: Flask) -> None:
    """Stop this app's query workers (tests, shutdown)."""
    svc = app.extensions.get("govkg.sparql")
    if svc is not None:
        svc.close()


def _call(method: str, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
    svc = service()
    return svc.executor().call(method, *args, timeout=timeout or svc.config().query_timeout, **kwargs)


def _iris() -> Iris:
    root = request.host_url.rstrip("/")
    return Iris.make(govkg().config, root + "/sparql", root + "/void", root + "/update")


# -- request parsing -----------------------------------------------------------------------------
def _values(name: str, *, body: bool) -> list[str]:
    out = request.args.getlist(name)
    if body:
        out += request.form.getlist(name)
    return out


def _iris_param(name: str, *, body: bool) -> list[str]:
    values = _values(name, body=body)
    for v in values:
        if not is_absolute_iri(v):
            raise BadRequest(f"{name} must be an absolute IRI, not {v!r}")
    return values


def _direct_body(kind: str) -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise BadRequest(f"the {kind} must be sent as UTF-8, not {charset}", 415)
    try:
        return request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadRequest(f"the {kind} is not valid UTF-8 (byte {e.start})") from None


def _operation(kind: str, direct_type: str) -> tuple[str, bool]:
    """The query or update text of a request, and whether its parameters may be in the body."""
    if request.method == "GET":
        texts = request.args.getlist(kind)
        in_body = False
    elif request.mimetype == FORM:
        texts = request.args.getlist(kind) + request.form.getlist(kind)
        in_body = True
    elif request.mimetype == direct_type:
        texts = [_direct_body(kind)]
        in_body = False
    else:
        got = request.mimetype or "no Content-Type"
        raise BadRequest(f"a {kind} is POSTed as {FORM} or {direct_type}, not {got}", 415)
    if len(texts) != 1:
        raise BadRequest(f"give exactly one {kind} (got {len(texts)})")
    if not texts[0].strip():
        raise BadRequest(f"the {kind} is empty")
    return texts[0], in_body


# -- /sparql --------------------------------------------------------------------------------------
@bp.route("/sparql", methods=["GET", "POST"], strict_slashes=False)
def sparql() -> Response:
    if request.method == "GET" and "query" not in request.args:
        if "update" in request.args:
            raise BadRequest("updates are POSTed to /update; GET cannot change anything")
        return _describe()
    query, in_body = _operation("query", DIRECT_QUERY)
    default = _iris_param("default-graph-uri", body=in_body)
    named = _iris_param("named-graph-uri", body=in_body)
    fmt = (_values("format", body=in_body) or [None])[0]
    formats = choose_formats(request.headers.get("Accept"), fmt)
    form = query_form(query)
    if form is not None and formats[form] is None:  # refuse before running anything
        raise _not_acceptable(form)
    cfg = govkg().config
    job = QueryJob(
        query,
        formats=formats,
        default_graphs=tuple(default) if default or named else None,
        named_graphs=tuple(named) if default or named else None,
        base_iri=request.base_url,
        max_results=cfg.max_results,
    )
    reply = _call("query", job)
    resp = Response(reply.body, content_type=MEDIA_TYPES[reply.format])
    resp.headers["Vary"] = "Accept"
    return resp


def _not_acceptable(form: str) -> NotAcceptable:
    from server.negotiation import offered_types

    return NotAcceptable({"select": "SELECT", "ask": "ASK", "graph": "CONSTRUCT/DESCRIBE"}[form], offered_types(form))


def _rdf_response(triples: list[ox.Triple], key: str) -> Response:
    prefixes = dict(PREFIXES) if key in ("ttl", "trig") else None
    from govkg.output import RDF_FORMATS

    body = ox.serialize(triples, format=RDF_FORMATS[key], prefixes=prefixes) or b""
    resp = Response(body, content_type=MEDIA_TYPES[key])
    resp.headers["Vary"] = "Accept"
    return resp


def _document_format(extra: list[tuple[str, str]] | None = None) -> str:
    offers = GRAPH_OFFERS + (extra or [])
    name = request.args.get("format")
    if name:
        key = choose_formats(None, name)["graph"] or ("html" if name.lower() == "html" and extra else None)
    else:
        key = negotiate(request.headers.get("Accept"), offers)
    if key is None:
        raise BadRequest(f"not available in that format; available: {', '.join(m for _, m in offers)}", 406)
    return key


def _describe() -> Response:
    """A plain GET of the endpoint: the service description, or the query page for a browser."""
    key = _document_format([("html", "text/html"), ("html", "application/xhtml+xml")])
    iris = _iris()
    if key == "html":
        page = render_query_page(iris.endpoint.value, PAGE_FORMATS)
        resp = Response(page, content_type=MEDIA_TYPES["html"])
        resp.headers["Link"] = f'<{iris.endpoint.value}?format=ttl>; rel="alternate"; type="text/turtle"'
        resp.headers["Vary"] = "Accept"
        return resp
    return _rdf_response(service_description(iris, govkg().config), key)


# -- /void ------------------------------------------------------------------------------------------
@bp.route("/void", methods=["GET"])
@bp.route("/.well-known/void", methods=["GET"])
def void() -> Response:
    key = _document_format()
    svc = service()
    cfg = svc.config()
    timeout = max(cfg.query_timeout * 4, 60.0)
    stats = svc.stats.get(svc.version(), lambda: compute_stats(svc.executor().call, svc.version(), timeout))
    return _rdf_response(void_description(_iris(), cfg, stats), key)


# -- writes: authorisation ---------------------------------------------------------------------------
def _refuse_unless_authorised() -> Response | None:
    token = govkg().config.update_token
    if not token:
        return error_response("this server is read-only: no update token is configured", 403)
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        resp = error_response("writing needs Authorization: Bearer <token>", 401)
        resp.headers["WWW-Authenticate"] = 'Bearer realm="govkg"'
        return resp
    if not hmac.compare_digest(presented.strip().encode(), token.encode()):
        resp = error_response("the token is not valid", 401)
        resp.headers["WWW-Authenticate"] = 'Bearer realm="govkg", error="invalid_token"'
        return resp
    return None


# -- /update ---------------------------------------------------------------------------------------------
@bp.route("/update", methods=["POST"], strict_slashes=False)
def update() -> Response:
    refused = _refuse_unless_authorised()
    if refused is not None:
        return refused
    text, in_body = _operation("update", DIRECT_UPDATE)
    using = _iris_param("using-graph-uri", body=in_body)
    using_named = _iris_param("using-named-graph-uri", body=in_body)
    if (using or using_named) and update_names_dataset(text):
        raise BadRequest("using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH "
                         "in the update itself")
    _call("update", UpdateJob(add_using(text, using, using_named), base_iri=request.base_url))
    return Response(status=204)


# -- /graph-store ------------------------------------------------------------------------------------------
@bp.route("/graph-store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    has_graph = "graph" in request.args
    has_default = "default" in request.args
    if has_graph and has_default:
        raise BadRequest("give either ?graph=<iri> or ?default, not both")
    graph: str | None = None
    if has_graph:
        graph = request.args["graph"]
        if not is_absolute_iri(graph):
            raise BadRequest(f"graph must be an absolute IRI, not {graph!r}")
    cfg = govkg().config
    if request.method in ("GET", "HEAD"):
        if not has_graph and not has_default:
            raise BadRequest("give ?graph=<iri> or ?default")
        key = _document_format()
        reply = _call("graph_get", GraphJob(graph, key, max_results=cfg.max_results))
        resp = Response(reply.body, content_type=MEDIA_TYPES[reply.format])
        resp.headers["Vary"] = "Accept"
        return resp
    refused = _refuse_unless_authorised()
    if refused is not None:
        return refused
    if request.method == "DELETE":
        if graph is None:
            raise BadRequest("govkg keeps all data in named graphs: give ?graph=<iri>")
        _call("graph_delete", GraphJob(graph))
        return Response(status=204)
    minted = request.method == "POST" and not has_graph and not has_default
    if minted:  # POST to the service itself: a new graph, named by us
        graph = str(graph_iri("upload", uuid.uuid4().hex))
    elif graph is None:
        raise BadRequest("govkg keeps all data in named graphs: give ?graph=<iri>")
    syntax = _body_syntax()
    data = request.get_data(cache=False)
    created = _call("graph_put", GraphJob(graph, syntax, data), replace=request.method == "PUT")
    resp = Response(status=201 if created else 204)
    if created:
        resp.headers["Location"] = graph
    return resp


def _body_syntax() -> str:
    from govkg.rdfio import format_for

    if not request.mimetype:
        raise BadRequest("the body needs a Content-Type (text/turtle, application/n-triples, "
                         "application/rdf+xml, application/ld+json)", 415)
    try:
        fmt = format_for(media_type=request.mimetype)
    except InputError:
        fmt = None
    if fmt not in _SYNTAX_NAMES:
        raise BadRequest(f"cannot store a graph sent as {request.mimetype}; use text/turtle, "
                         "application/n-triples, application/rdf+xml or application/ld+json", 415)
    return _SYNTAX_NAMES[fmt]


# -- CORS -------------------------------------------------------------------------------------------------
_PUBLIC = {"sparql.sparql": "GET, POST, OPTIONS", "sparql.void": "GET, OPTIONS",
           "sparql.graph_store": "GET, HEAD, OPTIONS"}


@bp.after_request
def _cors(resp: Response) -> Response:
    """Reads are open to web apps anywhere; writes are never offered cross-origin."""
    methods = _PUBLIC.get(request.endpoint or "")
    if methods is None or request.method not in methods:
        return resp
    resp.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        resp.headers["Access-Control-Allow-Methods"] = methods
        resp.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        resp.headers["Access-Control-Max-Age"] = "86400"
        resp.headers["Allow"] = methods
    return resp
