"""Fixtures for the DCAT feed tests: a store with a catalogue in it and a Flask app over it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from feedkit import Feed, make_feed  # noqa: E402


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Feed]:
    """60 datasets (published, revoked, deleted, pending), two catalogues, pages of 10."""
    f = make_feed(tmp_path_factory.mktemp("feed") / "store", datasets=60)
    yield f
    f.app.extensions["govkg_feeds"].close()
