"""Fixtures for the site tests: one demo store per session, with validation runs of our own.

The findings the tests rely on are written here as validation-run graphs (the shapes are
written elsewhere and change), so each test knows exactly what the site must show."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from sitekit import BASE, DCAT, DCT, GDS, HOSTILE, HOSTILE_TITLE, PROV, RDF_TYPE, SH, SHAPE, XSD_DT, N, Site
from werkzeug.serving import make_server

from govkg.config import Config
from govkg.load_demo import load_demo
from govkg.store.oxigraph import OxigraphStore
from govkg.validate.run import validate_store
from server import browse, sparql
from server.app import create_app


def _run_quads(run_key: str, ended: str, findings: list[dict[str, str]]) -> tuple[str, list[ox.Quad]]:
    g = N(BASE + "graph/validation/" + run_key)
    run = N(BASE + "id/validation/" + run_key)
    q = [ox.Quad(run, RDF_TYPE, N(PROV + "Activity"), g), ox.Quad(run, RDF_TYPE, N(GDS + "ValidationRun"), g),
         ox.Quad(run, N(PROV + "startedAtTime"), ox.Literal(ended, datatype=XSD_DT), g),
         ox.Quad(run, N(PROV + "endedAtTime"), ox.Literal(ended, datatype=XSD_DT), g)]
    for i, f in enumerate(findings):
        r = N(f"{run.value}/result/{i}")
        q += [ox.Quad(r, RDF_TYPE, N(SH + "ValidationResult"), g),
              ox.Quad(r, N(SH + "focusNode"), N(f["focus"]), g),
              ox.Quad(r, N(SH + "sourceShape"), N(SHAPE), g),
              ox.Quad(r, N(SH + "resultSeverity"), N(SH + f["severity"]), g),
              ox.Quad(r, N(SH + "resultMessage"), ox.Literal(f["zh"], language="zh"), g),
              ox.Quad(r, N(SH + "resultMessage"), ox.Literal(f["en"], language="en"), g),
              ox.Quad(r, N(DCT + "source"), N(f["article"]), g),
              ox.Quad(r, N(GDS + "agency"), N(f["agency"]), g),
              ox.Quad(r, N(GDS + "topJurisdiction"), N(f["top"]), g)]
    return run.value, q


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    store = OxigraphStore(tmp_path_factory.mktemp("site") / "store")
    load_demo(store, datasets=300, seed=11)
    try:  # the shapes change under us; the site must render whatever a run finds
        validate_store(store)
    except Exception as e:  # noqa: BLE001
        print(f"validate_store failed ({e}); the tests use their own runs")
    with store.snapshot() as snap:
        rows = snap.select(
            "SELECT ?d ?a ?ag ?top WHERE { ?d <https://w3id.org/dpv#hasLegalBasis> ?a ; "
            "<http://purl.org/dc/terms/publisher> ?ag . ?ag <https://w3id.org/govkg/def#jurisdiction>/"
            "<https://w3id.org/govkg/def#partOfJurisdiction>* ?top . "
            "?a a <http://data.europa.eu/eli/ontology#LegalResourceSubdivision> . "
            "FILTER NOT EXISTS { ?top <https://w3id.org/govkg/def#partOfJurisdiction> ?up } } LIMIT 40")
        assert len(rows) >= 2, "the demo has no datasets with an article as legal basis"
        first = rows[0]
        other = next(r for r in rows if r["d"] != first["d"] and r["ag"] != first["ag"])
        agency = first["ag"].value
    dataset, article = first["d"].value, first["a"].value

    def finding(focus: str, sev: str, ag: str, top: str) -> dict[str, str]:
        return {"focus": focus, "severity": sev, "article": article, "agency": ag, "top": top,
                "zh": "缺少法律依据说明", "en": "The legal basis is not explained"}

    now = dt.datetime.now(dt.UTC)
    later = (now + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    earlier = (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    older_run, q1 = _run_quads("test-older", earlier, [finding(dataset, "Violation", agency, first["top"].value)])
    latest_run, q2 = _run_quads("test-latest", later, [
        finding(dataset, "Violation", agency, first["top"].value),
        finding(other["d"].value, "Violation", other["ag"].value, other["top"].value),
        finding(other["d"].value, "Warning", other["ag"].value, other["top"].value),
    ])
    hg = N(BASE + "graph/harvest/hostile-source")
    hostile = [ox.Quad(N(HOSTILE), RDF_TYPE, N(DCAT + "Dataset"), hg),
               ox.Quad(N(HOSTILE), N(DCT + "title"), ox.Literal(HOSTILE_TITLE, language="en"), hg),
               ox.Quad(N(HOSTILE), N(DCT + "description"),
                       ox.Literal('<img src=x onerror="alert(2)"> 恶意描述', language="zh"), hg),
               ox.Quad(N(HOSTILE), N(DCT + "publisher"), N(agency), hg)]
    with store.transaction() as tx:
        tx.add(q1 + q2 + hostile)
    app = create_app(Config(store=store.path))
    yield Site(store, app, dataset, article, other["d"].value, agency, first["top"].value, latest_run, older_run)
    browse.close(app)
    sparql.close(app)


@pytest.fixture
def client(site: Site) -> FlaskClient:
    return site.app.test_client()


@pytest.fixture(scope="session")
def served(site: Site) -> Iterator[str]:
    """The app on a werkzeug server thread on loopback, for Chromium."""
    server = make_server("127.0.0.1", 0, site.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()

