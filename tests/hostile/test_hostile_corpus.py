"""The corpus and the harness: the manifest and the folder agree, every category is covered in
every syntax it applies to, the counts SECURITY.md cites come out of the same lists, and the
network guard and the canary do catch what they are there to catch."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from corpus import CORPUS_DIR, MANIFEST, counts, rdf_cases
from hostile_kit import Canary, NetworkGuard

ROOT = Path(__file__).resolve().parents[2]


def test_manifest_and_folder_agree() -> None:
    stored = {p.name for p in CORPUS_DIR.iterdir() if p != MANIFEST}
    listed = {c.name for c in rdf_cases() if not c.generated}
    assert stored == listed
    generated = {c.name for c in rdf_cases() if c.generated}
    assert not generated & stored
    assert all(c.description.strip() for c in rdf_cases())


def test_the_corpus_covers_every_category_in_every_syntax_it_applies_to() -> None:
    seen = {(c.category, c.syntax) for c in rdf_cases()}
    syntaxes = {"turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld"}
    for category in ("malformed", "encoding", "literal"):
        assert {s for c, s in seen if c == category} == syntaxes, category
    assert {s for c, s in seen if c == "iri"} == syntaxes
    assert {s for c, s in seen if c == "html"} == syntaxes
    assert {s for c, s in seen if c == "nesting"} >= {"turtle", "rdfxml", "jsonld"}
    assert ("xml-entity", "rdfxml") in seen and ("remote-context", "jsonld") in seen


def test_counts_are_printed_for_security_md() -> None:
    table = counts()
    assert all(n > 0 for n in table.values())
    out = subprocess.run([sys.executable, "-m", "tests.hostile.corpus", "--count"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    for name, n in table.items():
        assert f"{name}" in out and f" {n}" in out.split(name, 1)[1].splitlines()[0]


# -- the harness: the guard and the canary catch what they are for --------------------------------
def test_the_network_guard_refuses_and_records(no_network: NetworkGuard) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("203.0.113.1", 80), timeout=1)
    with pytest.raises(OSError):
        socket.getaddrinfo("example.invalid", 80)
    with socket.socket() as s, pytest.raises(OSError):
        s.connect(("192.0.2.1", 80))
    assert len(no_network.attempts) == 3, no_network.attempts
    no_network.attempts.clear()  # expected here: this test is about the guard itself


def test_the_canary_sees_a_fetch_made_by_pyoxigraph_itself(canary: Canary) -> None:
    canary.hits.clear()
    with pytest.raises(RuntimeError, match="Content-Type"):  # the canary answers Turtle, not SPARQL results
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}"))  # type: ignore[arg-type]
    assert [h.split()[1] for h in canary.hits] == ["/sparql"]
    canary.hits.clear()
