"""The ``cqlkit investigate`` command, run in-process on the OTRF CMSTP recording."""

from __future__ import annotations

import functools
from pathlib import Path

import orjson
from click.testing import CliRunner

from cqlkit.cli.investigate_command import INPUT_FORMATS, investigate
from cqlkit.sources import FORMATS

ROOT = Path(__file__).resolve().parents[2]
OTRF_CMSTP = ROOT / "data" / "OTRF_Security-Datasets" / "psh_cmstp_execution_bypassuac.zip"
CMSTP = "T1218.003-cmstp"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(investigate, list(args))
    return result.exit_code, result.stdout, result.stderr


@functools.cache
def ndjson_run(*args: str) -> tuple[int, list[dict[str, str]], str]:
    status, out, err = invoke(CMSTP, str(OTRF_CMSTP), "--format", "ndjson", *args)
    return status, [orjson.loads(line) for line in out.splitlines()], err


def test_input_formats_match_readers() -> None:
    assert set(INPUT_FORMATS) == set(FORMATS)


def test_ndjson_names_each_pivot() -> None:
    status, records, err = ndjson_run()
    assert status == 0, err
    assert [record["pivot"] for record in records] == [
        "hit",
        "cmstplua-dllhost",
        "cmstplua-dllhost",
        "cmstplua-children",
        "cmstplua-children",
        "inf-writes-sysmon",
        "process-tree",
    ]
    hit = records[0]
    assert hit["ParentBaseFileName"] == "powershell.exe"
    assert {"aid", "TargetProcessId", "ParentProcessId", "RiskScore"} <= set(hit)


def test_stderr_lists_parameters_and_summary() -> None:
    _, records, err = ndjson_run()
    hit = records[0]
    lines = err.splitlines()
    assert (
        f"process-tree: ran with ?aid={hit['aid']} ?TargetProcessId={hit['TargetProcessId']}"
        f" ?ParentProcessId={hit['ParentProcessId']}"
    ) in lines
    assert lines[-1].startswith("1166 events read, 0 rejected, 5 pivots run, 0 not run, ")
    assert lines[-1].endswith(" s (duckdb)")


def test_table_output_has_titles() -> None:
    status, out, _ = invoke(CMSTP, str(OTRF_CMSTP), "--pivot", "inf-writes-falcon")
    assert status == 0
    assert "T1218.003-cmstp hit 1 of 2: 1 row" in out
    assert "inf-writes-falcon: 0 rows" in out


def test_reference_engine_gives_same_rows() -> None:
    duckdb = ndjson_run()[1]
    reference = ndjson_run("--engine", "reference")[1]
    assert reference == duckdb


def test_second_hit_is_security_event() -> None:
    status, records, _ = ndjson_run("--hit", "2", "--pivot", "process-tree")
    assert status == 0
    assert [record["pivot"] for record in records] == ["hit", "process-tree"]
    assert records[0]["TargetProcessId"] == records[1]["TargetProcessId"]


def test_start_from_process() -> None:
    _, records, _ = ndjson_run()
    host = records[2]
    status, started, _ = ndjson_run(
        "--aid", host["aid"], "--process-id", host["DllHostProcessId"], "--pivot", "process-tree"
    )
    assert status == 0
    tree = [record for record in started if record["pivot"] == "process-tree"]
    assert [record["Relation"] for record in tree] == ["process", "child"]
    assert tree[1]["CommandLine"] == r"c:\windows\system32\cmd.exe"


def test_param_overrides_hit_field() -> None:
    status, records, err = ndjson_run("--pivot", "inf-writes-sysmon", "--param", "Hostname=OTHER")
    assert status == 0
    assert [record["pivot"] for record in records] == ["hit"]
    assert "inf-writes-sysmon: ran with ?Hostname=OTHER" in err.splitlines()


def test_hit_out_of_range_exits_1() -> None:
    status, _, err = invoke(CMSTP, str(OTRF_CMSTP), "--hit", "3")
    assert status == 1
    assert "error[investigation]: detection T1218.003-cmstp found 2 hits, so there is no hit 3" in (
        err
    )


def test_aid_without_process_id_is_usage_error() -> None:
    status, _, err = invoke(CMSTP, str(OTRF_CMSTP), "--aid", "abc")
    assert status == 2
    assert "give --aid and --process-id together" in err


def test_hit_with_aid_is_usage_error() -> None:
    status, _, err = invoke(CMSTP, str(OTRF_CMSTP), "--hit", "1", "--aid", "a", "--process-id", "1")
    assert status == 2
    assert "either --hit or --aid and --process-id" in err


def test_unknown_pivot_exits_1() -> None:
    status, _, err = invoke(CMSTP, str(OTRF_CMSTP), "--pivot", "nope")
    assert status == 1
    assert "unknown pivot: nope" in err


def test_missing_input_exits_4() -> None:
    status, _, err = invoke(CMSTP, "no-such-file.json")
    assert status == 4
    assert err.startswith("error[input]:")
