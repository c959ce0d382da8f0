"""Fixtures of the hostile-input tests: no network, a loopback canary, stores with a checksum.

* ``no_network`` (autouse): any connection or name lookup for a host that is not loopback
  fails the test, with the list of attempts; the attempt itself is refused, so nothing
  leaves the machine even when the code under test tries.
* ``canary``: a loopback HTTP server that records every request.  Corpus documents name
  unroutable hosts; tests point them at the canary, which catches a fetch made by code the
  socket guard cannot see (pyoxigraph's own HTTP client, in Rust, or a worker process).
* ``seeded_store``: a store that is not empty (hostile_kit.seed), one per module.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile_kit import Canary, NetworkGuard, seed  # noqa: E402

from govkg.store.oxigraph import OxigraphStore  # noqa: E402

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def is_loopback(host: object) -> bool:
    if host is None:
        return True  # getaddrinfo(None, port): the wildcard/loopback address for a server
    text = host.decode() if isinstance(host, bytes) else str(host)
    if text.lower() in LOOPBACK_NAMES or text == "":
        return True
    try:
        return ipaddress.ip_address(text.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    guard = NetworkGuard()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo
    real_create_connection = socket.create_connection

    def _check(sock: socket.socket, address: object) -> None:
        inet = sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple)
        if inet and not is_loopback(address[0]):  # type: ignore[index]
            raise guard.refuse(f"connect to {address[0]}:{address[1]}")

    def connect(self: socket.socket, address: object) -> None:
        _check(self, address)
        return real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        _check(self, address)
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if not is_loopback(host):
            raise guard.refuse(f"name lookup of {host}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    def create_connection(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        if not is_loopback(address[0]):
            raise guard.refuse(f"connection to {address[0]}:{address[1]}")
        return real_create_connection(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    yield guard
    if guard.attempts:
        pytest.fail("the code under test tried to reach the network: " + "; ".join(guard.attempts), pytrace=False)


# -- the canary ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def canary() -> Iterator[Canary]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            hits.append(f"{self.command} {self.path}")
            body = b'<http://example.org/fetched> <http://example.org/p> "fetched" .\n'
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Canary(f"http://127.0.0.1:{server.server_port}", hits)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fresh_canary(canary: Canary) -> Iterator[Canary]:
    """The canary, emptied before the test and checked after it."""
    canary.hits.clear()
    yield canary
    canary.assert_untouched()


# -- stores ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fast_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory in memory (/dev/shm) when there is one: every write to a store fsyncs a new
    generation, and the harvest and loader modules make a few hundred of them."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        d = Path(tempfile.mkdtemp(prefix="govkg-hostile-", dir=shm))
        yield d
        shutil.rmtree(d, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def seeded_store(fast_dir: Path) -> OxigraphStore:
    store = OxigraphStore(fast_dir / "store")
    seed(store)
    return store
