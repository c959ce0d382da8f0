"""Load test: concurrent clients against ``govkg serve`` for a fixed time, with or without a harvest.

Clients (threads, one HTTP session each) mix, for ``--duration`` seconds:

``sparql``    SPARQL queries on ``/sparql`` (listing, count, ASK, CONSTRUCT, GROUP BY about a dataset)
``feed``      DCAT feed pages of ``/catalog`` (the first page, pages found by walking ``next``, the last)
``home``      the site's home page ``/``
``dataset``   a dataset's page ``/id/dataset/...`` (HTML)
``search``    ``/search`` with a word taken from the titles

Every answer other than 200 (or a transport error) counts as an error.  The figures are
requests, errors, p50 and p95 per kind and requests per second.  With ``--harvest``, a
loop of ``govkg harvest`` runs writes into the served store the whole time: a Hydra-paged
catalogue served on loopback by this script, changed before every run, so each harvest
publishes a new store generation under the readers.

    .venv/bin/python bench/bench_load.py --datasets 2000 --clients 8 --duration 60
    .venv/bin/python bench/bench_load.py --datasets 2000 --duration 60 --harvest
    .venv/bin/python bench/bench_load.py --url http://127.0.0.1:8080 --duration 30   # a server already up

The server is started with rate limiting off (``GOVKG_RATE_LIMIT_PER_MINUTE=0``): this
measures capacity, not the limiter.  ``tests/faults/test_load_smoke.py`` runs the same code
for a few seconds in the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import requests

from govkg.loopback import serve

BASE = "https://w3id.org/govkg/"
KINDS = ("sparql", "feed", "home", "dataset", "search")
WEIGHTS = (30, 25, 10, 20, 15)
HTML = {"Accept": "text/html"}
PREFIXES = "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>\n"
VENV_BIN = Path(sys.executable).parent


# -- a paged catalogue to harvest ------------------------------------------------------------------
class PagedCatalogue:
    """A WSGI app: a Hydra-paged DCAT catalogue (``/catalog?page=N``, Turtle).

    Every time page 1 is fetched the titles change (a new round), so that every harvest run
    has something to write.  ``delay`` seconds are spent on each page (a slow platform)."""

    def __init__(self, pages: int = 10, per_page: int = 20, delay: float = 0.0, prefix: str = "loopback") -> None:
        self.pages = pages
        self.per_page = per_page
        self.delay = delay
        self.prefix = prefix
        self.round = 0
        self.served = 0
        self._lock = threading.Lock()

    def page(self, base: str, n: int) -> bytes:
        ex = f"https://{self.prefix}.example.org/"
        view = f"{base}/catalog?page={n}"
        out = [
            "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .",
            "@prefix hydra: <http://www.w3.org/ns/hydra/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
            "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
            f"<{base}/catalog> a hydra:Collection ; hydra:totalItems {self.pages * self.per_page} ;"
            f" hydra:view <{view}> .",
            f"<{view}> a hydra:PartialCollectionView ; hydra:first <{base}/catalog?page=1> ;"
            f" hydra:last <{base}/catalog?page={self.pages}>"
            + (f" ; hydra:next <{base}/catalog?page={n + 1}>" if n < self.pages else "")
            + (f" ; hydra:previous <{base}/catalog?page={n - 1}>" if n > 1 else "") + " .",
            f'<{ex}catalog> a dcat:Catalog ; dct:title "Loopback portal"@en ; dct:publisher <{ex}org/1> .',
            f'<{ex}org/1> a foaf:Agent ; foaf:name "Open data office"@en .',
        ]
        for i in range((n - 1) * self.per_page, n * self.per_page):
            d = f"<{ex}dataset/{i}>"
            out.append(
                f'{d} a dcat:Dataset ; dct:title "Dataset {i} round {self.round}"@en ; dct:identifier "ds-{i}" ;'
                f' dct:publisher <{ex}org/1> ;'
                f' dct:modified "2024-01-01T00:00:{self.round % 60:02d}+00:00"^^xsd:dateTime ;'
                f' dcat:distribution <{ex}dataset/{i}/csv> .\n'
                f'<{ex}dataset/{i}/csv> a dcat:Distribution ; dcat:accessURL <{ex}files/{i}.csv> ;'
                f' dcat:byteSize "0{i}00"^^xsd:nonNegativeInteger .\n'
                f"<{ex}catalog> dcat:dataset {d} ."
            )
        return ("\n".join(out) + "\n").encode("utf-8")

    def __call__(self, environ: dict[str, object], start_response) -> list[bytes]:  # type: ignore[no-untyped-def]
        from werkzeug.wrappers import Request, Response

        req = Request(environ)
        if req.path != "/catalog":
            return Response("not found", status=404)(environ, start_response)  # type: ignore[no-any-return]
        n = int(req.args.get("page", "1")) if req.args.get("page", "1").isdigit() else 0
        if not 1 <= n <= self.pages:
            return Response("no such page", status=404)(environ, start_response)  # type: ignore[no-any-return]
        with self._lock:
            if n == 1:
                self.round += 1
            self.served += 1
        if self.delay:
            time.sleep(self.delay)
        base = req.host_url.rstrip("/")
        return Response(self.page(base, n), content_type="text/turtle")(environ, start_response)  # type: ignore[no-any-return]


def serve_wsgi(app: Callable[..., object]) -> contextlib.AbstractContextManager[str]:
    """Serve a WSGI app on a free loopback port in a thread, without a log line per request;
    yields its base URL."""
    return serve(app, log_requests=False)


# -- govkg serve -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def govkg_serve(store: Path, log: Path, *, workers: int = 2, threads: int = 4,
                env: dict[str, str] | None = None) -> Iterator[str]:
    """``govkg serve`` on a free loopback port over ``store`` (rate limiting off); yields its base URL."""
    port = free_port()
    environ = {**os.environ, "GOVKG_RATE_LIMIT_PER_MINUTE": "0", **(env or {})}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(VENV_BIN / "govkg"), "--store", str(store), "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers), "--threads", str(threads)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=environ)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"govkg serve exited with {proc.returncode}: {tail}")
            try:
                requests.get(base + "/sparql", params={"query": "ASK {}"}, timeout=(1, 30))
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError("govkg serve did not answer within 90 s") from None
                time.sleep(0.2)
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


# -- what the clients ask for -----------------------------------------------------------------------
@dataclass
class Targets:
    datasets: list[str]  # dataset IRIs
    words: list[str]  # search words
    feed_pages: list[str]  # feed page URLs (absolute)

    @classmethod
    def discover(cls, base: str, *, sample: int = 200) -> Targets:
        http = requests.Session()
        q = PREFIXES + (f"SELECT ?d ?t WHERE {{ ?d a dcat:Dataset ; dct:title ?t "
                        f"FILTER(STRSTARTS(STR(?d), '{BASE}id/dataset/')) }} LIMIT {sample}")
        resp = http.get(base + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"},
                        timeout=60)
        resp.raise_for_status()
        rows = resp.json()["results"]["bindings"]
        datasets = sorted({r["d"]["value"] for r in rows})
        words = sorted({w for r in rows for w in re.findall(r"\w{2,}", r["t"]["value"])})[:50] or ["data"]
        pages = [base + "/catalog?limit=50"]
        url: str | None = pages[0]
        for _ in range(5):  # walk a few pages to have cursors
            resp = http.get(url, headers={"Accept": "text/turtle"}, timeout=60)  # type: ignore[arg-type]
            resp.raise_for_status()
            nxt = [t.object.value for t in ox.parse(resp.content, format=ox.RdfFormat.TURTLE, base_iri=url)
                   if t.predicate.value == "http://www.w3.org/ns/hydra/core#next"]
            if not nxt:
                break
            url = nxt[0]
            pages.append(url)
        pages.append(base + "/catalog?limit=50&page=last")
        http.close()
        if not datasets:
            raise RuntimeError("the store holds no demo datasets to ask for")
        return cls(datasets, words, pages)


def pick(kind: str, t: Targets, base: str, rng: random.Random) -> tuple[str, str, dict[str, object]]:
    """(method, url, request arguments) of one request of this kind."""
    d = rng.choice(t.datasets)
    if kind == "sparql":
        query = rng.choice([
            PREFIXES + "SELECT ?d ?t WHERE { ?d a dcat:Dataset ; dct:title ?t } LIMIT 20",
            PREFIXES + "SELECT (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset }",
            f"ASK {{ <{d}> ?p ?o }}",
            f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ <{d}> ?p ?o }} GROUP BY ?p",
            f"CONSTRUCT WHERE {{ <{d}> ?p ?o }}",
        ])
        accept = "text/turtle" if query.startswith("CONSTRUCT") else "application/sparql-results+json"
        return "POST", base + "/sparql", {"data": {"query": query}, "headers": {"Accept": accept}}
    if kind == "feed":
        return "GET", rng.choice(t.feed_pages), {"headers": {"Accept": "text/turtle"}}
    if kind == "home":
        return "GET", base + "/", {"headers": HTML}
    if kind == "dataset":
        return "GET", base + "/" + d.removeprefix(BASE), {"headers": HTML}
    return "GET", f"{base}/search?q={quote(rng.choice(t.words))}", {"headers": HTML}


# -- the run -------------------------------------------------------------------------------------------
@dataclass
class LoadResult:
    duration: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: list[str] = field(default_factory=list)
    error_counts: dict[str, int] = field(default_factory=lambda: {k: 0 for k in KINDS})
    harvests: list[int] = field(default_factory=list)  # exit codes of the harvest runs
    harvest_log: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def summary(self) -> dict[str, object]:
        kinds = {k: {"requests": len(v), "errors": self.error_counts[k], "p50_ms": round(percentile(v, 50) * 1000, 1),
                     "p95_ms": round(percentile(v, 95) * 1000, 1), "max_ms": round(max(v, default=0) * 1000, 1)}
                 for k, v in self.latencies.items()}
        return {"duration_s": round(self.duration, 1), "requests": self.requests, "errors": len(self.errors),
                "requests_per_s": round(self.requests / self.duration, 1) if self.duration else 0.0,
                "kinds": kinds, "harvest_runs": len(self.harvests),
                "harvest_failures": sum(1 for rc in self.harvests if rc != 0), "first_errors": self.errors[:10]}


def percentile(xs: list[float], p: float) -> float:
    """Nearest-rank percentile (0 for no samples)."""
    if not xs:
        return 0.0
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))]


def client(base: str, t: Targets, deadline: float, seed: int, result: LoadResult, lock: threading.Lock) -> None:
    rng = random.Random(seed)
    http = requests.Session()
    http.trust_env = False
    try:
        while time.monotonic() < deadline:
            kind = rng.choices(KINDS, WEIGHTS)[0]
            method, url, kwargs = pick(kind, t, base, rng)
            started = time.perf_counter()
            problem = None
            try:
                resp = http.request(method, url, timeout=60, **kwargs)  # type: ignore[arg-type]
                if resp.status_code != 200 or not resp.content:
                    problem = f"{kind} {method} {url}: {resp.status_code} {resp.text[:200]!r}"
            except requests.RequestException as e:
                problem = f"{kind} {method} {url}: {e.__class__.__name__}: {e}"
            elapsed = time.perf_counter() - started
            with lock:
                result.latencies[kind].append(elapsed)
                if problem:
                    result.errors.append(problem)
                    result.error_counts[kind] += 1
    finally:
        http.close()


class HarvestLoop:
    """``govkg harvest`` of ``source`` into ``store``, again and again until stopped."""

    def __init__(self, store: Path, source: str, result: LoadResult) -> None:
        self.store = store
        self.source = source
        self.result = result
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            done = subprocess.run([str(VENV_BIN / "govkg"), "--store", str(self.store), "-q", "harvest", self.source,
                                   "--kind", "hydra"], capture_output=True, text=True, check=False)
            self.result.harvests.append(done.returncode)
            self.result.harvest_log.append((done.stdout + done.stderr).strip()[:500])

    def __enter__(self) -> HarvestLoop:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()  # the run under way finishes; none is started after it
        self._thread.join(300)


def run_load(base: str, *, clients: int, duration: float, targets: Targets | None = None, seed: int = 1,
             harvest_store: Path | None = None, catalogue: PagedCatalogue | None = None) -> LoadResult:
    """Run ``clients`` clients for ``duration`` seconds; with ``harvest_store``, harvest into it meanwhile."""
    targets = targets or Targets.discover(base)
    result = LoadResult()
    lock = threading.Lock()
    with contextlib.ExitStack() as stack:
        if harvest_store is not None:
            source = stack.enter_context(serve_wsgi(catalogue or PagedCatalogue()))
            stack.enter_context(HarvestLoop(harvest_store, source + "/catalog", result))
        started = time.monotonic()
        deadline = started + duration
        threads = [threading.Thread(target=client, args=(base, targets, deadline, seed * 1000 + i, result, lock))
                   for i in range(clients)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        result.duration = time.monotonic() - started
    return result


def print_summary(summary: dict[str, object], title: str) -> None:
    print(f"\n{title}")
    print(f"  {summary['requests']} requests in {summary['duration_s']} s ({summary['requests_per_s']}/s), "
          f"{summary['errors']} errors; harvest runs {summary['harvest_runs']} "
          f"({summary['harvest_failures']} failed)")
    print(f"  {'kind':<8} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, k in summary["kinds"].items():  # type: ignore[attr-defined]
        print(f"  {kind:<8} {k['requests']:>8} {k['errors']:>6} {k['p50_ms']:>8} {k['p95_ms']:>8} {k['max_ms']:>8}")
    for e in summary["first_errors"]:  # type: ignore[attr-defined]
        print("  error:", e)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="a govkg server already running (else one is started over --store)")
    ap.add_argument("--store", type=Path, help="store directory (default: a temporary one with a demo graph)")
    ap.add_argument("--datasets", type=int, default=2000, help="demo size when the store is new")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds")
    ap.add_argument("--harvest", action="store_true", help="harvest a loopback catalogue into the store meanwhile")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    if args.url and args.harvest and not args.store:
        ap.error("--harvest with --url needs the --store the server serves")
    with contextlib.ExitStack() as stack:
        store = args.store
        if store is None:
            store = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="govkg-load-"))) / "store"
        if not args.url and not (store / "govkg-store.json").exists():
            from govkg.load_demo import load_demo
            from govkg.store.oxigraph import OxigraphStore

            t0 = time.perf_counter()
            load_demo(OxigraphStore(store), datasets=args.datasets, seed=args.seed)
            print(f"demo store of {args.datasets} datasets loaded in {time.perf_counter() - t0:.1f} s: {store}")
        base = args.url or stack.enter_context(
            govkg_serve(store, store.parent / "serve.log", workers=args.workers, threads=args.threads))
        targets = Targets.discover(base)
        result = run_load(base, clients=args.clients, duration=args.duration, targets=targets, seed=args.seed,
                          harvest_store=store if args.harvest else None)
        summary = {"clients": args.clients, "workers": args.workers, "threads": args.threads,
                   "harvest": args.harvest, **result.summary()}
        print_summary(summary, f"{args.clients} clients, {args.duration:g} s, workers {args.workers} x threads "
                               f"{args.threads}{', harvest running' if args.harvest else ''}")
        if args.json:
            args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False), "utf-8")
    return 1 if summary["errors"] or summary["harvest_failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
