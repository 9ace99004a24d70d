"""Tests of createEvents(), kvParse(), parseJson() and parseXml() on both engines.

The parsers set fields named by the data, so DuckDB runs them and the rest of
the plan on the reference engine. ``run`` still compares both engines.
"""

from __future__ import annotations

import pytest

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.plan.planner import plan_query
from cqlkit.plan.resources import Resources
from helpers import column, diagnostic_codes, make_events, run, without_metadata

NOW = Resources(now_ms=1_700_000_000_000)


# --- createEvents() -------------------------------------------------------------------


def test_create_events_documented_example() -> None:
    # functions-createevents: two events, @rawstring as given, @timestamp now.
    rows = run(
        'createEvents(["animal=dog weight=7.0", "animal=cat weight=4.2"])',
        [],
        resources=NOW,
        sql_only=True,
    )
    assert rows == [
        {"@rawstring": "animal=dog weight=7.0", "@timestamp": "1700000000000"},
        {"@rawstring": "animal=cat weight=4.2", "@timestamp": "1700000000000"},
    ]


def test_create_events_discards_input() -> None:
    rows = run(
        'createEvents(rawstring=["a", "b", "c"]) | count()',
        make_events({"x": "1"}, {"x": "2"}),
        resources=NOW,
        sql_only=True,
    )
    assert rows == [{"_count": "3"}]


def test_create_events_single_string() -> None:
    rows = run('createEvents("only")', [], resources=NOW, sql_only=True)
    assert column(rows, "@rawstring") == ["only"]


def test_create_events_empty_list() -> None:
    assert run("createEvents([])", make_events({}), resources=NOW, sql_only=True) == []


def test_create_events_feeds_sql_stages() -> None:
    rows = run(
        'createEvents(["a", "bb", "ccc"]) | n := length(@rawstring) | n > 1 | head(5)',
        [],
        resources=NOW,
        sql_only=True,
    )
    assert column(rows, "@rawstring") == ["bb", "ccc"]


def test_create_events_needs_strings() -> None:
    assert "missing-argument" in diagnostic_codes("createEvents()")


def test_create_events_uses_the_clock_without_now() -> None:
    plan = plan_query('createEvents(["x"]) | t := now()')
    (outcome,) = DuckDBEngine().run([plan], [])
    (row,) = outcome.rows
    assert row["@timestamp"] == row["t"]


# --- kvParse() ------------------------------------------------------------------------


def test_kv_parse_with_create_events() -> None:
    # examples-createevents-kvparse: two events parsed into animal and weight.
    rows = run(
        'createEvents(["animal=dog weight=7.0", "animal=cat weight=4.2"]) | kvParse()',
        [],
        resources=NOW,
    )
    assert without_metadata(rows) == [
        {"@rawstring": "animal=dog weight=7.0", "animal": "dog", "weight": "7.0"},
        {"@rawstring": "animal=cat weight=4.2", "animal": "cat", "weight": "4.2"},
    ]


def test_kv_parse_documented_log_line() -> None:
    # functions-kvparse: quoted values lose their quotes; the comma ends a value.
    raw = (
        "2017-02-22T13:14:01.917+0000 [main thread] INFO UserService -"
        " creating new user id=123, name='john doe' email=john@doe"
    )
    rows = run("kvParse()", make_events({"@rawstring": raw}))
    assert rows[0]["id"] == "123"
    assert rows[0]["name"] == "john doe"
    assert rows[0]["email"] == "john@doe"


def test_kv_parse_override() -> None:
    # functions-kvparse: only override=true replaces a field the event had.
    raw = "creating new user id=123 loglevel=ERROR"
    events = make_events({"@rawstring": raw, "loglevel": "INFO"})
    assert column(run("kvParse()", events), "loglevel") == ["INFO"]
    assert column(run("kvParse(override=true)", events), "loglevel") == ["ERROR"]


def test_kv_parse_nested_field_after_parse_json() -> None:
    # functions-kvparse: key-value pairs inside a JSON field.
    raw = (
        '{"service": "paymentService", "type": "payment",'
        ' "metadata":"host=server5,transactionID=123,processingTime=100"}'
    )
    rows = run("parseJson() | kvParse(metadata)", make_events({"@rawstring": raw}))
    assert rows[0]["host"] == "server5"
    assert rows[0]["transactionID"] == "123"
    assert rows[0]["processingTime"] == "100"


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("a=\"x y\" b='z'", "", {"a": "x y", "b": "z"}),
        ('"my key"="v \\" w"', "", {"my key": 'v " w'}),
        ("a = 1 , b = 2", "", {"a": "1", "b": "2"}),
        ("a = 1", "separatorPadding=no", {}),
        ("a= b=2", "", {"a": "", "b": "2"}),
        ("a= b=2", "separatorPadding=no", {"a": "", "b": "2"}),
        ("a=b=c", "", {"a": "b=c"}),
        ("a= b=2", "excludeEmpty=true", {"b": "2"}),
        ("a:1 b:2", 'separator=":"', {"a": "1", "b": "2"}),
        ("k=1 k=2", "", {"k": "2"}),
        ("k=1 k=2", "onDuplicate=keepFirst", {"k": "1"}),
        ("id=7", 'as="user."', {"user.id": "7"}),
        ("id=7", 'prefix="p_"', {"p_id": "7"}),
        ('a="unterminated b=1', "", {}),
        ("no pairs here", "", {}),
    ],
)
def test_kv_parse_cases(text: str, options: str, expected: dict[str, str]) -> None:
    query = f"kvParse(field=t{', ' + options if options else ''})"
    rows = run(query, make_events({"t": text}))
    parsed = {k: v for k, v in rows[0].items() if k not in ("@id", "@timestamp", "t")}
    assert parsed == expected


def test_kv_parse_several_fields() -> None:
    rows = run("kvParse(field=[f1, f2])", make_events({"f1": "a=1", "f2": "b=2 a=3"}))
    assert rows[0]["a"] == "3"
    assert rows[0]["b"] == "2"


def test_kv_parse_missing_field_changes_nothing() -> None:
    rows = run("kvParse(field=absent)", make_events({"x": "a=1"}))
    assert without_metadata(rows) == [{"x": "a=1"}]


def test_kv_parse_then_sql_stages_agree() -> None:
    rows = run(
        "kvParse() | n > 1 | groupBy(animal, function=count())",
        make_events({"@rawstring": "animal=dog n=2"}, {"@rawstring": "animal=cat n=1"}),
    )
    assert rows == [{"animal": "dog", "_count": "1"}]


def test_kv_parse_rejects_long_separator() -> None:
    assert "invalid-argument" in diagnostic_codes('kvParse(separator="=>")')


def test_kv_parse_rejects_bad_choice() -> None:
    assert "invalid-argument" in diagnostic_codes("kvParse(onDuplicate=keepMiddle)")


# --- parseJson() ----------------------------------------------------------------------


def test_parse_json_with_create_events() -> None:
    # examples-createevents-parsejson: nested objects become dotted names.
    query = (
        'createEvents(["{\\"animal\\":{\\"kind\\":\\"dog\\", \\"weight\\":7.0}}",'
        ' "{\\"animal\\":{\\"kind\\":\\"cat\\", \\"weight\\":4.2}}"]) | parseJson()'
    )
    rows = run(query, [], resources=NOW)
    assert [(row["animal.kind"], row["animal.weight"]) for row in rows] == [
        ("dog", "7.0"),
        ("cat", "4.2"),
    ]


def test_parse_json_documented_service_event() -> None:
    # functions-parsejson: parse the event, then its timestamp.
    raw = (
        '{"service": "userService", "timestamp": "2017-12-18T20:39:35Z",'
        ' "msg": "user with id=47 logged in"}'
    )
    rows = run("parseJson() | parseTimestamp(field=timestamp)", make_events({"@rawstring": raw}))
    assert rows[0]["service"] == "userService"
    assert rows[0]["msg"] == "user with id=47 logged in"
    assert rows[0]["@timestamp"] == "1513629575000"


def test_parse_json_values_and_arrays() -> None:
    raw = '{"n": 1e3, "f": 1.50, "t": true, "z": null, "s": "", "a": [1, {"b": "x"}, [2]], "o": {}}'
    rows = run("parseJson()", make_events({"@rawstring": raw}))
    fields = {k: v for k, v in rows[0].items() if k not in ("@id", "@timestamp", "@rawstring")}
    assert fields == {
        "n": "1e3",
        "f": "1.50",
        "t": "true",
        "z": "null",
        "s": "",
        "a[0]": "1",
        "a[1].b": "x",
        "a[2][0]": "2",
    }


def test_parse_json_top_level_array() -> None:
    rows = run("parseJson(field=j)", make_events({"j": '[{"x": 1}, {"x": 2}]'}))
    assert rows[0]["[0].x"] == "1"
    assert rows[0]["[1].x"] == "2"


@pytest.mark.parametrize(
    ("handling", "expected"),
    [("keep", {"z": "null"}), ("empty", {"z": ""}), ("discard", {})],
)
def test_parse_json_handle_null(handling: str, expected: dict[str, str]) -> None:
    rows = run(f"parseJson(field=j, handleNull={handling})", make_events({"j": '{"z": null}'}))
    assert {k: v for k, v in rows[0].items() if k == "z"} == expected


def test_parse_json_exclude_empty() -> None:
    rows = run("parseJson(field=j, excludeEmpty=true)", make_events({"j": '{"s": "", "t": "x"}'}))
    assert "s" not in rows[0]
    assert rows[0]["t"] == "x"


def test_parse_json_prefix() -> None:
    rows = run('parseJson(field=j, prefix="p.")', make_events({"j": '{"a": {"b": 1}}'}))
    assert rows[0]["p.a.b"] == "1"


def test_parse_json_exclude_is_a_prefix_match() -> None:
    # functions-parsejson: exclude=query also drops queryString and queryStart.
    raw = '{"query": {"string": "x"}, "queryString": "y", "queryStart": 1, "other": 2}'
    rows = run("parseJson(field=j, exclude=[query])", make_events({"j": raw}))
    fields = {k for k in rows[0] if k not in ("@id", "@timestamp", "j")}
    assert fields == {"other"}


def test_parse_json_exclude_array_wildcard_and_include() -> None:
    raw = '{"a": {"b": [{"c": 1, "d": 2}, {"c": 3, "d": 4}]}, "e": {"f": 5, "g": 6}}'
    query = 'parseJson(field=j, exclude=["a.b[*].c", e], include=["e.g"])'
    rows = run(query, make_events({"j": raw}))
    fields = {k: v for k, v in rows[0].items() if k not in ("@id", "@timestamp", "j")}
    assert fields == {"a.b[0].d": "2", "a.b[1].d": "4", "e.g": "6"}


def test_parse_json_remove_prefixes_takes_longest() -> None:
    raw = '{"a": {"b": {"c": 1}, "x": 2}}'
    rows = run('parseJson(field=j, removePrefixes=["a", "a.b"])', make_events({"j": raw}))
    fields = {k: v for k, v in rows[0].items() if k not in ("@id", "@timestamp", "j")}
    assert fields == {"c": "1", "x": "2"}


@pytest.mark.parametrize("text", ["not json", "{", '{"a": NaN}', "[" * 5000 + "]" * 5000, ""])
def test_parse_json_invalid_leaves_event_unchanged(text: str) -> None:
    rows = run("parseJson(field=j)", make_events({"j": text}))
    assert without_metadata(rows) == [{"j": text}]


def test_parse_json_overwrites_fields() -> None:
    rows = run("parseJson(field=j)", make_events({"j": '{"a": "new"}', "a": "old"}))
    assert rows[0]["a"] == "new"


def test_parse_json_rejects_bad_handle_null() -> None:
    assert "invalid-argument" in diagnostic_codes("parseJson(handleNull=drop)")


# --- parseXml() -----------------------------------------------------------------------

TASK_XML = """<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <Triggers>
    <LogonTrigger><Enabled>true</Enabled></LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>S-1-5-18</UserId><RunLevel>HighestAvailable</RunLevel>
    </Principal>
  </Principals>
  <Settings><Hidden>false</Hidden></Settings>
  <Actions Context="Author">
    <Exec><Command>cmd.exe</Command><Arguments>/c one</Arguments></Exec>
    <Exec><Command>powershell.exe</Command></Exec>
  </Actions>
</Task>"""


def test_parse_xml_scheduled_task() -> None:
    # The scheduled-task hunting queries of CrowdStrike's query library read
    # Task.Triggers.LogonTrigger.Enabled and Task.Principals.Principal.UserId.
    rows = run(
        "parseXml(TaskXml) | Trigger := rename(Task.Triggers.LogonTrigger.Enabled)"
        " | Trigger=* | select([Trigger, Task.Principals.Principal.UserId])",
        make_events({"TaskXml": TASK_XML}),
    )
    assert rows == [{"Trigger": "true", "Task.Principals.Principal.UserId": "S-1-5-18"}]


def test_parse_xml_field_names() -> None:
    rows = run("parseXml(x)", make_events({"x": TASK_XML.split("?>", 1)[1]}))
    fields = {k: v for k, v in rows[0].items() if k not in ("@id", "@timestamp", "x")}
    assert fields == {
        "Task.version": "1.2",
        "Task.Triggers.LogonTrigger.Enabled": "true",
        "Task.Principals.Principal.id": "Author",
        "Task.Principals.Principal.UserId": "S-1-5-18",
        "Task.Principals.Principal.RunLevel": "HighestAvailable",
        "Task.Settings.Hidden": "false",
        "Task.Actions.Context": "Author",
        "Task.Actions.Exec[0].Command": "cmd.exe",
        "Task.Actions.Exec[0].Arguments": "/c one",
        "Task.Actions.Exec[1].Command": "powershell.exe",
    }


def test_parse_xml_prefix_and_empty_element() -> None:
    rows = run('parseXml(x, prefix="t.")', make_events({"x": "<a><b/><c> v </c></a>"}))
    assert rows[0]["t.a.b"] == ""
    assert rows[0]["t.a.c"] == "v"


@pytest.mark.parametrize(
    "text",
    [
        "not xml",
        "<a><b></a>",
        '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
        '<!DOCTYPE a [<!ENTITY x0 "ha"><!ENTITY x1 "&x0;&x0;">]><a>&x1;</a>',
        '<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>',
    ],
)
def test_parse_xml_refuses_bad_or_unsafe_documents(text: str) -> None:
    rows = run("parseXml(x)", make_events({"x": text}))
    assert without_metadata(rows) == [{"x": text}]


def test_parse_xml_default_field_is_rawstring() -> None:
    rows = run("parseXml()", make_events({"@rawstring": "<log><msg>hi</msg></log>"}))
    assert rows[0]["log.msg"] == "hi"


def test_parse_xml_nested_too_deeply_leaves_event() -> None:
    deep = "<a>" * 20000 + "x" + "</a>" * 20000
    rows = run("parseXml(x) | count()", make_events({"x": deep}))
    assert rows == [{"_count": "1"}]
