"""Demo graph load rate: ``govkg demo`` against a raw pyoxigraph bulk load of the same N-Quads.

    python bench/bench_demo_load.py --datasets 100000 [--datasets 1000000] [--store DIR]

For each size, in one run:

1. ``govkg demo --datasets N --store S --out F`` as a child process, exactly as a user runs
   it: the generator writes N-Quads, which are loaded in one govkg transaction (new store
   generation, bulk load, ontology, load provenance, flush, publish).  The command reports
   its load time; the child's wall time and peak RSS are measured here.
2. A raw ``pyoxigraph.Store.bulk_load`` of the same file F into a fresh directory, in a
   child process too (its own peak RSS), then ``flush``.

Prints quads per second for both and their ratio govkg/raw (target: at least 0.8).  With
``--store DIR`` (one size only) the govkg store is kept there; the raw store and the
N-Quads are always deleted.  Work happens under --workdir (default: a temporary directory
next to --store, or the system's).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

RAW_LOAD = """
import sys, time
import pyoxigraph as ox
t = time.perf_counter()
store = ox.Store(sys.argv[1])
store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)
store.flush()
print(time.perf_counter() - t)
"""


def run_measured(argv: list[str]) -> tuple[str, float, float]:
    """Run argv with its own wait4: (combined stderr+stdout, wall seconds, peak RSS MiB)."""
    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
            (os.POSIX_SPAWN_DUP2, log.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, log.fileno(), 2),
        ])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - t
        log.seek(0)
        text = log.read()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{argv[:4]} failed:\n{text[-4000:]}")
    return text, wall, usage.ru_maxrss / 1024


def bench(n: int, workdir: Path, store: Path | None) -> None:
    nq = workdir / f"demo-{n}.nq"
    govkg_dir = store or workdir / "govkg"
    govkg = shutil.which("govkg") or str(Path(sys.executable).with_name("govkg"))
    text, demo_wall, demo_rss = run_measured(
        [govkg, "demo", "--datasets", str(n), "--store", str(govkg_dir), "--out", str(nq)]
    )
    m = re.search(r"demo: (\d+) datasets, (\d+) quads, .* loaded in ([\d.]+) s", text)
    if not m:
        raise SystemExit(f"unexpected govkg demo output:\n{text[-2000:]}")
    quads, govkg_s = int(m.group(2)), float(m.group(3))
    nq_gib = nq.stat().st_size / 2**30
    store_gib = _du(govkg_dir) / 2**30
    print(
        f"datasets={n:,} quads={quads:,} | govkg demo: wall {demo_wall:.1f}s (generate ~{demo_wall - govkg_s:.1f}s), "
        f"load {govkg_s:.1f}s ({quads / govkg_s:,.0f} q/s), peak RSS {demo_rss:,.0f} MiB, "
        f"N-Quads {nq_gib:.2f} GiB, store {store_gib:.2f} GiB",
        flush=True,
    )
    raw_dir = workdir / "raw"
    free = shutil.disk_usage(workdir).free
    if free < 1.2 * store_gib * 2**30 + 3 * 2**30:
        nq.unlink(missing_ok=True)
        print(f"raw bulk_load skipped: {free / 2**30:.1f} GiB free, a raw store needs about {store_gib:.1f}")
        return
    try:
        text, _, raw_rss = run_measured([sys.executable, "-c", RAW_LOAD, str(raw_dir), str(nq)])
        raw_s = float(text.strip().splitlines()[-1])
    finally:
        shutil.rmtree(raw_dir, ignore_errors=True)
        nq.unlink(missing_ok=True)
    print(
        f"datasets={n:,} quads={quads:,} | raw bulk_load {raw_s:.1f}s ({quads / raw_s:,.0f} q/s), "
        f"peak RSS {raw_rss:,.0f} MiB | govkg/raw rate ratio {raw_s / govkg_s:.2f} (target >= 0.8)",
        flush=True,
    )
    if store is None:
        shutil.rmtree(govkg_dir, ignore_errors=True)


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=int, action="append", help="sizes (repeatable); default 10k and 100k")
    ap.add_argument("--store", type=Path, help="keep the govkg store here (must not exist; one size only)")
    ap.add_argument("--workdir", type=Path)
    args = ap.parse_args()
    sizes = args.datasets or [10_000, 100_000]
    if args.store is not None:
        if len(sizes) != 1:
            ap.error("--store takes one --datasets size")
        if args.store.exists():
            ap.error(f"{args.store} exists")
    workroot = args.workdir or (args.store.parent if args.store else None)
    work = Path(tempfile.mkdtemp(prefix="govkg-bench-", dir=workroot))
    try:
        for n in sizes:
            bench(n, work, args.store)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
