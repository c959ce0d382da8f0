"""SPARQL endpoint latency and throughput over HTTP, against the same queries on pyoxigraph directly.

    python bench/bench_sparql.py [--datasets 20000] [--clients 4] [--seconds 10] [--workers 2]
                                 [--query-workers 2] [--threads 4]

Builds a store from the demo generator (``govkg.demo.generate``; a small synthetic
catalogue of its own if the generator cannot be imported), starts ``govkg serve`` (gunicorn)
on loopback, then runs a mix of catalogue queries two ways for ``--seconds`` each:

* direct: ``--clients`` threads calling pyoxigraph on one read-only snapshot and serialising
  SPARQL JSON / N-Triples, in this process (no HTTP, no worker processes, no limits);
* HTTP: ``--clients`` threads with keep-alive sessions POSTing the same queries to /sparql.

Prints p50/p95 latency per query and overall, and queries per second, for both.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import requests

from govkg.store.oxigraph import OxigraphStore
from govkg.vocab import graph_iri

P = "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> " \
    "PREFIX gds: <https://w3id.org/govkg/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "

QUERIES: dict[str, str] = {
    "count-datasets": P + "SELECT (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset }",
    "by-sharing-type": P + "SELECT ?t (COUNT(?d) AS ?n) WHERE { ?d gds:sharingType ?t } GROUP BY ?t",
    "by-publisher-top10": P + "SELECT ?a (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset ; dct:publisher ?a } "
                              "GROUP BY ?a ORDER BY DESC(?n) LIMIT 10",
    "page-of-titles": P + "SELECT ?d ?title WHERE { ?d a dcat:Dataset ; dct:title ?title "
                          "FILTER(lang(?title) = 'zh') } LIMIT 50",
    "one-dataset": P + "CONSTRUCT { ?d ?p ?o } WHERE { { SELECT ?d WHERE { ?d a dcat:Dataset } LIMIT 1 OFFSET 7 } "
                       "?d ?p ?o }",
    "keyword-and-format": P + "SELECT DISTINCT ?d WHERE { ?d dcat:keyword ?k ; dcat:distribution ?x . "
                              "?x dct:format ?f } LIMIT 20",
    "ask-conditional": P + "ASK { ?d gds:sharingType ?t FILTER(CONTAINS(STR(?t), 'CONDITIONAL')) }",
}


def build_store(path: Path, datasets: int) -> int:
    store = OxigraphStore(path)
    nq = path.parent / "catalogue.nq"
    try:
        from govkg.demo import generate

        with open(nq, "w", encoding="utf-8") as f:
            generate(f, datasets=datasets, seed=7, graph=str(graph_iri("source", "demo")))
    except ImportError:
        with open(nq, "w", encoding="utf-8") as f:
            synthetic(f, datasets)
    with store.transaction() as tx:
        tx.bulk_load_trusted(nq, ox.RdfFormat.N_QUADS)
    with open(nq, "rb") as f:
        return sum(1 for _ in f)


def synthetic(out: io.TextIOBase, datasets: int) -> None:
    """A plain DCAT catalogue: datasets with titles, publishers, keywords and distributions."""
    g = f"<{graph_iri('source', 'bench')}>"
    ns = "https://w3id.org/govkg/"
    for i in range(datasets):
        d = f"<{ns}id/dataset/{i}>"
        out.write(f"{d} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> {g} .\n")
        out.write(f'{d} <http://purl.org/dc/terms/title> "数据集 {i}"@zh {g} .\n')
        out.write(f"{d} <http://purl.org/dc/terms/publisher> <{ns}id/agency/{i % 97}> {g} .\n")
        out.write(f"{d} <{ns}def#sharingType> <{ns}authority/sharing-type/"
                  f"{('UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED')[i % 3]}> {g} .\n")
        out.write(f'{d} <http://www.w3.org/ns/dcat#keyword> "k{i % 50}" {g} .\n')
        x = f"<{ns}id/distribution/{i}>"
        out.write(f"{d} <http://www.w3.org/ns/dcat#distribution> {x} {g} .\n")
        out.write(f"{x} <http://purl.org/dc/terms/format> <http://publications.europa.eu/resource/authority/"
                  f"file-type/CSV> {g} .\n")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_load(name: str, clients: int, seconds: float, call) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """``clients`` threads calling ``call(query_name, text)`` round-robin for ``seconds``."""
    lat: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    errors: list[str] = []

    def client(k: int) -> None:
        names = itertools.islice(itertools.cycle(QUERIES), k, None)
        local: list[tuple[str, float]] = []
        for qname in names:
            if time.perf_counter() > stop_at:
                break
            t = time.perf_counter()
            try:
                call(qname, QUERIES[qname])
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(f"{qname}: {e}")
                break
            local.append((qname, time.perf_counter() - t))
        with lock:
            for q, v in local:
                lat[q].append(v)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"{name}: {len(errors)} errors, first: {errors[0]}", file=sys.stderr)
    return lat


def report(title: str, lat: dict[str, list[float]], seconds: float) -> None:
    every = [v for vs in lat.values() for v in vs]
    print(f"\n{title}: {len(every)} queries in {seconds:.0f} s = {len(every) / seconds:,.0f} queries/s")
    print(f"  {'query':22} {'n':>6} {'p50 ms':>9} {'p95 ms':>9}")
    for q in QUERIES:
        vs = lat.get(q, [])
        print(f"  {q:22} {len(vs):>6} {percentile(vs, 50) * 1000:>9.2f} {percentile(vs, 95) * 1000:>9.2f}")
    print(f"  {'all':22} {len(every):>6} {percentile(every, 50) * 1000:>9.2f} {percentile(every, 95) * 1000:>9.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=int, default=20000)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    ap.add_argument("--query-workers", type=int, default=2, help="query processes per gunicorn worker")
    ap.add_argument("--port", type=int, default=18765)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="govkg-bench-") as tmp:
        path = Path(tmp) / "store"
        t = time.perf_counter()
        quads = build_store(path, args.datasets)
        print(f"store: {args.datasets} datasets, {quads:,} quads, built in {time.perf_counter() - t:.1f} s")

        # -- direct on pyoxigraph ---------------------------------------------------------------
        snap = OxigraphStore(path).snapshot()
        default = snap.default_graphs()

        def direct(_: str, text: str) -> None:
            res = snap.oxigraph.query(text, default_graph=default)
            out = io.BytesIO()
            if isinstance(res, ox.QueryTriples):
                ox.serialize(res, out, ox.RdfFormat.N_TRIPLES)
            else:
                res.serialize(out, ox.QueryResultsFormat.JSON)

        for q, text in QUERIES.items():  # warm caches, check every query runs
            direct(q, text)
        report("pyoxigraph direct", run_load("direct", args.clients, args.seconds, direct), args.seconds)
        snap.close()

        # -- over HTTP -------------------------------------------------------------------------------
        env = {**os.environ, "GOVKG_QUERY_WORKERS": str(args.query_workers), "GOVKG_MAX_RESULTS": "1000000"}
        govkg = Path(sys.executable).parent / "govkg"
        log = open(Path(tmp) / "server.log", "wb")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(
            [str(govkg), "--store", str(path), "serve", "--port", str(args.port), "--workers", str(args.workers),
             "--threads", str(args.threads)], stdout=log, stderr=subprocess.STDOUT, env=env)
        base = f"http://127.0.0.1:{args.port}/sparql"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    requests.get(base, params={"query": "ASK {}"}, timeout=10)
                    break
                except requests.RequestException:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise SystemExit("the server did not start; see its log") from None
                    time.sleep(0.2)
            local = threading.local()

            def http(_: str, text: str) -> None:
                s = getattr(local, "s", None)
                if s is None:
                    s = local.s = requests.Session()
                    s.trust_env = False
                r = s.post(base, data={"query": text}, headers={"Accept": "application/sparql-results+json, "
                                                                          "application/n-triples"}, timeout=60)
                if r.status_code != 200:
                    raise RuntimeError(f"{r.status_code} {r.text[:200]}")

            for q, text in QUERIES.items():  # every worker process opens the store, warms up
                for _ in range(args.workers * args.query_workers):
                    http(q, text)
            report(f"HTTP /sparql (gunicorn {args.workers}x{args.threads} threads, "
                   f"{args.query_workers} query workers each)",
                   run_load("http", args.clients, args.seconds, http), args.seconds)
        finally:
            proc.terminate()
            proc.wait(30)
            log.close()


if __name__ == "__main__":
    main()
