"""Extraction speed: reports per second per core, for extraction alone.

1. the real corpus (data/sample + tests/corpus/dev/reports), bytes read up front, repeated
   (--repeats, default 20) through `ingestion.extract.extract_bytes` in this process;
2. a generated corpus (benchmarks/generate_corpus.py; --n reports, or --corpus DIR), same way;
3. the multi-process rate of `ingestion.pipeline.extract_batches` (what the refresh runs) on the generated corpus
   (--workers, default all cores).

Figures: reports/s/core (wall clock, and by this process's CPU time, which is steadier on a shared
machine), ms per report, and a breakdown per format and document type. The repeated passes run with
the extraction's caches warm (as in a worker that has seen thousands of reports); `--cold K` adds the
real corpus at first sight, each pass in a new process with empty caches. The target is
>= 1,000 text reports/s/core. Speed is measured here, never asserted in tests.

    .venv/bin/python benchmarks/bench_extract.py [--repeats 20] [--n 2000] [--workers 2]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TARGET = 1000.0


def _real_files() -> list[Path]:
    files = sorted((REPO / "data" / "sample").glob("*.txt"))
    files += sorted(p for p in (REPO / "tests" / "corpus" / "dev" / "reports").iterdir() if p.is_file())
    return files


def _load(paths: list[Path], root: Path | None = None) -> list[tuple[str, bytes]]:
    return [((p.relative_to(root).as_posix() if root else p.name), p.read_bytes()) for p in paths]


def _run_serial(blobs: list[tuple[str, bytes]], repeats: int):
    """Extract every blob `repeats` times; returns (wall s, cpu s, per-file ms lists, results)."""
    from ingestion.extract import extract_bytes

    per: dict[str, list[float]] = defaultdict(list)
    results = {}
    for name, data in blobs[: min(len(blobs), 30)]:       # warm up (imports, regex caches)
        extract_bytes(data, name)
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(repeats):
        for name, data in blobs:
            t = time.perf_counter()
            res = extract_bytes(data, name)
            per[name].append((time.perf_counter() - t) * 1000)
            results[name] = res
    return time.perf_counter() - w0, time.process_time() - c0, per, results


def _report(title: str, blobs, repeats: int, labels: dict[str, str] | None = None) -> dict:
    if not blobs or repeats < 1:
        raise SystemExit(f"{title}: nothing to extract")
    wall, cpu, per, results = _run_serial(blobs, repeats)
    n = len(blobs) * repeats
    print(f"\n== {title}: {len(blobs)} files x {repeats} repeats = {n} extractions, 1 process")
    print(f"   {n / wall:,.0f} reports/s/core (wall)   {n / cpu:,.0f} reports/s/core (CPU)   "
          f"{wall / n * 1000:.2f} ms/report (wall)")
    groups: dict[str, list[float]] = defaultdict(list)
    status: dict[str, int] = defaultdict(int)
    for name, times in per.items():
        res = results[name]
        doc = "html" if res.doc_type == "html" else "text"
        g = labels.get(name) if labels else None
        groups[g or f"{res.format} / {doc}"].extend(times)
        groups[f"ALL {doc}"].extend(times)
        status[res.parse_status] += 1
    print(f"   {'group':<38} {'files':>6} {'ms mean':>8} {'ms p50':>7} {'ms p95':>7} {'rep/s/core':>11}")
    for g in sorted(groups, key=lambda k: (k.startswith("ALL"), k)):
        ts = sorted(groups[g])
        mean = statistics.fmean(ts)
        p95 = ts[min(len(ts) - 1, int(len(ts) * 0.95))]
        print(f"   {g:<38} {len(ts) // repeats:>6} {mean:>8.2f} {ts[len(ts) // 2]:>7.2f} {p95:>7.2f} {1000 / mean:>11,.0f}")
    text = groups.get("ALL text")
    text_rate = 1000 / statistics.fmean(text) if text else None
    if text_rate:
        print(f"   text reports: {text_rate:,.0f}/s/core -> target {TARGET:,.0f}: {'MET' if text_rate >= TARGET else 'NOT MET'}")
    print(f"   parse status: {dict(status)}")
    return {"rate_wall": n / wall, "rate_cpu": n / cpu, "text_rate": text_rate}


def _cold_pass() -> None:
    """One pass over the real corpus in this fresh process, no warm-up: prints each text report's
    extraction time (ms) as JSON (the parent runs this as a subprocess, see `_report_cold`)."""
    import importlib
    import json
    import pkgutil

    import ingestion
    from ingestion.extract import extract_bytes

    for mod in pkgutil.iter_modules(ingestion.__path__):     # imports are start-up, not extraction
        importlib.import_module(f"ingestion.{mod.name}")
    # one-time start-up (the divisions table, the catalog) on a line that is no report of the corpus
    extract_bytes("某县人民政府2020年政府信息公开工作年度报告".encode(), "warm-up.txt")
    times = {}
    for name, data in _load(_real_files()):
        t = time.perf_counter()
        res = extract_bytes(data, name)
        if res.doc_type != "html":
            times[name] = (time.perf_counter() - t) * 1000
    print(json.dumps(times))


def _report_cold(passes: int) -> None:
    """The real corpus seen for the first time: each pass in a new process (every ingestion module
    imported and its one-time tables loaded first, not timed; no warm-up on the corpus, so no cache
    of the extraction holds anything of these reports yet)."""
    import json
    import subprocess

    per: list[float] = []
    for _ in range(passes):
        out = subprocess.run([sys.executable, __file__, "--cold-pass"], check=True, capture_output=True,
                             text=True, cwd=REPO).stdout
        per += json.loads(out.strip().splitlines()[-1]).values()
    mean = statistics.fmean(per)
    print(f"\n== real corpus, first sight: {passes} fresh processes x {len(per) // passes} text reports, "
          f"each extracted once with empty caches")
    print(f"   {1000 / mean:,.0f} text reports/s/core   {mean:.2f} ms mean   "
          f"{sorted(per)[len(per) // 2]:.2f} ms p50")


def _bench_many(corpus: Path, workers: int, limit: int | None = None) -> None:
    from ingestion.discover import discover
    from ingestion.pipeline import extract_batches

    files = discover(corpus)
    if limit:
        files = files[:limit]
    for f in files:                     # page the files in, so the figure is extraction, not the disk
        Path(f.path).read_bytes()
    w0 = time.perf_counter()
    n, ms_sum, statuses = 0, 0.0, defaultdict(int)
    for batch in extract_batches(files, "bench", workers):
        events = batch.tables["parse_events"]
        n += events.num_rows
        ms_sum += sum(v for v in events.column("duration_ms").to_pylist() if v is not None)
        for status in ("parsed", "partial", "failed"):
            statuses[status] += batch.counts.get(status, 0)
    wall = time.perf_counter() - w0
    print(f"\n== extract_batches on {n} generated files, workers={workers} "
          f"(file read + extract + raw rows as Arrow + pickling: what the refresh's workers do)")
    print(f"   {n / wall:,.0f} reports/s total   {n / wall / workers:,.0f} reports/s/core   "
          f"{ms_sum / max(n, 1):.2f} ms/report of extraction inside the workers   wall {wall:.2f} s")
    if len(files) < 200:
        print("   (fewer than 200 files: extract_batches runs them serially)")
    print(f"   parse status: {dict(statuses)}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=20, help="passes over the real corpus")
    ap.add_argument("--n", type=int, default=2000, help="generated reports (ignored with --corpus)")
    ap.add_argument("--gen-repeats", type=int, default=1, help="passes over the generated corpus")
    ap.add_argument("--corpus", default=None, help="an existing generated corpus folder")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--skip-real", action="store_true")
    ap.add_argument("--skip-many", action="store_true")
    ap.add_argument("--cold", type=int, default=5, metavar="K",
                    help="also the real corpus at first sight: K passes, each in a fresh process (0: skip)")
    ap.add_argument("--cold-pass", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.cold_pass:
        _cold_pass()
        return 0

    print(f"cores: {os.cpu_count()}  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not a.skip_real:
        real = _real_files()
        _report("real corpus (data/sample + tests/corpus/dev/reports)", _load(real), a.repeats)
        if a.cold:
            _report_cold(a.cold)

    from benchmarks.generate_corpus import corpus_or_generated

    with corpus_or_generated(a.corpus, a.n, a.seed, prefix="bench_extract_") as corpus:
        return _bench_generated(corpus, a)


def _bench_generated(corpus: Path, a) -> int:
    from benchmarks.generate_corpus import load_manifest

    mpath = corpus / "manifest.json" if (corpus / "manifest.json").exists() else corpus.parent / "manifest.json"
    labels = None
    if mpath.exists():
        labels = {e["file"]: f"{e['format']} / {e['layout']}" for e in load_manifest(mpath)["reports"]}
    paths = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("manifest"))
    if a.corpus and a.n:
        paths = paths[: a.n]
    if not paths:
        # generate_corpus.py --out DIR writes DIR/g000, DIR/g001 …: DIR is the corpus
        print(f"\nno report files under {corpus}: give --corpus the folder generate_corpus.py --out wrote")
        return 1
    _report(f"generated corpus ({corpus})", _load(paths, corpus), a.gen_repeats, labels)
    if not a.skip_many:
        _bench_many(corpus, a.workers, a.n if a.corpus else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
