"""The event-type scope check on cqlkit's plan, with LogScale's filter precedence."""

from __future__ import annotations

import pytest

from cqlkit.conversion import find_unscoped_path
from cqlkit.plan.planner import plan_query

SCOPED = "#event_simpleName=ProcessRollup2"

# (query, the unscoped path that the check reports, or None when the query is scoped)
CASES = [
    pytest.param(SCOPED, None, id="tag-equality"),
    pytest.param("event_simpleName=ProcessRollup2", None, id="fdr-field-equality"),
    pytest.param("#event_simpleName=/^ProcessRollup2$/i", None, id="tag-regex"),
    pytest.param("#event_simpleName=Process*", None, id="tag-glob"),
    pytest.param("in(#event_simpleName, values=[A, B])", None, id="in-function"),
    pytest.param('wildcard(field=#event_simpleName, pattern="Dns*")', None, id="wildcard-function"),
    pytest.param("ImageFileName=/cmstp/i", "ImageFileName=/cmstp/i", id="no-type-filter"),
    pytest.param("*", "a path with no filter", id="match-everything"),
    pytest.param("#event_simpleName=*", "#event_simpleName=*", id="type-field-exists"),
    pytest.param("#event_simpleName!=DnsRequest", "#event_simpleName!=DnsRequest", id="not-equal"),
    pytest.param(f"not {SCOPED} x=1", f"not {SCOPED} and x=1", id="negated-type"),
    pytest.param(f"not not {SCOPED}", None, id="double-negation"),
    pytest.param("not not x=1", "not not x=1", id="double-negation-unscoped"),
    pytest.param(f"not ({SCOPED} and x=1)", f"not {SCOPED}", id="negated-and-is-or"),
    pytest.param("not (#event_simpleName!=A or x=1)", None, id="negated-or-is-and"),
    # OR binds tighter than the implicit AND, as pySigma's LogScale backend writes queries.
    pytest.param("#event_simpleName=A or #event_simpleName=B x=1", None, id="or-before-and"),
    pytest.param("x=1 #event_simpleName=A or #event_simpleName=B", None, id="or-after-and"),
    pytest.param(f"{SCOPED} and x=1 or y=2", None, id="explicit-and-then-or"),
    pytest.param(f"{SCOPED} or x=1", "x=1", id="or-with-unscoped-branch"),
    pytest.param(f"x=1 or {SCOPED} y=2", "x=1 and y=2", id="unscoped-branch-and-rest"),
    pytest.param(f"({SCOPED} or x=1) y=2", "x=1 and y=2", id="grouped-or"),
    pytest.param(f"x=1 | {SCOPED}", None, id="later-stage"),
    pytest.param(f"x=1 | y := 2 | {SCOPED}", None, id="after-assignment"),
    pytest.param(f"count() | {SCOPED}", "a path with no filter", id="after-aggregate"),
    pytest.param(
        f"#event_simpleName := x | {SCOPED}", "a path with no filter", id="after-type-assignment"
    ),
    pytest.param('regex("(?<t>Dns.*)", field=#event_simpleName)', None, id="extracting-regex"),
    pytest.param(
        'regex("Dns", field=#event_simpleName, strict=false)',
        "a path with no filter",
        id="non-strict-regex",
    ),
    pytest.param(f"case {{ {SCOPED}; #event_simpleName=B }}", None, id="case-all-branches"),
    pytest.param(f"case {{ {SCOPED}; x=1 }}", "x=1", id="case-unscoped-branch"),
    pytest.param("#event_simpleName match { A => x := 1; B => y := 2 }", None, id="match-arms"),
    pytest.param(
        "#event_simpleName match { A => x := 1; * => y := 2 }",
        "a path with no filter",
        id="match-catch-all",
    ),
]


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_unscoped_path(query: str, expected: str | None) -> None:
    path = find_unscoped_path(plan_query(query))
    assert (None if path is None else path.describe(query)) == expected


def test_unscoped_path_spans_point_into_query() -> None:
    query = f"{SCOPED} or ImageFileName=/x/"
    path = find_unscoped_path(plan_query(query))
    assert path is not None
    (span,) = path.spans
    assert query[span.start : span.end] == "ImageFileName=/x/"
    assert (span.line, span.col) == (1, len(SCOPED) + 5)
