"""Comparison of expected and actual result rows, described line by line for a person.

>>> expected = [{"CommandLine": "cmstp.exe /s a.inf", "RiskScore": "2"}]
>>> diff_rows(expected, [{"CommandLine": "cmstp.exe /s a.inf", "RiskScore": "3"}], ordered=True)
["row 1 (CommandLine='cmstp.exe /s a.inf'): RiskScore: expected '2', got '3'"]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

Row = Mapping[str, str]

# Fields that name a row in messages, in order of preference: the first one present is used.
LABEL_FIELDS = ("CommandLine", "FileName", "ImageFileName", "@timestamp")

ABSENT = "(absent)"


def diff_rows(expected: Sequence[Row], actual: Sequence[Row], *, ordered: bool) -> list[str]:
    """Describe how ``actual`` differs from ``expected``; return no lines when they agree.

    With ``ordered``, the rows must also come in the same order. Rows that differ are
    paired with the most similar row of the other side and their differing fields are
    listed. Rows without a partner are listed whole as missing or unexpected.
    """
    if _same_rows(expected, actual, ordered=ordered):
        return []
    unmatched_expected = list(range(len(expected)))
    unmatched_actual = list(range(len(actual)))
    for index in list(unmatched_expected):
        partner = next(
            (j for j in unmatched_actual if dict(actual[j]) == dict(expected[index])), None
        )
        if partner is not None:
            unmatched_expected.remove(index)
            unmatched_actual.remove(partner)

    if not unmatched_expected and not unmatched_actual:
        return [_order_message(expected, actual)]

    lines: list[str] = []
    for index in unmatched_expected:
        partner = _closest(expected[index], [(j, actual[j]) for j in unmatched_actual])
        if partner is None:
            lines.append(f"missing row {index + 1}: {_show_row(expected[index])}")
            continue
        unmatched_actual.remove(partner)
        label = _label(expected[index])
        for field_line in _field_differences(expected[index], actual[partner]):
            lines.append(f"row {index + 1} ({label}): {field_line}")
    for j in unmatched_actual:
        lines.append(f"unexpected row {j + 1}: {_show_row(actual[j])}")
    return lines


def _same_rows(expected: Sequence[Row], actual: Sequence[Row], *, ordered: bool) -> bool:
    if ordered:
        return [dict(row) for row in expected] == [dict(row) for row in actual]
    return Counter(_key(row) for row in expected) == Counter(_key(row) for row in actual)


def _key(row: Row) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(row.items()))


def _order_message(expected: Sequence[Row], actual: Sequence[Row]) -> str:
    """Describe rows that are all present but out of order, by their expected positions."""
    remaining = list(range(len(expected)))
    positions = []
    for row in actual:
        index = next(i for i in remaining if dict(expected[i]) == dict(row))
        remaining.remove(index)
        positions.append(str(index + 1))
    return f"rows in a different order: got the expected rows in the order {', '.join(positions)}"


def _closest(row: Row, candidates: Sequence[tuple[int, Row]]) -> int | None:
    """Return the index of the candidate that agrees with ``row`` on most fields.

    A candidate qualifies only when it agrees on at least half of the fields that either
    row has, so that unrelated rows are reported as missing and unexpected instead.
    """
    best: tuple[int, int] | None = None
    for index, candidate in candidates:
        names = set(row) | set(candidate)
        agreeing = sum(1 for name in names if row.get(name) == candidate.get(name))
        if 2 * agreeing < len(names):
            continue
        if best is None or agreeing > best[1]:
            best = (index, agreeing)
    return None if best is None else best[0]


def _field_differences(expected: Row, actual: Row) -> list[str]:
    lines = []
    for name in [*expected, *(name for name in actual if name not in expected)]:
        want, got = expected.get(name), actual.get(name)
        if want == got:
            continue
        lines.append(f"{name}: expected {_show_value(want)}, got {_show_value(got)}")
    return lines


def _label(row: Row) -> str:
    name = next((name for name in LABEL_FIELDS if name in row), None)
    if name is None:
        return "no label field"
    return f"{name}={quote(row[name])}"


def _show_row(row: Row) -> str:
    return ", ".join(f"{name}={quote(value)}" for name, value in row.items()) or "(no fields)"


def _show_value(value: str | None) -> str:
    return ABSENT if value is None else quote(value)


def quote(value: str) -> str:
    r"""Quote a field value for a message, keeping Windows paths readable.

    The value goes between single quotes as it is, so ``C:\Temp`` keeps one backslash.
    A value with a single quote or a control character is written as a Python literal.

    >>> quote("C:\Temp")
    "'C:\\Temp'"
    >>> quote("it's")
    '"it\'s"'
    """
    if "'" in value or not value.isprintable():
        return repr(value)
    return f"'{value}'"
