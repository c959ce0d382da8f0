"""The same named queries against a remote SPARQL 1.1 server (a real ``oxigraph serve`` on
loopback holding a copy of the demo store): the CLI with ``--endpoint`` and the API behind
the remote proxy give the embedded store's answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner

from govkg.cli import cli
from govkg.config import Config
from govkg.store.oxigraph import OxigraphStore

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
J = "https://w3id.org/govkg/id/jurisdiction/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint(demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not OXIGRAPH.exists():
        pytest.fail(f"{OXIGRAPH} is missing: install the test extra (pip install -e '.[test]')")
    base = tmp_path_factory.mktemp("remote-api")
    dump = base / "all.nq"
    store = OxigraphStore(demo.path, create=False)
    try:
        with store.snapshot() as snap, open(dump, "wb") as out:  # every graph as stored, internal ones too
            ox.serialize((q for g in snap.graphs() for q in snap.quads(graph=g)), out, ox.RdfFormat.N_QUADS)
    finally:
        store.close()
    db = base / "db"
    subprocess.run([str(OXIGRAPH), "load", "--location", str(db), "--file", str(dump)], check=True,
                   capture_output=True, timeout=120)
    port = _free_port()
    log = open(base / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(db), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url + "/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError((base / "server.log").read_text(errors="replace")[-2000:])
            time.sleep(0.1)
        yield url + "/query"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, ["-q", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_gives_the_same_answer_on_a_remote_store(demo, endpoint):
    query = ["query", "restricted-without-legal-basis", "--param", f"jurisdiction={J}210000", "--format", "csv"]
    local = _cli("--store", str(demo.path), *query)
    remote = _cli("--endpoint", endpoint, *query)
    assert remote == local and len(local.splitlines()) > 1
    query = ["query", "stale-datasets", "--param", "as_of=2025-07-01", "--param", "cycle=MONTHLY", "--format", "tsv"]
    assert _cli("--endpoint", endpoint, *query) == _cli("--store", str(demo.path), *query)


def test_api_through_the_remote_proxy(demo, endpoint, client):
    from server import sparql
    from server.app import create_app

    app = create_app(Config(endpoint=endpoint))
    try:
        remote = app.test_client()
        for name, params in (("sharing-by-jurisdiction-and-level", {"level": "COUNTY"}),
                             ("datasets", {"jurisdiction": J + "140000", "limit": "25"}),
                             ("repeated-collection", {}),
                             ("items-with-several-sources", {"jurisdiction": J + "330000"})):
            got = remote.get(f"/api/{name}.json", query_string=params)
            want = client.get(f"/api/{name}.json", query_string=params)
            assert got.status_code == want.status_code == 200
            got_body, want_body = got.get_json(), want.get_json()
            assert got_body["rows"] == want_body["rows"] and got_body["rows"], name
            if want_body["next"]:
                assert got_body["cursor"] == want_body["cursor"]
        bad = remote.get("/api/datasets", query_string={"jurisdiction": "http://x/>"})
        assert bad.status_code == 400
        graph = remote.get("/api/dataset-provenance.nt",
                           query_string={"dataset": "https://w3id.org/govkg/id/dataset/520100-a000001"})
        assert graph.status_code == 200 and b"/record/520100-a000001>" in graph.data
    finally:
        sparql.close(app)
