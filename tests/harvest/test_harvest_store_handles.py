"""Regression: a harvest kept a handle on the generation it wrote (through the snapshot it
read its state with, and that snapshot's literal restorer) after the transaction published
it; RocksDB's background work then deleted files a new reader was opening ("Corruption: IO
error: No such file or directory ... .sst")."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from govkg.store.oxigraph import OxigraphStore
from loaders.harvest import session as harvest_session


def test_snapshots_of_a_transaction_let_go_of_its_database(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    g = ox.NamedNode("urn:g")
    with store.transaction() as tx:
        tx.add(
            [
                ox.Quad(
                    ox.NamedNode("urn:s"),
                    ox.NamedNode("urn:p"),
                    ox.Literal("1.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
                    g,
                )
            ]
        )
        snap = tx.snapshot()
        snap.restorer()
    assert snap._store is None and snap._restorer is None


def test_harvest_session_lets_go_of_the_transaction(tmp_path: Path, monkeypatch) -> None:
    from loaders.harvest import harvest

    sessions = []
    real = harvest_session.Session

    class Spy(real):  # type: ignore[misc, valid-type]
        def __init__(self, *a, **kw) -> None:
            super().__init__(*a, **kw)
            sessions.append(self)

    monkeypatch.setattr("loaders.harvest.Session", Spy)
    doc = tmp_path / "d.ttl"
    doc.write_text('<http://x/d> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> "d" .')
    store = OxigraphStore(tmp_path / "s")
    harvest(store, str(doc))
    (s,) = sessions
    assert s.snap is None and s.tx is None
    with store.snapshot() as snap:  # and the published generation reads cleanly
        assert len(list(snap.quads())) > 0
