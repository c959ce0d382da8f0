"""The query API: every named query of ``queries/`` as a documented web API call (after grlc).

Routes
------
``GET /api/``                 the browsable documentation page (``Link`` to the OpenAPI twin)
``GET /api/openapi.json``     OpenAPI 3 description of every query endpoint, built from the headers
``GET /api/<name>``           run query ``<name>``; its parameters are query-string parameters
``GET /api/<name>.<ext>``     the same in one format: ``json`` (rows as plain values), ``srj``
                              (SPARQL JSON results), ``csv``, ``tsv``; for CONSTRUCT queries
                              ``ttl``, ``nt``, ``jsonld``.  Without a suffix ``format=`` or the
                              ``Accept`` header chooses (JSON, or Turtle for CONSTRUCT, by default).

Parameters are checked against their declared types and bound as RDF terms
(:mod:`govkg.queries`): a value that does not fit, an unknown or repeated parameter and a
missing required one get a 400 naming the parameter.

Paging (SELECT queries): ``limit`` rows per page (1 to ``api_max_page_size``, default
``api_page_size``).  A query whose header names a ``cursor`` key is paged by key: each page
that is not the last carries an opaque ``cursor`` for the next (in the JSON body, and as
``Link: <...>; rel="next"`` for every format); the key filter costs the same on every page.
Other queries page with ``offset``, up to ``api_max_offset`` (OFFSET is linear in the
store, so deep offsets are refused rather than left to time out).  One more row than asked
for is read to know whether a next page exists.

Queries run in the SPARQL blueprint's executor (govkg.query_pool's killable workers, or the
remote proxy), so the endpoint's time limit and result cap apply to every API call.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import math
import re
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, render_template, request

from govkg import __version__
from govkg.config import Config
from govkg.errors import GovkgError
from govkg.output import RESULT_FORMATS
from govkg.queries import (
    NamedQuery,
    Param,
    ParameterError,
    QueryLibrary,
)
from govkg.query_pool import QueryJob
from server.context import govkg
from server.negotiation import negotiate

bp = Blueprint("api", __name__, url_prefix="/api")

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                               "unsignedShort", "unsignedByte")}
_FLOATS = {XSD + "decimal", XSD + "double", XSD + "float"}
_LIMIT = re.compile(r"^\d{1,9}$")

# format key -> (media type, file suffix); per query form, offers in order of preference
MEDIA = {
    "json": "application/json",
    "srj": "application/sparql-results+json",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}
SELECT_OFFERS = [("json", "application/json"), ("srj", "application/sparql-results+json"), ("csv", "text/csv"),
                 ("tsv", "text/tab-separated-values")]
GRAPH_OFFERS = [("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"),
                ("jsonld", "application/json")]
ASK_OFFERS = [("srj", "application/sparql-results+json"), ("srj", "application/json")]
OFFERS = {"select": SELECT_OFFERS, "graph": GRAPH_OFFERS, "ask": ASK_OFFERS}


class ApiError(GovkgError):
    def __init__(self, message: str, status: int = 400, source: str | None = None) -> None:
        super().__init__(message, source=source, exit_code=2, http_status=status)


# -- the library, loaded once per app ------------------------------------------------------------
@bp.record_once
def _register(state: Any) -> None:
    state.app.extensions["govkg.api"] = ApiLibrary(state.app)


class ApiLibrary:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._library: QueryLibrary | None = None

    @property
    def library(self) -> QueryLibrary:
        if self._library is None:
            from pathlib import Path

            configured = self.app.config.get("QUERIES_DIR")
            self._library = QueryLibrary.from_folder(Path(configured) if configured else None)
        return self._library


def library() -> QueryLibrary:
    return current_app.extensions["govkg.api"].library  # type: ignore[no-any-return]


def _config() -> Config:
    return govkg().config


# -- running a query ------------------------------------------------------------------------------
def _single_args() -> dict[str, str]:
    out: dict[str, str] = {}
    for key in request.args:
        values = request.args.getlist(key)
        if len(values) != 1:
            raise ParameterError(f"give {key} once (got {len(values)} values)", key)
        out[key] = values[0]
    return out


def _int_arg(args: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = args.pop(name, None)
    if raw is None or raw == "":
        return default
    if not _LIMIT.match(raw):
        raise ParameterError(f"{name} must be a whole number from {low} to {high}; got {raw[:40]!r}", name)
    value = int(raw)
    if not low <= value <= high:
        raise ParameterError(f"{name} must be from {low} to {high}; got {value}", name)
    return value


def encode_cursor(name: str, key: str) -> str:
    raw = json.dumps({"q": name, "k": key}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(name: str, token: str) -> str:
    bad = ParameterError("cursor is not one this API wrote for this query (take it from the previous page)",
                         "cursor")
    if len(token) > 8192 or not re.fullmatch(r"[A-Za-z0-9_-]+", token):
        raise bad
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad from None
    if not isinstance(data, dict) or data.get("q") != name or not isinstance(data.get("k"), str):
        raise bad
    return data["k"]  # type: ignore[no-any-return]


def _choose_format(query: NamedQuery, suffix: str | None, args: dict[str, str]) -> str:
    offers = OFFERS[query.form]
    keys = {k for k, _ in offers}
    named = suffix or args.pop("format", None)
    if named:
        key = named.lower()
        if key not in keys:
            raise ApiError(f"query {query.name} is not available as {named!r}; formats: {', '.join(sorted(keys))}",
                           406, "format")
        return key
    key = negotiate(request.headers.get("Accept"), offers)
    if key is None:
        raise ApiError(f"no acceptable format for query {query.name}; available: "
                       f"{', '.join(dict.fromkeys(m for _, m in offers))}", 406)
    return key


def _call(job: QueryJob) -> Any:
    from server.sparql import service

    svc = service()
    return svc.executor().call("query", job, timeout=svc.config().query_timeout)


def run_query(name: str, suffix: str | None) -> Response:
    query = library().get(name)
    if query is None:
        raise ApiError(f"no query named {name!r}; the list is at /api/ and /api/openapi.json", 404, "name")
    args = _single_args()
    given = dict(args)  # what the next page's link repeats (format= included)
    fmt = _choose_format(query, suffix, args)
    cfg = _config()
    limit = offset = None
    after = None
    if query.paged:
        limit = _int_arg(args, "limit", cfg.api_page_size, 1, cfg.api_max_page_size)
        if query.cursor:
            if "offset" in args:
                raise ParameterError(f"query {name} is paged by cursor, not offset", "offset")
            token = args.pop("cursor", None)
            after = decode_cursor(name, token) if token else None
        else:
            if "cursor" in args:
                raise ParameterError(f"query {name} is paged by offset, not cursor", "cursor")
            offset = _int_arg(args, "offset", 0, 0, cfg.api_max_offset)
    else:
        for reserved in ("limit", "offset", "cursor"):
            if reserved in args:
                raise ParameterError(f"query {name} returns one RDF graph and takes no {reserved}", reserved)
    terms = query.bind(args)
    if query.form != "select":  # CONSTRUCT or DESCRIBE (or ASK): one answer, capped, never paged
        formats: dict[str, str | None] = {"select": None, "ask": "json", "graph": fmt}
        reply = _call(QueryJob(query.render(terms), formats=formats, max_results=cfg.max_results))
        resp = Response(reply.body, content_type=MEDIA[fmt])
        resp.headers["Vary"] = "Accept"
        return resp
    assert limit is not None
    text = query.render(terms, limit=limit + 1, offset=offset, after=after)
    reply = _call(QueryJob(text, formats={"select": "tsv"}, max_results=limit + 1))
    lines = reply.body.split(b"\n")  # SPARQL TSV: a header line, then one line per row, each ended by \n
    header, rows = lines[0], lines[1:-1]
    more = len(rows) > limit
    rows = rows[:limit]
    page = b"".join(line + b"\n" for line in [header, *rows])
    parsed = ox.parse_query_results(page, format=ox.QueryResultsFormat.TSV)
    assert isinstance(parsed, ox.QuerySolutions)
    variables = [v.value for v in parsed.variables]
    solutions = list(parsed)
    next_args: dict[str, str] | None = None
    cursor_token = None
    if more:
        next_args = {k: v for k, v in given.items() if k not in ("cursor", "offset")}
        next_args["limit"] = str(limit)
        if query.cursor:
            last = solutions[-1][query.cursor]
            if last is None:
                raise ApiError(f"query {name}: a row without its cursor key ?{query.cursor}", 500)
            cursor_token = encode_cursor(name, last.value)
            next_args["cursor"] = cursor_token
        else:
            next_args["offset"] = str((offset or 0) + limit)
    next_url = request.base_url + "?" + urlencode(next_args) if next_args is not None else None
    body: bytes
    if fmt == "json":
        body = json.dumps({
            "query": name,
            "columns": variables,
            "rows": [{v: _plain(sol[v]) for v in variables if sol[v] is not None} for sol in solutions],
            "count": len(solutions),
            "limit": limit,
            "offset": offset,
            "cursor": cursor_token,
            "next": next_url,
        }, ensure_ascii=False).encode("utf-8")
    elif fmt == "tsv":
        body = page
    else:
        out = io.BytesIO()
        ox.parse_query_results(page, format=ox.QueryResultsFormat.TSV).serialize(  # type: ignore[union-attr]
            out, RESULT_FORMATS["json" if fmt == "srj" else fmt])
        body = out.getvalue()
    resp = Response(body, content_type=MEDIA[fmt])
    resp.headers["Vary"] = "Accept"
    if next_url:
        resp.headers["Link"] = f'<{next_url}>; rel="next"'
    if fmt in ("csv", "tsv"):
        resp.headers["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return resp


def _plain(term: object) -> object:
    """A term as a plain JSON value: IRIs and texts as strings, numbers as numbers, booleans."""
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTEGERS:
                return int(term.value)
            if dt in _FLOATS:
                f = float(term.value)
                return f if math.isfinite(f) else term.value
        except ValueError:
            return term.value
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value  # type: ignore[attr-defined]


# -- routes ------------------------------------------------------------------------------------
@bp.route("/", methods=["GET"], strict_slashes=False)
def docs() -> Response:
    lib = library()
    tags: dict[str, list[NamedQuery]] = {}
    for q in lib:
        tags.setdefault(q.tags[0] if q.tags else "other", []).append(q)
    root = request.host_url.rstrip("/")
    first = next((q for q in lib if q.form == "select"), None)
    curl = f"curl -s '{root}{example_url(first, 'csv')}'" if first else None
    page = render_template("api.html", queries=list(lib), by_tag=sorted(tags.items()), cfg=_config(),
                           examples={q.name: example_url(q) for q in lib}, curl=curl, version=__version__)
    resp = Response(page, content_type="text/html; charset=utf-8")
    resp.headers["Link"] = '</api/openapi.json>; rel="service-desc"; type="application/vnd.oai.openapi+json"'
    return resp


@bp.route("/openapi.json", methods=["GET"])
def openapi_json() -> Response:
    doc = openapi(library(), _config(), request.host_url.rstrip("/"))
    resp = Response(json.dumps(doc, ensure_ascii=False, indent=1), content_type="application/json")
    return resp


@bp.route("/<string:name>", methods=["GET"])
def query_endpoint(name: str) -> Response:
    suffix = None
    if "." in name:
        name, _, suffix = name.rpartition(".")
    return run_query(name, suffix)


@bp.after_request
def _cors(resp: Response) -> Response:
    """A read-only public API: any web page may call it."""
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def example_url(query: NamedQuery, fmt: str | None = None) -> str:
    values = query.example_values()
    path = f"/api/{query.name}" + (f".{fmt}" if fmt else "")
    return path + ("?" + urlencode(values) if values else "")


# -- OpenAPI -----------------------------------------------------------------------------------
_ERROR = {"$ref": "#/components/schemas/Error"}


def _error_response(description: str) -> dict[str, object]:
    return {"description": description,
            "content": {"application/json": {"schema": _ERROR}, "text/html": {"schema": {"type": "string"}}}}


def _parameter(p: Param) -> dict[str, object]:
    out: dict[str, object] = {
        "name": p.name,
        "in": "query",
        "required": p.required,
        "description": p.description + (f" Type: {p.type}" + (f" (codes of {p.scheme})" if p.scheme else "") + "."),
        "schema": p.json_schema(),
    }
    if not p.required:  # an empty value means "not given" (what an HTML form sends for an empty field)
        out["allowEmptyValue"] = True
    if p.example is not None:
        out["example"] = int(p.example) if p.type == "integer" else p.example
    return out


def _operation(q: NamedQuery, cfg: Config) -> dict[str, object]:
    params = [_parameter(p) for p in q.params]
    responses: dict[str, object]
    if q.form == "select":
        params.append({"$ref": "#/components/parameters/limit"})
        params.append({"$ref": "#/components/parameters/cursor" if q.cursor else "#/components/parameters/offset"})
        columns = ", ".join(q.columns or ()) or "(all variables)"
        page_schema = {"allOf": [{"$ref": "#/components/schemas/ResultPage"}, {
            "type": "object",
            "properties": {"rows": {"type": "array", "items": {"type": "object", "properties": {
                c: {"$ref": "#/components/schemas/Value"} for c in q.columns or ()}}}}}]}
        responses = {"200": {
            "description": f"One page of results; columns: {columns}.",
            "headers": {"Link": {"description": 'rel="next": the next page, when there is one',
                                 "schema": {"type": "string"}}},
            "content": {
                "application/json": {"schema": page_schema},
                "application/sparql-results+json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
                "text/tab-separated-values": {"schema": {"type": "string"}},
            }}}
    else:
        responses = {"200": {"description": "The query's RDF graph.", "content": {
            "text/turtle": {"schema": {"type": "string"}},
            "application/n-triples": {"schema": {"type": "string"}},
            "application/ld+json": {"schema": {}},
        }}}
    responses.update({
        "400": _error_response("A parameter is missing, unknown, repeated or does not fit its type."),
        "406": _error_response("The requested format is not available for this query."),
        "413": _error_response(f"The result exceeds the server's cap of {cfg.max_results} rows or triples."),
        "503": _error_response(f"The query took longer than {cfg.query_timeout:g} s, or the server is busy."),
    })
    suffixes = ".json, .srj, .csv, .tsv" if q.form == "select" else ".ttl, .nt, .jsonld"
    description = (q.description + f"\n\nAlso at /api/{q.name}{{{suffixes}}} for one format. "
                   f"Query file: queries/{q.name}.rq.")
    return {"get": {"operationId": q.name, "summary": q.summary, "description": description,
                    "tags": list(q.tags) or ["other"], "parameters": params, "responses": responses}}


def openapi(lib: QueryLibrary, cfg: Config, server_url: str) -> dict[str, object]:
    tags = sorted({t for q in lib for t in (q.tags or ("other",))})
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "govkg query API",
            "version": __version__,
            "description": (
                "Named, documented SPARQL queries over the govkg knowledge graph of Chinese government "
                "data sharing and opening, one endpoint per query (queries/*.rq). Parameters are typed "
                "and bound as RDF terms. SELECT results come as JSON (rows of plain values), SPARQL JSON, "
                f"CSV or TSV, paged by limit (default {cfg.api_page_size}, at most {cfg.api_max_page_size}) "
                "and by an opaque cursor where the query has a unique order key, otherwise by offset "
                f"(at most {cfg.api_max_offset}). CONSTRUCT results come as Turtle, N-Triples or JSON-LD."),
            "license": {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"},
        },
        "servers": [{"url": server_url}],
        "tags": [{"name": t} for t in tags],
        "paths": {f"/api/{q.name}": _operation(q, cfg) for q in lib},
        "components": {
            "parameters": {
                "limit": {"name": "limit", "in": "query", "required": False, "allowEmptyValue": True,
                          "description": "Rows per page.",
                          "schema": {"type": "integer", "minimum": 1, "maximum": cfg.api_max_page_size,
                                     "default": cfg.api_page_size}},
                "offset": {"name": "offset", "in": "query", "required": False, "allowEmptyValue": True,
                           "description": "Rows to skip (the next page's offset is in the previous page's "
                                          "next link).",
                           "schema": {"type": "integer", "minimum": 0, "maximum": cfg.api_max_offset,
                                      "default": 0}},
                "cursor": {"name": "cursor", "in": "query", "required": False, "allowEmptyValue": True,
                           "description": "The opaque cursor of the previous page (its next link).",
                           "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$", "maxLength": 8192}},
            },
            "schemas": {
                "Value": {"description": "An IRI or text as a string, a number, or a boolean.",
                          "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]},
                "ResultPage": {
                    "type": "object",
                    "required": ["query", "columns", "rows", "count", "limit", "next"],
                    "properties": {
                        "query": {"type": "string"},
                        "columns": {"type": "array", "items": {"type": "string"}},
                        "rows": {"type": "array", "items": {
                            "type": "object", "additionalProperties": {"$ref": "#/components/schemas/Value"}}},
                        "count": {"type": "integer", "minimum": 0},
                        "limit": {"type": "integer", "minimum": 1},
                        "offset": {"type": "integer", "minimum": 0, "nullable": True},
                        "cursor": {"type": "string", "nullable": True},
                        "next": {"type": "string", "nullable": True},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["ok", "error", "status"],
                    "properties": {"ok": {"type": "boolean"}, "error": {"type": "string"},
                                   "status": {"type": "integer"}, "source": {"type": "string"},
                                   "line": {"type": "integer"}, "column": {"type": "integer"}},
                },
            },
        },
    }
