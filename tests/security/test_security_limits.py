"""Request size limits (413) and rate limiting of expensive routes (429 with Retry-After)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from flask import Flask

from server import security
from server.security import SERVE_RATE_LIMIT, TokenBuckets, client_ip

LIMIT = 2000
AUTH = {"Authorization": "Bearer t0ken"}
ASK = {"query": "ASK {}"}


# -- 413 -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("method", "url", "kwargs"), [
    ("POST", "/sparql", {"data": b"SELECT * {}" + b" " * LIMIT, "content_type": "application/sparql-query"}),
    ("POST", "/sparql", {"data": {"query": "ASK {}" + " " * LIMIT}}),
    ("POST", "/update", {"data": b"CLEAR ALL" + b" " * LIMIT, "content_type": "application/sparql-update",
                         "headers": AUTH}),
    ("POST", "/update", {"data": {"update": "CLEAR ALL" + " " * LIMIT}, "headers": AUTH}),
    ("POST", "/update", {"data": b"CLEAR ALL" + b" " * LIMIT, "content_type": "application/sparql-update"}),
    ("PUT", "/graph-store?graph=https://example.org/g", {"data": b"# " + b"x" * LIMIT, "content_type": "text/turtle",
                                                        "headers": AUTH}),
    ("POST", "/graph-store", {"data": b"# " + b"x" * LIMIT, "content_type": "text/turtle", "headers": AUTH}),
    ("POST", "/search", {"data": b"x" * (LIMIT + 1)}),  # a GET route: the body is refused before routing matters
])
def test_every_body_over_the_limit_is_refused_with_413(make_app: Callable[..., Flask], method: str, url: str,
                                                       kwargs: dict[str, object]) -> None:
    client = make_app(max_request_bytes=LIMIT, update_token="t0ken").test_client()
    resp = client.open(url, method=method, **kwargs)  # type: ignore[arg-type]
    assert resp.status_code == 413
    assert resp.json["ok"] is False and str(LIMIT) in resp.json["error"]


def test_a_chunked_body_is_measured_too(make_app: Callable[..., Flask]) -> None:
    client = make_app(max_request_bytes=LIMIT).test_client()
    chunked = {"Transfer-Encoding": "chunked"}

    def post(body: bytes) -> int:
        return client.post("/sparql", input_stream=io.BytesIO(body), headers=chunked,
                           content_type="application/sparql-query").status_code

    assert post(b"ASK {}\n#" + b"x" * LIMIT) == 413
    assert post(b"ASK {}\n#" + b"x" * (LIMIT - 100)) == 200


def test_a_body_under_the_limit_is_served(make_app: Callable[..., Flask]) -> None:
    client = make_app(max_request_bytes=LIMIT, update_token="t0ken").test_client()
    assert client.post("/sparql", data=b"ASK {}" + b" " * (LIMIT - 100),
                       content_type="application/sparql-query").status_code == 200


# -- 429 -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/sparql?query=ASK%7B%7D", "/search?q=data", "/catalog.nt", "/catalog",
                                 "/void", "/api/restricted-without-legal-basis"])
def test_expensive_routes_answer_429_with_retry_after(make_app: Callable[..., Flask], url: str) -> None:
    client = make_app(rate_limit_per_minute=3).test_client()
    served = [client.get(url, headers={"Accept": "text/turtle"} if "void" in url else {}) for _ in range(3)]
    assert all(r.status_code != 429 for r in served)
    refused = client.get(url)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 20  # one token comes back every 20 s at 3 a minute
    assert refused.json["status"] == 429 and "too many requests" in refused.json["error"]
    assert refused.headers["X-Content-Type-Options"] == "nosniff"


def test_cheap_routes_and_preflights_are_not_counted(make_app: Callable[..., Flask]) -> None:
    client = make_app(rate_limit_per_minute=2).test_client()
    for _ in range(5):
        assert client.get("/", headers={"Accept": "text/html"}).status_code == 200
        assert client.options("/sparql").status_code == 200
    assert client.get("/sparql", query_string=ASK).status_code == 200
    assert client.get("/sparql", query_string=ASK).status_code == 200
    assert client.get("/sparql", query_string=ASK).status_code == 429


def test_the_limit_is_per_client_and_x_forwarded_for_is_not_trusted_by_default(
        make_app: Callable[..., Flask]) -> None:
    client = make_app(rate_limit_per_minute=1).test_client()
    one = {"REMOTE_ADDR": "192.0.2.1"}
    assert client.get("/sparql", query_string=ASK, environ_base=one).status_code == 200
    spoofed = client.get("/sparql", query_string=ASK, environ_base=one, headers={"X-Forwarded-For": "198.51.100.7"})
    assert spoofed.status_code == 429  # a header of its own choosing does not give a client a fresh bucket
    assert client.get("/sparql", query_string=ASK, environ_base={"REMOTE_ADDR": "192.0.2.2"}).status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_client_is_limited(make_app: Callable[..., Flask]) -> None:
    client = make_app(rate_limit_per_minute=1, trusted_proxies=1).test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def get(xff: str) -> int:
        return client.get("/sparql", query_string=ASK, environ_base=proxy,
                          headers={"X-Forwarded-For": xff}).status_code

    assert get("203.0.113.5") == 200
    assert get("203.0.113.6") == 200  # another client behind the same proxy
    assert get("203.0.113.5") == 429
    assert get("1.2.3.4, 203.0.113.5") == 429  # what the client wrote itself (left) does not count


def test_rate_limiting_is_off_unless_configured(make_app: Callable[..., Flask]) -> None:
    client = make_app().test_client()
    assert make_app().extensions["govkg.rate_limit"] is None
    assert all(client.get("/sparql", query_string=ASK).status_code == 200 for _ in range(30))


def test_token_buckets_refill_at_the_rate() -> None:
    now = [100.0]
    buckets = TokenBuckets(6, clock=lambda: now[0])  # one token every 10 s, six at most
    assert [buckets.take("a") for _ in range(6)] == [0.0] * 6
    assert buckets.take("a") == pytest.approx(10.0)
    now[0] += 5.0
    assert buckets.take("a") == pytest.approx(5.0)  # half a token back; still refused
    now[0] += 5.0
    assert buckets.take("a") == 0.0
    now[0] += 3600.0
    assert [buckets.take("a") for _ in range(7)][-1] > 0  # an idle client gets a minute's worth, no more


def test_token_buckets_forget_the_least_recent_clients() -> None:
    buckets = TokenBuckets(1, max_keys=3, clock=lambda: 0.0)
    for key in "abcd":
        assert buckets.take(key) == 0.0
    assert buckets.take("d") > 0  # remembered
    assert len(buckets._buckets) == 3 and "a" not in buckets._buckets


def test_client_ip_takes_the_entry_the_nearest_trusted_proxy_saw(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "10.0.0.9"},
                                  headers={"X-Forwarded-For": "6.6.6.6, 7.7.7.7, 8.8.8.8"}):
        from flask import request

        assert client_ip(request, 0) == "10.0.0.9"
        assert client_ip(request, 1) == "8.8.8.8"
        assert client_ip(request, 2) == "7.7.7.7"
        assert client_ip(request, 5) == "10.0.0.9"  # fewer hops than proxies: the header is not believed


def test_govkg_serve_turns_rate_limiting_on(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from govkg import cli
    from server import serve

    seen: list[object] = []
    monkeypatch.setattr(serve, "run", lambda config, **kw: seen.append(config.rate_limit_per_minute))
    runner = CliRunner()
    store = ["--store", str(tmp_path) + "/store"]
    assert runner.invoke(cli.cli, [*store, "serve"], env={"GOVKG_RATE_LIMIT_PER_MINUTE": None}).exit_code == 0
    assert runner.invoke(cli.cli, [*store, "serve", "--rate-limit", "0"]).exit_code == 0
    assert runner.invoke(cli.cli, [*store, "serve"], env={"GOVKG_RATE_LIMIT_PER_MINUTE": "7"}).exit_code == 0
    assert seen == [SERVE_RATE_LIMIT, 0, 7]
    assert security.SERVE_RATE_LIMIT > 0
