"""RDF file loading: every syntax, all-or-nothing, errors that name file, line and problem."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest

from govkg.output import dump
from govkg.store.oxigraph import OxigraphStore
from loaders.rdf_files import load_files, source_graph_for

GOOD = {
    "good.ttl": b'@prefix ex: <http://example.org/> .\nex:a ex:p "x"@en ; ex:q 5 .\n',
    "good.nt": b'<http://example.org/a> <http://example.org/p> "x" .\n',
    "good.nq": b'<http://example.org/a> <http://example.org/p> "x" <http://example.org/g1> .\n'
    b'<http://example.org/b> <http://example.org/p> "y" .\n',
    "good.trig": b'@prefix ex: <http://example.org/> .\nex:g2 { ex:a ex:p "x" . }\n',
    "good.rdf": b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/a">'
    b"<ex:p>caf\xe9</ex:p></rdf:Description>\n</rdf:RDF>\n",
    "good.jsonld": b'{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:p": "x"}',
}

# (file name, content, expected line or None, a phrase the message must contain)
BAD = [
    ("bad.ttl", b'@prefix ex: <http://example.org/> .\nex:a ex:p "x" .\nex:b ex:p .\n', 3, ""),
    ("undeclared.ttl", b'ex:a <http://example.org/p> "x" .\n', 1, "prefix ex"),
    ("bad.nt", b'<http://example.org/a> <http://example.org/p> "x" .\n<http://example.org/a> p "x" .\n', 2, ""),
    ("bad.nq", b'<http://a> <http://b> "c" <http://g> <http://h> .\n', 1, "dot"),
    ("bad.trig", b'<http://g> {\n <http://a> <http://b> "c" .\n', 3, ""),
    (
        "bad.rdf",
        b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        b'<rdf:Description rdf:about="http://a">\n</rdf:RDF>\n',
        4,
        "ill-formed",
    ),
    ("bad.jsonld", b'{\n  "@id": "http://a",\n  "http://b": "c",\n}\n', 4, ""),
    ("latin1.ttl", b'<http://a> <http://b> "caf\xe9" .\n', 1, "not valid UTF-8"),
    ("empty.ttl", b"", None, "empty"),
    ("blank.nt", b"  \n\n", None, "empty"),
    (
        "remote-context.jsonld",
        b'{"@context": "http://example.org/ctx.jsonld", "@id": "http://a"}',
        None,
        "remote JSON-LD @context refused",
    ),
    (
        "xxe.rdf",
        b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        2,
        "external",
    ),
    (
        "bomb.rdf",
        b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        2,
        "expansion",
    ),
    ("deep.jsonld", b"[" * 200 + b"]" * 200, 1, "nested deeper"),
    ("unknown.xyz", b"whatever", None, "cannot tell the RDF syntax"),
]


def checksum(store: OxigraphStore) -> str:
    import io

    buf = io.BytesIO()
    with store.snapshot() as snap:
        dump(snap, buf, "nq")
    return hashlib.sha256(b"".join(sorted(buf.getvalue().splitlines()))).hexdigest()


@pytest.fixture
def loaded(store: OxigraphStore, tmp_path: Path) -> OxigraphStore:
    p = tmp_path / "base.ttl"
    p.write_bytes(b'<http://example.org/base> <http://example.org/p> "kept" .\n')
    assert not load_files(store, [p]).errors
    return store


@pytest.mark.parametrize("name", sorted(GOOD))
def test_each_syntax_loads_into_its_source_graph(store: OxigraphStore, tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(GOOD[name])
    report = load_files(store, [p])
    assert not report.errors
    assert report.total >= 1
    with store.snapshot() as snap:
        graphs = {g.value for g in snap.public_graphs()}
    assert source_graph_for(p).value in graphs or name in ("good.trig",)


def test_rdfxml_declared_encoding_is_honoured(store: OxigraphStore, tmp_path: Path) -> None:
    p = tmp_path / "good.rdf"
    p.write_bytes(GOOD["good.rdf"])
    load_files(store, [p])
    with store.snapshot() as snap:
        (row,) = snap.select("SELECT ?o WHERE { <http://example.org/a> <http://example.org/p> ?o }")
    assert row["o"] == ox.Literal("café")


def test_quads_keep_their_graphs(store: OxigraphStore, tmp_path: Path) -> None:
    p = tmp_path / "good.nq"
    p.write_bytes(GOOD["good.nq"])
    load_files(store, [p])
    with store.snapshot() as snap:
        rows = snap.select("SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s")
    pairs = {(r["g"].value, r["s"].value) for r in rows}  # type: ignore[attr-defined]
    assert ("http://example.org/g1", "http://example.org/a") in pairs
    assert (source_graph_for(p).value, "http://example.org/b") in pairs


@pytest.mark.parametrize(("name", "content", "line", "phrase"), BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_refused_with_location_and_store_unchanged(
    loaded: OxigraphStore, tmp_path: Path, name: str, content: bytes, line: int | None, phrase: str
) -> None:
    before = checksum(loaded)
    p = tmp_path / name
    p.write_bytes(content)
    report = load_files(loaded, [p])
    assert len(report.errors) == 1
    err = report.errors[0]
    assert err.source == str(p)
    assert str(p) in str(err)
    if line is not None:
        assert err.line == line, str(err)
    assert phrase in str(err)
    assert checksum(loaded) == before


def test_missing_file_and_directory(loaded: OxigraphStore, tmp_path: Path) -> None:
    before = checksum(loaded)
    report = load_files(loaded, [tmp_path / "nope.ttl", tmp_path])
    assert [str(e) for e in report.errors] == [
        f"{tmp_path / 'nope.ttl'}: no such file",
        f"{tmp_path}: is a directory, not a file",
    ]
    assert checksum(loaded) == before


def test_one_bad_file_among_good_ones_loads_nothing(loaded: OxigraphStore, tmp_path: Path) -> None:
    before = checksum(loaded)
    good = tmp_path / "good.ttl"
    good.write_bytes(GOOD["good.ttl"])
    bad = tmp_path / "bad.nt"
    bad.write_bytes(b"<http://a> <http://b> .\n")
    report = load_files(loaded, [good, bad])
    assert [e.source for e in report.errors] == [str(bad)]
    assert checksum(loaded) == before


def test_reload_replaces_the_source_graph(store: OxigraphStore, tmp_path: Path) -> None:
    p = tmp_path / "data.ttl"
    p.write_bytes(b'<http://example.org/a> <http://example.org/p> "old" .\n')
    load_files(store, [p])
    p.write_bytes(b'<http://example.org/a> <http://example.org/p> "new" .\n')
    load_files(store, [p])
    with store.snapshot() as snap:
        rows = snap.select("SELECT ?o WHERE { <http://example.org/a> <http://example.org/p> ?o }")
    assert rows == [{"o": ox.Literal("new")}]


def test_load_is_recorded_with_provenance(store: OxigraphStore, tmp_path: Path) -> None:
    p = tmp_path / "data.ttl"
    p.write_bytes(GOOD["good.ttl"])
    load_files(store, [p])
    with store.snapshot() as snap:
        rows = snap.select(
            "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dct: <http://purl.org/dc/terms/> "
            "SELECT ?src ?act WHERE { ?g dct:source ?src ; prov:wasGeneratedBy ?act . ?act prov:endedAtTime ?t }"
        )
    assert [r["src"].value for r in rows] == [p.resolve().as_uri()]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    sorted((Path(__file__).resolve().parents[2] / "shared/conformance/dcat-examples/known-invalid").rglob("*.ttl")),
    ids=lambda p: p.name,
)
def test_known_invalid_conformance_files_are_refused_with_their_line(
    shared_dir: Path, store: OxigraphStore, path: Path
) -> None:
    report = load_files(store, [path])
    assert len(report.errors) == 1
    assert report.errors[0].line in (149, 20, 32)
    with store.snapshot() as snap:
        assert snap.public_graphs() == []
