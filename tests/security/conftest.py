"""Fixtures of the security tests: one small demo store per session and apps over it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from govkg.config import Config
from govkg.load_demo import load_demo
from govkg.store.oxigraph import OxigraphStore
from server import sparql
from server.app import create_app

TOKEN = "security-test-token"


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    store = OxigraphStore(tmp_path_factory.mktemp("security") / "store")
    load_demo(store, datasets=40, seed=5)
    return store


@pytest.fixture
def make_app(demo_store: OxigraphStore) -> Iterator[Callable[..., Flask]]:
    """``make_app(**config)``: an app over the demo store; its query workers are stopped afterwards."""
    apps: list[Flask] = []

    def make(store: Path | None = None, **changes: object) -> Flask:
        cfg = Config(store=store or demo_store.path, query_workers=1).with_(**changes)
        app = create_app(cfg)
        apps.append(app)
        return app

    yield make
    for app in apps:
        sparql.close(app)
