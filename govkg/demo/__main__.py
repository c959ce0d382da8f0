"""``python -m govkg.demo [--datasets N] [--seed S] OUT.nq [MANIFEST.tsv]``: write the demo graph."""

from __future__ import annotations

import argparse
import sys
import time

from .generator import generate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m govkg.demo", description=__doc__)
    ap.add_argument("out", help="N-Quads file to write")
    ap.add_argument("manifest", nargs="?", help="manifest TSV to write (planted violations, decoys, counts)")
    ap.add_argument("--datasets", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    with open(args.out, "w", encoding="utf-8", buffering=1 << 20) as fh:
        m = generate(fh, datasets=args.datasets, seed=args.seed)
    elapsed = time.perf_counter() - t
    if args.manifest:
        m.write_tsv(args.manifest)
    print(f"{m.datasets} datasets, {m.quads} quads in {elapsed:.1f} s ({m.quads / elapsed:,.0f} quads/s); "
          f"{len(m.planted)} planted, {len(m.decoys)} decoys", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
