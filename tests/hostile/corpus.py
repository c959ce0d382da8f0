"""The hostile-input corpus (issue #8): every input govkg's entry points are tried with.

RDF documents are files in ``tests/hostile/corpus/`` described one per line in
``corpus/MANIFEST.tsv`` (file, category, expected outcome, line of the defect, description);
the big ones (enormous literals, entity bombs, deep nesting) are generated here at test time
instead of being stored.  The other inputs (SPARQL queries and updates, graph names, route
paths, query-API parameter values, search strings, CKAN packages) are short and listed here,
each with its description.

Documents that would make a careless parser fetch something name ``http://203.0.113.1``
(TEST-NET-3, never routed) or ``http://example.invalid``; :meth:`RdfCase.data` can point them
at a loopback canary instead, so that a fetch by any layer (Python or Rust) is seen.

``python -m tests.hostile.corpus --count`` prints how many inputs each entry point is tried
with (the figures SECURITY.md cites); ``--list`` prints the manifest.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
MANIFEST = CORPUS_DIR / "MANIFEST.tsv"
UNROUTABLE = ("http://203.0.113.1", "http://example.invalid")

SYNTAXES = {  # extension -> (govkg format name, media type)
    ".ttl": ("turtle", "text/turtle"),
    ".nt": ("ntriples", "application/n-triples"),
    ".nq": ("nquads", "application/n-quads"),
    ".trig": ("trig", "application/trig"),
    ".rdf": ("rdfxml", "application/rdf+xml"),
    ".jsonld": ("jsonld", "application/ld+json"),
}
CATEGORIES = ("malformed", "encoding", "literal", "nesting", "xml-entity", "remote-context", "iri", "html")
LITERAL_LIMIT = 8 * 1024 * 1024  # govkg.rdfio.MAX_LITERAL_BYTES: the generated giant literals exceed it
DC = "http://purl.org/dc/terms/"


@dataclass(frozen=True)
class RdfCase:
    """One hostile RDF document."""

    name: str  # file name; its extension says the syntax
    category: str
    expect: str  # "reject": a clear error naming the source; "accept": loads, and shows safely
    line: int | None  # where the defect is, when a parser can tell
    description: str
    make: Callable[[], bytes] | None = None  # generated cases; stored ones are read from CORPUS_DIR

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix

    @property
    def syntax(self) -> str:
        return SYNTAXES[self.suffix][0]

    @property
    def media_type(self) -> str:
        return SYNTAXES[self.suffix][1]

    @property
    def generated(self) -> bool:
        return self.make is not None

    @property
    def big(self) -> bool:
        """Megabytes: tried on the loader and once per kind elsewhere, not on every path."""
        return self.category in ("literal", "nesting") and self.generated

    def data(self, canary: str | None = None) -> bytes:
        raw = _generated(self.name) if self.make is not None else (CORPUS_DIR / self.name).read_bytes()
        if canary:
            for host in UNROUTABLE:
                raw = raw.replace(host.encode(), canary.rstrip("/").encode())
        return raw

    def __str__(self) -> str:
        return self.name


# -- generated documents -------------------------------------------------------------------------
def _giant_literal(suffix: str, size: int = LITERAL_LIMIT + 1024) -> bytes:
    text = "A" * size
    if suffix == ".rdf":
        return (_RDF_HEAD + f'<rdf:Description rdf:about="http://example.org/big"><ex:p>{text}</ex:p>'
                "</rdf:Description></rdf:RDF>\n").encode()
    if suffix == ".jsonld":
        return json.dumps({"@id": "http://example.org/big", "http://example.org/p": text}).encode()
    triple = f'<http://example.org/big> <http://example.org/p> "{text}"'
    if suffix == ".nq":
        return (triple + " <http://example.org/g> .\n").encode()
    if suffix == ".trig":
        return ("<http://example.org/g> { " + triple + " . }\n").encode()
    return (triple + " .\n").encode()


_RDF_HEAD = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
             'xmlns:ex="http://example.org/">\n')


def _deep_jsonld(depth: int = 5000) -> bytes:
    return (b'{"@id": "http://example.org/deep", "http://example.org/p": ' + b'{"http://example.org/p": ' * depth
            + b'"bottom"' + b"}" * depth + b"}")


def _deep_jsonld_arrays(depth: int = 5000) -> bytes:
    return b'{"@id": "http://example.org/deep", "http://example.org/p": ' + b"[" * depth + b'"x"' + b"]" * depth + b"}"


def _deep_turtle(depth: int = 20000) -> bytes:
    return (b"<http://example.org/deep> <http://example.org/p> " + b"[ <http://example.org/p> " * depth + b'"bottom"'
            + b" ]" * depth + b" .\n")


def _deep_collection(depth: int = 20000) -> bytes:
    return b"<http://example.org/deep> <http://example.org/p> " + b"( " * depth + b"1" + b" )" * depth + b" .\n"


def _deep_rdfxml(depth: int = 20000) -> bytes:
    return (_RDF_HEAD + '<rdf:Description rdf:about="http://example.org/deep">'
            + "<ex:p><rdf:Description>" * depth + "<ex:q>bottom</ex:q>" + "</rdf:Description></ex:p>" * depth
            + "</rdf:Description></rdf:RDF>\n").encode()


def _quadratic_blowup(body: int = 50_000, refs: int = 50_000) -> bytes:
    """One entity of 50 kB referenced 50,000 times: 2.5 GB from a 200 kB document, no nested entities."""
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY a "' + "x" * body + '">]>\n' + _RDF_HEAD.split("\n", 1)[1]
            + '<rdf:Description rdf:about="http://example.org/q"><ex:p>' + "&a;" * refs
            + "</ex:p></rdf:Description></rdf:RDF>\n").encode()


def _many_entities(n: int = 200) -> bytes:
    decls = "".join(f'<!ENTITY e{i} "v{i}">' for i in range(n))
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [' + decls + "]>\n" + _RDF_HEAD.split("\n", 1)[1]
            + '<rdf:Description rdf:about="http://example.org/m"><ex:p>&e1;</ex:p></rdf:Description></rdf:RDF>\n'
            ).encode()


_GENERATED: dict[str, tuple[str, str, int | None, str, Callable[[], bytes]]] = {
    **{f"gen-giant-literal{sfx}": ("literal", "reject", None,
                                   f"{SYNTAXES[sfx][0]}: one literal just over govkg's 8 MiB literal limit",
                                   (lambda s=sfx: _giant_literal(s))) for sfx in SYNTAXES},
    "gen-giant-literal-17mib.ttl": ("literal", "reject", None,
                                    "Turtle: a 17 MiB literal (over pyoxigraph's own 16 MiB token limit)",
                                    lambda: _giant_literal(".ttl", 17 * 1024 * 1024)),
    "gen-deep-objects.jsonld": ("nesting", "reject", 1, "JSON-LD: node objects nested 5,000 deep", _deep_jsonld),
    "gen-deep-arrays.jsonld": ("nesting", "reject", 1, "JSON-LD: arrays nested 5,000 deep", _deep_jsonld_arrays),
    "gen-deep-blank-nodes.ttl": ("nesting", "accept", None, "Turtle: blank nodes nested 20,000 deep", _deep_turtle),
    "gen-deep-collection.ttl": ("nesting", "accept", None, "Turtle: collections nested 20,000 deep", _deep_collection),
    "gen-deep-elements.rdf": ("nesting", "reject", None,
                              "RDF/XML: node and property elements nested 20,000 deep (quadratic in the parser)",
                              _deep_rdfxml),
    "gen-quadratic-blowup.rdf": ("xml-entity", "reject", 2,
                                 "RDF/XML: one 50 kB entity referenced 50,000 times (2.5 GB once expanded)",
                                 _quadratic_blowup),
    "gen-many-entities.rdf": ("xml-entity", "reject", 2, "RDF/XML: 200 entity declarations", _many_entities),
}


@cache
def _generated(name: str) -> bytes:
    return _GENERATED[name][4]()


@cache
def rdf_cases() -> tuple[RdfCase, ...]:
    """Every hostile RDF document: the stored ones (manifest order), then the generated ones."""
    out: list[RdfCase] = []
    for n, raw in enumerate(MANIFEST.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) != 5:
            raise ValueError(f"{MANIFEST}:{n}: expected 5 tab-separated fields, got {len(fields)}")
        name, category, expect, line, description = fields
        out.append(RdfCase(name, category, expect, None if line == "-" else int(line), description))
    for name, (category, expect, line, description, make) in _GENERATED.items():
        out.append(RdfCase(name, category, expect, line, description, make))
    for c in out:
        if c.category not in CATEGORIES or c.expect not in ("reject", "accept") or c.suffix not in SYNTAXES:
            raise ValueError(f"{MANIFEST}: bad entry for {c.name}")
    return tuple(out)


# well-formed enough to mean "no triples": a graph-store PUT of them is a legitimate empty graph
NO_TRIPLES = frozenset({"ttl-empty.ttl", "ttl-only-comments.ttl", "jsonld-id-space.jsonld",
                        "jsonld-not-an-object.jsonld", "jsonld-empty-object.jsonld"})


def graph_store_bodies() -> list[RdfCase]:
    """The rejected documents sent as graph-store bodies (the megabyte ones exceed the request limit)."""
    return [c for c in rejected_cases() if not c.big and c.name not in NO_TRIPLES]


def rejected_cases() -> list[RdfCase]:
    return [c for c in rdf_cases() if c.expect == "reject"]


def accepted_cases() -> list[RdfCase]:
    return [c for c in rdf_cases() if c.expect == "accept"]


# -- SPARQL ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """A hostile text input (a query, an update, a parameter value) and what it tries."""

    id: str
    text: str
    description: str
    expect: str = "400"  # "400": refused as bad input; "limit": stopped by the time limit or result cap

    def __str__(self) -> str:
        return self.id


CANARY = "http://203.0.113.1"  # replaced by the loopback canary's URL in the tests

QUERIES: tuple[Text, ...] = (
    Text("typo", "SELEC * WHERE { ?s ?p ?o }", "a misspelt keyword"),
    Text("two-terms", "SELECT * WHERE { ?s ?p }", "a triple pattern with two terms"),
    Text("unterminated-string", 'SELECT * WHERE { ?s ?p "open }', "a string that never closes"),
    Text("unbalanced", "SELECT * WHERE { ?s ?p ?o }}}}", "closing braces with nothing to close"),
    Text("negative-limit", "SELECT * WHERE { ?s ?p ?o } LIMIT -1", "a negative LIMIT"),
    Text("iri-space", "SELECT * WHERE { <http://example.org/a b> ?p ?o }", "an IRI with a space"),
    Text("undeclared-prefix", "SELECT * WHERE { nope:a ?p ?o }", "a prefix never declared"),
    Text("nul", "SELECT * WHERE { ?s ?p \x00 }", "a NUL character"),
    Text("update-as-query", "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> "
         "<http://example.org/p> 1 } }", "an update sent to the query endpoint"),
    Text("drop-as-query", "DROP ALL", "DROP ALL sent to the query endpoint"),
    Text("deep-groups", "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000,
         "group patterns nested 5,000 deep (overflows the engine's parser stack)"),
    Text("deep-parentheses", "SELECT * WHERE { BIND(" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) }",
         "an expression nested 5,000 deep"),
    Text("service", f"SELECT * WHERE {{ SERVICE <{CANARY}/sparql> {{ ?s ?p ?o }} }}",
         "SERVICE: a federated call to another host (SSRF)"),
    Text("service-silent", f"SELECT * WHERE {{ ?s ?p ?o SERVICE SILENT <{CANARY}/sparql> {{ ?s ?p ?x }} }} LIMIT 1",
         "SERVICE SILENT: a federated call whose failure would go unnoticed"),
    Text("service-variable", "SELECT * WHERE { VALUES ?e { <" + CANARY + "/sparql> } SERVICE ?e { ?s ?p ?o } }",
         "SERVICE with a variable endpoint"),
    Text("cartesian-count", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
         "a COUNT over a three-way cartesian product", "limit"),
    Text("cartesian-rows", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "a two-way cartesian product, every row",
         "limit"),
    Text("unbounded-path", "SELECT * WHERE { ?s (<http://example.org/none>|!<http://example.org/none>)* ?o }",
         "an unbounded property path over every predicate", "limit"),
    Text("path-construct", "CONSTRUCT { ?s <http://example.org/r> ?o } WHERE { ?s (!<http://example.org/x>)+ ?o }",
         "CONSTRUCT over the transitive closure of every predicate", "limit"),
    Text("string-blowup", "SELECT (COUNT(?x) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
         "BIND(CONCAT(STR(?c), STR(?f), STR(?i), STR(?f)) AS ?x) }",
         "string building over a three-way cartesian product (two ways finished in 2 s on a quiet machine)",
         "limit"),
)

UPDATES: tuple[Text, ...] = (
    Text("typo", "INSRET DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }",
         "a misspelt keyword"),
    Text("unterminated", 'INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> "x',
         "a string that never closes"),
    Text("half-valid", "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }"
         " ; DROP ALL ; INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> ?p 1 } }",
         "a valid insert, DROP ALL, then an invalid operation: nothing at all may happen"),
    Text("iri-space", "INSERT DATA { GRAPH <http://example.org/a b> { <http://example.org/s> "
         "<http://example.org/p> 1 } }", "a graph name with a space"),
    Text("default-graph", "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }",
         "triples into the default graph (govkg keeps data in named graphs)"),
    Text("load-remote", f"LOAD <{CANARY}/data.ttl> INTO GRAPH <http://example.org/g>",
         "LOAD from another host (SSRF)"),
    Text("load-silent", f"LOAD SILENT <{CANARY}/data.ttl> INTO GRAPH <http://example.org/g>",
         "LOAD SILENT from another host"),
    Text("load-file", "LOAD <file:///etc/passwd> INTO GRAPH <http://example.org/g>", "LOAD of a local file"),
    Text("service-in-where", "INSERT { GRAPH <http://example.org/g> { ?s ?p ?o } } WHERE { SERVICE <"
         + CANARY + "/sparql> { ?s ?p ?o } }", "an update reading from a SERVICE"),
    Text("deep-groups", "DELETE WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000, "groups nested 5,000 deep"),
    Text("nul", "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> \x00 } }",
         "a NUL character"),
)

# graph-store ?graph= values: not absolute IRIs, or not writable between angle brackets
GRAPH_NAMES: tuple[Text, ...] = (
    Text("relative-traversal", "../../etc/passwd", "a relative path climbing out"),
    Text("absolute-path", "/etc/passwd", "an absolute file path"),
    Text("encoded-traversal", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "percent-encoded traversal (decoded once by the server)"),
    Text("space", "http://example.org/a b", "an IRI with a space"),
    Text("angle", "http://example.org/<script>", "an IRI with angle brackets"),
    Text("quote", 'http://example.org/"onmouseover="x', "an IRI with a double quote"),
    Text("newline", "http://example.org/g>\nCLEAR ALL", "an IRI carrying a newline and an update"),
    Text("empty", "", "an empty graph name"),
    Text("backslash", "http://example.org\\..\\..\\etc", "backslashes"),
)
# file: IRIs are absolute IRIs, so they are graph names like any other: reading them must not read the file
FILE_GRAPH_NAMES: tuple[Text, ...] = (
    Text("file-passwd", "file:///etc/passwd", "a file IRI naming a system file"),
    Text("file-traversal", "file:///../../../../etc/passwd", "a file IRI climbing out"),
)

# paths of the site and APIs that name a file, a query or a resource
PATHS: tuple[Text, ...] = (
    Text("api-dotdot", "/api/..%2F..%2Fpyproject.toml", "a query name climbing out of queries/"),
    Text("api-dotdot-rq", "/api/..%2f..%2fqueries%2fdatasets", "a query name with a path in it"),
    Text("api-absolute", "/api/%2Fetc%2Fpasswd", "a query name that is an absolute path"),
    Text("api-dotdot-raw", "/api/../../etc/passwd", "raw dot segments"),
    Text("static-dotdot", "/static/..%2F..%2Fpyproject.toml", "a static file climbing out of static/"),
    Text("static-dotdot-raw", "/static/../../pyproject.toml", "raw dot segments under static/"),
    Text("id-dotdot", "/id/..%2F..%2F..%2Fetc%2Fpasswd", "a resource path climbing out"),
    Text("graph-dotdot", "/graph/..%2F..%2Fetc%2Fpasswd", "a graph page climbing out"),
    Text("resource-file", "/resource?iri=file:///etc/passwd", "a file IRI as the resource to describe"),
    Text("resource-relative", "/resource?iri=../../etc/passwd", "a relative path as the resource"),
    Text("def-suffix", "/def.ttl%2F..%2F..%2Fpyproject.toml", "a suffix with a path"),
    Text("feed-dataset-relative", "/dataset?iri=../../etc/passwd", "a relative path as the feed's dataset"),
    Text("feed-dataset-space", "/dataset?iri=http://example.org/a%20b", "an IRI with a space as the feed's dataset"),
    Text("feed-dataset-file", "/dataset.ttl?iri=file:///etc/passwd", "a file IRI as the feed's dataset"),
    Text("feed-catalog-relative", "/catalog?iri=../../etc/passwd", "a relative path as the feed's catalogue"),
    Text("feed-catalog-quote", "/catalog?iri=http://example.org/%22%3E%3Cscript%3E", "a quote and a tag as catalogue"),
    Text("feed-source-relative", "/catalog/source?graph=../../etc/passwd", "a relative path as source graph"),
    Text("feed-source-file", "/catalog/source.nt?graph=file:///etc/passwd", "a file IRI as source graph"),
    Text("feed-minted-dotdot", "/id/dataset/..%2F..%2F..%2Fetc%2Fpasswd.ttl", "a dataset key climbing out"),
)
SECRETS = (b"root:x:0:0", b"[project]", b"[tool.pytest")  # what must never come back

# values for the query API's parameters: quotes, braces, brackets, newlines, SPARQL keywords
API_VALUES: tuple[Text, ...] = (
    Text("quote", '"', "a lone double quote"),
    Text("single-quote", "'", "a lone single quote"),
    Text("close-literal", '" } ; DROP ALL ; #', "closing the literal, the group, and a DROP"),
    Text("union", '") } UNION { ?s ?p ?o } #', "closing the VALUES and adding a UNION"),
    Text("close-iri", "http://example.org/> } SELECT * WHERE { ?s ?p ?o } #", "closing an IRI and the query"),
    Text("angle", "<http://example.org/x>", "an IRI in angle brackets"),
    Text("brace", "}", "a closing brace"),
    Text("newline", "a\nb", "a newline"),
    Text("crlf", 'a\r\n" . ?s ?p ?o', "a CRLF and a triple pattern"),
    Text("comment", "x # comment", "a comment marker"),
    Text("filter", "x) || true || (", "an expression breaking out of a FILTER"),
    Text("keywords", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "a whole query"),
    Text("service", "x\" } SERVICE <http://203.0.113.1/> { ?s ?p ?o } #", "a SERVICE clause"),
    Text("unicode-escape", "\\u0022 } #", "a SPARQL \\u escape of a quote"),
    Text("backslash", "\\", "a lone backslash"),
    Text("nul", "a\x00b", "a NUL character"),
    Text("script", "<script>alert(1)</script>", "HTML script"),
    Text("language", 'x"@en } #', "text breaking out of a language-tagged literal"),
    Text("lang-tag", "x@en-} ", "a language tag with a brace"),
    Text("date", '2020-01-01" } #', "a date breaking out"),
    Text("integer", "1 } UNION { ?s ?p ?o }", "an integer breaking out"),
    Text("enum", "UNCONDITIONAL> } #", "an enumeration code breaking out"),
    Text("long", "a" * 5000, "5,000 characters"),
)

# the site's search box
SEARCHES: tuple[Text, ...] = (
    Text("script", "<script>alert(1)</script>", "a script tag"),
    Text("attribute", '"><img src=x onerror=alert(1)>', "breaking out of an attribute"),
    Text("quote", '"', "a lone double quote (FTS5 string)"),
    Text("unbalanced", '"unbalanced phrase', "an FTS5 phrase never closed"),
    Text("star", "*", "a bare FTS5 prefix star"),
    Text("near", "NEAR(a b, 2)", "FTS5 NEAR"),
    Text("boolean", "a AND OR NOT b", "FTS5 operators in a row"),
    Text("caret", "^a", "FTS5 initial-token marker"),
    Text("column", "title:x", "an FTS5 column filter"),
    Text("parens", "((", "open parentheses"),
    Text("minus", "-x", "a leading minus"),
    Text("sql", "' OR 1=1 --", "SQL injection"),
    Text("sql-drop", "x\"); DROP TABLE datasets; --", "SQL injection with a statement"),
    Text("braces", "} UNION { ?s ?p ?o", "SPARQL in the search box (the page shows the query)"),
    Text("percent", "%_%", "LIKE wildcards"),
    Text("nul", "a\x00b", "a NUL character"),
    Text("long", "数据" * 3000, "6,000 characters"),
    Text("control", "\u202e\u200b\u2028", "bidi override and invisible characters"),
)
SEARCH_FACETS: tuple[Text, ...] = (
    Text("facet-script", "sharing-type=<script>alert(1)</script>", "script as a facet value"),
    Text("facet-javascript", "sharing-type=javascript:alert(1)", "a javascript: IRI as a facet value"),
    Text("facet-attribute", 'jurisdiction=http://example.org/"><script>', "an attribute-breaking facet value"),
    Text("facet-compliance", "compliance=<b>x</b>", "HTML as a compliance facet"),
    Text("facet-unknown", "nosuchfacet=x", "a facet that does not exist"),
    Text("page-negative", "page=-1", "a negative page"),
    Text("page-text", "page=abc", "a page that is not a number"),
    Text("page-huge", "page=" + "9" * 40, "a page number of 40 digits"),
)


# -- CKAN -----------------------------------------------------------------------------------------------
def _pkg(pid: str, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {"id": pid, "name": pid, "title": f"Package {pid}",
                               "metadata_modified": "2024-01-01T00:00:00", "resources": []}
    base.update(fields)
    return base


@dataclass(frozen=True)
class CkanCase:
    id: str
    package: object
    expect: str  # "reject" (with its reason) or "accept" (converted, shown safely)
    description: str

    def __str__(self) -> str:
        return self.id


def _deep(depth: int) -> object:
    node: object = "bottom"
    for _ in range(depth):
        node = {"k": node}
    return node


CKAN_CASES: tuple[CkanCase, ...] = (
    CkanCase("no-id", {"name": "x", "metadata_modified": "2024-01-01T00:00:00"}, "reject", "a package without an id"),
    CkanCase("id-number", _pkg("x", id=42), "reject", "an id that is a number"),
    CkanCase("not-object", ["a", "list"], "reject", "a package that is a list"),
    CkanCase("resources-string", _pkg("r1", resources="nope"), "reject", "resources that are a string"),
    CkanCase("resource-no-id", _pkg("r2", resources=[{"url": "http://example.org/f.csv"}]), "reject",
             "a resource without an id"),
    CkanCase("bad-date", _pkg("d1", metadata_modified="yesterday"), "reject", "a modification date that is not one"),
    CkanCase("date-number", _pkg("d2", metadata_modified=1700000000), "reject", "a modification date as a number"),
    CkanCase("giant-notes", _pkg("big", notes="N" * (LITERAL_LIMIT + 1024)), "reject",
             "a description over the 8 MiB literal limit"),
    CkanCase("surrogate-title", _pkg("s1", title="bad \ud800 title"), "reject",
             "a lone surrogate in the title (not a character)"),
    CkanCase("surrogate-id", _pkg("s2\udfff"), "reject", "a lone surrogate in the id"),
    CkanCase("nul-title", _pkg("n1", title="nul\x00title"), "accept", "a NUL character in the title"),
    CkanCase("html-title", _pkg("h1", title="<script>alert('ckan')</script>", notes='"><img src=x onerror=alert(1)>',
                                tags=[{"name": "<b>tag</b>"}]), "accept", "script and HTML in title, notes and tags"),
    CkanCase("uri-space", _pkg("u1", extras=[{"key": "uri", "value": "http://example.org/a b"}]), "accept",
             "a uri extra with a space (the site's own IRI is used instead)"),
    CkanCase("uri-javascript", _pkg("u2", url="javascript:alert(1)",
                                    extras=[{"key": "uri", "value": "javascript:alert(1)"}]), "accept",
             "javascript: URLs as uri extra and landing page (dropped)"),
    CkanCase("id-traversal", _pkg("../../etc/passwd"), "accept", "an id with a path in it (percent-encoded in the IRI)"),
    CkanCase("deep-extras", _pkg("deep", extras=[{"key": "x", "value": _deep(100)}]), "accept",
             "an extra value nested 100 deep (ignored)"),
)
CKAN_DEEP_PAGE_DEPTH = 100_000  # a whole CKAN page nested this deep: Python's json module cannot read it


# -- counts ----------------------------------------------------------------------------------------------
def counts() -> dict[str, int]:
    """How many hostile inputs each entry point is tried with (the tests parametrise over these lists)."""
    from govkg.queries import QueryLibrary

    rdf = rdf_cases()
    small_rejected = [c for c in rdf if c.expect == "reject" and not c.big]
    params = sum(len(q.params) for q in QueryLibrary.from_folder())
    return {
        "file loader (load_files; govkg load for the small rejected ones)": len(rdf),
        "--graph option of load_files, govkg load and harvest": len([n for n in GRAPH_NAMES if n.text]),
        "harvester: DCAT documents": len(rdf),
        "harvester: Hydra pages": len(small_rejected),
        "harvester: CKAN packages and pages": len(CKAN_CASES) + 1,
        "SPARQL endpoint /sparql (queries, oversized bodies, dataset IRIs)": len(QUERIES) + 2 + len(GRAPH_NAMES),
        "update endpoint /update (updates, oversized body, USING IRIs)": len(UPDATES) + 1 + len(GRAPH_NAMES),
        "graph store (graph names, RDF bodies, oversized body)": len(GRAPH_NAMES) + len(FILE_GRAPH_NAMES)
        + len(graph_store_bodies()) + 1,
        "named-query API /api (values)": len(API_VALUES),
        "named-query API /api (value x parameter requests)": len(API_VALUES) * params,
        "site search /search (queries and facets)": len(SEARCHES) + len(SEARCH_FACETS) + 1,
        "dereferenced pages of hostile harvested data (documents)": len([c for c in rdf if c.category == "html"]),
        "paths naming files or graphs": len(PATHS),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", action="store_true", help="print the number of inputs per entry point")
    ap.add_argument("--list", action="store_true", help="print every RDF case with its description")
    args = ap.parse_args(argv)
    if args.list:
        for c in rdf_cases():
            print(f"{c.name}\t{c.category}\t{c.expect}\t{c.description}")
    if args.count or not args.list:
        table = counts()
        width = max(map(len, table))
        for k, v in table.items():
            print(f"{k:<{width}}  {v}")
        print(f"{'RDF documents in the corpus':<{width}}  {len(rdf_cases())} "
              f"({sum(1 for c in rdf_cases() if c.generated)} generated)")


if __name__ == "__main__":
    main()
