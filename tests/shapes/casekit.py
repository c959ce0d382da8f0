"""Reading and running the data-driven shape cases of tests/shapes/cases/.

A case is a small Turtle file ``cases/<rule id>/{valid,invalid}-<what>.ttl``.  It is
parsed after ``prefixes.ttl`` (so it declares no prefixes of its own) and loaded with
``background.ttl`` into a fresh store.  Its comment header says what validation finds:

* ``# expect: <rule id> <focus>``: one finding, the rule id (the ``dct:identifier`` of
  the shape) and the focus node as a prefixed name or ``<IRI>``; a valid case has none,
  an invalid case at least one, and the set is exact (nothing else may be found);
* ``# as-of: YYYY-MM-DD``: the day the validation is run for (default :data:`AS_OF`),
  which decides whether an unadjusted trigger is already overdue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from govkg.rdfterms import from_rdflib_graph
from govkg.store.base import Snapshot, Store
from govkg.validate.data_view import DataView
from govkg.validate.engine import Finding, run_compiled, run_pyshacl
from govkg.validate.run import ShapesBundle, validate_store

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
PREFIXES = HERE / "prefixes.ttl"
BACKGROUND = HERE / "background.ttl"
AS_OF = dt.date(2026, 6, 30)
SOURCE_GRAPH = ox.NamedNode("https://w3id.org/govkg/graph/source/shape-tests")

_EXPECT = re.compile(r"^#\s*expect:\s*(\S+)\s+(\S+)\s*$")
_AS_OF = re.compile(r"^#\s*as-of:\s*(\d{4}-\d{2}-\d{2})\s*$")

Expectation = tuple[str, str]  # (rule id, focus IRI)


class CaseError(ValueError):
    """A case file that does not follow the conventions above."""


@dataclass(frozen=True)
class Case:
    path: Path
    rule: str  # the folder: the rule id the case is about
    valid: bool
    graph: Graph
    expected: frozenset[Expectation]
    as_of: dt.date

    @property
    def name(self) -> str:
        return f"{self.rule}/{self.path.stem}"


def parse_turtle(path: Path) -> Graph:
    """A case or background file, read after the shared prefixes."""
    text = PREFIXES.read_text(encoding="utf-8") + "\n" + path.read_text(encoding="utf-8")
    try:
        return Graph().parse(data=text, format="turtle", publicID=path.as_uri())
    except Exception as e:  # rdflib raises several parser exception types
        raise CaseError(f"{path}: not valid Turtle: {e}") from e


def _expand(g: Graph, token: str, path: Path, line: int) -> str:
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    prefix, sep, local = token.partition(":")
    namespaces = dict(g.namespaces())
    if not sep or prefix not in namespaces:
        raise CaseError(f"{path}:{line}: focus {token!r} is neither <IRI> nor a known prefixed name")
    return str(namespaces[prefix]) + local


def read_case(path: Path) -> Case:
    rule = path.parent.name
    stem = path.stem
    if not (stem.startswith("valid-") or stem.startswith("invalid-")):
        raise CaseError(f"{path}: a case file is named valid-*.ttl or invalid-*.ttl")
    g = parse_turtle(path)
    expected: set[Expectation] = set()
    as_of = AS_OF
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if m := _EXPECT.match(line):
            expected.add((m.group(1), _expand(g, m.group(2), path, n)))
        elif m := _AS_OF.match(line):
            as_of = dt.date.fromisoformat(m.group(1))
        elif line.startswith("# expect") or line.startswith("# as-of"):
            raise CaseError(f"{path}:{n}: malformed header line {line!r}")
    valid = stem.startswith("valid-")
    if valid and expected:
        raise CaseError(f"{path}: a valid case expects no finding")
    if not valid and not expected:
        raise CaseError(f"{path}: an invalid case declares its findings with '# expect: <rule> <focus>'")
    return Case(path, rule, valid, g, frozenset(expected), as_of)


def all_cases() -> list[Path]:
    return sorted(CASES.glob("*/*.ttl"))


def rule_of(shapes: Graph, shape: Node, node_shape: Node | None = None) -> str | None:
    for s in (shape, node_shape):
        if s is not None:
            rid = shapes.value(s, DCTERMS.identifier)
            if rid is not None:
                return str(rid)
    return None


def load(store: Store, case: Case) -> None:
    """Background and case into the store's source graph."""
    data = parse_turtle(BACKGROUND) + case.graph
    with store.transaction() as tx:
        tx.add(from_rdflib_graph(data, SOURCE_GRAPH))


def as_pairs(shapes: Graph, findings: list[Finding]) -> set[Expectation]:
    pairs = set()
    for f in findings:
        rid = rule_of(shapes, f.shape, f.node_shape)
        pairs.add((rid or f"(no rule id on {f.shape})", str(f.focus)))
    return pairs


_TRANSLATED: dict[tuple[object, ...], Query] = {}


@contextmanager
def reused_sparql_translations() -> Iterator[None]:
    """Parse and translate each SPARQL text pyshacl runs once per test session.

    pyshacl hands rdflib the same target and constraint queries on every run, and
    rdflib's pyparsing-based parser takes 90 % of a small validation.  A translated query
    is what ``rdflib.plugins.sparql.prepareQuery`` returns, which rdflib evaluates as often
    as asked; this only saves the parsing, the evaluation is unchanged."""
    original = SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803, ANN001, ANN202
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if key not in _TRANSLATED:
                _TRANSLATED[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = _TRANSLATED[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]


def run_both(store: Store, case: Case, bundle: ShapesBundle) -> tuple[set[Expectation], set[Expectation]]:
    """(compiled engine on the store, pyshacl on the same data with the same derived facts)."""
    report = validate_store(store, as_of=case.as_of, shapes=bundle, store_report=False)
    compiled = as_pairs(bundle.graph, [r.finding for r in report.results])
    with store.snapshot() as snap:  # source and derived graph, after the run derived the deadlines
        data = snap.rdflib_graph()
    with reused_sparql_translations():
        reference = as_pairs(bundle.graph, run_pyshacl(data, bundle.graph))
    return compiled, reference


def describe(pairs: set[Expectation]) -> str:
    return "\n".join(f"  {r} {f}" for r, f in sorted(pairs)) or "  (none)"


def every_node(snap: Snapshot) -> list[URIRef]:
    """Every IRI in subject or object position of the graph validation reads."""
    nodes: set[str] = set()
    for q in snap.quads():
        if q.graph_name in snap.public_graphs():  # type: ignore[operator]
            nodes |= {t.value for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
    return sorted(URIRef(n) for n in nodes)


def full_and_focused(store: Store, bundle: ShapesBundle, chunk: int = 5000) -> tuple[set[object], set[object]]:
    """The compiled checks' findings over the whole graph, and the union of their findings
    in focus mode over every node of the graph, ``chunk`` nodes at a time (run after a
    validation, so that the derived graph is in place)."""
    with store.snapshot() as snap:
        data = DataView(snap)
        full = {f.key() for f in run_compiled(data, bundle.checks)}
        nodes = every_node(data)
        focused: set[object] = set()
        for i in range(0, len(nodes), chunk):
            focused |= {f.key() for f in run_compiled(data, bundle.checks, focus=nodes[i : i + chunk])}
    return full, focused
