"""A small run of the validation benchmark (bench/bench_validate.py), pyshacl included.

The benchmark's figures are made at 10k-1M datasets; here 60 datasets, where pyshacl
finishes in seconds: the table row must show the compiled findings identical to pyshacl's
and equal to the planted set, and the focus run must have run.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_validate.py"


def test_the_benchmark_compares_both_engines_on_a_small_demo(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--datasets", "60", "--pyshacl-max", "60", "--pyshacl-timeout", "600",
         "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert "equal to the planted set: yes" in out, out
    assert re.search(r"focus run on one dataset \(\d+ nodes re-checked\): [\d.]+ s", out), out
    row = next(line for line in out.splitlines() if line.startswith("| 60 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[-1] == "yes", row  # identical findings
    assert "planted: yes" in cells[-2], row
    assert float(cells[3].split()[0].replace(",", "")) > 0 and cells[4].endswith("x"), row  # pyshacl ran
