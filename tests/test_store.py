"""The embedded generational store: transactions, snapshots, literal forms, crash safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from govkg.errors import StoreError
from govkg.store.oxigraph import OxigraphStore
from govkg.vocab import LITERAL_FORMS_GRAPH

G = ox.NamedNode("https://w3id.org/govkg/graph/source/t")
XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"


def q(s: str, p: str, o: object, g: ox.NamedNode = G) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + p), o, g)  # type: ignore[arg-type]


def count(store: OxigraphStore) -> int:
    with store.snapshot() as snap:
        return len(snap.select("SELECT * WHERE { ?s ?p ?o }"))


def test_write_is_visible_after_commit(store: OxigraphStore) -> None:
    with store.transaction() as tx:
        tx.add([q("a", "p", ox.Literal("1"))])
    assert count(store) == 1


def test_failed_transaction_leaves_store_unchanged(store: OxigraphStore) -> None:
    with store.transaction() as tx:
        tx.add([q("a", "p", ox.Literal("1"))])
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.add([q("b", "p", ox.Literal("2"))])
        raise RuntimeError("fails midway")
    assert count(store) == 1
    with store.transaction() as tx:  # and the store is writable again
        tx.add([q("c", "p", ox.Literal("3"))])
    assert count(store) == 2


def test_snapshot_does_not_see_later_writes(store: OxigraphStore) -> None:
    with store.transaction() as tx:
        tx.add([q("a", "p", ox.Literal("1"))])
    old = store.snapshot()
    with store.transaction() as tx:
        tx.add([q("b", "p", ox.Literal("2"))])
    assert len(old.select("SELECT * WHERE { ?s ?p ?o }")) == 1
    assert count(store) == 2
    # the old generation is kept while read, collected once released
    assert store.generation_count() == 2
    old.close()
    with store.transaction():
        pass
    assert store.generation_count() == 1


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("05", "nonNegativeInteger"),
        ("7", "int"),
        ("1.0", "decimal"),
        ("01", "integer"),
        ("2020-01-01T00:00:00Z", "dateTimeStamp"),
        ("1", "boolean"),
        ("1.5E0", "double"),
    ],
)
def test_literal_forms_survive_store_round_trip(store: OxigraphStore, lexical: str, datatype: str) -> None:
    lit = ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))
    with store.transaction() as tx:
        tx.add([q("d", "size", lit)])
    with store.snapshot() as snap:
        (t,) = list(snap.triples("CONSTRUCT WHERE { ?s ?p ?o }"))
        assert t.object == lit


def test_stored_literals_keep_value_semantics(store: OxigraphStore) -> None:
    with store.transaction() as tx:
        tx.add([q("d", "size", ox.Literal("0500", datatype=ox.NamedNode(XSD + "nonNegativeInteger")))])
    with store.snapshot() as snap:
        assert snap.ask("ASK { ?s ?p ?o FILTER(?o > 499 && ?o < 501) }")


def test_drop_graph_forgets_its_literal_forms(store: OxigraphStore) -> None:
    lit = ox.Literal("05", datatype=ox.NamedNode(XSD + "nonNegativeInteger"))
    with store.transaction() as tx:
        tx.add([q("d", "size", lit)])
    with store.transaction() as tx:
        tx.drop_graph(G)
    with store.snapshot() as snap:
        assert snap.graphs() == [] or snap.graphs() == [ox.NamedNode(str(LITERAL_FORMS_GRAPH))]
        assert list(snap.quads()) == []


def test_internal_graph_is_not_in_the_default_graph(store: OxigraphStore) -> None:
    with store.transaction() as tx:
        tx.add([q("d", "size", ox.Literal("05", datatype=ox.NamedNode(XSD + "nonNegativeInteger")))])
    with store.snapshot() as snap:
        rows = snap.select("SELECT ?s WHERE { ?s ?p ?o }")
        assert [r["s"] for r in rows] == [ox.NamedNode(EX + "d")]


def test_not_a_store_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file.txt").write_text("hello")
    with pytest.raises(StoreError, match="not a govkg store"):
        OxigraphStore(tmp_path / "x")
    with pytest.raises(StoreError, match="no govkg store"):
        OxigraphStore(tmp_path / "missing", create=False)


def test_sigkill_during_a_large_write_leaves_the_store_as_it_was(store: OxigraphStore, tmp_path: Path) -> None:
    with store.transaction() as tx:
        tx.add([q("keep", "p", ox.Literal("kept"))])
    marker = tmp_path / "started"
    script = textwrap.dedent(f"""
        import pyoxigraph as ox, pathlib
        from govkg.store.oxigraph import OxigraphStore
        st = OxigraphStore({str(store.path)!r})
        G = ox.NamedNode({G.value!r})
        def quads():
            for i in range(50_000_000):
                if i == 10_000:
                    pathlib.Path({str(marker)!r}).write_text("x")
                yield ox.Quad(ox.NamedNode(f"http://example.org/n{{i}}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(i)), G)
        with st.transaction() as tx:
            tx.add(quads())
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.time() + 60
    while not marker.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "the writer ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    reopened = OxigraphStore(store.path)
    with reopened.snapshot() as snap:
        rows = snap.select("SELECT ?s ?o WHERE { ?s ?p ?o }")
    assert rows == [{"s": ox.NamedNode(EX + "keep"), "o": ox.Literal("kept")}]
    with reopened.transaction() as tx:  # the dead writer's half generation is cleaned up
        tx.add([q("after", "p", ox.Literal("x"))])
    assert count(reopened) == 2
    assert reopened.generation_count() == 1


def test_a_query_with_from_uses_its_own_dataset(store: OxigraphStore) -> None:
    other = ox.NamedNode("https://w3id.org/govkg/graph/source/other")
    with store.transaction() as tx:
        tx.add([q("a", "p", ox.Literal("1")), q("b", "p", ox.Literal("2"), other)])
    with store.snapshot() as snap:
        rows = snap.select(f"SELECT ?s FROM <{other.value}> WHERE {{ ?s ?p ?o }}")
        assert [r["s"] for r in rows] == [ox.NamedNode(EX + "b")]
        assert len(snap.select("SELECT ?s WHERE { ?s ?p ?o }")) == 2
