"""Benchmark the CMSTP detection on generated FDR NDJSON against baselines.

Every timing is taken in this process, case after case, ``--repeat`` rounds, and the
tables give the best, median and worst time. Peak RSS is measured separately: each case
runs once more in a fresh child process (multiprocessing, spawn context), which reports its
own peak RSS. The memory target runs the engines on a second, larger file the same way.
Every case's rows are checked against the naive Python loop, or on the larger file against
the DuckDB engine's, and a difference stops the benchmark.

    python bench/run_benchmark.py --size-mb 1024          # the full benchmark
    python bench/run_benchmark.py --size-mb 20            # a quick run, under a minute
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import cases
import generate_fdr
from report import render_markdown

import cqlkit
from cqlkit.plan.nodes import Plan
from cqlkit.store import ingest

MIB = 1 << 20
HELP_RUNS = 10
PACKAGES = ("cqlkit", "duckdb", "pyarrow", "sqlglot", "orjson", "hyperscan", "isal", "regex")


@dataclass(frozen=True)
class Setup:
    """The inputs of a benchmark run, passed to child processes."""

    path: str
    store_dir: str
    variant_count: int


@dataclass(frozen=True)
class Case:
    """One measured way of computing the detection's rows."""

    key: str
    label: str
    run: Callable[[Setup], list[cases.Rows]]
    #: True when the case returns the CMSTP rows. The variants case returns one list per
    #: variant, and the read floor returns none.
    cmstp_rows: bool = True


@cache
def variant_plans(count: int) -> list[Plan]:
    """Plan the first ``count`` variants, once per process."""
    return cases.plan_variants(cases.variants(count))


def _duckdb(setup: Setup) -> list[cases.Rows]:
    return cases.cqlkit_duckdb(setup.path, variant_plans(1))


def _duckdb_variants(setup: Setup) -> list[cases.Rows]:
    return cases.cqlkit_duckdb(setup.path, variant_plans(setup.variant_count))


def _reference_prefiltered(setup: Setup) -> list[cases.Rows]:
    return [cases.cqlkit_reference(setup.path, variant_plans(1)[0], prefilter=True)]


def _reference(setup: Setup) -> list[cases.Rows]:
    return [cases.cqlkit_reference(setup.path, variant_plans(1)[0], prefilter=False)]


def _store(setup: Setup) -> list[cases.Rows]:
    return cases.cqlkit_store(setup.store_dir, variant_plans(1))


def _naive(setup: Setup) -> list[cases.Rows]:
    return cases.naive_loop(setup.path, [cases.CMSTP])


def _cli(setup: Setup) -> list[cases.Rows]:
    return [cases.cli_hunt(setup.path)]


def _hand_sql(setup: Setup) -> list[cases.Rows]:
    return [cases.hand_sql(setup.path, cases.CMSTP)]


def _read_floor(setup: Setup) -> list[cases.Rows]:
    cases.read_floor(setup.path)
    return []


def _imports_only(setup: Setup) -> list[cases.Rows]:
    variant_plans(setup.variant_count)
    return []


def _ingest_new_store(setup: Setup) -> list[cases.Rows]:
    shutil.rmtree(setup.store_dir, ignore_errors=True)
    ingest(setup.path, setup.store_dir)
    return []


CASES = {
    case.key: case
    for case in (
        Case("duckdb", "cqlkit duckdb, prefiltered (as the CLI)", _duckdb),
        Case("cli", "`cqlkit hunt` command, new process", _cli),
        Case("reference-prefiltered", "cqlkit reference, prefiltered", _reference_prefiltered),
        Case("reference", "cqlkit reference, no prefilter", _reference),
        Case("naive", "naive loop: json.loads + re", _naive),
        Case("hand-sql", "hand-written DuckDB SQL, full scan", _hand_sql),
        Case("read-floor", "read to /dev/null (I/O floor)", _read_floor, cmstp_rows=False),
        Case("store", "cqlkit duckdb on the Parquet store", _store),
        Case("variants", "cqlkit duckdb, N detections in one pass", _duckdb_variants, False),
    )
}
CHILD_ONLY_CASES = {
    case.key: case
    for case in (
        Case("ingest", "cqlkit ingest into a new store", _ingest_new_store, False),
        Case("imports", "imports and planning only", _imports_only, False),
    )
}
"""Cases that run only in child processes. Ingest is timed once in this process instead,
and the imports case gives the peak RSS that every child starts with."""
MEMORY_CASES = ("duckdb", "reference-prefiltered", "reference", "hand-sql", "ingest", "store")
"""Cases run on the large file for the memory target."""


@dataclass
class ChildResult:
    """The time, peak RSS and rows that a child process reports for one run of a case."""

    key: str
    seconds: float
    peak_rss_bytes: int
    rows: list[cases.Rows]


def main(argv: Sequence[str] | None = None) -> int:
    options = _parse_arguments(argv)
    options.data_dir.mkdir(parents=True, exist_ok=True)
    path = _data_file(options.data_dir, options.size_mb, options.seed)
    size = path.stat().st_size
    events = cases.count_lines(path)
    _log(f"input: {path}, {size / MIB:.0f} MiB, {events} events")
    setup = Setup(
        str(path), str(options.data_dir / f"store-{options.size_mb:g}mb"), options.variants
    )

    ingest_seconds = _ingest(path, Path(setup.store_dir))
    expected_variants = _expected_variant_rows(setup)
    expected = expected_variants[0]
    timings = _time_cases(setup, options.repeat, expected, expected_variants)
    durations = {key: min(seconds) for key, seconds in timings.items()}
    durations["ingest"] = ingest_seconds
    memory = _measure_peak_rss(setup, durations, options.child_processes, expected_variants)
    big = _memory_target(options) if options.memory_size_mb > 0 else {}

    report = {
        "machine": machine_facts(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "input": {"path": str(path), "bytes": size, "events": events},
        "variants": options.variants,
        "kept_lines": _kept_lines(setup),
        "ingest_seconds": ingest_seconds,
        "timings": timings,
        "peak_rss_bytes": {key: result.peak_rss_bytes for key, result in memory.items()},
        "memory_target": big,
        "help": _help_times(),
        "help_imports": _slowest_imports(),
        "cmstp_rows": len(expected),
        "variant_rows": [len(rows) for rows in expected_variants],
    }
    print(render(report))
    output = options.json or options.data_dir / f"results-{options.size_mb:g}mb.json"
    output.write_text(json.dumps(report, indent=2) + "\n")
    _log(f"wrote {output}")
    return 0


def _parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--size-mb", type=float, default=1024.0, help="size of the benchmark input in MiB"
    )
    parser.add_argument(
        "--memory-size-mb",
        type=float,
        default=None,
        help="size in MiB of the input of the memory target, 0 to skip it "
        "(default: 5 times --size-mb)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path("/tmp/cqlkit-bench"),
        help="folder of the generated inputs, the store and the results JSON. A missing "
        "input is generated there",
    )
    parser.add_argument("--seed", type=int, default=1218003, help="seed of generate_fdr.py")

    parser.add_argument("--repeat", type=int, default=3, help="timed rounds of every case")
    parser.add_argument(
        "--variants", type=int, default=100, help="detections run in one pass (1 to 100)"
    )
    parser.add_argument(
        "--child-processes",
        type=int,
        default=2,
        help="child processes that run at once to measure peak RSS. The peak RSS of each "
        "does not depend on it",
    )
    parser.add_argument(
        "--json", type=Path, help="results file (default: DATA_DIR/results-<size>mb.json)"
    )

    options = parser.parse_args(argv)
    if options.memory_size_mb is None:
        options.memory_size_mb = 5 * options.size_mb
    if options.repeat < 1 or options.child_processes < 1:
        parser.error("--repeat and --child-processes must be at least 1")
    try:
        cases.variants(options.variants)
    except ValueError as exc:
        parser.error(str(exc))
    return options


_STARTED = time.perf_counter()


def _log(message: str) -> None:
    """Print a progress line to standard error, after the seconds since the start."""
    print(f"[{time.perf_counter() - _STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def _data_file(data_dir: Path, size_mb: float, seed: int) -> Path:
    """Return the generated input of ``size_mb`` MiB, generating it when it is missing."""
    path = data_dir / f"fdr-{size_mb:g}mb.ndjson"
    if not path.exists():
        _log(f"generating {path}")
        partial = path.with_suffix(".partial")
        generate_fdr.generate(partial, int(size_mb * MIB), seed, cmstp_rate=0.00002)
        partial.rename(path)
    return path


def _ingest(path: Path, store_dir: Path) -> float:
    """Ingest ``path`` into a new store at ``store_dir`` and return the seconds it took."""
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.perf_counter()
    result = ingest(path, store_dir)
    seconds = time.perf_counter() - started
    _log(f"ingest: {result.events} events in {len(result.parts)} part files, {seconds:.2f} s")
    return seconds


def _expected_variant_rows(setup: Setup) -> list[cases.Rows]:
    """Compute every variant's rows with the naive loop, the reference of the checks."""
    started = time.perf_counter()
    rows = cases.naive_loop(setup.path, cases.variants(setup.variant_count))
    _log(f"naive loop over {setup.variant_count} variants: {time.perf_counter() - started:.2f} s")
    return rows


def check_rows(
    key: str, rows: list[cases.Rows], expected: cases.Rows, expected_variants: list[cases.Rows]
) -> None:
    """Raise AssertionError when a case's rows differ from the naive loop's."""
    case = CASES.get(key)
    if case is None or (not case.cmstp_rows and key != "variants"):
        return
    if key == "variants":
        wrong = [index for index, got in enumerate(rows) if got != expected_variants[index]]
        assert len(rows) == len(expected_variants), f"{key}: {len(rows)} results"
        assert not wrong, f"{key}: variants {wrong} differ from the naive loop"
        return
    assert len(rows) == 1, f"{key}: expected the rows of one query, got {len(rows)} results"
    assert rows[0] == expected, (
        f"{key}: {len(rows[0])} rows differ from the naive loop's {len(expected)} rows"
    )


def _time_cases(
    setup: Setup, repeat: int, expected: cases.Rows, expected_variants: list[cases.Rows]
) -> dict[str, list[float]]:
    """Time every case ``repeat`` times in this process, one round of all cases at a time.

    The plans are made before, so planning is not timed. Everything else that the CLI
    does is: building the prefilter, reading, the engine and its SQL compilation.
    """
    variant_plans(1)
    variant_plans(setup.variant_count)
    timings: dict[str, list[float]] = {key: [] for key in CASES}
    for round_number in range(1, repeat + 1):
        for key, case in CASES.items():
            started = time.perf_counter()
            rows = case.run(setup)
            seconds = time.perf_counter() - started
            check_rows(key, rows, expected, expected_variants)
            timings[key].append(seconds)
            _log(f"round {round_number}: {key}: {seconds:.3f} s")
    return timings


def _measure_peak_rss(
    setup: Setup,
    durations: dict[str, float],
    processes: int,
    expected_variants: list[cases.Rows],
) -> dict[str, ChildResult]:
    """Run every case and ingest in child processes for their peak RSS, checking the rows.

    ``durations`` are the seconds each case took in this process, to start the longest first,
    so that the child processes finish close together.
    """
    # The ingest child writes a store of its own, so that the timed store stays as it is.
    child_store = setup.store_dir + "-child"
    # A child's peak RSS would not include the cqlkit process that the CLI case starts.
    runs = [(key, setup) for key in (*CASES, "imports") if key != "cli"]
    runs.append(("ingest", replace(setup, store_dir=child_store)))
    runs.sort(key=lambda run: -durations.get(run[0], 0.0))
    try:
        return _measure_children(runs, processes, expected_variants[0], expected_variants)
    finally:
        shutil.rmtree(child_store, ignore_errors=True)


def _child(key: str, setup: Setup, connection: Any) -> None:
    """Run one case in a child process and send back its time, peak RSS and rows."""
    # DuckDB may draw a progress bar on standard output, so the child discards its output.
    # The results go through the pipe.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    started = time.perf_counter()
    run = (CASES | CHILD_ONLY_CASES)[key].run
    rows = run(setup)
    seconds = time.perf_counter() - started
    connection.send((seconds, peak_rss_bytes(), rows))
    connection.close()


def peak_rss_bytes() -> int:
    """Return the peak resident set size of this process since it started its program.

    This is VmHWM from /proc/self/status. ``ru_maxrss`` would not do, because Linux carries
    the memory map's high-water mark across exec(), so a child started by fork or vfork
    and exec reports at least the RSS of its parent.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("/proc/self/status has no VmHWM line; peak RSS needs Linux")


def run_in_child(key: str, setup: Setup) -> ChildResult:
    """Run case ``key`` in a fresh spawned process and return what it reported."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(key, setup, sender))
    process.start()
    sender.close()
    try:
        seconds, peak_rss, rows = receiver.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"{key}: the child process exited with {process.exitcode}") from None
    process.join()
    return ChildResult(key, seconds, peak_rss, rows)


def _measure_children(
    runs: Sequence[tuple[str, Setup]],
    processes: int,
    expected: cases.Rows | None = None,
    expected_variants: list[cases.Rows] | None = None,
) -> dict[str, ChildResult]:
    """Run each (case, setup) in its own child process for its peak RSS, ``processes`` at a
    time, and check the rows when the expected rows are given."""
    with ThreadPoolExecutor(max_workers=processes) as executor:
        futures = [executor.submit(run_in_child, key, setup) for key, setup in runs]
        results = {}
        for future in futures:
            result = future.result()
            if expected is not None and expected_variants is not None:
                check_rows(result.key, result.rows, expected, expected_variants)
            results[result.key] = result
            _log(
                f"child: {result.key}: {result.seconds:.3f} s, "
                f"peak RSS {result.peak_rss_bytes / MIB:.0f} MiB"
            )
    return results


def _memory_target(options: argparse.Namespace) -> dict[str, Any]:
    """Run the memory cases on the large file in child processes and check that they agree."""
    path = _data_file(options.data_dir, options.memory_size_mb, options.seed)
    size = path.stat().st_size
    _log(f"memory target input: {path}, {size / MIB:.0f} MiB")
    setup = Setup(str(path), str(options.data_dir / f"store-{options.memory_size_mb:g}mb"), 1)
    # The store case reads the store that the ingest case writes.
    results = _measure_children([("ingest", setup)], 1)
    others = [key for key in (*MEMORY_CASES, "imports") if key != "ingest"]
    results |= _measure_children([(key, setup) for key in others], options.child_processes)
    reference_rows = results["duckdb"].rows
    for key in MEMORY_CASES:
        if key in CASES and CASES[key].cmstp_rows:
            assert results[key].rows == reference_rows, f"{key} differs from duckdb on {path}"
    return {
        "path": str(path),
        "bytes": size,
        "events": cases.count_lines(path),
        "cmstp_rows": len(reference_rows[0]),
        "cases": {
            key: {"seconds": results[key].seconds, "peak_rss_bytes": results[key].peak_rss_bytes}
            for key in (*MEMORY_CASES, "imports")
        },
    }


def _kept_lines(setup: Setup) -> dict[str, int]:
    """Count the lines that the prefilter keeps for one detection and for all variants."""
    return {
        "1": cases.kept_lines(setup.path, variant_plans(1)),
        str(setup.variant_count): cases.kept_lines(setup.path, variant_plans(setup.variant_count)),
    }


def _help_times() -> list[float]:
    """Time ``cqlkit --help`` as a new process, HELP_RUNS times."""
    command = [str(Path(sys.executable).parent / "cqlkit"), "--help"]
    seconds = []
    for _ in range(HELP_RUNS):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        seconds.append(time.perf_counter() - started)
    return seconds


def _slowest_imports(count: int = 6) -> list[tuple[str, int]]:
    """Return the modules that a new interpreter and ``import cqlkit.cli.main`` import
    directly, with the most cumulative microseconds, from ``python -X importtime``."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import cqlkit.cli.main"],
        check=True,
        capture_output=True,
        text=True,
    )
    imports = []
    for line in completed.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        # Names are indented by one space, plus two per level of nesting.
        name = parts[2]
        level = (len(name) - len(name.lstrip()) - 1) // 2
        if level <= 1:
            imports.append((name.strip(), int(parts[1])))
    return sorted(imports, key=lambda item: -item[1])[:count]


def machine_facts() -> dict[str, Any]:
    """Return the CPU model, cores, memory, Python and package versions of this machine."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.partition(":")[2].strip()
            break
    memory_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kib = int(line.split()[1])
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cpu": cpu,
        "cores": multiprocessing.cpu_count(),
        "memory_gib": round(memory_kib / MIB, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
        "packages": versions,
        "cqlkit_source": str(Path(cqlkit.__file__).parent),
    }


def render(report: dict[str, Any]) -> str:
    """Format the report as Markdown tables."""
    return render_markdown(
        report, {key: case.label for key, case in (CASES | CHILD_ONLY_CASES).items()}
    )


if __name__ == "__main__":
    sys.exit(main())
