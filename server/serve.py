"""``govkg serve``: the app under gunicorn, a production WSGI server.

* ``workers`` gunicorn processes, each with ``threads`` request threads (the ``gthread``
  worker) and its own pool of ``config.query_workers`` query processes, started as soon as
  the worker is up.  So up to ``workers x query_workers`` queries run at once, and a slow
  query holds one request thread, never a whole server process.
* The app is loaded in each worker after the fork (no ``preload_app``): the arbiter never
  opens the store, so no RocksDB handle is ever inherited across a fork.
* gunicorn's own worker timeout is set well above the query time limit: queries are
  stopped by the query pool (an error answer), not by gunicorn killing a worker.
* The request line may be up to 8190 bytes (gunicorn's maximum): longer queries are POSTed.
"""

from __future__ import annotations

from typing import Any

from govkg.config import Config


def gunicorn_options(config: Config, *, host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    bind_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return {
        "bind": f"{bind_host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": int(max(60, config.query_timeout * 3 + 30)),
        "graceful_timeout": int(max(30, config.query_timeout + 10)),
        "keepalive": 5,
        "limit_request_line": 8190,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "govkg",
        "post_worker_init": _start_query_workers,
        "worker_exit": _stop_query_workers,
    }


def _start_query_workers(worker: Any) -> None:
    app = getattr(worker, "wsgi", None)
    svc = getattr(app, "extensions", {}).get("govkg.sparql")
    if svc is not None:
        svc.executor()  # starts the pool now rather than at the first query


def _stop_query_workers(server: Any, worker: Any) -> None:
    app = getattr(worker, "wsgi", None)
    svc = getattr(app, "extensions", {}).get("govkg.sparql")
    if svc is not None:
        svc.close()


def run(config: Config, *, host: str = "127.0.0.1", port: int = 8080, workers: int = 2, threads: int = 4) -> None:
    """Serve until stopped (SIGINT/SIGTERM)."""
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(config, host=host, port=port, workers=workers, threads=threads)

    class GovkgApplication(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from server.app import create_app

            return create_app(config)

    GovkgApplication().run()
