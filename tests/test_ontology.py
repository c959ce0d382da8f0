"""The ontology in ``ontology/*.ttl``.

It must parse, describe each file, define every gds: term it uses (with zh and en
labels and definitions), hold exactly the concept schemes and codes of
``govkg.vocab``, give owlrl the entailments the rest of govkg relies on and none
it should not, and its README must list exactly what the files hold.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from pathlib import Path

import owlrl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from govkg import vocab
from govkg.vocab import ELI, GDS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
TTL_FILES = sorted(ONTOLOGY_DIR.glob("*.ttl"))
README = ONTOLOGY_DIR / "README.md"
MODEL = ONTOLOGY_DIR / "MODEL.md"
SHARED = ROOT.parent / "shared"
DOMAIN = SHARED / "DOMAIN.md"

CORE_ONTOLOGY = URIRef(str(GDS).rstrip("#"))
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# Namespaces whose complete term lists rdflib knows: any other local name in them is a typo.
CLOSED_NAMESPACES: tuple[type[DefinedNamespace], ...] = (DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD)
OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
MATCHES = (SKOS.exactMatch, SKOS.closeMatch)


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def is_gds(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(GDS))


def curie(term: URIRef) -> str:
    return "gds:" + str(term)[len(str(GDS)) :]


def by_lang(g: Graph, subject: URIRef, predicate: URIRef) -> dict[str, list[str]]:
    values: dict[str, list[str]] = defaultdict(list)
    for o in g.objects(subject, predicate):
        if isinstance(o, Literal) and o.language:
            values[o.language].append(str(o))
    return values


def has_zh_en(g: Graph, subject: URIRef, predicate: URIRef) -> bool:
    values = by_lang(g, subject, predicate)
    return bool(values.get("zh")) and bool(values.get("en"))


def defined_terms(g: Graph) -> set[URIRef]:
    return {s for t in TERM_TYPES for s in g.subjects(RDF.type, t) if is_gds(s)}


def scheme_of(code_iri: URIRef) -> str:
    return str(code_iri)[len(vocab.AUTHORITY) :].split("/")[0]


@pytest.fixture(scope="module")
def file_graphs() -> dict[str, Graph]:
    return {path.name: Graph().parse(path, format="turtle") for path in TTL_FILES}


@pytest.fixture(scope="module")
def ontology(file_graphs: dict[str, Graph]) -> Graph:
    union = Graph()
    for g in file_graphs.values():
        union += g
    return union


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def test_there_are_ontology_files():
    assert TTL_FILES, "ontology/ holds no Turtle file"


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: p.name)
def test_file_parses(path: Path):
    assert len(Graph().parse(path, format="turtle")) > 0


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: p.name)
def test_file_opens_with_a_comment_banner(path: Path):
    assert path.read_text(encoding="utf-8").startswith("#"), f"{path.name} must open with a scope banner"


@pytest.mark.parametrize("name", [p.name for p in TTL_FILES])
def test_file_describes_itself(file_graphs: dict[str, Graph], name: str):
    g = file_graphs[name]
    headers = list(g.subjects(RDF.type, OWL.Ontology))
    assert len(headers) == 1, f"{name} must hold exactly one owl:Ontology, found {len(headers)}"
    header = headers[0]
    assert has_zh_en(g, header, DCTERMS.title), f"{name}: dct:title needs zh and en"
    assert has_zh_en(g, header, DCTERMS.description), f"{name}: dct:description needs zh and en"
    assert [str(v) for v in g.objects(header, OWL.versionInfo)] == [project_version()], (
        f"{name}: owl:versionInfo must equal pyproject's version {project_version()}"
    )
    assert g.value(header, DCTERMS.license) is not None, f"{name}: dct:license missing"


def test_file_headers_have_distinct_iris(file_graphs: dict[str, Graph]):
    iris = [s for g in file_graphs.values() for s in g.subjects(RDF.type, OWL.Ontology)]
    assert len(iris) == len(set(iris))


def test_core_file_is_the_gds_ontology(ontology: Graph):
    assert (CORE_ONTOLOGY, RDF.type, OWL.Ontology) in ontology


# --------------------------------------------------------------------------
# Terms
# --------------------------------------------------------------------------


def test_gds_terms_have_labels_and_definitions(ontology: Graph):
    terms = defined_terms(ontology)
    assert terms
    problems = []
    for term in sorted(terms):
        labels = by_lang(ontology, term, RDFS.label)
        if [len(labels.get(lang, [])) for lang in ("zh", "en")] != [1, 1]:
            problems.append(f"{curie(term)}: needs one rdfs:label in zh and one in en")
        if not has_zh_en(ontology, term, SKOS.definition):
            problems.append(f"{curie(term)}: needs skos:definition in zh and en")
        if ontology.value(term, RDFS.isDefinedBy) != CORE_ONTOLOGY:
            problems.append(f"{curie(term)}: rdfs:isDefinedBy must be {CORE_ONTOLOGY}")
    assert not problems, "\n".join(problems)


def test_every_gds_term_used_is_defined(ontology: Graph):
    used = {t for triple in ontology for t in triple if is_gds(t)}
    missing = sorted(curie(t) for t in used - defined_terms(ontology))
    assert not missing, f"used but not defined: {missing}"


def test_every_gds_term_is_defined_in_one_file(file_graphs: dict[str, Graph]):
    homes: dict[URIRef, list[str]] = defaultdict(list)
    for name, g in file_graphs.items():
        for term in defined_terms(g):
            homes[term].append(name)
    repeated = {curie(t): files for t, files in homes.items() if len(files) > 1}
    assert not repeated


def _gds_names_in(text: str) -> set[URIRef]:
    return {GDS[name] for name in re.findall(r"\bgds:([A-Za-z][A-Za-z0-9_]*)", text)}


def test_every_gds_term_of_the_model_is_defined(ontology: Graph):
    missing = sorted(curie(t) for t in _gds_names_in(MODEL.read_text(encoding="utf-8")) - defined_terms(ontology))
    assert not missing, f"MODEL.md names terms the ontology lacks: {missing}"


@pytest.mark.skipif(not DOMAIN.exists(), reason="the shared domain brief is not next to this checkout")
def test_every_gds_term_of_the_domain_brief_is_defined(ontology: Graph):
    missing = sorted(curie(t) for t in _gds_names_in(DOMAIN.read_text(encoding="utf-8")) - defined_terms(ontology))
    assert not missing, f"DOMAIN.md names terms the ontology lacks: {missing}"


def test_terms_from_closed_vocabularies_exist(ontology: Graph):
    unknown = set()
    for triple in ontology:
        for term in triple:
            if not isinstance(term, URIRef):
                continue
            for ns in CLOSED_NAMESPACES:
                if str(term).startswith(str(ns)) and term not in ns:
                    unknown.add(str(term))
    assert not unknown, f"not terms of their vocabulary (typo?): {sorted(unknown)}"


def test_gds_axiom_targets_have_the_right_kind(ontology: Graph):
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    properties = {s for t in PROPERTY_TYPES for s in ontology.subjects(RDF.type, t)}
    problems = []
    for predicate in (RDFS.domain, RDFS.range, RDFS.subClassOf, OWL.equivalentClass):
        for s, o in ontology.subject_objects(predicate):
            if is_gds(o) and o not in classes:
                problems.append(f"{s} {predicate} {o}: object is not an owl:Class")
    for predicate in (RDFS.subPropertyOf, OWL.inverseOf, OWL.onProperty):
        for s, o in ontology.subject_objects(predicate):
            if is_gds(o) and o not in properties:
                problems.append(f"{s} {predicate} {o}: object is not a property")
    assert not problems, "\n".join(problems)


def test_datatype_properties_have_no_class_range(ontology: Graph):
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        for rng in ontology.objects(prop, RDFS.range):
            assert str(rng).startswith(str(XSD)) or rng == RDFS.Literal, f"{prop} has range {rng}"


# --------------------------------------------------------------------------
# Concept schemes (the vocab contract)
# --------------------------------------------------------------------------


def concepts_in(g: Graph, scheme_name: str) -> set[URIRef]:
    return set(g.subjects(SKOS.inScheme, vocab.scheme(scheme_name)))


@pytest.mark.parametrize("scheme_name", sorted(vocab.SCHEMES))
def test_scheme_is_described(ontology: Graph, scheme_name: str):
    scheme = vocab.scheme(scheme_name)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
    assert has_zh_en(ontology, scheme, SKOS.prefLabel)
    assert has_zh_en(ontology, scheme, SKOS.definition)


@pytest.mark.parametrize("scheme_name", sorted(vocab.SCHEMES))
def test_scheme_holds_exactly_the_vocab_codes(ontology: Graph, scheme_name: str):
    expected = {vocab.concept(scheme_name, code) for code in vocab.SCHEMES[scheme_name]}
    found = concepts_in(ontology, scheme_name)
    assert found == expected, f"missing {sorted(expected - found)}, extra {sorted(found - expected)}"
    for code in vocab.SCHEMES[scheme_name]:
        concept = vocab.concept(scheme_name, code)
        assert (concept, RDF.type, SKOS.Concept) in ontology
        assert [str(n) for n in ontology.objects(concept, SKOS.notation)] == [code]


def test_no_concept_or_scheme_outside_the_vocab(ontology: Graph):
    schemes = {s for s in ontology.subjects(RDF.type, SKOS.ConceptScheme) if str(s).startswith(vocab.AUTHORITY)}
    assert schemes == {vocab.scheme(name) for name in vocab.SCHEMES}
    known = {vocab.concept(name, code) for name, codes in vocab.SCHEMES.items() for code in codes}
    authority_concepts = {c for c in ontology.subjects(RDF.type, SKOS.Concept) if str(c).startswith(vocab.AUTHORITY)}
    assert authority_concepts <= known, sorted(authority_concepts - known)
    for concept in authority_concepts:
        assert list(ontology.objects(concept, SKOS.inScheme)) == [vocab.scheme(scheme_of(concept))]


def test_concepts_have_labels_and_definitions(ontology: Graph):
    problems = []
    for concept in sorted(set(ontology.subjects(RDF.type, SKOS.Concept))):
        labels = by_lang(ontology, concept, SKOS.prefLabel)
        if [len(labels.get(lang, [])) for lang in ("zh", "en")] != [1, 1]:
            problems.append(f"{concept}: needs one skos:prefLabel in zh and one in en")
        if not has_zh_en(ontology, concept, SKOS.definition):
            problems.append(f"{concept}: needs skos:definition in zh and en")
        if ontology.value(concept, SKOS.inScheme) is None:
            problems.append(f"{concept}: no skos:inScheme")
        alt = {(str(v), v.language) for v in ontology.objects(concept, SKOS.altLabel)}
        pref = {(str(v), v.language) for v in ontology.objects(concept, SKOS.prefLabel)}
        if alt & pref:
            problems.append(f"{concept}: altLabel repeats prefLabel {alt & pref}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme_name", sorted(vocab.SCHEMES))
def test_scheme_hierarchy_is_consistent(ontology: Graph, scheme_name: str):
    scheme = vocab.scheme(scheme_name)
    concepts = concepts_in(ontology, scheme_name)
    tops = set(ontology.objects(scheme, SKOS.hasTopConcept))
    assert tops == set(ontology.subjects(SKOS.topConceptOf, scheme)), "hasTopConcept and topConceptOf disagree"
    assert tops, "a scheme needs top concepts"
    for concept in concepts:
        broader = set(ontology.objects(concept, SKOS.broader))
        assert (concept in tops) != bool(broader), f"{concept}: must be either a top concept or have a broader one"
        assert broader <= concepts, f"{concept}: broader concept outside its scheme"
        for parent in broader:
            assert (parent, SKOS.narrower, concept) in ontology, f"{parent} lacks skos:narrower {concept}"
        for child in ontology.objects(concept, SKOS.narrower):
            assert (child, SKOS.broader, concept) in ontology, f"{child} lacks skos:broader {concept}"


def test_collections_list_their_members_in_order(ontology: Graph):
    collections = set(ontology.subjects(RDF.type, SKOS.OrderedCollection))
    for collection in collections:
        members = set(ontology.objects(collection, SKOS.member))
        listed = list(ontology.items(ontology.value(collection, SKOS.memberList)))
        assert members == set(listed) and len(listed) == len(members)
        assert has_zh_en(ontology, collection, SKOS.prefLabel)
        assert len({ontology.value(m, SKOS.inScheme) for m in members}) == 1


def test_open_type_implications_link_grades_to_open_types(ontology: Graph):
    pairs = list(ontology.subject_objects(GDS.impliesOpenType))
    assert pairs
    for grade, open_type in pairs:
        assert grade in concepts_in(ontology, "security-grade")
        assert open_type in concepts_in(ontology, "open-type")


def test_basic_resources_are_typed(ontology: Graph):
    assert concepts_in(ontology, "basic-resource") == set(ontology.subjects(RDF.type, GDS.BasicResource))


# --------------------------------------------------------------------------
# Alignments
# --------------------------------------------------------------------------


def eu_matches(g: Graph, concept: URIRef, namespace: str) -> list[URIRef]:
    return [o for p in MATCHES for o in g.objects(concept, p) if str(o).startswith(namespace)]


@pytest.mark.parametrize(
    ("scheme_name", "namespace"),
    [("open-type", str(vocab.EU_ACCESS_RIGHT)), ("update-cycle", str(vocab.EU_FREQUENCY))],
)
def test_each_concept_maps_to_exactly_one_eu_code(ontology: Graph, scheme_name: str, namespace: str):
    for concept in concepts_in(ontology, scheme_name):
        assert len(eu_matches(ontology, concept, namespace)) == 1, concept


def test_open_type_mapping_follows_the_model(ontology: Graph):
    pairs = re.findall(r"([A-Z_]+_OPEN|NOT_OPEN)→([A-Z_]+)", MODEL.read_text(encoding="utf-8"))
    assert pairs, "MODEL.md no longer states the open-type mapping"
    for code, access_right in pairs:
        concept = vocab.concept("open-type", code)
        assert eu_matches(ontology, concept, str(vocab.EU_ACCESS_RIGHT)) == [vocab.EU_ACCESS_RIGHT[access_right]]


def test_on_demand_updates_are_sent_as_irregular(ontology: Graph):
    on_demand = vocab.concept("update-cycle", "ON_DEMAND")
    assert list(ontology.objects(on_demand, SKOS.closeMatch)) == [vocab.EU_FREQUENCY.IRREG]


def test_sharing_types_are_not_mapped_to_public_access(ontology: Graph):
    for concept in concepts_in(ontology, "sharing-type"):
        for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch):
            assert not any(str(o).startswith(str(vocab.EU_ACCESS_RIGHT)) for o in ontology.objects(concept, p))


# --------------------------------------------------------------------------
# Legislation
# --------------------------------------------------------------------------

REGULATION_KEYS = {URIRef(iri): key for key, iri in vocab.REGULATIONS.items()}


@pytest.mark.parametrize("key", sorted(vocab.REGULATIONS))
def test_regulation_is_described(ontology: Graph, key: str):
    reg = vocab.regulation(key)
    assert (reg, RDF.type, ELI.LegalResource) in ontology
    assert has_zh_en(ontology, reg, ELI.title)
    assert has_zh_en(ontology, reg, DCTERMS.description)
    issuers = list(ontology.objects(reg, ELI.passed_by))
    assert issuers, "eli:passed_by missing"
    for issuer in issuers:
        ask = "ASK { ?issuer a/rdfs:subClassOf* org:Organization }"
        is_org = ontology.query(ask, initNs={"rdfs": RDFS, "org": ORG}, initBindings={"issuer": issuer})
        assert is_org.askAnswer, f"{issuer} is not an org:Organization"
        assert has_zh_en(ontology, issuer, SKOS.prefLabel)
    assert list(ontology.objects(reg, ELI.has_part)), "a regulation needs its articles"


@pytest.mark.parametrize("key", sorted(vocab.REGULATIONS))
def test_regulation_jurisdiction_follows_the_vocab(ontology: Graph, key: str):
    governs = list(ontology.objects(vocab.regulation(key), GDS.jurisdiction))
    if key in vocab.JURISDICTIONS:
        assert governs == [vocab.jurisdiction(vocab.JURISDICTIONS[key])]
    else:
        assert governs == [], "national rules apply everywhere and carry no gds:jurisdiction"


def test_articles_are_well_formed(ontology: Graph):
    articles = set(ontology.subjects(RDF.type, ELI.LegalResourceSubdivision))
    assert articles
    problems = []
    for art in sorted(articles):
        parents = list(ontology.objects(art, ELI.is_part_of))
        if len(parents) != 1 or parents[0] not in REGULATION_KEYS:
            problems.append(f"{art}: must be part of one known regulation")
            continue
        number = ontology.value(art, ELI.number)
        order = ontology.value(art, GDS.order)
        if number is None or order is None or order.datatype != XSD.integer or str(order.toPython()) != str(number):
            problems.append(f"{art}: eli:number and gds:order (xsd:integer) must agree")
        elif art != vocab.article(REGULATION_KEYS[parents[0]], str(number)):
            problems.append(f"{art}: IRI differs from vocab.article()")
        if (parents[0], ELI.has_part, art) not in ontology:
            problems.append(f"{art}: its regulation lacks eli:has_part")
        if ontology.value(art, ELI.type_subdivision) is None:
            problems.append(f"{art}: eli:type_subdivision missing")
        if not has_zh_en(ontology, art, DCTERMS.description):
            problems.append(f"{art}: needs a dct:description summary in zh and en")
        if (art, GDS.text, None) in ontology:
            problems.append(f"{art}: the ontology holds no article text (the loader adds gds:text)")
    for reg, part in ontology.subject_objects(ELI.has_part):
        if part not in articles or (part, ELI.is_part_of, reg) not in ontology:
            problems.append(f"{reg} eli:has_part {part}: not a subdivision pointing back")
    assert not problems, "\n".join(problems)


# Guofa [2016] 51 is described only by the articles the shapes cite, so it has gaps.
@pytest.mark.parametrize("key", sorted(k for k in vocab.REGULATIONS if k != "cn-guofa-2016-51"))
def test_article_numbers_are_contiguous(ontology: Graph, key: str):
    numbers = sorted(int(ontology.value(a, GDS.order)) for a in ontology.objects(vocab.regulation(key), ELI.has_part))
    assert numbers == list(range(numbers[0], numbers[-1] + 1))


def test_every_govkg_eli_iri_is_described(ontology: Graph):
    described = set(ontology.subjects(RDF.type, ELI.LegalResource)) | set(
        ontology.subjects(RDF.type, ELI.LegalResourceSubdivision)
    )
    used = {t for triple in ontology for t in triple if isinstance(t, URIRef) and str(t).startswith(vocab.ELI_BASE)}
    assert used <= described, sorted(used - described)


def _shingles(text: str, size: int = 8) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.skipif(not (SHARED / "regulations").is_dir(), reason="the shared regulation texts are not available")
def test_article_summaries_are_not_copied_from_the_texts(ontology: Graph):
    source = set()
    for path in (SHARED / "regulations").glob("*.en.txt"):
        source |= _shingles(path.read_text(encoding="utf-8"))
    assert source
    for subject, description in ontology.subject_objects(DCTERMS.description):
        if isinstance(description, Literal) and description.language == "en":
            copied = _shingles(str(description)) & source
            assert not copied, f"{subject} repeats the regulation text: {sorted(copied)[:3]}"


REGULATION_TEXTS = sorted((SHARED / "regulations").glob("*.txt")) if (SHARED / "regulations").is_dir() else []


def _loader_case(path: Path):
    return pytest.param(path, id=path.name)


@pytest.mark.parametrize("path", [_loader_case(p) for p in REGULATION_TEXTS])
def test_ontology_and_regulation_loader_agree_on_articles(ontology: Graph, path: Path):
    regulations = pytest.importorskip("loaders.regulations")
    loaded = regulations.regulation_graph(path)
    articles = set(loaded.subjects(RDF.type, ELI.LegalResourceSubdivision))
    assert articles
    for art in articles:
        assert (art, RDF.type, ELI.LegalResourceSubdivision) in ontology, f"{art} is not in legislation.ttl"
        for p in (ELI.is_part_of, ELI.number, ELI.type_subdivision, GDS.order):
            assert set(loaded.objects(art, p)) == set(ontology.objects(art, p)), f"{art} {p}"


# --------------------------------------------------------------------------
# Jurisdictions
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "code"), sorted(vocab.JURISDICTIONS.items()))
def test_top_jurisdiction_is_described(ontology: Graph, key: str, code: str):
    jur = vocab.jurisdiction(code)
    assert (jur, RDF.type, GDS.Jurisdiction) in ontology
    assert [str(n) for n in ontology.objects(jur, SKOS.notation)] == [code]
    assert has_zh_en(ontology, jur, SKOS.prefLabel)


def test_jurisdictions_are_consistent(ontology: Graph):
    jurisdictions = set(ontology.subjects(RDF.type, GDS.Jurisdiction))
    levels = concepts_in(ontology, "admin-level")
    roots = [j for j in jurisdictions if ontology.value(j, GDS.partOfJurisdiction) is None]
    assert len(roots) == 1, "exactly one jurisdiction (the State) encloses all others"
    for jur in jurisdictions:
        assert jur == vocab.jurisdiction(str(ontology.value(jur, SKOS.notation)))
        assert ontology.value(jur, GDS.adminLevel) in levels
        gov = ontology.value(jur, GDS.government)
        assert (gov, RDF.type, GDS.PeoplesGovernment) in ontology and ontology.value(gov, GDS.jurisdiction) == jur
        if jur not in roots:
            ask = "ASK { ?j gds:partOfJurisdiction+ ?root }"
            assert ontology.query(ask, initNs={"gds": GDS}, initBindings={"j": jur, "root": roots[0]}).askAnswer


# --------------------------------------------------------------------------
# Reasoning (owlrl)
# --------------------------------------------------------------------------

SAMPLE = """
@prefix ex:   <https://example.org/> .
@prefix gds:  <https://w3id.org/govkg/def#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix dpv:  <https://w3id.org/dpv#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix auth: <https://w3id.org/govkg/authority/> .

ex:bureau org:subOrganizationOf ex:department .
ex:department org:subOrganizationOf ex:government .

ex:city-platform a gds:Platform ;
    gds:platformType <https://w3id.org/govkg/authority/platform-type/SHARING_PLATFORM> ;
    gds:connectsTo ex:province-platform ;
    gds:interconnectedWith ex:state-platform .
ex:channel gds:platformType <https://w3id.org/govkg/authority/platform-type/UNIFIED_CHANNEL> .

ex:catalog a dcat:Catalog ;
    gds:catalogType <https://w3id.org/govkg/authority/catalog-type/SHARING_CATALOG> ;
    gds:resourceAttribute <https://w3id.org/govkg/authority/resource-attribute/BASIC> ;
    gds:basicResource <https://w3id.org/govkg/authority/basic-resource/POPULATION> ;
    gds:leadDepartment ex:department ;
    dcat:dataset ex:dataset .

ex:dataset a dcat:Dataset ;
    dct:publisher ex:department ;
    gds:sharingType <https://w3id.org/govkg/authority/sharing-type/CONDITIONAL> ;
    gds:sharingCondition "only for tax offices"@en ;
    gds:sharingMode <https://w3id.org/govkg/authority/sharing-mode/PLATFORM> ;
    gds:openType <https://w3id.org/govkg/authority/open-type/NOT_OPEN> ;
    gds:nonSharingReason "personal data"@en ;
    gds:reasonType <https://w3id.org/govkg/authority/non-sharing-reason/SENSITIVE_INFORMATION> ;
    gds:updateCycle <https://w3id.org/govkg/authority/update-cycle/DAILY> ;
    gds:updateTimeLimit "P1D"^^xsd:duration ;
    gds:resourceForm <https://w3id.org/govkg/authority/resource-form/API> ;
    gds:securityGrade <https://w3id.org/govkg/authority/security-grade/L2> ;
    gds:secrecy <https://w3id.org/govkg/authority/secrecy/NON_CLASSIFIED> ;
    gds:basicResource <https://w3id.org/govkg/authority/basic-resource/POPULATION> ;
    gds:classificationCode "1010001" ;
    gds:dataCategory dpv:PersonalData ;
    gds:medium gds:Electronic ;
    gds:hasDataItem ex:item .

ex:item gds:dataType "string" ;
    gds:sharingType <https://w3id.org/govkg/authority/sharing-type/UNCONDITIONAL> ;
    gds:openType <https://w3id.org/govkg/authority/open-type/NOT_OPEN> ;
    gds:dataElement ex:citizen-id ;
    gds:authoritativeSource ex:department .

ex:system a gds:InformationSystem ;
    gds:adminLevel <https://w3id.org/govkg/authority/admin-level/MUNICIPAL> ;
    gds:connectsTo ex:city-platform ;
    gds:runsOn ex:city-cloud ;
    gds:secrecy <https://w3id.org/govkg/authority/secrecy/NON_CLASSIFIED> .

ex:project a gds:DigitalProject ;
    gds:approvalStatus "approved" ;
    gds:buildsPrivateNetwork true ;
    gds:consentBy ex:department .
"""

EX = "https://example.org/"


@pytest.fixture(scope="module")
def closure(ontology: Graph) -> Graph:
    g = Graph()
    g += ontology
    g.parse(data=SAMPLE, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return g


def ex(name: str) -> URIRef:
    return URIRef(EX + name)


def test_reasoner_finds_no_inconsistency(closure: Graph):
    errors = [str(closure.value(s, None)) for s in closure.subjects(RDF.type, OWLRL_ERROR)]
    assert not errors, errors


def test_within_organization_is_transitive(closure: Graph):
    assert (ex("bureau"), GDS.withinOrganization, ex("government")) in closure


def test_part_of_jurisdiction_is_transitive(closure: Graph):
    guiyang = vocab.jurisdiction(vocab.JURISDICTIONS["guiyang"])
    state = next(
        j for j in closure.subjects(RDF.type, GDS.Jurisdiction) if (j, GDS.partOfJurisdiction, None) not in closure
    )
    assert (guiyang, GDS.partOfJurisdiction, state) in closure


def test_platform_is_a_data_service(closure: Graph):
    assert (ex("city-platform"), RDF.type, DCAT.DataService) in closure
    assert (ex("city-cloud"), RDF.type, DCAT.DataService) in closure


def test_connects_to_has_an_inverse(closure: Graph):
    assert (ex("province-platform"), GDS.connectedFrom, ex("city-platform")) in closure
    assert (ex("city-platform"), GDS.connectedFrom, ex("system")) in closure


def test_interconnection_is_symmetric(closure: Graph):
    assert (ex("state-platform"), GDS.interconnectedWith, ex("city-platform")) in closure


def test_platform_type_classifies_platforms(closure: Graph):
    assert (ex("city-platform"), RDF.type, GDS.SharingPlatform) in closure
    assert (ex("channel"), RDF.type, GDS.SharingChannel) in closure
    assert (ex("channel"), RDF.type, DCAT.DataService) in closure


def test_lead_department_counts_as_contributor(closure: Graph):
    assert (ex("catalog"), DCTERMS.contributor, ex("department")) in closure


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dataset", {DCAT.Dataset}),
        ("catalog", {DCAT.Catalog}),
        ("item", {GDS.DataItem}),
        ("system", {GDS.InformationSystem}),
        ("project", {GDS.DigitalProject, FOAF.Project}),
        ("citizen-id", {GDS.DataElement, SKOS.Concept}),
    ],
)
def test_domains_and_ranges_infer_no_stray_types(closure: Graph, name: str, expected: set[URIRef]):
    types = {t for t in closure.objects(ex(name), RDF.type) if not isinstance(t, Literal)} - {OWL.Thing, RDFS.Resource}
    assert types == expected


def test_concepts_keep_their_types_under_reasoning(closure: Graph):
    allowed = {SKOS.Concept, GDS.BasicResource, OWL.Thing, RDFS.Resource}
    for name, codes in vocab.SCHEMES.items():
        for code in codes:
            concept = vocab.concept(name, code)
            stray = set(closure.objects(concept, RDF.type)) - allowed
            assert not stray, f"{concept} inferred as {stray}"


# --------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------


def readme_sections() -> dict[str, list[list[str]]]:
    """Table rows (as lists of cell texts) under each ``## `` heading of the README."""
    sections: dict[str, list[list[str]]] = defaultdict(list)
    heading = ""
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
        elif line.startswith("|") and not re.match(r"^\|\s*-", line):
            sections[heading].append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return sections


def unquote(cell: str) -> str:
    return cell.strip().strip("`")


def table(section: str) -> list[dict[str, str]]:
    rows = readme_sections()[section]
    assert rows, f"README has no table under '## {section}'"
    header = [h.lower() for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_readme_lists_exactly_the_files():
    listed = {unquote(row["file"]) for row in table("Files")}
    assert listed == {p.name for p in TTL_FILES}


def test_readme_lists_exactly_the_terms(file_graphs: dict[str, Graph]):
    rows = {unquote(row["term"]): row for row in table("Terms")}
    actual = {curie(t): (name, g) for name, g in file_graphs.items() for t in defined_terms(g)}
    assert set(rows) == set(actual), (
        f"missing {sorted(set(actual) - set(rows))}, extra {sorted(set(rows) - set(actual))}"
    )
    for term, (name, g) in actual.items():
        row = rows[term]
        assert unquote(row["file"]) == name, term
        labels = by_lang(g, GDS[term[4:]], RDFS.label)
        assert [row["label (en)"]] == labels["en"], term
        assert [row["label (zh)"]] == labels["zh"], term


def test_readme_lists_every_scheme_with_its_codes(ontology: Graph):
    rows = {unquote(row["scheme"]): row for row in table("Concept schemes")}
    assert set(rows) == set(vocab.SCHEMES)
    for name, row in rows.items():
        listed = set(re.findall(r"`([A-Z0-9_]+)`", row["codes"]))
        in_ontology = {str(ontology.value(c, SKOS.notation)) for c in concepts_in(ontology, name)}
        assert listed == in_ontology, name
