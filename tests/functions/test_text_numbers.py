"""Tests of round(), parseInt(), unit:convert(), formatDuration() and
bitfield:extractFlags() on both engines.

Every query runs on the reference engine and on DuckDB (``run`` fails when
their rows differ); ``sql_only=True`` also fails when DuckDB sent a stage
back to the reference engine. Documented examples name their LogScale page.
"""

from __future__ import annotations

import pytest
from tests.functions.sql_outputs import case_output

from helpers import column, diagnostic_codes, make_events, run

# --- round() ----------------------------------------------------------------------------


ROUND_CASES = [
    # functions-round.html, "Basic Rounding": 3.2 and 3.7.
    pytest.param("round(v)", "3.2", "3", id="doc-basic-down"),
    pytest.param("round(v)", "3.7", "4", id="doc-basic-up"),
    # functions-round.html, "Rounding Within a Timechart": floor of 10.8, 15.3, 20.7.
    pytest.param("round(v, how=floor)", "10.8", "10", id="doc-floor-10.8"),
    pytest.param("round(v, how=floor)", "15.3", "15", id="doc-floor-15.3"),
    pytest.param("round(v, how=floor)", "20.7", "20", id="doc-floor-20.7"),
    pytest.param("round(v)", "2.5", "3", id="half-rounds-up"),
    pytest.param("round(v)", "-2.5", "-2", id="negative-half-rounds-up"),
    pytest.param("round(v)", "-2.6", "-3", id="negative-rounds-down"),
    pytest.param("round(v)", "0.49999999999999994", "0", id="largest-double-below-half"),
    pytest.param("round(v, how=ceil)", "1.01", "2", id="ceil"),
    pytest.param("round(v, how=ceil)", "-0.5", "0", id="ceil-to-negative-zero"),
    pytest.param("round(v, how=floor)", "-0.5", "-1", id="floor-negative"),
    pytest.param("round(v)", "7", "7", id="integer-unchanged"),
    pytest.param("round(v)", "1e3", "1000", id="exponent"),
    pytest.param("round(v)", "abc", "abc", id="text-left-as-is"),
    pytest.param("round(v)", "", "", id="empty-left-as-is"),
]


@pytest.mark.parametrize(("query", "value", "expected"), ROUND_CASES)
def test_round(query: str, value: str, expected: str) -> None:
    assert case_output(ROUND_CASES, query, value) == expected


def test_round_as_writes_other_field() -> None:
    (row,) = run("round(v, as=r)", make_events({"v": "1.5"}), sql_only=True)
    assert row["v"] == "1.5"
    assert row["r"] == "2"


def test_round_missing_field_sets_nothing() -> None:
    (row,) = run("round(v, as=r)", make_events({"w": "1.5"}), sql_only=True)
    assert "r" not in row


def test_round_in_expressions() -> None:
    query = "x := round(v) | y := round(v, how=ceil) * 10 | eval(z = round(v) + 1)"
    (row,) = run(query, make_events({"v": "3.2"}), sql_only=True)
    assert (row["x"], row["y"], row["z"]) == ("3", "40", "4")


def test_round_rejects_unknown_method() -> None:
    assert diagnostic_codes("round(v, how=up)") == ["invalid-argument"]


# --- parseInt() ---------------------------------------------------------------------------


PARSE_INT_CASES = [
    # functions-parseint.html: 8001 little endian is (1*256)+128 = 384,
    # big endian (128*256)+1 = 32769, and binary 00011001 is 16+8+1 = 25.
    pytest.param('parseInt(v, radix="16", endian="little")', "8001", "384", id="doc-little"),
    pytest.param('parseInt(v, radix="16", endian="big")', "8001", "32769", id="doc-big"),
    pytest.param('parseInt(v, radix="2")', "00011001", "25", id="doc-binary"),
    # functions-parseint.html: FF is 255 in radix 16, and 77 is 63 in radix 8.
    pytest.param("parseInt(v)", "FF", "255", id="doc-hex-default"),
    pytest.param("parseInt(v, radix=8)", "77", "63", id="doc-octal"),
    pytest.param("parseInt(v)", "0xff", "255", id="hex-prefix"),
    pytest.param("parseInt(v)", "16#10", "16", id="hash-prefix"),
    pytest.param("parseInt(v, radix=36)", "0xz", "1223", id="no-prefix-in-radix-36"),
    pytest.param("parseInt(v, radix=10)", "+42", "42", id="plus-sign"),
    pytest.param("parseInt(v, radix=10)", "-42", "-42", id="minus-rejected"),
    pytest.param("parseInt(v, endian=little)", "801", "264", id="odd-digits-padded"),
    pytest.param("parseInt(v)", "ffffffffffffffff", "18446744073709551615", id="max-unsigned"),
    pytest.param("parseInt(v)", "10000000000000000", "10000000000000000", id="overflow-rejected"),
    pytest.param("parseInt(v)", "000000000000000000000001", "1", id="leading-zeros"),
    pytest.param("parseInt(v, radix=2)", "102", "102", id="digit-outside-radix"),
    pytest.param("parseInt(v)", "", "", id="empty-rejected"),
    pytest.param("parseInt(v)", " 1", " 1", id="space-rejected"),
]


@pytest.mark.parametrize(("query", "value", "expected"), PARSE_INT_CASES)
def test_parse_int(query: str, value: str, expected: str) -> None:
    assert case_output(PARSE_INT_CASES, query, value) == expected


def test_parse_int_doc_output_field() -> None:
    # functions-parseint.html writes the result to as="centigrades".
    query = 'parseInt(hexval, as="centigrades", radix="16", endian="little")'
    (row,) = run(query, make_events({"hexval": "8001"}), sql_only=True)
    assert row["centigrades"] == "384"
    assert row["hexval"] == "8001"


def test_parse_int_value_in_expression() -> None:
    (row,) = run("x := parseInt(v) + 1", make_events({"v": "a"}), sql_only=True)
    assert row["x"] == "11"


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("parseInt(v, radix=1)", id="radix-too-small"),
        pytest.param("parseInt(v, radix=37)", id="radix-too-large"),
        pytest.param("parseInt(v, radix=2.5)", id="radix-not-integer"),
        pytest.param("parseInt(v, endian=middle)", id="bad-endian"),
    ],
)
def test_parse_int_rejects_bad_arguments(query: str) -> None:
    codes = diagnostic_codes(query)
    assert codes
    assert set(codes) <= {"invalid-argument", "argument-out-of-range"}


# --- unit:convert() ------------------------------------------------------------------------


UNIT_CASES = [
    # functions-unit-convert.html, syntax examples.
    pytest.param("unit:convert(v)", "5 MB", "5000000", id="doc-megabytes"),
    pytest.param("unit:convert(v)", "5 MiB", "5242880", id="doc-mebibytes"),
    pytest.param("unit:convert(v, binary=true)", "5 MB", "5242880", id="doc-binary"),
    pytest.param("unit:convert(v)", "514 us", "0.000514", id="doc-microseconds"),
    pytest.param('unit:convert(v, from="k")', "234.567", "234567", id="doc-from"),
    pytest.param('unit:convert(v, unit="hits")', "120 hits/min", "2", id="doc-rate-unit"),
    pytest.param('unit:convert(v, to="M")', "19886168", "19.886168", id="doc-to"),
    pytest.param("unit:convert(v)", "514 ms", "0.514", id="doc-intro-ms"),
    pytest.param("unit:convert(v)", "120 hits/min", "200", id="h-read-as-hecto"),
    pytest.param("unit:convert(v)", "4KiB", "4096", id="no-space"),
    pytest.param("unit:convert(v)", "2.5 kB/s", "2500", id="per-second"),
    pytest.param("unit:convert(v)", "1 GB/week", "1653.4391534391534", id="per-week"),
    pytest.param("unit:convert(v)", "5 dam", "50", id="deca-before-deci"),
    pytest.param("unit:convert(v)", "3 µs", "3e-06", id="micro-sign"),
    pytest.param("unit:convert(v)", "7", "7", id="unitless"),
    pytest.param("unit:convert(v)", "  8 B ", "8", id="spaces-trimmed"),
    pytest.param('unit:convert(v, unit="B")', "5 xB", "5 xB", id="unknown-prefix-with-unit"),
    pytest.param('unit:convert(v, unit="B")', "5 MBit", "5 MBit", id="wrong-unit"),
    pytest.param("unit:convert(v)", "MB", "MB", id="no-number"),
    pytest.param("unit:convert(v, keepUnit=true)", "5 MB", "5000000B", id="keep-unit"),
    pytest.param(
        'unit:convert(v, keepUnit=true, unit="hits")', "150hits/min", "2.5hits/s", id="keep-rate"
    ),
    pytest.param(
        'unit:convert(v, from="B", to="k", keepUnit=true, binary=true)',
        "2048",
        "2kB",
        id="keep-unit-to",
    ),
]


@pytest.mark.parametrize(("query", "value", "expected"), UNIT_CASES)
def test_unit_convert(query: str, value: str, expected: str) -> None:
    assert case_output(UNIT_CASES, query, value) == expected


def test_unit_convert_doc_rates() -> None:
    # functions-unit-convert.html, "Convert Rate Values". The documented output
    # shows 1.33 for 80hits/min, rounded for display.
    events = make_events(
        {"rate": "150hits/min"},
        {"rate": "25hits/s"},
        {"rate": "3600hits/h"},
        {"rate": "80hits/min"},
        {"rate": "40hits/s"},
    )
    rows = run('unit:convert(rate, as="rate", unit="hits")', events, sql_only=True)
    rates = [float(value) for value in reversed(column(rows, "rate")) if value is not None]
    assert rates[:3] == [2.5, 25, 1]
    assert rates[3] == pytest.approx(1.33, abs=0.01)
    assert rates[4] == 40


def test_unit_convert_doc_file_sizes() -> None:
    # functions-unit-convert.html, "Convert Values Between Units". The
    # documented sizes (1.0, 2.0, 5.0 MB for 1048576, 2097152, 5242880 bytes)
    # are binary megabytes, but the parameters say M is 1000-based unless
    # binary=true, which this follows.
    events = make_events(
        {"file_size": "1048576", "transfer_time": "3500"},
        {"file_size": "2097152", "transfer_time": "4200"},
        {"file_size": "5242880", "transfer_time": "12000"},
    )
    query = (
        'unit:convert(field=file_size, from="B", to="MB")'
        ' | unit:convert(field=transfer_time, from="ms", to="s")'
        " | table([file_size, transfer_time])"
    )
    rows = run(query, events, sql_only=True)
    assert sorted(column(rows, "transfer_time")) == ["12", "3.5", "4.2"]
    assert sorted(column(rows, "file_size")) == ["1.048576", "2.097152", "5.24288"]
    binary = query.replace('to="MB"', 'to="MB", binary=true')
    assert sorted(column(run(binary, events, sql_only=True), "file_size")) == ["1", "2", "5"]


def test_unit_convert_to_other_unit_with_unit_rejected() -> None:
    (row,) = run('unit:convert(v, unit="B", to="Mx")', make_events({"v": "5 MB"}), sql_only=True)
    assert row["v"] == "5 MB"


# --- formatDuration() -------------------------------------------------------------------


DURATION_CASES = [
    # functions-formatduration.html: 23452553 ms, and precision=3 and 2.
    pytest.param("formatDuration(v)", "23452553", "6h30m52s553ms", id="doc-default"),
    pytest.param("formatDuration(v, precision=3)", "23452553", "6h30m52s", id="doc-precision-3"),
    pytest.param("formatDuration(v, precision=2)", "23452553", "6h30m", id="doc-precision-2"),
    pytest.param("formatDuration(v)", "90061001", "1d1h1m1s1ms", id="days"),
    pytest.param("formatDuration(v)", "3600000", "1h", id="zero-units-left-out"),
    pytest.param("formatDuration(v, precision=2)", "3600005", "1h5ms", id="precision-skips-zeros"),
    pytest.param("formatDuration(v)", "0", "0ms", id="zero"),
    pytest.param("formatDuration(v, from=s)", "0", "0s", id="zero-seconds"),
    pytest.param("formatDuration(v)", "-1500", "-1s500ms", id="negative"),
    pytest.param("formatDuration(v, from=ns)", "1000001", "1ms1ns", id="nanoseconds"),
    pytest.param("formatDuration(v, from=us)", "+1500", "1ms500us", id="plus-sign"),
    pytest.param("formatDuration(v, from=d)", "400", "400d", id="from-days"),
    pytest.param(
        "formatDuration(v)", "9223372036854775807", "106751991167d7h12m55s807ms", id="max-long"
    ),
    pytest.param("formatDuration(v)", "9223372036854775808", "9223372036854775808", id="overflow"),
    pytest.param("formatDuration(v)", "1.5", "1.5", id="float-not-converted"),
    pytest.param("formatDuration(v)", "x", "x", id="text-not-converted"),
]


@pytest.mark.parametrize(("query", "value", "expected"), DURATION_CASES)
def test_format_duration(query: str, value: str, expected: str) -> None:
    assert case_output(DURATION_CASES, query, value) == expected


def test_format_duration_in_eval() -> None:
    # functions-formatduration.html combines it with eval().
    query = (
        "formatDuration(processingTime, precision=3) | eval(formatted = formatDuration(duration))"
    )
    fields = {"processingTime": "61001", "duration": "1500"}
    (row,) = run(query, make_events(fields), sql_only=True)
    assert row["processingTime"] == "1m1s1ms"
    assert row["formatted"] == "1s500ms"


# --- bitfield:extractFlags() --------------------------------------------------------------


MEMORY_FLAGS = """bitfield:extractFlags(field="MemoryDescriptionFlags", onlyTrue=true, output=[
    [0,INVALID_ADDRESS], [1,CURRENT_STACK], [2,JIT_DOTNET], [3,MZ], [4,CODE], [5,MODULE],
    [6,MAPPED], [7,REFLECIVE_PE], [8,JIT_FLASH], [9,PRIMARY_MODULE], [10,PRIVATE_MEMORY],
    [11,KNOWN_FUNCTION], [12,FREE_MEMORY]])"""


def test_extract_flags_doc_memory_flags() -> None:
    # functions-bitfield-extractflags.html, "Decode and Extract Bit Flags": 1234
    # is 10011010010. The documented table also lists the false flags, but
    # onlyTrue=true is documented to leave them out, which this follows.
    (row,) = run(MEMORY_FLAGS, make_events({"MemoryDescriptionFlags": "1234"}), sql_only=True)
    flags = {name: value for name, value in row.items() if name.isupper()}
    assert flags == {
        "CURRENT_STACK": "true",
        "CODE": "true",
        "MAPPED": "true",
        "REFLECIVE_PE": "true",
        "PRIVATE_MEMORY": "true",
    }


def test_extract_flags_doc_error_and_warning() -> None:
    # functions-bitfield-extractflags.html: flags=4 sets bit 2 only.
    query = "bitfield:extractFlags(field=flags, output=[[1, ErrorFlag], [2, WarningFlag]])"
    (row,) = run(query, make_events({"flags": "4"}), sql_only=True)
    assert row["ErrorFlag"] == "false"
    assert row["WarningFlag"] == "true"


EXTRACT_CASES = [
    pytest.param("-1", ("true", "true"), id="negative-is-twos-complement"),
    pytest.param("9223372036854775808", ("false", "true"), id="bit-63"),
    pytest.param("18446744073709551617", ("true", "false"), id="above-64-bits-wraps"),
    pytest.param("+1", ("true", "false"), id="plus-sign"),
]


@pytest.mark.parametrize(("value", "expected"), EXTRACT_CASES)
def test_extract_flags_bits(value: str, expected: tuple[str, str]) -> None:
    query = "bitfield:extractFlags(field=v, output=[[0, low], [63, high]])"
    (row,) = run(query, make_events({"v": value}), sql_only=True)
    assert (row["low"], row["high"]) == expected


def test_extract_flags_not_integer_sets_nothing() -> None:
    query = "bitfield:extractFlags(field=v, output=[[0, low]])"
    rows = run(query, make_events({"v": "1.0"}, {"w": "1"}, {"v": "0x1"}), sql_only=True)
    assert column(rows, "low") == [None, None, None]


def test_extract_flags_only_true_keeps_existing_field() -> None:
    query = "bitfield:extractFlags(field=v, onlyTrue=true, output=[[0, low]])"
    (row,) = run(query, make_events({"v": "2", "low": "before"}), sql_only=True)
    assert row["low"] == "before"


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("bitfield:extractFlags(field=v, output=[[64, f]])", id="index-too-large"),
        pytest.param("bitfield:extractFlags(field=v, output=[[x, f]])", id="index-not-number"),
        pytest.param("bitfield:extractFlags(field=v, output=f)", id="not-pairs"),
        pytest.param("bitfield:extractFlags(field=v)", id="missing-output"),
    ],
)
def test_extract_flags_rejects_bad_output(query: str) -> None:
    codes = diagnostic_codes(query)
    assert codes
    assert set(codes) <= {"invalid-argument", "missing-argument"}
