"""The query registry (govkg.queries): headers, the rules a query file must follow, typed
parameters, and binding that never changes a query's shape."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from govkg.queries import (
    AFTER,
    NamedQuery,
    ParameterError,
    QueryDefinitionError,
    QueryLibrary,
    parse_assignments,
    parse_query,
)
from govkg.sparql_text import tokens
from govkg.vocab import SCHEMES

QUERIES = Path(__file__).resolve().parents[2] / "queries"
XSD = "http://www.w3.org/2001/XMLSchema#"

HOSTILE_STRINGS = [
    '"} ; DROP ALL #',
    "' } UNION { ?s ?p ?o } #",
    '\\" } . ?s ?p ?o {',
    "} ; DROP ALL",
    "<http://evil.example/> } INSERT DATA { <a> <b> <c> }",
    '"""',
    "'''",
    "\\",
    "${x} ?x $y",
    "数据 \u2028 \u00e9 🙂",
    "# not a comment",
    "VALUES ?x { 1 }",
]


def query_of(header: str, body: str = "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x") -> NamedQuery:
    return parse_query(header + "\n" + body + "\n", "test-query")


ECHO = """#+ summary: echo
#+ params:
#+   - {name: s, type: string}
#+   - {name: l, type: langString}
#+   - {name: i, type: iri}
#+   - {name: n, type: integer, minimum: -5, maximum: 5}
#+   - {name: d, type: date}
#+   - {name: e, type: enum, scheme: sharing-type}
SELECT ?s ?l ?i ?n ?d ?e WHERE { BIND(1 AS ?one) } ORDER BY ?s"""


@pytest.fixture(scope="module")
def echo() -> NamedQuery:
    return parse_query(ECHO, "echo")


# -- the folder --------------------------------------------------------------------------------
def test_every_file_loads_and_is_named_after_itself(library: QueryLibrary):
    files = sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert library.names() == files
    assert len(files) >= 20
    for q in library:
        assert q.summary and q.description and q.tags, q.name
        assert all(p.description for p in q.params), q.name


def test_readme_lists_every_query_with_its_summary_and_parameters(library: QueryLibrary):
    readme = (QUERIES / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| \[`([a-z0-9-]+)`\]\(\1\.rq\) \| (.+?) \| (.+?) \| (table|graph) \| (.+?) \|$", readme, re.M)
    assert [r[0] for r in rows] == library.names()
    for name, summary, params, kind, paging in rows:
        q = library.get(name)
        assert q is not None
        assert summary == q.summary
        listed = [] if params == "—" else [p.strip().strip("`*") for p in params.split(",")]
        assert listed == [p.name for p in q.params]
        assert [p.strip() for p in params.split(",") if p.strip().endswith("*")] == \
            [f"`{p.name}`*" for p in q.params if p.required]
        assert kind == ("table" if q.form == "select" else "graph")
        assert paging == (f"cursor `{q.cursor}`" if q.cursor else "offset" if q.form == "select" else "—")
    for key in ("summary", "description", "tags", "params", "cursor", "iri", "langString", "enum", "scheme",
                "default", "example", "required"):
        assert f"`{key}`" in readme, key


def test_every_query_runs_with_and_without_its_examples(library: QueryLibrary):
    """Syntax and shape on an empty store: examples, no values, a cursor page, an offset page."""
    store = ox.Store()
    for q in library:
        cases = [q.bind(q.example_values())]
        if not any(p.required for p in q.params):
            cases.append(q.bind({}))
        for terms in cases:
            store.query(q.render(terms, limit=10 if q.paged else None), use_default_graph_as_union=True)
            if q.cursor:
                store.query(q.render(terms, limit=10, after="https://w3id.org/govkg/id/x"),
                            use_default_graph_as_union=True)
            elif q.paged:
                store.query(q.render(terms, limit=10, offset=20), use_default_graph_as_union=True)


def test_columns_are_read_from_the_projection(library: QueryLibrary):
    q = library.get("restricted-without-legal-basis")
    assert q is not None
    assert q.columns == ("dataset", "title", "publisher", "sharing_types", "missing_legal_basis", "missing_reason")
    assert library.get("dataset-provenance").columns is None  # type: ignore[union-attr]


# -- the rules a file must follow ----------------------------------------------------------------
@pytest.mark.parametrize(("text", "message"), [
    ("SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x", "no #+ header"),
    ("#+ description: x\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x", "needs a summary"),
    ("#+ summary: x\n#+ endpoint: y\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x", "unknown header keys"),
    ("#+ summary: [x\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x", "not valid YAML"),
    ("#+ summary: x\n#+ params: [{name: Bad, type: string}]\nSELECT ?Bad WHERE { ?Bad ?p ?o } ORDER BY ?Bad",
     "bad parameter name"),
    ("#+ summary: x\n#+ params: [{name: limit, type: integer}]\nSELECT ?limit WHERE { ?limit ?p ?o } ORDER BY ?p",
     "bad parameter name"),
    ("#+ summary: x\n#+ params: [{name: x, type: float}]\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x", "type must be"),
    ("#+ summary: x\n#+ params: [{name: x, type: enum}]\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x", "names its scheme"),
    ("#+ summary: x\n#+ params: [{name: x, type: enum, scheme: colours}]\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x",
     "unknown scheme"),
    ("#+ summary: x\n#+ params: [{name: x, type: iri, example: 'not an iri'}]\n"
     "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x", "example is invalid"),
    ("#+ summary: x\n#+ params: [{name: x, type: iri, required: true, default: 'http://a/'}]\n"
     "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x", "has no default"),
    ("#+ summary: x\n#+ params: [{name: y, type: string}]\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x",
     "not a variable"),
    ("#+ summary: x\n#+ params: [{name: x, type: string, colour: red}]\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x",
     "unknown parameter keys"),
    ("#+ summary: x\nSELECT ?x WHERE { ?x ?p ?o }", "must end with ORDER BY"),
    ("#+ summary: x\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x LIMIT 5", "no top-level LIMIT"),
    ("#+ summary: x\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x OFFSET 5", "no top-level LIMIT"),
    ("#+ summary: x\n#+ cursor: x\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?p ?x", "ordered by ?x"),
    ("#+ summary: x\n#+ cursor: x\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY DESC(?x)", "ordered by ?x"),
    ("#+ summary: x\n#+ cursor: z\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x", "must be a variable"),
    ("#+ summary: x\nSELECT ?x WHERE { ?x ?p ?_after } ORDER BY ?x", "reserved for cursors"),
    ("#+ summary: x\nCONSTRUCT WHERE { ?s ?p ?o }", "explicit template"),
    ("#+ summary: x\nINSERT DATA { <a:b> <a:c> <a:d> }", "not a SPARQL query"),
])
def test_a_query_that_breaks_the_rules_is_refused(text: str, message: str):
    with pytest.raises(QueryDefinitionError, match=re.escape(message)):
        parse_query(text + "\n", "bad-query")


def test_a_bad_name_is_refused():
    with pytest.raises(QueryDefinitionError, match="hyphens"):
        parse_query("#+ summary: x\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x\n", "Bad_Name")


# -- typed parameters ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "raw", "expected"), [
    ("s", "plain text", ox.Literal("plain text")),
    ("s", "", None),
    ("l", "人口@zh", ox.Literal("人口", language="zh")),
    ("l", "name@with@en-GB", ox.Literal("name@with", language="en-gb")),
    ("i", "https://w3id.org/govkg/id/jurisdiction/210000", ox.NamedNode("https://w3id.org/govkg/id/jurisdiction/210000")),
    ("i", "urn:isbn:0451450523", ox.NamedNode("urn:isbn:0451450523")),
    ("n", "-5", ox.Literal("-5", datatype=ox.NamedNode(XSD + "integer"))),
    ("n", "+05", ox.Literal("5", datatype=ox.NamedNode(XSD + "integer"))),
    ("d", "2024-02-29", ox.Literal("2024-02-29", datatype=ox.NamedNode(XSD + "date"))),
    ("e", "NOT_SHARED", ox.NamedNode("https://w3id.org/govkg/authority/sharing-type/NOT_SHARED")),
    ("e", "https://w3id.org/govkg/authority/sharing-type/CONDITIONAL",
     ox.NamedNode("https://w3id.org/govkg/authority/sharing-type/CONDITIONAL")),
])
def test_values_become_rdf_terms(echo: NamedQuery, name: str, raw: str, expected: object):
    terms = echo.bind({name: raw})
    assert terms.get(name) == expected


@pytest.mark.parametrize(("name", "raw", "says"), [
    ("i", "not an iri", "absolute IRI"),
    ("i", "http://x/>", "absolute IRI"),
    ("i", "http://x/} ; DROP ALL", "absolute IRI"),
    ("i", 'http://x/"', "absolute IRI"),
    ("i", "http://[::1", "valid IRI"),
    ("i", "relative/path", "absolute IRI"),
    ("s", "line\nbreak", "control characters"),
    ("s", "nul\x00", "control characters"),
    ("s", "escape \\u0022 here", "backslash followed by u"),
    ("s", "x" * 501, "longer than 500"),
    ("l", "no tag", "language tag"),
    ("l", "bad@tag with space", "language tag"),
    ("l", "@", "language tag"),
    ("n", "1.5", "an integer"),
    ("n", "1e3", "an integer"),
    ("n", "ten", "an integer"),
    ("n", "6", "at most 5"),
    ("n", "-6", "at least -5"),
    ("n", "1" * 30, "an integer"),
    ("d", "2025-02-30", "YYYY-MM-DD"),
    ("d", "20250101", "YYYY-MM-DD"),
    ("d", "2025-1-1", "YYYY-MM-DD"),
    ("d", "2025-01-01T00:00:00", "YYYY-MM-DD"),
    ("e", "conditional", "one of UNCONDITIONAL"),
    ("e", "https://w3id.org/govkg/authority/open-type/NOT_OPEN", "one of UNCONDITIONAL"),
])
def test_values_that_do_not_fit_are_refused_with_the_parameter_named(echo: NamedQuery, name: str, raw: str,
                                                                      says: str):
    with pytest.raises(ParameterError) as err:
        echo.bind({name: raw})
    assert err.value.http_status == 400
    assert err.value.source == name
    assert err.value.message.startswith(name) and says in err.value.message


def test_unknown_and_missing_parameters_are_refused(library: QueryLibrary):
    q = library.get("dataset-provenance")
    assert q is not None
    with pytest.raises(ParameterError, match="dataset is required"):
        q.bind({})
    with pytest.raises(ParameterError, match="unknown parameter 'datset'"):
        q.bind({"datset": "http://a/"})
    defaults = library.get("platforms-not-connected-upward").bind({})  # type: ignore[union-attr]
    assert defaults["platform_type"] == ox.NamedNode("https://w3id.org/govkg/authority/platform-type/SHARING_PLATFORM")


def test_cli_assignments():
    assert parse_assignments(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    with pytest.raises(ParameterError):
        parse_assignments(["novalue"])
    with pytest.raises(ParameterError):
        parse_assignments(["a=1", "a=2"])


def test_every_enum_scheme_is_a_govkg_scheme(library: QueryLibrary):
    for q in library:
        for p in q.params:
            if p.type == "enum":
                assert p.scheme in SCHEMES and p.codes == SCHEMES[p.scheme]


# -- binding never changes the query's shape -------------------------------------------------------
def _shape(text: str) -> list[tuple[str, str]]:
    """The token stream, with the data of literals and IRIs blanked out."""
    return [(t.kind, "" if t.kind in ("string", "iri", "number") else t.text) for t in tokens(text)]


def _values_row(text: str) -> dict[str, object]:
    """The VALUES row the registry wrote first in the WHERE group (one line: N-Triples escapes line
    breaks), as the engine reads it."""
    lines = [line for line in text.split("\n") if line.startswith("  VALUES (")]  # not splitlines: U+2028
    res = ox.Store().query("SELECT * WHERE {" + lines[0] + "}")
    names = [v.value for v in res.variables]  # type: ignore[union-attr]
    [row] = list(res)  # type: ignore[arg-type]
    return {n: row[n] for n in names if row[n] is not None}


@pytest.mark.parametrize("hostile", HOSTILE_STRINGS)
def test_hostile_strings_are_data_and_leave_the_shape_alone(library: QueryLibrary, echo: NamedQuery, hostile: str):
    for q in [*library, echo]:
        for p in q.params:
            if p.type not in ("string", "langString"):
                continue
            raw = hostile if p.type == "string" else f"{hostile}@en"
            if len(hostile) > p.max_length:
                continue
            benign = q.render(q.bind({**q.example_values(), p.name: "x" if p.type == "string" else "x@en"}))
            evil = q.render(q.bind({**q.example_values(), p.name: raw}))
            assert _shape(evil) == _shape(benign), (q.name, p.name)
            bound = _values_row(evil)
            assert bound[p.name].value == hostile  # type: ignore[attr-defined]
            assert set(bound) == {n for n in q.bind({**q.example_values(), p.name: raw})}


def test_bound_values_come_back_exactly(echo: NamedQuery):
    """End to end on pyoxigraph: what the query sees is exactly the value given."""
    store = ox.Store()
    for hostile in HOSTILE_STRINGS:
        values = {"s": hostile, "l": hostile + "@zh", "i": "https://example.org/a?b=1&c=%22#frag", "n": "-3",
                  "d": "2025-12-31", "e": "CONDITIONAL"}
        [row] = list(store.query(echo.render(echo.bind(values), limit=5)))
        assert row["s"] == ox.Literal(hostile)
        assert row["l"] == ox.Literal(hostile, language="zh")
        assert row["i"] == ox.NamedNode(values["i"])
        assert row["n"] == ox.Literal("-3", datatype=ox.NamedNode(XSD + "integer"))
        assert row["d"] == ox.Literal("2025-12-31", datatype=ox.NamedNode(XSD + "date"))
        assert row["e"] == ox.NamedNode("https://w3id.org/govkg/authority/sharing-type/CONDITIONAL")


def test_render_adds_only_values_cursor_filter_limit_and_offset(library: QueryLibrary):
    q = library.get("datasets")
    assert q is not None
    plain = q.render({})
    assert plain == q.text  # nothing bound: the file itself
    paged = q.render(q.bind({"sharing_type": "CONDITIONAL"}), limit=11, after="https://w3id.org/govkg/id/dataset/x")
    assert f"FILTER(STR(?dataset) > ?{AFTER})" in paged
    assert paged.rstrip().endswith("LIMIT 11")
    assert f'VALUES (?sharing_type ?lang ?{AFTER}) {{ (<https://w3id.org/govkg/authority/sharing-type/CONDITIONAL> ' \
           f'"en" "https://w3id.org/govkg/id/dataset/x") }}' in paged
    with pytest.raises(ParameterError, match="not paged by cursor"):
        library.get("sharing-by-jurisdiction-and-level").render({}, after="x")  # type: ignore[union-attr]


def test_cursor_keys_follow_the_string_rules(library: QueryLibrary):
    q = library.get("datasets")
    assert q is not None
    for bad in ("a\nb", "x\\u0022", "k" * 5000):
        with pytest.raises(ParameterError, match="cursor"):
            q.render({}, limit=5, after=bad)
