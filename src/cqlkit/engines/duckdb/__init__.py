"""The DuckDB engine: the logical plan compiled to SQL and run in-process."""
