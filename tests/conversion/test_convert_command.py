"""The ``cqlkit convert`` command, run in-process on the catalog and on hand-written rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cqlkit.cli.convert_command import TARGET_NAMES, convert
from cqlkit.conversion import TARGETS
from cqlkit.detections import find_detections

RULES = Path(__file__).parent / "rules"
CMSTP = "T1218.003-cmstp"

UNSCOPED_RULES = [
    pytest.param(
        "registry_set_cmstp_profile.yml",
        "Connection Manager Profile Registered Through cmmgr32.exe",
        r"TargetObject=/\\cmmgr32\.exe/i",
        id="registry_set",
    ),
    pytest.param(
        "file_event_inf_written.yml",
        "INF File Written By a Script Host",
        r"TargetFilename=/\.inf$/i and Image=/\\powershell\.exe$/i",
        id="file_event",
    ),
    pytest.param(
        "network_connection_cmstp.yml",
        "Network Connection Of cmstp.exe Without Initiated",
        r"ContextBaseFileName=/^cmstp\.exe$/i and !cidr(RemoteAddressIP4, subnet=10.0.0.0/8)",
        id="network_connection-without-initiated",
    ),
]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(convert, list(args))
    return result.exit_code, result.stdout, result.stderr


def golden(target: str) -> str:
    (detection,) = find_detections([CMSTP])
    return (detection.path / "conversions" / f"{target}.txt").read_text(encoding="utf-8")


def test_target_names_match_registry() -> None:
    assert list(TARGET_NAMES) == list(TARGETS)


@pytest.mark.parametrize("target", TARGET_NAMES)
def test_convert_writes_golden_text(target: str) -> None:
    status, out, err = invoke(CMSTP, "--to", target)
    assert status == 0, err
    assert out == golden(target)


def test_convert_sigma_prints_rule_file() -> None:
    (detection,) = find_detections([CMSTP])
    assert detection.sigma_path is not None
    status, out, _ = invoke(CMSTP, "--to", "sigma")
    assert status == 0
    assert out == detection.sigma_path.read_text(encoding="utf-8")


def test_convert_accepts_folder_and_file() -> None:
    (detection,) = find_detections([CMSTP])
    assert detection.sigma_path is not None
    by_folder = invoke(str(detection.path), "--to", "splunk")
    by_file = invoke(str(detection.sigma_path), "--to", "splunk")
    assert by_folder == by_file
    assert by_folder[0] == 0


def test_convert_output_file(tmp_path: Path) -> None:
    target = tmp_path / "query.cql"
    status, out, _ = invoke(CMSTP, "--to", "logscale", "--output", str(target))
    assert status == 0
    assert out == ""
    assert target.read_text(encoding="utf-8") == golden("logscale")


def test_scoped_logscale_conversion_passes() -> None:
    status, out, err = invoke(CMSTP, "--to", "logscale")
    assert status == 0
    assert out.startswith("event_platform=/^Win$/i #event_simpleName=/^ProcessRollup2$/i or")
    assert err == ""


@pytest.mark.parametrize(("file_name", "title", "path"), UNSCOPED_RULES)
def test_unscoped_logscale_conversion_fails(
    tmp_path: Path, file_name: str, title: str, path: str
) -> None:
    target = tmp_path / "query.cql"
    status, out, err = invoke(str(RULES / file_name), "--to", "logscale", "-o", str(target))
    assert status == 1
    assert out == ""
    assert not target.exists()
    assert err.startswith("error[logscale-check]: Sigma rule ")
    assert title in err
    assert "not scoped to a Falcon event type" in err
    assert path in err
    assert "hint: LogScale would search every Falcon event type" in err


@pytest.mark.parametrize(("file_name", "title", "path"), UNSCOPED_RULES)
def test_unscoped_rules_convert_for_other_targets(file_name: str, title: str, path: str) -> None:
    status, out, err = invoke(str(RULES / file_name), "--to", "splunk")
    assert status == 0, err
    assert out


def test_unknown_detection_fails() -> None:
    status, _, err = invoke("T0000-none", "--to", "splunk")
    assert status == 3
    assert "unknown detection id: T0000-none" in err


def test_missing_rule_file_fails(tmp_path: Path) -> None:
    status, _, err = invoke(str(tmp_path / "absent.yml"), "--to", "splunk")
    assert status == 3
    assert "absent.yml not found" in err


def test_invalid_rule_fails(tmp_path: Path) -> None:
    rule = tmp_path / "bad.yml"
    rule.write_text("title: no detection\nlogsource: {category: process_creation}\n")
    status, _, err = invoke(str(rule), "--to", "splunk")
    assert status == 3
    assert err.startswith("error[conversion]: invalid Sigma rule file")


def test_unsupported_field_fails() -> None:
    status, _, err = invoke(
        str(RULES / "process_creation_parent_command_line.yml"), "--to", "logscale"
    )
    assert status == 3
    assert "cannot convert Sigma rule" in err
    assert "ParentCommandLine" in err


def test_unknown_target_is_usage_error() -> None:
    status, _, err = invoke(CMSTP, "--to", "kql")
    assert status == 2
    assert "'kql' is not one of" in err
