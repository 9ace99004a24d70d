"""match(): lookups in CSV and JSON files and in ad-hoc tables, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.functions.lookup_helpers import lookup_folder
from tests.helpers import diagnostic_codes, make_events, run, without_metadata

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.errors import ExecutionError
from cqlkit.plan.explain import format_plan
from cqlkit.plan.planner import plan_query
from cqlkit.plan.resources import Resources

USERS_CSV = (
    "userid,department,access_level,location\n"
    "ADMIN-123,IT,administrator,HQ\n"
    "dev-user-456,Engineering,developer,Remote\n"
)


@pytest.fixture
def users(tmp_path: Path) -> Resources:
    return lookup_folder(tmp_path, {"users.csv": USERS_CSV})


def user_events() -> list[dict[str, str]]:
    return make_events(
        {"id": "ADMIN-123", "action": "login", "source_ip": "10.0.0.1"},
        {"id": "unknown-user", "action": "login_attempt", "source_ip": "10.0.0.2"},
        {"id": "dev-user-456", "action": "code_push", "source_ip": "10.0.0.3"},
    )


# --- documented examples ---------------------------------------------------------


def test_match_multiple_pairs_example(tmp_path: Path) -> None:
    # examples-match-multiple-pairs: every field must match its column.
    resources = lookup_folder(
        tmp_path, {"test.csv": "column1,column2,column3\na,b,d\nc,d,a\nc,e,f\n"}
    )
    events = make_events({"field1": "c", "field2": "f"}, {"field2": "e", "field1": "c"})
    rows = run(
        "match(test.csv, field=[field1, field2], column=[column1, column2])",
        events,
        resources=resources,
        sql_only=True,
    )
    assert without_metadata(rows) == [{"field1": "c", "field2": "e", "column3": "f"}]


def test_match_strict_false_example(users: Resources) -> None:
    # examples-match-strict-false: every event passes, matching ones enriched.
    rows = run(
        'id =~ match(file="users.csv", column=userid, strict=false)',
        user_events(),
        resources=users,
        sql_only=True,
    )
    by_id = {row["id"]: row for row in rows}
    assert len(rows) == 3
    assert by_id["ADMIN-123"]["department"] == "IT"
    assert by_id["ADMIN-123"]["access_level"] == "administrator"
    assert by_id["ADMIN-123"]["location"] == "HQ"
    assert by_id["dev-user-456"]["department"] == "Engineering"
    assert "department" not in by_id["unknown-user"]
    assert "userid" not in by_id["ADMIN-123"]


def test_match_include_empty_example(users: Resources) -> None:
    # examples-match-id-value-column: include=[] filters and adds no column.
    rows = run(
        'match(file="users.csv", column=userid, field=id, include=[])',
        user_events(),
        resources=users,
        sql_only=True,
    )
    assert sorted(row["id"] for row in rows) == ["ADMIN-123", "dev-user-456"]
    assert all(set(row) == {"@id", "@timestamp", "id", "action", "source_ip"} for row in rows)


def test_match_glob_example(tmp_path: Path) -> None:
    # examples-match-glob-pattern: the keys are globs; the key column is not copied.
    resources = lookup_folder(
        tmp_path,
        {
            "users.csv": "userid,department,access_level,location,title\n"
            "ADMIN-*,IT,administrator,HQ,System Administrator\n"
            "dev-user-*,Engineering,developer,Remote,Software Engineer\n"
            "TEST_*,QA,tester,Lab,QA Engineer\n"
            "support-*,Support,agent,Office,Support Specialist\n"
        },
    )
    events = make_events(
        {"id": "ADMIN-123", "action": "login"},
        {"id": "dev-user-456", "action": "code_push"},
        {"id": "TEST_789", "action": "test_run"},
        {"id": "support-001", "action": "ticket_update"},
        {"id": "unknown-user", "action": "login_attempt"},
    )
    rows = run(
        'id =~ match(file="users.csv", column=userid, mode=glob, ignoreCase=true)',
        events,
        resources=resources,
    )
    titles = {row["id"]: row["title"] for row in rows}
    assert titles == {
        "ADMIN-123": "System Administrator",
        "dev-user-456": "Software Engineer",
        "TEST_789": "QA Engineer",
        "support-001": "Support Specialist",
    }
    assert all("userid" not in row for row in rows)


def test_match_cidr_example(tmp_path: Path) -> None:
    # examples-match-cidr-mode-columns: only the included columns are copied.
    resources = lookup_folder(
        tmp_path,
        {
            "cidr-file.csv": "cidr-block,info,type,location,department\n"
            "10.0.1.0/24,Internal Network,corporate,HQ,IT\n"
            "192.168.1.0/24,Development Network,test,Lab,Engineering\n"
            "172.16.0.0/16,Production Network,critical,DC,Operations\n"
        },
    )
    events = make_events(
        {"ip": "10.0.1.25", "action": "login"},
        {"ip": "192.168.1.100", "action": "connect"},
        {"ip": "172.16.5.12", "action": "access"},
    )
    rows = run(
        'match(file="cidr-file.csv", column="cidr-block", field=ip, mode=cidr,'
        ' include=["info","type"])',
        events,
        resources=resources,
        sql_only=True,
    )
    assert without_metadata(rows) == [
        {"ip": "172.16.5.12", "action": "access", "info": "Production Network", "type": "critical"},
        {"ip": "192.168.1.100", "action": "connect", "info": "Development Network", "type": "test"},
        {"ip": "10.0.1.25", "action": "login", "info": "Internal Network", "type": "corporate"},
    ]


# --- string mode -------------------------------------------------------------------


def test_match_last_row_wins(tmp_path: Path) -> None:
    resources = lookup_folder(tmp_path, {"hosts.csv": "host,owner\nweb1,alice\nweb1,bob\n"})
    rows = run(
        "match(hosts.csv, field=host)",
        make_events({"host": "web1"}),
        resources=resources,
        sql_only=True,
    )
    assert [row["owner"] for row in rows] == ["bob"]


def test_match_is_exact_text(tmp_path: Path) -> None:
    resources = lookup_folder(tmp_path, {"codes.csv": "status,label\n404,not found\n"})
    events = make_events({"status": "404.0"}, {"status": "404"}, {"status": " 404"})
    rows = run("match(codes.csv, field=status)", events, resources=resources, sql_only=True)
    assert [row["status"] for row in rows] == ["404"]


def test_match_missing_and_empty_values(tmp_path: Path) -> None:
    resources = lookup_folder(tmp_path, {"v.csv": "value,label\n,empty\nx,ex\n"})
    events = make_events({"value": ""}, {"other": "x"})
    rows = run(
        "match(v.csv, field=value, strict=false)", events, resources=resources, sql_only=True
    )
    labels = {row["@id"]: row.get("label") for row in rows}
    assert labels == {"1": "empty", "2": None}


def test_match_overwrites_existing_field(tmp_path: Path) -> None:
    resources = lookup_folder(tmp_path, {"u.csv": "user,team\nann,red\n"})
    events = make_events({"user": "ann", "team": "old"}, {"user": "bob", "team": "old"})
    rows = run("match(u.csv, field=user, strict=false)", events, resources=resources, sql_only=True)
    assert {row["user"]: row["team"] for row in rows} == {"ann": "red", "bob": "old"}


def test_match_ignore_case(tmp_path: Path) -> None:
    # Keys and values fold one character at a time, as Java and DuckDB do.
    # Capital I with dot above folds to i; a word-final capital sigma to a plain small sigma.
    greek_capitals = "\u039f\u0394\u039f\u03a3"
    greek_small = "\u03bf\u03b4\u03bf\u03c3"
    resources = lookup_folder(
        tmp_path, {"c.csv": f"city,country\n\u0130STANBUL,TR\n{greek_capitals},GR\nParis,FR\n"}
    )
    events = make_events(
        {"city": "istanbul"}, {"city": greek_small}, {"city": "PARIS"}, {"city": "Rome"}
    )
    rows = run(
        "match(c.csv, field=city, ignoreCase=true)", events, resources=resources, sql_only=True
    )
    assert sorted(row["country"] for row in rows) == ["FR", "GR", "TR"]


def test_match_case_sensitive_by_default(users: Resources) -> None:
    events = make_events({"id": "admin-123"})
    assert run("match(users.csv, field=id, column=userid)", events, resources=users) == []


def test_match_ignore_case_last_row_wins(tmp_path: Path) -> None:
    resources = lookup_folder(tmp_path, {"u.csv": "user,team\nANN,red\nann,blue\n"})
    rows = run(
        "match(u.csv, field=user, ignoreCase=true)",
        make_events({"user": "Ann"}),
        resources=resources,
        sql_only=True,
    )
    assert [row["team"] for row in rows] == ["blue"]


def test_match_table_alias_and_assignment_form(users: Resources) -> None:
    rows = run(
        'id =~ match(table="users.csv", column=userid)',
        user_events(),
        resources=users,
        sql_only=True,
    )
    assert len(rows) == 2


def test_match_include_one_column(users: Resources) -> None:
    rows = run(
        "match(users.csv, field=id, column=userid, include=location)",
        user_events(),
        resources=users,
        sql_only=True,
    )
    assert sorted(row["location"] for row in rows) == ["HQ", "Remote"]
    assert all("department" not in row for row in rows)


def test_match_empty_table(tmp_path: Path) -> None:
    resources = lookup_folder(tmp_path, {"none.csv": "user,team\n"})
    events = make_events({"user": "ann"})
    assert run("match(none.csv, field=user)", events, resources=resources, sql_only=True) == []
    passed = run(
        "match(none.csv, field=user, strict=false)", events, resources=resources, sql_only=True
    )
    assert len(passed) == 1
    negated = run("!match(none.csv, field=user)", events, resources=resources, sql_only=True)
    assert len(negated) == 1


# --- negation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "!match(users.csv, field=id, column=userid)",
        "id =~ !match(users.csv, column=userid)",
    ],
)
def test_negated_match_keeps_non_matching(users: Resources, query: str) -> None:
    rows = run(query, user_events(), resources=users, sql_only=True)
    assert without_metadata(rows) == [
        {"id": "unknown-user", "action": "login_attempt", "source_ip": "10.0.0.2"}
    ]


def test_negated_match_strict_warns(users: Resources) -> None:
    codes = diagnostic_codes(
        "!match(users.csv, field=id, column=userid, strict=false)", resources=users
    )
    assert codes == ["ignored-argument"]


def test_negated_match_in_case_branch(users: Resources) -> None:
    rows = run(
        'case { !match(users.csv, field=id, column=userid) | kind := "unknown"; * }',
        user_events(),
        resources=users,
    )
    assert {row["id"]: row.get("kind") for row in rows} == {
        "ADMIN-123": None,
        "unknown-user": "unknown",
        "dev-user-456": None,
    }


# --- nrows, glob and cidr modes ---------------------------------------------------


def test_match_nrows_starts_with_last_row(tmp_path: Path) -> None:
    resources = lookup_folder(
        tmp_path, {"h.csv": "host,owner\nweb1,alice\nweb2,carol\nweb1,bob\nweb1,dave\n"}
    )
    # head() keeps the order in which match() emits the copies of one event.
    rows = run(
        "match(h.csv, field=host, nrows=2) | head()",
        make_events({"host": "web1"}),
        resources=resources,
    )
    assert [row["owner"] for row in rows] == ["dave", "bob"]


def test_match_nrows_max(tmp_path: Path) -> None:
    resources = lookup_folder(
        tmp_path, {"h.csv": "host,n\n" + "".join(f"a,{i}\n" for i in range(600))}
    )
    plan = plan_query("match(h.csv, field=host, nrows=max) | head(1000)", resources=resources)
    rows = run_plan(plan, make_events({"host": "a"}), RunContext())
    assert len(rows) == 500
    assert rows[0]["n"] == "599"
    assert rows[-1]["n"] == "100"


def test_match_nrows_above_maximum() -> None:
    assert "argument-out-of-range" in diagnostic_codes("match(h.csv, field=host, nrows=501)")


def test_match_glob_keys_and_star_escape(tmp_path: Path) -> None:
    resources = lookup_folder(
        tmp_path, {"g.csv": "path,kind\n*thisMatch*,pattern\nliteral\\*star,escaped\n"}
    )
    events = make_events(
        {"path": "123thisMatch456"}, {"path": "literal*star"}, {"path": "literalXstar"}
    )
    rows = run("match(g.csv, field=path, mode=glob)", events, resources=resources)
    assert {row["path"]: row["kind"] for row in rows} == {
        "123thisMatch456": "pattern",
        "literal*star": "escaped",
    }


def test_match_cidr_ipv4_in_sql(tmp_path: Path) -> None:
    resources = lookup_folder(
        tmp_path,
        {
            "nets.csv": "net,zone\n10.0.0.0/8,corp\n10.1.0.0/16,lab\n10.0.0.0/8,corp-late\n"
            "192.168.0.0/16,home\n192.168.7.0/24,\n"
        },
    )
    events = make_events(
        {"ip": "10.1.2.3"},
        {"ip": "10.2.0.1"},
        {"ip": "192.168.7.7", "zone": "own"},
        {"ip": "8.8.8.8"},
        {"ip": "2001:db8::1"},
        {},
    )
    query = "match(nets.csv, field=ip, column=net, mode=cidr, strict=false)"
    rows = run(query, events, resources=resources, sql_only=True)
    assert {row["@id"]: row.get("zone") for row in rows} == {
        "1": "lab",
        "2": "corp-late",
        "3": "",
        "4": None,
        "5": None,
        "6": None,
    }
    strict = run(
        "match(nets.csv, field=ip, column=net, mode=cidr)",
        events,
        resources=resources,
        sql_only=True,
    )
    assert sorted(row["@id"] for row in strict) == ["1", "2", "3"]
    negated = run(
        "!match(nets.csv, field=ip, column=net, mode=cidr)",
        events,
        resources=resources,
        sql_only=True,
    )
    assert sorted(row["@id"] for row in negated) == ["4", "5", "6"]


def test_match_cidr_most_specific_wins(tmp_path: Path) -> None:
    resources = lookup_folder(
        tmp_path,
        {
            "nets.csv": "net,zone\n10.0.0.0/8,corp\n10.1.0.0/16,lab\n10.0.0.0/8,corp-late\n"
            "2001:db8::/32,v6\nnot-a-subnet,broken\n"
        },
    )
    events = make_events(
        {"ip": "10.1.2.3"}, {"ip": "10.2.0.1"}, {"ip": "2001:db8::5"}, {"ip": "junk"}
    )
    query = "match(nets.csv, field=ip, column=net, mode=cidr)"
    assert diagnostic_codes(query, resources=resources) == ["invalid-subnet"]
    rows = run(query, events, resources=resources)
    assert {row["ip"]: row["zone"] for row in rows} == {
        "10.1.2.3": "lab",
        "10.2.0.1": "corp-late",
        "2001:db8::5": "v6",
    }


def test_match_deprecated_glob_parameter(tmp_path: Path) -> None:
    resources = lookup_folder(tmp_path, {"g.csv": "name,kind\n*.exe,binary\n"})
    query = "match(g.csv, field=name, glob=true)"
    assert diagnostic_codes(query, resources=resources) == ["deprecated-argument"]
    rows = run(query, make_events({"name": "a.exe"}), resources=resources)
    assert [row["kind"] for row in rows] == ["binary"]


@pytest.mark.parametrize(
    ("query", "feature"),
    [
        ("match(u.csv, field=user, mode=glob)", "match(mode=glob)"),
        ("match(u.csv, field=user, column=net, mode=cidr)", "match(mode=cidr)"),
        ("match(u.csv, field=[user, user], column=[net, net], mode=cidr)", "match(mode=cidr)"),
        ("match(u.csv, field=user, nrows=2)", "match(nrows=...)"),
    ],
)
def test_match_forms_sent_to_reference_engine(tmp_path: Path, query: str, feature: str) -> None:
    resources = lookup_folder(tmp_path, {"u.csv": "user,net,team\nann,2001:db8::/32,red\n"})
    plan = plan_query(query, resources=resources)
    (result,) = DuckDBEngine().run([plan], make_events({"user": "ann"}))
    assert any(notice.startswith(feature) for notice in result.notices)


def test_match_large_table_runs_on_reference_engine(tmp_path: Path) -> None:
    rows = "".join(f"user{i},team{i}\n" for i in range(6000))
    resources = lookup_folder(tmp_path, {"big.csv": "user,team\n" + rows})
    events = make_events({"user": "user5999"}, {"user": "user7"}, {"user": "nobody"})
    result = run("match(big.csv, field=user) | groupBy(team)", events, resources=resources)
    assert sorted(row["team"] for row in result) == ["team5999", "team7"]


# --- JSON files --------------------------------------------------------------------


def test_match_json_array(tmp_path: Path) -> None:
    resources = lookup_folder(
        tmp_path,
        {
            "u.json": '[{"user": "ann", "team": "red", "age": 7.0},'
            ' {"user": "bob", "nested": {"a": "1"}}]'
        },
    )
    events = make_events({"user": "ann"}, {"user": "bob", "team": "old"})
    rows = run("match(u.json, field=user)", events, resources=resources, sql_only=True)
    assert without_metadata(rows) == [
        {"user": "bob", "team": "old"},
        {"user": "ann", "team": "red", "age": "7.0"},
    ]


def test_match_json_object_form(tmp_path: Path) -> None:
    # The top-level keys are the lookup keys, whatever the column is called.
    resources = lookup_folder(
        tmp_path,
        {"ids.json": '{"1": {"name": "chr"}, "2": {"name": "krab"}, "7": {"name": "mgr"}}'},
    )
    events = make_events({"uid": "2"}, {"uid": "3"})
    rows = run("match(ids.json, field=uid)", events, resources=resources, sql_only=True)
    assert without_metadata(rows) == [{"uid": "2", "name": "krab"}]


def test_match_json_lines(tmp_path: Path) -> None:
    resources = lookup_folder(
        tmp_path, {"u.json": '{"user": "ann", "team": "red"}\n\n{"user": "bob", "team": "blue"}\n'}
    )
    rows = run(
        "match(u.json, field=user)",
        make_events({"user": "bob"}),
        resources=resources,
        sql_only=True,
    )
    assert [row["team"] for row in rows] == ["blue"]


# --- ad-hoc tables -----------------------------------------------------------------


def test_match_ad_hoc_table_on_reference_engine() -> None:
    plan = plan_query("match(table=users_table, field=id, column=userid)")
    context = RunContext(
        tables={"users_table": [{"userid": "u1", "name": "Ann"}, {"userid": "u2", "name": "Bob"}]}
    )
    rows = run_plan(plan, make_events({"id": "u2"}, {"id": "u3"}), context)
    assert without_metadata(rows) == [{"id": "u2", "name": "Bob"}]


def test_match_missing_ad_hoc_table() -> None:
    plan = plan_query("match(users_table, field=id)")
    with pytest.raises(ExecutionError, match="users_table"):
        run_plan(plan, make_events({"id": "u1"}), RunContext())


def test_match_ad_hoc_table_missing_column() -> None:
    plan = plan_query("match(users_table, field=id, column=userid)")
    context = RunContext(tables={"users_table": [{"name": "Ann"}]})
    with pytest.raises(ExecutionError, match="userid"):
        run_plan(plan, make_events({"id": "u1"}), context)


# --- check-time errors ----------------------------------------------------------------


def test_match_without_lookup_folder() -> None:
    assert diagnostic_codes("match(users.csv, field=id)") == ["lookup-file-not-found"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("match(missing.csv, field=id)", "lookup-file-not-found"),
        ("match(users.csv, field=id)", "missing-column"),
        ("match(users.csv, field=id, column=userid, include=[nope])", "missing-column"),
        ("match(users.csv, field=[id, x], column=userid)", "invalid-argument"),
        ("match(users.csv, field=id, column=userid, mode=regex)", "invalid-argument"),
        ('match("../users.csv", field=id)', "invalid-argument"),
        ("match(users.txt, field=id)", "invalid-argument"),
        ("match(file=users.csv)", "missing-argument"),
        ("match(field=id)", "missing-argument"),
    ],
)
def test_match_check_errors(users: Resources, query: str, code: str) -> None:
    assert code in diagnostic_codes(query, resources=users)


@pytest.mark.parametrize(
    "text",
    ['user,team\n"ann,red\n', "user,team\nann\n", "user,user\nann,red\n", ""],
    ids=["open-quote", "short-row", "duplicate-column", "empty"],
)
def test_match_invalid_csv(tmp_path: Path, text: str) -> None:
    resources = lookup_folder(tmp_path, {"bad.csv": text})
    assert diagnostic_codes("match(bad.csv, field=user)", resources=resources) == [
        "invalid-lookup-file"
    ]


def test_match_glob_file_over_logscale_limit_warns(tmp_path: Path) -> None:
    rows = "".join(f"a{i}*,x\n" for i in range(20_001))
    resources = lookup_folder(tmp_path, {"g.csv": "name,kind\n" + rows})
    assert diagnostic_codes("match(g.csv, field=name, mode=glob)", resources=resources) == [
        "lookup-too-large"
    ]


def test_match_explain_names_the_file(users: Resources) -> None:
    plan = plan_query("match(users.csv, field=id, column=userid)", resources=users)
    assert "<lookup users.csv: 2 rows>" in format_plan(plan)
