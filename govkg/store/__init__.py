"""Storage: one interface (govkg.store.base) over the embedded Oxigraph store and any
remote SPARQL 1.1 server.  ``open_store(config)`` picks the backend."""

from __future__ import annotations

from govkg.config import Config
from govkg.store.base import Snapshot, Store, Transaction


def open_store(config: Config, *, create: bool = True) -> Store:
    if config.endpoint:
        from govkg.store.remote import RemoteStore

        return RemoteStore(config.endpoint, config.update_endpoint, timeout=config.remote_timeout)
    from govkg.store.oxigraph import OxigraphStore

    return OxigraphStore(config.store, create=create)


__all__ = ["Snapshot", "Store", "Transaction", "open_store"]
