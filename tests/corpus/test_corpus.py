"""The hunting corpus: the share of queries that pass check and run on both engines.

Targets: at least 97% pass ``check`` and at least 90% run to completion on a
realistic FDR sample. Every query that runs must give the same rows on both
engines.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from tests.corpus.measure import Outcome, corpus_resources, measure, sample_events, summary


@functools.cache
def _outcomes(folder: str) -> tuple[Outcome, ...]:
    events = sample_events(Path(folder), size_mb=1.0)
    return tuple(measure(events, corpus_resources(Path(folder))))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Outcome, ...]:
    return _outcomes(str(tmp_path_factory.mktemp("corpus")))


def test_corpus_is_large_enough(outcomes: tuple[Outcome, ...]) -> None:
    assert len(outcomes) >= 80


def test_share_that_passes_check(outcomes: tuple[Outcome, ...]) -> None:
    failing = [f"{o.name}: {o.problem}" for o in outcomes if not o.checked]
    assert len(failing) <= 0.03 * len(outcomes), summary(outcomes) + "\n" + "\n".join(failing)


def test_share_that_runs(outcomes: tuple[Outcome, ...]) -> None:
    failing = [f"{o.name}: {o.problem}" for o in outcomes if not o.ran]
    assert len(failing) <= 0.10 * len(outcomes), summary(outcomes) + "\n" + "\n".join(failing)


def test_engines_agree_on_corpus(outcomes: tuple[Outcome, ...]) -> None:
    assert [o.name for o in outcomes if o.ran and not o.agree] == []
