"""Fixtures shared by the tests of the fixture runner, the report and the test command."""

from __future__ import annotations

import pytest

from cqlkit.detections import Detection, find_detections
from cqlkit.testing import FixtureRun, run_fixture_tests


@pytest.fixture(scope="session")
def cmstp() -> Detection:
    """Return the bundled CMSTP detection."""
    (detection,) = find_detections(["T1218.003-cmstp"])
    return detection


@pytest.fixture(scope="session")
def cmstp_run(cmstp: Detection) -> FixtureRun:
    """Run every CMSTP fixture on both engines once per session; it takes a few seconds."""
    return run_fixture_tests([cmstp])
