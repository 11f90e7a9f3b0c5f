"""The fact's export as a folder of Parquet parts, rewritten only where reports changed.

`fct_metrics` of 100,000 reports is 17 million rows: one Parquet file of it is rewritten whole
on every refresh that changes a single report (about 8 CPU-s at that size). As a folder of parts,
each holding whole reports (about `PART_ROWS` rows each), a refresh rewrites only the parts that
hold a changed or removed report, plus new parts for new and changed reports; every other part is
hard-linked from the previous export version (files of a version are never modified).

Which report is in which part, with the version it was written from, is kept beside the export
(`_parts_<mart>.parquet` at the version folder's root; a reader of the folder never sees it). The
versions come from the version list of the table the mart is a view of (`staging.<table>__built`,
the `report_incremental` materialization's list), so finding the changed reports costs no scan of
the fact.

Each part holds whole reports. The rows of the reports to write are counted first; a report goes,
on its first row, to the part being filled, and a part's file is closed once all its reports'
rows are in. DuckDB reads a table nearly in storage order (a filtered read may still bring a report
in two pieces, which go to the same part), and `int_metric_values` stores each report's rows
together, so only a few parts are open at a time. Should more than `MAX_OPEN_PARTS` be (a mart
stored some other way), or the parts not add up to the mart (a stale list), the export writes the
whole mart again: by report, or else cut every `PART_ROWS` rows without a list. The export is
always exactly the mart; only its cost depends on the order.
"""
from __future__ import annotations

import contextlib
import os
import queue
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

PART_ROWS = 20_000
FETCH_ROWS = 500_000
MEMBERS_FILE = "_parts_{table}.parquet"
LAYOUT_KEY = b"disclosure.layout"


class Scattered(Exception):
    """The rows of the parts come too scattered to write them part by part (too many parts open at
    once), or not as counted."""


MAX_OPEN_PARTS = 64


def part_name(part: int) -> str:
    return f"part-{part:05d}.parquet"


def members_path(version: Path, table: str) -> Path:
    """The membership list of a parted mart in an export version folder."""
    return version / MEMBERS_FILE.format(table=table)


def link_members(previous_version: Path, version: Path, table: str) -> None:
    """The membership list of a mart whose parts were all linked from the previous version."""
    if members_path(previous_version, table).is_file():
        _link_or_copy(members_path(previous_version, table), members_path(version, table))


@dataclass
class PartPlan:
    """What one export writes: the reports to stream (`None`: all of them), the parts kept from
    the previous version (hard-linked) with their members, and the number of the first new part."""
    rewrite: list[str] | None
    keep_parts: list[int] = field(default_factory=list)
    keep_members: object = None          # pyarrow Table (report_id, v, part, rows) or None
    first_part: int = 0


class BatchStream:
    """The rows of `sql` as Arrow batches of `rows` rows, fetched on a second thread while the
    caller writes the last one (DuckDB and pyarrow both release the GIL). Iterate it once; leaving
    the loop early (an error while writing) drains the rest so the fetching thread ends."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, sql: str, rows: int = FETCH_ROWS) -> None:
        self._reader = cur.sql(sql).to_arrow_reader(rows)
        self.schema = self._reader.schema
        self._batches: queue.Queue = queue.Queue(maxsize=2)
        self._failed: list[BaseException] = []
        self._fetcher = threading.Thread(target=self._fetch, name="fetch-batches", daemon=True)
        self._fetcher.start()

    def _fetch(self) -> None:
        try:
            for batch in self._reader:
                self._batches.put(batch)
        except BaseException as exc:  # noqa: BLE001 - handed to the writing thread
            self._failed.append(exc)
        finally:
            self._batches.put(None)

    def __iter__(self):
        ended = False
        try:
            while (batch := self._batches.get()) is not None:
                yield batch
            ended = True
        finally:
            while not ended:
                ended = self._batches.get() is None
            self._fetcher.join()
        if self._failed:
            raise self._failed[0]


class PartWriter:
    """Writes a stream of batches into numbered part files of about `part_rows` rows.

    With `expected` (the row count of every report in the stream) each part holds whole reports:
    a report goes, on its first row, to the part being filled, which takes reports until their
    counts reach `part_rows`; a part's file is closed once all rows of its reports are written.
    The stream may bring a report's rows in several pieces (DuckDB does not promise the storage
    order, only nearly keeps it); as long as that leaves at most `MAX_OPEN_PARTS` parts open, each
    piece is written into its report's part. Without `expected` the stream is cut every
    `part_rows` rows, reports or not."""

    def __init__(self, folder: Path, schema, first_part: int, part_rows: int, stats: list[str],
                 expected: dict[str, int] | None) -> None:
        self.folder, self.schema, self.part_rows = folder, schema, part_rows
        self.stats, self.expected = stats, expected
        self.filling = first_part - 1           # the part that takes the next new report
        self.assigned: dict[int, int] = {}      # part -> rows of its reports
        self.done: dict[int, int] = {}          # part -> rows written
        self.writers: dict[int, object] = {}    # the open parts
        self.written: list[Path] = []
        self.members: dict[str, list[int]] = {}       # report_id -> [part, rows written]
        self.total_rows = 0
        self.id_col = schema.get_field_index("report_id")

    def _writer(self, part: int):
        import pyarrow.parquet as pq

        if part not in self.writers:
            if len(self.writers) >= MAX_OPEN_PARTS:
                raise Scattered(f"more than {MAX_OPEN_PARTS} parts open")
            path = self.folder / part_name(part)
            self.writers[part] = pq.ParquetWriter(path, self.schema, compression="snappy",
                                                  write_statistics=self.stats)
            self.written.append(path)
        return self.writers[part]

    def _put(self, part: int, batch, start: int, end: int) -> None:
        self._writer(part).write_batch(batch.slice(start, end - start))
        self.done[part] = self.done.get(part, 0) + end - start
        self.total_rows += end - start

    def write(self, batch) -> None:
        n = batch.num_rows
        if n == 0:
            return
        if self.expected is None:
            pos = 0
            while pos < n:
                if self.done.get(self.filling, self.part_rows) >= self.part_rows:     # full, or not begun
                    self._close(self.filling)
                    self.filling += 1
                take = min(n - pos, self.part_rows - self.done.get(self.filling, 0))
                self._put(self.filling, batch, pos, pos + take)
                pos += take
            return
        segments: list[list[int]] = []          # [part, start, end], runs of one part merged
        for start, end, rid in _runs(batch.column(self.id_col)):
            member = self.members.get(rid)
            if member is None:
                rows = self.expected.get(rid)
                if rows is None:
                    raise Scattered(f"report {rid} was not counted")
                if self.filling not in self.assigned or self.assigned[self.filling] >= self.part_rows:
                    self.filling += 1
                    self.assigned[self.filling] = 0
                self.assigned[self.filling] += rows
                member = self.members[rid] = [self.filling, 0]
            member[1] += end - start
            if segments and segments[-1][0] == member[0] and segments[-1][2] == start:
                segments[-1][2] = end
            else:
                segments.append([member[0], start, end])
        for part, start, end in segments:
            self._put(part, batch, start, end)
        for part in [p for p in self.writers if p != self.filling and self.done.get(p, 0) >= self.assigned[p]]:
            self._close(part)

    def _close(self, part: int) -> None:
        writer = self.writers.pop(part, None)
        if writer is not None:
            writer.close()

    def close(self) -> None:
        for part in list(self.writers):
            self._close(part)

    def check(self) -> None:
        """Every report written whole (with `expected`)."""
        if self.expected is not None and (self.done != self.assigned or len(self.members) != len(self.expected)):
            raise Scattered("the rows written are not the rows counted")

    def discard(self) -> None:
        self.close()
        for path in self.written:
            path.unlink(missing_ok=True)
        self.written.clear()


def _runs(ids):
    """(start, end, value) of every run of equal values of an Arrow array."""
    import pyarrow.compute as pc

    n = len(ids)
    starts = [0] + [i + 1 for i in pc.indices_nonzero(pc.not_equal(ids.slice(1), ids.slice(0, n - 1))).to_pylist()]
    ends = starts[1:] + [n]
    return zip(starts, ends, pc.take(ids, starts).to_pylist())


def read_members(path: Path, layout: str):
    """The membership list of a previous export, or None (missing, unreadable or another layout)."""
    import pyarrow.parquet as pq

    if not path.is_file():
        return None
    try:
        table = pq.read_table(path)
    except (OSError, ValueError):
        return None
    meta = table.schema.metadata or {}
    if meta.get(LAYOUT_KEY, b"").decode() != layout:
        return None
    return table


def plan_parts(cur: duckdb.DuckDBPyConnection, versions_sql: str, previous_members, previous_folder: Path | None,
               part_rows: int) -> PartPlan:
    """Which reports to write again: those of parts holding a changed or removed report, of parts
    below half the target size (merged with the new ones, so parts do not multiply), of parts whose
    file is gone, and every new or changed report. More than half of the rows: all of them."""
    if previous_members is None or previous_folder is None or previous_members.num_rows == 0:
        return PartPlan(rewrite=None)
    cur.register("_prev_members", previous_members)
    try:
        parts = cur.execute(f"""
            with cur as ({versions_sql}),
            sizes as (select part, sum(rows) as rows from _prev_members group by part),
            stale as (
                select distinct p.part from _prev_members as p
                left join cur as c on c.report_id = p.report_id and c.v = p.v
                where c.report_id is null
            )
            select s.part, s.rows, s.part in (select part from stale) or s.rows < {part_rows // 2} as dirty
            from sizes as s order by s.part""").fetchall()
        dirty = {p for p, _, d in parts if d or not (previous_folder / part_name(p)).is_file()}
        total = sum(r for _, r, _ in parts)
        if not parts or sum(r for p, r, _ in parts if p in dirty) > total / 2:
            return PartPlan(rewrite=None)
        keep = [p for p, _, _ in parts if p not in dirty]
        cur.register("_keep_parts", pa.table({"part": pa.array(keep, pa.int32())}))
        keep_members = cur.sql("select * from _prev_members where part in (select part from _keep_parts)").to_arrow_table()
        rewrite = [r[0] for r in cur.execute(f"""
            with cur as ({versions_sql})
            select report_id from cur where report_id not in (select report_id from _prev_members
                                                               where part in (select part from _keep_parts))
            """).fetchall()]
        cur.unregister("_keep_parts")
    finally:
        cur.unregister("_prev_members")
    return PartPlan(rewrite=rewrite, keep_parts=keep, keep_members=keep_members,
                    first_part=max(p for p, _, _ in parts) + 1)


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def _row_counts(cur: duckdb.DuckDBPyConnection, table: str, where: str) -> dict[str, int]:
    return dict(cur.sql(f"select report_id, count(*) from marts.{table} {where} group by report_id").fetchall())


def write_parted(cur: duckdb.DuckDBPyConnection, table: str, version: Path, versions_sql: str | None,
                 layout: str, previous_version: Path | None, free_text: frozenset[str], expected_rows: int,
                 part_rows: int = PART_ROWS) -> dict[str, int]:
    """Export `marts.<table>` into the export version folder `version` (its part files in
    `parquet/<table>/`) and, with `versions_sql` (selecting report_id and v, the report's version),
    its membership list (`members_path`). Without versions the whole mart is written and no list is
    kept. Min/max statistics on every column but those of `free_text`. Returns what it wrote and
    linked."""
    import pyarrow.parquet as pq

    layout = f"{layout}|{part_rows} rows a part"
    folder = version / "parquet" / table
    folder.mkdir(parents=True, exist_ok=True)
    prev_folder = previous_version / "parquet" / table if previous_version is not None else None
    plan = PartPlan(rewrite=None)
    if versions_sql is not None and prev_folder is not None:
        prev = read_members(members_path(previous_version, table), layout)
        plan = plan_parts(cur, versions_sql, prev, prev_folder, part_rows)
    schema = cur.sql(f"select * from marts.{table} limit 0").to_arrow_table().schema
    stats = [name for name in schema.names if name not in free_text]

    def write(plan: PartPlan, by_report: bool) -> PartWriter:
        where = ""
        if plan.rewrite is not None:
            cur.register("_rewrite", pa.table({"report_id": pa.array(plan.rewrite, pa.string())}))
            where = "where report_id in (select report_id from _rewrite)"
        writer = PartWriter(folder, schema, plan.first_part, part_rows, stats,
                            _row_counts(cur, table, where) if by_report else None)
        try:
            with contextlib.closing(iter(BatchStream(cur, f"select * from marts.{table} {where}"))) as batches:
                for batch in batches:
                    writer.write(batch)
            writer.close()
            writer.check()
            kept = sum(plan.keep_members.column("rows").to_pylist()) if plan.keep_members is not None else 0
            if kept + writer.total_rows != expected_rows:
                raise Scattered("the parts do not add up to the mart")     # a stale membership list
        except BaseException:
            writer.discard()
            raise
        finally:
            if plan.rewrite is not None:
                cur.unregister("_rewrite")
        return writer

    # should the rows not add up or come too scattered: the whole mart again by report (the list was
    # stale), else cut anywhere, without a list (the next export writes it all again too)
    attempts = [(plan, versions_sql is not None)]
    if versions_sql is not None and plan.rewrite is not None:
        attempts.append((PartPlan(rewrite=None), True))
    if versions_sql is not None:
        attempts.append((PartPlan(rewrite=None), False))
    for k, (plan, by_report) in enumerate(attempts):
        try:
            writer = write(plan, by_report)
            break
        except Scattered:
            if k == len(attempts) - 1:
                raise
    for p in plan.keep_parts:
        _link_or_copy(prev_folder / part_name(p), folder / part_name(p))
    if not writer.written and not plan.keep_parts:      # an empty mart: one empty part, with its columns
        pq.ParquetWriter(folder / part_name(0), schema, compression="snappy").close()
    if by_report:
        new = pa.table({"report_id": pa.array(list(writer.members), pa.string()),
                        "part": pa.array([m[0] for m in writer.members.values()], pa.int32()),
                        "rows": pa.array([m[1] for m in writer.members.values()], pa.int64())})
        cur.register("_new_members", new)
        try:
            members = cur.sql(f"select n.report_id, v.v, n.part, n.rows from _new_members as n "
                              f"join ({versions_sql}) as v using (report_id)").to_arrow_table()
        finally:
            cur.unregister("_new_members")
        if plan.keep_members is not None:
            members = pa.concat_tables([plan.keep_members.select(members.schema.names).cast(members.schema), members])
        pq.write_table(members.replace_schema_metadata({LAYOUT_KEY: layout.encode()}), members_path(version, table))
    return {"parts_written": len(writer.written), "parts_linked": len(plan.keep_parts),
            "rows_written": writer.total_rows}
