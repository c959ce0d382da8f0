"""Fixtures for the SPARQL endpoint tests: stores, apps (with their query workers), a real
gunicorn server and a real ``oxigraph serve`` process, all on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sparql_helpers import VENV_BIN, free_port, start_server, stop, wait_for


@pytest.fixture(scope="session")
def w3c(shared_dir: Path) -> Path:
    return shared_dir / "conformance" / "w3c-sparql11"


@pytest.fixture(scope="session")
def oxigraph_binary() -> Path:
    path = VENV_BIN / "oxigraph"
    if not path.exists():
        pytest.fail(f"{path} is missing: install the test extra (pip install -e '.[test]')")
    return path


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory, oxigraph_binary: Path) -> Iterator[str]:
    """A real ``oxigraph serve`` on loopback; yields its base URL (``/query``, ``/update``)."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    log = location.parent / "oxigraph-server.log"
    proc = start_server([str(oxigraph_binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                        log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query?query=ASK%7B%7D", proc, log)
        yield base
    finally:
        stop(proc)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the W3C evaluation pass rates (engine and endpoint) after every run that had them."""
    import sys

    module = sys.modules.get("test_w3c_eval")
    line = module.pass_rates() if module is not None else None
    if line:
        terminalreporter.write_sep("-", "SPARQL conformance")
        terminalreporter.write_line(line)
