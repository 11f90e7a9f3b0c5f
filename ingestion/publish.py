"""Atomic publication of the build file: CHECKPOINT, copy beside the target, os.replace.

A reader holding the old file keeps its snapshot until it reconnects; new readers see the new
file; nobody ever sees half a refresh (POSIX rename is atomic within one file system).
"""
from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from .db import connect

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
    con = connect(build_db)
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


FINGERPRINTS = "_fingerprints.json"


def _prepend_bom(body: Path, dest: Path, chunk: int = 1 << 20) -> None:
    """dest = UTF-8 BOM + body, streamed in chunks (a big mart's CSV is never held in memory)."""
    with open(body, "rb") as src, open(dest, "wb") as out:
        out.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(src, out, chunk)
    body.unlink()


def mart_fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Content fingerprint of a mart: its columns and types, row count and the sum of the row
    hashes (order-independent, one scan, far cheaper than writing the Parquet and CSV files)."""
    cols = con.execute("select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position) "
                       "from information_schema.columns where table_schema = 'marts' and table_name = ?",
                       [table]).fetchall()[0][0]
    n, h = con.execute(f"select count(*), coalesce(sum(hash(x)::hugeint), 0)::varchar "
                       f"from marts.{table} as x").fetchall()[0]
    return f"{cols}|{n}|{h}"


# Excel opens at most 1,048,576 rows a sheet (with the header): a larger mart is no use as CSV and
# costs most of the publication at national scale (fct_metrics of 100,000 reports: 17 M rows, 2.5 GB).
CSV_MAX_ROWS = 1_048_575


def _link_previous(previous: Path, files: dict[str, Path]) -> None:
    """Hard-link a mart's files from the previous export version (files of a version are never
    modified, so the link is as good as a copy); on a file system without hard links, nothing."""
    for kind, path in files.items():
        old = previous / kind / path.name
        if old.is_file():
            try:
                os.link(old, path)
            except OSError:
                return


def _write(cur: duckdb.DuckDBPyConnection, table: str, kind: str, path: Path) -> None:
    try:
        if kind == "parquet":
            cur.execute(f"copy marts.{table} to '{path}' (format parquet)")
        else:
            body = path.with_name(path.name + ".body")
            cur.execute(f"copy marts.{table} to '{body}' (format csv, header)")
            _prepend_bom(body, path)
    finally:
        cur.close()


def export_marts(warehouse: Path, export_dir: Path, csv_max_rows: int = CSV_MAX_ROWS,
                 workers: int = 2) -> dict[str, int]:
    """Every table of `marts` as Parquet, and as CSV (UTF-8 with BOM, for Excel) when it has at most
    `csv_max_rows` rows (what one Excel sheet holds; larger marts are Parquet only), published like
    the warehouse: written into a new versioned folder, then `export_dir` (a symlink) is
    swapped onto it by an atomic rename, and older versions are removed.

    A mart whose content fingerprint (`mart_fingerprint`) is the one of the currently published export
    is not written again: its two files are hard-linked from that version (files of a version are
    never modified, so the link is as good as a copy). Only changed marts cost a COPY, and the
    COPYs of several marts run side by side on `workers` threads."""
    import json
    import tempfile
    import time

    export_dir.parent.mkdir(parents=True, exist_ok=True)
    version = Path(tempfile.mkdtemp(prefix=f"{export_dir.name}.{time.strftime('%Y%m%dT%H%M%S')}.",
                                    dir=export_dir.parent))     # unique even within one second
    os.chmod(version, 0o755)
    (version / "parquet").mkdir()
    (version / "csv").mkdir()
    previous = export_dir.resolve() if export_dir.is_symlink() else None
    prev_fps: dict[str, str] = {}
    if previous is not None and (previous / FINGERPRINTS).is_file():
        try:
            prev_fps = json.loads((previous / FINGERPRINTS).read_text())
        except ValueError:
            prev_fps = {}
    counts: dict[str, int] = {}
    fps: dict[str, str] = {}
    con = connect(warehouse, read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        writes: list[tuple[int, str, str, Path]] = []      # (rows, table, kind, file) still to write
        for t in tables:
            fps[t] = mart_fingerprint(con, t)
            counts[t] = int(fps[t].rsplit("|", 2)[1])
            files = {"parquet": version / "parquet" / f"{t}.parquet"}
            if counts[t] <= csv_max_rows:
                files["csv"] = version / "csv" / f"{t}.csv"
            if prev_fps.get(t) == fps[t] and previous is not None:
                _link_previous(previous, files)
            writes += [(counts[t], t, kind, path) for kind, path in files.items() if not path.exists()]
        # the COPYs run on `workers` cursors, biggest first (one file is written by one thread)
        jobs = [(con.cursor(), t, kind, path) for _, t, kind, path in sorted(writes, key=lambda w: -w[0])]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for done in [pool.submit(_write, *job) for job in jobs]:
                done.result()
    finally:
        con.close()
    (version / FINGERPRINTS).write_text(json.dumps(fps, ensure_ascii=False, indent=1))
    if export_dir.exists() and not export_dir.is_symlink():
        shutil.rmtree(export_dir)          # a plain folder left by hand: replaced by the link
    link_tmp = export_dir.with_name(export_dir.name + ".link.tmp")
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(version.name)
    os.replace(link_tmp, export_dir)
    for old in export_dir.parent.glob(export_dir.name + ".*"):
        if old.is_dir() and old != version and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
    return counts
