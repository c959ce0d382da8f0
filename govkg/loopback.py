"""A WSGI app served on 127.0.0.1 in a thread, for benches and tests that need real HTTP
(a catalogue to harvest, a platform that misbehaves).

Needs werkzeug (the ``server`` extra), imported only when a server is started.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def serve(app: Callable[..., object], *, log_requests: bool = True) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yields its base URL (no trailing slash).

    ``log_requests=False`` keeps werkzeug from logging a line per request (a bench under load)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietRequestHandler(WSGIRequestHandler):
        def log_request(self, *args: object) -> None:
            pass

    handler = None if log_requests else QuietRequestHandler  # None: werkzeug's own
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=handler)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
