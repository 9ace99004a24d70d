"""Checks of the T1218.003 CMSTP detection: the rewrite keeps the published logic.

The indicator tests run the regexes of query.cql with Python's ``re`` module as a
stand-in for LogScale's JitRex engine. The patterns use only syntax that both engines
read the same way: ``(?i)``, alternation, groups, ``?`` and ``$``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cqlkit.detections import Detection, find_detections
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.language import ast
from cqlkit.language.parser import parse
from cqlkit.plan.planner import plan_query
from cqlkit.sources import read_events

# Published form: Name := if(Field = ~/regex/, "1", "0")
PUBLISHED_INDICATOR = re.compile(
    r'^\| (?P<name>\w+) := if\((?P<field>\w+) = ~/(?P<pattern>.*)/, "1", "0"\)$'
)
# Rewritten form: Name := if(regex("string", field=Field), then="1", else="0")
REWRITTEN_INDICATOR = re.compile(
    r'^\| (?P<name>\w+) := if\(regex\("(?P<string>(?:[^"\\]|\\.)*)", field=(?P<field>\w+)\), '
    r'then="1", else="0"\)$'
)


@pytest.fixture(scope="module")
def cmstp() -> Detection:
    (detection,) = find_detections(["T1218.003-cmstp"])
    return detection


def unescape_cql_string(text: str) -> str:
    r"""Return the value of a CQL string body: ``\\`` is one backslash and ``\"`` a quote.

    Any other backslash pair keeps both characters.
    """
    return re.sub(r'\\([\\"])', r"\1", text)


def published_indicators(query: str) -> dict[str, tuple[str, str]]:
    """Map indicator name to (field, regex) for the ``= ~/regex/`` lines."""
    indicators = {}
    for line in query.splitlines():
        match = PUBLISHED_INDICATOR.match(line)
        if match:
            # Inside a regex literal, \/ only escapes the delimiter and means a plain slash.
            pattern = match["pattern"].replace(r"\/", "/")
            indicators[match["name"]] = (match["field"], pattern)
    return indicators


def rewritten_indicators(query: str) -> dict[str, tuple[str, str]]:
    """Map indicator name to (field, regex) for the ``if(regex(...))`` lines."""
    indicators = {}
    for line in query.splitlines():
        match = REWRITTEN_INDICATOR.match(line)
        if match:
            indicators[match["name"]] = (match["field"], unescape_cql_string(match["string"]))
    return indicators


def score(detection: Detection, command_line: str, parent: str) -> dict[str, int]:
    """Compute each indicator of query.cql for one event, as LogScale would."""
    fields = {"CommandLine": command_line, "ParentBaseFileName": parent}
    flags = {
        name: int(re.search(pattern, fields[field]) is not None)
        for name, (field, pattern) in rewritten_indicators(detection.query("logscale")).items()
    }
    flags["RiskScore"] = sum(flags.values())
    return flags


def test_unescape_cql_string() -> None:
    assert unescape_cql_string(r"a\\\\b") == r"a\\b"
    assert unescape_cql_string(r"say \"hi\"") == 'say "hi"'
    assert unescape_cql_string(r"\.inf") == r"\.inf"


def test_default_query_is_rewrite(cmstp: Detection) -> None:
    assert cmstp.default_query == "logscale"
    assert cmstp.query() == cmstp.query("logscale")


def test_rewrite_keeps_indicator_regexes(cmstp: Detection) -> None:
    published = published_indicators(cmstp.query("published"))
    rewritten = rewritten_indicators(cmstp.query("logscale"))

    assert list(published) == [
        "AutoClose",
        "NoUI",
        "HasINF",
        "SuspiciousPath",
        "RemoteLoad",
        "SuspiciousParent",
    ]
    assert rewritten == published


def test_parser_reads_same_regexes(cmstp: Detection) -> None:
    """The cqlkit parser unescapes the regex() strings to the published regex literals."""
    parsed = {}
    for step in parse(cmstp.query("logscale")).steps:
        if not isinstance(step, ast.Assignment) or not isinstance(step.value, ast.Call):
            continue
        condition = step.value.arguments[0].value
        assert isinstance(condition, ast.Call)
        assert condition.name == "regex"
        pattern = condition.arguments[0].value
        assert isinstance(pattern, ast.StringLit)
        parsed[step.target.name] = pattern.value

    published = published_indicators(cmstp.query("published"))
    assert parsed == {name: pattern for name, (_, pattern) in published.items()}


def test_rewrite_keeps_other_lines(cmstp: Detection) -> None:
    """Apart from the indicators and comments, only #timestamp becomes @timestamp."""
    published = [
        line.replace("#timestamp", "@timestamp")
        for line in cmstp.query("published").splitlines()
        if not PUBLISHED_INDICATOR.match(line)
    ]
    rewritten = [
        line
        for line in cmstp.query("logscale").splitlines()
        if not REWRITTEN_INDICATOR.match(line) and not line.startswith("//")
    ]

    assert rewritten == published


def test_rewrite_notes_missing_parent_command_line(cmstp: Detection) -> None:
    lines = cmstp.query("logscale").splitlines()
    select_index = next(i for i, line in enumerate(lines) if line.startswith("| select("))

    assert "ParentCommandLine" in lines[select_index]
    assert lines[select_index - 1].startswith("//")
    assert "no ParentCommandLine" in lines[select_index - 1]


def test_image_filter_matches_device_paths(cmstp: Detection) -> None:
    image_filter = re.compile(r"(?i)\\cmstp\.exe$")

    assert r"ImageFileName = /(?i)\\cmstp\.exe$/" in cmstp.query()
    assert image_filter.search(r"\Device\HarddiskVolume2\Windows\System32\cmstp.exe")
    assert image_filter.search(r"\Device\HarddiskVolume3\Windows\SysWOW64\CMSTP.EXE")
    assert not image_filter.search(r"\Device\HarddiskVolume3\Windows\System32\cmstp.exe.bak")
    assert not image_filter.search(r"\Device\HarddiskVolume3\Tools\mycmstp.exe.log")


# Command lines and parents of public CMSTP executions and of the cases that the tuning
# notes describe, with the indicator values the query must compute for them.
INDICATOR_CASES = [
    pytest.param(
        r'cmstp.exe /s "C:\AtomicRedTeam\atomics\T1218.003\src\T1218.003.inf"',
        "cmd.exe",
        {"AutoClose": 1, "NoUI": 0, "HasINF": 1, "SuspiciousPath": 0, "RemoteLoad": 0},
        id="atomic-test-1-remote-scriptlet",
    ),
    pytest.param(
        r'"C:\windows\system32\cmstp.exe" /s C:\ProgramData\T1218.003_uacbypass.inf /au',
        "powershell.exe",
        {"AutoClose": 1, "NoUI": 0, "HasINF": 1, "SuspiciousPath": 1, "SuspiciousParent": 1},
        id="atomic-test-2-uac-bypass",
    ),
    pytest.param(
        r'"C:\Windows\System32\cmstp.exe" /au c:\users\ieuser\appdata\local\temp\tmp.ini',
        "python.exe",
        {"AutoClose": 1, "HasINF": 0, "SuspiciousPath": 1, "SuspiciousParent": 0},
        id="winpwnage-ini-profile-misses-hasinf",
    ),
    pytest.param(
        r"cmstp.exe  /ni /s https://raw.githubusercontent.com/op7ic/EDR-Testing-Script/master/Payloads/Cmstp.inf",
        "cmd.exe",
        {"AutoClose": 1, "NoUI": 1, "HasINF": 1, "RemoteLoad": 1, "SuspiciousParent": 1},
        id="remote-profile-url",
    ),
    pytest.param(
        r"cmstp.exe /s /ns C:\Users\ADMINI~W\AppData\Local\Temp\XKNqbpzl.txt",
        "WINWORD.EXE",
        {"AutoClose": 1, "NoUI": 1, "HasINF": 0, "SuspiciousPath": 1, "SuspiciousParent": 1},
        id="cobalt-group-txt-profile",
    ),
    pytest.param(
        r"cmstp.exe C:\Corp\Profiles\vpn.inf",
        "ccmexec.exe",
        {"AutoClose": 0, "NoUI": 0, "HasINF": 1, "RiskScore": 1},
        id="benign-rollout-scores-on-inf-alone",
    ),
    pytest.param(
        r"cmstp.exe C:\build\src\profile.cmp",
        "explorer.exe",
        {"AutoClose": 0, "RiskScore": 0},
        id="backslash-paths-do-not-trip-switches",
    ),
    pytest.param(
        r"cmstp.exe https://intranet.example/src/profile.cmp",
        "explorer.exe",
        {"AutoClose": 1, "RemoteLoad": 1},
        id="slash-s-inside-url-path",
    ),
    pytest.param(
        r"cmstp.exe D:\Profiles\Template.cmp",
        "explorer.exe",
        {"SuspiciousPath": 1, "RiskScore": 1},
        id="temp-inside-template",
    ),
    pytest.param(
        "",
        "explorer.exe",
        {"RiskScore": 0},
        id="empty-command-line",
    ),
]


@pytest.mark.parametrize(("command_line", "parent", "expected"), INDICATOR_CASES)
def test_indicator_values(
    cmstp: Detection, command_line: str, parent: str, expected: dict[str, int]
) -> None:
    flags = score(cmstp, command_line, parent)

    for name, value in expected.items():
        assert flags[name] == value, f"{name} for {command_line!r} (parent {parent})"


# Fixture id, verdict, event formats, tuning sets that suppress it.
CMSTP_FIXTURES = [
    ("art-t1218-003-test-1-remote-scriptlet", "malicious", ("fdr", "winlogbeat"), ()),
    ("art-t1218-003-test-2-uac-bypass", "malicious", ("fdr", "winlogbeat"), ()),
    ("cobalt-group-txt-profile", "malicious", ("fdr", "winlogbeat"), ()),
    ("interactive-corp-profile", "benign", ("fdr", "winlogbeat"), ("corp_profiles",)),
    ("intune-vpn-rollout", "benign", ("fdr", "winlogbeat"), ("intune",)),
    ("lolbas-local-inf", "malicious", ("fdr", "winlogbeat"), ()),
    ("lolbas-remote-inf", "malicious", ("fdr", "winlogbeat"), ()),
    ("profile-path-with-src", "benign", ("fdr", "winlogbeat"), ()),
    ("regsvr32-cmstp-scriptlet", "unrelated", ("fdr", "winlogbeat"), ()),
    ("renamed-cmstp", "malicious", ("fdr", "winlogbeat"), ()),
    ("sccm-vpn-rollout", "benign", ("fdr", "winlogbeat"), ("sccm",)),
    ("synthetic-process-rollup", "malicious", ("fdr",), ()),
    ("tanium-vpn-rollout", "benign", ("fdr", "winlogbeat"), ("tanium",)),
    ("uppercase-switches", "malicious", ("fdr", "winlogbeat"), ()),
    ("winpwnage-ini-profile", "malicious", ("fdr", "winlogbeat"), ()),
]


def test_fixture_list(cmstp: Detection) -> None:
    fixtures = [
        (f.id, f.verdict, tuple(f.events), tuple(sorted(f.suppressed_by))) for f in cmstp.fixtures
    ]

    assert fixtures == CMSTP_FIXTURES


def test_fixtures_are_labelled_synthetic(cmstp: Detection) -> None:
    assert all(fixture.synthetic for fixture in cmstp.fixtures)
    assert all(set(fixture.expectations) == set(cmstp.queries) for fixture in cmstp.fixtures)


@pytest.mark.parametrize(
    ("fixture_id", "command_line"),
    [
        (
            "art-t1218-003-test-1-remote-scriptlet",
            r'cmstp.exe /s "C:\AtomicRedTeam\atomics\T1218.003\src\T1218.003.inf"',
        ),
        (
            "art-t1218-003-test-2-uac-bypass",
            r'cmstp.exe /s "C:\AtomicRedTeam\atomics\T1218.003\src\T1218.003_uacbypass.inf" /au',
        ),
        (
            "art-t1218-003-test-2-uac-bypass",
            r"C:\Windows\system32\DllHost.exe /Processid:{3E5FC7F9-9A51-4367-9063-A120244FBEC7}",
        ),
        (
            "cobalt-group-txt-profile",
            r"cmstp.exe /s /ns C:\Users\ADMINI~W\AppData\Local\Temp\XKNqbpzl.txt",
        ),
        ("lolbas-local-inf", r"cmstp.exe /ni /s c:\cmstp\CorpVPN.inf"),
        (
            "lolbas-remote-inf",
            "cmstp.exe /ni /s https://raw.githubusercontent.com/api0cradle/LOLBAS/master/"
            "OSBinaries/Payload/Cmstp.inf",
        ),
        ("interactive-corp-profile", r"cmstp.exe C:\Corp\Profiles\CorpVPN.inf"),
    ],
)
def test_fixture_events_use_procedure_command_lines(
    cmstp: Detection, fixture_id: str, command_line: str
) -> None:
    """The events carry the procedures' command lines exactly, in every event file."""
    (fixture,) = [f for f in cmstp.fixtures if f.id == fixture_id]
    for event_format, path in fixture.events.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        command_lines = [json.loads(line)["CommandLine"] for line in lines]
        assert command_line in command_lines, f"{fixture_id} {event_format}"


def test_raw_fdr_fixture_fields(cmstp: Detection) -> None:
    """FDR events are raw: string values, device paths and no host or user name."""
    for fixture in cmstp.fixtures:
        for line in fixture.events["fdr"].read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert all(isinstance(value, str) for value in record.values()), fixture.id
            assert record["ImageFileName"].startswith("\\Device\\HarddiskVolume2\\"), fixture.id
            assert record["timestamp"].isdigit(), fixture.id
            assert "ComputerName" not in record, fixture.id
            assert "UserName" not in record, fixture.id


def top_level_alternation_after_case_flag(pattern: str) -> bool:
    """Return True when ``pattern`` starts with (?i) and has a | outside every group.

    LogScale ends an inline (?i) at such a |, so the alternatives after it match case.
    """
    if not pattern.startswith("(?i)"):
        return False
    depth, index, in_class = 0, 4, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        index += 1
    return False


def test_case_flag_scope_check() -> None:
    assert top_level_alternation_after_case_flag(r"(?i)\/s|\/au")
    assert not top_level_alternation_after_case_flag(r"(?i)(\/s|\/au)")
    assert not top_level_alternation_after_case_flag(r"(?i)[|](a|b)")
    assert not top_level_alternation_after_case_flag(r"a|b")


def test_tuned_query_groups_alternations_after_case_flag(cmstp: Detection) -> None:
    patterns = [
        unescape_cql_string(match)
        for match in re.findall(r'regex\("((?:[^"\\]|\\.)*)"', cmstp.query("tuned"))
    ]

    assert len(patterns) == 9
    assert [p for p in patterns if top_level_alternation_after_case_flag(p)] == []


def test_published_query_has_ungrouped_case_flag(cmstp: Detection) -> None:
    flagged = [
        name
        for name, (_, pattern) in published_indicators(cmstp.query("published")).items()
        if top_level_alternation_after_case_flag(pattern)
    ]

    assert flagged == ["AutoClose", "NoUI"]


def test_tuned_query_searches_both_event_types(cmstp: Detection) -> None:
    first_line = next(
        line for line in cmstp.query("tuned").splitlines() if not line.startswith("//")
    )

    assert first_line == "#event_simpleName=/^(ProcessRollup2|SyntheticProcessRollup2)$/"


DATA = Path(__file__).resolve().parents[2] / "data"


def test_tuned_query_on_uac_bypass_recordings(cmstp: Detection) -> None:
    """On the real UAC-bypass recordings the tuned query also reports the elevated cmd.exe."""
    paths = [
        DATA / "OTRF_Security-Datasets/psh_cmstp_execution_bypassuac.zip",
        DATA / "sbousseaden_EVTX-ATTACK-SAMPLES/sysmon_1_13_11_cmstp_ini_uacbypass.evtx",
    ]
    plan = plan_query(cmstp.query("tuned"))

    rows = run_plan(plan, read_events(paths), RunContext())

    found = sorted((row["ComputerName"], row["FileName"], row["RiskScore"]) for row in rows)
    # The OTRF recording logs each process twice, as Sysmon event 1 and as Security 4688.
    assert found == [
        ("IEWIN7", "cmd.exe", "2"),
        ("IEWIN7", "cmstp.exe", "4"),
        ("WORKSTATION5", "cmd.exe", "2"),
        ("WORKSTATION5", "cmd.exe", "2"),
        ("WORKSTATION5", "cmstp.exe", "4"),
        ("WORKSTATION5", "cmstp.exe", "4"),
    ]
    assert {row["ParentBaseFileName"].lower() for row in rows if row["FileName"] == "cmd.exe"} == {
        "dllhost.exe"
    }
