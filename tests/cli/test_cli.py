"""The cqlkit command line, run in-process with click's test runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from cqlkit.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CATALOG = ROOT / "src" / "cqlkit" / "detections" / "catalog" / "T1218.003-cmstp"
PUBLISHED = CATALOG / "published.cql"
CORRECTED = CATALOG / "query.cql"
WINPWNAGE = DATA / "sbousseaden_EVTX-ATTACK-SAMPLES" / "sysmon_1_13_11_cmstp_ini_uacbypass.evtx"


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_hunt_bundled_data_finds_four_rows() -> None:
    status, out, err = invoke("hunt", str(DATA), "--format", "ndjson")
    rows = [orjson.loads(line) for line in out.splitlines()]
    assert status == 0
    assert sorted(row["RiskScore"] for row in rows) == ["2", "4", "4", "5"]
    assert {row["detection"] for row in rows} == {"T1218.003-cmstp"}
    assert "109920 events read, 0 rejected, 4 rows" in err


def test_hunt_table_shows_iso_time() -> None:
    status, out, _ = invoke("hunt", str(WINPWNAGE))
    assert status == 0
    assert "2019-05-11T17:28:19.442Z" in out
    assert "T1218.003-cmstp: 1 row" in out


@pytest.mark.parametrize("output_format", ["json", "csv"])
def test_hunt_structured_formats(output_format: str) -> None:
    status, out, _ = invoke("hunt", str(WINPWNAGE), "--format", output_format)
    assert status == 0
    rows = json.loads(out) if output_format == "json" else list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    assert rows[0]["RiskScore"] == "2"


def test_hunt_unknown_detection() -> None:
    status, _, err = invoke("hunt", str(WINPWNAGE), "--detection", "T9999-nope")
    assert status == 3
    assert "T1218.003-cmstp" in err


def test_hunt_published_query_lenient_warns() -> None:
    status, out, err = invoke(
        "hunt", str(WINPWNAGE), "--query", "published", "--lenient", "--format", "ndjson"
    )
    assert status == 0
    assert orjson.loads(out)["RiskScore"] == "2"
    assert err.count("accepted by --lenient") == 18
    assert "read as @timestamp by --lenient" in err


def test_check_published_reports_every_fault() -> None:
    status, out, _ = invoke("check", str(PUBLISHED), "--format", "json")
    diagnostics = json.loads(out)
    codes = [d["code"] for d in diagnostics]
    assert status == 1
    assert codes.count("if-unknown-parameter") == 6
    assert codes.count("regex-in-expression") == 6
    assert codes.count("if-positional-branch") == 6
    assert codes.count("unknown-time-field") == 2
    assert all(d["fix"] for d in diagnostics)


def test_check_published_fix_text() -> None:
    _, out, _ = invoke("check", str(PUBLISHED), "--format", "json")
    first = json.loads(out)[0]
    assert (first["line"], first["column"]) == (3, 19)
    assert first["fix"] == 'if(regex("(?i)/s|/au", field=CommandLine), then="1", else="0")'


def test_check_published_text_has_caret() -> None:
    status, out, _ = invoke("check", str(PUBLISHED))
    assert status == 1
    assert '| AutoClose := if(CommandLine = ~/(?i)\\/s|\\/au/, "1", "0")\n' in out
    assert "                  ^^^^^^^^^^^\n" in out
    assert out.rstrip().endswith("18 errors, 2 warnings: LogScale would reject this query")


def test_check_corrected_query_passes() -> None:
    status, out, _ = invoke("check", str(CORRECTED))
    assert status == 0
    assert "0 errors, 0 warnings" in out


def test_check_lenient_published_passes() -> None:
    status, out, _ = invoke("check", str(PUBLISHED), "--lenient")
    assert status == 0
    assert "0 errors, 20 warnings" in out


def test_check_syntax_error() -> None:
    status, out, _ = invoke("check", "foo=bar | groupBy([a, b)")
    assert status == 1
    assert "line 1, column" in out
    assert "^" in out


def test_run_query_from_stdin() -> None:
    events = "\n".join(
        json.dumps({"@timestamp": str(1000 + i), "user": name})
        for i, name in enumerate(["a", "b", "a"])
    )
    status, out, err = invoke(
        "run",
        "groupBy(user) | sort(user, order=asc)",
        "-",
        "--input-format",
        "logscale",
        "--format",
        "ndjson",
        stdin=events,
    )
    assert status == 0, err
    assert [orjson.loads(line) for line in out.splitlines()] == [
        {"user": "a", "_count": "2"},
        {"user": "b", "_count": "1"},
    ]


def test_run_parse_error_exit_status() -> None:
    status, _, err = invoke("run", "foo=(", str(WINPWNAGE))
    assert status == 3
    assert err.startswith("error[syntax]:")


def test_run_parameter() -> None:
    status, out, _ = invoke(
        "run",
        "ParentBaseFileName=?parent | select([CommandLine])",
        str(WINPWNAGE),
        "--param",
        "parent=python.exe",
        "--format",
        "ndjson",
    )
    assert status == 0
    assert "tmp.ini" in orjson.loads(out)["CommandLine"]


def test_run_unreadable_input(tmp_path: Path) -> None:
    bad = tmp_path / "broken.evtx"
    bad.write_bytes(b"not an evtx file")
    status, _, err = invoke("run", "*", str(bad))
    assert status == 4
    assert "broken.evtx" in err


def test_run_counts_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    path.write_text('{"@timestamp": 1, "a": "x"}\n{broken\n{"@timestamp": 2, "a": "y"}\n')
    status, out, err = invoke(
        "run", "a=*", str(path), "--input-format", "logscale", "--format", "ndjson"
    )
    assert status == 0
    assert len(out.splitlines()) == 2
    assert "2 events read, 1 rejected, 2 rows" in err
    assert "events.ndjson:line 2" in err


def test_run_strict_stops_on_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    path.write_text('{"@timestamp": 1, "a": "x"}\n{broken\n')
    status, _, err = invoke("run", "a=*", str(path), "--input-format", "logscale", "--strict")
    assert status == 4
    assert "line 2" in err


def test_run_all_lifts_implicit_limit(tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    path.write_text(
        "".join(json.dumps({"@timestamp": str(i), "n": str(i)}) + "\n" for i in range(250))
    )
    _, limited, err = invoke(
        "run", "n=*", str(path), "--input-format", "logscale", "--format", "ndjson"
    )
    _, everything, _ = invoke(
        "run", "n=*", str(path), "--input-format", "logscale", "--format", "ndjson", "--all"
    )
    assert len(limited.splitlines()) == 200
    assert orjson.loads(limited.splitlines()[0])["n"] == "249"
    assert "tail() returned the newest 200 of 250 events" in err
    assert len(everything.splitlines()) == 250


def test_help_lists_commands() -> None:
    status, out, _ = invoke("--help")
    assert status == 0
    for command in ("hunt", "run", "check"):
        assert command in out
