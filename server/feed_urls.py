"""The URLs a feed writes: its own external address (also behind a reverse proxy), page
links and the key cursors they carry."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import quote, urlencode

from flask import Request

from govkg.errors import GovkgError

_HOST_RE = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
_PREFIX_RE = re.compile(r"^(/[A-Za-z0-9._~%!$&'()*+,;=:@\-]+)*/?$")
_FORWARDED_PAIR_RE = re.compile(r'\s*([A-Za-z]+)\s*=\s*("[^"]*"|[^;,\s]*)')


def _first(value: str | None) -> str | None:
    if not value:
        return None
    return value.split(",")[0].strip() or None


def external_root(request: Request) -> str:
    """``scheme://host[:port][/prefix]`` as the client sees it.

    A reverse proxy says so in ``Forwarded`` (RFC 7239) or ``X-Forwarded-Proto``,
    ``-Host``, ``-Port`` and ``-Prefix``; values that are not a plausible scheme, host or
    path are ignored (they end up inside IRIs)."""
    scheme = request.scheme
    host = request.host
    prefix = request.script_root or ""
    fwd = request.headers.get("Forwarded")
    if fwd:
        pairs = {k.lower(): v.strip('"') for k, v in _FORWARDED_PAIR_RE.findall(fwd.split(",")[0])}
        if pairs.get("proto") in ("http", "https"):
            scheme = pairs["proto"]
        if pairs.get("host") and _HOST_RE.match(pairs["host"]):
            host = pairs["host"]
    proto = _first(request.headers.get("X-Forwarded-Proto"))
    if proto in ("http", "https"):
        scheme = proto
    fhost = _first(request.headers.get("X-Forwarded-Host"))
    if fhost and _HOST_RE.match(fhost):
        host = fhost
    port = _first(request.headers.get("X-Forwarded-Port"))
    if port and port.isdigit() and 0 < int(port) < 65536:
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        default = (scheme == "http" and port == "80") or (scheme == "https" and port == "443")
        host = name if default else f"{name}:{port}"
    fprefix = _first(request.headers.get("X-Forwarded-Prefix"))
    if fprefix is not None and _PREFIX_RE.match(fprefix):
        prefix = fprefix.rstrip("/") + prefix
    return f"{scheme}://{host}{prefix.rstrip('/')}"


def encode_cursor(key: str) -> str:
    return "k" + base64.urlsafe_b64encode(key.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(value: str, name: str) -> str:
    if not value.startswith("k"):
        raise GovkgError(f"{name} is not a cursor this feed wrote", source=name)
    body = value[1:]
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise GovkgError(f"{name} is not a cursor this feed wrote", source=name) from None


def page_url(root: str, path: str, params: dict[str, str | None]) -> str:
    query = urlencode([(k, v) for k, v in params.items() if v is not None], quote_via=quote)
    return f"{root}{path}" + (f"?{query}" if query else "")
