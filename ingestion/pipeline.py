"""Landing folder → raw layer: discover, plan, extract (in parallel), load in batches."""
from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from . import PARSER_VERSION
from .discover import KnownFile, ReportFile, discover
from .extract import extract_file
from .records import ExtractionResult
from .schema import ensure_raw_schema
from .warehouse import RawBatch, RawLoader, build_batch, plan


@dataclass
class IngestSummary:
    files: int = 0
    parsed: int = 0
    partial: int = 0
    failed: int = 0
    skipped_unchanged: int = 0
    withdrawn: int = 0
    metrics: int = 0
    unmapped: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _timed_extract(path: str) -> tuple[ExtractionResult, float]:
    t0 = time.perf_counter()
    res = extract_file(path)
    return res, (time.perf_counter() - t0) * 1000


def _extract_batch(files: list[ReportFile], run_id: str) -> RawBatch:
    """Extract a chunk of files and build their raw-layer rows (runs in a worker process)."""
    return build_batch([(f, *_timed_extract(f.path)) for f in files], run_id)


def _worker_context():
    """Worker processes start from a small server process that imported the extraction library
    once (`forkserver`), not as forks of the calling process: a Dagster run or a benchmark holding
    a gigabyte would otherwise hand every worker its pages (counted again in each worker's RSS, and
    copied as soon as Python's garbage collector touches them)."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["ingestion.pipeline"])
    return ctx


def extract_batches(files: list[ReportFile], run_id: str, workers: int | None = None,
                    chunksize: int = 64) -> Iterator[RawBatch]:
    """Extract files and build their raw-layer rows as Arrow batches, a chunk of `chunksize` files
    at a time, in order: in this process for few files or one worker, else across worker processes
    (see `_worker_context`) with a bounded window of chunks in flight (Executor.map would submit all
    of them at once and keep every finished result until it is consumed), so memory stays flat
    whatever the number of files."""
    chunks = [files[i:i + chunksize] for i in range(0, len(files), chunksize)]
    workers = workers or int(os.environ.get("DISCLOSURE_WORKERS", "0")) or (os.cpu_count() or 1)
    if workers <= 1 or len(files) < 200:
        for chunk in chunks:
            yield _extract_batch(chunk, run_id)
        return
    window = max(2, workers * 2)
    with ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context()) as pool:
        pending: deque = deque()
        nxt = 0
        while nxt < len(chunks) or pending:
            while nxt < len(chunks) and len(pending) < window:
                pending.append(pool.submit(_extract_batch, chunks[nxt], run_id))
                nxt += 1
            yield pending.popleft().result()


def record_landing_files(con: duckdb.DuckDBPyConnection, files: list[ReportFile],
                         known: dict[str, KnownFile] | None = None) -> int:
    """Make raw.landing_files hold what the landing folder holds now; returns the rows written.

    With `known` (what `known_landing_files` read before this discovery) only the difference is
    written: the rows of files that are new, changed (size, mtime, sha256 or absolute path) or gone
    are replaced, and `discovered_at` says when a file was first seen as it is. Without it the table
    is replaced as a whole."""
    import datetime as dt

    import pyarrow as pa

    ensure_raw_schema(con)
    if known is None:
        stale, fresh = None, files
    else:
        here = {f.source_file for f in files}
        fresh = [f for f in files if not ((k := known.get(f.source_file)) and k.same_as(f))]
        stale = [f.source_file for f in fresh] + [src for src in known if src not in here]
        if not stale:
            return 0
    now = dt.datetime.now()
    arrow = pa.table({
        "source_file": [f.source_file for f in fresh], "report_id": [f.report_id for f in fresh],
        "file_path": [f.path for f in fresh], "file_size": pa.array([f.size for f in fresh], pa.int64()),
        "content_sha256": [f.sha256 for f in fresh],
        "file_mtime": pa.array([dt.datetime.fromtimestamp(f.mtime) for f in fresh], pa.timestamp("us")),
        "discovered_at": pa.array([now] * len(fresh), pa.timestamp("us")),
    })
    con.execute("BEGIN TRANSACTION")
    if stale is None:
        con.execute("delete from raw.landing_files")
    else:
        con.register("_stale", pa.table({"source_file": pa.array(stale, pa.string())}))
        con.execute("delete from raw.landing_files where source_file in (select source_file from _stale)")
        con.unregister("_stale")
    con.register("_files", arrow)
    con.execute("insert into raw.landing_files select * from _files")
    con.unregister("_files")
    con.execute("COMMIT")
    return len(fresh)


def known_landing_files(con: duckdb.DuckDBPyConnection) -> dict[str, KnownFile]:
    """What the last discovery found, by relative path, for `discover(known=)` and
    `record_landing_files(known=)`."""
    ensure_raw_schema(con)
    rows = con.execute("select source_file, file_size, file_mtime, content_sha256, file_path, report_id "
                       "from raw.landing_files").fetchall()
    return {src: KnownFile(size, mtime, sha, path, rid) for src, size, mtime, sha, path, rid in rows
            if mtime is not None}


def landing_files(con: duckdb.DuckDBPyConnection) -> list[ReportFile]:
    rows = con.execute("select file_path, source_file, file_size, content_sha256, epoch(file_mtime), report_id "
                       "from raw.landing_files order by source_file").fetchall()
    return [ReportFile(*r) for r in rows]


def ingest(landing_dir: str | Path, con: duckdb.DuckDBPyConnection, run_id: str,
           workers: int | None = None, batch_size: int = 1000) -> IngestSummary:
    """Discover and load in one call (the library's own entry point; Dagster runs the two steps
    as separate assets)."""
    t0 = time.perf_counter()
    known = known_landing_files(con)
    files = discover(landing_dir, known)
    record_landing_files(con, files, known)
    s = ingest_files(files, con, run_id, workers, batch_size)
    s.seconds["discover"] = round(time.perf_counter() - t0 - s.seconds["extract_load"], 3)
    return s


def ingest_files(files: list[ReportFile], con: duckdb.DuckDBPyConnection, run_id: str,
                 workers: int | None = None, batch_size: int = 1000) -> IngestSummary:
    s = IngestSummary(files=len(files))
    ensure_raw_schema(con)
    t1 = time.perf_counter()
    p = plan(con, files, PARSER_VERSION)
    loader = RawLoader(con, run_id, batch_size=batch_size)
    loader.skipped(p.unchanged, f"sha256 and parser {PARSER_VERSION} already loaded")
    loader.mark_present(p.reappeared)
    loader.mark_withdrawn(p.withdrawn)
    load = 0.0                     # time spent inserting; the rest is waiting on the extraction workers
    for batch in extract_batches(p.to_parse, run_id, workers):
        t = time.perf_counter()
        loader.add_batch(batch)
        load += time.perf_counter() - t
    t = time.perf_counter()
    loader.flush()
    load += time.perf_counter() - t
    t2 = time.perf_counter()
    for k in ("parsed", "partial", "failed", "skipped_unchanged", "withdrawn", "metrics", "unmapped"):
        setattr(s, k, loader.counts.get(k, 0))
    s.seconds = {"extract_load": round(t2 - t1, 3), "extract": round(t2 - t1 - load, 3), "load": round(load, 3)}
    return s
