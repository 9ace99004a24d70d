"""A small detection package with one fixture and one tuning set, written by the tests."""

from __future__ import annotations

from pathlib import Path

DEMO_TOML = """\
[metadata]
id = "T1059.001-demo"
name = "Demo detection"
description = "A detection used only by the fixture and tuning tests."
author = "cqlkit"
created = 2026-12-01
updated = 2026-12-04
maturity = "development"

[rule]
tactic = "TA0002"
technique = "T1059"
subtechnique = "T1059.001"
reference = "https://attack.mitre.org/techniques/T1059/001/"
severity = "medium"
confidence = "low"
data_sources = ["CrowdStrike Falcon ProcessRollup2"]
required_event_types = ["ProcessRollup2"]
false_positives = ["Administrators running demo.exe."]
tuning = ["Exclude demo.exe started by cmd.exe."]
default_query = "logscale"
indicators = ["Flag"]
score_field = "Score"

[rule.queries]
logscale = "query.cql"
"""

DEMO_QUERY = """\
#event_simpleName=ProcessRollup2 ImageFileName=/\\\\demo\\.exe$/i
| Flag := if(regex("(?i)(^|\\\\s)/x(\\\\s|$)", field=CommandLine), then="1", else="0")
| Score := Flag + 1
| select([@timestamp, CommandLine, ParentBaseFileName, Flag, Score])
| sort(field=@timestamp, order=desc)
"""

DEMO_EVENTS = (
    '{"event_simpleName":"ProcessRollup2","aid":"0a1b","timestamp":"1000",'
    '"ImageFileName":"\\\\Device\\\\HarddiskVolume2\\\\Tools\\\\demo.exe",'
    '"CommandLine":"demo.exe /x","ParentBaseFileName":"cmd.exe"}\n'
    '{"event_simpleName":"ProcessRollup2","aid":"0a1b","timestamp":"2000",'
    '"ImageFileName":"\\\\Device\\\\HarddiskVolume2\\\\Tools\\\\other.exe",'
    '"CommandLine":"other.exe /x demo.exe","ParentBaseFileName":"cmd.exe"}\n'
)

DEMO_FIXTURE = """\
[fixture]
description = "demo.exe runs with /x from cmd.exe."
verdict = "malicious"
synthetic = true
emulates = "Nothing real: a test of the fixture format."
suppressed_by = ["cmd_parent"]

[fixture.events]
fdr = "fdr.ndjson"

[[must_not_match]]
reason = "other.exe is not demo.exe."
fields = { CommandLine = "other.exe /x demo.exe" }

[expect.logscale]
indicators = ["Flag"]
score = 2

[[expect.logscale.rows]]
"@timestamp" = "1000"
CommandLine = "demo.exe /x"
ParentBaseFileName = "cmd.exe"
Flag = "1"
Score = "2"
"""

DEMO_TUNING = """\
// Drops demo.exe when cmd.exe starts it.
ParentBaseFileName != "cmd.exe"
"""


def write_demo_package(root: Path, files: dict[str, str | None] | None = None) -> Path:
    """Write the demo detection folder under ``root`` and return it.

    ``files`` adds or replaces files by their path relative to the folder, such as
    ``{"fixtures/demo-case/fixture.toml": text}``; a value of None leaves the file out.
    """
    folder = root / "T1059.001-demo"
    contents: dict[str, str | None] = {
        "detection.toml": DEMO_TOML,
        "query.cql": DEMO_QUERY,
        "fixtures/demo-case/fixture.toml": DEMO_FIXTURE,
        "fixtures/demo-case/fdr.ndjson": DEMO_EVENTS,
        "tuning/cmd_parent.cql": DEMO_TUNING,
        **(files or {}),
    }
    for name, text in contents.items():
        if text is None:
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder
