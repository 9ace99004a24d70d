"""``cqlkit check`` on many queries, files and folders, and its NDJSON report."""

from __future__ import annotations

from pathlib import Path

import orjson
from tests.cli.cli_helpers import invoke


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "queries"
    (folder / "nested").mkdir(parents=True)
    (folder / "good.cql").write_text("#event_simpleName=ProcessRollup2 | count()", "utf-8")
    (folder / "nested" / "unknown.cql").write_text("nosuch(x)", "utf-8")
    (folder / "syntax.cql").write_text("groupBy(", "utf-8")
    (folder / "notes.txt").write_text("not a query", "utf-8")
    return folder


def test_folder_gives_one_result_per_file(tmp_path: Path) -> None:
    status, out, _ = invoke("check", str(_corpus(tmp_path)))
    assert status == 1
    lines = out.splitlines()
    assert lines[-1] == "checked 3 files: 1 accepted, 2 rejected"
    assert any(line.endswith("good.cql: 0 errors, 0 warnings: accepted") for line in lines)
    assert any("unknown.cql: error[unknown-function]" in line for line in lines)


def test_ndjson_report(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    status, out, _ = invoke("check", str(folder / "good.cql"), str(folder), "--format", "ndjson")
    assert status == 1
    records = [orjson.loads(line) for line in out.splitlines()]
    assert [(Path(str(r["query"])).name, r["accepted"], r["errors"]) for r in records] == [
        ("good.cql", True, 0),
        ("good.cql", True, 0),
        ("unknown.cql", False, 1),
        ("syntax.cql", False, 1),
    ]
    assert records[3]["diagnostics"][0]["code"] == "syntax"  # type: ignore[index]


def test_all_accepted_exits_zero(tmp_path: Path) -> None:
    query = tmp_path / "ok.cql"
    query.write_text("x=1", "utf-8")
    status, out, _ = invoke("check", str(query), "count()")
    assert status == 0
    assert out.splitlines()[-1] == "checked 2 queries: 2 accepted, 0 rejected"


def test_unreadable_file_is_reported_and_others_still_checked(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.cql"
    bad.write_bytes(b"x=\xe9")
    good = tmp_path / "good.cql"
    good.write_text("x=1", "utf-8")
    status, out, _ = invoke("check", str(bad), str(good), "--format", "ndjson")
    records = [orjson.loads(line) for line in out.splitlines()]
    assert status == 1
    assert [r["accepted"] for r in records] == [False, True]
    assert "cannot read" in str(records[0]["diagnostics"])


def test_parameters_need_no_value_to_check() -> None:
    status, out, _ = invoke("check", "CommandLine=?cmd | head(?{n=5})")
    assert status == 0, out


def test_saved_search_library_option(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "shells.cql").write_text("ImageFileName=*cmd.exe", "utf-8")
    status, out, _ = invoke("check", "$shells() | count()", "--library", str(tmp_path / "lib"))
    assert status == 0, out
    status, out, _ = invoke("check", "$other()", "--library", str(tmp_path / "lib"))
    assert status == 1
    assert "saved searches there: shells" in out


def test_bad_now_is_a_usage_error() -> None:
    status, _, err = invoke("run", "x := now()", "-", "--now", "yesterday", stdin="")
    assert status == 2
    assert "--now" in err
