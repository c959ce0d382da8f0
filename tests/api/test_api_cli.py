"""``govkg query NAME --param key=value --format ...``: the same named queries on any store."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from click.testing import CliRunner

from govkg.cli import cli

J = "https://w3id.org/govkg/id/jurisdiction/"


def run(demo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govkg", "--store", str(demo.path), "-q", *args],
                          capture_output=True, text=True, timeout=120)


def invoke(demo, *args: str):
    return CliRunner().invoke(cli, ["--store", str(demo.path), "-q", *args], catch_exceptions=False)


def test_named_query_with_parameters_gives_the_api_answer(demo, client):
    params = {"jurisdiction": J + "210000", "sharing_type": "CONDITIONAL"}
    result = invoke(demo, "query", "restricted-without-legal-basis", "--format", "csv",
                    *[x for k, v in params.items() for x in ("--param", f"{k}={v}")])
    assert result.exit_code == 0, result.output
    from_cli = list(csv.DictReader(io.StringIO(result.output)))
    api = client.get("/api/restricted-without-legal-basis.csv", query_string={**params, "limit": "10000"})
    assert from_cli == list(csv.DictReader(io.StringIO(api.data.decode("utf-8"))))
    assert {r["dataset"] for r in from_cli if r["missing_legal_basis"] == "true"} == demo.planted("R3")


def test_table_and_limit(demo):
    result = invoke(demo, "query", "datasets", "-p", f"jurisdiction={J}520100", "--limit", "3")
    lines = result.output.splitlines()
    assert result.exit_code == 0 and lines[0].startswith("dataset") and len(lines) == 2 + 3
    result = invoke(demo, "query", "dataset-provenance", "--param",
                    "dataset=https://w3id.org/govkg/id/dataset/520100-a000001", "--format", "nt")
    assert result.exit_code == 0 and "<https://w3id.org/govkg/id/record/520100-a000001>" in result.output


def test_raw_sparql_and_files_keep_working(demo, tmp_path):
    result = invoke(demo, "query", "ASK { ?s a <http://www.w3.org/ns/dcat#Dataset> }", "--format", "json")
    assert result.exit_code == 0 and '"boolean":true' in result.output.replace(" ", "")
    rq = tmp_path / "mine.rq"
    rq.write_text("#+ summary: mine\n#+ params: [{name: j, type: iri}]\n"
                  "SELECT (COUNT(*) AS ?n) WHERE { ?a <https://w3id.org/govkg/def#jurisdiction> ?j } ORDER BY ?n\n")
    everything = invoke(demo, "query", str(rq), "--format", "csv")
    one = invoke(demo, "query", str(rq), "--param", f"j={J}210100", "--format", "csv")
    assert int(everything.output.split()[1]) > int(one.output.split()[1]) > 0
    grlc = tmp_path / "grlc.rq"  # a header the library would refuse still runs as plain SPARQL
    grlc.write_text("#+ summary: count\n#+ endpoint: http://example.org/sparql\n"
                    "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://www.w3.org/ns/dcat#Catalog> }\n")
    result = invoke(demo, "query", str(grlc), "--format", "csv")
    assert result.exit_code == 0 and int(result.output.split()[1]) > 0


def test_errors_exit_2_with_a_message(demo):
    bad = run(demo, "query", "datasets", "--param", "jurisdiction=http://x/>")
    assert bad.returncode == 2 and "jurisdiction must be an absolute IRI" in bad.stderr
    missing = run(demo, "query", "dataset-provenance")
    assert missing.returncode == 2 and "dataset is required" in missing.stderr
    unknown = run(demo, "query", "no-such-query")
    assert unknown.returncode == 2 and "no query named 'no-such-query'" in unknown.stderr
    stray = run(demo, "query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--param", "a=b")
    assert stray.returncode == 2 and "named queries" in stray.stderr


def test_list_shows_every_query_and_parameter(demo, library):
    result = invoke(demo, "query", "--list")
    assert result.exit_code == 0
    for q in library:
        assert f"{q.name}: {q.summary}" in result.output
        for p in q.params:
            assert f"--param {p.name}=<{p.type}" in result.output
