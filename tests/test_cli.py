"""The govkg command: subcommands, output and exit codes (0 ok, 1 problems, 2 usage/input)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govkg.cli import cli


def run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govkg", "--store", str(store), "-q", *args],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


def test_load_query_export_round_trip(store_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text('@prefix ex: <http://example.org/> .\nex:a ex:size "05"^^<http://www.w3.org/2001/XMLSchema#int> .\n')
    assert run(store_dir, "load", str(data)).returncode == 0
    q = run(store_dir, "query", "SELECT ?o WHERE { ?s <http://example.org/size> ?o }", "--format", "json")
    assert q.returncode == 0
    assert json.loads(q.stdout)["results"]["bindings"][0]["o"]["value"] == "5"
    out = tmp_path / "dump.nq"
    assert run(store_dir, "export", "--format", "nq", "-o", str(out)).returncode == 0
    assert '"05"^^<http://www.w3.org/2001/XMLSchema#int>' in out.read_text()


def test_bad_input_exits_2_and_names_the_line(store_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a> <http://b> .\n")
    r = run(store_dir, "load", str(bad))
    assert r.returncode == 2
    assert f"{bad}:1:" in r.stderr
    assert "nothing was loaded" in r.stderr


def test_usage_error_exits_2(store_dir: Path) -> None:
    assert run(store_dir, "load").returncode == 2
    assert run(store_dir, "no-such-command").returncode == 2


def test_query_on_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    r = run(tmp_path / "nowhere", "query", "ASK {}")
    assert r.returncode == 2
    assert "no govkg store" in r.stderr


def test_bad_sparql_exits_2(store_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "d.nt"
    data.write_text("<http://a> <http://b> <http://c> .\n")
    run(store_dir, "load", str(data))
    r = run(store_dir, "query", "SELEKT * WHERE {}")
    assert r.returncode == 2
    assert "error" in r.stderr.lower()


def test_regulation_texts_load_as_articles(store_dir: Path, shared_dir: Path) -> None:
    texts = sorted(str(p) for p in (shared_dir / "regulations").glob("*.txt"))
    assert len(texts) == 4
    assert run(store_dir, "load", *texts).returncode == 0
    q = run(store_dir, "query", "PREFIX eli: <http://data.europa.eu/eli/ontology#> "
            "SELECT ?r (COUNT(?a) AS ?n) WHERE { ?a eli:is_part_of ?r ; <https://w3id.org/govkg/def#text> ?t } "
            "GROUP BY ?r ORDER BY ?r", "--format", "csv")
    counts = dict(line.split(",") for line in q.stdout.strip().splitlines()[1:])
    assert sorted(int(n) for n in counts.values()) == [12, 12, 12, 13]


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name in cli.commands:
        assert f"`govkg {name}" in readme, f"README.md does not document `govkg {name}`"


def test_store_option_after_the_subcommand_as_the_issues_promise(tmp_path: Path) -> None:
    """`govkg load --store DIR` means what `govkg --store DIR load` means, and wins over it."""
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    after, before = tmp_path / "after", tmp_path / "before"
    r = subprocess.run([sys.executable, "-m", "govkg", "-q", "--store", str(before), "load", "--store", str(after),
                        str(data)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (after / "govkg-store.json").exists()
    assert not before.exists()
    q = subprocess.run([sys.executable, "-m", "govkg", "-q", "query", "--store", str(after), "--format", "csv",
                        "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/b> ?o }"],
                       capture_output=True, text=True, timeout=300)
    assert q.returncode == 0, q.stderr
    assert q.stdout.split()[-1] == "1"
