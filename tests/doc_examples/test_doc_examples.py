"""The worked examples of LogScale's function reference, run on both engines.

The target is a share: at least 95% of the examples, skipped ones left out,
give the documented rows. ``test_share_of_examples_that_pass`` enforces it.
The per-example tests (ids such as ``groupBy-2``) show each failure on its own.
They run only when the environment variable CQLKIT_DOC_EXAMPLES is ``each``,
because the target allows up to 5% of the examples to fail and a single failing
example must not turn the default test run red. Run
``python -m tests.doc_examples.runner`` for a one-line report per example.
"""

from __future__ import annotations

import os

import pytest
from tests.doc_examples.runner import (
    TARGET_SHARE,
    Example,
    Outcome,
    compare_rows,
    load_examples,
    run_example,
    share_passing,
)

EXAMPLES = load_examples()
_OUTCOMES: dict[str, Outcome] = {}


def _outcome(example: Example) -> Outcome:
    """Run ``example`` once per test session, so the share test reuses the per-example runs."""
    if example.id not in _OUTCOMES:
        _OUTCOMES[example.id] = run_example(example)
    return _OUTCOMES[example.id]


def test_catalog_is_large_enough() -> None:
    # A floor just under the catalog's size, so that a file lost or cut short is noticed.
    assert len(EXAMPLES) >= 135


def test_share_of_examples_that_pass() -> None:
    outcomes = [_outcome(e) for e in EXAMPLES if not e.skip_reason]
    failing = [f"{o.example.id}: {o.reason}" for o in outcomes if not o.passed]
    share = share_passing(outcomes)
    assert share >= TARGET_SHARE, (
        f"{share:.1%} of {len(outcomes)} examples pass, below {TARGET_SHARE:.0%}:\n"
        + "\n".join(failing)
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_example(example: Example) -> None:
    if example.skip_reason:
        pytest.skip(example.skip_reason)
    if os.environ.get("CQLKIT_DOC_EXAMPLES") != "each":
        pytest.skip("per-example runs are off; set CQLKIT_DOC_EXAMPLES=each to run them")
    outcome = _outcome(example)
    if not outcome.passed:
        pytest.fail(f"{example.page}: {outcome.reason}", pytrace=False)


# --- the row comparison itself -----------------------------------------------------------


def test_compare_ignores_hidden_metadata() -> None:
    documented = [{"status": "200"}]
    output = [{"status": "200", "@timestamp": "1000", "@id": "1"}]
    assert compare_rows(documented, output, ordered=True) is None


def test_compare_reports_an_extra_output_field() -> None:
    documented = [{"status": "200"}]
    output = [{"status": "200", "_count": "3"}]
    assert compare_rows(documented, output, ordered=True) is not None


def test_compare_treats_missing_and_empty_alike() -> None:
    assert compare_rows([{"a": "1"}], [{"a": "1", "b": ""}], ordered=True) is None


def test_compare_numbers_by_value() -> None:
    assert compare_rows([{"weight": "7.0"}], [{"weight": "7"}], ordered=True) is None


def test_compare_numbers_at_documented_precision() -> None:
    assert compare_rows([{"avg": "156.33"}], [{"avg": "156.33333333"}], ordered=True) is None


def test_compare_rejects_a_different_number() -> None:
    assert compare_rows([{"avg": "156"}], [{"avg": "156.33"}], ordered=True) is not None


def test_compare_keeps_leading_zeros_as_text() -> None:
    assert compare_rows([{"id": "007"}], [{"id": "7"}], ordered=True) is not None


def test_compare_ordered_rows_by_position() -> None:
    documented = [{"a": "1"}, {"a": "2"}]
    assert compare_rows(documented, [{"a": "2"}, {"a": "1"}], ordered=True) is not None
    assert compare_rows(documented, [{"a": "2"}, {"a": "1"}], ordered=False) is None


def test_compare_only_the_listed_fields() -> None:
    output = [{"a": "1", "b": "2"}]
    assert compare_rows([{"a": "1"}], output, ordered=True, fields=["a"]) is None
