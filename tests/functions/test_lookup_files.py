"""Lookup files (CSV and JSON reading) and readFile(), on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.functions.lookup_helpers import lookup_folder
from tests.helpers import diagnostic_codes, make_events, run

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.errors import ExecutionError
from cqlkit.plan.lookups.tables import (
    KEY_COLUMN,
    LookupFileError,
    parse_csv_table,
    parse_json_table,
)
from cqlkit.plan.planner import plan_query
from cqlkit.plan.resources import Resources

HOSTS_1 = "host_name,host_id\nDESKTOP-VSKPBK8,1\nFINANCE,2\nhomer-xubuntu,3\nlogger,4\n"
HOSTS_2 = "host_name,host_id\nDESKTOP-1,5\nDESKTOP-2,6\nDESKTOP-3,7\n"


@pytest.fixture
def hosts(tmp_path: Path) -> Resources:
    return lookup_folder(
        tmp_path,
        {
            "file1.csv": HOSTS_1,
            "file2.csv": HOSTS_2,
            "host_names.csv": HOSTS_1 + HOSTS_2.split("\n", 1)[1],
        },
    )


def read_in_order(query: str, resources: Resources) -> list[dict[str, str]]:
    """Run a readFile() query on both engines and check that both keep the
    file order, which run() compares only as a multiset."""
    reference = run(query, [], resources=resources, sql_only=True)
    plan = plan_query(query, resources=resources)
    (result,) = DuckDBEngine().run([plan], [])
    assert [dict(row) for row in result.rows] == reference
    return reference


# --- CSV ---------------------------------------------------------------------------


def test_csv_keeps_whitespace_and_reads_quotes() -> None:
    table = parse_csv_table(
        'name, note\n"Smith, Ann"," two\nlines "\nplain ,"say ""hi"""\n', "t.csv"
    )
    assert table.columns == ("name", " note")
    assert table.rows == (("Smith, Ann", " two\nlines "), ("plain ", 'say "hi"'))


def test_csv_skips_blank_lines_and_keeps_empty_cells() -> None:
    table = parse_csv_table("a,b\r\n\r\n,x\r\n", "t.csv")
    assert table.rows == (("", "x"),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("a,b\n1\n", "line 2 has 1 cells"),
        ("a,a\n", "twice"),
        ('a,b\n"1,2\n', "line"),
    ],
)
def test_csv_errors(text: str, message: str) -> None:
    with pytest.raises(LookupFileError, match=message):
        parse_csv_table(text, "t.csv")


def test_csv_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "bom.csv").write_bytes("\ufeffuser,team\nann,red\n".encode())
    rows = run(
        "match(bom.csv, field=user)",
        make_events({"user": "ann"}),
        resources=Resources(lookup_dir=tmp_path),
    )
    assert [row["team"] for row in rows] == ["red"]


# --- JSON --------------------------------------------------------------------------


def test_json_values_become_text() -> None:
    table = parse_json_table(
        '[{"a": "x", "n": 7.0, "i": 12, "t": true, "z": null, "o": {"k": "v"}, "l": [1]}]', "t.json"
    )
    assert table.columns == ("a", "n", "i", "t")
    assert table.rows == (("x", "7.0", "12", "true"),)


def test_json_object_form_has_key_column() -> None:
    table = parse_json_table('{"1": {"name": "chr"}, "2": {"name": "krab", "role": "x"}}', "t.json")
    assert table.keyed
    assert table.columns == (KEY_COLUMN, "name", "role")
    assert table.value_columns == ("name", "role")
    assert table.rows == (("1", "chr", None), ("2", "krab", "x"))


def test_json_lines() -> None:
    table = parse_json_table('{"a": "1"}\n{"a": "2", "b": "3"}\n', "t.json")
    assert table.rows == (("1", None), ("2", "3"))


@pytest.mark.parametrize(
    "text",
    ['"just text"', "[1, 2]", '{"a": "b"}', "{", '{"a": "1"}\n[1]\n'],
    ids=["string", "array-of-numbers", "object-of-text", "broken", "line-not-object"],
)
def test_json_errors(text: str) -> None:
    with pytest.raises(LookupFileError):
        parse_json_table(text, "t.json")


def test_invalid_json_file_is_check_error(tmp_path: Path) -> None:
    resources = lookup_folder(tmp_path, {"bad.json": "[{"})
    assert diagnostic_codes("match(bad.json, field=a)", resources=resources) == [
        "invalid-lookup-file"
    ]


def test_package_path_inside_lookup_folder(tmp_path: Path) -> None:
    resources = lookup_folder(
        tmp_path, {"falcon/investigate/chassis.csv": "ChassisType,Name\n3,Desktop\n"}
    )
    rows = run(
        'match(file="falcon/investigate/chassis.csv", field=ChassisType, strict=false)',
        make_events({"ChassisType": "3"}),
        resources=resources,
        sql_only=True,
    )
    assert [row["Name"] for row in rows] == ["Desktop"]


# --- readFile() --------------------------------------------------------------------


def test_read_file_preview_example(hosts: Resources) -> None:
    # examples-readfile-preview-1
    rows = read_in_order('readFile("host_names.csv")', hosts)
    assert [(row["host_id"], row["host_name"]) for row in rows] == [
        ("1", "DESKTOP-VSKPBK8"),
        ("2", "FINANCE"),
        ("3", "homer-xubuntu"),
        ("4", "logger"),
        ("5", "DESKTOP-1"),
        ("6", "DESKTOP-2"),
        ("7", "DESKTOP-3"),
    ]
    limited = read_in_order('readFile("host_names.csv", limit=5)', hosts)
    assert [row["host_id"] for row in limited] == ["1", "2", "3", "4", "5"]


def test_read_file_several_files_example(hosts: Resources) -> None:
    # examples-readfile-multiple-file-support: files in the order named, then the limit.
    rows = read_in_order('readFile(["file1.csv", "file2.csv"])', hosts)
    assert [row["host_id"] for row in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    limited = read_in_order("readFile([file1.csv, file2.csv], limit=6)", hosts)
    assert [row["host_id"] for row in limited] == ["1", "2", "3", "4", "5", "6"]


def test_read_file_three_unnamed_files_is_rejected(hosts: Resources) -> None:
    # examples-readfile-concatenate-multiple-csv-files passes three unnamed
    # arguments; only the first argument of a function may be unnamed.
    codes = diagnostic_codes(
        'readFile("file1.csv", "file2.csv", "host_names.csv")', resources=hosts
    )
    assert codes == ["unnamed-argument", "unnamed-argument"]


def test_read_file_different_columns(tmp_path: Path) -> None:
    resources = lookup_folder(tmp_path, {"a.csv": "x,y\n1,2\n", "b.csv": "y,z\n3,\n"})
    rows = read_in_order("readFile([a.csv, b.csv])", resources)
    assert rows == [{"x": "1", "y": "2"}, {"y": "3", "z": ""}]


def test_read_file_include(hosts: Resources) -> None:
    rows = read_in_order("readFile(file1.csv, include=host_name, limit=2)", hosts)
    assert rows == [{"host_name": "DESKTOP-VSKPBK8"}, {"host_name": "FINANCE"}]


def test_read_file_discards_events_before_it(hosts: Resources) -> None:
    rows = run(
        'x = 1 | readFile("file2.csv") | count()',
        make_events({"x": "1"}, {"x": "2"}),
        resources=hosts,
        sql_only=True,
    )
    assert rows == [{"_count": "3"}]


def test_read_file_then_filter_and_aggregate(hosts: Resources) -> None:
    rows = run(
        'readFile("host_names.csv") | host_name = DESKTOP* | groupBy(host_name)',
        [],
        resources=hosts,
        sql_only=True,
    )
    assert sorted(row["host_name"] for row in rows) == [
        "DESKTOP-1",
        "DESKTOP-2",
        "DESKTOP-3",
        "DESKTOP-VSKPBK8",
    ]


def test_read_file_empty_file(tmp_path: Path) -> None:
    resources = lookup_folder(tmp_path, {"e.csv": "a,b\n"})
    assert run("readFile(e.csv)", [], resources=resources, sql_only=True) == []


def test_read_file_ad_hoc_table() -> None:
    plan = plan_query("readFile(table=hosts_table)")
    context = RunContext(tables={"hosts_table": [{"h": "a"}, {"h": "b"}]})
    assert [dict(row) for row in run_plan(plan, [], context)] == [{"h": "a"}, {"h": "b"}]


def test_read_file_unknown_table_fails_on_duckdb() -> None:
    # The DuckDB engine sends ad-hoc tables to the reference engine, which reads
    # the tables that defineTable() built in the run; here there is none.
    plan = plan_query("readFile(hosts_table)")
    with pytest.raises(ExecutionError, match="no defineTable"):
        DuckDBEngine().run([plan], [])


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("readFile(missing.csv)", "lookup-file-not-found"),
        ("readFile(u.json)", "invalid-argument"),
        ("readFile(file1.csv, include=nope)", "missing-column"),
        ("readFile(file1.csv, limit=0)", "argument-out-of-range"),
        ("readFile()", "missing-argument"),
    ],
)
def test_read_file_check_errors(hosts: Resources, query: str, code: str) -> None:
    (hosts.lookup_dir / "u.json").write_text("[]")  # type: ignore[operator]
    assert code in diagnostic_codes(query, resources=hosts)
