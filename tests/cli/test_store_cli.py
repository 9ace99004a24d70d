"""``cqlkit ingest`` and queries of a store with ``--store``, ``--start`` and ``--end``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_helpers import DATA, invoke, invoke_cached, ndjson_rows, summary

# Every bundled recording. data/README.md describes them and is not an input.
DATA_FILES = sorted(path for path in DATA.rglob("*") if path.is_file() and path.name != "README.md")

# `cqlkit hunt data/` finds four CMSTP executions, newest first.
OTRF_SYSMON_MS = "1603346063975"  # 2020-10-22, Sysmon event 1
OTRF_SECURITY_MS = "1603331663975"  # 2020-10-22, Security event 4688 of the same start
EDR_SCRIPT_MS = "1564436065519"  # 2019-07-29T21:34:25.519Z
WINPWNAGE_MS = "1557595699442"  # 2019-05-11T17:28:19.442Z
ALL_CMSTP_TIMES = [OTRF_SYSMON_MS, OTRF_SECURITY_MS, EDR_SCRIPT_MS, WINPWNAGE_MS]

PARENT_QUERY = "#event_simpleName=ProcessRollup2 | groupBy(ParentBaseFileName) | sort(limit=5)"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store of the bundled data, and the standard error of the ingest that wrote it."""
    folder = tmp_path_factory.mktemp("cli_store") / "store"
    status, _, err = invoke("ingest", str(DATA), "--store", str(folder))
    assert status == 0, err
    return folder, err


def hunt_store(folder: Path, *options: str) -> tuple[list[dict[str, str]], str, str]:
    status, out, err = invoke("hunt", "--store", str(folder), "--format", "ndjson", *options)
    assert status == 0, err
    counts, engine = summary(err)
    return ndjson_rows(out), counts, engine


# --- ingest ------------------------------------------------------------------------------


def test_ingest_summary_counts(store: tuple[Path, str]) -> None:
    folder, err = store
    last_line = err.rstrip("\n").rsplit("\n", 1)[-1]

    assert re.fullmatch(
        rf"109920 events from 8 new files added to {re.escape(str(folder))} "
        r"in 30 part files, 0 rejected, [0-9.]+ s",
        last_line,
    ), err
    assert "skipped" not in err
    assert len(DATA_FILES) == 8


def test_ingest_again_adds_nothing(store: tuple[Path, str]) -> None:
    folder, _ = store

    status, _, err = invoke("ingest", str(DATA), "--store", str(folder))

    assert status == 0, err
    skipped = re.findall(r"^skipped (.+): already in the store as .+$", err, flags=re.MULTILINE)
    assert sorted(skipped) == [str(path) for path in DATA_FILES]
    assert f"0 events from 0 new files added to {folder} in 0 part files, 0 rejected" in err


# --- hunt and run on a store -------------------------------------------------------------


def test_hunt_store_matches_files(store: tuple[Path, str]) -> None:
    folder, _ = store
    _, files_out, files_err = invoke_cached("hunt", str(DATA), "--format", "ndjson")

    rows, counts, engine = hunt_store(folder)

    assert rows == ndjson_rows(files_out)
    assert [row["RiskScore"] for row in rows] == ["4", "4", "5", "2"]
    assert [row["@timestamp"] for row in rows] == ALL_CMSTP_TIMES
    assert counts == "10 of 30 part files read, 4 rows"
    assert engine == "duckdb"
    assert summary(files_err) == ("109920 events read, 0 rejected, 4 rows", "duckdb")


TIME_RANGES = [
    pytest.param(
        ["--start", "1000w"],
        ALL_CMSTP_TIMES,
        "10 of 30 part files read, 4 rows",
        id="relative-1000-weeks",
    ),
    pytest.param(["--start", "1d"], [], "0 of 30 part files read, 0 rows", id="relative-1-day"),
    pytest.param(["--start", "now"], [], "0 of 30 part files read, 0 rows", id="now"),
    pytest.param(
        ["--start", "2020-01-01"],
        [OTRF_SYSMON_MS, OTRF_SECURITY_MS],
        "7 of 30 part files read, 2 rows",
        id="iso-date-start",
    ),
    pytest.param(
        ["--end", "2019-06-01"], [WINPWNAGE_MS], "1 of 30 part files read, 1 row", id="iso-date-end"
    ),
    pytest.param(
        ["--start", "2019-07-29T21:34:25.519Z", "--end", "2019-07-29T21:34:25.520Z"],
        [EDR_SCRIPT_MS],
        "1 of 30 part files read, 1 row",
        id="iso-time-utc",
    ),
    pytest.param(
        ["--start", "2019-07-29T23:34:25.519+02:00", "--end", "2019-07-29T21:34:25.520"],
        [EDR_SCRIPT_MS],
        "1 of 30 part files read, 1 row",
        id="iso-time-offset-and-naive-utc",
    ),
    pytest.param(
        ["--start", WINPWNAGE_MS, "--end", str(int(WINPWNAGE_MS) + 1)],
        [WINPWNAGE_MS],
        "1 of 30 part files read, 1 row",
        id="epoch-ms-start-inclusive",
    ),
    pytest.param(
        ["--start", str(int(WINPWNAGE_MS) - 1000), "--end", WINPWNAGE_MS],
        [],
        "1 of 30 part files read, 0 rows",
        id="epoch-ms-end-exclusive",
    ),
]


@pytest.mark.parametrize(("options", "times", "expected_counts"), TIME_RANGES)
def test_hunt_store_time_range(
    store: tuple[Path, str], options: list[str], times: list[str], expected_counts: str
) -> None:
    folder, _ = store

    rows, counts, _ = hunt_store(folder, *options)

    assert [row["@timestamp"] for row in rows] == times
    assert counts == expected_counts


def test_run_aggregate_store_matches_files(store: tuple[Path, str]) -> None:
    folder, _ = store
    files = {
        engine: invoke_cached(
            "run", PARENT_QUERY, str(DATA), "--engine", engine, "--format", "ndjson"
        )
        for engine in ("reference", "duckdb")
    }

    status, out, err = invoke("run", PARENT_QUERY, "--store", str(folder), "--format", "ndjson")

    assert status == 0, err
    assert [(row["ParentBaseFileName"], row["_count"]) for row in ndjson_rows(out)] == [
        ("cmd.exe", "835"),
        ("cscript.exe", "197"),
        ("services.exe", "187"),
        ("powershell.exe", "162"),
        ("svchost.exe", "89"),
    ]
    assert summary(err) == ("10 of 30 part files read, 5 rows", "duckdb")
    for engine, (files_status, files_out, files_err) in files.items():
        assert files_status == 0, files_err
        assert ndjson_rows(files_out) == ndjson_rows(out), engine
        assert summary(files_err) == ("109920 events read, 0 rejected, 5 rows", engine)


# --- invalid command lines and stores ----------------------------------------------------


@pytest.mark.parametrize("option", ["--start", "--end"])
def test_invalid_time_names_accepted_forms(store: tuple[Path, str], option: str) -> None:
    folder, _ = store

    status, out, err = invoke("hunt", "--store", str(folder), option, "yesterdayish")

    assert status == 2
    assert out == ""
    assert f"Invalid value for {option}: invalid time 'yesterdayish'" in err
    for form in ("relative time such as 7d", "ISO 8601", "epoch milliseconds", "'now'"):
        assert form in err


USAGE_ERRORS = [
    pytest.param(
        ["hunt", str(DATA)], "give either input paths or --store, not both", id="paths-and-store"
    ),
    pytest.param(
        ["run", "count()", str(DATA)],
        "give either input paths or --store, not both",
        id="run-paths-and-store",
    ),
    pytest.param(
        ["hunt", "--engine", "reference"],
        "--store runs on the duckdb engine; drop --engine reference",
        id="store-on-reference-engine",
    ),
]


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS)
def test_store_usage_errors(store: tuple[Path, str], args: list[str], message: str) -> None:
    folder, _ = store

    status, out, err = invoke(*args, "--store", str(folder))

    assert status == 2
    assert out == ""
    assert f"Error: {message}" in err


@pytest.mark.parametrize("option", ["--start", "--end"])
def test_time_range_without_store(option: str) -> None:
    status, out, err = invoke("hunt", str(DATA), option, "2020-01-01")

    assert status == 2
    assert out == ""
    assert "Error: --start and --end select events of a store; use them with --store" in err


@pytest.mark.parametrize("create_folder", [True, False], ids=["empty-folder", "no-folder"])
def test_store_without_manifest(tmp_path: Path, create_folder: bool) -> None:
    folder = tmp_path / "store"
    if create_folder:
        folder.mkdir()

    status, out, err = invoke("hunt", "--store", str(folder))

    assert status == 4
    assert out == ""
    assert err.startswith(
        f"error[input]: no store at {folder}: {folder / 'manifest.json'} not found"
    )


CORRUPT_MANIFESTS = [
    pytest.param("{broken", "invalid JSON at line 1, column 2", id="invalid-json"),
    pytest.param("[]", "the document must be a JSON object", id="not-an-object"),
    pytest.param("{}", "the key 'format' is missing or not 'cqlkit-store'", id="no-format-key"),
]


@pytest.mark.parametrize(("text", "problem"), CORRUPT_MANIFESTS)
def test_store_corrupt_manifest(tmp_path: Path, text: str, problem: str) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(text, encoding="utf-8")

    status, out, err = invoke("run", "count()", "--store", str(tmp_path))

    assert status == 4
    assert out == ""
    assert err.startswith(f"error[input]: invalid store manifest {manifest}: {problem}")
