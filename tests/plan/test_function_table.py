"""docs/functions.md lists the registry as it is."""

from __future__ import annotations

import os
from pathlib import Path

from cqlkit.plan.function_table import functions_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "functions.md"


def test_function_list_is_up_to_date() -> None:
    text = functions_markdown()
    if os.environ.get("CQLKIT_UPDATE_GOLDEN"):
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, "regenerate with CQLKIT_UPDATE_GOLDEN=1"
