"""What every view needs: the configuration and the store, opened once per process."""

from __future__ import annotations

from typing import Any

from flask import current_app

from govkg.config import Config
from govkg.store import Store, open_store


class Govkg:
    def __init__(self, config: Config) -> None:
        self.config = config
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.config)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def govkg() -> Govkg:
    ext: Any = current_app.extensions["govkg"]
    return ext  # type: ignore[no-any-return]
