"""Compilation of the logical plan into SQL syntax trees (sqlglot), shared by the
DuckDB engine and any other SQL engine: a new engine is a change of dialect."""
