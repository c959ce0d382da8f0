"""Validation speed: the shapes compiled to SPARQL on Oxigraph against whole-graph pyshacl.

    python bench/bench_validate.py --datasets 10000 100000 1000000
    python bench/bench_validate.py --store /work/bench-stores/validate-100k --datasets 100000

For each size: a store holding the demo graph of that many datasets (the one given with
``--store`` when it already holds exactly that demo, else a new one under --workdir),
then

* the compiled validation (``validate_store``: deadlines, every check, places), timed,
  with ``--workers`` processes (default: govkg's own choice); the report is not stored;
* pyshacl on the whole graph (demo, ontology, derived deadlines) in memory, in a child
  process killed after ``--pyshacl-timeout`` seconds, for sizes up to ``--pyshacl-max``;
  the time excludes building the rdflib graph, which is printed apart;
* a focus run re-validating one dataset (``govkg validate --focus``), timed;
* the findings of both compared: (focus, shape, component, value, severity) identical,
  and the (rule, focus) pairs equal to the generator's planted set (regenerated into a
  null writer when the store is reused, so the manifest is always the demo's own).

Prints one table row per size: datasets, quads, compiled s, pyshacl s, speedup,
findings, identical?; ``--profile`` adds the slowest checks.  Targets (issue #3):
1,000,000 datasets in under 10 minutes on 2 cores; at least 10x pyshacl at 100,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import pickle
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from govkg.demo import Manifest, generate
from govkg.load_demo import DEMO_GRAPH, load_demo
from govkg.store.oxigraph import OxigraphStore
from govkg.validate.engine import EngineStats
from govkg.validate.run import ShapesBundle, load_shapes, validate_store

AS_OF = dt.date(2026, 11, 23)  # after every demo event: deadlines judged the same on every run
SEED = 42


class _Null:
    """A text sink: the generator's output is thrown away, its manifest kept."""

    def write(self, _text: str) -> int:
        return 0


def holds_demo(store: OxigraphStore, datasets: int, seed: int) -> bool:
    source = f"urn:govkg:demo?datasets={datasets}&seed={seed}"
    with store.snapshot() as snap:
        return snap.ask(
            f'ASK {{ GRAPH ?g {{ <{DEMO_GRAPH.value}> <http://purl.org/dc/terms/source> "{source}" }} }}'
        )


def demo_store(n: int, given: Path | None, workdir: Path) -> tuple[OxigraphStore, Manifest, str]:
    if given is not None and (given / "govkg-store.json").exists():
        store = OxigraphStore(given, create=False)
        if holds_demo(store, n, SEED):
            return store, generate(_Null(), datasets=n, seed=SEED), f"reused {given}"  # type: ignore[arg-type]
        raise SystemExit(f"{given} does not hold the demo of {n} datasets (seed {SEED}); leave --store out")
    path = (given or workdir / f"demo-{n}")
    store = OxigraphStore(path)
    t = time.perf_counter()
    result = load_demo(store, datasets=n, seed=SEED, workdir=workdir)
    return store, result.manifest, f"built in {time.perf_counter() - t:.0f} s"


def _pyshacl_child(store_path: str, shapes_files: list[str], out: str) -> None:
    from rdflib import Graph

    from govkg.validate.engine import run_pyshacl

    store = OxigraphStore(store_path, create=False)
    t = time.perf_counter()
    with store.snapshot() as snap:
        data = snap.rdflib_graph()
    load_s = time.perf_counter() - t
    shapes = Graph()
    for f in shapes_files:
        shapes.parse(f, format="turtle")
    t = time.perf_counter()
    findings = run_pyshacl(data, shapes)
    run_s = time.perf_counter() - t
    keys = {(*f.key(), f.severity) for f in findings}
    with open(out, "wb") as fh:
        pickle.dump((load_s, run_s, keys), fh)


@dataclass
class PyshaclRun:
    load_s: float | None = None
    run_s: float | None = None
    keys: set[tuple[object, ...]] | None = None
    note: str = ""


def run_pyshacl_capped(store: OxigraphStore, bundle: ShapesBundle, timeout: float, workdir: Path) -> PyshaclRun:
    out = workdir / "pyshacl.pickle"
    out.unlink(missing_ok=True)
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=_pyshacl_child, args=(str(store.path), [str(f) for f in bundle.files], str(out)))
    t = time.perf_counter()
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return PyshaclRun(note=f"did not finish in {timeout:.0f} s")
    if proc.exitcode != 0 or not out.exists():
        return PyshaclRun(note=f"failed (exit code {proc.exitcode}) after {time.perf_counter() - t:.0f} s")
    with open(out, "rb") as fh:
        load_s, run_s, keys = pickle.load(fh)
    return PyshaclRun(load_s, run_s, keys)


def focus_run(store: OxigraphStore, bundle: ShapesBundle) -> None:
    """Re-validate one dataset as ``govkg validate --focus`` does, and print how long it took."""
    with store.snapshot() as snap:
        row = snap.select("SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 1")[0]
    dataset = URIRef(row["d"].value)  # type: ignore[attr-defined]
    stats = EngineStats()
    t = time.perf_counter()
    report = validate_store(store, shapes=bundle, as_of=AS_OF, store_report=False, focus=[dataset], stats=stats)
    phases = ", ".join(f"{name} {sec:.1f} s" for name, sec in stats.phases.items())
    print(f"  focus run on one dataset ({len(report.revalidated or [])} nodes re-checked): "
          f"{time.perf_counter() - t:.1f} s ({phases})", flush=True)


def bench(n: int, args: argparse.Namespace, bundle: ShapesBundle, workdir: Path) -> str:
    store, manifest, how = demo_store(n, args.store, workdir)
    print(f"  {n:,} datasets: store {how}", flush=True)
    stats = EngineStats()
    t = time.perf_counter()
    report = validate_store(store, shapes=bundle, as_of=AS_OF, store_report=False, workers=args.workers, stats=stats)
    compiled_s = time.perf_counter() - t
    found = {(r.rule or str(r.finding.shape), str(r.finding.focus)) for r in report.results}
    planted = set(manifest.planted)
    as_planted = "yes" if found == planted else f"NO ({len(planted - found)} missed, {len(found - planted)} extra)"
    print(f"  compiled: {compiled_s:.1f} s with {stats.workers} worker(s); equal to the planted set: {as_planted}",
          flush=True)
    if found != planted:
        print(f"    missed by rule: {dict(Counter(rule for rule, _ in planted - found))}; "
              f"extra by rule: {dict(Counter(rule for rule, _ in found - planted))}")
    phases = ", ".join(f"{name} {sec:.1f} s" for name, sec in stats.phases.items())
    print(f"  phases: {phases}; checks summed over workers {sum(tm.seconds for tm in stats.timings):.1f} s", flush=True)
    if args.profile:
        for tm in sorted(stats.timings, key=lambda x: -x.seconds)[: args.profile]:
            print(f"    {tm.seconds:8.2f} s {tm.findings:7d}  {tm.shape}  {str(tm.component).rsplit('#', 1)[1]}")
    focus_run(store, bundle)
    py = PyshaclRun(note="not run (--pyshacl-max)")
    if n <= args.pyshacl_max:
        py = run_pyshacl_capped(store, bundle, args.pyshacl_timeout, workdir)
    compiled_keys = {(*r.finding.key(), r.finding.severity) for r in report.results}
    if py.run_s is not None:
        identical = "yes" if py.keys == compiled_keys else f"NO ({len(py.keys ^ compiled_keys)} differ)"  # type: ignore[operator]
        pyshacl = f"{py.run_s:,.1f} (+{py.load_s:,.0f} load)"
        speedup = f"{py.run_s / compiled_s:,.0f}x"
    else:
        identical, pyshacl = "-", py.note
        speedup = f"> {args.pyshacl_timeout / compiled_s:,.0f}x" if py.note.startswith("did not finish") else "-"
    quads = manifest.quads
    return (f"| {n:,} | {quads:,} | {compiled_s:,.1f} | {pyshacl} | {speedup} | {len(report.results):,} "
            f"(planted: {as_planted}) | {identical} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=int, nargs="+", default=[10_000, 100_000], help="sizes (default 10k 100k)")
    ap.add_argument("--store", type=Path, help="a store holding the demo of the (single) size, reused as is")
    ap.add_argument("--pyshacl-max", type=int, default=100_000, help="largest size to run pyshacl on (0: never)")
    ap.add_argument("--pyshacl-timeout", type=float, default=1800, help="seconds before pyshacl is stopped")
    ap.add_argument("--workers", type=int, help="processes for the compiled checks (default: govkg's choice)")
    ap.add_argument("--profile", type=int, nargs="?", const=15, default=0, help="print the N slowest checks")
    ap.add_argument("--workdir", type=Path, help="where new stores are built (default a temporary directory)")
    ap.add_argument("--shapes", type=Path, help="another shapes folder (e.g. to measure without one rule)")
    args = ap.parse_args()
    if args.store is not None and len(args.datasets) != 1:
        ap.error("--store goes with a single --datasets size")
    bundle = load_shapes(shapes_dir=args.shapes)
    work = Path(tempfile.mkdtemp(prefix="govkg-bench-validate-", dir=args.workdir))
    rows = []
    try:
        for n in args.datasets:
            rows.append(bench(n, args, bundle, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{len(bundle.checks)} compiled checks from {args.shapes or 'shapes/'}, deadlines as of {AS_OF}, "
          f"{dt.date.today()}")
    print("| datasets | quads | compiled s | pyshacl s | speedup | findings | identical? |")
    print("| ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
