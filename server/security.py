"""Defences every route shares: security headers, request size limits and rate limiting.

Headers.  Every response carries ``X-Content-Type-Options: nosniff``, a
``Referrer-Policy``, ``X-Frame-Options`` and a Content-Security-Policy.  The default
policy allows no scripts at all (harvested text is hostile and ends up in pages); a
blueprint that sets its own policy keeps it (the site's pages do).  Two pages need more:
the SPARQL query page runs the vendored YASGUI from ``/static`` (scripts from this origin
only, inline styles for its editor, queries to this origin only), and the query-API
documentation has an inline stylesheet.  No policy allows inline scripts or ``eval``.

Size.  A request that announces a ``Content-Length`` over ``MAX_CONTENT_LENGTH``
(``Config.max_request_bytes``) is refused with 413 before any view runs, whatever the
route.  A chunked body (no ``Content-Length``) is read here, up to one byte more than the
limit: over it, 413; within it, the view gets it as an ordinary body of known length.
(Werkzeug would otherwise cut a chunked body at the limit silently under gunicorn, and a
graph store PUT would store the truncated document.)

Rates.  Expensive routes (SPARQL queries and writes, the graph store, VoID, the query API,
search and catalogue feeds and dumps) take one token per request from a bucket per client
IP: ``Config.rate_limit_per_minute`` tokens, refilled continuously, so a client may spend a
minute's worth at once and then that many per minute.  An empty bucket answers 429 with
``Retry-After``.  The client IP is the peer address, or, when ``Config.trusted_proxies`` is
N > 0, the N-th address from the right of ``X-Forwarded-For`` (the one the nearest trusted
proxy saw), so that clients cannot pick their own bucket by sending the header.  Buckets
live in the server process: under ``govkg serve`` with W workers a client gets up to W times
the rate.  The app factory leaves rate limiting off unless configured (``None`` or 0);
``govkg serve`` turns it on with :data:`SERVE_RATE_LIMIT`.
"""

from __future__ import annotations

import io
import math
import threading
import time
from collections import OrderedDict

from flask import Flask, Request, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from govkg.config import Config
from server.errors import error_response

SERVE_RATE_LIMIT = 600  # per client IP, minute and worker process, when `govkg serve` is not told otherwise

DEFAULT_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
               "base-uri 'none'; frame-ancestors 'none'")
QUERY_PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                  "font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
                  "frame-ancestors 'none'")
API_DOCS_CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
                "base-uri 'none'; frame-ancestors 'none'")
_PAGE_CSP = {"sparql.sparql": QUERY_PAGE_CSP, "api.docs": API_DOCS_CSP}

EXPENSIVE = frozenset({
    "sparql.sparql", "sparql.update", "sparql.graph_store", "sparql.void",
    "api.query_endpoint", "browse.search",
    "feeds.catalog", "feeds.minted_catalog", "feeds.source_graph",
})
MAX_CLIENTS = 10_000  # buckets kept; the least recently seen are forgotten first


class TokenBuckets:
    """One token bucket per key: ``per_minute`` tokens at most, ``per_minute / 60`` added a second."""

    def __init__(self, per_minute: int, *, max_keys: int = MAX_CLIENTS, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        if per_minute <= 0:
            raise ValueError("a rate limit is a positive number of requests per minute")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take a token: 0.0 if there was one, else the seconds until there will be."""
        now = self._clock()
        with self._lock:
            tokens, when = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - when) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return wait


def client_ip(req: Request, trusted_proxies: int) -> str:
    """The client's address: the peer, or what the nearest of ``trusted_proxies`` proxies saw."""
    if trusted_proxies > 0:
        hops = [h.strip() for h in req.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
        if len(hops) >= trusted_proxies:
            return hops[-trusted_proxies]
    return req.remote_addr or "unknown"


def _buffer_chunked_body(req: Request, limit: int) -> None:
    """Read a chunked body (at most ``limit`` bytes, else 413) and hand it on with its length."""
    env = req.environ
    if req.content_length is not None or "chunked" not in req.headers.get("Transfer-Encoding", "").lower():
        return
    stream = env["wsgi.input"]
    body = bytearray()
    while len(body) <= limit:
        chunk = stream.read(min(65536, limit + 1 - len(body)))
        if not chunk:
            break
        body += chunk
    if len(body) > limit:
        raise RequestEntityTooLarge(f"the request body is larger than {limit} bytes")
    env["wsgi.input"] = io.BytesIO(bytes(body))
    env["CONTENT_LENGTH"] = str(len(body))
    env.pop("HTTP_TRANSFER_ENCODING", None)


def register_security(app: Flask, config: Config) -> None:
    """Install the header, size and rate checks on ``app`` (called by the app factory)."""
    per_minute = config.rate_limit_per_minute or 0
    buckets = TokenBuckets(per_minute) if per_minute > 0 else None
    app.extensions["govkg.rate_limit"] = buckets

    @app.before_request
    def _limits() -> Response | None:
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit is not None and request.content_length is not None and request.content_length > limit:
            raise RequestEntityTooLarge(f"the request body is larger than {limit} bytes")
        if buckets is not None and request.method != "OPTIONS" and request.endpoint in EXPENSIVE:
            wait = buckets.take(client_ip(request, config.trusted_proxies))
            if wait > 0.0:
                resp = error_response(f"too many requests: at most {per_minute} a minute to this kind of resource; "
                                      f"try again in {math.ceil(wait)} s", 429)
                resp.headers["Retry-After"] = str(math.ceil(wait))
                return resp
        if limit is not None:
            _buffer_chunked_body(request, limit)
        return None

    @app.after_request
    def _headers(resp: Response) -> Response:
        csp = _PAGE_CSP.get(request.endpoint or "") if resp.mimetype == "text/html" else None
        resp.headers.setdefault("Content-Security-Policy", csp or DEFAULT_CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp
