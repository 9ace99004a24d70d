"""Query arguments that are large, deep, mistyped or badly encoded."""

from __future__ import annotations

from pathlib import Path

from tests.cli.cli_helpers import invoke


def test_long_or_chain_is_accepted() -> None:
    query = " or ".join(f"host=h{index}" for index in range(1000))
    status, out, _ = invoke("check", query)
    assert status == 0, out


def test_deep_nesting_is_error() -> None:
    query = "(" * 3000 + "a=1" + ")" * 3000
    status, _, err = invoke("check", query)
    assert status == 3
    assert "nested too deeply" in err


def test_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    query = tmp_path / "bom.cql"
    query.write_bytes(b"\xef\xbb\xbfcount()\n")
    status, out, _ = invoke("check", str(query))
    assert status == 0, out


def test_query_file_not_utf8(tmp_path: Path) -> None:
    query = tmp_path / "latin1.cql"
    query.write_bytes(b"\xff\xfe bad")
    status, _, err = invoke("run", str(query), "-", stdin="")
    assert status == 3
    assert f"cannot read the query file {query}" in err


def test_missing_query_file_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "typo.cql")
    status, out, _ = invoke("check", missing)
    assert status == 1
    assert f"query file not found: {missing}" in out
    status, _, err = invoke("run", missing, "-", stdin="")
    assert status == 3
    assert "query file not found" in err


def test_cql_folder_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "odd.cql").mkdir()
    (tmp_path / "good.cql").write_text("count()", "utf-8")
    status, out, _ = invoke("check", str(tmp_path))
    assert status == 0, out
    assert "odd.cql" not in out
