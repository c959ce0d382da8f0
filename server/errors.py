"""One error shape: JSON ``{"ok": false, "error": ..., "status": ...}`` for machines,
a small escaped HTML page for browsers."""

from __future__ import annotations

from flask import Flask, Response, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from govkg.errors import GovkgError


def wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]


def error_response(message: str, status: int, extra: dict[str, object] | None = None) -> Response:
    if wants_html():
        body = (
            f"<!doctype html><html><head><meta charset='utf-8'><title>Error {status}</title></head>"
            f"<body><h1>Error {status}</h1><p>{escape(message)}</p></body></html>"
        )
        resp = Response(body, status=status, mimetype="text/html")
    else:
        payload: dict[str, object] = {"ok": False, "error": message, "status": status}
        payload.update(extra or {})
        resp = jsonify(payload)
        resp.status_code = status
    return resp


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(GovkgError)
    def _govkg(e: GovkgError) -> Response:
        d = e.to_dict()
        d.pop("ok", None)
        d.pop("status", None)
        msg = str(d.pop("error"))
        return error_response(msg, e.http_status, d)

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException) -> Response:
        resp = error_response(e.description or e.name, e.code or 500)
        if e.code == 405 and e.get_response().headers.get("Allow"):
            resp.headers["Allow"] = e.get_response().headers["Allow"]
        return resp
