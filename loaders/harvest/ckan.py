"""A CKAN site, through its action API (``/api/3/action/package_search``).

Packages are read a page at a time (CKAN pages by ``start`` and ``rows``; that is its API)
and converted to DCAT the way ckanext-dcat's base profile does: the package is a
``dcat:Dataset`` (its ``uri`` extra, or ``<site>/dataset/<id>``), its resources are
``dcat:Distribution``s (``<site>/dataset/<id>/resource/<resource id>``), its organisation
is the publisher, tags are keywords, ``metadata_modified`` is ``dct:modified``.

A package whose ``metadata_modified`` equals the one stored at the last harvest is
unchanged and is not converted.  A package that is not a well-formed CKAN package (no id,
resources that are not a list, a date that is not a date) is rejected with the reason and
the rest of its page loads; a page that fails is rejected and the next page is still read
(its offset is known), but the walk is then incomplete.  Deleted packages (``state``
"deleted") are withdrawn; packages that disappear are withdrawn after a complete walk.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from loaders.harvest.fetch import BudgetExceeded, Document, Fetcher, FetchError
from loaders.harvest.session import Batch, Session, SourceRecord

KIND = "ckan"
REPLACE_WHOLE = False
ROWS = 100
N = ox.NamedNode
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


class BadPackage(ValueError):
    pass


def site_root(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.split("/api/", 1)[0].rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


def _iri(value: object) -> ox.NamedNode | None:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return None
    try:
        return N(value.strip())
    except ValueError:
        return None


def _datetime(value: object, field: str) -> ox.Literal:
    if not isinstance(value, str):
        raise BadPackage(f"{field} is not a date and time: {value!r}")
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadPackage(f"{field} is not a date and time: {value!r}") from None
    return ox.Literal(value, datatype=N(XSD + "dateTime"))


def convert(pkg: object, site: str) -> tuple[str, list[ox.Triple], SourceRecord]:
    """One CKAN package as DCAT: (dataset IRI, triples, what CKAN says about the record)."""
    if not isinstance(pkg, dict):
        raise BadPackage("not a JSON object")
    pid = pkg.get("id")
    if not isinstance(pid, str) or not pid.strip():
        raise BadPackage("package without an id")
    extras = {e.get("key"): e.get("value") for e in pkg.get("extras") or [] if isinstance(e, dict)}
    d = _iri(extras.get("uri")) or N(f"{site}/dataset/{quote(pid, safe='')}")
    modified = _datetime(pkg.get("metadata_modified"), "metadata_modified")
    out: list[ox.Triple] = [ox.Triple(d, RDF_TYPE, N(DCAT + "Dataset"))]

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> None:
        if o is not None:
            out.append(ox.Triple(s, N(p), o))

    def text(value: object) -> ox.Literal | None:
        return ox.Literal(value) if isinstance(value, str) and value.strip() else None

    add(d, DCT + "title", text(pkg.get("title")) or text(pkg.get("name")))
    add(d, DCT + "description", text(pkg.get("notes")))
    add(d, DCT + "identifier", text(extras.get("identifier")) or ox.Literal(pid))
    add(d, DCT + "modified", modified)
    if pkg.get("metadata_created"):
        add(d, DCT + "issued", _datetime(pkg.get("metadata_created"), "metadata_created"))
    add(d, DCAT + "landingPage", _iri(pkg.get("url")))
    add(d, OWL + "versionInfo", text(pkg.get("version")))
    add(d, DCT + "license", _iri(pkg.get("license_url")))
    for tag in pkg.get("tags") or []:
        if isinstance(tag, dict):
            add(d, DCAT + "keyword", text(tag.get("display_name") or tag.get("name")))
    org = pkg.get("organization")
    if isinstance(org, dict) and org.get("id"):
        o = N(f"{site}/organization/{quote(str(org['id']), safe='')}")
        add(d, DCT + "publisher", o)
        add(o, str(RDF_TYPE.value), N(FOAF + "Organization"))
        add(o, FOAF + "name", text(org.get("title")) or text(org.get("name")))
    for group in pkg.get("groups") or []:
        if isinstance(group, dict) and group.get("name"):
            theme = N(f"{site}/group/{quote(str(group['name']), safe='')}")
            add(d, DCAT + "theme", theme)
            add(theme, str(RDF_TYPE.value), N(SKOS + "Concept"))
            add(theme, SKOS + "prefLabel", text(group.get("title")) or text(group.get("name")))
    name = pkg.get("maintainer") or pkg.get("author")
    email = pkg.get("maintainer_email") or pkg.get("author_email")
    if name or email:
        cp = ox.BlankNode()
        add(d, DCAT + "contactPoint", cp)
        add(cp, str(RDF_TYPE.value), N(VCARD + "Kind"))
        add(cp, VCARD + "fn", text(name))
        if isinstance(email, str) and "@" in email:
            add(cp, VCARD + "hasEmail", N("mailto:" + quote(email.strip(), safe="@.+-_")))
    resources = pkg.get("resources") or []
    if not isinstance(resources, list):
        raise BadPackage("resources is not a list")
    for res in resources:
        if not isinstance(res, dict) or not res.get("id"):
            raise BadPackage("a resource without an id")
        dist = _iri(res.get("uri")) or N(f"{d.value}/resource/{quote(str(res['id']), safe='')}")
        add(d, DCAT + "distribution", dist)
        add(dist, str(RDF_TYPE.value), N(DCAT + "Distribution"))
        add(dist, DCT + "title", text(res.get("name")))
        add(dist, DCT + "description", text(res.get("description")))
        url = _iri(res.get("url"))
        add(dist, DCAT + "accessURL", url)
        if res.get("url_type") == "upload" or res.get("download_url"):
            add(dist, DCAT + "downloadURL", _iri(res.get("download_url")) or url)
        add(dist, DCT + "format", text(res.get("format")))
        mt = res.get("mimetype")
        if isinstance(mt, str) and "/" in mt and " " not in mt:
            add(dist, DCAT + "mediaType", N("https://www.iana.org/assignments/media-types/" + mt.strip()))
        size = res.get("size")
        if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
            add(dist, DCAT + "byteSize", ox.Literal(str(size), datatype=N(XSD + "nonNegativeInteger")))
        if res.get("created"):
            add(dist, DCT + "issued", _datetime(res.get("created"), "resource created"))
        if res.get("last_modified"):
            add(dist, DCT + "modified", _datetime(res.get("last_modified"), "resource last_modified"))
    status = "DELETED" if pkg.get("state") == "deleted" else None
    return d.value, out, SourceRecord(record=None, modified=str(modified), status=status)


def _shown(value: object) -> str:
    """A value for a report line, lone surrogates escaped (they cannot be printed or stored)."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def _not_unicode(pkg: object) -> str | None:
    """Why a package's text cannot be stored: JSON's \\u escapes can spell lone surrogates,
    which are not characters (no RDF literal or IRI may hold them)."""
    stack = [("package", pkg)]
    while stack:
        where, node = stack.pop()
        values = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for k, v in values:
            for text in (k, v):
                if isinstance(text, str):
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError:
                        return f"{where}.{_shown(k)} holds text that is not valid Unicode (a lone surrogate)"
            if isinstance(v, dict | list):
                stack.append((f"{where}.{_shown(k)}", v))
    return None


def _page(fetcher: Fetcher, site: str, start: int, rows: int) -> tuple[Document, dict[str, object]]:
    url = f"{site}/api/3/action/package_search"
    doc = fetcher.get(
        url, accept="application/json", params={"q": "*:*", "rows": str(rows), "start": str(start), "sort": "id asc"}
    )
    try:
        body = json.loads(doc.body)
    except ValueError as e:
        raise FetchError(doc.url, f"not JSON: {e}") from None
    except RecursionError:
        raise FetchError(doc.url, "JSON nested too deeply to read") from None
    if not isinstance(body, dict) or body.get("success") is not True or not isinstance(body.get("result"), dict):
        raise FetchError(doc.url, "not a successful CKAN action response")
    result = body["result"]
    if not isinstance(result.get("results"), list) or not isinstance(result.get("count"), int):
        raise FetchError(doc.url, "package_search result without results and count")
    return doc, result


def run(
    session: Session, fetcher: Fetcher, first: Document | None, url: str, fmt: str | None, rows: int | None = None
) -> None:
    report = session.report
    rows = rows or ROWS
    site = site_root(url)
    start = 0
    count: int | None = None
    try:
        while count is None or start < count:
            try:
                doc, result = _page(fetcher, site, start, rows)
            except FetchError as e:
                report.reject(e.url, e.reason)
                session.complete = False
                if count is None:
                    return  # the first page tells how many there are: without it, stop
                start += rows
                continue
            report.documents += 1
            report.bytes += len(doc.body)
            count = int(result["count"])  # type: ignore[call-overload]
            packages = result["results"]
            triples: list[ox.Triple] = []
            meta: dict[str, SourceRecord] = {}
            for i, pkg in enumerate(packages):  # type: ignore[attr-defined]
                where = f"{doc.url} (package {start + i + 1}"
                where += f" {_shown(pkg.get('name') or pkg.get('id'))})" if isinstance(pkg, dict) else ")"
                if isinstance(pkg, dict) and pkg.get("private"):
                    continue
                broken = _not_unicode(pkg)
                if broken:
                    report.reject(where, broken)
                    continue
                if isinstance(pkg, dict) and isinstance(pkg.get("metadata_modified"), str) and pkg.get("id"):
                    extras = {e.get("key"): e.get("value") for e in pkg.get("extras") or [] if isinstance(e, dict)}
                    d = (_iri(extras.get("uri")) or N(f"{site}/dataset/{quote(str(pkg['id']), safe='')}")).value
                    known = session.known(d)
                    stamp = str(ox.Literal(pkg["metadata_modified"], datatype=N(XSD + "dateTime")))
                    if (
                        known is not None
                        and known.live
                        and known.source_modified == stamp
                        and pkg.get("state") != "deleted"
                    ):
                        session.unchanged(d)
                        continue
                try:
                    d, pkg_triples, record = convert(pkg, site)
                except BadPackage as e:
                    report.reject(where, str(e))
                    if isinstance(pkg, dict) and pkg.get("id"):
                        bad = _iri(
                            {x.get("key"): x.get("value") for x in pkg.get("extras") or [] if isinstance(x, dict)}.get(
                                "uri"
                            )
                        )
                        session.rejected.add((bad or N(f"{site}/dataset/{quote(str(pkg['id']), safe='')}")).value)
                    continue
                triples += pkg_triples
                meta[d] = record
            session.process(Batch(triples, doc.url, meta=meta))
            if not packages:
                break
            start += rows
    except BudgetExceeded as e:
        report.note(str(e))
        session.complete = False
