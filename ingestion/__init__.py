"""Deterministic extraction of China's government information-disclosure annual reports.

A plain library (no Dagster imports): decode a file, detect its format, extract metadata and
metrics with provenance, and load the raw layer of the DuckDB warehouse.
"""

PARSER_VERSION = "0.1.0"
