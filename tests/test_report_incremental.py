"""Report-by-report dbt models (materialization `report_incremental`) on real reports.

The sample and dev corpus are ingested and built; then one report is re-published with another
total, one file leaves the landing folder, one new file arrives, and the raw layer is refreshed.
The incremental `dbt build` must rebuild only those reports and give, table for table, exactly what
a `dbt build --full-refresh` of the same raw layer gives.
"""
from __future__ import annotations

import re
import shutil

import duckdb

from .conftest import DEV_DIR, SAMPLE_DIR
from .helpers import YUFANG, yufang_with_altered_total
from .test_dbt_project import _TARGET, ingest_into, q, run_dbt

PER_REPORT_MODELS = ("int_metric_values", "int_rule_evaluations", "int_report_findings", "int_people_values",
                     "int_wide_applications",
                     "int_wide_proactive", "int_wide_table4", "int_wide_legacy", "int_wide_agency_year")
# per report too, with the report's int_people_reports row (is_current, open findings) in its version
PEOPLE_MARTS = ("mart_applications", "mart_proactive", "mart_review_litigation", "mart_legacy_stats", "mart_agency_year")
# rebuilt agency by agency (report_incremental in group mode), from the same changed reports
GROUP_MARTS = ("mart_agency_year_changes",)
TIME_COLUMNS = {"first_seen_at", "last_seen_at", "loaded_at", "event_at", "discovered_at", "sent_at"}


def _table_differences(a, b) -> dict[str, tuple[int, int, int]]:
    """Per table of `staging` and `marts` (not the __built, __changed, __unverified and __groups lists): rows in a, rows only
    in a, only in b."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{a}' as a (read_only)")
        con.execute(f"attach '{b}' as b (read_only)")
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = 'a' "
            "and table_schema in ('staging', 'marts') and table_type = 'BASE TABLE' "
            "and table_name not like '%\\_\\_built' escape '\\' and table_name not like '%\\_\\_changed' escape '\\' "
            "and table_name not like '%\\_\\_unverified' escape '\\' "
            "and table_name not like '%\\_\\_groups' escape '\\' "
            "order by 1, 2").fetchall()
        out = {}
        for schema, table in tables:
            cols = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'a' "
                "and table_schema = ? and table_name = ? order by ordinal_position", [schema, table]).fetchall()]
            cl = ", ".join(f'"{c}"' for c in cols if c not in TIME_COLUMNS)
            n = con.execute(f"select count(*) from a.{schema}.{table}").fetchone()[0]
            only_a = con.execute(f"select count(*) from (select {cl} from a.{schema}.{table} "
                                 f"except all select {cl} from b.{schema}.{table})").fetchone()[0]
            only_b = con.execute(f"select count(*) from (select {cl} from b.{schema}.{table} "
                                 f"except all select {cl} from a.{schema}.{table})").fetchone()[0]
            out[f"{schema}.{table}"] = (n, only_a, only_b)
        return out
    finally:
        con.close()


def _slice_log_lines() -> list[str]:
    log = (_TARGET / "logs" / "dbt.log").read_text(encoding="utf-8", errors="replace")
    return re.findall(r'"(?:staging|marts)"\."(\w+)": (incremental|full build), (\d+) of (\d+) reports', log)


def test_incremental_build_equals_full_refresh(tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE_DIR, landing)
    for p in sorted((DEV_DIR / "reports").iterdir())[:8]:
        shutil.copy(p, landing / p.name)
    db = tmp_path / "inc.duckdb"
    ingest_into(landing, db)
    run_dbt(db, tmp_path, "build")
    n_reports = q(db, "select count(*) from raw.reports")[0][0]
    for model in PER_REPORT_MODELS:
        assert q(db, f"select count(*), count(distinct fingerprint) from staging.{model}__built") == [(n_reports, 1)]
    assert not q(db, "select * from marts.fct_quality_issues where rule_id = 'R3.1'")

    # dbt run by hand: nothing acknowledged the build, its tests would check every report again;
    # the refresh acknowledges a successful build (as the Dagster dbt step does)
    assert q(db, "select count(*) from staging.int_metric_values__unverified") == [(n_reports,)]
    q(db, "checkpoint")
    from dagster_project.assets.dbt import acknowledge_verified
    acknowledge_verified(db)

    # the landing folder changes: a new total in one report, one file gone, one new file
    (landing / YUFANG).write_text(yufang_with_altered_total(3), encoding="utf-8")
    gone = sorted(landing.glob("d*"))[0]
    gone.unlink()
    new = sorted(landing.glob("d*"))[-1]
    # (a republished copy, which takes over as the current file: `new` itself is unchanged but no
    # longer current, a cross-report fact the people marts carry)
    shutil.copy(new, landing / f"0_republished_{new.name}")
    new_id = q(db, "select report_id from raw.reports where source_file = ?", new.name)[0][0]
    ingest_into(landing, db)
    q(db, "checkpoint")          # dbt-duckdb keeps the file open in this process: no WAL left behind
    full = tmp_path / "full.duckdb"
    shutil.copy(db, full)

    before = len(_slice_log_lines())
    run_dbt(db, tmp_path, "build")
    lines = _slice_log_lines()[before:]
    run_dbt(full, tmp_path, "build", "--full-refresh")

    # only the three reports whose version changed were rebuilt, in every per-report model
    incremental = {m: (kind, int(k), int(n)) for m, kind, k, n in lines}
    assert set(incremental) == set(PER_REPORT_MODELS) | set(PEOPLE_MARTS) | set(GROUP_MARTS)
    assert {incremental[m] for m in PER_REPORT_MODELS} == {("incremental", 3, n_reports + 1)}
    # the people marts also rebuild the report that is no longer current (its file did not change)
    assert {incremental[m] for m in PEOPLE_MARTS + GROUP_MARTS} == {("incremental", 4, n_reports + 1)}
    # the year-over-year mart rebuilt the agencies of those reports only, every year of them
    groups = q(db, "select count(*) from staging.mart_agency_year_changes__groups")[0][0]
    assert 0 < groups < q(db, "select count(distinct (agency, scope)) from marts.mart_agency_year_changes")[0][0]
    assert q(db, "select count(*) from staging.mart_applications__changed where report_id = ?", new_id) == [(1,)]
    assert q(db, "select is_current from marts.dim_reports where report_id = ?", new_id) == [(False,)]

    # copies: dbt-duckdb keeps both files attached in this process (checkpointed first: no WAL left)
    q(db, "checkpoint")
    q(full, "checkpoint")
    # what the incremental build rebuilt is what its tests check
    rebuilt = q(db, "select count(*) from staging.int_metric_values__changed")[0][0]
    assert rebuilt == 3
    assert q(db, "select count(*) from staging.int_metric_values__unverified") == [(3,)]
    diffs = _table_differences(shutil.copy(db, tmp_path / "inc_copy.duckdb"),
                               shutil.copy(full, tmp_path / "full_copy.duckdb"))
    assert diffs["staging.int_rule_evaluations"][0] > 100
    assert {t: d for t, d in diffs.items() if d[1] or d[2]} == {}
    rows = q(db, "select q.expected, q.actual from marts.fct_quality_issues q join marts.dim_reports r "
                 "using (report_id) where q.check_id = 'R3.1' and q.instance = 'total' and r.source_file = ?", YUFANG)
    assert rows == [(0.0, 3.0)] or rows == [(3.0, 0.0)], rows
