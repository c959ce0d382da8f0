"""shapes/README.md is true of the shapes, and the shapes are complete and cite real articles.

* the rule table lists every rule id of the shapes once, with exactly its node shapes,
  the articles its shapes cite and their severities, and a folder of cases holding a
  valid and an invalid case;
* every rule of DOMAIN.md part A (R1-R35) is either encoded or named in the README's
  list of rules not encoded;
* every shape cites (``dct:source``) an article that exists: for the four regional texts
  as the regulations loader reads it from ../shared/regulations, for the two national
  texts (which have no text there) in ontology/legislation.ttl;
* every shape that reports has a rule id, a severity and a message in zh and in en;
* each code-list shape (CV-*) holds exactly the codes of its scheme in ``govkg.vocab``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF

from govkg import vocab
from govkg.validate.run import load_shapes
from govkg.vocab import ELI, SH
from loaders.regulations import regulation_graph

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "shapes" / "README.md"
SHAPES_BASE = "https://w3id.org/govkg/shapes/"
REGIONAL = ("guiyang", "zhejiang", "liaoning", "shanxi")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes().graph


@pytest.fixture(scope="module")
def table() -> dict[str, dict[str, set[str]]]:
    """rule id -> {shapes, articles, severities, cases} from the README's rule table."""
    rows: dict[str, dict[str, set[str]]] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not re.fullmatch(r"(R\d+(-[A-Z]{2})?|CV-[a-z-]+)", cells[0]):
            continue
        rule = cells[0]
        assert rule not in rows, f"README lists {rule} twice"
        rows[rule] = {
            "shapes": {SHAPES_BASE + s for s in re.findall(r"`([a-z]+#\w+)`", cells[1])},
            "articles": set(re.findall(r"\]\((https://[^)]+)\)", cells[2])),
            "severities": {s.strip() for s in cells[3].split(",")},
            "cases": set(re.findall(r"\]\(([^)]+)\)", cells[4])),
        }
    return rows


def rule_shapes(shapes: Graph) -> dict[str, set[URIRef]]:
    """rule id -> every shape (node or property) carrying it."""
    out: dict[str, set[URIRef]] = {}
    for s, rid in shapes.subject_objects(DCTERMS.identifier):
        if (s, RDF.type, OWL.Ontology) not in shapes:
            out.setdefault(str(rid), set()).add(s)  # type: ignore[arg-type]
    return out


def test_every_rule_id_has_exactly_one_row(shapes: Graph, table: dict[str, dict[str, set[str]]]) -> None:
    assert set(table) == set(rule_shapes(shapes))


def test_rows_match_the_shapes(shapes: Graph, table: dict[str, dict[str, set[str]]]) -> None:
    for rule, members in rule_shapes(shapes).items():
        row = table[rule]
        nodes = {str(s) for s in members if (s, RDF.type, SH.NodeShape) in shapes}
        assert row["shapes"] == nodes, f"{rule}: README shapes differ from the node shapes with this id"
        articles = {str(shapes.value(s, DCTERMS.source)) for s in members}
        assert row["articles"] == articles, f"{rule}: README articles differ from the shapes' dct:source"
        severities = {str(shapes.value(s, SH.severity)).rsplit("#", 1)[1] for s in members}
        assert row["severities"] == severities, f"{rule}: README severities differ"


def test_rows_link_existing_case_folders(table: dict[str, dict[str, set[str]]]) -> None:
    for rule, row in table.items():
        assert row["cases"] == {f"../tests/shapes/cases/{rule}/"}, f"{rule}: link its case folder"
        folder = (README.parent / next(iter(row["cases"]))).resolve()
        kinds = {p.name.split("-", 1)[0] for p in folder.glob("*.ttl")}
        assert kinds == {"valid", "invalid"}, f"{rule}: {folder} needs valid-*.ttl and invalid-*.ttl cases"


def test_every_domain_rule_is_encoded_or_explained(shapes: Graph) -> None:
    text = README.read_text(encoding="utf-8")
    not_encoded = text.split("## Rules of DOMAIN.md part A that are not encoded", 1)[1].split("\n## ", 1)[0]
    encoded = {re.match(r"R\d+", r).group(0) for r in rule_shapes(shapes) if r.startswith("R")}  # type: ignore[union-attr]
    for n in range(1, 36):
        assert f"R{n}" in encoded or f"**R{n}**" in not_encoded, f"R{n}: neither encoded nor explained"
    for n in (14, 35):
        assert f"R{n}" not in encoded and f"**R{n}**" in not_encoded


@pytest.fixture(scope="module")
def articles(shared_dir: Path) -> tuple[set[str], set[str]]:
    """(articles the loader reads from the regional texts, national articles in legislation.ttl)."""
    regional: set[str] = set()
    for path in sorted((shared_dir / "regulations").glob("*.txt")):
        g = regulation_graph(path)
        regional |= {str(a) for a in g.subjects(RDF.type, ELI.LegalResourceSubdivision)}
    legislation = Graph().parse(ROOT / "ontology" / "legislation.ttl", format="turtle")
    national = {
        str(a)
        for a in legislation.subjects(RDF.type, ELI.LegalResourceSubdivision)
        if not any(str(a).startswith(vocab.REGULATIONS[k] + "/") for k in REGIONAL)
    }
    return regional, national


def test_every_shape_cites_an_existing_article(shapes: Graph, articles: tuple[set[str], set[str]]) -> None:
    regional, national = articles
    assert len(regional) >= 40  # GY 1-13, ZJ 1-12, LN 3-15, SX 1-12
    constraint_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.path, None))
    for s in constraint_shapes:
        if not isinstance(s, URIRef):
            continue  # anonymous parts of a path or target
        src = shapes.value(s, DCTERMS.source)
        assert src is not None, f"{s} has no dct:source"
        is_regional = any(str(src).startswith(vocab.REGULATIONS[k] + "/") for k in REGIONAL)
        known = regional if is_regional else national
        assert str(src) in known, f"{s} cites {src}, which is no article of the regulations graph"


def test_every_reporting_shape_is_complete(shapes: Graph) -> None:
    for rule, members in rule_shapes(shapes).items():
        for s in members:
            assert shapes.value(s, SH.severity) in (SH.Violation, SH.Warning, SH.Info), f"{s} ({rule}): severity"
            langs = {m.language for m in shapes.objects(s, SH.message) if isinstance(m, Literal)}
            assert {"zh", "en"} <= langs, f"{s} ({rule}): sh:message in zh and en"
            names = {m.language for m in shapes.objects(s, SH.name) if isinstance(m, Literal)}
            assert {"zh", "en"} <= names, f"{s} ({rule}): sh:name in zh and en"
    # and a shape that reports but has no rule id would give anonymous findings
    for s in shapes.subjects(SH.severity, None):
        assert shapes.value(s, DCTERMS.identifier) is not None, f"{s} reports without a rule id"


def test_code_list_shapes_hold_exactly_the_scheme_codes(shapes: Graph) -> None:
    """Each CV-* list (vocabularies.ttl) is exactly the codes of its scheme in govkg.vocab.SCHEMES."""
    checked = set()
    for s, rid in shapes.subject_objects(DCTERMS.identifier):
        lst = shapes.value(s, SH["in"])
        if not str(rid).startswith("CV-") or lst is None:
            continue
        values = {str(v) for v in Collection(shapes, lst)}
        schemes = {v[len(vocab.AUTHORITY) :].split("/", 1)[0] for v in values}
        assert len(schemes) == 1, f"{s}: codes of several schemes {schemes}"
        scheme = schemes.pop()
        assert values == {str(vocab.concept(scheme, c)) for c in vocab.SCHEMES[scheme]}, f"{s} vs scheme {scheme}"
        checked.add(scheme)
    assert len(checked) == 10
