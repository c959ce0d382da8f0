"""The SPARQL-compiled engine finds exactly what pyshacl finds, construct by construct."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from govkg.rdfterms import from_rdflib_graph
from govkg.store.oxigraph import OxigraphStore
from govkg.validate.compile import ShapeCompileError, compile_shapes
from govkg.validate.engine import run_compiled, run_pyshacl

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

SHAPES = (
    PREFIXES
    + """
ex:Decl sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .

ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property ex:titleShape, ex:typeShape, ex:sizeShape, ex:linkShape, ex:dateShape, ex:codeShape,
              ex:orShape, ex:qualShape, ex:notShape, ex:xoneShape, ex:langShape, ex:hasValueShape, ex:maxShape,
              ex:min2Shape, ex:invShape, ex:seqShape, ex:kindShape, ex:lenShape .
ex:titleShape sh:path ex:title ; sh:minCount 1 ; sh:datatype xsd:string .
ex:typeShape sh:path ex:type ; sh:in ( ex:A ex:B ) ; sh:maxCount 1 .
ex:sizeShape sh:path ex:size ; sh:minInclusive 0 ; sh:maxExclusive 100 ; sh:severity sh:Warning .
ex:linkShape sh:path ex:link ; sh:class ex:Target .
ex:dateShape sh:path ex:done ; sh:lessThanOrEquals ex:deadline .
ex:codeShape sh:path ex:code ; sh:pattern "^[A-Z]{2}[0-9]+$" .
ex:orShape sh:path ex:basis ; sh:or ( [ sh:class ex:Law ] [ sh:nodeKind sh:Literal ] ) .
ex:qualShape sh:path ex:connects ; sh:qualifiedValueShape [ sh:path ex:level ; sh:hasValue ex:Province ] ;
  sh:qualifiedMinCount 1 .
ex:notShape sh:path ex:medium ; sh:not [ sh:hasValue ex:Paper ] .
ex:xoneShape sh:path ex:owner ; sh:xone ( [ sh:class ex:Person ] [ sh:class ex:Org ] ) .
ex:langShape sh:path ex:label ; sh:languageIn ( "zh" "en" ) .
ex:hasValueShape sh:path ex:status ; sh:hasValue ex:Published .
ex:maxShape sh:path ex:lead ; sh:maxCount 1 .
ex:min2Shape sh:path ex:contributor ; sh:minCount 2 .
ex:invShape sh:path [ sh:inversePath ex:partOf ] ; sh:maxCount 2 .
ex:seqShape sh:path ( ex:publisher ex:level ) ; sh:in ( ex:Province ex:City ) .
ex:kindShape sh:path ex:page ; sh:nodeKind sh:IRI .
ex:lenShape sh:path ex:note ; sh:maxLength 5 .

ex:NodeLevel a sh:NodeShape ; sh:targetSubjectsOf ex:sharing ;
  sh:or ( [ sh:path ex:sharing ; sh:hasValue ex:Unconditional ]
          [ sh:path ex:legalBasis ; sh:minCount 1 ] ) .

ex:ScopedShape a sh:NodeShape ;
  sh:target [ a sh:SPARQLTarget ; sh:prefixes ex:Decl ;
              sh:select "SELECT ?this WHERE { ?this ex:region ex:GY }" ] ;
  sh:property ex:gyOnly .
ex:gyOnly sh:path ex:gyField ; sh:minCount 1 .

ex:SparqlShape a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:sparql [ sh:prefixes ex:Decl ;
    sh:select "SELECT $this ?value WHERE { $this ex:twin ?value . ?value ex:twin $this . FILTER(STR($this) < STR(?value)) }" ] .
ex:NodeTarget a sh:NodeShape ; sh:targetNode ex:special ; sh:class ex:Thing .
"""
)

DATA = (
    PREFIXES
    + """
ex:Sub rdfs:subClassOf ex:Thing .
ex:Law1 a ex:Law .  ex:T1 a ex:Target .  ex:P1 a ex:Person . ex:O1 a ex:Org . ex:PO a ex:Person, ex:Org .
ex:prov ex:level ex:Province . ex:city ex:level ex:City .
ex:good a ex:Thing ; ex:title "ok" ; ex:type ex:A ; ex:size 5 ; ex:link ex:T1 ; ex:done "2024-01-01"^^xsd:date ;
  ex:deadline "2024-01-02"^^xsd:date ; ex:code "AB12" ; ex:basis ex:Law1, "text" ; ex:connects ex:prov, ex:city ;
  ex:medium ex:Digital ; ex:owner ex:P1 ; ex:label "x"@zh ; ex:status ex:Published ; ex:lead ex:L1 ;
  ex:contributor ex:c1, ex:c2 ; ex:publisher ex:prov ; ex:page ex:pg ; ex:note "short" ;
  ex:sharing ex:Unconditional ; ex:region ex:GY ; ex:gyField "y" .
ex:bad a ex:Sub ; ex:title "no"@en ; ex:type ex:C, ex:A ; ex:size 100, -1 ; ex:link ex:nowhere ;
  ex:done "2024-01-03"^^xsd:date ; ex:deadline "2024-01-02"^^xsd:date ; ex:code "ab" ;
  ex:basis ex:NotALaw ; ex:connects ex:city ; ex:medium ex:Paper ; ex:owner ex:PO, ex:nobody ; ex:label "x"@fr ;
  ex:status ex:Draft ; ex:lead ex:L1, ex:L2 ; ex:contributor ex:c1 ; ex:publisher ex:nowhere ; ex:page "lit" ;
  ex:note "too long" ; ex:sharing ex:Conditional ; ex:twin ex:bad2 ; ex:region ex:GY .
ex:bad2 a ex:Thing ; ex:twin ex:bad ; ex:title "t" ; ex:status ex:Published ; ex:contributor ex:c1, ex:c2 ;
  ex:connects ex:prov ; ex:region ex:LN .
ex:a ex:partOf ex:bad . ex:b ex:partOf ex:bad . ex:c ex:partOf ex:bad .
ex:cond ex:sharing ex:Conditional ; ex:legalBasis ex:Law1 .
ex:special ex:title "not typed" .
"""
)


@pytest.fixture
def graphs() -> tuple[Graph, Graph]:
    return Graph().parse(data=SHAPES, format="turtle"), Graph().parse(data=DATA, format="turtle")


def _store_with(tmp_path: Path, data: Graph) -> OxigraphStore:
    st = OxigraphStore(tmp_path / "s")
    with st.transaction() as tx:
        tx.add(from_rdflib_graph(data, ox.NamedNode("http://example.org/graph")))
    return st


def test_compiled_engine_matches_pyshacl(tmp_path: Path, graphs: tuple[Graph, Graph]) -> None:
    shapes, data = graphs
    reference = {f.key() for f in run_pyshacl(data, shapes)}
    with _store_with(tmp_path, data).snapshot() as snap:
        compiled = {f.key() for f in run_compiled(snap, compile_shapes(shapes))}
    assert compiled == reference
    # the fixture exercises every constraint: each component is found at least once
    names = {str(k[2]).rsplit("#", 1)[1].replace("ConstraintComponent", "") for k in reference}
    assert names >= {
        "MinCount",
        "Datatype",
        "In",
        "MaxCount",
        "MinInclusive",
        "MaxExclusive",
        "Class",
        "LessThanOrEquals",
        "Pattern",
        "Or",
        "QualifiedMinCount",
        "Not",
        "Xone",
        "LanguageIn",
        "HasValue",
        "NodeKind",
        "MaxLength",
        "SPARQL",
    }
    # jurisdiction-style SPARQL target: only ex:bad (region GY, no gyField) is caught, not ex:bad2 (LN)
    scoped = {k[0] for k in reference if str(k[1]) == "http://example.org/gyOnly"}
    assert {str(x) for x in scoped} == {"http://example.org/bad"}


def test_focus_restriction_finds_only_that_node(tmp_path: Path, graphs: tuple[Graph, Graph]) -> None:
    from rdflib import URIRef

    shapes, data = graphs
    focus = [URIRef("http://example.org/bad")]
    # pyshacl's own focus mode drops nested-shape results (sh:or, qualified shapes), so the
    # reference is its whole-graph run filtered to the focus node
    reference = {f.key() for f in run_pyshacl(data, shapes) if f.focus in focus}
    with _store_with(tmp_path, data).snapshot() as snap:
        compiled = {f.key() for f in run_compiled(snap, compile_shapes(shapes), focus=focus)}
    assert compiled == reference
    assert {k[0] for k in compiled} == set(focus)


def test_unsupported_constraint_is_refused() -> None:
    g = Graph().parse(
        data=PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:closed true ; "
        "sh:property [ sh:path ex:p ; sh:uniqueLang true ] .",
        format="turtle",
    )
    with pytest.raises(ShapeCompileError, match="outside the compiled subset"):
        compile_shapes(g)


def test_node_sparql_constraint_without_value_reports_the_focus_node(tmp_path: Path) -> None:
    """A node shape's SPARQL constraint that selects only $this: the value is the focus
    node (SHACL 5.3.2, as pyshacl reports it); found on the demo's approval shapes."""
    shapes = Graph().parse(
        data=PREFIXES + """
ex:Decl sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
ex:Approved a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:sparql [ sh:prefixes ex:Decl ; sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this ex:approvedBy ?a } }" ] .
ex:PropSparql a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:size ;
    sh:sparql [ sh:prefixes ex:Decl ; sh:select "SELECT $this WHERE { $this $PATH ?s FILTER(?s > 10) }" ] ] .
""",
        format="turtle",
    )
    data = Graph().parse(
        data=PREFIXES + "ex:a a ex:Thing ; ex:approvedBy ex:gov ; ex:size 3 . ex:b a ex:Thing ; ex:size 30 .",
        format="turtle",
    )
    reference = {f.key() for f in run_pyshacl(data, shapes)}
    with _store_with(tmp_path, data).snapshot() as snap:
        compiled = {f.key() for f in run_compiled(snap, compile_shapes(shapes))}
    assert compiled == reference
    values = {(str(k[0]), str(k[3])) for k in reference}
    assert ("http://example.org/b", "http://example.org/b") in values  # node shape: the focus node
    assert ("http://example.org/b", "None") in values  # property shape: no value


def test_sequence_paths_in_sparql_constraints_become_chains(tmp_path: Path) -> None:
    from govkg.validate.compile import sequences_as_chains, sequences_to_constants

    assert sequences_as_chains("?v ex:a/ex:b ?e ; ex:c ?p .") == "?v ex:a [ ex:b ?e ] ; ex:c ?p ."
    assert sequences_as_chains("?a ex:a/<http://x/b>* ?t }") == "?a ex:a [ <http://x/b>* ?t ] }"
    # a path to a constant, last in its block: the tail is computed once, as a sub-SELECT
    assert sequences_to_constants("?a <http://x/a>/ex:b* ex:top }", lambda: "?m") == (
        "?a <http://x/a> ?m . { SELECT ?m WHERE { ?m ex:b* ex:top } } }")
    assert sequences_to_constants("?a ex:a/ex:b ex:top ; ex:c ?d .", lambda: "?m") == "?a ex:a/ex:b ex:top ; ex:c ?d ."
    # an object list would change meaning (one intermediate node for all objects): left alone
    assert sequences_as_chains("?a ex:a/ex:b ?o, ?p .") == "?a ex:a/ex:b ?o, ?p ."
    assert sequences_as_chains("<http://a/b/c> ex:a ?o .") == "<http://a/b/c> ex:a ?o ."
    shapes = Graph().parse(
        data=PREFIXES + """
ex:Decl sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
ex:Chain a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:sparql [ sh:prefixes ex:Decl ; sh:select
    "SELECT $this ?value WHERE { $this ex:part/ex:owner ?value ; ex:owner ?mine . FILTER(?value != ?mine) }" ] .
ex:Under a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:sparql [ sh:prefixes ex:Decl ; sh:select
    "SELECT $this WHERE { FILTER NOT EXISTS { $this ex:owner/ex:partOf* ex:top } }" ] ;
  sh:sparql [ sh:prefixes ex:Decl ; sh:select
    "SELECT $this ?value WHERE { $this ex:part ?value . ?value ex:owner/ex:partOf* ex:top . }" ] .
""",
        format="turtle",
    )
    data = Graph().parse(
        data=PREFIXES + """ex:a a ex:Thing ; ex:owner ex:o1 ; ex:part ex:p1, ex:p2 . ex:p1 ex:owner ex:o1 .
ex:p2 ex:owner ex:o2, ex:o1 . ex:b a ex:Thing ; ex:owner ex:o3 ; ex:part ex:p1 .
ex:o1 ex:partOf ex:mid . ex:mid ex:partOf ex:top . ex:o2 ex:partOf ex:top .""",
        format="turtle",
    )
    reference = {f.key() for f in run_pyshacl(data, shapes)}
    with _store_with(tmp_path, data).snapshot() as snap:
        compiled = {f.key() for f in run_compiled(snap, compile_shapes(shapes))}
    assert compiled == reference
    assert {(str(k[0]), str(k[3])) for k in reference if str(k[1]).endswith("Chain")} == {
        ("http://example.org/a", "http://example.org/o2"), ("http://example.org/b", "http://example.org/o1")}
    under = {(str(k[0]), str(k[3])) for k in reference if str(k[1]).endswith("Under")}
    assert ("http://example.org/b", "http://example.org/b") in under  # ex:o3 is under no ex:top
    assert ("http://example.org/a", "http://example.org/p1") in under  # p1's owner o1 is, through ex:mid
