"""Fetching for harvests, inside a size and time budget.

Only ``http`` and ``https`` URLs are fetched (redirects included), and local files only
when the user named them as the source.  Redirects are followed hop by hop (at most
:data:`MAX_REDIRECTS`), and never from a public host into private, loopback or link-local
address space: a hostile source must not turn the harvester against the intranet it runs in.
Bodies are read in chunks and abandoned as soon as they would exceed what is left of the
source's byte budget; every request's timeout is what is left of the source's time budget.  Nothing here fetches JSON-LD contexts or
XML entities: parsing goes through :func:`govkg.rdfio.parse_document`.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pyoxigraph as ox
import requests

from govkg.errors import InputError
from govkg.rdfio import MAX_DOCUMENT_BYTES, format_for, parse_document

RDF_ACCEPT = (
    "text/turtle, application/n-triples;q=0.95, application/rdf+xml;q=0.9, application/ld+json;q=0.85, "
    "application/n-quads;q=0.6, application/trig;q=0.6, application/json;q=0.3, */*;q=0.1"
)
DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024
DEFAULT_MAX_SECONDS = 6 * 3600.0
REQUEST_TIMEOUT = 60.0
SCRATCH = ox.NamedNode("urn:govkg:harvest:document")
MAX_REDIRECTS = 5


class BudgetExceeded(Exception):
    """The source's size or time limit is used up: stop reading it."""


class FetchError(Exception):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(reason)
        self.url = url
        self.reason = reason


@dataclass
class Budget:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_seconds: float = DEFAULT_MAX_SECONDS
    used: int = 0
    start: float = 0.0

    def __post_init__(self) -> None:
        self.start = time.monotonic()

    def time_left(self) -> float:
        return self.max_seconds - (time.monotonic() - self.start)

    def bytes_left(self) -> int:
        return self.max_bytes - self.used

    def check(self) -> None:
        if self.time_left() <= 0:
            raise BudgetExceeded(f"time limit of {self.max_seconds:g} s reached")
        if self.bytes_left() <= 0:
            raise BudgetExceeded(f"size limit of {self.max_bytes} bytes reached")


@dataclass
class Document:
    url: str  # final URL (after redirects) or file path
    content_type: str
    body: bytes
    status: int = 200


def is_http(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


def is_internal(url: str) -> bool:
    """Whether the URL's host is (or resolves to) a private, loopback, link-local or otherwise
    non-public address.  A name that does not resolve counts as public: fetching it fails anyway."""
    host = urlsplit(url).hostname or ""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return False
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    return any(not a.is_global for a in addresses)


class Fetcher:
    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.http = requests.Session()
        self.http.trust_env = False  # no proxies from the environment; loopback stays loopback
        self.http.max_redirects = MAX_REDIRECTS
        self.http.headers["User-Agent"] = "govkg-harvester/0.1"

    def close(self) -> None:
        self.http.close()

    def _follow(self, method: str, url: str, *, accept: str, params: dict[str, str] | None,
                data: dict[str, str] | None, timeout: float) -> requests.Response:
        """The request, its redirects followed one hop at a time under the rules above."""
        internal_source: bool | None = None
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            resp = self.http.request(method, current, params=params, data=data, headers={"Accept": accept},
                                     timeout=timeout, stream=True, allow_redirects=False)
            if not resp.is_redirect:
                return resp
            target = urljoin(current, resp.headers.get("Location", ""))
            resp.close()
            if not is_http(target):
                raise FetchError(url, "redirected to a URL that is not http(s)")
            if internal_source is None:
                internal_source = is_internal(url)
            if not internal_source and is_internal(target):
                raise FetchError(url, f"redirected from a public host to a private or loopback address ({target})")
            if resp.status_code in (301, 302, 303) and method == "POST":
                method, data = "GET", None
            current, params = target, None
        raise FetchError(url, "too many redirects")

    def get(self, url: str, *, accept: str = RDF_ACCEPT, params: dict[str, str] | None = None) -> Document:
        return self._request("GET", url, accept=accept, params=params)

    def post(self, url: str, data: dict[str, str], *, accept: str) -> Document:
        return self._request("POST", url, accept=accept, data=data)

    def _request(
        self,
        method: str,
        url: str,
        *,
        accept: str,
        params: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
    ) -> Document:
        if not is_http(url):
            raise FetchError(url, "only http and https URLs are fetched")
        self.budget.check()
        timeout = max(0.5, min(REQUEST_TIMEOUT, self.budget.time_left()))
        try:
            resp = self._follow(method, url, accept=accept, params=params, data=data, timeout=timeout)
        except requests.Timeout:
            if self.budget.time_left() <= 0:
                raise BudgetExceeded(f"time limit of {self.budget.max_seconds:g} s reached") from None
            raise FetchError(url, f"no answer within {timeout:g} s") from None
        except requests.RequestException as e:
            raise FetchError(url, f"cannot fetch: {e.__class__.__name__}") from None
        try:
            if not is_http(resp.url):
                raise FetchError(url, "redirected to a URL that is not http(s)")
            if resp.status_code >= 400:
                raise FetchError(resp.url, f"HTTP {resp.status_code}")
            limit = min(self.budget.bytes_left(), MAX_DOCUMENT_BYTES)
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                self.budget.used += int(declared)
                raise BudgetExceeded(
                    f"size limit of {self.budget.max_bytes} bytes reached ({resp.url} announces {declared} bytes)"
                )
            chunks: list[bytes] = []
            size = 0
            try:
                for chunk in resp.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > limit:
                        self.budget.used += size
                        raise BudgetExceeded(
                            f"size limit of {self.budget.max_bytes} bytes reached while reading {resp.url}"
                        )
                    if self.budget.time_left() <= 0:
                        raise BudgetExceeded(
                            f"time limit of {self.budget.max_seconds:g} s reached while reading {resp.url}"
                        )
                    chunks.append(chunk)
            except requests.RequestException as e:
                raise FetchError(resp.url, f"connection broken: {e.__class__.__name__}") from None
            self.budget.used += size
            return Document(resp.url, resp.headers.get("Content-Type", ""), b"".join(chunks), resp.status_code)
        finally:
            resp.close()


def read_local(path: Path, budget: Budget) -> Document:
    """A file the user named as the source (never a path found inside a document)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    if size > budget.bytes_left():
        raise InputError(f"file of {size} bytes exceeds the size limit of {budget.max_bytes} bytes", source=str(path))
    if path.is_dir():
        raise InputError("is a directory, not a file", source=str(path))
    data = path.read_bytes()
    budget.used += len(data)
    return Document(str(path), "", data)


def sniff_format(doc: Document, explicit: str | None = None) -> ox.RdfFormat:
    """The RDF syntax: given, from the media type, from the name, or from the first bytes."""
    if explicit:
        return format_for(explicit)
    ctype = doc.content_type.split(";")[0].strip().lower()
    if ctype and ctype not in ("text/plain", "application/octet-stream", "text/html"):
        try:
            return format_for(media_type=ctype, path=urlsplit(doc.url).path or None)
        except InputError:
            pass
    try:
        return format_for(path=urlsplit(doc.url).path if is_http(doc.url) else doc.url)
    except InputError:
        pass
    head = doc.body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<?xml") or head.startswith(b"<rdf:RDF") or head.startswith(b"<!DOCTYPE"):
        return ox.RdfFormat.RDF_XML
    if head[:1] in (b"{", b"["):
        return ox.RdfFormat.JSON_LD
    return ox.RdfFormat.TURTLE


def parse_rdf(doc: Document, fmt: str | None = None) -> list[ox.Triple]:
    """Parse a whole document safely (govkg.rdfio); errors name the document and line.

    JSON-LD is checked by govkg.rdfio (which refuses remote contexts) and then read with
    rdflib's JSON-LD processor: pyoxigraph 0.5 keeps ``@type`` of nodes nested under
    undefined terms, which JSON-LD expansion drops (ckanext-dcat's ``catalog_pod.jsonld``
    gains three orphan ``foaf:Organization`` nodes)."""
    rdf_format = sniff_format(doc, fmt)
    base = doc.url if is_http(doc.url) else Path(doc.url).resolve().as_uri()
    parsed = parse_document(doc.body, rdf_format, source=doc.url, graph=SCRATCH, base_iri=base)
    if rdf_format == ox.RdfFormat.JSON_LD:
        return _jsonld_with_rdflib(doc, base)
    return [q.triple for q in parsed.quads]


def _local_contexts_only(node: object, source: str) -> None:
    """Refuse anything that would make a JSON-LD processor fetch a context."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            for k, v in n.items():
                if k == "@context":
                    for c in v if isinstance(v, list) else [v]:
                        if isinstance(c, str) or (isinstance(c, dict) and "@import" in c):
                            raise InputError(
                                "remote JSON-LD @context refused: govkg does not fetch contexts; inline the context",
                                source=source,
                            )
                stack.append(v)
        elif isinstance(n, list):
            stack.extend(n)


def _jsonld_with_rdflib(doc: Document, base: str) -> list[ox.Triple]:
    import json

    from rdflib import Dataset

    from govkg.rdfterms import to_ox

    text = doc.body.decode("utf-8-sig")
    try:
        _local_contexts_only(json.loads(text), doc.url)
    except ValueError as e:
        raise InputError(f"not JSON: {e}", source=doc.url) from None
    ds = Dataset()
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
            warnings.simplefilter("ignore", DeprecationWarning)
            ds.parse(data=text, format="json-ld", publicID=base)
    except Exception as e:  # noqa: BLE001 - any processor error is the document's
        raise InputError(f"JSON-LD: {e}", source=doc.url) from None
    out: dict[ox.Triple, None] = {}
    for s, p, o, _g in ds.quads((None, None, None, None)):
        out[ox.Triple(to_ox(s), to_ox(p), to_ox(o))] = None  # type: ignore[arg-type]
    return list(out)
