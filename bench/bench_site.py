"""Site render-time benchmark: p50/p95 per page kind at given store sizes.

For each size a demo store is generated and loaded (``govkg.load_demo``), validated
(``govkg.validate.run.validate_store``, if the shapes load), and every page kind is rendered
``--samples`` times through the Flask app in-process (werkzeug test client: the time is
the app's, without network), each time for a different resource.  The search and facet
index is built once per store generation before timing; its build time is printed too.
Target: p95 under 300 ms for every kind, search with two facets included, at 1M datasets.

    .venv/bin/python bench/bench_site.py --sizes 1000 10000
    .venv/bin/python bench/bench_site.py --sizes 1000000 --samples 50   # national scale (slow load)
    .venv/bin/python bench/bench_site.py --store DIR [--validate]      # an existing store, as it is

With ``--store`` the store is used as it is (not loaded; validated only with
``--validate``, which commits a new generation): the compliance facet and the findings pages
show whatever validation run the store already holds.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from govkg.config import Config
from govkg.load_demo import load_demo
from govkg.search_index import SearchIndexManager
from govkg.store.oxigraph import OxigraphStore

BASE = "https://w3id.org/govkg/"
HTML = {"Accept": "text/html"}


def sample(snap: object, query: str, k: int, rng: random.Random) -> list[str]:
    rows = snap.select(query)  # type: ignore[attr-defined]
    values = sorted({next(iter(r.values())).value for r in rows})
    rng.shuffle(values)
    return values[:k] or values


def path(iri: str) -> str:
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else "/resource?iri=" + iri


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def bench_size(size: int, samples: int, workdir: Path, seed: int) -> None:
    store = OxigraphStore(workdir / f"store-{size}")
    t0 = time.perf_counter()
    load_demo(store, datasets=size, seed=seed)
    load_s = time.perf_counter() - t0
    bench_store(store, samples, seed, label=f"size {size}: load {load_s:.1f} s", validate=True)


def bench_store(store: OxigraphStore, samples: int, seed: int, *, label: str, validate: bool) -> None:
    from server import browse, sparql
    from server.app import create_app

    rng = random.Random(seed)
    findings, validate_s = -1, 0.0
    if validate:
        t0 = time.perf_counter()
        try:
            from govkg.validate.run import validate_store

            findings = len(validate_store(store).results)
        except Exception as e:  # noqa: BLE001 - the shapes are optional for the figures
            print(f"  (validation failed: {e})")
        validate_s = time.perf_counter() - t0
    with store.snapshot() as snap:
        t0 = time.perf_counter()
        SearchIndexManager.for_store(store).path_for(snap)
        index_s = time.perf_counter() - t0
        q = "SELECT ?x WHERE {{ ?x a <{}> }} LIMIT 5000"
        kinds = {
            "dataset": sample(snap, q.format("http://www.w3.org/ns/dcat#Dataset"), samples, rng),
            "agency": sample(snap, q.format("https://w3id.org/govkg/def#Agency"), samples, rng),
            "catalogue": sample(snap, q.format("http://www.w3.org/ns/dcat#Catalog"), samples, rng),
            "jurisdiction": sample(snap, q.format("https://w3id.org/govkg/def#Jurisdiction"), samples, rng),
            "article": sample(snap, q.format("http://data.europa.eu/eli/ontology#LegalResourceSubdivision"),
                              samples, rng),
            "concept": sample(snap, q.format("http://www.w3.org/2004/02/skos/core#Concept"), samples, rng),
        }
        sharing = [BASE + f"authority/sharing-type/{c}" for c in ("UNCONDITIONAL", "CONDITIONAL", "NOT_SHARED")]
        tops = [BASE + f"id/jurisdiction/{c}" for c in ("520100", "330000", "210000", "140000")]
    checked = f"validate {validate_s:.1f} s ({findings} findings)" if validate else "not validated here"
    print(f"{label}, {checked}, search index {index_s:.2f} s", flush=True)
    app = create_app(Config(store=store.path))
    client = app.test_client()
    urls: dict[str, list[str]] = {k: [path(i) for i in v] for k, v in kinds.items()}
    urls["home"] = ["/"] * samples
    urls["dashboard"] = ["/dashboard"] * samples
    urls["findings"] = ["/findings?severity=violation"] * samples
    words = ["数据", "人口", "信用", "economic", "许可"]
    urls["search (text)"] = [f"/search?q={w}" for w in rng.choices(words, k=samples)]
    urls["search (2 facets)"] = [f"/search?sharing-type={rng.choice(sharing)}&jurisdiction={rng.choice(tops)}"
                                 for _ in range(samples)]
    urls["search (text+2 facets)"] = [
        f"/search?q={rng.choice(['数据', '信用', 'data'])}&open-type={BASE}authority/open-type/UNCONDITIONAL_OPEN"
        f"&jurisdiction={rng.choice(tops)}" for _ in range(samples)]
    client.get("/", headers=HTML)  # warm: snapshot opened, labels, shapes
    # wall time, and this process's CPU time (what the page costs when the machine is shared)
    print(f"  {'page kind':<24}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'cpu p50':>10}{'cpu p95':>10}")
    for kind, us in urls.items():
        times, cpu, failed = [], [], 0
        for u in us:
            t0, c0 = time.perf_counter(), time.process_time()
            r = client.get(u, headers=HTML)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            failed += r.status_code != 200
        flag = "" if p95(times) < 300 else "  over 300 ms"
        flag += f"  ({failed} not 200)" if failed else ""
        print(f"  {kind:<24}{len(times):>5}{statistics.median(times):>10.1f}{p95(times):>10.1f}"
              f"{max(times):>10.1f}{statistics.median(cpu):>10.1f}{p95(cpu):>10.1f}{flag}", flush=True)
    browse.close(app)
    sparql.close(app)
    store.close()


def replicate_index(source: Path, target: Path, times: int) -> int:
    """A search index ``times`` as large as ``source``: every document repeated with ids shifted
    by multiples of the source's size (same distributions of terms and facet values)."""
    import sqlite3

    from govkg import postings

    target.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    n = src.execute("SELECT MAX(id) FROM docs").fetchone()[0]
    db = sqlite3.connect(target)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + "".join(
        r[0] + ";\n" for r in src.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL")))
    for k in range(times):
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", (
            (i + k * n, f"{iri}#{k}" if k else iri, *rest) for i, iri, *rest in src.execute("SELECT * FROM docs")))
    db.executemany("INSERT INTO meta VALUES (?, ?)", src.execute("SELECT * FROM meta"))
    db.executemany("INSERT INTO totals VALUES (?, ?, ?)",
                   ((f, v, c * times) for f, v, c in src.execute("SELECT * FROM totals")))
    entries: dict[tuple[int, str], list[int]] = {}
    rows = src.execute("SELECT kind, key, chunk, n, data FROM postings ORDER BY kind, key, chunk")
    for kind, key, c, cnt, data in rows:
        bits = postings.decode(data, cnt)
        ids = entries.setdefault((kind, key), [])
        base = c << postings.CHUNK_BITS
        ids += [base + i for i, b in enumerate(bin(bits)[:1:-1]) if b == "1"]
    for (kind, key), ids in entries.items():
        every = [i + k * n for k in range(times) for i in ids]
        db.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?)",
                       [(kind, key, c, len(offs), postings.encode(offs)) for c, offs in postings.chunks(every)])
    db.execute("CREATE UNIQUE INDEX postings_key ON postings(kind, key, chunk)")
    db.commit()
    db.close()
    return int(n) * times


def bench_search_scaled(store: OxigraphStore, times: int, samples: int, seed: int) -> None:
    """Time the search function alone on the store's search index replicated ``times`` times."""
    from govkg.search_index import SearchIndex

    rng = random.Random(seed)
    with store.snapshot() as snap:
        source = SearchIndexManager.for_store(store).path_for(snap)
    target = source.with_name(f"replicated-{times}x.sqlite.bench")
    t0 = time.perf_counter()
    docs = replicate_index(source, target, times)
    print(f"search index replicated {times}x: {docs:,} documents in {time.perf_counter() - t0:.0f} s", flush=True)
    sharing = [BASE + f"authority/sharing-type/{c}" for c in ("UNCONDITIONAL", "CONDITIONAL", "NOT_SHARED")]
    tops = [BASE + f"id/jurisdiction/{c}" for c in ("520100", "330000", "210000", "140000")]
    cases = {
        "text": [(w, {}) for w in rng.choices(["数据", "人口", "信用", "economic", "许可"], k=samples)],
        "2 facets": [("", {"sharing-type": [rng.choice(sharing)], "jurisdiction": [rng.choice(tops)]})
                     for _ in range(samples)],
        "text+2 facets": [(rng.choice(["数据", "信用", "data"]), {
            "open-type": [BASE + "authority/open-type/UNCONDITIONAL_OPEN"], "jurisdiction": [rng.choice(tops)]})
            for _ in range(samples)],
    }
    try:
        with SearchIndex(target) as idx:
            t0 = time.perf_counter()
            idx.search("", {"sharing-type": sharing[:1]})
            print(f"  facet sets read in {(time.perf_counter() - t0) * 1000:.0f} ms (once per process and index)")
            print(f"  {'search (function only)':<24}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}"
                  f"{'cpu p50':>10}{'cpu p95':>10}{'hits':>10}")
            for kind, calls in cases.items():
                times_ms, cpu, hits = [], [], 0
                for text, filters in calls:
                    t0, c0 = time.perf_counter(), time.process_time()
                    res = idx.search(text, filters, limit=20, offset=rng.choice([0, 0, 20, 200]))
                    times_ms.append((time.perf_counter() - t0) * 1000)
                    cpu.append((time.process_time() - c0) * 1000)
                    hits = max(hits, res.total)
                print(f"  {kind:<24}{len(times_ms):>5}{statistics.median(times_ms):>10.1f}{p95(times_ms):>10.1f}"
                      f"{max(times_ms):>10.1f}{statistics.median(cpu):>10.1f}{p95(cpu):>10.1f}{hits:>10,}", flush=True)
    finally:
        target.unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--store", type=Path, help="bench this existing store instead of generating stores")
    ap.add_argument("--validate", action="store_true", help="with --store: validate it first (a new generation)")
    ap.add_argument("--replicate", type=int, default=0, metavar="K",
                    help="with --store: also time the search function on its index repeated K times")
    args = ap.parse_args()
    if args.store is not None:
        store = OxigraphStore(args.store, create=False)
        bench_store(store, args.samples, args.seed, label=f"store {args.store}", validate=args.validate)
        if args.replicate:
            bench_search_scaled(store, args.replicate, args.samples, args.seed)
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="govkg-bench-site-"))
    try:
        for size in args.sizes:
            bench_size(size, args.samples, work, args.seed)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
