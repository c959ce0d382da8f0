"""The lexing the protocol relies on, and content negotiation, without any server."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from govkg.errors import ResultTooLarge
from govkg.query_results import serialize_solutions
from govkg.sparql_text import add_using, has_dataset_clause, is_absolute_iri, query_form, update_names_dataset
from server.negotiation import choose_formats, negotiate, parse_accept


@pytest.mark.parametrize(("text", "form"), [
    ("PREFIX a: <http://x/> BASE <y> # select\n construct {} where {}", "graph"),
    ("prefix : <x> select * {}", "select"),
    ("ASK{}", "ask"),
    ("DESCRIBE <x>", "graph"),
    ("INSERT DATA {}", None),
    ("# only a comment", None),
])
def test_query_form(text: str, form: str | None) -> None:
    assert query_form(text) == form


@pytest.mark.parametrize(("text", "expected"), [
    ('SELECT * WHERE { ?s ?p "FROM" . ?from a from:x . ex:FROM ?x <http://from> } # FROM <x>', False),
    ("SELECT * WHERE { ?s ?p '''a\nFROM <x>''' }", False),
    ("SELECT * FROM <x> {}", True),
    ("select * from named <x> {}", True),
])
def test_dataset_clause_is_found_only_as_a_keyword(text: str, expected: bool) -> None:
    assert has_dataset_clause(text) is expected


def test_using_goes_before_each_modify_where_only() -> None:
    update = ('PREFIX f: <x> DELETE { ?p f:n "WHERE" } INSERT { ?p f:n "W" } WHERE { ?p ?x ?y '
              "{ SELECT * WHERE { ?a ?b ?c } } } ; DELETE WHERE { ?a ?b ?c } ; INSERT DATA { <a> <b> <c> } ; "
              "INSERT { GRAPH <g> { ?s a 1 } } where { ?s a 2 }")
    out = add_using(update, ["http://d"], ["http://n"])
    assert out.count("USING <http://d> USING NAMED <http://n> ") == 2
    assert 'INSERT { ?p f:n "W" } USING <http://d> USING NAMED <http://n> WHERE { ?p ?x ?y { SELECT * WHERE' in out
    assert "DELETE WHERE { ?a ?b ?c }" in out
    assert "} USING <http://d> USING NAMED <http://n> where { ?s a 2 }" in out
    ox.Store().update(out, base_iri="http://base/")  # still valid SPARQL
    assert add_using(update, [], []) == update


def test_update_dataset_keywords() -> None:
    assert update_names_dataset("WITH <x> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert update_names_dataset("DELETE { ?s ?p ?o } USING <x> WHERE { ?s ?p ?o }")
    assert not update_names_dataset('INSERT DATA { <a> <b> "USING WITH" }')


@pytest.mark.parametrize(("iri", "ok"), [("http://a/b", True), ("urn:x:y", True), ("file:///t.ttl", True),
                                         ("rel", False), ("a b", False), ("http://x>", False), ("", False)])
def test_absolute_iris(iri: str, ok: bool) -> None:
    assert is_absolute_iri(iri) is ok


def test_accept_parsing_clamps_and_skips() -> None:
    ranges = parse_accept("text/csv;q=2, junk, */*;q=abc, application/json ;q=0.5")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("text", "csv", 1.0), ("*", "*", 0.0),
                                                         ("application", "json", 0.5)]


def test_specific_ranges_win_over_wildcards() -> None:
    offers = [("json", "application/sparql-results+json"), ("csv", "text/csv")]
    assert negotiate("text/*;q=0.1, text/csv;q=0, */*;q=0.5", offers) == "json"
    assert negotiate("text/*;q=0.9, application/*;q=0.2", offers) == "csv"
    assert negotiate("image/png", offers) is None
    assert negotiate("", offers) == "json"


def test_format_parameter_versus_accept() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert choose_formats(browser, "csv")["select"] == "csv"
    assert choose_formats(browser, "ttl")["graph"] == "ttl"
    assert choose_formats("application/n-quads", "turtle")["graph"] == "nq"  # SPARQLWrapper with its own Accept
    assert choose_formats(None, "rdf+xml")["graph"] == "rdf"
    assert choose_formats(None, "text/csv")["select"] == "csv"
    assert choose_formats(None, "csv")["graph"] is None


def test_solutions_over_the_cap_raise_before_the_end() -> None:
    store = ox.Store()
    res = store.query("SELECT ?i WHERE { VALUES ?i { 1 2 3 } }")
    with pytest.raises(ResultTooLarge):
        serialize_solutions(res, "json", 2)
    body, n = serialize_solutions(store.query("SELECT ?i WHERE { VALUES ?i { 1 2 3 } }"), "json", 3)
    assert n == 3 and body.count(b'"type":"literal"') == 3
    body, n = serialize_solutions(store.query("SELECT * WHERE { }"), "json", 3)
    assert (body, n) == (b'{"head":{"vars":[]},"results":{"bindings":[{}]}}', 1)


def test_tsv_round_trip_keeps_every_term_exactly() -> None:
    store = ox.Store()
    q = ('SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) { (<http://x/é> "l\\n\\t\\"x\\"" "01"^^<http://www.w3.org/2001/'
         'XMLSchema#integer>) ("chat"@fr "-0.0E0"^^<http://www.w3.org/2001/XMLSchema#double> UNDEF) } }')
    import io

    for fmt, native in (("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                        ("csv", ox.QueryResultsFormat.CSV)):
        out = io.BytesIO()
        store.query(q).serialize(out, native)
        assert serialize_solutions(store.query(q), fmt, 10)[0] == out.getvalue()
