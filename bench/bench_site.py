"""Site render-time benchmark: p50/p95 per page kind at given store sizes.

For each size a demo store is generated and loaded (``govkg.load_demo``), validated
(``govkg.validate.run.validate_store``, if the shapes load), and every page kind is rendered
``--samples`` times through the Flask app in-process (werkzeug test client: the time is
the app's, without network), each time for a different resource.  The search and facet
index is built once per store generation before timing; its build time is printed too.
Target: p95 under 300 ms for every kind, search with two facets included, at 1M datasets.

    .venv/bin/python bench/bench_site.py --sizes 1000 10000
    .venv/bin/python bench/bench_site.py --sizes 1000000 --samples 50   # national scale (slow load)
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
    from server import browse, sparql
    from server.app import create_app

    rng = random.Random(seed)
    store = OxigraphStore(workdir / f"store-{size}")
    t0 = time.perf_counter()
    load_demo(store, datasets=size, seed=seed)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    try:
        from govkg.validate.run import validate_store

        findings = len(validate_store(store).results)
    except Exception as e:  # noqa: BLE001 - the shapes are optional for the figures
        findings = -1
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
    print(f"size {size}: load {load_s:.1f} s, validate {validate_s:.1f} s ({findings} findings), "
          f"search index {index_s:.2f} s")
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
    print(f"  {'page kind':<24}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind, us in urls.items():
        times = []
        for u in us:
            t0 = time.perf_counter()
            r = client.get(u, headers=HTML)
            times.append((time.perf_counter() - t0) * 1000)
            if r.status_code != 200:
                print(f"  ! {u}: {r.status_code}")
        flag = "" if p95(times) < 300 else "  over 300 ms"
        print(f"  {kind:<24}{len(times):>5}{statistics.median(times):>10.1f}{p95(times):>10.1f}"
              f"{max(times):>10.1f}{flag}")
    browse.close(app)
    sparql.close(app)
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="govkg-bench-site-"))
    try:
        for size in args.sizes:
            bench_size(size, args.samples, work, args.seed)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
