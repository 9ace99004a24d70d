"""SQL definitions of the value conversions that compiled queries call
(see :mod:`cqlkit.engines.sql.typed`), as DuckDB macros."""

from __future__ import annotations

from cqlkit.engines.sql.typed import NUMBER_PATTERN

MACROS = (
    # The DOUBLE that a plain decimal text denotes; NULL for other text and for
    # numbers too large for a DOUBLE, as the reference engine's to_number().
    "CREATE OR REPLACE MACRO cql_number(x) AS "
    f"CASE WHEN regexp_full_match(x, '{NUMBER_PATTERN}') AND isfinite(TRY_CAST(x AS DOUBLE)) "
    "THEN TRY_CAST(x AS DOUBLE) END",
    # Integral values print without a decimal point (DuckDB prints 4.0 as '4.0');
    # others print as the shortest text that reads back as the same DOUBLE.
    "CREATE OR REPLACE MACRO cql_number_text(d) AS "
    "CASE WHEN d = trunc(d) AND abs(d) < 1e16 THEN CAST(CAST(d AS BIGINT) AS VARCHAR) "
    "ELSE CAST(d AS VARCHAR) END",
    "CREATE OR REPLACE MACRO cql_boolean(x) AS "
    "CASE WHEN lower(x) = 'true' THEN TRUE WHEN lower(x) = 'false' THEN FALSE "
    "ELSE cql_number(x) <> 0 END",
    "CREATE OR REPLACE MACRO cql_boolean_text(b) AS "
    "CASE WHEN b THEN 'true' WHEN NOT b THEN 'false' END",
)
