"""The names of the input formats, for the ``--input-format`` options."""

from __future__ import annotations

# The names of cqlkit.sources.FORMATS, written out so that --help does not import
# the readers; a test checks that the two lists agree.
INPUT_FORMATS = ("fdr", "logscale", "winlogbeat", "evtx", "parquet", "ndjson")
