"""SPARQL endpoint latency and throughput over HTTP, against the same queries on pyoxigraph directly.

    python bench/bench_sparql.py [--datasets 20000 | --store DIR] [--clients 4] [--seconds 10]
                                 [--workers 2] [--query-workers 2] [--threads 4]

Builds a store from the demo generator (``govkg.demo.generate``; a small synthetic
catalogue of its own if the generator cannot be imported), or uses an existing store with
``--store DIR`` (read only), starts ``govkg serve`` (gunicorn) on loopback, then runs two
groups of queries, each two ways for ``--seconds``:

* ``lookup``: point lookups, DESCRIBE and listing pages, each time for another dataset or
  agency picked at random from the store (target: p95 < 50 ms at 1M datasets, and at least
  200 requests/s over HTTP with 2 workers);
* ``analytic``: aggregates over the whole catalogue (target: HTTP overhead < 1.5x for
  queries over 10 ms);
* ``point`` (with ``--groups point``): point lookups and DESCRIBE only, for the throughput
  target.

The two ways: direct, ``--clients`` threads calling pyoxigraph on one read-only snapshot and
serialising SPARQL JSON / N-Triples in this process (no HTTP, no worker processes, no
limits); HTTP, ``--clients`` threads with keep-alive sessions POSTing the same queries to
/sparql.  Prints p50/p95 latency per query and overall, queries per second, and the ratio
of HTTP to direct latency per query.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import random
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

DATASET = "http://www.w3.org/ns/dcat#Dataset"
AGENCY = "https://w3id.org/govkg/def#Agency"

# {d}: a dataset IRI, {a}: an agency IRI, both picked at random per call
LOOKUP: dict[str, str] = {
    "dataset-properties": P + "SELECT ?p ?o WHERE { <{d}> ?p ?o }",
    "dataset-construct": P + "CONSTRUCT { <{d}> ?p ?o } WHERE { <{d}> ?p ?o }",
    "describe-dataset": "DESCRIBE <{d}>",
    "dataset-title-publisher": P + "SELECT ?t ?a ?n WHERE { <{d}> dct:title ?t ; dct:publisher ?a . "
                                   "OPTIONAL { ?a skos:prefLabel ?n } }",
    "distributions-of": P + "SELECT ?x ?f ?u WHERE { <{d}> dcat:distribution ?x . OPTIONAL { ?x dct:format ?f } "
                            "OPTIONAL { ?x dcat:accessURL ?u } }",
    "agency-listing-page": P + "SELECT ?d ?t WHERE { ?d dct:publisher <{a}> ; a dcat:Dataset ; dct:title ?t "
                               "FILTER(lang(?t) = 'zh') } LIMIT 50",
    "titles-listing-page": P + "SELECT ?d ?t WHERE { ?d a dcat:Dataset ; dct:title ?t FILTER(lang(?t) = 'zh') } "
                               "LIMIT 50",
}
ANALYTIC: dict[str, str] = {
    "count-datasets": P + "SELECT (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset }",
    "by-sharing-type": P + "SELECT ?t (COUNT(?d) AS ?n) WHERE { ?d gds:sharingType ?t } GROUP BY ?t",
    "by-publisher-top10": P + "SELECT ?a (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset ; dct:publisher ?a } "
                              "GROUP BY ?a ORDER BY DESC(?n) LIMIT 10",
    "keyword-and-format": P + "SELECT DISTINCT ?d WHERE { ?d dcat:keyword ?k ; dcat:distribution ?x . "
                              "?x dct:format ?f } LIMIT 20",
    "ask-conditional": P + "ASK { ?d gds:sharingType ?t FILTER(CONTAINS(STR(?t), 'CONDITIONAL')) }",
}
POINT = {k: LOOKUP[k] for k in ("dataset-properties", "dataset-construct", "describe-dataset")}
GROUPS = {"lookup": LOOKUP, "analytic": ANALYTIC, "point": POINT}  # point: the throughput target


class Picker:
    """Random dataset and agency IRIs of the store, substituted into query templates."""

    def __init__(self, snap: object, k: int = 5000, seed: int = 7) -> None:
        rng = random.Random(seed)
        self.datasets = _sample(snap, DATASET, k, rng)
        self.agencies = _sample(snap, AGENCY, k, rng)
        self._rng = rng
        self._lock = threading.Lock()

    def fill(self, template: str) -> str:
        with self._lock:
            d, a = self._rng.choice(self.datasets), self._rng.choice(self.agencies)
        return template.replace("{d}", d).replace("{a}", a)


def _sample(snap: object, cls: str, k: int, rng: random.Random) -> list[str]:
    """Reservoir sample of k instances of cls (over the whole store, not its first rows)."""
    out: list[str] = []
    quads = snap.quads(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(cls), None)  # type: ignore[attr-defined]
    for i, q in enumerate(quads):
        if not isinstance(q.subject, ox.NamedNode):
            continue
        if len(out) < k:
            out.append(q.subject.value)
        else:
            j = rng.randrange(i + 1)
            if j < k:
                out[j] = q.subject.value
    return out or ["urn:x:none"]


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


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


def run_each(queries: dict[str, str], repeat: int, call, fill) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Each query ``repeat`` times in turn, one at a time (for queries that take seconds)."""
    lat: dict[str, list[float]] = defaultdict(list)
    t0 = time.perf_counter()
    for _ in range(repeat):
        for qname, template in queries.items():
            text = fill(template)
            t = time.perf_counter()
            call(text)
            lat[qname].append(time.perf_counter() - t)
    lat["_elapsed"] = [time.perf_counter() - t0]
    return lat


def run_load(queries: dict[str, str], clients: int, seconds: float, call, fill) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """``clients`` threads calling ``call(fill(template))`` round-robin over ``queries`` for ``seconds``."""
    lat: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    errors: list[str] = []

    def client(k: int) -> None:
        names = itertools.islice(itertools.cycle(queries), k, None)
        local: list[tuple[str, float]] = []
        for qname in names:
            if time.perf_counter() > stop_at:
                break
            text = fill(queries[qname])
            t = time.perf_counter()
            try:
                call(text)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(f"{qname}: {e}")
                break
            local.append((qname, time.perf_counter() - t))
        with lock:
            for q, v in local:
                lat[q].append(v)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat["_elapsed"] = [time.perf_counter() - t0]
    if errors:
        print(f"{len(errors)} errors, first: {errors[0]}", file=sys.stderr)
    return lat


def report(title: str, queries: dict[str, str], lat: dict[str, list[float]]) -> None:
    elapsed = lat["_elapsed"][0]
    every = [v for q, vs in lat.items() if q != "_elapsed" for v in vs]
    print(f"\n{title}: {len(every)} queries in {elapsed:.1f} s = {len(every) / elapsed:,.0f} queries/s")
    print(f"  {'query':26} {'n':>6} {'p50 ms':>9} {'p95 ms':>9}")
    for q in queries:
        vs = lat.get(q, [])
        print(f"  {q:26} {len(vs):>6} {percentile(vs, 50) * 1000:>9.2f} {percentile(vs, 95) * 1000:>9.2f}")
    print(f"  {'all':26} {len(every):>6} {percentile(every, 50) * 1000:>9.2f} {percentile(every, 95) * 1000:>9.2f}",
          flush=True)


def overhead(queries: dict[str, str], direct: dict[str, list[float]], http: dict[str, list[float]]) -> None:
    print("  HTTP / direct p50 (target < 1.5 for queries over 10 ms):")
    for q in queries:
        d, h = percentile(direct.get(q, []), 50), percentile(http.get(q, []), 50)
        if d != d or h != h:  # NaN: not measured
            print(f"    {q:26} not measured")
            continue
        flag = "" if d < 0.010 else ("  met" if h / d < 1.5 else "  MISSED")
        print(f"    {q:26} direct {d * 1000:9.2f} ms  HTTP {h * 1000:9.2f} ms  ratio {h / d:5.2f}{flag}")


def start_server(path: Path, args: argparse.Namespace, log_path: Path) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    env = {**os.environ, "GOVKG_QUERY_WORKERS": str(args.query_workers), "GOVKG_MAX_RESULTS": "1000000",
           "GOVKG_QUERY_TIMEOUT": "300", "GOVKG_RATE_LIMIT_PER_MINUTE": "0"}
    govkg = Path(sys.executable).parent / "govkg"
    log = open(log_path, "wb")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        [str(govkg), "--store", str(path), "serve", "--port", str(args.port), "--workers", str(args.workers),
         "--threads", str(args.threads)], stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{args.port}/sparql"
    deadline = time.monotonic() + 120
    while True:
        try:
            requests.get(base, params={"query": "ASK {}"}, timeout=10)
            return proc, base
        except requests.RequestException:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise SystemExit(f"the server did not start; see {log_path}") from None
            time.sleep(0.2)


def measure(group: str, queries: dict[str, str], args: argparse.Namespace, call, fill) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    if group == "analytic":
        return run_each(queries, args.repeat, call, fill)
    return run_load(queries, args.clients, args.seconds, call, fill)


def describe_run(group: str, args: argparse.Namespace) -> str:
    if group == "analytic":
        return f"1 client, each query {args.repeat} times"
    return f"{args.clients} clients for {args.seconds:.0f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=int, default=20000)
    ap.add_argument("--store", type=Path, help="use this existing store (read only) instead of building one")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each analytic query (one client: latency without queueing, for the overhead ratio)")
    ap.add_argument("--skip", nargs="*", default=[], help="query names to leave out (e.g. by-publisher-top10 at 1M)")
    ap.add_argument("--groups", nargs="+", choices=list(GROUPS), default=["lookup", "analytic"])
    ap.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    ap.add_argument("--query-workers", type=int, default=2, help="query processes per gunicorn worker")
    ap.add_argument("--port", type=int, default=18765)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="govkg-bench-") as tmp:
        if args.store is not None:
            path = args.store
            print(f"store: {path} (existing)")
        else:
            path = Path(tmp) / "store"
            t = time.perf_counter()
            quads = build_store(path, args.datasets)
            print(f"store: {args.datasets} datasets, {quads:,} quads, built in {time.perf_counter() - t:.1f} s")

        # -- direct on pyoxigraph ---------------------------------------------------------------
        snap = OxigraphStore(path, create=False).snapshot()
        default = snap.default_graphs()
        t = time.perf_counter()
        picker = Picker(snap)
        print(f"sampled {len(picker.datasets)} datasets and {len(picker.agencies)} agencies "
              f"in {time.perf_counter() - t:.1f} s", flush=True)

        def direct(text: str) -> None:
            res = snap.oxigraph.query(text, default_graph=default)
            out = io.BytesIO()
            if isinstance(res, ox.QueryTriples):
                ox.serialize(res, out, ox.RdfFormat.N_TRIPLES)
            else:
                res.serialize(out, ox.QueryResultsFormat.JSON)

        direct_lat = {}
        for group in args.groups:
            queries = {k: v for k, v in GROUPS[group].items() if k not in args.skip}
            for text in queries.values() if group != "analytic" else ():  # warm caches, check the queries run
                direct(picker.fill(text))
            direct_lat[group] = measure(group, queries, args, direct, picker.fill)
            report(f"[{group}] pyoxigraph direct, {describe_run(group, args)}", queries, direct_lat[group])

        # -- over HTTP -------------------------------------------------------------------------------
        proc, base = start_server(path, args, Path(tmp) / "server.log")
        try:
            local = threading.local()

            def http(text: str) -> None:
                s = getattr(local, "s", None)
                if s is None:
                    s = local.s = requests.Session()
                    s.trust_env = False
                r = s.post(base, data={"query": text}, headers={"Accept": "application/sparql-results+json, "
                                                                          "application/n-triples"}, timeout=600)
                if r.status_code != 200:
                    raise RuntimeError(f"{r.status_code} {r.text[:200]}")

            for group in args.groups:
                queries = {k: v for k, v in GROUPS[group].items() if k not in args.skip}
                for text in queries.values() if group != "analytic" else ():  # every worker opens the store
                    for _ in range(args.workers * args.query_workers):
                        http(picker.fill(text))
                lat = measure(group, queries, args, http, picker.fill)
                report(f"[{group}] HTTP /sparql (gunicorn {args.workers}x{args.threads} threads, "
                       f"{args.query_workers} query workers each), {describe_run(group, args)}", queries, lat)
                overhead(queries, direct_lat[group], lat)
        finally:
            proc.terminate()
            proc.wait(30)
            snap.close()


if __name__ == "__main__":
    main()
