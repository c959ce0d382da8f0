"""Parsing RDF that comes from outside, safely, with errors that say where.

Every document govkg reads (files, harvested pages, request bodies) goes through
:func:`parse_document`.  It

* picks the syntax from an explicit format, a media type or the file name;
* refuses what must not be trusted before any parser sees it: XML external entities and
  entity-expansion bombs (a DTD with SYSTEM/PUBLIC entities or entities that reference
  entities), JSON-LD remote ``@context`` documents (pyoxigraph is given no document
  loader, so nothing is fetched), documents or literals over the size limits;
* decodes by the document's declared encoding (XML declaration, BOM) and reports bytes that
  are not valid in it with their line;
* turns parser errors into :class:`~govkg.errors.InputError` naming the source, line and column;
* parses the whole document before anything is stored, so a bad document is refused whole.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from govkg.errors import InputError

MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
MAX_LITERAL_BYTES = 8 * 1024 * 1024
MAX_XML_ENTITIES = 64
MAX_XML_EXPANSION = 1024 * 1024  # bytes that internal entity references may add to an XML document
MAX_XML_DEPTH = 256  # element nesting (pyoxigraph's RDF/XML parser is quadratic in it)
MAX_JSON_DEPTH = 64

# name -> (pyoxigraph format, is a dataset format)
_EXTENSIONS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}

_NAMES: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "n-quads": ox.RdfFormat.N_QUADS,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "rdf/xml": ox.RdfFormat.RDF_XML,
    "rdf": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
    "jsonld": ox.RdfFormat.JSON_LD,
}

DATASET_FORMATS = frozenset({ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG})


def format_for(name: str | None = None, media_type: str | None = None, path: str | Path | None = None) -> ox.RdfFormat:
    """The syntax named explicitly, by media type, or by file extension, in that order."""
    if name:
        fmt = _NAMES.get(name.lower())
        if fmt is None:
            raise InputError(f"unknown RDF format {name!r}; use one of {', '.join(sorted(set(_NAMES)))}")
        return fmt
    if media_type:
        mt = media_type.split(";")[0].strip().lower()
        fmt = ox.RdfFormat.from_media_type(mt)
        if fmt is None and mt in ("application/xml", "text/xml"):
            fmt = ox.RdfFormat.RDF_XML
        if fmt is None and mt == "application/json":
            fmt = ox.RdfFormat.JSON_LD
        if fmt is not None and fmt != ox.RdfFormat.N3:
            return fmt
    if path is not None:
        suffix = Path(str(path)).suffix.lower()
        if suffix == ".gz":
            raise InputError("compressed files are not read; decompress first", source=str(path))
        fmt = _EXTENSIONS.get(suffix)
        if fmt is not None:
            return fmt
    raise InputError(
        "cannot tell the RDF syntax; give a format (turtle, ntriples, nquads, trig, rdfxml, jsonld)",
        source=str(path) if path else media_type,
    )


@dataclass
class Parsed:
    quads: list[ox.Quad]
    format: ox.RdfFormat
    source: str


_LOC_RE = re.compile(r"(?:at )?line (\d+)(?:,? column (\d+))?", re.IGNORECASE)
_RANGE_RE = re.compile(r"^(\d+):(\d+)")
_XML_DECL_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_DOCTYPE_RE = re.compile(rb"<!DOCTYPE\s[^\[>]*(\[(?P<subset>.*?)\])?\s*>", re.DOTALL)
_ENTITY_RE = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s]+)\s+(.*?)>", re.DOTALL)


def _line_of(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _decode_check(data: bytes, source: str, encoding: str = "utf-8") -> None:
    try:
        codecs.decode(data, encoding)
    except UnicodeDecodeError as e:
        line, col = _line_of(data, e.start)
        raise InputError(
            f"not valid {encoding.upper()} (byte 0x{data[e.start]:02x} at byte {e.start})",
            source=source,
            line=line,
            column=col,
        ) from None
    except LookupError:
        raise InputError(f"unknown character encoding {encoding!r}", source=source) from None


def _check_xml(data: bytes, source: str) -> bytes:
    """Refuse external entities and entity bombs; transcode a declared encoding to UTF-8."""
    m = _XML_DECL_RE.match(data)
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        text = data.decode("utf-16")
        data = re.sub(r'encoding\s*=\s*["\'][^"\']+["\']', 'encoding="UTF-8"', text, count=1).encode("utf-8")
    elif m and m.group(1).lower() not in (b"utf-8", b"utf8"):
        enc = m.group(1).decode("ascii")
        try:
            codecs.lookup(enc)
        except LookupError:
            raise InputError(f"unknown character encoding {enc!r}", source=source, line=1) from None
        _decode_check(data, source, enc)
        text = data.decode(enc)
        data = re.sub(r'encoding\s*=\s*["\'][^"\']+["\']', 'encoding="UTF-8"', text, count=1).encode("utf-8")
    else:
        _decode_check(data, source)
    dt = _DOCTYPE_RE.search(data)
    if dt is not None or b"<!ENTITY" in data:
        line = _line_of(data, dt.start() if dt else data.index(b"<!ENTITY"))[0]
        if dt is not None and re.search(rb"\b(SYSTEM|PUBLIC)\b", data[dt.start() : dt.end()].split(b"[")[0]):
            raise InputError("external DTD refused: govkg does not fetch external documents", source=source, line=line)
        entities = _ENTITY_RE.findall(data)
        if len(entities) > MAX_XML_ENTITIES:
            raise InputError(f"more than {MAX_XML_ENTITIES} XML entity declarations refused", source=source, line=line)
        for is_param, name, body in entities:
            if is_param or re.match(rb"\s*(SYSTEM|PUBLIC)\b", body):
                raise InputError(
                    f"external or parameter XML entity {name.decode(errors='replace')!r} refused: "
                    "govkg does not fetch external documents",
                    source=source,
                    line=line,
                )
            if b"&" in body or b"%" in body:
                raise InputError(
                    f"XML entity {name.decode(errors='replace')!r} refers to other entities "
                    "(entity expansion is refused)",
                    source=source,
                    line=line,
                )
        expansion = sum(data.count(b"&" + name + b";") * len(body) for _, name, body in entities)
        if expansion > MAX_XML_EXPANSION:
            raise InputError(
                f"XML entity references would add {expansion} bytes (the limit is {MAX_XML_EXPANSION}): "
                "entity expansion bombs are refused",
                source=source,
                line=line,
            )
    _check_xml_structure(data, source)
    return data


def _check_xml_structure(data: bytes, source: str) -> None:
    """Refuse XML that is not well-formed (pyoxigraph accepts a truncated document) or that nests
    deeper than MAX_XML_DEPTH; expat runs after the entity checks, so it expands nothing big."""
    import xml.parsers.expat

    p = xml.parsers.expat.ParserCreate()
    p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def start(_name: str, _attrs: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise InputError(f"XML nested deeper than {MAX_XML_DEPTH} elements refused", source=source,
                             line=p.CurrentLineNumber, column=p.CurrentColumnNumber + 1)

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    p.StartElementHandler = start
    p.EndElementHandler = end
    try:
        p.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        raise InputError(f"ill-formed XML document: {xml.parsers.expat.ErrorString(e.code)}", source=source,
                         line=e.lineno, column=e.offset + 1) from None


def _check_json_depth(data: bytes, source: str) -> None:
    depth = 0
    in_str = False
    esc = False
    line = 1
    for b in data:
        if b == 0x0A:
            line += 1
        if in_str:
            if esc:
                esc = False
            elif b == 0x5C:
                esc = True
            elif b == 0x22:
                in_str = False
            continue
        if b == 0x22:
            in_str = True
        elif b in (0x7B, 0x5B):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise InputError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels refused", source=source, line=line)
        elif b in (0x7D, 0x5D):
            depth -= 1


def _xml_error_location(data: bytes) -> tuple[int | None, int | None]:
    """Where an XML document stops being well-formed (expat; entities were checked before)."""
    import xml.parsers.expat

    p = xml.parsers.expat.ParserCreate()
    p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        p.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        return e.lineno, e.offset + 1
    return None, None


def _error_location(message: str) -> tuple[int | None, int | None]:
    m = _LOC_RE.search(message)
    if m:
        return int(m.group(1)), int(m.group(2)) if m.group(2) else None
    m = _RANGE_RE.match(message)
    if m:  # pyoxigraph reports 0-based "line:column-line:column" ranges for some formats
        return int(m.group(1)) + 1, int(m.group(2)) + 1
    return None, None


def _quoted_location(message: str, data: bytes, fmt: ox.RdfFormat) -> tuple[int | None, int | None]:
    """Where the document holds what a location-less error message quotes (an IRI, a remote context)."""
    needle: bytes | None = None
    m = re.search(r"'([^']{3,})'", message)
    if m:
        needle = m.group(1).encode("utf-8")
    elif "LoadDocumentCallback" in message and fmt == ox.RdfFormat.JSON_LD:
        url = _first_remote_context(data)
        needle = json.dumps(url).encode("utf-8") if url else None
    at = data.find(needle) if needle else -1
    return _line_of(data, at) if at >= 0 else (None, None)


def _first_remote_context(data: bytes) -> str | None:
    """The first context a JSON-LD processor would have to fetch (a string @context or @import)."""
    try:
        stack = [json.loads(data)]
    except ValueError:
        return None
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("@context", "@import"):
                    for c in v if isinstance(v, list) else [v]:
                        if isinstance(c, str):
                            return c
                stack.append(v)
        elif isinstance(node, list):
            stack.extend(node)
    return None


def _clean_message(message: str) -> str:
    message = re.sub(r"^Parser error at line \d+ (column \d+|between columns \d+ and \d+): ", "", message)
    message = re.sub(r"^\d+:\d+-\d+:\d+:\s*", "", message)
    message = re.sub(r"^Parser error between line \d+ column \d+ and line \d+ column \d+: ", "", message)
    if "LoadDocumentCallback" in message:
        return "remote JSON-LD @context refused: govkg does not fetch contexts; inline the context"
    return message


def parse_document(
    data: bytes,
    fmt: ox.RdfFormat,
    *,
    source: str,
    graph: ox.NamedNode,
    base_iri: str | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    allow_empty: bool = False,
) -> Parsed:
    """Parse a whole document into quads.  Triples land in ``graph``; quads of a dataset
    syntax (N-Quads, TriG) keep their own named graph, and their default graph becomes ``graph``."""
    if len(data) > max_bytes:
        raise InputError(f"document of {len(data)} bytes exceeds the limit of {max_bytes} bytes", source=source)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        if allow_empty:
            return Parsed([], fmt, source)
        raise InputError("empty document: no RDF to load", source=source)
    if fmt == ox.RdfFormat.RDF_XML:
        data = _check_xml(data, source)
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[3:]
        elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
            data = data.decode("utf-16").encode("utf-8")
        _decode_check(data, source)
        if fmt == ox.RdfFormat.JSON_LD:
            _check_json_depth(data, source)
    try:
        quads = []
        for q in ox.parse(data, format=fmt, base_iri=base_iri):
            o = q.object
            if type(o) is ox.Literal and len(o.value) > MAX_LITERAL_BYTES:
                raise InputError(
                    f"literal of {len(o.value)} characters exceeds the limit of {MAX_LITERAL_BYTES}", source=source
                )
            g = q.graph_name
            quads.append(q if isinstance(g, ox.NamedNode) else ox.Quad(q.subject, q.predicate, o, graph))
    except SyntaxError as e:
        msg = e.msg or str(e)
        line, col = (e.lineno, e.offset) if e.lineno else _error_location(msg)
        if line is None and fmt == ox.RdfFormat.RDF_XML:
            line, col = _xml_error_location(data)
        if line is None:
            line, col = _quoted_location(msg, data, fmt)
        raise InputError(_clean_message(msg), source=source, line=line, column=col) from None
    except MemoryError:
        raise InputError(
            "document too large to parse (a literal or token over the parser's limit)", source=source
        ) from None
    except ValueError as e:
        raise InputError(_clean_message(str(e)), source=source) from None
    if not quads and not allow_empty:
        raise InputError("document holds no triples", source=source)
    return Parsed(quads, fmt, source)


def read_file(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"file of {size} bytes exceeds the limit of {max_bytes} bytes", source=str(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", source=str(path)) from None
    except PermissionError:
        raise InputError("permission denied", source=str(path)) from None
