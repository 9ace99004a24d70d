"""Markdown tables of a run_benchmark.py report, with the targets and whether each is met."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MIB = 1 << 20
MB = 1_000_000
GB = 1_000_000_000
HELP_TARGET_SECONDS = 0.3


@dataclass(frozen=True)
class RatioTarget:
    """A target on the ratio of two cases' times: slow / fast at least, or at most, ``bound``."""

    text: str
    slow: str
    fast: str
    bound: float
    at_least: bool = True


RATIO_TARGETS = (
    RatioTarget(
        "cqlkit on NDJSON ≥ 2x faster than hand-written DuckDB SQL", "hand-sql", "duckdb", 2
    ),
    RatioTarget("cqlkit on NDJSON ≥ 10x faster than the naive Python loop", "naive", "duckdb", 10),
    RatioTarget(
        "cqlkit on the store ≥ 20x faster than hand-written SQL on NDJSON", "hand-sql", "store", 20
    ),
    RatioTarget("N detections in one pass ≤ 3x the time of one", "variants", "duckdb", 3, False),
)


def render_markdown(report: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """Return the machine, the results, the targets and the memory target as Markdown."""
    sections = [
        _machine(report["machine"]),
        _results(report, labels),
        _targets(report),
        _memory(report.get("memory_target") or {}, labels),
        _help(report),
    ]
    return "\n\n".join(section for section in sections if section)


def _machine(machine: Mapping[str, Any]) -> str:
    packages = ", ".join(f"{name} {version}" for name, version in machine["packages"].items())
    return (
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB RAM, "
        f"{machine['system']}, Python {machine['python']}; {packages}; cqlkit imported from "
        f"{machine['cqlkit_source']}"
    )


def _results(report: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    size = report["input"]["bytes"]
    events = report["input"]["events"]
    timings = report["timings"]
    rss = report["peak_rss_bytes"]
    rounds = len(next(iter(timings.values())))
    lines = [
        f"Input: {report['input']['path']}, {size / MIB:.0f} MiB, {events} events, "
        f"{report['cmstp_rows']} CMSTP rows. Prefilter keeps "
        + ", ".join(f"{kept} lines for {n}" for n, kept in report["kept_lines"].items())
        + f" detection(s). N = {report['variants']}. Times: best, median and worst of "
        f"{rounds} rounds in one process. MB = 10^6 bytes of NDJSON input.",
        "",
        "| case | best s | median s | worst s | events/s (best) | MB/s (best) | peak RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, seconds in timings.items():
        best = min(seconds)
        label = labels.get(key, key).replace("N detections", f"{report['variants']} detections")
        peak = f"{rss[key] / MIB:,.0f}" if key in rss else "not measured"
        lines.append(
            f"| {label} | {best:.3f} | {statistics.median(seconds):.3f} | {max(seconds):.3f} "
            f"| {events / best:,.0f} | {size / MB / best:,.0f} | {peak} |"
        )
    ingest = report["ingest_seconds"]
    lines.append(
        f"| ingest into the store (once) | {ingest:.3f} | | | {events / ingest:,.0f} "
        f"| {size / MB / ingest:,.0f} | {rss.get('ingest', 0) / MIB:,.0f} |"
    )
    lines.append(
        f"\nA child process that only imports the modules and plans the queries peaks at "
        f"{rss['imports'] / MIB:.0f} MiB."
    )
    return "\n".join(lines)


def _targets(report: Mapping[str, Any]) -> str:
    timings = report["timings"]
    lines = [
        "| target | ratio of best times | ratio of medians | result |",
        "|---|---:|---:|---|",
    ]
    for target in RATIO_TARGETS:
        slow, fast = timings[target.slow], timings[target.fast]
        best = min(slow) / min(fast)
        median = statistics.median(slow) / statistics.median(fast)
        text = target.text.replace("N detections", f"{report['variants']} detections")
        lines.append(f"| {text} | {best:.1f}x | {median:.1f}x | {_verdict(target, best)} |")
    memory = report.get("memory_target") or {}
    if memory:
        worst_key, worst = max(
            ((key, case["peak_rss_bytes"]) for key, case in memory["cases"].items()),
            key=lambda item: item[1],
        )
        result = "met" if worst < GB else "missed"
        lines.append(
            f"| peak RSS < 1 GB on a {memory['bytes'] / MIB:.0f} MiB input, every engine "
            f"| max {worst / MIB:.0f} MiB ({worst_key}) | | {result}, "
            f"{worst / GB:.2f} of 1 GB |"
        )
    help_best = min(report["help"])
    result = "met" if help_best < HELP_TARGET_SECONDS else "missed"
    lines.append(
        f"| `cqlkit --help` < 0.3 s | {help_best:.3f} s best | "
        f"{statistics.median(report['help']):.3f} s | {result} |"
    )
    return "\n".join(lines)


def _verdict(target: RatioTarget, ratio: float) -> str:
    if target.at_least:
        met = ratio >= target.bound
        factor = ratio / target.bound if met else target.bound / ratio
    else:
        met = ratio <= target.bound
        factor = target.bound / ratio if met else ratio / target.bound
    return f"{'met' if met else 'missed'} by a factor of {factor:.1f}"


def _memory(memory: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    if not memory:
        return ""
    lines = [
        f"Memory target input: {memory['path']}, {memory['bytes'] / MIB:.0f} MiB, "
        f"{memory['events']} events, {memory['cmstp_rows']} CMSTP rows. Each case ran once "
        "in a fresh child process.",
        "",
        "| case | seconds | events/s | peak RSS MiB |",
        "|---|---:|---:|---:|",
    ]
    for key, case in memory["cases"].items():
        rate = "" if key == "imports" else f"{memory['events'] / case['seconds']:,.0f}"
        lines.append(
            f"| {labels[key]} | {case['seconds']:.2f} | {rate} "
            f"| {case['peak_rss_bytes'] / MIB:,.0f} |"
        )
    return "\n".join(lines)


def _help(report: Mapping[str, Any]) -> str:
    times = report["help"]
    imports = ", ".join(f"{name} {micros / 1000:.1f} ms" for name, micros in report["help_imports"])
    return (
        f"`cqlkit --help`: best {min(times):.3f} s, median {statistics.median(times):.3f} s, "
        f"worst {max(times):.3f} s over {len(times)} runs. Slowest imports of cqlkit.cli.main "
        f"(python -X importtime, cumulative): {imports}."
    )
