"""Content negotiation for the SPARQL endpoint: ``Accept`` with q-values, or a ``format`` parameter.

Each query form has its own list of offers, in the server's order of preference (the first
is the default when the client states nothing).  A media type may be offered under several
names (``application/json`` is SPARQL JSON for SELECT and JSON-LD for CONSTRUCT); the
response always carries the canonical type of the chosen format.
"""

from __future__ import annotations

from dataclasses import dataclass

# format key -> canonical media type (keys are those of govkg.output.RESULT_FORMATS / RDF_FORMATS)
MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "rdf": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "html": "text/html; charset=utf-8",
}

# (format key, media type offered) in order of preference
SELECT_OFFERS: list[tuple[str, str]] = [
    ("json", "application/sparql-results+json"),
    ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("xml", "text/xml"),
]
ASK_OFFERS: list[tuple[str, str]] = [
    ("json", "application/sparql-results+json"),
    ("xml", "application/sparql-results+xml"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("xml", "text/xml"),
]
GRAPH_OFFERS: list[tuple[str, str]] = [
    ("ttl", "text/turtle"),
    ("nt", "application/n-triples"),
    ("jsonld", "application/ld+json"),
    ("rdf", "application/rdf+xml"),
    ("nq", "application/n-quads"),
    ("trig", "application/trig"),
    ("ttl", "application/turtle"),
    ("ttl", "application/x-turtle"),
    ("jsonld", "application/json"),
    ("jsonld", "application/x-json+ld"),
    ("rdf", "application/xml"),
    ("rdf", "text/xml"),
]
OFFERS = {"select": SELECT_OFFERS, "ask": ASK_OFFERS, "graph": GRAPH_OFFERS}

# ``format=`` values a browser can put in a link, per form
_FORMAT_NAMES: dict[str, dict[str, str]] = {
    "select": {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv"},
    # (SPARQLWrapper sends its return format as format=, output= and results=: json, xml, csv,
    # tsv, turtle, n3, rdf+xml, json-ld)
    "ask": {"json": "json", "srj": "json", "xml": "xml", "srx": "xml"},
    "graph": {
        "ttl": "ttl", "turtle": "ttl", "nt": "nt", "ntriples": "nt", "n-triples": "nt", "nq": "nq",
        "nquads": "nq", "n-quads": "nq", "trig": "trig", "rdf": "rdf", "rdfxml": "rdf", "rdf+xml": "rdf",
        "xml": "rdf", "n3": "ttl",
        "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
    },
}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches (3 exact, 2 type/*, 1 */*), or 0."""
        t, _, s = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == t and self.subtype == "*":
            return 2
        if self.type == t and self.subtype == s:
            return 3
        return 0


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed entries and q values are skipped/clamped."""
    ranges: list[MediaRange] = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            if media == "*":
                media = "*/*"
            else:
                continue
        t, _, s = media.partition("/")
        q = 1.0
        for f in fields[1:]:
            k, _, v = f.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = min(max(float(v.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(t.strip(), s.strip(), q))
    return ranges


def negotiate(accept: str | None, offers: list[tuple[str, str]]) -> str | None:
    """The best offer for an Accept header: highest quality, then the server's order.
    No header (or an empty one) accepts the first offer; None means nothing is acceptable."""
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0][0] if offers else None
    best: tuple[float, int] | None = None
    choice: str | None = None
    for i, (key, media) in enumerate(offers):
        specificity, q = 0, 0.0
        for r in ranges:
            m = r.matches(media)
            if m > specificity:
                specificity, q = m, r.q
        if specificity and q > 0 and (best is None or (q, -i) > best):
            best, choice = (q, -i), key
    return choice


def names_outright(accept: str | None, offers: list[tuple[str, str]]) -> bool:
    """True if the Accept header names one of the offers exactly, at full quality."""
    ranges = parse_accept(accept)
    return any(r.q == 1.0 and r.matches(media) == 3 for r in ranges for _, media in offers)


def choose_formats(accept: str | None, format_param: str | None) -> dict[str, str | None]:
    """The format for each query form (select, ask, graph); None where nothing is acceptable.

    ``format`` is for links a browser follows: it wins over a browser's generic Accept header
    (``text/html, application/xml;q=0.9, */*;q=0.8``).  A client that names one of the offered
    media types outright (at q=1) gets that one, whatever ``format`` says: SPARQLWrapper sends
    ``format=turtle`` with every CONSTRUCT even when its Accept header asks for N-Quads.
    """
    out: dict[str, str | None] = {}
    for form, offers in OFFERS.items():
        if format_param and not names_outright(accept, offers):
            name = format_param.strip().lower()
            key = _FORMAT_NAMES[form].get(name)
            if key is None:  # a full media type in the parameter
                key = negotiate(name, offers) if "/" in name else None
            out[form] = key
        else:
            out[form] = negotiate(accept, offers)
    return out


def offered_types(form: str) -> list[str]:
    seen: list[str] = []
    for _, media in OFFERS[form]:
        if media not in seen:
            seen.append(media)
    return seen
