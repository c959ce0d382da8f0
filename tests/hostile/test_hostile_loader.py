"""The file loader (``loaders.rdf_files`` and ``govkg load``) against the whole RDF corpus.

A hostile file is refused with an error naming the file (and the line, where the defect
has one), the CLI exits 2, and the store is unchanged, even with a good file in the same
call (all-or-nothing).  Files that are hostile only in what they say (HTML, script, odd
characters, deep but finite nesting) load into their own graph and nowhere else.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from corpus import GRAPH_NAMES, RdfCase, Text, accepted_cases, rdf_cases, rejected_cases
from hostile_kit import Canary, checksum_outside, store_checksum

from govkg.cli import main as cli_main
from govkg.errors import InputError
from govkg.rdfio import format_for, parse_document
from govkg.store.oxigraph import OxigraphStore
from loaders.harvest import harvest
from loaders.harvest.fetch import Document, parse_rdf
from loaders.rdf_files import load_files
from loaders.sources import SOURCES_GRAPH

GOOD = '<http://example.org/good> <http://example.org/p> "good" .\n'


def _write(case: RdfCase, folder: Path, canary: str) -> Path:
    path = folder / case.name
    path.write_bytes(case.data(canary))
    return path



@pytest.mark.parametrize("case", rejected_cases(), ids=str)
def test_hostile_file_is_refused_whole_and_named(case: RdfCase, seeded_store: OxigraphStore, tmp_path: Path,
                                                 fresh_canary: Canary) -> None:
    good = tmp_path / "good-neighbour.ttl"
    good.write_text(GOOD)
    path = _write(case, tmp_path, fresh_canary.url)
    before = store_checksum(seeded_store)
    report = load_files(seeded_store, [good, path])
    assert [e.source for e in report.errors] == [str(path)], report.errors
    err = report.errors[0]
    assert err.message.strip() and "Traceback" not in err.message
    if case.line is not None:
        assert err.line == case.line, f"{err} (expected line {case.line})"
    assert not report.graphs
    assert store_checksum(seeded_store) == before


@pytest.mark.parametrize("case", accepted_cases(), ids=str)
def test_harmless_hostile_file_loads_into_its_own_graph_only(case: RdfCase, seeded_store: OxigraphStore,
                                                             tmp_path: Path, fresh_canary: Canary) -> None:
    path = _write(case, tmp_path, fresh_canary.url)
    expected = parse_document(case.data(fresh_canary.url), format_for(path=path), source=case.name,
                              graph=ox.NamedNode("urn:x:g"), base_iri=path.resolve().as_uri())
    outside = checksum_outside(seeded_store, {SOURCES_GRAPH.value})
    report = load_files(seeded_store, [path])
    assert not report.errors, report.errors
    assert report.total == len({(q.subject, q.predicate, q.object, q.graph_name) for q in expected.quads}) > 0
    assert checksum_outside(seeded_store, {*report.graphs, SOURCES_GRAPH.value}) == outside


@pytest.mark.parametrize("case", [c for c in rejected_cases() if not c.big], ids=str)
def test_govkg_load_exits_2_naming_file_and_line(case: RdfCase, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 fresh_canary: Canary) -> None:
    store = OxigraphStore(tmp_path / "store")
    path = _write(case, tmp_path, fresh_canary.url)
    before = store_checksum(store)
    with pytest.raises(SystemExit) as exited:
        cli_main(["--quiet", "--store", str(tmp_path / "store"), "load", str(path)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    where = f"{path}:{case.line}:" if case.line is not None else f"{path}:"
    assert where in err and "nothing was loaded" in err, err
    assert "Traceback" not in err
    assert store_checksum(store) == before


def test_the_installed_command_refuses_an_entity_bomb(tmp_path: Path) -> None:
    case = next(c for c in rdf_cases() if c.name == "rdf-billion-laughs.rdf")
    path = _write(case, tmp_path, "http://127.0.0.1:9")
    govkg = Path(sys.executable).with_name("govkg")
    run = subprocess.run([str(govkg), "--quiet", "--store", str(tmp_path / "s"), "load", str(path)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert f"{path}:2:" in run.stderr and "entit" in run.stderr


@pytest.mark.parametrize("case", [c for c in rejected_cases() if c.category in ("remote-context", "xml-entity")],
                         ids=str)
def test_rdfio_and_the_harvest_parser_fetch_nothing(case: RdfCase, fresh_canary: Canary) -> None:
    """govkg.rdfio refuses the document itself; so does the harvester's parser (rdflib for
    JSON-LD), with the URLs pointed at the loopback canary so that any fetch would show."""
    data = case.data(fresh_canary.url)
    with pytest.raises(InputError):
        parse_document(data, format_for(name=case.syntax), source=case.name, graph=ox.NamedNode("urn:x:g"))
    with pytest.raises(InputError):
        parse_rdf(Document(f"{fresh_canary.url}/{case.name}", case.media_type, data))



@pytest.mark.parametrize("name", [n for n in GRAPH_NAMES if n.text], ids=str)
def test_graph_option_that_is_not_an_iri_is_refused(name: Text, seeded_store: OxigraphStore, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(GOOD)
    before = store_checksum(seeded_store)
    with pytest.raises(InputError) as refused:
        load_files(seeded_store, [good], graph=name.text)
    assert refused.value.source == "--graph"
    with pytest.raises(InputError) as refused:
        harvest(seeded_store, str(good), graph=name.text)
    assert refused.value.source == "--graph"
    with pytest.raises(SystemExit) as exited:
        cli_main(["--quiet", "--store", str(seeded_store.path), "load", "--graph", name.text, str(good)])
    assert exited.value.code == 2 and "--graph" in capsys.readouterr().err
    assert store_checksum(seeded_store) == before
