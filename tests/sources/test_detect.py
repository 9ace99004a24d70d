"""Format detection from the field names of the first JSON record."""

from __future__ import annotations

import pytest

from cqlkit.sources.detect import detect_record_format

CASES = [
    ({"@timestamp": 1, "@rawstring": "x"}, "logscale"),
    ({"@timestamp": 1, "#repo": "base_sensor", "aid": "a"}, "logscale"),
    ({"event_simpleName": "ProcessRollup2", "aid": "a", "timestamp": "1"}, "fdr"),
    ({"event_simpleName": "DnsRequest", "timestamp": "1"}, "fdr"),
    ({"@timestamp": "t", "EventID": 1, "Channel": "Security"}, "winlogbeat"),
    ({"EventID": 4688, "Hostname": "WORKSTATION5"}, "winlogbeat"),
    ({"@timestamp": "t", "winlog": {"event_id": "1"}}, "winlogbeat"),
    ({"@timestamp": "t", "message": "hello"}, None),
    ({"event_simpleName": "ProcessRollup2"}, None),
    ({"winlog": "not an object"}, None),
]


@pytest.mark.parametrize(
    ("record", "expected"),
    CASES,
    ids=[
        "logscale-rawstring",
        "logscale-tag",
        "fdr-aid",
        "fdr-timestamp",
        "otrf-channel",
        "otrf-hostname",
        "winlogbeat-nested",
        "plain-json",
        "simple-name-only",
        "winlog-text",
    ],
)
def test_detect_record_format(record: dict[str, object], expected: str | None) -> None:
    assert detect_record_format(record) == expected
