"""Atomic publication of the build file: CHECKPOINT, copy beside the target, os.replace.

A reader holding the old file keeps its snapshot until it reconnects; new readers see the new
file; nobody ever sees half a refresh (POSIX rename is atomic within one file system).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

SUMMARY_SQL = {
    "reports": "select count(*) from marts.dim_reports",
    "current_reports": "select count(*) from marts.dim_reports where is_current",
    "failed_reports": "select count(*) from marts.dim_reports where parse_status = 'failed'",
    "metrics": "select count(*) from marts.fct_metrics",
    "findings": "select count(*) from marts.fct_quality_issues",
    "error_findings": "select count(*) from marts.fct_quality_issues where severity = 'error'",
}


def warehouse_summary(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    out = {}
    for name, sql in SUMMARY_SQL.items():
        try:
            out[name] = con.execute(sql).fetchone()[0]
        except duckdb.Error:
            out[name] = None
    return out


def publish_warehouse(build_db: Path, target: Path) -> dict[str, int]:
    con = duckdb.connect(str(build_db))
    try:
        con.execute("CHECKPOINT")
        summary = warehouse_summary(con)
    finally:
        con.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    shutil.copyfile(build_db, tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return summary
