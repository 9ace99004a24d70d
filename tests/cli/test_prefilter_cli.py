"""The raw-line prefilter seen from the command line, on a generated FDR NDJSON file.

``cqlkit hunt`` and ``cqlkit run`` over NDJSON skip every line that cannot contain a
literal that the query requires, before parsing it. These tests check that the rows stay
the same as when no line is skipped: with the reference engine (which reads the same
filtered lines), and with queries that require no literal, so that no line is skipped.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest
from cli_helpers import CMSTP_QUERY, invoke, ndjson_rows, summary

START_MS = 1_700_000_000_000
BACKGROUND_LINES = 300

PROCESSES = [
    (
        r"\Windows\System32\svchost.exe",
        "services.exe",
        r"C:\Windows\system32\svchost.exe -k netsvcs",
    ),
    (r"\Windows\System32\cmd.exe", "explorer.exe", r"C:\Windows\system32\cmd.exe /c backup.bat"),
    (r"\Windows\System32\conhost.exe", "cmd.exe", r"\??\C:\Windows\system32\conhost.exe 0x4"),
    (r"\Windows\System32\notepad.exe", "explorer.exe", r"notepad.exe C:\Users\bob\todo.txt"),
    (r"\Windows\System32\rundll32.exe", "svchost.exe", r"rundll32.exe shell32.dll,Control_RunDLL"),
    (
        r"\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
        "cmd.exe",
        r"powershell.exe -NoProfile -File C:\Scripts\inventory.ps1",
    ),
]
HOSTS = ["0a1b2c3d4e5f60718293a4b5c6d7e8f9", "1b2c3d4e5f60718293a4b5c6d7e8f90a"]
CID = "4e2a9c7b1d3f5a6b8c9d0e1f2a3b4c5d"
VOLUME = r"\Device\HarddiskVolume2"


@dataclass(frozen=True)
class SpecialLine:
    """A hand-written line placed among the generated ones."""

    name: str
    text: str
    logscale_hit: bool
    """Whether the ImageFileName regex of the catalog query matches the event in LogScale."""


def fdr_line(
    time_ms: int,
    image: str | None,
    command: str,
    parent: str = "cmd.exe",
    event: str = "ProcessRollup2",
    **extra: str,
) -> str:
    """Return one FDR NDJSON line, without its newline. Every value is a JSON string."""
    record = {
        "event_simpleName": event,
        "event_platform": "Win",
        "aid": HOSTS[time_ms % 2],
        "cid": CID,
        "timestamp": str(time_ms),
        "CommandLine": command,
        "ParentBaseFileName": parent,
        "TargetProcessId": str(time_ms % 100_000),
        **extra,
    }
    if image is not None:
        record["ImageFileName"] = VOLUME + image
    return orjson.dumps(record).decode()


def escaped(line: str, text: str, escape: str) -> str:
    """Return ``line`` with its one occurrence of the JSON text ``text`` written as ``escape``."""
    assert line.count(text) == 1, (line, text)
    return line.replace(text, escape)


def special_lines() -> list[SpecialLine]:
    """Return the lines that matter to the CMSTP query, each at its own time."""
    times = iter(range(START_MS + 10_000_000, START_MS + 20_000_000, 1000))
    cmstp = r"\Windows\System32\cmstp.exe"
    return [
        SpecialLine(
            "plain",
            fdr_line(next(times), cmstp, r"cmstp /au C:\Users\bob\AppData\Local\Temp\corp.inf"),
            True,
        ),
        SpecialLine(
            "escaped-dot",
            escaped(
                fdr_line(next(times), cmstp, "cmstp /s https://203.0.113.9/p.inf"),
                'cmstp.exe"',
                'cmstp\\u002eexe"',
            ),
            True,
        ),
        SpecialLine(
            "escaped-letter-after-backslash",
            escaped(
                fdr_line(next(times), cmstp, r"cmstp /ni C:\ProgramData\p.inf"),
                '\\\\cmstp.exe"',
                '\\\\\\u0063mstp.exe"',
            ),
            True,
        ),
        SpecialLine(
            "upper-case",
            fdr_line(
                next(times), r"\WINDOWS\SYSWOW64\CMSTP.EXE", r"CMSTP /ni /s C:\ProgramData\x.inf"
            ),
            True,
        ),
        SpecialLine(
            "mixed-case",
            fdr_line(next(times), r"\Windows\System32\CmStP.ExE", "CmStP /s profile.inf"),
            True,
        ),
        SpecialLine(
            "command-line-only",
            fdr_line(next(times), r"\Windows\System32\cmd.exe", "cmd.exe /c where cmstp.exe"),
            False,
        ),
        SpecialLine(
            "backup-copy",
            fdr_line(next(times), r"\Users\bob\cmstp.exe.bak", "cmstp.exe.bak /s x.inf"),
            False,
        ),
        SpecialLine(
            "no-backslash-before-name",
            fdr_line(next(times), r"\Users\bob\notcmstp.exe", "notcmstp /s x.inf"),
            False,
        ),
        SpecialLine(
            "dns-request",
            fdr_line(next(times), None, "", event="DnsRequest", DomainName="cmstp.exe.example.com"),
            False,
        ),
        SpecialLine(
            "escaped-other-program",
            escaped(
                fdr_line(next(times), r"\Windows\System32\notepad.exe", "notepad /s"),
                'notepad.exe"',
                '\\u006eotepad.exe"',
            ),
            False,
        ),
        # U+017F (long s) written as raw UTF-8. See test_long_s_is_not_cmstp.
        SpecialLine(
            "long-s",
            fdr_line(next(times), "\\Windows\\System32\\cm\u017ftp.exe", "cm\u017ftp /s x.inf"),
            False,
        ),
    ]


BROKEN_WITH_LITERAL = (
    '{"event_simpleName":"ProcessRollup2","timestamp":"1700000500000",'
    '"ImageFileName":"\\\\Device\\\\HarddiskVolume2\\\\Windows\\\\System32\\\\cmstp.exe",'
    '"CommandLine":'
)
BROKEN_WITHOUT_LITERAL = (
    '{"event_simpleName":"ProcessRollup2","timestamp":"1700000600000",'
    '"ImageFileName":"\\\\Device\\\\HarddiskVolume2\\\\Windows\\\\System32\\\\notepad.exe",'
)


@dataclass(frozen=True)
class FdrFile:
    """The generated file and what it contains."""

    path: Path
    special: dict[str, tuple[int, SpecialLine]]
    """Each special line by name, with its line number (from 1)."""
    broken_with_literal_line: int
    broken_without_literal_line: int
    valid_lines: int

    def time_of(self, name: str) -> str:
        _, line = self.special[name]
        return str(orjson.loads(line.text)["timestamp"])


@pytest.fixture(scope="module")
def fdr_file(tmp_path_factory: pytest.TempPathFactory) -> FdrFile:
    """Write a few hundred generated ProcessRollup2 lines with the special and broken
    lines spread among them from line 41 on, so that format detection reads a generated
    line."""
    generator = random.Random(20240501)
    lines = []
    for index in range(BACKGROUND_LINES):
        image, parent, command = generator.choice(PROCESSES)
        lines.append(fdr_line(START_MS + index * 1000, image, command, parent))
    # The prefilter keeps no generated line, because none has the text cmstp.exe,
    # a \u escape or a character that case-insensitive matching equates with one of
    # its letters.
    assert not any("cmstp" in line.lower() or "\\u" in line or not line.isascii() for line in lines)

    specials = special_lines()
    insertions = [*specials, BROKEN_WITH_LITERAL, BROKEN_WITHOUT_LITERAL]
    for offset, item in enumerate(insertions):
        lines.insert(40 + offset * 23, item.text if isinstance(item, SpecialLine) else item)

    path = tmp_path_factory.mktemp("prefilter") / "fdr.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    numbers = {text: number for number, text in enumerate(lines, start=1)}
    return FdrFile(
        path=path,
        special={line.name: (numbers[line.text], line) for line in specials},
        broken_with_literal_line=numbers[BROKEN_WITH_LITERAL],
        broken_without_literal_line=numbers[BROKEN_WITHOUT_LITERAL],
        valid_lines=len(lines) - 2,
    )


def test_special_lines_decode_as_written(fdr_file: FdrFile) -> None:
    images = {
        name: orjson.loads(line.text).get("ImageFileName")
        for name, (_, line) in fdr_file.special.items()
    }

    assert images["escaped-dot"] == VOLUME + r"\Windows\System32\cmstp.exe"
    assert images["escaped-letter-after-backslash"] == VOLUME + r"\Windows\System32\cmstp.exe"
    assert images["escaped-other-program"] == VOLUME + r"\Windows\System32\notepad.exe"
    assert images["long-s"] == VOLUME + "\\Windows\\System32\\cm\u017ftp.exe"
    assert "\\u002e" in fdr_file.special["escaped-dot"][1].text
    assert "\u017f".encode() in fdr_file.special["long-s"][1].text.encode()


# --- the CMSTP detection ----------------------------------------------------------------

# The catalog query with a first stage that assigns a field. Literals are read only from
# the filters before the first assignment, so this query requires none and the
# prefilter keeps every line. The assigned field is not selected, so the rows do not change.
UNFILTERED_CMSTP = 'Unused := "1"\n| ' + CMSTP_QUERY.read_text(encoding="utf-8")


def hunt(fdr_file: FdrFile, *options: str) -> tuple[list[dict[str, str]], str]:
    status, out, err = invoke("hunt", str(fdr_file.path), "--format", "ndjson", *options)
    assert status == 0, err
    rows = ndjson_rows(out)
    for row in rows:
        assert row.pop("detection") == "T1218.003-cmstp"
    return rows, err


def run(fdr_file: FdrFile, query: str, *options: str) -> tuple[list[dict[str, str]], str]:
    status, out, err = invoke("run", query, str(fdr_file.path), "--format", "ndjson", *options)
    assert status == 0, err
    return ndjson_rows(out), err


def rejected_lines(err: str) -> list[int]:
    """Return the line numbers of the unreadable records that standard error reports."""
    return [
        int(number)
        for number in re.findall(
            r"^warning: skipped unreadable record .*:line (\d+):", err, flags=re.MULTILINE
        )
    ]


def test_prefilter_same_rows_as_reference(fdr_file: FdrFile) -> None:
    filtered, filtered_err = hunt(fdr_file)
    reference, reference_err = hunt(fdr_file, "--engine", "reference")
    unfiltered, unfiltered_err = run(fdr_file, UNFILTERED_CMSTP)
    unfiltered_reference, _ = run(fdr_file, UNFILTERED_CMSTP, "--engine", "reference")

    assert len(filtered) >= 5
    assert reference == filtered
    assert unfiltered == filtered
    assert unfiltered_reference == filtered
    assert summary(filtered_err)[1] == "duckdb"
    assert summary(reference_err)[1] == "reference"
    assert summary(unfiltered_err)[1] == "duckdb"


def test_prefilter_hits(fdr_file: FdrFile) -> None:
    rows, _ = hunt(fdr_file)
    found = {row["@timestamp"] for row in rows}
    expected = {
        fdr_file.time_of(name) for name, (_, line) in fdr_file.special.items() if line.logscale_hit
    }

    # The long-s line is left out here: test_long_s_is_not_cmstp covers it.
    assert found - {fdr_file.time_of("long-s")} == expected
    assert [row["@timestamp"] for row in rows] == sorted(found, reverse=True)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "cqlkit matches (?i) with Unicode simple case folding, which equates U+017F (long s) "
        "with s. LogScale's JitRex lowers each character with Character.toLowerCase, which "
        "leaves U+017F as it is, so /(?i)cmstp/ does not match cm\u017ftp there"
    ),
)
def test_long_s_is_not_cmstp(fdr_file: FdrFile) -> None:
    rows, _ = hunt(fdr_file)

    assert fdr_file.time_of("long-s") not in {row["@timestamp"] for row in rows}


def test_prefilter_skips_lines_before_parsing(fdr_file: FdrFile) -> None:
    """A skipped line is never parsed, so a broken line without the literal is not
    reported or counted as rejected. Without the prefilter, both broken lines are."""
    # The first line is parsed to detect the file's format, before any filtering.
    parsed_lines = 1 + len(fdr_file.special)

    _, filtered_err = hunt(fdr_file)
    _, unfiltered_err = run(fdr_file, UNFILTERED_CMSTP)

    filtered_counts, _ = summary(filtered_err)
    unfiltered_counts, _ = summary(unfiltered_err)
    assert rejected_lines(filtered_err) == [fdr_file.broken_with_literal_line]
    assert filtered_counts.startswith(f"{parsed_lines} events read, 1 rejected, ")
    assert rejected_lines(unfiltered_err) == [
        fdr_file.broken_with_literal_line,
        fdr_file.broken_without_literal_line,
    ]
    assert unfiltered_counts.startswith(f"{fdr_file.valid_lines} events read, 2 rejected, ")


def test_broken_line_reported_with_file(fdr_file: FdrFile) -> None:
    _, err = hunt(fdr_file)

    assert (
        f"warning: skipped unreadable record {fdr_file.path}:"
        f"line {fdr_file.broken_with_literal_line}: invalid JSON" in err
    )


# --- free text and --aidmaster ----------------------------------------------------------

FREE_TEXT_QUERY = "cmstp | select([@timestamp, ImageFileName, DomainName])"


@pytest.fixture(scope="module")
def aidmaster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("aidmaster") / "aid_master.csv"
    rows = [f"{aid},{CID},HOST{number}" for number, aid in enumerate(HOSTS)]
    path.write_text("aid,cid,ComputerName\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_free_text_prefilter_off_with_aidmaster(fdr_file: FdrFile, aidmaster: Path) -> None:
    """With --aidmaster, free text also searches ComputerName, which is not in the line,
    so the prefilter is off. The rows stay the same."""
    filtered, filtered_err = run(fdr_file, FREE_TEXT_QUERY)
    joined, joined_err = run(fdr_file, FREE_TEXT_QUERY, "--aidmaster", str(aidmaster))
    joined_reference, _ = run(
        fdr_file, FREE_TEXT_QUERY, "--aidmaster", str(aidmaster), "--engine", "reference"
    )
    reference, _ = run(fdr_file, FREE_TEXT_QUERY, "--engine", "reference")

    assert {row["@timestamp"] for row in filtered} >= {fdr_file.time_of("plain")}
    assert joined == filtered
    assert joined_reference == filtered
    assert reference == filtered
    assert rejected_lines(filtered_err) == [fdr_file.broken_with_literal_line]
    assert len(rejected_lines(joined_err)) == 2
