"""Tests of correlate().

correlate() runs on the reference engine in both engines: DuckDB sends it there
with a notice, so these tests use ``helpers.run`` without ``sql_only`` and check
the notice once. The documented examples come from LogScale's page
examples-correlate-auth-db-errors and from the correlate() queries of
CrowdStrike's "Cool Query Friday - correlate()" post in logscale-community-content.
"""

from __future__ import annotations

import pytest

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.errors import ParseError
from cqlkit.plan.planner import plan_query
from helpers import diagnostic_codes, make_events, run

MINUTE = 60_000


def at(minutes: float, **fields: str) -> dict[str, str]:
    """Return an event at ``minutes`` after 1 000 000 ms, with ``fields``."""
    return {"@timestamp": str(1_000_000 + int(minutes * MINUTE)), **fields}


# --- documented examples ----------------------------------------------------------


AUTH_DB_QUERY = """correlate(
        AuthError: {
        #event_type="authentication_error"
        } include: [username, error_code, service],
    DatabaseError: {
        #event_type="database_error"
        | username <=> AuthError.username
        } include: [query_type, table_name, error_message],
within=1h,globalConstraints=[username])"""


def auth_and_database_errors() -> list[dict[str, str]]:
    return make_events(
        at(
            0,
            **{"#event_type": "authentication_error"},
            username="alice",
            error_code="401",
            service="login",
        ),
        at(
            5,
            **{"#event_type": "authentication_error"},
            username="bob",
            error_code="403",
            service="api",
        ),
        at(
            20,
            **{"#event_type": "database_error"},
            username="alice",
            query_type="SELECT",
            table_name="users",
            error_message="permission denied",
        ),
        at(
            30,
            **{"#event_type": "database_error"},
            username="carol",
            query_type="DELETE",
            table_name="logs",
            error_message="locked",
        ),
        at(
            90,
            **{"#event_type": "database_error"},
            username="bob",
            query_type="UPDATE",
            table_name="orders",
            error_message="timeout",
        ),
    )


def test_correlate_documented_auth_then_database_error():
    # examples-correlate-auth-db-errors: bob's database error comes 85 minutes after his
    # authentication error, outside within=1h, and carol has no authentication error.
    rows = run(AUTH_DB_QUERY, auth_and_database_errors())
    assert rows == [
        {
            "AuthError.username": "alice",
            "AuthError.error_code": "401",
            "AuthError.service": "login",
            "DatabaseError.query_type": "SELECT",
            "DatabaseError.table_name": "users",
            "DatabaseError.error_message": "permission denied",
            "AuthError.@timestamp": "1000000",
            "DatabaseError.@timestamp": "2200000",
            "@timestamp": "1000000",
        }
    ]


def test_correlate_runs_on_reference_engine_with_notice():
    plan = plan_query(AUTH_DB_QUERY)
    (outcome,) = DuckDBEngine(batch_size=7).run([plan], auth_and_database_errors())
    assert len(outcome.notices) == 1
    assert outcome.notices[0].startswith("correlate()")


CQF_QUERY = """correlate(

 // Search for whoami executions on Windows
 whoami: {
 #event_simpleName=ProcessRollup2 event_platform=Win FileName="whoami.exe"
 } include: [aid, ComputerName, FileName],

 // Search for net executions on Windows
 net: {
 #event_simpleName=ProcessRollup2 event_platform=Win FileName=/^net1?.exe$/
 // Correlation key between whoami search and net search
 | aid <=> whoami.aid
 } include: [aid, ComputerName, FileName],

 // Search for systeminfo executions on Windows
 systeminfo: {
 #event_simpleName=ProcessRollup2 event_platform=Win FileName="systeminfo.exe"
// Correlation key between net search and systeminfo search
 | aid <=> net.aid
 } include: [aid, ComputerName, FileName],

 sequence=false, within=5m)"""


def process(minutes: float, aid: str, file_name: str) -> dict[str, str]:
    return at(
        minutes,
        **{"#event_simpleName": "ProcessRollup2"},
        event_platform="Win",
        aid=aid,
        ComputerName=f"host-{aid}",
        FileName=file_name,
    )


def discovery_processes() -> list[dict[str, str]]:
    return make_events(
        process(0, "a1", "systeminfo.exe"),
        process(1, "a1", "whoami.exe"),
        process(2, "a1", "net1.exe"),
        process(0, "b2", "whoami.exe"),
        process(1, "b2", "net.exe"),
        process(0, "c3", "whoami.exe"),
        process(4, "c3", "net.exe"),
        process(9, "c3", "systeminfo.exe"),
        process(3, "a1", "notepad.exe"),
    )


def test_correlate_documented_discovery_chain():
    # Cool Query Friday - correlate(), query 2: whoami, net and systeminfo on one aid
    # within 5 minutes, in any order. b2 lacks systeminfo; c3 spans 9 minutes.
    rows = run(CQF_QUERY, discovery_processes())
    assert rows == [
        {
            "whoami.aid": "a1",
            "whoami.ComputerName": "host-a1",
            "whoami.FileName": "whoami.exe",
            "net.aid": "a1",
            "net.ComputerName": "host-a1",
            "net.FileName": "net1.exe",
            "systeminfo.aid": "a1",
            "systeminfo.ComputerName": "host-a1",
            "systeminfo.FileName": "systeminfo.exe",
            "whoami.@timestamp": "1060000",
            "net.@timestamp": "1120000",
            "systeminfo.@timestamp": "1000000",
            "@timestamp": "1000000",
        }
    ]


def test_correlate_documented_table_of_prefixed_fields():
    # Cool Query Friday - correlate(), query 3: table() of the prefixed fields.
    query = CQF_QUERY + (
        "\n| table([whoami.ComputerName, whoami.FileName, net.ComputerName, net.FileName,"
        " systeminfo.ComputerName, systeminfo.FileName])"
    )
    rows = run(query, discovery_processes())
    assert rows == [
        {
            "whoami.ComputerName": "host-a1",
            "whoami.FileName": "whoami.exe",
            "net.ComputerName": "host-a1",
            "net.FileName": "net1.exe",
            "systeminfo.ComputerName": "host-a1",
            "systeminfo.FileName": "systeminfo.exe",
        }
    ]


def test_correlate_sequence_requires_listed_order():
    # With sequence=true, a1's systeminfo ran before whoami, so a1 no longer matches.
    query = CQF_QUERY.replace("sequence=false", "sequence=true")
    assert run(query, discovery_processes()) == []
    events = make_events(
        process(0, "d4", "whoami.exe"),
        process(1, "d4", "net.exe"),
        process(2, "d4", "systeminfo.exe"),
    )
    assert [row["whoami.aid"] for row in run(query, events)] == ["d4"]


# --- parameters ---------------------------------------------------------------------


def logins() -> list[dict[str, str]]:
    return make_events(
        at(0, kind="fail", user="ann", ip="1.1.1.1"),
        at(1, kind="fail", user="bob", ip="2.2.2.2"),
        at(2, kind="success", user="ann", ip="3.3.3.3"),
        at(3, kind="success", user="ann", ip="1.1.1.1"),
        at(30, kind="success", user="bob", ip="2.2.2.2"),
    )


LOGIN_PAIR = (
    "correlate(failed: {{kind=fail}} include: [user, ip],"
    " ok: {{kind=success | user <=> failed.user}} include: [ip]{options})"
)


def test_correlate_without_within_spans_any_time():
    rows = run(LOGIN_PAIR.format(options=""), logins())
    pairs = sorted((row["failed.user"], row["ok.ip"]) for row in rows)
    assert pairs == [("ann", "3.3.3.3"), ("bob", "2.2.2.2")]


def test_correlate_within_drops_far_events():
    rows = run(LOGIN_PAIR.format(options=", within=10m"), logins())
    assert [(row["failed.user"], row["ok.ip"]) for row in rows] == [("ann", "3.3.3.3")]


def test_correlate_max_per_root():
    rows = run(LOGIN_PAIR.format(options=", maxPerRoot=2"), logins())
    pairs = sorted((row["failed.user"], row["ok.ip"]) for row in rows)
    assert pairs == [("ann", "1.1.1.1"), ("ann", "3.3.3.3"), ("bob", "2.2.2.2")]


def test_correlate_global_constraints():
    rows = run(LOGIN_PAIR.format(options=", globalConstraints=[ip]"), logins())
    assert sorted((row["failed.user"], row["ok.ip"]) for row in rows) == [
        ("ann", "1.1.1.1"),
        ("bob", "2.2.2.2"),
    ]


def test_correlate_root_query():
    # Rooted at the successes, each success gets the earliest failure of its user.
    rows = run(LOGIN_PAIR.format(options=", root=ok"), logins())
    assert sorted((row["ok.ip"], row["failed.ip"]) for row in rows) == [
        ("1.1.1.1", "1.1.1.1"),
        ("2.2.2.2", "2.2.2.2"),
        ("3.3.3.3", "1.1.1.1"),
    ]


def test_correlate_matches_once_only():
    query = LOGIN_PAIR.format(options=", root=ok, includeMatchesOnceOnly=true")
    rows = run(query, logins())
    assert sorted((row["ok.ip"], row["failed.ip"]) for row in rows) == [
        ("2.2.2.2", "2.2.2.2"),
        ("3.3.3.3", "1.1.1.1"),
    ]


def test_correlate_jitter_tolerance_allows_slightly_earlier_event():
    events = make_events(
        at(1, kind="fail", user="ann"),
        at(0.5, kind="success", user="ann", ip="9.9.9.9"),
    )
    strict = LOGIN_PAIR.format(options=", sequence=true")
    assert run(strict, events) == []
    tolerant = LOGIN_PAIR.format(options=", sequence=true, jitterTolerance=1m")
    assert [row["ok.ip"] for row in run(tolerant, events)] == ["9.9.9.9"]


def test_correlate_without_include_outputs_every_field():
    query = "correlate(a: {kind=fail | user=bob}, b: {kind=success | ip <=> a.ip})"
    rows = run(query, logins())
    assert rows == [
        {
            "a.@id": "2",
            "a.@timestamp": str(1_000_000 + MINUTE),
            "a.kind": "fail",
            "a.user": "bob",
            "a.ip": "2.2.2.2",
            "b.@id": "5",
            "b.@timestamp": str(1_000_000 + 30 * MINUTE),
            "b.kind": "success",
            "b.user": "bob",
            "b.ip": "2.2.2.2",
            "@timestamp": str(1_000_000 + MINUTE),
        }
    ]


def test_correlate_event_plays_one_role_per_constellation():
    events = make_events(at(0, kind="x", id="1"), at(1, kind="x", id="1"), at(2, kind="x", id="2"))
    query = "correlate(a: {kind=x} include: [@id], b: {kind=x | id <=> a.id} include: [@id])"
    rows = run(query, events)
    assert [(row["a.@id"], row["b.@id"]) for row in rows] == [("1", "2"), ("2", "1")]


def test_correlate_query_steps_can_transform():
    events = make_events(at(0, kind="a", raw="user=ann"), at(1, kind="b", account="ann"))
    query = (
        "correlate(a: {kind=a | raw=/user=(?<user>\\w+)/} include: [user],"
        " b: {kind=b | account <=> a.user} include: [account])"
    )
    assert run(query, events) == [
        {
            "a.user": "ann",
            "a.@timestamp": "1000000",
            "b.account": "ann",
            "b.@timestamp": "1060000",
            "@timestamp": "1000000",
        }
    ]


def test_correlate_missing_link_field_never_matches():
    events = make_events(at(0, kind="a"), at(1, kind="b", user="ann"))
    query = "correlate(a: {kind=a} include: [kind], b: {kind=b | user <=> a.user})"
    assert run(query, events) == []


def test_correlate_links_across_many_batches():
    events = make_events(
        *(at(i / 10, kind="a", user=f"u{i}") for i in range(30)),
        *(at(2 + i / 10, kind="b", user=f"u{i}") for i in range(0, 30, 3)),
    )
    query = "correlate(a: {kind=a} include: [user], b: {kind=b | user <=> a.user}, within=5m)"
    assert len(run(query, events)) == 10


def test_correlate_empty_input():
    assert run("correlate(a: {x=1}, b: {y=1 | k <=> a.k})", []) == []


# --- check-time errors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        pytest.param("correlate(a: {x=1}, b: {y=1 | k <=> c.k})", "unknown-query", id="link"),
        pytest.param("correlate(a: {x=1 | k <=> a.j})", "invalid-link", id="self-link"),
        pytest.param("correlate(a: {x=1}, a: {y=1})", "duplicate-query", id="duplicate"),
        pytest.param('correlate(a: {x=1}, within="5 parsecs")', "invalid-argument", id="within"),
        pytest.param("correlate(a: {x=1}, root=b)", "unknown-query", id="root"),
        pytest.param("correlate(a: {x=1}, maxPerRoot=0)", "argument-out-of-range", id="max"),
        pytest.param("correlate(a: {x=1 | count()})", "unsupported-feature", id="aggregate"),
        pytest.param("correlate(a: {x=1}, b: {y=1 or k <=> a.k})", "invalid-link", id="in-or"),
        pytest.param("correlate(within=5m)", "missing-argument", id="no-query"),
        pytest.param("correlate(x=1)", "unknown-parameter", id="not-named"),
        pytest.param("correlate(a: {x=1}, nosuch=1)", "unknown-parameter", id="parameter"),
        pytest.param(
            "groupBy(a, function={correlate(a: {x=1})})", "misplaced-function", id="nested"
        ),
    ],
)
def test_correlate_check_errors(query: str, code: str):
    assert code in diagnostic_codes(query)


def test_correlate_valid_query_has_no_diagnostics():
    assert diagnostic_codes(AUTH_DB_QUERY) == []
    assert diagnostic_codes(CQF_QUERY) == []


def test_link_operator_outside_correlate_is_parse_error():
    with pytest.raises(ParseError, match="only inside them"):
        plan_query("user <=> login.user")


def test_link_needs_query_and_field():
    with pytest.raises(ParseError, match=r"expected query\.field"):
        plan_query("correlate(a: {x=1}, b: {y=1 | k <=> other})")


def test_free_text_after_correlate_is_error():
    assert "free-text-after-aggregate" in diagnostic_codes("correlate(a: {x=1}) | evil")
