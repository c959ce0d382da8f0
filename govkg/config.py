"""Explicit configuration, passed in (never read at import time).

Values come from, in increasing priority: defaults, environment variables
(``GOVKG_*``), an optional config file given by the caller, command-line options.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from govkg.vocab import BASE

DEFAULT_STORE = Path(os.path.expanduser("~")) / ".local" / "share" / "govkg" / "store"


@dataclass(frozen=True)
class Config:
    store: Path = DEFAULT_STORE  # the embedded Oxigraph store directory
    endpoint: str | None = None  # a remote SPARQL 1.1 query endpoint instead of the embedded store
    update_endpoint: str | None = None  # its update endpoint (defaults to the query endpoint)
    base_iri: str = BASE  # the IRI base govkg mints under; the server maps it onto its own root
    query_timeout: float = 30.0  # seconds before a query is stopped
    max_results: int = 100_000  # solutions or triples per query
    max_request_bytes: int = 10 * 1024 * 1024
    update_token: str | None = None  # writes over HTTP are refused unless this is set and presented
    query_workers: int = 2  # query processes per server process
    remote_timeout: float = 60.0
    feed_page_size: int = 100  # datasets per DCAT feed page when the client gives no limit
    feed_max_page_size: int = 1000  # the largest limit a client may ask for
    tombstone_days: float = 90.0  # how long deleted or revoked datasets stay in the feed as tombstones
    api_page_size: int = 1000  # rows per query-API page when the client gives no limit
    api_max_page_size: int = 10_000  # the largest limit a query-API client may ask for
    api_max_offset: int = 10_000  # the deepest OFFSET a query-API page may start at (OFFSET is linear)
    # requests to expensive routes per client IP per minute and server process (server/security.py);
    # None: off in the app factory (embedding, tests), SERVE_RATE_LIMIT under `govkg serve`; 0: off
    rate_limit_per_minute: int | None = None
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-For entries name the client
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Config:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            key = "GOVKG_" + f.name.upper()
            if key in env and f.name != "extra":
                raw = env[key]
                values[f.name] = _coerce(f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "store" in values:
            values["store"] = Path(str(values["store"])).expanduser()
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Config:
        return replace(self, **changes)  # type: ignore[arg-type]


def _coerce(type_name: object, raw: str) -> object:
    t = str(type_name)
    if "float" in t:
        return float(raw)
    if "int" in t:
        return int(raw)
    if "Path" in t:
        return Path(raw)
    return raw
