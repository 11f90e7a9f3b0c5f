"""DuckDB connections of the refresh, with bounded memory.

DuckDB's own default is 80 % of the machine's memory; the refresh's connections (loading the raw
layer, checks, publication and exports) are held to DISCLOSURE_DUCKDB_MEMORY_LIMIT (default 512MB)
and spill to disk beyond it, so the refresh's process tree stays within its memory budget while
dbt (a separate process, its own limit in dbt/profiles.yml) builds. The limit is SET on the
connection rather than passed as a connect option, so it never conflicts with another connection
of the same process to the same file.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

MEMORY_LIMIT_ENV = "DISCLOSURE_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "512MB"


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute(f"SET memory_limit = '{os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT}'")
    return con
