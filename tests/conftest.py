"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.store.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout; CI guarantees it, so its absence is a failure."""
    if not (SHARED / "conformance").is_dir():
        pytest.fail(f"{SHARED} is missing: the tests read the regulations and conformance data from it")
    return SHARED


@pytest.fixture
def store(tmp_path: Path) -> OxigraphStore:
    return OxigraphStore(tmp_path / "store")
