"""Demo graph load rate: govkg's transactional load against a raw pyoxigraph bulk load.

    python bench/bench_demo_load.py --datasets 100000 [--datasets 1000000]

For each size: generate the demo N-Quads once, then (1) bulk-load them raw into a fresh
pyoxigraph store, (2) load them through govkg (``load_demo``'s path: a new store
generation, bulk load, ontology, provenance, publish).  Prints triples per second for
both and the ratio (target: at least 0.8).  Work happens under --workdir (default a
temporary directory on the same disk as the store would be).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from govkg.demo import generate
from govkg.packaged import ontology_quads
from govkg.store.oxigraph import OxigraphStore
from govkg.vocab import graph_iri


def bench(n: int, workdir: Path) -> None:
    src = workdir / f"demo-{n}.nq"
    t = time.perf_counter()
    with open(src, "w", encoding="utf-8", buffering=1 << 20) as f:
        generate(f, datasets=n, seed=42, graph=str(graph_iri("source", "demo")))
    gen_s = time.perf_counter() - t
    with open(src, "rb") as f:
        quads = sum(1 for _ in f)

    raw_dir = workdir / "raw"
    t = time.perf_counter()
    raw = ox.Store(str(raw_dir))
    raw.bulk_load(path=str(src), format=ox.RdfFormat.N_QUADS)
    raw.flush()
    del raw
    raw_s = time.perf_counter() - t
    shutil.rmtree(raw_dir)

    store_dir = workdir / "govkg"
    store = OxigraphStore(store_dir)
    t = time.perf_counter()
    with store.transaction() as tx:
        tx.bulk_load_trusted(src, ox.RdfFormat.N_QUADS)
        tx.add(ontology_quads())
    govkg_s = time.perf_counter() - t
    t = time.perf_counter()
    with store.snapshot() as snap:
        (row,) = snap.select("SELECT (COUNT(*) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }")
    count_s = time.perf_counter() - t
    shutil.rmtree(store_dir)
    src.unlink()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"datasets={n:>9,} quads={quads:>11,} generate={gen_s:7.1f}s ({quads / gen_s:,.0f} q/s) | "
        f"raw bulk_load={raw_s:7.1f}s ({quads / raw_s:,.0f} q/s) | govkg load={govkg_s:7.1f}s "
        f"({quads / govkg_s:,.0f} q/s) | ratio={raw_s / govkg_s:.2f} | datasets counted={int(row['n'].value):,} "
        f"in {count_s:.2f}s | peak RSS {rss:,.0f} MiB",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=int, action="append", help="sizes (repeatable); default 10k and 100k")
    ap.add_argument("--workdir", type=Path)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govkg-bench-", dir=args.workdir))
    try:
        for n in args.datasets or [10_000, 100_000]:
            bench(n, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
