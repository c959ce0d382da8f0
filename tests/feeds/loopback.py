"""WSGI apps served on 127.0.0.1 in a thread, for tests that need real HTTP (harvesting).

:func:`serve` is :func:`govkg.loopback.serve` (the benches use it too), importable from here."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.wrappers import Request, Response

from govkg.loopback import serve as serve


def ensure_sparql_blueprint() -> None:
    """server/app.py registers server.sparql.bp; until that module lands (another piece of
    work), give it an empty blueprint so the feeds can be tested."""
    try:
        import server.sparql  # noqa: F401
    except Exception:  # noqa: BLE001 - missing or half-written
        from flask import Blueprint

        stub = types.ModuleType("server.sparql")
        stub.bp = Blueprint("sparql", __name__)  # type: ignore[attr-defined]
        sys.modules["server.sparql"] = stub


@dataclass
class StaticSite:
    """path (with query) -> (content type, body); records every request path."""

    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    handlers: dict[str, Callable[[Request], Response]] = field(default_factory=dict)

    def __call__(self, environ: dict[str, object], start_response: Callable[..., object]) -> object:
        req = Request(environ)
        key = req.full_path.rstrip("?")
        self.requests.append(key)
        if req.path in self.handlers:
            return self.handlers[req.path](req)(environ, start_response)
        hit = self.pages.get(key) or self.pages.get(req.path)
        if hit is None:
            return Response("not found", status=404)(environ, start_response)
        ctype, body = hit
        return Response(body, content_type=ctype)(environ, start_response)


def shared_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "shared"
