"""Functions that LogScale has and cqlkit lacks fail at check time, naming their page."""

from __future__ import annotations

from tests.cli.cli_helpers import invoke

from cqlkit.plan.functions import REGISTRY
from cqlkit.plan.logscale_names import LOGSCALE_FUNCTIONS
from cqlkit.plan.planner import check_query


def test_every_implemented_function_is_a_logscale_function() -> None:
    names = {name.lower() for name in LOGSCALE_FUNCTIONS}
    assert sorted(set(REGISTRY) - names) == []


def test_lacking_function_names_its_documentation() -> None:
    missing = sorted(name for name in LOGSCALE_FUNCTIONS if name.lower() not in REGISTRY)
    if not missing:
        return
    name = missing[0]
    _, diagnostics = check_query(f"{name}()")
    (diagnostic,) = diagnostics
    assert diagnostic.code == "unsupported-function"
    assert (
        diagnostic.message == f"{name}() is a LogScale function that cqlkit does not implement yet"
    )
    page = name.lower().replace(":", "-")
    assert f"https://library.humio.com/data-analysis/functions-{page}.html" in str(diagnostic.hint)


def test_name_logscale_lacks_too_gets_a_suggestion() -> None:
    _, diagnostics = check_query("lowercase(x)")
    assert [(d.code, d.hint) for d in diagnostics] == [
        ("unknown-function", "did you mean lower()?")
    ]


def test_verdict_tells_lacking_functions_from_rejected_queries() -> None:
    missing = sorted(name for name in LOGSCALE_FUNCTIONS if name.lower() not in REGISTRY)
    if missing:
        status, out, _ = invoke("check", f"{missing[0]}()")
        assert status == 1
        assert out.splitlines()[-1].endswith("but cqlkit lacks the functions above")
    status, out, _ = invoke("check", "nosuch()")
    assert out.splitlines()[-1].endswith("LogScale would reject this query")
