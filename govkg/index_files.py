"""Index files beside the store: an SQLite file per store generation, built once under a
file lock and only read afterwards.

The catalogue paging index (``govkg/catalog_index.py``) and the search index
(``govkg/search_index.py``) are derived from the graph and keyed by the store generation
they were built from: ``<store>/<name>/<generation>.sqlite``.  A remote store has no
directory and no generations of its own, so its files live in the temporary directory
(under a name taken from the store's location) and a generation lasts ``remote_ttl``
seconds.

The first reader of a generation builds its file; the others wait on the lock and find it
there.  A build writes aside and renames, so a file is complete once it has its final
name, and it deletes the files of older generations (readers that hold one open keep
reading it).  :class:`GenerationIndexManager` does this; a subclass names its directory
and says how a file is built.  :class:`ReadOnlyIndex` is an open file.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import ClassVar, Self

from govkg.filelock import hold_lock
from govkg.store.base import Snapshot


class ReadOnlyIndex:
    """A built index file, opened read-only.  Open one per thread or request; it is cheap."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class GenerationIndexManager:
    """Finds or builds the index file of a snapshot's store generation in ``directory``.

    A subclass sets :attr:`directory_name` and implements :meth:`_build`."""

    directory_name: ClassVar[str]  # under the store: "catalog-index", "search-index"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def directory_for(cls, store: object) -> Path:
        """``<store>/<directory_name>``; for a store without a path (a remote one), a directory
        in the temporary directory named after the store's location."""
        path = getattr(store, "path", None)
        if path is not None:
            return Path(path) / cls.directory_name
        key = hashlib.sha1(str(getattr(store, "location", "")).encode(), usedforsecurity=False).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"govkg-{cls.directory_name}-{key}"

    @classmethod
    def for_store(cls, store: object) -> Self:
        return cls(cls.directory_for(store))

    @staticmethod
    def generation_of(snap: Snapshot, remote_ttl: float = 60.0) -> str:
        """The snapshot's store generation: its directory name, or for a remote store the
        current ``remote_ttl``-second period."""
        path = getattr(snap, "path", None)
        if path is not None:
            return Path(path).name
        return f"remote-{int(time.time() // remote_ttl):012d}"

    def path_for(self, snap: Snapshot) -> Path:
        """The index file of ``snap``'s generation, built first if there is none yet."""
        gen = self.generation_of(snap)
        target = self.directory / f"{gen}.sqlite"
        if not target.exists():
            self.directory.mkdir(parents=True, exist_ok=True)
            with self._lock():
                if not target.exists():  # another process may have built it while we waited
                    self._build(snap, target, gen)
                    self._collect(keep=target)
        return target

    def _build(self, snap: Snapshot, target: Path, generation: str) -> None:
        """Build the index of ``snap`` into ``target`` (atomically).  Called under the lock."""
        raise NotImplementedError

    def _lock(self) -> contextlib.AbstractContextManager[None]:
        return hold_lock(self.directory / "build.lock")

    def _collect(self, keep: Path) -> None:
        """Delete the files of generations older than ``keep``'s."""
        for p in self.directory.glob("*.sqlite"):
            if p != keep and p.stem < keep.stem:
                with contextlib.suppress(OSError):
                    p.unlink()  # readers that hold it open keep reading it
