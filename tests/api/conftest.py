"""Fixtures of the query-library and API tests.

One small demo graph per session (``govkg.load_demo.load_demo`` into a temporary store), two
harvests of a tiny DCAT file (so that a harvest run changed something) and one stored
validation run with the two shapes of ``data/shapes.ttl``.  ``Facts`` indexes every public
quad of that store in plain Python, so expectations are computed without SPARQL; the
demo's ``Manifest`` says what was planted.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from govkg.config import Config
from govkg.demo import Manifest
from govkg.load_demo import load_demo
from govkg.queries import QueryLibrary
from govkg.store.oxigraph import OxigraphStore
from govkg.validate.run import RunReport, load_shapes, validate_store
from loaders.harvest import HarvestReport, harvest

DATA = Path(__file__).resolve().parent / "data"
DEMO_DATASETS = 400
DEMO_SEED = 42
HARVEST_PREFIX = "https://example.org/harvested/"


def term(t: object) -> object:
    """IRIs as str, literals as pyoxigraph literals, blank nodes as ``_:id``."""
    if isinstance(t, ox.NamedNode):
        return t.value
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    return t


class Facts:
    """Every public triple of the store (deduplicated across graphs), indexed both ways."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.sp: dict[tuple[object, str], set[object]] = defaultdict(set)
        self.po: dict[tuple[str, object], set[object]] = defaultdict(set)
        self.graph_of: dict[object, set[str]] = defaultdict(set)  # subject -> graphs that describe it
        for q in quads:
            s, p, o = term(q.subject), q.predicate.value, term(q.object)
            self.sp[(s, p)].add(o)
            self.po[(p, o)].add(s)
            self.graph_of[s].add(q.graph_name.value)  # type: ignore[union-attr]

    def objs(self, s: object, p: str) -> set[object]:
        return self.sp.get((s, p), set())

    def obj(self, s: object, p: str) -> object | None:
        values = self.objs(s, p)
        return next(iter(values)) if len(values) == 1 else None

    def subjs(self, p: str, o: object) -> set[object]:
        return self.po.get((p, o), set())

    def of_type(self, cls: str) -> set[object]:
        return self.subjs(RDF_TYPE, cls)

    def ancestors(self, jurisdiction: object) -> set[object]:
        """The jurisdiction and every one it is part of."""
        out, todo = set(), [jurisdiction]
        while todo:
            j = todo.pop()
            if j not in out:
                out.add(j)
                todo.extend(self.objs(j, GDS + "partOfJurisdiction"))
        return out

    def under(self, agency: object, jurisdiction: object | None) -> bool:
        """True if the agency's jurisdiction is ``jurisdiction`` or below it (None: always)."""
        if jurisdiction is None:
            return True
        return any(jurisdiction in self.ancestors(j) for j in self.objs(agency, GDS + "jurisdiction"))

    def tops(self) -> set[object]:
        """The regulated jurisdictions: those a legal resource governs."""
        return {j for r in self.of_type(ELI + "LegalResource") for j in self.objs(r, GDS + "jurisdiction")}


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
GDS = "https://w3id.org/govkg/def#"
ELI = "http://data.europa.eu/eli/ontology#"


@dataclass
class DemoWorld:
    path: Path
    manifest: Manifest
    harvests: list[HarvestReport]
    harvested_file: Path
    validation: RunReport
    facts: Facts

    def planted(self, rule: str) -> set[str]:
        return {f for r, f in self.manifest.planted if r == rule}

    def decoys(self, rule: str) -> set[str]:
        return {f for r, f in self.manifest.decoys if r == rule}

    @contextmanager
    def snapshot(self) -> Iterator[object]:
        store = OxigraphStore(self.path, create=False)
        try:
            with store.snapshot() as snap:
                yield snap
        finally:
            store.close()


def _catalogue(path: Path, datasets: dict[int, str]) -> None:
    lines = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        f"<{HARVEST_PREFIX}catalog> a dcat:Catalog ; dct:title \"A harvested catalogue\"@en .",
    ]
    for n, title in datasets.items():
        ds = f"<{HARVEST_PREFIX}dataset/{n}>"
        lines.append(f'{ds} a dcat:Dataset ; dct:title "{title}"@en ; dct:description "{title}, described"@en .')
        lines.append(f"<{HARVEST_PREFIX}catalog> dcat:dataset {ds} .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoWorld]:
    base = tmp_path_factory.mktemp("api-demo")
    path = base / "store"
    store = OxigraphStore(path)
    try:
        result = load_demo(store, datasets=DEMO_DATASETS, seed=DEMO_SEED, workdir=base)
        source = base / "platform-catalogue.ttl"
        _catalogue(source, {1: "Bus stops", 2: "Parking lots", 3: "Public toilets"})
        first = harvest(store, str(source))
        time.sleep(1.1)  # the harvest-changes query tells runs apart by their times, to the second
        _catalogue(source, {1: "Bus stops", 2: "Parking lots (revised)", 4: "Charging stations"})
        second = harvest(store, str(source))
        report = validate_store(store, shapes=load_shapes(shapes_dir=DATA))
        with store.snapshot() as snap:
            facts = Facts(q for g in snap.public_graphs() for q in snap.quads(graph=g))
    finally:
        store.close()
    yield DemoWorld(path, result.manifest, [first, second], source, report, facts)


@pytest.fixture(scope="session")
def library() -> QueryLibrary:
    return QueryLibrary.from_folder()


@pytest.fixture(scope="session")
def app(demo: DemoWorld) -> Iterator[object]:
    from server import sparql
    from server.app import create_app

    application = create_app(Config(store=demo.path, query_workers=2))
    application.config.update(TESTING=True)
    try:
        yield application
    finally:
        sparql.close(application)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()
