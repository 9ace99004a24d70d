"""Detection tests: run each detection's fixtures on every engine and report coverage."""

from __future__ import annotations

from cqlkit.testing.compare import diff_rows
from cqlkit.testing.engines import ENGINE_NAMES
from cqlkit.testing.runner import Case, CaseResult, FixtureRun, run_fixture_tests

__all__ = ["ENGINE_NAMES", "Case", "CaseResult", "FixtureRun", "diff_rows", "run_fixture_tests"]
