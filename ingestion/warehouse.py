"""The raw layer in DuckDB: incremental, keyed by report, loaded in bulk through Arrow.

- A file whose sha256 and parser version are already loaded is not parsed again
  (`parse_events.action = 'skipped_unchanged'`); a new parser version re-parses everything.
- A report's rows are replaced as a whole (delete + insert in one transaction), so a re-run
  never duplicates and a failure mid-run loses nothing already loaded.
- A file that left the landing folder is marked `is_withdrawn`, its history kept.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from . import PARSER_VERSION
from .discover import ReportFile
from .records import ExtractionResult
from .schema import column_names, columns

_ARROW_TYPES = {
    "VARCHAR": pa.string(), "BIGINT": pa.int64(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(), "TIMESTAMP": pa.timestamp("us"), "DATE": pa.date32(),
}


@functools.lru_cache(maxsize=None)
def _arrow_schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(name, _ARROW_TYPES[typ]) for name, typ in columns(table)])


@dataclass
class Plan:
    to_parse: list[ReportFile] = field(default_factory=list)
    unchanged: list[ReportFile] = field(default_factory=list)
    withdrawn: list[tuple[str, str]] = field(default_factory=list)   # (report_id, source_file)
    reappeared: list[str] = field(default_factory=list)


def plan(con: duckdb.DuckDBPyConnection, files: list[ReportFile], parser_version: str = PARSER_VERSION) -> Plan:
    known = {
        rid: (sha, ver, wd, src)
        for rid, sha, ver, wd, src in con.execute(
            "select report_id, content_sha256, parser_version, is_withdrawn, source_file from raw.reports"
        ).fetchall()
    }
    p = Plan()
    present = set()
    for f in files:
        rid = f.report_id
        present.add(rid)
        prev = known.get(rid)
        if prev and prev[0] == f.sha256 and prev[1] == parser_version:
            p.unchanged.append(f)
            if prev[2]:
                p.reappeared.append(rid)
        else:
            p.to_parse.append(f)
    for rid, (_, _, wd, src) in known.items():
        if rid not in present and not wd:
            p.withdrawn.append((rid, src))
    return p


def _published(m) -> dt.date | None:
    if m.published_on:
        try:
            return dt.date.fromisoformat(m.published_on)
        except ValueError:
            return None
    return None


def _report_row(f: ReportFile, res: ExtractionResult, now: dt.datetime) -> dict:
    m = res.meta
    return {
        "report_id": f.report_id, "source_file": f.source_file, "content_sha256": f.sha256,
        "file_size": f.size, "file_mtime": dt.datetime.fromtimestamp(f.mtime),
        "doc_type": res.doc_type, "encoding": res.encoding, "text_sha256": res.text_sha256,
        "format": res.format, "parse_status": res.parse_status, "parse_error": res.parse_error,
        "parser_version": PARSER_VERSION, "agency": m.agency, "admin_level": m.admin_level,
        "parent_level": m.parent_level, "region_province": m.region_province,
        "region_city": m.region_city, "region_county": m.region_county, "region": m.region,
        "report_year": m.report_year, "year_source": m.year_source, "published_on": _published(m),
        "scope": m.scope, "title": m.title, "n_metrics": sum(1 for x in res.metrics if x.value is not None),
        "n_unmapped": len(res.unmapped),
        "warnings": json.dumps(res.warnings[:20], ensure_ascii=False) if res.warnings else None,
        "is_withdrawn": False, "loaded_at": now,
    }


def _event_row(run_id, rid, source_file, sha, action, status=None, message=None, duration_ms=None) -> dict:
    return {
        "run_id": run_id, "report_id": rid, "source_file": source_file, "content_sha256": sha,
        "parser_version": PARSER_VERSION, "action": action, "parse_status": status,
        "message": message, "duration_ms": duration_ms, "event_at": dt.datetime.now(),
    }


def _metric_columns(items) -> dict[str, list]:
    """The raw.metrics rows of many reports, column by column (no per-row dict)."""
    cols = {name: [] for name in column_names("metrics")}
    rid_c, key_c, val_c, st_c, unit_c, src_c = (cols[k] for k in (
        "report_id", "metric_key", "value", "value_status", "unit", "source"))
    apx_c, der_c, raw_c, lab_c, col_c, tab_c, note_c, ord_c = (cols[k] for k in (
        "approx", "is_derived", "raw_text", "label", "column_label", "table_id", "note", "ordinal"))
    for f, res, _ms in items:
        rid = f.report_id
        for i, x in enumerate(res.metrics):
            rid_c.append(rid)
            key_c.append(x.metric_key)
            val_c.append(x.value)
            st_c.append(x.value_status)
            unit_c.append(x.unit)
            src_c.append(x.source)
            apx_c.append(bool(x.approx))
            der_c.append(bool(x.is_derived))
            raw_c.append(x.raw_text)
            lab_c.append(x.label)
            col_c.append(x.column_label)
            tab_c.append(x.table_id)
            note_c.append(x.note or None)
            ord_c.append(i)
    return cols


def _unmapped_rows(rid: str, res: ExtractionResult) -> Iterator[dict]:
    for u in res.unmapped:
        yield {
            "report_id": rid, "table_id": u.table_id, "row_label": u.row_label,
            "column_label": u.column_label, "raw_text": u.raw_text, "value": u.value, "unit": u.unit,
            "row_index": u.row_index, "col_index": u.col_index,
        }


@dataclass
class RawBatch:
    """The raw-layer rows of some extracted files as Arrow tables. Built where the files were
    extracted (in the worker processes), so the loading process only inserts; an Arrow table
    pickles as its column buffers."""
    tables: dict[str, pa.Table]
    counts: dict[str, int]

    @property
    def n_reports(self) -> int:
        return self.tables["reports"].num_rows


def build_batch(items: list[tuple[ReportFile, ExtractionResult, float | None]], run_id: str) -> RawBatch:
    """Rows of raw.reports, raw.metrics, raw.unmapped_cells and raw.parse_events for
    (file, extraction result, extraction ms) items."""
    now = dt.datetime.now()
    reports, unmapped, events = [], [], []
    counts = {"parsed": 0, "partial": 0, "failed": 0, "metrics": 0, "unmapped": 0}
    for f, res, ms in items:
        rid = f.report_id
        reports.append(_report_row(f, res, now))
        unmapped.extend(_unmapped_rows(rid, res))
        counts[res.parse_status] = counts.get(res.parse_status, 0) + 1
        counts["metrics"] += len(res.metrics)
        counts["unmapped"] += len(res.unmapped)
        action = "failed" if res.parse_status == "failed" else "parsed"
        events.append(_event_row(run_id, rid, f.source_file, f.sha256, action, res.parse_status,
                                 res.parse_error, ms))
    tables = {
        "reports": pa.Table.from_pylist(reports, schema=_arrow_schema("reports")),
        "metrics": pa.Table.from_pydict(_metric_columns(items), schema=_arrow_schema("metrics")),
        "unmapped_cells": pa.Table.from_pylist(unmapped, schema=_arrow_schema("unmapped_cells")),
        "parse_events": pa.Table.from_pylist(events, schema=_arrow_schema("parse_events")),
    }
    return RawBatch(tables, counts)


class RawLoader:
    """Collects batches of extracted reports and writes them to the raw layer in bulk."""

    TABLES = ("reports", "metrics", "unmapped_cells", "parse_events")

    def __init__(self, con: duckdb.DuckDBPyConnection, run_id: str, batch_size: int = 1000):
        self.con = con
        self.run_id = run_id
        self.batch_size = batch_size
        self._batches: list[RawBatch] = []
        self._pending_reports = 0
        self._events: list[dict] = []
        self._event_tables: list[pa.Table] = []      # events built column by column (`skipped`)
        self.counts = {"parsed": 0, "partial": 0, "failed": 0, "skipped_unchanged": 0, "withdrawn": 0,
                       "metrics": 0, "unmapped": 0}

    def add_batch(self, batch: RawBatch) -> None:
        for k, v in batch.counts.items():
            self.counts[k] = self.counts.get(k, 0) + v
        self._batches.append(batch)
        self._pending_reports += batch.n_reports
        if self._pending_reports >= self.batch_size:
            self.flush()

    def event(self, rid, source_file, sha, action, status=None, message=None, duration_ms=None) -> None:
        self._events.append(_event_row(self.run_id, rid, source_file, sha, action, status, message, duration_ms))
        if action in ("skipped_unchanged", "withdrawn"):
            self.counts[action] += 1

    def skipped(self, files: list[ReportFile], message: str) -> None:
        """One `skipped_unchanged` event per file, built column by column (a national corpus skips
        about 100,000 files on every refresh)."""
        if not files:
            return
        n = len(files)
        same = _event_row(self.run_id, None, None, None, "skipped_unchanged", None, message)  # one event_at
        columns = {name: [value] * n for name, value in same.items()}
        columns.update(report_id=[f.report_id for f in files], source_file=[f.source_file for f in files],
                       content_sha256=[f.sha256 for f in files])
        schema = _arrow_schema("parse_events")
        self._event_tables.append(pa.table([columns[name] for name in schema.names], schema=schema))
        self.counts["skipped_unchanged"] += n

    def flush(self) -> None:
        con = self.con
        if not (self._batches or self._events or self._event_tables):
            return
        tables = {t: [b.tables[t] for b in self._batches] for t in self.TABLES}
        tables["parse_events"] += self._event_tables
        if self._events:
            tables["parse_events"].append(pa.Table.from_pylist(self._events, schema=_arrow_schema("parse_events")))
        con.execute("BEGIN TRANSACTION")
        try:
            if tables["reports"]:
                # Replace the rows of reports loaded before (a re-parse). A batch of new reports (the
                # whole of a first load) skips the deletes, each of which scans raw.metrics.
                ids = pa.concat_tables(tables["reports"]).select(["report_id"])
                con.register("_batch_ids", ids)
                if con.execute("select count(*) from raw.reports "
                               "where report_id in (select report_id from _batch_ids)").fetchall()[0][0]:
                    for t in ("metrics", "unmapped_cells", "reports"):
                        con.execute(f"delete from raw.{t} where report_id in (select report_id from _batch_ids)")
                con.unregister("_batch_ids")
            for table in self.TABLES:
                parts = [t for t in tables[table] if t.num_rows]
                if parts:
                    con.register("_batch", pa.concat_tables(parts))
                    cols = ", ".join(column_names(table))
                    con.execute(f"insert into raw.{table} ({cols}) select {cols} from _batch")
                    con.unregister("_batch")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        self._batches, self._events, self._event_tables, self._pending_reports = [], [], [], 0

    def mark_withdrawn(self, withdrawn: Iterable[tuple[str, str]]) -> None:
        withdrawn = list(withdrawn)
        if not withdrawn:
            return
        self.con.executemany("update raw.reports set is_withdrawn = true where report_id = ?",
                             [(rid,) for rid, _ in withdrawn])
        for rid, src in withdrawn:
            self.event(rid, src, None, "withdrawn", None, "file no longer in the landing folder")

    def mark_present(self, report_ids: Iterable[str]) -> None:
        ids = [(rid,) for rid in report_ids]
        if ids:
            self.con.executemany("update raw.reports set is_withdrawn = false where report_id = ?", ids)
