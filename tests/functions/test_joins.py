"""Tests of join(), defineTable() and selfJoinFilter().

Every query runs on the reference engine and on DuckDB (``helpers.run``), whose
DuckDB engine reads the input in batches of 7 events, so the sub-queries must
see the whole input, not one batch. ``sql_only=True`` also fails when DuckDB
sent a stage to the reference engine. The documented examples come from
LogScale's pages functions-join, query-joins-methods-join,
query-operation-subqueries-examples, the old Humio "Joins" guide,
functions-definetable, examples-explain-astable-definetable-match,
functions-selfjoinfilter and examples-selfjoinfilter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.plan.planner import plan_query
from cqlkit.plan.requirements import required_event_types, required_literals
from cqlkit.plan.timerange import with_time_range
from helpers import assert_engines_agree, diagnostic_codes, make_events, run


def warnings_of(query: str, events: Sequence[Mapping[str, str]]) -> tuple[list[str], list[str]]:
    """Return the warnings of ``query`` on the reference engine and on DuckDB."""
    plan = plan_query(query)
    context = RunContext()
    run_plan(plan, [dict(event) for event in events], context)
    (outcome,) = DuckDBEngine(batch_size=7).run([plan], [dict(event) for event in events])
    return context.warnings, outcome.warnings


def users_and_logins() -> list[dict[str, str]]:
    """Return main events and lookup events in one input, distinguished by #repo."""
    return make_events(
        {"#repo": "main", "userid": "u1", "action": "read"},
        {"#repo": "lookup", "userid": "u1", "name": "Ann"},
        {"#repo": "main", "userid": "u2", "action": "write"},
        {"#repo": "lookup", "userid": "u3", "name": "Cid"},
        {"#repo": "main", "userid": "u3", "action": "read"},
        {"#repo": "lookup", "userid": "u1", "name": "Ann"},
        {"#repo": "main", "action": "idle"},
        {"#repo": "main", "userid": "u4", "action": "read"},
        {"#repo": "lookup", "userid": "u4"},
        {"#repo": "main", "userid": "u1", "action": "delete"},
    )


def ids(rows: list[dict[str, str]]) -> list[str]:
    return sorted((row["@id"] for row in rows), key=int)


# --- join() --------------------------------------------------------------------------


def test_join_documented_independent_subquery():
    # query-operation-subqueries-examples: the sub-query counts logins per userid in the
    # lookup repository, and the main events whose userid it found pass.
    query = (
        "#repo=main | join({#repo=lookup | groupBy(userid, function=count(as=loginCount))},"
        " field=userid, key=userid)"
    )
    rows = run(query, users_and_logins(), sql_only=True)
    assert ids(rows) == ["1", "5", "8", "10"]
    assert all("loginCount" not in row for row in rows)


def test_join_include_copies_subquery_fields():
    query = (
        "#repo=main | join({#repo=lookup | groupBy(userid, function=count(as=loginCount))},"
        " field=userid, include=[loginCount])"
    )
    rows = run(query, users_and_logins(), sql_only=True)
    counts = {row["@id"]: row["loginCount"] for row in rows}
    assert counts == {"1": "2", "5": "1", "8": "1", "10": "2"}


def test_join_include_missing_in_subquery_is_empty():
    # functions-join: include fields the sub-query row lacks become the empty string.
    query = "#repo=main | join({#repo=lookup}, field=userid, include=[name])"
    rows = run(query, users_and_logins(), sql_only=True)
    names = {row["@id"]: row["name"] for row in rows}
    assert names == {"1": "Ann", "5": "Cid", "8": "", "10": "Ann"}


def test_join_left_mode_keeps_unmatched_events():
    query = "#repo=main | join({#repo=lookup}, field=userid, include=[name], mode=left)"
    rows = run(query, users_and_logins(), sql_only=True)
    assert ids(rows) == ["1", "3", "5", "7", "8", "10"]
    by_id = {row["@id"]: row for row in rows}
    assert "name" not in by_id["3"]
    assert "name" not in by_id["7"]
    assert by_id["5"]["name"] == "Cid"


def test_join_left_mode_keeps_existing_field_without_match():
    events = make_events(
        {"#repo": "main", "userid": "u9", "name": "own"},
        {"#repo": "lookup", "userid": "u1", "name": "Ann"},
    )
    query = "#repo=main | join({#repo=lookup}, field=userid, include=[name], mode=left)"
    assert run(query, events, sql_only=True)[0]["name"] == "own"


def test_join_include_overwrites_event_field():
    events = make_events(
        {"#repo": "main", "userid": "u1", "name": "own"},
        {"#repo": "lookup", "userid": "u1", "name": "Ann"},
    )
    query = "#repo=main | join({#repo=lookup}, field=userid, include=[name])"
    assert run(query, events, sql_only=True)[0]["name"] == "Ann"


def test_join_left_mode_without_include_passes_every_event():
    rows = run("#repo=main | join({#repo=lookup}, field=userid, mode=left)", users_and_logins())
    assert ids(rows) == ["1", "3", "5", "7", "8", "10"]


def test_join_subquery_stage_on_reference_engine_reads_every_batch():
    events = make_events(
        {"kind": "inventory", "host": "h1", "owner": "bob"},
        *({"kind": "noise", "n": str(i)} for i in range(20)),
        {"kind": "alert", "host": "h1"},
        {"kind": "inventory", "host": "h2", "owner": "eve"},
        {"kind": "alert", "host": "h2"},
    )
    query = (
        # The lookahead keeps the case statement on the reference engine.
        "kind=alert | join({kind=inventory"
        ' | case { owner=/^bob(?!x)/ | tier := "1" ; tier := "2" }},'
        " field=host, include=[tier])"
    )
    rows = run(query, events)
    assert sorted((row["host"], row["tier"]) for row in rows) == [("h1", "1"), ("h2", "2")]
    (outcome,) = DuckDBEngine(batch_size=7).run([plan_query(query)], events)
    assert len(outcome.notices) == 1
    assert outcome.notices[0].startswith("case")


def test_join_negated_keeps_events_without_match():
    rows = run(
        "#repo=main | !join({#repo=lookup}, field=userid)", users_and_logins(), sql_only=True
    )
    assert ids(rows) == ["3", "7"]


def test_join_not_keyword_negates():
    rows = run("#repo=main | not join({#repo=lookup}, field=userid)", users_and_logins())
    assert ids(rows) == ["3", "7"]


def test_join_field_operator_form():
    # functions-join: fieldName =~ join(...) joins on that one field.
    rows = run("#repo=main | userid =~ join({#repo=lookup})", users_and_logins(), sql_only=True)
    assert ids(rows) == ["1", "5", "8", "10"]


def test_join_key_names_other_subquery_field():
    # The old Humio Joins guide: sourceipaddress in the main query matches
    # browseripaddress in the sub-query, which keeps events whose useragent is not empty.
    events = make_events(
        {"#type": "accesslog", "statuscode": "404", "sourceipaddress": "10.0.0.1"},
        {"#type": "weblog", "browseripaddress": "10.0.0.1", "useragent": "curl"},
        {"#type": "accesslog", "statuscode": "500", "sourceipaddress": "10.0.0.2"},
        {"#type": "weblog", "browseripaddress": "10.0.0.2", "useragent": ""},
        {"#type": "accesslog", "statuscode": "200", "sourceipaddress": "10.0.0.1"},
    )
    query = (
        '#type=accesslog statuscode>=400 | join({useragent != ""}, field=sourceipaddress,'
        " key=browseripaddress, repo=weblogs, include=[useragent])"
    )
    rows = run(query, events, sql_only=True)
    assert [(row["@id"], row["useragent"]) for row in rows] == [("1", "curl")]
    assert diagnostic_codes(query) == ["ignored-argument"]


def test_join_on_several_fields():
    events = make_events(
        {"kind": "proc", "aid": "h1", "pid": "10"},
        {"kind": "proc", "aid": "h1", "pid": "11"},
        {"kind": "proc", "aid": "h2", "pid": "10"},
        {"kind": "net", "host": "h1", "process": "10", "ip": "8.8.8.8"},
        {"kind": "proc", "aid": "h1"},
    )
    query = "kind=proc | join({kind=net}, field=[aid, pid], key=[host, process], include=[ip])"
    rows = run(query, events, sql_only=True)
    assert [(row["@id"], row["ip"]) for row in rows] == [("1", "8.8.8.8")]


def test_join_max_two_gives_one_row_per_match():
    # functions-join: with max=N, up to N sub-query rows per key are emitted. DuckDB runs
    # this join on the reference engine, over sub-query rows from every batch.
    events = make_events(
        {"kind": "login", "user": "ann"},
        {"kind": "group", "user": "ann", "group": "admins"},
        *({"kind": "noise", "n": str(i)} for i in range(10)),
        {"kind": "group", "user": "ann", "group": "staff"},
        *({"kind": "noise", "n": str(i)} for i in range(10)),
        {"kind": "group", "user": "ann", "group": "vpn"},
    )
    rows = run("kind=login | join({kind=group}, field=user, include=[group], max=2)", events)
    # The sub-query has no aggregate, so its implicit tail(200) lists the newest first.
    assert sorted(row["group"] for row in rows) == ["staff", "vpn"]


def test_join_max_above_one_runs_on_reference_engine():
    events = make_events({"kind": "login", "user": "ann"}, {"kind": "group", "user": "ann"})
    plan = plan_query("kind=login | join({kind=group}, field=user, max=2)")
    (outcome,) = DuckDBEngine(batch_size=7).run([plan], events)
    assert len(outcome.notices) == 1
    assert outcome.notices[0].startswith("join(max=...)")


def test_join_default_max_takes_first_subquery_row():
    events = make_events(
        {"kind": "login", "user": "ann"},
        {"kind": "group", "user": "ann", "group": "admins", "@timestamp": "5000"},
        {"kind": "group", "user": "ann", "group": "staff", "@timestamp": "9000"},
    )
    query = "kind=login | join({kind=group}, field=user, include=[group])"
    # The implicit tail(200) of the sub-query puts the newest event first.
    assert run(query, events, sql_only=True)[0]["group"] == "staff"


def test_join_subquery_sees_events_of_other_batches():
    events = make_events(
        *({"kind": "noise", "n": str(i)} for i in range(20)),
        {"kind": "alert", "host": "h7"},
        *({"kind": "noise", "n": str(i)} for i in range(20)),
        {"kind": "inventory", "host": "h7", "owner": "bob"},
    )
    rows = run(
        "kind=alert | join({kind=inventory}, field=host, include=[owner])", events, sql_only=True
    )
    assert [row["owner"] for row in rows] == ["bob"]


def test_join_subquery_without_aggregate_keeps_newest_200():
    # writing-queries-tail: the implicit tail(200) applies to sub-queries too.
    events = make_events(
        *({"kind": "seen", "user": f"u{i}"} for i in range(250)),
        *({"kind": "login", "user": f"u{i}"} for i in range(250)),
    )
    query = "kind=login | join({kind=seen}, field=user)"
    rows = run(query, events, lift_default_limits=True)
    assert len(rows) == 200
    assert {row["user"] for row in rows} == {f"u{i}" for i in range(50, 250)}
    reference, duckdb = warnings_of(query, events)
    expected = "in a sub-query: tail() returned the newest 200 of 250 events"
    assert expected in reference
    assert expected in duckdb


def test_join_limit_cuts_subquery_rows_with_warning():
    events = make_events(
        *({"kind": "seen", "user": f"u{i}"} for i in range(5)),
        *({"kind": "login", "user": f"u{i}"} for i in range(5)),
    )
    query = "kind=login | join({kind=seen | groupBy(user)}, field=user, limit=3)"
    assert len(run(query, events, sql_only=True)) == 3
    reference, duckdb = warnings_of(query, events)
    expected = (
        "join() used the first 3 of the 5 rows of its sub-query;"
        " raise limit= (at most 200000) to use more"
    )
    assert expected in reference
    assert expected in duckdb


def test_join_missing_key_field_never_matches():
    events = make_events({"kind": "a"}, {"kind": "b"})
    assert run("kind=a | join({kind=b}, field=user)", events, sql_only=True) == []
    assert len(run("kind=a | !join({kind=b}, field=user)", events, sql_only=True)) == 1


def test_join_keys_compare_exact_text():
    events = make_events(
        {"kind": "a", "n": "1"}, {"kind": "b", "n": "1.0"}, {"kind": "b", "n": "1"}
    )
    query = "kind=a | join({kind=b}, field=n, include=[@id])"
    assert run(query, events, sql_only=True)[0]["@id"] == "3"


def test_join_empty_subquery():
    events = make_events({"kind": "a", "user": "ann"})
    assert run("kind=a | join({kind=zzz}, field=user)", events, sql_only=True) == []


def test_join_empty_input():
    assert run("join({kind=zzz}, field=user)", [], sql_only=True) == []


def test_join_after_aggregate():
    events = users_and_logins()
    query = (
        "#repo=main | groupBy(userid) | join({#repo=lookup | groupBy(userid)}, field=userid,"
        " include=[_count]) | rename(_count, as=lookups)"
    )
    rows = run(query, events, sql_only=True)
    assert sorted(rows, key=lambda row: row["userid"]) == [
        {"userid": "u1", "lookups": "2"},
        {"userid": "u3", "lookups": "1"},
        {"userid": "u4", "lookups": "1"},
    ]


def test_join_subquery_reads_search_interval():
    events = make_events(
        {"kind": "login", "user": "ann", "@timestamp": "5000"},
        {"kind": "seen", "user": "ann", "@timestamp": "1000"},
        {"kind": "seen", "user": "ann", "@timestamp": "6000"},
    )
    plan = with_time_range(
        plan_query("kind=login | join({kind=seen}, field=user, include=[@timestamp])"), 2000, 9000
    )
    reference = [dict(row) for row in run_plan(plan, [dict(e) for e in events], RunContext())]
    assert [row["@timestamp"] for row in reference] == ["6000"]
    assert_engines_agree(plan, [dict(e) for e in events], reference, sql_only=True)


def test_join_free_text_in_subquery():
    events = make_events(
        {"kind": "a", "user": "ann", "@rawstring": "plain"},
        {"kind": "b", "user": "ann", "@rawstring": "evil payload"},
    )
    assert ids(run('kind=a | join({"evil"}, field=user)', events, sql_only=True)) == ["1"]


def test_join_does_not_prefilter_input():
    plan = plan_query(
        "#event_simpleName=ProcessRollup2 | join({#event_simpleName=DnsRequest}, field=aid)"
    )
    assert required_literals(plan) is None
    assert required_event_types(plan) is None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        pytest.param("join({x=1})", "missing-argument", id="no-field"),
        pytest.param("join(field=a)", "missing-argument", id="no-query"),
        pytest.param("join(x, field=a)", "invalid-argument", id="query-not-braces"),
        pytest.param("join({x=1}, field=a, mode=outer)", "invalid-argument", id="bad-mode"),
        pytest.param("join({x=1}, field=[a, b], key=c)", "invalid-argument", id="key-count"),
        pytest.param("join({x=1}, field=a, limit=300000)", "argument-out-of-range", id="limit"),
        pytest.param("join({x=1}, field=a, max=0)", "argument-out-of-range", id="max-zero"),
        pytest.param("join({x=1}, field=a, nosuch=1)", "unknown-parameter", id="parameter"),
        pytest.param(
            "groupBy(a, function={join({x=1}, field=a)})", "misplaced-function", id="nested"
        ),
        pytest.param("join({join({y=1}, field=b)}, field=a)", "misplaced-function", id="in-join"),
        pytest.param("case { a=1 | join({x=1}, field=a) ; * }", "misplaced-function", id="in-case"),
    ],
)
def test_join_check_errors(query: str, code: str):
    assert code in diagnostic_codes(query)


@pytest.mark.parametrize("parameter", ["start=1h", "end=5m", "repo=other", "view=v", "live=true"])
def test_join_elsewhere_parameters_warn(parameter: str):
    assert diagnostic_codes(f"join({{x=1}}, field=a, {parameter})") == ["ignored-argument"]


def test_join_negated_include_warns():
    assert diagnostic_codes("!join({x=1}, field=a, include=[b])") == ["ignored-argument"]


def test_join_limit_max_is_200000():
    plan = plan_query("join({x=1}, field=a, limit=max)")
    assert plan.stages[0].call.get("limit") == 200_000


def test_free_text_after_join_with_aggregate_subquery():
    assert diagnostic_codes("join({groupBy(a)}, field=a) | evil") == []


# --- defineTable() ------------------------------------------------------------------


def user_reference_data() -> list[dict[str, str]]:
    # examples-explain-astable-definetable-match: events with user_id, and user
    # reference events with userid, name and role.
    return make_events(
        {"user_id": "U123", "action": "login", "resource": "app1"},
        {"user_id": "U456", "action": "logout", "resource": "app2"},
        {"user_id": "U789", "action": "access", "resource": "app1"},
        {"user_id": "U123", "action": "logout", "resource": "app2"},
        {"userid": "U123", "name": "John Smith", "role": "admin"},
        {"userid": "U456", "name": "Jane Doe", "role": "user"},
        {"userid": "U789", "name": "Bob Wilson", "role": "user"},
    )


def test_define_table_documented_match_enrichment():
    # examples-explain-astable-definetable-match (the query without explain:asTable()).
    # The reference data lives in the same input here, so the sub-query selects it by userid.
    query = (
        "| defineTable(query={userid=* | sort(name, order=ascending)},"
        ' include=[userid, name, role], name="users")\n'
        '| match(users, field=["user_id"], column=userid)'
    )
    rows = run(query, user_reference_data())
    assert sorted((row["@id"], row["name"], row["role"]) for row in rows) == [
        ("1", "John Smith", "admin"),
        ("2", "Jane Doe", "user"),
        ("3", "Bob Wilson", "user"),
        ("4", "John Smith", "admin"),
    ]


def test_define_table_fills_table_with_include_columns():
    events = make_events(
        {"kind": "user", "id": "1", "name": "ann", "extra": "x"},
        {"kind": "user", "id": "2"},
        {"kind": "login", "id": "1"},
    )
    context = RunContext()
    query = 'defineTable(query={kind=user}, name="people", include=[id, name])\nkind=login'
    rows = run_plan(plan_query(query), events, context)
    assert [row["@id"] for row in rows] == ["3"]
    assert context.tables["people"] == [{"id": "2", "name": ""}, {"id": "1", "name": "ann"}]


def test_define_table_include_star_keeps_every_field():
    events = make_events({"kind": "user", "id": "1"})
    context = RunContext()
    run_plan(plan_query('defineTable(query={kind=user}, name="t", include=*)\n*'), events, context)
    assert context.tables["t"] == [{"@id": "1", "@timestamp": "1000", "kind": "user", "id": "1"}]


def test_define_table_later_table_reads_earlier_one():
    events = make_events(
        {"kind": "user", "id": "1", "name": "ann"},
        {"kind": "user", "id": "2", "name": "bob"},
        {"kind": "admin", "id": "2"},
        {"kind": "login", "id": "2"},
        {"kind": "login", "id": "1"},
    )
    query = (
        'defineTable(query={kind=user | groupBy([id, name], function=[])}, name="users",'
        " include=[id, name])\n"
        '| defineTable(query={kind=admin | match(users, field=id)}, name="admins",'
        " include=[id, name])\n"
        "| kind=login | match(admins, field=id, include=[name])"
    )
    rows = run(query, events)
    assert [(row["@id"], row["name"]) for row in rows] == [("4", "bob")]


def test_define_table_over_many_batches():
    events = make_events(
        *({"kind": "login", "id": str(i % 5)} for i in range(30)),
        {"kind": "user", "id": "3", "name": "cid"},
    )
    query = (
        'defineTable(query={kind=user}, name="users", include=[id, name])\n'
        "kind=login | match(users, field=id, include=[name])"
    )
    rows = run(query, events)
    assert len(rows) == 6
    assert {row["name"] for row in rows} == {"cid"}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        pytest.param(
            'x=1 | defineTable(query={y=1}, name="t", include=[a])',
            "misplaced-function",
            id="after-main",
        ),
        pytest.param("defineTable(query={y=1}, include=[a])", "missing-argument", id="no-name"),
        pytest.param('defineTable(query={y=1}, name="t")', "missing-argument", id="no-include"),
        pytest.param(
            'defineTable(query={y=1}, name="", include=[a])', "invalid-argument", id="empty-name"
        ),
        pytest.param(
            'defineTable(query={y=1}, name="t", include=[a])\n'
            '| defineTable(query={y=2}, name="t", include=[a])',
            "duplicate-table",
            id="duplicate",
        ),
        pytest.param(
            'defineTable(query={y=1}, name="t", include=[a])\n| join({z=1}, field=a)',
            "incompatible-functions",
            id="with-join",
        ),
        pytest.param(
            'groupBy(a, function={defineTable(query={y=1}, name="t", include=[a])})',
            "misplaced-function",
            id="nested",
        ),
    ],
)
def test_define_table_check_errors(query: str, code: str):
    assert code in diagnostic_codes(query)


def test_define_table_at_most_ten_tables():
    tables = "\n".join(
        f'| defineTable(query={{y={n}}}, name="t{n}", include=[a])' for n in range(11)
    )
    assert diagnostic_codes(tables + "\n| x=1") == ["too-many-tables"]
    ten = "\n".join(f'| defineTable(query={{y={n}}}, name="t{n}", include=[a])' for n in range(10))
    assert diagnostic_codes(ten + "\n| x=1") == []


def test_define_table_view_warns():
    query = 'defineTable(query={y=1}, name="t", include=[a], view=other)\n| x=1'
    assert diagnostic_codes(query) == ["ignored-argument"]


# --- selfJoinFilter() ---------------------------------------------------------------


def email_headers() -> list[dict[str, str]]:
    # examples-selfjoinfilter: one event per email header, tied by email_id.
    return make_events(
        {"email_id": "1", "from": "peter"},
        {"email_id": "1", "to": "paul"},
        {"email_id": "1", "attachment": "report.pdf"},
        {"email_id": "2", "from": "peter"},
        {"email_id": "2", "to": "mary"},
        {"email_id": "2", "attachment": "photo.jpg"},
        {"email_id": "3", "from": "anna"},
        {"email_id": "3", "to": "paul"},
        {"email_id": "3", "attachment": "notes.txt"},
        {"email_id": "4", "from": "peter", "to": "paul"},
        {"email_id": "4", "attachment": "plan.doc"},
        {"to": "paul"},
    )


def test_self_join_filter_documented_attachments():
    # examples-selfjoinfilter: the attachments of emails from peter to paul.
    query = "selfJoinFilter(field=email_id, where=[{ from=peter }, {to=paul}]) | attachment=*"
    rows = run(query, email_headers(), sql_only=True)
    assert sorted(row["attachment"] for row in rows) == ["plan.doc", "report.pdf"]


def test_self_join_filter_passes_every_event_of_joined_keys():
    rows = run(
        "selfJoinFilter(email_id, where=[{from=peter}, {to=paul}])", email_headers(), sql_only=True
    )
    assert ids(rows) == ["1", "2", "3", "10", "11"]


def test_self_join_filter_prefilter_keeps_clause_events_only():
    query = "selfJoinFilter(email_id, where=[{from=peter}, {to=paul}], prefilter=true)"
    assert ids(run(query, email_headers(), sql_only=True)) == ["1", "2", "10"]


def test_self_join_filter_negated():
    query = "!selfJoinFilter(email_id, where=[{from=peter}, {to=paul}])"
    assert ids(run(query, email_headers(), sql_only=True)) == ["4", "5", "6", "7", "8", "9", "12"]


def test_self_join_filter_single_clause():
    query = "selfJoinFilter(email_id, where={attachment=*.jpg})"
    assert ids(run(query, email_headers(), sql_only=True)) == ["4", "5", "6"]


def test_self_join_filter_several_key_fields():
    events = make_events(
        {"aid": "h1", "pid": "1", "op": "open"},
        {"aid": "h1", "pid": "1", "op": "write"},
        {"aid": "h1", "pid": "2", "op": "write"},
        {"aid": "h2", "pid": "1", "op": "open"},
        {"aid": "h1", "op": "open"},
    )
    query = "selfJoinFilter([aid, pid], where=[{op=open}, {op=write}])"
    assert ids(run(query, events, sql_only=True)) == ["1", "2"]


def test_self_join_filter_regex_and_free_text_clauses():
    events = make_events(
        {"sid": "a", "cmd": "whoami.exe", "@rawstring": "proc"},
        {"sid": "a", "@rawstring": "net connect 10.1.1.1"},
        {"sid": "b", "cmd": "whoami.exe", "@rawstring": "proc"},
    )
    query = 'selfJoinFilter(sid, where=[{cmd=/who(?<who>am)i/}, {"connect"}])'
    assert ids(run(query, events, sql_only=True)) == ["1", "2"]


def test_self_join_filter_keys_across_batches():
    events = make_events(
        {"id": "k", "step": "first"},
        *({"id": f"n{i}", "step": "first"} for i in range(20)),
        {"id": "k", "step": "second"},
    )
    query = "selfJoinFilter(id, where=[{step=first}, {step=second}])"
    assert ids(run(query, events, sql_only=True)) == ["1", "22"]


def test_self_join_filter_after_filter_and_before_aggregate():
    query = "to=* | selfJoinFilter(email_id, where=[{to=paul}, {to=mary}]) | count()"
    assert run(query, email_headers(), sql_only=True) == [{"_count": "0"}]
    query = "email_id=* | selfJoinFilter(email_id, where=[{to=paul}]) | count()"
    assert run(query, email_headers(), sql_only=True) == [{"_count": "8"}]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        pytest.param("selfJoinFilter(email_id)", "missing-argument", id="no-where"),
        pytest.param("selfJoinFilter(where=[{a=1}])", "missing-argument", id="no-field"),
        pytest.param(
            "selfJoinFilter(email_id, where=[{x := 1}])", "invalid-argument", id="not-filter"
        ),
        pytest.param(
            "selfJoinFilter(email_id, where=[{a=1}], prefilter=maybe)",
            "invalid-argument",
            id="prefilter",
        ),
        pytest.param(
            "case { a=1 | selfJoinFilter(b, where=[{c=1}]) ; * }",
            "misplaced-function",
            id="in-case",
        ),
    ],
)
def test_self_join_filter_check_errors(query: str, code: str):
    assert code in diagnostic_codes(query)
