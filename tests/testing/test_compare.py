"""The row comparison that explains fixture failures."""

from __future__ import annotations

import pytest

from cqlkit.testing.compare import diff_rows, quote

ROW_A = {"CommandLine": "cmstp.exe /s a.inf", "RiskScore": "2"}
ROW_B = {"CommandLine": "cmstp.exe /ni b.inf", "RiskScore": "1"}

DIFF_CASES = [
    pytest.param([ROW_A, ROW_B], [ROW_A, ROW_B], True, [], id="equal"),
    pytest.param([ROW_A, ROW_B], [ROW_B, ROW_A], False, [], id="unordered-equal"),
    pytest.param([], [], True, [], id="both-empty"),
    pytest.param(
        [ROW_A, ROW_B],
        [ROW_B, ROW_A],
        True,
        ["rows in a different order: got the expected rows in the order 2, 1"],
        id="order-differs",
    ),
    pytest.param(
        [ROW_A],
        [{**ROW_A, "RiskScore": "3"}],
        True,
        ["row 1 (CommandLine='cmstp.exe /s a.inf'): RiskScore: expected '2', got '3'"],
        id="field-differs",
    ),
    pytest.param(
        [ROW_A],
        [{"CommandLine": ROW_A["CommandLine"]}],
        True,
        ["row 1 (CommandLine='cmstp.exe /s a.inf'): RiskScore: expected '2', got (absent)"],
        id="field-absent",
    ),
    pytest.param(
        [ROW_A],
        [{**ROW_A, "UserName": "CORP\\bob"}],
        True,
        ["row 1 (CommandLine='cmstp.exe /s a.inf'): UserName: expected (absent), got 'CORP\\bob'"],
        id="field-unexpected",
    ),
    pytest.param(
        [ROW_A, ROW_B],
        [ROW_A],
        True,
        ["missing row 2: CommandLine='cmstp.exe /ni b.inf', RiskScore='1'"],
        id="row-missing",
    ),
    pytest.param(
        [ROW_A],
        [ROW_A, ROW_B],
        True,
        ["unexpected row 2: CommandLine='cmstp.exe /ni b.inf', RiskScore='1'"],
        id="row-unexpected",
    ),
    pytest.param(
        [ROW_A],
        [ROW_B],
        True,
        [
            "missing row 1: CommandLine='cmstp.exe /s a.inf', RiskScore='2'",
            "unexpected row 1: CommandLine='cmstp.exe /ni b.inf', RiskScore='1'",
        ],
        id="unrelated-rows-not-paired",
    ),
    pytest.param(
        [ROW_A, ROW_B],
        [{**ROW_B, "RiskScore": "5"}, ROW_A],
        False,
        ["row 2 (CommandLine='cmstp.exe /ni b.inf'): RiskScore: expected '1', got '5'"],
        id="pairs-with-closest-row",
    ),
    pytest.param(
        [{"x": "1", "y": "2"}],
        [{"x": "1", "y": "3"}],
        True,
        ["row 1 (no label field): y: expected '2', got '3'"],
        id="row-without-label-field",
    ),
]


@pytest.mark.parametrize(("expected", "actual", "ordered", "lines"), DIFF_CASES)
def test_diff_rows(
    expected: list[dict[str, str]], actual: list[dict[str, str]], ordered: bool, lines: list[str]
) -> None:
    assert diff_rows(expected, actual, ordered=ordered) == lines


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("C:\\Temp\\a.inf", "'C:\\Temp\\a.inf'"),
        ('cmstp.exe /s "x.inf"', "'cmstp.exe /s \"x.inf\"'"),
        ("it's", '"it\'s"'),
        ("a\tb", "'a\\tb'"),
        ("", "''"),
    ],
)
def test_quote(value: str, shown: str) -> None:
    assert quote(value) == shown
