"""Conversion of JSON values to LogScale text and of times to epoch milliseconds."""

from __future__ import annotations

import pytest

from cqlkit.sources.values import (
    flatten_object,
    iso_to_epoch_ms,
    ms_to_seconds_text,
    scalar_text,
    seconds_text_to_ms,
    timestamp_to_epoch_ms,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("cmd.exe", "cmd.exe"),
        (4688, "4688"),
        (-9214364837600034816, "-9214364837600034816"),
        (True, "true"),
        (False, "false"),
        (None, "null"),
        (1.5, "1.5"),
        (0.1, "0.1"),
    ],
    ids=["str", "int", "negative", "true", "false", "null", "float", "tenth"],
)
def test_scalar_text(value: object, text: str) -> None:
    assert scalar_text(value) == text


def test_scalar_text_null_override() -> None:
    assert scalar_text(None, null_text="") == ""


def test_flatten_nested() -> None:
    event = flatten_object(
        {"a": {"b": {"c": 1}}, "tags": ["x", "y"], "list": [{"k": None}], "empty": {}, "none": []}
    )

    assert event == {"a.b.c": "1", "tags[0]": "x", "tags[1]": "y", "list[0].k": "null"}


@pytest.mark.parametrize(
    ("text", "epoch_ms"),
    [
        ("2020-10-22T05:54:23.975Z", 1603346063975),
        ("2020-10-22 05:54:23.975", 1603346063975),
        ("2020-10-22T07:54:23.975+02:00", 1603346063975),
        ("2019-05-11T17:28:17.176430Z", 1557595697176),
        ("2019-05-11T17:28:17.36393Z UTC", 1557595697363),
        ("2021-06-17T10:40:05.223045376Z", 1623926405223),
        ("1969-12-31T23:59:59.999Z", -1),
    ],
    ids=["zulu", "sysmon-utctime", "offset", "micros", "evtx-header", "nanos", "pre-epoch"],
)
def test_iso_to_epoch_ms(text: str, epoch_ms: int) -> None:
    assert iso_to_epoch_ms(text) == epoch_ms


def test_iso_invalid() -> None:
    with pytest.raises(ValueError):
        iso_to_epoch_ms("yesterday")


@pytest.mark.parametrize(
    ("value", "epoch_ms"),
    [
        (1603346063975, 1603346063975),
        (1603346063975.0, 1603346063975),
        ("1603346063975", 1603346063975),
    ],
    ids=["int", "float", "digits"],
)
def test_timestamp_numbers(value: object, epoch_ms: int) -> None:
    assert timestamp_to_epoch_ms(value) == epoch_ms


@pytest.mark.parametrize("value", [True, None, [1]], ids=["bool", "null", "list"])
def test_timestamp_invalid(value: object) -> None:
    with pytest.raises(ValueError):
        timestamp_to_epoch_ms(value)


def test_seconds_text_to_ms() -> None:
    assert seconds_text_to_ms("1625677502.233") == 1625677502233
    assert seconds_text_to_ms("1625677502.2") == 1625677502200
    assert seconds_text_to_ms("1625677502") == 1625677502000


def test_seconds_text_invalid() -> None:
    with pytest.raises(ValueError):
        seconds_text_to_ms("1.2.3")


def test_ms_to_seconds_text() -> None:
    assert ms_to_seconds_text(1603346063975) == "1603346063.975"
    assert ms_to_seconds_text(1603346063005) == "1603346063.005"
