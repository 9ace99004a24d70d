"""Saved searches ``$name()`` from a local library folder, and query parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import diagnostic_codes, kept_ids, make_events

from cqlkit.errors import SemanticError
from cqlkit.plan.planner import plan_query
from cqlkit.plan.resources import Resources

EVENTS = make_events(
    {"ImageFileName": r"C:\Windows\System32\cmd.exe", "CommandLine": "cmd /c whoami"},
    {"ImageFileName": r"C:\Windows\System32\cmd.exe", "CommandLine": "cmd /c dir"},
    {"ImageFileName": r"C:\Windows\powershell.exe", "CommandLine": "powershell whoami"},
)


@pytest.fixture
def library(tmp_path: Path) -> Resources:
    (tmp_path / "shells.cql").write_text(
        "ImageFileName=?{image=*cmd.exe*}\n| CommandLine=?pattern", encoding="utf-8"
    )
    (tmp_path / "corp").mkdir()
    (tmp_path / "corp" / "whoami.cql").write_text(
        '// calls another saved search\n$shells(pattern="*whoami*")', encoding="utf-8"
    )
    (tmp_path / "loop.cql").write_text("$loop()", encoding="utf-8")
    (tmp_path / "broken.cql").write_text("count(", encoding="utf-8")
    (tmp_path / "unknown.cql").write_text("nosuchfunction()", encoding="utf-8")
    return Resources(library_dir=tmp_path)


def test_call_fills_parameters_and_defaults(library: Resources) -> None:
    assert kept_ids('$shells(pattern="*whoami*")', EVENTS, resources=library) == ["1"]
    assert kept_ids(
        '$shells(pattern="*whoami*", image="*powershell*")', EVENTS, resources=library
    ) == ["3"]


def test_package_call_and_nesting(library: Resources) -> None:
    assert kept_ids('$"corp/whoami"()', EVENTS, resources=library) == ["1"]


def test_scoped_package_call(library: Resources, tmp_path: Path) -> None:
    folder = tmp_path / "acme" / "hunting"
    folder.mkdir(parents=True)
    (folder / "shells.cql").write_text("CommandLine=*whoami*", encoding="utf-8")
    assert kept_ids("$acme/hunting:shells()", EVENTS, resources=library) == ["1", "3"]
    assert kept_ids('$"acme/hunting:shells"()', EVENTS, resources=library) == ["1", "3"]


def test_saved_search_inside_a_pipeline(library: Resources) -> None:
    plan = plan_query('$shells(pattern="cmd*") | count()', resources=library)
    assert [stage.__class__.__name__ for stage in plan.stages] == ["Filter", "Filter", "Apply"]


def test_missing_parameter_names_the_call(library: Resources) -> None:
    with pytest.raises(SemanticError) as caught:
        plan_query("$shells()", resources=library)
    assert "in $shells(): the query parameter ?pattern has no value" in caught.value.description
    assert "$shells(pattern=VALUE)" in str(caught.value.hint)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("$loop()", "saved-search-cycle"),
        ("$broken()", "saved-search-syntax"),
        ("$unknown()", "unknown-function"),
        ("$nothere()", "saved-search"),
        ('$"../outside"()', "saved-search"),
        ('$shells("x")', "saved-search-argument"),
    ],
)
def test_bad_calls_are_check_errors(library: Resources, query: str, code: str) -> None:
    assert code in diagnostic_codes(query, resources=library)


def test_missing_library_hint() -> None:
    with pytest.raises(SemanticError) as caught:
        plan_query("$shells()")
    assert caught.value.hint == "pass --library DIR, with the saved query in DIR/shells.cql"


def test_parameters_of_the_main_query() -> None:
    assert kept_ids("CommandLine=?cmd", EVENTS, parameters={"cmd": "cmd /c dir"}) == ["2"]
    assert kept_ids("CommandLine=?{cmd=*whoami}", EVENTS) == ["1", "3"]
    assert diagnostic_codes("CommandLine=?cmd") == ["missing-parameter"]
    assert diagnostic_codes("CommandLine=?cmd", parameters_optional=True) == []
