"""Measure how much of the hunting corpus cqlkit checks and runs.

    python -m tests.corpus.measure [--size-mb 2]

Every query of ``tests/corpus/hunting`` is checked as ``cqlkit check`` would,
then run over a generated Falcon Data Replicator sample on the reference
engine and on DuckDB. A query runs to completion when both engines finish
without an error; the two engines must also give the same rows.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import defines_order

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.errors import CqlError
from cqlkit.plan.planner import check_query, plan_query
from cqlkit.plan.resources import Resources
from cqlkit.sources import read_events

CORPUS = Path(__file__).resolve().parent
QUERIES = CORPUS / "hunting"
ROOT = CORPUS.parents[1]
GENERATOR = ROOT / "bench" / "generate_fdr.py"
# 2025-12-01T12:00:00Z, inside the generated month, so that now() windows keep events.
QUERY_TIME_MS = 1_764_590_400_000
LOGONS = [
    {"UserName": "alice", "LogonType": "10", "RemoteAddressIP4": "198.51.100.7"},
    {"UserName": "svc_backup", "LogonType": "5", "RemoteAddressIP4": "10.0.0.5"},
    {"UserName": "alice", "LogonType": "2", "RemoteAddressIP4": "127.0.0.1"},
]


@dataclass
class Outcome:
    """What cqlkit made of one query of the corpus."""

    name: str
    checked: bool
    ran: bool = False
    agree: bool = False
    rows: int = 0
    problem: str = ""
    # The stages DuckDB sent to the reference engine, one notice each.
    notices: tuple[str, ...] = ()


def corpus_resources(folder: Path) -> Resources:
    """Return the saved searches and lookup files of the corpus, with small GeoIP
    and ASN databases and an indicator file written to ``folder``."""
    from mmdb_writer import MmdbF64, MmdbU32, MMDBWriter
    from netaddr import IPSet

    geoip = MMDBWriter(ip_version=4, database_type="GeoLite2-City", languages=["en"])
    location = {"latitude": MmdbF64(52.37), "longitude": MmdbF64(4.89)}
    geoip.insert_network(
        IPSet(["198.51.100.0/25"]), {"country": {"iso_code": "NL"}, "location": location}
    )
    geoip.to_db_file(str(folder / "city.mmdb"))
    asn = MMDBWriter(ip_version=4, database_type="GeoLite2-ASN", languages=["en"])
    asn.insert_network(
        IPSet(["198.51.100.0/24"]),
        {"autonomous_system_number": MmdbU32(64500), "autonomous_system_organization": "DOC-NET"},
    )
    asn.to_db_file(str(folder / "asn.mmdb"))
    iocs = folder / "iocs.csv"
    iocs.write_text(
        "indicator,type,malicious_confidence,labels\n"
        'backup.example.com,domain,medium,"Malware/Test"\n',
        encoding="utf-8",
    )
    return Resources(
        lookup_dir=CORPUS / "lookups",
        library_dir=CORPUS / "library",
        geoip_database=folder / "city.mmdb",
        asn_database=folder / "asn.mmdb",
        ioc_file=iocs,
        now_ms=QUERY_TIME_MS,
    )


def sample_events(folder: Path, size_mb: float) -> list[dict[str, str]]:
    """Generate an FDR sample with host names (through an aid_master file) and a
    few logon events, and read it as cqlkit reads FDR."""
    fdr = folder / "fdr.ndjson"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--size-mb", str(size_mb), "--output", str(fdr)],
        check=True,
        capture_output=True,
    )
    events = list(read_events([fdr]))
    aids = sorted({event["aid"] for event in events if "aid" in event})
    aidmaster = folder / "aid_master.csv"
    with aidmaster.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["aid", "ComputerName"])
        writer.writerows([aid, f"WS-{index:04d}"] for index, aid in enumerate(aids))
    events = list(read_events([fdr], aidmaster=aidmaster))
    for index, logon in enumerate(LOGONS):
        events.append(
            {
                "#event_simpleName": "UserLogon",
                "event_simpleName": "UserLogon",
                "@timestamp": str(QUERY_TIME_MS - 1000 * (index + 1)),
                "aid": aids[index % len(aids)],
                "ComputerName": f"WS-{index:04d}",
                **logon,
            }
        )
    return events


def measure(
    events: list[dict[str, str]], resources: Resources, names: Sequence[str] = ()
) -> list[Outcome]:
    """Check and run each corpus query (or only those named) over ``events``."""
    paths = sorted(QUERIES.glob("*.cql"))
    if names:
        paths = [path for path in paths if path.stem in names]
    engine = DuckDBEngine()
    return [_measure_one(path, events, resources, engine) for path in paths]


def _measure_one(
    path: Path, events: list[dict[str, str]], resources: Resources, engine: DuckDBEngine
) -> Outcome:
    text = path.read_text(encoding="utf-8")
    try:
        _, diagnostics = check_query(text, resources=resources, parameters_optional=True)
    except CqlError as exc:
        return Outcome(path.stem, False, problem=f"check: {exc.description}")
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        return Outcome(path.stem, False, problem=f"check: {errors[0].message}")
    outcome = Outcome(path.stem, True)
    try:
        plan = plan_query(text, resources=resources)
        reference = [dict(row) for row in run_plan(plan, events, RunContext())]
        (result,) = engine.run([plan], events)
    except (CqlError, ValueError, TypeError, KeyError) as exc:
        outcome.problem = f"run: {type(exc).__name__}: {exc}".splitlines()[0]
        return outcome
    outcome.ran = True
    outcome.rows = len(reference)
    outcome.notices = tuple(result.notices)
    duckdb = [dict(row) for row in result.rows]
    if defines_order(plan):
        outcome.agree = duckdb == reference
    else:
        outcome.agree = sorted(map(_items, duckdb)) == sorted(map(_items, reference))
    if not outcome.agree:
        outcome.problem = "the engines give different rows"
    return outcome


def _items(row: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(row.items())


def summary(outcomes: Sequence[Outcome]) -> str:
    """Return the shares that pass check, run, and agree across engines."""
    total = len(outcomes)
    checked = sum(o.checked for o in outcomes)
    ran = sum(o.ran for o in outcomes)
    agree = sum(o.agree for o in outcomes)
    sql = sum(o.ran and not o.notices for o in outcomes)
    return (
        f"{total} queries: {checked} pass check ({100 * checked / total:.1f}%),"
        f" {ran} run to completion ({100 * ran / total:.1f}%),"
        f" {agree} give the same rows on both engines,"
        f" {sql} run on DuckDB with no stage sent to the reference engine"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print one line per query and the summary."""
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size-mb", type=float, default=2.0, help="size of the FDR sample")
    parser.add_argument("names", nargs="*", help="query names (file stems) to measure")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        events = sample_events(Path(folder), args.size_mb)
        outcomes = measure(events, corpus_resources(Path(folder)), args.names)
    for outcome in outcomes:
        status = "ok" if outcome.agree else "FAIL"
        print(f"{status:4} {outcome.name:40} rows={outcome.rows:<6} {outcome.problem}")
        for notice in outcome.notices:
            print(f"     notice: {notice}")
    print(f"{len(events)} events; {summary(outcomes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
