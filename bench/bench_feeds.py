"""DCAT feed and harvest benchmark.

Prints, for a paged catalogue of ``--datasets`` datasets (default 100,000) served by govkg
(gunicorn, one worker), the harvest throughput of ``govkg harvest`` against it (datasets per
second, first and unchanged re-harvest) with the harvester's and the server's peak memory;
and, for ``--dump-datasets`` datasets (default 1,000,000), the time and peak memory of
streaming the whole catalogue as ``/catalog.nt`` and of ``govkg export``.

The harvested catalogue is the demo (``govkg.demo``, about 100 triples a dataset); the
dumped one is the synthetic catalogue of ``tests/feeds/synthetic.py`` (about 35 triples a
dataset, the size PITFALLS measured with), both bulk-loaded.  Every figure comes from a fresh
process, so peak memory (``ru_maxrss`` / ``VmHWM``) is that of the measured step.

    .venv/bin/python bench/bench_feeds.py                      # the full run (about an hour)
    .venv/bin/python bench/bench_feeds.py --datasets 10000 --dump-datasets 50000   # a quick look
    .venv/bin/python bench/bench_feeds.py --store DIR      # paging and dump over an existing store

With ``--store`` (a store of any size, e.g. the 1M demo; read only, the paging index is
written beside it as the server would): the time and peak memory of building the paging
index, the latency of ``--pages`` consecutive pages (following ``hydra:next``) and of
``--jumps`` pages at random cursors, the server worker's memory after each, and the
``/catalog.nt`` dump streamed for ``--dump-seconds`` (0: to the end).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BIN = Path(PY).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


LAST_CPU = [0.0]  # CPU seconds of the last run_measured child (the machine may be shared)


def run_measured(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run a process; (seconds, peak RSS in MB, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, env=env, cwd=ROOT)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _pid, status, usage = os.wait4(proc.pid, 0)
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{args[:3]} failed with {proc.returncode}:\n{out[-2000:]}")
    return time.perf_counter() - t0, usage.ru_maxrss // 1024, out


BUILD = """
import sys, time, pyoxigraph as ox
from pathlib import Path
from govkg.store.oxigraph import OxigraphStore
store_dir, n, nq, kind = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
t0 = time.perf_counter()
with open(nq, "w", encoding="utf-8", buffering=1 << 20) as f:
    if kind == "demo":
        from govkg.demo import generate
        m = generate(f, datasets=n, seed=42)
        quads = m.quads
    else:
        sys.path.insert(0, sys.argv[5])
        import synthetic
        m = synthetic.generate(f, datasets=n, seed=42, literal_forms=True)
        quads = 0
t1 = time.perf_counter()
store = OxigraphStore(store_dir)
with store.transaction() as tx:
    tx.bulk_load_trusted(nq, ox.RdfFormat.N_QUADS)
t2 = time.perf_counter()
if not quads:
    quads = sum(1 for _ in open(nq, "rb"))
nq.unlink()
count = len(m.datasets) if isinstance(m.datasets, list) else m.datasets
print(f"{count} {quads or nq.stat().st_size} {t1 - t0:.1f} {t2 - t1:.1f}")
"""

HARVEST = """
import json, sys, time
from govkg.store.oxigraph import OxigraphStore
from loaders.harvest import harvest
store = OxigraphStore(sys.argv[1])
t0 = time.perf_counter()
r = harvest(store, sys.argv[2])
dt = time.perf_counter() - t0
print(json.dumps({"seconds": dt, "added": len(r.added), "changed": len(r.changed), "unchanged": r.unchanged,
                  "deleted": len(r.deleted), "rejected": len(r.rejected), "documents": r.documents,
                  "bytes": r.bytes}))
"""

STREAM = """
import sys, time, requests
t0 = time.perf_counter()
n = lines = 0
first = None
with requests.get(sys.argv[1], stream=True, timeout=7200) as r:
    r.raise_for_status()
    for chunk in r.iter_content(1 << 20):
        if first is None:
            first = time.perf_counter() - t0
        n += len(chunk)
        lines += chunk.count(b"\\n")
print(f"{time.perf_counter() - t0:.1f} {first:.2f} {n} {lines}")
"""


def build(store_dir: Path, n: int, kind: str) -> dict[str, float]:
    secs, rss, out = run_measured(
        [
            PY,
            "-c",
            BUILD,
            str(store_dir),
            str(n),
            str(store_dir.parent / f"{kind}-{n}.nq"),
            kind,
            str(ROOT / "tests" / "feeds"),
        ]
    )
    datasets, quads, gen, load = out.split()
    return {"datasets": int(datasets), "quads": int(quads), "generate_s": float(gen), "load_s": float(load)}


class Server:
    """govkg served by gunicorn (one worker, threads) over a store directory."""

    def __init__(self, store_dir: Path, page_size: int) -> None:
        self.port = free_port()
        env = dict(
            os.environ,
            GOVKG_STORE=str(store_dir),
            GOVKG_FEED_PAGE_SIZE=str(page_size),
            GOVKG_FEED_MAX_PAGE_SIZE=str(max(page_size, 1000)),
        )
        gunicorn = BIN / "gunicorn"
        if gunicorn.exists():
            cmd = [
                str(gunicorn),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "7200",
                "--log-level",
                "warning",
                "server.app:create_app()",
            ]
        else:
            cmd = [
                PY,
                "-c",
                "from server.app import create_app; from werkzeug.serving import run_simple; "
                f"run_simple('127.0.0.1', {self.port}, create_app(), threaded=True)",
            ]
        self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        import requests

        for _ in range(600):
            try:
                requests.get(self.url + "/catalog?limit=1", timeout=600)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise SystemExit("the server did not start")

    def worker_peak_mb(self) -> int:
        pids = [self.proc.pid]
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        peak = 0
        for pid in pids:
            status = Path(f"/proc/{pid}/status")
            if status.exists():
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) // 1024)
        return peak

    def worker_rss_mb(self) -> int:
        """Current resident memory of the largest server process (the worker)."""
        pids = [self.proc.pid]
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        rss = 0
        for pid in pids:
            status = Path(f"/proc/{pid}/status")
            if status.exists():
                for line in status.read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        rss = max(rss, int(line.split()[1]) // 1024)
        return rss

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


INDEX = """
import sys, time
from govkg.catalog_index import IndexManager
from govkg.store.oxigraph import OxigraphStore
store = OxigraphStore(sys.argv[1], create=False)
t0 = time.perf_counter()
with store.snapshot() as snap, IndexManager.for_store(store).open(snap) as idx:
    n = idx.count("")
    print(f"{time.perf_counter() - t0:.1f} {n} {idx.path.stat().st_size}")
"""

NEXT = re.compile(rb"<http://www.w3.org/ns/hydra/core#next> <([^>]+)>")


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def sample_keys(store_dir: Path, k: int, seed: int = 5) -> list[str]:
    """Reservoir sample of dataset keys of the root catalogue, from the paging index."""
    import sqlite3

    path = max((store_dir / "catalog-index").glob("*.sqlite"))
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rng = random.Random(seed)
    out: list[str] = []
    for i, (key,) in enumerate(db.execute("SELECT dataset FROM items WHERE catalog = ''")):
        if len(out) < k:
            out.append(key)
        elif (j := rng.randrange(i + 1)) < k:
            out[j] = key
    db.close()
    return out


def bench_store(args: argparse.Namespace) -> None:
    """Paging and dump figures over an existing store (see the module docstring)."""
    import requests

    from server.feed_urls import encode_cursor

    secs, rss, out = run_measured([PY, "-c", INDEX, str(args.store)])
    took, n, size = out.split()
    print(f"paging index: {int(n):,} datasets in the root catalogue; open/build {float(took):.1f} s "
          f"(child wall {secs:.1f} s, CPU {LAST_CPU[0]:.1f} s, peak RSS {rss} MB), file {int(size) / 1e6:,.0f} MB",
          flush=True)
    server = Server(args.store, args.page_size)
    try:
        session = requests.Session()
        session.trust_env = False
        print(f"server worker RSS at start {server.worker_rss_mb()} MB", flush=True)
        url: str | None = f"{server.url}/catalog.nt?limit={args.page_size}"
        times, triples = [], 0
        for _ in range(args.pages):
            if url is None:
                break
            t0 = time.perf_counter()
            r = session.get(url, timeout=600)
            times.append(time.perf_counter() - t0)
            r.raise_for_status()
            triples += r.content.count(b"\n")
            m = NEXT.search(r.content)
            url = m.group(1).decode() if m else None
        print(f"{len(times)} consecutive pages of {args.page_size}: p50 {statistics.median(times) * 1000:,.0f} ms, "
              f"p95 {percentile(times, 95) * 1000:,.0f} ms, {triples / sum(times):,.0f} triples/s; "
              f"server worker RSS {server.worker_rss_mb()} MB", flush=True)
        keys = sample_keys(args.store, args.jumps)
        times = []
        for key in keys:
            t0 = time.perf_counter()
            r = session.get(f"{server.url}/catalog.nt", params={"limit": args.page_size, "after": encode_cursor(key)},
                            timeout=600)
            times.append(time.perf_counter() - t0)
            r.raise_for_status()
        print(f"{len(times)} pages at random cursors: p50 {statistics.median(times) * 1000:,.0f} ms, "
              f"p95 {percentile(times, 95) * 1000:,.0f} ms; server worker RSS {server.worker_rss_mb()} MB, "
              f"peak {server.worker_peak_mb()} MB", flush=True)
        t0 = time.perf_counter()
        first = None
        nbytes = lines = 0
        rss_samples = []
        with session.get(f"{server.url}/catalog.nt", stream=True, timeout=7200) as r:
            r.raise_for_status()
            for chunk in r.iter_content(1 << 20):
                if first is None:
                    first = time.perf_counter() - t0
                nbytes += len(chunk)
                lines += chunk.count(b"\n")
                if len(rss_samples) < int((time.perf_counter() - t0) / 10) + 1:
                    rss_samples.append(server.worker_rss_mb())
                if args.dump_seconds and time.perf_counter() - t0 > args.dump_seconds:
                    break
        total = time.perf_counter() - t0
        done = "" if not args.dump_seconds or total < args.dump_seconds else f" (stopped after {args.dump_seconds} s)"
        print(f"/catalog.nt dump: {lines:,} triples ({nbytes / 1e9:.2f} GB) in {total:.0f} s{done} = "
              f"{lines / total:,.0f} triples/s, first bytes after {first or 0:.2f} s; server worker RSS every 10 s: "
              f"{rss_samples} MB", flush=True)
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, help="bench paging and the dump over this existing store")
    ap.add_argument("--pages", type=int, default=100, help="with --store: consecutive pages to fetch")
    ap.add_argument("--jumps", type=int, default=100, help="with --store: pages at random cursors")
    ap.add_argument("--dump-seconds", type=float, default=120.0, help="with --store: stream the dump this long")
    ap.add_argument("--datasets", type=int, default=100_000)
    ap.add_argument("--dump-datasets", type=int, default=1_000_000, help="0 skips the dump figures")
    ap.add_argument("--page-size", type=int, default=1000)
    ap.add_argument(
        "--generator",
        choices=("demo", "synthetic"),
        default="demo",
        help="catalogue for the harvest figures (default: the demo, about 100 triples a dataset)",
    )
    ap.add_argument(
        "--dump-generator",
        choices=("demo", "synthetic"),
        default="synthetic",
        help="catalogue for the dump figures (default: the synthetic one, about 35 triples a dataset)",
    )
    ap.add_argument("--workdir", type=Path, help="keep the stores here (default: a temporary directory)")
    args = ap.parse_args()
    if args.store is not None:
        bench_store(args)
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="govkg-bench-feeds-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        # -- harvest throughput --------------------------------------------------------------
        src = work / f"{args.generator}-{args.datasets}"
        if not src.exists():
            b = build(src, args.datasets, args.generator)
            print(
                f"{args.generator} catalogue: {b['datasets']:,} datasets, {b['quads']:,} quads "
                f"(generated in {b['generate_s']:.0f} s, bulk-loaded in {b['load_s']:.0f} s)"
            )
        t0 = time.perf_counter()
        server = Server(src, args.page_size)
        print(f"server up with its paging index in {time.perf_counter() - t0:.1f} s")
        try:
            target = work / "harvester"
            shutil.rmtree(target, ignore_errors=True)
            for label in ("first harvest", "re-harvest (unchanged)"):
                secs, rss, out = run_measured([PY, "-c", HARVEST, str(target), server.url + "/catalog"])
                r = json.loads(out.strip().splitlines()[-1])
                seen = r["added"] + r["changed"] + r["unchanged"]
                print(
                    f"{label}: {seen:,} datasets from {r['documents']} pages ({r['bytes'] / 1e6:,.0f} MB) in "
                    f"{r['seconds']:.1f} s = {seen / r['seconds']:,.0f} datasets/s; harvester peak RSS {rss} MB "
                    f"(added {r['added']:,}, changed {r['changed']}, unchanged {r['unchanged']:,}, "
                    f"deleted {r['deleted']}, rejected {r['rejected']})"
                )
            print(f"server worker peak RSS while serving every page: {server.worker_peak_mb()} MB")
        finally:
            server.stop()
        # -- the whole-catalogue dump ------------------------------------------------------------
        if args.dump_datasets:
            big = work / f"{args.dump_generator}-{args.dump_datasets}"
            if not big.exists():
                b = build(big, args.dump_datasets, args.dump_generator)
                print(
                    f"{args.dump_generator} dump catalogue: {b['datasets']:,} datasets, {b['quads']:,} quads "
                    f"(generated in {b['generate_s']:.0f} s, bulk-loaded in {b['load_s']:.0f} s)"
                )
            t0 = time.perf_counter()
            server = Server(big, args.page_size)
            print(f"server up with its paging index in {time.perf_counter() - t0:.1f} s")
            try:
                before = server.worker_peak_mb()
                secs, rss, out = run_measured([PY, "-c", STREAM, server.url + "/catalog.nt"])
                total, first, size, lines = out.split()
                print(
                    f"/catalog.nt: {int(lines):,} triples ({int(size) / 1e9:.2f} GB) streamed in "
                    f"{float(total):.0f} s "
                    f"(first bytes after {float(first):.2f} s); server worker peak RSS {before} MB before, "
                    f"{server.worker_peak_mb()} MB after; client peak RSS {rss} MB"
                )
            finally:
                server.stop()
            out_file = work / "export.nt"
            secs, rss, _ = run_measured(
                [str(BIN / "govkg"), "--store", str(big), "-q", "export", "--format", "nt", "-o", str(out_file)]
            )
            size = out_file.stat().st_size
            out_file.unlink()
            print(f"govkg export --format nt: {size / 1e9:.2f} GB in {secs:.0f} s, peak RSS {rss} MB")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
