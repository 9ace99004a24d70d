"""The reference engine's string, number, encoding and hashing functions.

The functions live in one module per concept; this module merges their tables.
"""

from __future__ import annotations

from cqlkit.engines.reference import (
    functions_text_case,
    functions_text_encoding,
    functions_text_fields,
    functions_text_numbers,
)
from cqlkit.engines.reference.family import Expanders, Transforms, ValueFunctions

# functions_text_case replaces the core lower() and upper(), which ignore locale=.
VALUE_FUNCTIONS: ValueFunctions = {
    **functions_text_case.VALUE_FUNCTIONS,
    **functions_text_numbers.VALUE_FUNCTIONS,
    **functions_text_encoding.VALUE_FUNCTIONS,
    **functions_text_fields.VALUE_FUNCTIONS,
}
TRANSFORMS: Transforms = {
    **functions_text_numbers.TRANSFORMS,
    **functions_text_fields.TRANSFORMS,
}
EXPANDERS: Expanders = {}
