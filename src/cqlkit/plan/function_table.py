"""The Markdown list of the functions cqlkit implements and those it lacks,
kept in ``docs/functions.md`` (a test checks that the file is up to date)."""

from __future__ import annotations

from cqlkit.plan.functions import REGISTRY
from cqlkit.plan.logscale_names import LOGSCALE_FUNCTIONS

_KINDS = {"filter": "filter", "transform": "transform", "aggregate": "aggregate"}


def functions_markdown() -> str:
    """Return the text of ``docs/functions.md``."""
    specs = sorted(REGISTRY.values(), key=lambda spec: spec.name.lower())
    lines = [
        "# Functions",
        "",
        "Generated from cqlkit's function registry by `src/cqlkit/plan/function_table.py`;",
        "regenerate with `CQLKIT_UPDATE_GOLDEN=1 pytest tests/plan/test_function_table.py`.",
        "",
        f"cqlkit implements {len(specs)} functions. Each runs on both engines: the DuckDB",
        "engine compiles it to SQL where SQL gives LogScale's result exactly, and otherwise",
        "runs that stage on the reference engine and prints a notice naming it.",
        "",
        "| Function | Kind | Parameters |",
        "|---|---|---|",
    ]
    for spec in specs:
        names = []
        for parameter in spec.parameters:
            name = f"[{parameter.name}]" if parameter.name == spec.unnamed else parameter.name
            names.append(f"{name}*" if parameter.required else name)
        link = f"[`{spec.name}()`]({spec.documentation})"
        lines.append(f"| {link} | {_KINDS[spec.kind.value]} | {', '.join(names)} |")
    missing = sorted(
        (name for name in LOGSCALE_FUNCTIONS if name.lower() not in REGISTRY), key=str.lower
    )
    lines += [
        "",
        "`[name]` is the parameter whose name may be left out; `*` marks a required one.",
        "",
        f"## LogScale functions cqlkit lacks ({len(missing)})",
        "",
        "`cqlkit check` reports each of these as `unsupported-function`, with a link to",
        "its reference page.",
        "",
        ", ".join(f"`{name}()`" for name in missing),
        "",
    ]
    return "\n".join(lines)
