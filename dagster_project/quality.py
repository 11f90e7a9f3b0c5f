"""Great Expectations suites on the mart contract, run through one checkpoint per table.

GE runs on pandas frames read from DuckDB (its SQL path fails on DuckDB, STACK.md §7). The big
long fact is validated through a compact profile (one row per metric key and source: rows,
NULL values, duplicate reports, smallest value), so the suite costs the same at 100 rows or
100 million; row-level checks of the fact are dbt tests inside DuckDB. Data Docs are built
under `<data dir>/data_docs/` and linked from the Dagster check metadata.

Each table is validated only when it is not what its last passing validation saw
(`ValidationState`): the fact report by report, like it is built (a refresh that adds 1 % of the
reports profiles 1 % of the fact), the other contract tables whole when their fingerprint changed.
The whole fact is profiled on the first run, after a failed validation and when the fact's
definition (its view SQL) changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb

from ingestion.catalog import load_catalog
from ingestion.db import connect
from ingestion.publish import VERSIONED_MARTS, mart_fingerprint

CONTRACT_TABLES = ("dim_reports", "fct_metrics", "fct_quality_issues")
FORMATS = ["legacy_table", "legacy_narrative", "trial_2019", "format_2021", "unknown"]
BATCH_ROWS = 500_000


@dataclass
class SuiteResult:
    table: str
    success: bool
    evaluated: int = 0
    failed: list[str] = field(default_factory=list)
    rows: int = 0
    scope: str = "whole table"


# Written by the `report_incremental` materialization beside the table the fact is a view of:
# the version of every report the table holds (dbt/macros/materializations/report_incremental.sql).
FACT_VIEW = ("marts", "fct_metrics")
FACT_BUILT = VERSIONED_MARTS[FACT_VIEW[1]]


class ValidationState:
    """What the last passing validations saw, kept in a small DuckDB file of its own beside the
    build file (the checks only read the build file): for the fact, the version of every report
    and the fact's definition; for the other contract tables, their content fingerprint. The
    connection has the build file attached read-only as `build` (the current database) and the
    state file as `gx_state`."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        con.execute("create table if not exists gx_state.validated (report_id varchar, report_version varchar)")
        con.execute("create table if not exists gx_state.definition (sql varchar)")
        con.execute("create table if not exists gx_state.tables (table_name varchar, fingerprint varchar)")
        self.definition = (con.execute("select sql from duckdb_views() where database_name = 'build' "
                                       "and schema_name = ? and view_name = ?", list(FACT_VIEW)).fetchone()
                           or [None])[0]
        self.has_built = bool(con.execute(
            "select count(*) from information_schema.tables where table_catalog = 'build' "
            "and table_schema || '.' || table_name = ?", [FACT_BUILT]).fetchone()[0])
        self.n_fact_reports: int | None = None    # reports in the fact's scope (None: whole table)
        self.fingerprints: dict[str, str] = {}

    def fact_scope(self) -> tuple[str, str]:
        """(SQL condition on report_id, description) of the reports of the fact to profile."""
        saved = self.con.execute("select sql from gx_state.definition").fetchall()
        if not (self.has_built and self.definition is not None and saved == [(self.definition,)]):
            return "true", "whole table"
        self.con.execute(f"""create or replace temp table gx_scope as
            select b.report_id from {FACT_BUILT} as b
            left join gx_state.validated as v using (report_id)
            where v.report_version is distinct from b.report_version""")
        self.n_fact_reports = self.con.execute("select count(*) from gx_scope").fetchone()[0]
        return "report_id in (select report_id from gx_scope)", f"{self.n_fact_reports} new or rebuilt reports"

    def unchanged(self, table: str) -> bool:
        """The table is what the last passing validation saw (for the fact: no report in scope)."""
        if table == FACT_VIEW[1]:
            return self.n_fact_reports == 0
        self.fingerprints[table] = mart_fingerprint(self.con, table)
        return self.con.execute("select count(*) from gx_state.tables where table_name = ? and fingerprint = ?",
                                [table, self.fingerprints[table]]).fetchone()[0] > 0

    def record_pass(self, table: str) -> None:
        """The table passed: remember what it was. A failed validation leaves the state alone, so
        the next run validates the table again (the fact: those reports, or the whole fact)."""
        if table != FACT_VIEW[1]:
            self.con.execute("delete from gx_state.tables where table_name = ?", [table])
            self.con.execute("insert into gx_state.tables values (?, ?)", [table, self.fingerprints[table]])
            return
        self.con.execute("delete from gx_state.validated")
        self.con.execute("delete from gx_state.definition")
        if self.has_built and self.definition is not None:
            self.con.execute(f"insert into gx_state.validated select report_id, report_version from {FACT_BUILT}")
            self.con.execute("insert into gx_state.definition values (?)", [self.definition])


def _suites(gxe):
    keys = sorted({k for k, _ in load_catalog()})
    return {
        "dim_reports": [
            gxe.ExpectColumnValuesToNotBeNull(column="report_id"),
            gxe.ExpectColumnValuesToBeUnique(column="report_id"),
            gxe.ExpectColumnValuesToNotBeNull(column="source_file"),
            gxe.ExpectColumnValuesToNotBeNull(column="content_sha256"),
            gxe.ExpectColumnValueLengthsToEqual(column="content_sha256", value=64),
            gxe.ExpectColumnValuesToBeInSet(column="format", value_set=FORMATS),
            gxe.ExpectColumnValuesToBeInSet(column="parse_status", value_set=["parsed", "partial", "failed"]),
            gxe.ExpectColumnValuesToBeBetween(column="report_year", min_value=2007, max_value=2030),
            gxe.ExpectColumnValuesToBeInSet(column="is_current", value_set=[True, False]),
        ],
        "fct_metrics": [   # on the per-key profile of the fact, see _frames
            gxe.ExpectColumnValuesToNotBeNull(column="metric_key"),
            gxe.ExpectColumnValuesToBeInSet(column="metric_key", value_set=keys),
            gxe.ExpectColumnValuesToBeInSet(column="source", value_set=["table", "prose"]),
            gxe.ExpectColumnValuesToBeBetween(column="null_report_ids", min_value=0, max_value=0),
            gxe.ExpectColumnValuesToBeBetween(column="null_values", min_value=0, max_value=0),
            gxe.ExpectColumnValuesToBeBetween(column="duplicate_rows", min_value=0, max_value=0),
            gxe.ExpectColumnValuesToBeBetween(column="unsigned_min_value", min_value=0),
        ],
        "fct_quality_issues": [
            gxe.ExpectColumnValuesToNotBeNull(column="rule_id"),
            gxe.ExpectColumnValuesToBeInSet(column="severity", value_set=["error", "warning"]),
            gxe.ExpectColumnValuesToNotBeNull(column="message"),
        ],
    }


def _frames(con: duckdb.DuckDBPyConnection, table: str, fact_scope: str = "true",
            columns: list[str] | None = None) -> Iterator:
    """The table (for the fact: its per-key profile, see below) as pandas frames of at most
    BATCH_ROWS rows; with `columns`, only those columns (the ones the suite checks: fetching and
    GE's hashing of each frame cost in proportion to its width)."""
    if table == "fct_metrics":
        signed = sorted({e.key for e in load_catalog().values() if "signed" in e.note})
        signed_sql = ", ".join(f"'{k}'" for k in signed) or "''"
        sql = (f"select metric_key, source, count(*) as rows, "
               f"count(*) filter (where report_id is null) as null_report_ids, "
               f"count(*) - count(value) as null_values, "
               f"count(*) - count(distinct report_id) as duplicate_rows, "
               f"case when metric_key in ({signed_sql}) then null else min(value) end as unsigned_min_value "
               f"from marts.fct_metrics where {fact_scope} group by metric_key, source order by 1, 2")
    else:
        sql = f"select {', '.join(columns) if columns else '*'} from marts.{table}"
    rel = con.execute(sql)
    first = True
    while True:
        df = rel.fetch_df_chunk(max(1, BATCH_ROWS // 2048))   # vectors of 2048 rows
        if df is None or (len(df) == 0 and not first):
            break
        yield df          # an empty table is validated once, as an empty frame
        first = False
        if len(df) == 0:
            break


def _open(build_db: Path, state_db: Path) -> duckdb.DuckDBPyConnection:
    con = connect(":memory:")
    con.execute(f"attach '{build_db}' as build (read_only)")
    con.execute(f"attach '{state_db}' as gx_state")
    con.execute("use build")
    return con


def run_contract_suites(build_db: Path, docs_dir: Path, state_db: Path | None = None) -> list[SuiteResult]:
    """Validate the contract tables of the build file; `state_db` (default: beside the build file)
    keeps what the last passing validations saw. A table that is exactly what its last passing
    validation saw passes again without GE running (nor being imported, which takes seconds)."""
    con = _open(build_db, state_db or build_db.with_name("gx_contract_state.duckdb"))
    try:
        state = ValidationState(con)
        fact_scope, fact_scope_text = state.fact_scope()
        todo = [t for t in CONTRACT_TABLES if not state.unchanged(t)]
        results = {t: SuiteResult(t, True, scope="unchanged since its last passing validation")
                   for t in CONTRACT_TABLES if t not in todo}
        if todo:
            results |= _validate(con, todo, fact_scope, fact_scope_text, docs_dir)
        for t in todo:
            if results[t].success:
                state.record_pass(t)
    finally:
        con.close()
    return [results[t] for t in CONTRACT_TABLES]


def _validate(con: duckdb.DuckDBPyConnection, tables: list[str], fact_scope: str, fact_scope_text: str,
              docs_dir: Path) -> dict[str, SuiteResult]:
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    docs_dir.mkdir(parents=True, exist_ok=True)
    ctx.add_data_docs_site(site_name="warehouse_contract", site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    source = ctx.data_sources.add_pandas("marts")
    suites = _suites(gxe)
    results: dict[str, SuiteResult] = {}
    for table in tables:
        bd = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("batch")
        suite = ctx.suites.add(gx.ExpectationSuite(name=f"{table}_contract", expectations=suites[table]))
        vd = ctx.validation_definitions.add(gx.ValidationDefinition(name=table, data=bd, suite=suite))
        cp = ctx.checkpoints.add(gx.Checkpoint(name=f"refresh_{table}", validation_definitions=[vd]))
        res = SuiteResult(table, True, scope=fact_scope_text if table == FACT_VIEW[1] else "whole table")
        checked = sorted({e.column for e in suites[table]})
        for df in _frames(con, table, fact_scope, checked):
            run = cp.run(batch_parameters={"dataframe": df})
            res.rows += len(df)
            for vr in run.run_results.values():
                for r in vr.results:
                    res.evaluated += 1
                    raised = (r.exception_info or {}).get("raised_exception")
                    if raised:
                        raise RuntimeError(f"GE expectation {r.expectation_config.type} on {table} "
                                           f"raised: {r.exception_info.get('exception_message')}")
                    if not r.success:
                        res.success = False
                        col = r.expectation_config.kwargs.get("column") or r.expectation_config.kwargs.get("column_list")
                        res.failed.append(f"{r.expectation_config.type}({col})")
        res.failed = sorted(set(res.failed))
        results[table] = res
    ctx.build_data_docs(site_names=["warehouse_contract"])   # once, with every suite's results
    return results
