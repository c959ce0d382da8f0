"""The Flask app factory.

``create_app(config)`` takes a :class:`govkg.config.Config` (or builds one from the
environment), opens the store once, registers one blueprint per concern and one error
handler.  Nothing is read at import time.  Views reach the store and the configuration
through ``current_app.extensions["govkg"]`` (a :class:`server.context.Govkg`).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from govkg.config import Config
from server.context import Govkg
from server.errors import register_error_handlers
from server.security import register_security


def create_app(config: Config | None = None, test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    cfg = config or Config.from_env()
    app.config.update(MAX_CONTENT_LENGTH=cfg.max_request_bytes, JSON_AS_ASCII=False)
    if test_config:
        app.config.update(test_config)
    app.extensions["govkg"] = Govkg(cfg)
    register_error_handlers(app)
    register_security(app, cfg)

    from server import sparql

    app.register_blueprint(sparql.bp)
    from server import browse

    app.register_blueprint(browse.bp)
    from server import api

    app.register_blueprint(api.bp)
    try:  # the feeds blueprint lands with the DCAT feeds work
        from server import feeds
    except ImportError:
        feeds = None  # type: ignore[assignment]
    if feeds is not None:
        app.register_blueprint(feeds.bp)
    return app
