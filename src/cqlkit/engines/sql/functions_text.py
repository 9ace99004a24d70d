"""SQL compilation of the string, number, encoding and hashing functions.

The compilers live in one module per concept; this module merges their tables.
"""

from __future__ import annotations

from cqlkit.engines.sql import (
    functions_text_case,
    functions_text_encoding,
    functions_text_fields,
    functions_text_numbers,
)
from cqlkit.engines.sql.family import Transforms, Values

# functions_text_case replaces the core lower() and upper(), which ignore locale=.
VALUES: Values = {
    **functions_text_case.VALUES,
    **functions_text_numbers.VALUES,
    **functions_text_encoding.VALUES,
    **functions_text_fields.VALUES,
}
TRANSFORMS: Transforms = {
    **functions_text_numbers.TRANSFORMS,
    **functions_text_fields.TRANSFORMS,
}
