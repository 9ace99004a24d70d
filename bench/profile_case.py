"""Profile one case of run_benchmark.py with cProfile and print the functions that take the
most time of their own.

    python bench/profile_case.py duckdb --size-mb 1024
    python bench/profile_case.py variants --size-mb 1024 --lines 30

The input (and, for the ``store`` case, the store) must exist: run run_benchmark.py with
the same ``--size-mb`` first.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

from run_benchmark import CASES, Setup, variant_plans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("case", choices=sorted(CASES), help="case to profile")
    parser.add_argument("--size-mb", type=float, default=1024.0, help="size of the input in MiB")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/cqlkit-bench"))
    parser.add_argument("--variants", type=int, default=100)
    parser.add_argument("--lines", type=int, default=20, help="functions to print")
    options = parser.parse_args(argv)

    path = options.data_dir / f"fdr-{options.size_mb:g}mb.ndjson"
    if not path.exists():
        parser.error(f"{path} does not exist; run run_benchmark.py --size-mb {options.size_mb:g}")
    store_dir = options.data_dir / f"store-{options.size_mb:g}mb"
    setup = Setup(str(path), str(store_dir), options.variants)
    variant_plans(1)
    variant_plans(options.variants)

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(CASES[options.case].run, setup)
    seconds = time.perf_counter() - started
    print(f"{options.case}: {seconds:.3f} s under cProfile")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(options.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
