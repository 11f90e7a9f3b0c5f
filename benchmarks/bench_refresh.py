"""End-to-end refresh benchmark: the real `refresh` Dagster job, in process, on a generated corpus.

Generates --n reports (default 10,000) into a temporary landing folder, then runs
`defs.resolve_job_def('refresh').execute_in_process(...)` three times with DISCLOSURE_LANDING_DIR
and DISCLOSURE_WAREHOUSE pointing at temporary paths, in this process (imports paid once, before
the figures) or, with --fresh-process, each time in a new Python process like a run that Dagster
launches (imports, definitions and the event storage in DAGSTER_HOME count; the memory figures
are those of the run process's tree, without the benchmark process):

1. full      - an empty warehouse, every file parsed;
2. increment - 1% new files added and 0.1% of the files changed (new numbers, same identity);
3. no change - nothing touched.

For each run it prints the wall time of every step, read from the run's STEP_START and
STEP_SUCCESS/STEP_FAILURE events (report_files = discover, raw_reports = extract + load,
dbt_warehouse = dbt build, the check steps, published_warehouse = publish), reports per second,
the peak RSS of the whole process tree (this process plus every child: dbt, extraction workers;
sampled by a background thread with psutil), and the warehouse size. It then compares the plant
manifest with `marts.fct_quality_issues`: every planted broken total must be flagged under each rule
the manifest names (misses), and nothing else may be flagged (false positives).

A failing job is reported (step, error) instead of raising: the figures of the steps that ran are
still printed.

    .venv/bin/python benchmarks/bench_refresh.py [--n 10000] [--workers 2] [--keep DIR] [--fresh-process]
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


# ---------------------------------------------------------------- memory sampling
class TreeRSS:
    """Peak resident memory of this process and all its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.2, include_self: bool = True):
        import psutil

        self.include_self = include_self

        self._psutil = psutil
        self.proc = psutil.Process()
        self.interval = interval
        self.peak = 0
        self.at_peak = (0, 0)      # (this process, children) at the moment of the peak
        self.peak_pss = 0          # proportional set size: pages shared by forked workers counted once
        self.peak_self = 0
        self.peak_children = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._loop, daemon=True)

    def sample(self) -> int:
        ps = self._psutil
        try:
            own = self.proc.memory_info().rss if self.include_self else 0
            kids = self.proc.children(recursive=True)
        except ps.Error:
            own, kids = 0, []
        rest = 0
        pss = self._pss(self.proc) if self.include_self else 0
        for p in kids:
            try:
                rest += p.memory_info().rss
            except ps.Error:
                pass
            pss += self._pss(p)
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_self = max(self.peak_self, own)
        self.peak_children = max(self.peak_children, rest)
        if own + rest > self.peak:
            self.peak, self.at_peak = own + rest, (own, rest)
        return own + rest

    @staticmethod
    def _pss(p) -> int:
        """Proportional set size from /proc/<pid>/smaps_rollup (summed by the kernel: cheap enough
        to sample every 0.2 s, unlike parsing the whole smaps); 0 where it cannot be read."""
        try:
            with open(f"/proc/{p.pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _loop(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        self.sample()
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.sample()


# ---------------------------------------------------------------- one run
def _dir_size(p: Path) -> int:
    if p.is_file():
        return p.stat().st_size
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.exists() else 0


class _Quiet:
    """Send everything written to fd 1 and 2 (Dagster's console log, dbt's output) to a log file."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self.fh = open(self.path, "ab")
        self.saved = (os.dup(1), os.dup(2))
        os.dup2(self.fh.fileno(), 1)
        os.dup2(self.fh.fileno(), 2)
        return self

    def __exit__(self, *exc):
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(self.saved[0], 1)
        os.dup2(self.saved[1], 2)
        for fd in self.saved:
            os.close(fd)
        self.fh.close()


_CHILD = """
import sys
import dagster as dg
from dagster_project.definitions import defs
with dg.DagsterInstance.get() as instance:
    result = defs.resolve_job_def("refresh").execute_in_process(instance=instance, raise_on_error=False)
    print("RUN_ID", result.run_id, result.success, file=sys.__stderr__)
"""


def _run_in_fresh_process(log_path: Path, out: dict) -> None:
    """The job in a new Python process, as Dagster's run launcher starts a run: imports and the
    loading of the definitions are part of the time; events go to DAGSTER_HOME's storage."""
    import subprocess

    with open(log_path, "ab") as log:
        proc = subprocess.run([sys.executable, "-c", _CHILD], cwd=REPO, stdout=log, stderr=subprocess.PIPE)
        log.write(proc.stderr)
    tail = proc.stderr.decode("utf-8", "replace")
    line = next((x for x in tail.splitlines() if x.startswith("RUN_ID ")), None)
    if line is None:
        out["success"] = False
        out["errors"].append(f"job did not run (exit {proc.returncode}): {tail.strip()[-500:]}")
        return
    _, out["run_id"], success = line.split()
    out["success"] = success == "True"


def run_refresh(instance, label: str, log_path: Path, fresh_process: bool = False) -> dict:
    """One run of the `refresh` job: in this process (`execute_in_process`, imports already paid)
    or, with `fresh_process`, in a new process like a launched Dagster run. Step times, the ingest's
    extract/load split and the failed checks are read from the instance's event log."""
    out: dict = {"label": label, "steps": {}, "order": [], "errors": [], "log": str(log_path),
                 "fresh_process": fresh_process}
    # a fresh run's tree is the run process and its children; this process (the benchmark, with
    # the plant manifest) is not part of it
    with TreeRSS(include_self=not fresh_process) as mem, _Quiet(log_path):
        t0 = time.perf_counter()
        if fresh_process:
            _run_in_fresh_process(log_path, out)
        else:
            from dagster_project.definitions import defs

            try:
                result = defs.resolve_job_def("refresh").execute_in_process(instance=instance, raise_on_error=False)
                out["success"], out["run_id"] = result.success, result.run_id
            except Exception as exc:  # noqa: BLE001 - a job that cannot even start is reported, not raised
                out["success"] = False
                out["errors"].append(f"job did not run: {type(exc).__name__}: {exc}")
        out["wall"] = time.perf_counter() - t0
    out["peak_rss"] = mem.peak
    out["peak_rss_self"], out["peak_rss_children"] = mem.peak_self, mem.peak_children
    out["rss_at_peak"] = mem.at_peak
    out["peak_pss"] = mem.peak_pss
    lingering = _wait_children(120)
    if lingering:
        out["errors"].append(f"child processes still running after the run ended (waited {lingering:.0f} s): "
                             "a later run would find the build file locked")
    if "run_id" not in out:
        return out
    starts: dict[str, float] = {}
    records = instance.all_logs(out["run_id"])
    for rec in records:
        ev = rec.dagster_event
        if ev is None or not rec.step_key:
            continue
        et = ev.event_type_value
        if et == "STEP_START":
            starts[rec.step_key] = rec.timestamp
            out["order"].append(rec.step_key)
        elif et in ("STEP_SUCCESS", "STEP_FAILURE"):
            s = starts.get(rec.step_key, rec.timestamp)
            out["steps"][rec.step_key] = (rec.timestamp - s, et == "STEP_SUCCESS")
            if et == "STEP_FAILURE":
                out["errors"].append(f"{rec.step_key}: {_error_text(getattr(ev.event_specific_data, 'error', None), ev)}")
        elif et == "STEP_SKIPPED" or (et == "STEP_UP_FOR_RETRY"):
            out["steps"].setdefault(rec.step_key, (0.0, False))
            out["errors"].append(f"{rec.step_key}: {et}")
    for rec in records:
        ev = rec.dagster_event
        if ev is None:
            continue
        if ev.event_type_value == "ASSET_MATERIALIZATION":
            mat = ev.event_specific_data.materialization
            if mat.asset_key.to_user_string() == "raw/reports" and "seconds" in mat.metadata:
                out["ingest_seconds"] = mat.metadata["seconds"].value   # extract / load split
        if ev.event_type_value == "ASSET_CHECK_EVALUATION":
            d = ev.event_specific_data
            if not d.passed:
                out.setdefault("checks_failed", []).append(f"{d.asset_key.to_user_string()}:{d.check_name}")
    return out


def _wait_children(timeout: float) -> float:
    """Wait for the children of this process (extraction workers, a dbt process) to end; returns
    how long they outlived the run (0 when none was left). multiprocessing's resource tracker and
    the extraction workers' forkserver live as long as this process by design (started by exec,
    they hold no file of the run)."""
    import psutil

    t0 = time.perf_counter()
    kids = []
    for k in psutil.Process().children(recursive=True):
        try:
            cmd = " ".join(k.cmdline())
            if "multiprocessing.resource_tracker" not in cmd and "multiprocessing.forkserver" not in cmd:
                kids.append(k)
        except psutil.Error:
            pass
    if not kids:
        return 0.0
    psutil.wait_procs(kids, timeout=timeout)
    return time.perf_counter() - t0


def _error_text(err, ev) -> str:
    """The innermost cause of a step failure (Dagster wraps the user error in its own)."""
    if err is None:
        return (ev.message or "").strip()[:600]
    chain = [err]
    while (nxt := (chain[-1].cause or chain[-1].context)) is not None and len(chain) < 10:
        chain.append(nxt)
    inner = chain[-1]
    first = err.message.strip().splitlines()[0] if err.message else ""
    return f"{inner.cls_name}: {inner.message.strip()[:500]}" + (f"  (in: {first[:200]})" if inner is not err else "")


def _raw_counts(build_db: Path, run_id: str) -> dict:
    import duckdb

    try:
        con = duckdb.connect(str(build_db), read_only=True)
    except Exception:  # noqa: BLE001
        return {}
    try:
        return dict(con.execute("select action, count(*) from raw.parse_events where run_id = ? group by 1",
                                [run_id]).fetchall())
    except Exception:  # noqa: BLE001
        return {}
    finally:
        con.close()


def print_run(r: dict, build_db: Path, warehouse: Path, n_files: int) -> None:
    ok = "OK" if r.get("success") else "FAILED"
    own, kids = r.get("rss_at_peak", (0, 0))
    split = (f"the run's process and its children (dbt, extraction workers), not this benchmark"
             if r.get("fresh_process") else
             f"this process {own / 2**20:,.0f} + children {kids / 2**20:,.0f} MiB at that moment "
             f"(each at its own peak: {r.get('peak_rss_self', 0) / 2**20:,.0f} and "
             f"{r.get('peak_rss_children', 0) / 2**20:,.0f} MiB)")
    print(f"\n== {r['label']} refresh: {ok}, wall {r['wall']:.1f} s, peak RSS (process tree) {r['peak_rss'] / 2**20:,.0f} MiB "
          f"= {split}; RSS sums count pages shared by forked workers more than once; "
          f"peak PSS of the tree (shared pages counted once) {r.get('peak_pss', 0) / 2**20:,.0f} MiB")
    names = {"raw__landing_files": "discover", "report_files": "discover", "raw_reports": "extract + load",
             "dbt_warehouse": "dbt build", "published_warehouse": "publish"}
    counts = _raw_counts(build_db, r.get("run_id", "")) if r.get("run_id") else {}
    parsed = counts.get("parsed", 0) + counts.get("failed", 0)
    for key in r["order"]:
        secs, success = r["steps"].get(key, (float("nan"), False))
        extra = ""
        if key == "raw_reports" and parsed:
            extra = f"   {parsed:,} files parsed -> {parsed / max(secs, 1e-9):,.0f} reports/s"
        elif names.get(key) == "discover":
            extra = f"   {n_files:,} files -> {n_files / max(secs, 1e-9):,.0f} files/s"
        print(f"   {key:<28} {names.get(key, 'checks' if 'check' in key or 'gx' in key else ''):<15} "
              f"{secs:8.2f} s {'' if success else ' FAILED'}{extra}")
        split = r.get("ingest_seconds") or {}
        if key == "raw_reports" and "load" in split:
            print(f"     {'of which extract':<26} {'(workers)':<15} {split['extract']:8.2f} s")
            print(f"     {'of which load':<26} {'(DuckDB)':<15} {split['load']:8.2f} s")
    if counts:
        print(f"   parse events: {counts}")
    print(f"   end to end: {n_files / r['wall']:,.0f} reports/s over the landing folder")
    if warehouse.exists() or build_db.exists():
        print(f"   warehouse {warehouse.stat().st_size / 2**20 if warehouse.exists() else 0:,.1f} MiB published, "
              f"{build_db.stat().st_size / 2**20 if build_db.exists() else 0:,.1f} MiB build file, "
              f"{_dir_size(warehouse.parent) / 2**20:,.1f} MiB whole folder")
    for c in r.get("checks_failed", []):
        print(f"   check not passed: {c}")
    for e in r["errors"]:
        print(f"   ERROR {e}")
    if r["errors"] or not r.get("success"):
        print(f"   (Dagster and dbt output of this run: {r['log']})")


# ---------------------------------------------------------------- plant manifest vs findings
def compare_plants(warehouse: Path, entries: list[dict]) -> dict | None:
    import duckdb

    if not warehouse.exists():
        print("\n== planted breaks: no published warehouse to compare with")
        return None
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("""
            select r.source_file, q.rule_id, q.severity, count(*)
            from marts.fct_quality_issues q join marts.dim_reports r using (report_id)
            group by all""").fetchall()
        run_level = con.execute("select rule_id, count(*) from marts.fct_quality_issues "
                                "where report_id is null group by 1").fetchall()
    except Exception as exc:  # noqa: BLE001
        print(f"\n== planted breaks: cannot read marts.fct_quality_issues / dim_reports: {exc}")
        return None
    finally:
        con.close()
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for src, rule, sev, _n in rows:
        found[src][rule] = sev
    expected = {e["file"]: set(e["break"]["rules"]) for e in entries if e.get("break")}
    known = {e["file"] for e in entries}
    misses = Counter()
    miss_examples = []
    for f, rules in expected.items():
        for rule in rules:
            if rule not in found.get(f, {}):
                misses[rule] += 1
                if len(miss_examples) < 8:
                    e = next(x for x in entries if x["file"] == f)
                    miss_examples.append(f"{f} {e['format']}/{e['layout']} {e['break']['key']} "
                                         f"printed {e['break']['printed']} (consistent {e['break']['consistent']}) -> {rule}")
    fp = Counter()
    fp_examples = []
    for f, rules in found.items():
        if f not in known:
            continue
        for rule, sev in rules.items():
            if rule not in expected.get(f, set()):
                fp[(rule, sev)] += 1
                if len(fp_examples) < 8:
                    fp_examples.append(f"{f} {rule} ({sev})")
    planted = sum(len(r) for r in expected.values())
    hit = planted - sum(misses.values())
    by_rule = Counter(r for rules in expected.values() for r in rules)
    print(f"\n== planted breaks vs marts.fct_quality_issues: {len(expected):,} broken reports, "
          f"{planted:,} (report, rule) plants, {hit:,} flagged ({hit / max(planted, 1):.1%})")
    for rule in sorted(by_rule):
        print(f"   {rule:<6} planted {by_rule[rule]:>6,}  missed {misses.get(rule, 0):>6,}")
    print(f"   misses: {sum(misses.values()):,}" + "".join(f"\n     {x}" for x in miss_examples))
    print(f"   false positives (finding on a report/rule not planted): {sum(fp.values()):,} "
          f"{dict(sorted(fp.items()))}" + "".join(f"\n     {x}" for x in fp_examples))
    if run_level:
        print(f"   run-level findings: {dict(run_level)}")
    return {"planted": planted, "hit": hit, "misses": sum(misses.values()), "false_positives": sum(fp.values())}


# ---------------------------------------------------------------- main
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--broken-share", type=float, default=0.05)
    ap.add_argument("--workers", type=int, default=None, help="DISCLOSURE_WORKERS for extraction (default: all cores)")
    ap.add_argument("--keep", default=None, help="work in this folder and keep it (default: a temp folder, removed)")
    ap.add_argument("--skip-incremental", action="store_true")
    ap.add_argument("--fresh-process", action="store_true",
                    help="run each refresh in a new Python process, like a run launched by Dagster "
                         "(imports and definitions count; events stored in DAGSTER_HOME)")
    a = ap.parse_args(argv)

    from benchmarks.generate_corpus import generate, rewrite

    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="bench_refresh_"))
    if a.keep and work.exists():
        shutil.rmtree(work)
    landing, wh_dir = work / "landing", work / "wh"
    warehouse = wh_dir / "warehouse.duckdb"
    build_db = wh_dir / ".build" / "warehouse.duckdb"
    os.environ["DISCLOSURE_LANDING_DIR"] = str(landing)
    os.environ["DISCLOSURE_WAREHOUSE"] = str(warehouse)
    os.environ.setdefault("DAGSTER_HOME", str(work / "dagster_home"))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    if a.workers:
        os.environ["DISCLOSURE_WORKERS"] = str(a.workers)
    print(f"cores: {os.cpu_count()}  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  work: {work}")

    t = time.perf_counter()
    m = generate(landing, a.n, a.seed, a.broken_share, manifest_path=work / "manifest.json")
    entries = {e["file"]: e for e in m["reports"]}
    print(f"generated {a.n:,} reports ({m['bytes'] / 2**20:,.0f} MiB, {m['broken']} broken) in {time.perf_counter() - t:.1f} s "
          f"(not part of the figures)")

    import dagster as dg

    t = time.perf_counter()
    for attempt in range(3):   # dbt/target/manifest.json may be mid-rewrite by a concurrent dbt command
        try:
            from dagster_project.definitions import defs  # noqa: F401 - import cost shown apart
            break
        except Exception as exc:  # noqa: BLE001
            for mod in [k for k in sys.modules if k.startswith("dagster_project")]:
                del sys.modules[mod]
            if attempt == 2:
                print(f"FAILED: cannot import dagster_project.definitions: {type(exc).__name__}: {exc}")
                return 2
            time.sleep(3)
    print(f"import of dagster_project.definitions: {time.perf_counter() - t:.1f} s (not part of the figures)")
    instance = dg.DagsterInstance.get() if a.fresh_process else dg.DagsterInstance.ephemeral()
    print(f"each refresh runs {'in a new process (like a launched run)' if a.fresh_process else 'in this process'}")
    runs = []
    ok = True

    r = run_refresh(instance, "full", work / "refresh_full.log", a.fresh_process)
    print_run(r, build_db, warehouse, len(entries))
    runs.append(r)
    ok &= bool(r.get("success"))
    res_full = compare_plants(warehouse, list(entries.values()))

    if not a.skip_incremental and not r.get("success"):
        print("\nincremental and no-change runs skipped: the full refresh failed")
    elif not a.skip_incremental:
        add = max(1, a.n // 100)
        change = max(1, a.n // 1000)
        t = time.perf_counter()
        more = generate(landing, add, a.seed, a.broken_share, start=a.n, manifest_path=work / "manifest_added.json")
        rng = random.Random(a.seed + 1)
        chosen = rng.sample(sorted(entries.values(), key=lambda e: e["index"]), change)
        changed = rewrite(landing, chosen, a.seed, variant=1)
        for e in more["reports"] + changed:
            entries[e["file"]] = e
        print(f"\nincrement: added {add:,} new files, changed {len(changed):,} files in {time.perf_counter() - t:.1f} s")
        r = run_refresh(instance, "incremental", work / "refresh_incremental.log", a.fresh_process)
        print_run(r, build_db, warehouse, len(entries))
        runs.append(r)
        ok &= bool(r.get("success"))
        compare_plants(warehouse, list(entries.values()))

        r = run_refresh(instance, "no-change", work / "refresh_no-change.log", a.fresh_process)
        print_run(r, build_db, warehouse, len(entries))
        runs.append(r)
        ok &= bool(r.get("success"))

    print("\n== summary")
    steps = []
    for r in runs:
        for k in r["order"]:
            if k not in steps:
                steps.append(k)
    print(f"   {'step':<28}" + "".join(f"{r['label']:>14}" for r in runs))
    for k in steps:
        print(f"   {k:<28}" + "".join(f"{r['steps'].get(k, (float('nan'),))[0]:>13.2f}s" for r in runs))
        if k == "raw_reports":
            for part in ("extract", "load"):
                print(f"     {part:<26}" + "".join(
                    f"{(r.get('ingest_seconds') or {}).get(part, float('nan')):>13.2f}s" for r in runs))
    print(f"   {'wall':<28}" + "".join(f"{r['wall']:>13.2f}s" for r in runs))
    print(f"   {'peak RSS MiB':<28}" + "".join(f"{r['peak_rss'] / 2**20:>14,.0f}" for r in runs))
    print(f"   {'peak PSS MiB':<28}" + "".join(f"{r.get('peak_pss', 0) / 2**20:>14,.0f}" for r in runs))
    print(f"   {'status':<28}" + "".join(f"{'ok' if r.get('success') else 'FAILED':>14}" for r in runs))
    if res_full:
        print(f"   planted (full run): {res_full['hit']:,}/{res_full['planted']:,} flagged, "
              f"{res_full['misses']:,} misses, {res_full['false_positives']:,} false positives")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"   kept: {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
