"""The `refresh` job end to end, in process, on the bundled sample: raw → dbt → checks → publish."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from .conftest import GOLD_DIR, load_gold
from .helpers import YUFANG, query, run_refresh, yufang_with_altered_total

RULES_ON_SAMPLE = ("R3.1", "R3.2", "R3.3", "R4.1", "O2", "O12")


@pytest.fixture(scope="module")
def sample_refresh(tmp_path_factory):
    """One refresh of the sample (plus an altered copy of the 余坊乡 report), then a second run."""
    tmp = tmp_path_factory.mktemp("refresh")
    landing = tmp / "landing"
    shutil.copytree(GOLD_DIR.parent.parent / "data" / "sample", landing)
    (landing / "altered").mkdir()     # one printed total altered: （七）总计 总计 0 → 3
    (landing / "altered" / YUFANG).write_text(yufang_with_altered_total(3), encoding="utf-8")
    warehouse = tmp / "wh" / "warehouse.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("DISCLOSURE_LANDING_DIR", str(landing))
    mp.setenv("DISCLOSURE_WAREHOUSE", str(warehouse))
    first = run_refresh()
    snapshot = {
        "metrics": query(warehouse, "select * from marts.fct_metrics order by all"),
        "issues": query(warehouse, "select * from marts.fct_quality_issues order by all"),
        "reports": query(warehouse, "select * exclude (loaded_at) from marts.dim_reports order by all"),
    }
    second = run_refresh()
    yield {"warehouse": warehouse, "landing": landing, "first": first, "second": second, "snapshot": snapshot}
    mp.undo()


def test_contract_schemas_and_tables(sample_refresh):
    wh = sample_refresh["warehouse"]
    schemas = {r[0] for r in query(wh, "select schema_name from information_schema.schemata")}
    assert {"raw", "staging", "marts"} <= schemas
    tables = {r[0] for r in query(wh, "select table_name from information_schema.tables where table_schema='marts'")}
    assert {"dim_reports", "fct_metrics", "fct_quality_issues"} <= tables
    assert query(wh, "select count(*), count(*) filter (where is_current) from marts.dim_reports")[0] == (6, 5)


def test_every_gold_value_is_in_fct_metrics(sample_refresh):
    wh = sample_refresh["warehouse"]
    rows = query(wh, """select r.source_file, m.metric_key, m.source, m.value
                        from marts.fct_metrics m join marts.dim_reports r using (report_id)
                        where not m.is_derived and r.source_file not like 'altered/%'""")
    got: dict[tuple[str, str], float] = {}
    for src, key, source, value in sorted(rows, key=lambda r: r[2] != "table"):   # table first
        got.setdefault((src.removesuffix(".txt"), key), value)
    n = 0
    for gold_file in sorted(GOLD_DIR.glob("*.json")):
        gold = load_gold(gold_file)
        for key, value in gold["metrics"].items():
            assert got.get((gold_file.stem, key)) == pytest.approx(value), (gold_file.stem, key)
            n += 1
    assert n == 285
    meta = {r[0]: r[1:] for r in query(wh, "select source_file, agency, report_year, format from marts.dim_reports")}
    for gold_file in sorted(GOLD_DIR.glob("*.json")):
        gold = load_gold(gold_file)
        assert meta[gold_file.stem + ".txt"] == (gold["agency"], gold["year"], gold["format"])


def test_no_finding_on_the_sample_and_the_altered_total_is_flagged(sample_refresh):
    wh = sample_refresh["warehouse"]
    findings = query(wh, """select r.source_file, q.rule_id, q.severity, q.expected, q.actual
                            from marts.fct_quality_issues q join marts.dim_reports r using (report_id)
                            where q.rule_id in ('R3.1','R3.2','R3.3','R4.1','O2','O12')""")
    assert [f for f in findings if not f[0].startswith("altered/")] == []
    altered = {(f[1], f[2], f[3], f[4]) for f in findings if f[0] == "altered/" + YUFANG}
    # (七)总计 总计 = 3 while the result rows sum to 0 (R3.2) and the applicant columns sum to 0 (R3.3);
    # new + carried over = 0 + 0 but handled + carried forward = 3 + 0 (R3.1)
    assert ("R3.2", "error", 0.0, 3.0) in altered or ("R3.2", "error", 3.0, 0.0) in altered
    assert any(r == "R3.3" and {e, a} == {0.0, 3.0} for r, _, e, a in altered)
    assert any(r == "R3.1" and {e, a} == {0.0, 3.0} for r, _, e, a in altered)


def test_second_run_changes_nothing(sample_refresh):
    wh = sample_refresh["warehouse"]
    snap = sample_refresh["snapshot"]
    assert query(wh, "select * from marts.fct_metrics order by all") == snap["metrics"]
    assert query(wh, "select * from marts.fct_quality_issues order by all") == snap["issues"]
    assert query(wh, "select * exclude (loaded_at) from marts.dim_reports order by all") == snap["reports"]
    runs = query(wh, "select run_id, action, count(*) from raw.parse_events group by all order by min(event_at)")
    assert [(a, n) for _, a, n in runs] == [("parsed", 6), ("skipped_unchanged", 6)]
    # the successful builds were acknowledged: no report is left for the next build's tests
    unverified = query(wh, "select table_name from information_schema.tables where table_name like '%unverified'")
    assert len(unverified) == 15          # the report_incremental models (one in group mode)
    assert all(query(wh, f"select count(*) from staging.{t}") == [(0,)] for (t,) in unverified)


def test_checks_ran_and_published(sample_refresh):
    result = sample_refresh["second"]
    checks = {(e.asset_check_evaluation_data.check_name, e.asset_check_evaluation_data.asset_key.to_user_string(),
               e.asset_check_evaluation_data.passed)
              for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    names = {c[0] for c in checks}
    assert "gx_contract" in names and {f"rules_{f}" for f in ("R3", "R4", "O")} <= names
    assert all(passed for name, _, passed in checks if name == "gx_contract")
    # the altered report's findings are not new on the second run
    assert all(passed for name, _, passed in checks if name.startswith("rules_"))
    assert any(name.startswith("columns_contract_") for name in names)   # dbt tests
    docs = sample_refresh["warehouse"].parent / "data_docs" / "index.html"
    assert docs.exists()


def _gx_check(result, table: str) -> dict:
    [ev] = [e.asset_check_evaluation_data for e in result.all_events
            if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.asset_check_evaluation_data.check_name == "gx_contract"
            and e.asset_check_evaluation_data.asset_key.to_user_string() == f"marts/{table}"]
    return {k: v.value for k, v in ev.metadata.items()} | {"passed": ev.passed}


def test_gx_validates_only_what_changed_since_its_last_pass(sample_refresh, tmp_path):
    """The first run validates every contract table whole; the second (nothing changed) finds each
    one as its last passing validation saw it. The fact is profiled report by report: one report
    whose version differs from the validated one is profiled alone; another fact definition, or a
    state without a pass, profiles the whole fact again."""
    for table in ("dim_reports", "fct_metrics", "fct_quality_issues"):
        first, second = _gx_check(sample_refresh["first"], table), _gx_check(sample_refresh["second"], table)
        assert first["passed"] and second["passed"]
        assert first["scope"] == "whole table" and first["rows_validated"] > 0
        assert second["scope"] == "unchanged since its last passing validation" and second["rows_validated"] == 0
    whole = _gx_check(sample_refresh["first"], "fct_metrics")["rows_validated"]
    assert whole > 50                             # the profile: one row per metric key and source

    from dagster_project.quality import run_contract_suites

    build = sample_refresh["warehouse"].parent / ".build" / "warehouse.duckdb"
    state = tmp_path / "state.duckdb"
    fact = lambda: next(r for r in run_contract_suites(build, tmp_path / "docs", state) if r.table == "fct_metrics")
    assert (fact().scope, fact().scope) == ("whole table", "unchanged since its last passing validation")
    with duckdb.connect(str(state)) as con:     # one report's version differs from the validated one
        con.execute("update validated set report_version = 'old' where report_id = (select min(report_id) from validated)")
    again = fact()
    assert again.scope == "1 new or rebuilt reports" and 0 < again.rows < whole
    with duckdb.connect(str(state)) as con:     # the fact's definition changed
        con.execute("update definition set sql = 'create view something else'")
    assert fact().scope == "whole table"
    with duckdb.connect(str(state)) as con:     # dim_reports is not what was validated
        con.execute("update tables set fingerprint = 'other' where table_name = 'dim_reports'")
    dim = next(r for r in run_contract_suites(build, tmp_path / "docs", state) if r.table == "dim_reports")
    assert dim.scope == "whole table" and dim.rows == 6 and dim.success


def test_cli_summary_sql_and_docs(sample_refresh):
    import json

    from click.testing import CliRunner

    from dagster_project.cli import main

    wh = str(sample_refresh["warehouse"])
    runner = CliRunner()
    out = runner.invoke(main, ["summary", "--warehouse", wh])
    assert out.exit_code == 0, out.output
    assert f"warehouse: {wh}" in out.output and "reports:   6" in out.output
    out = runner.invoke(main, ["sql", "select agency from marts.dim_reports where source_file like '001%'",
                               "--warehouse", wh, "--format", "csv"])
    assert out.exit_code == 0 and out.output.splitlines() == ["agency", "余坊乡人民政府"]
    out = runner.invoke(main, ["docs", "--warehouse", wh])
    assert out.exit_code == 0, out.output
    docs = sample_refresh["warehouse"].parent / "dbt_docs"
    catalog = json.loads((docs / "catalog.json").read_text())
    manifest = json.loads((docs / "manifest.json").read_text())
    node = manifest["nodes"]["model.disclosure.fct_metrics"]
    assert set(catalog["nodes"]["model.disclosure.fct_metrics"]["columns"]) >= {"report_id", "metric_key", "value"}
    assert all(col["description"] for col in node["columns"].values())


def test_dbt_resource_knows_the_dbt_executables_version_without_running_it():
    """DbtCli takes the version from dbt-core's package metadata instead of `dbt --version`: the
    two must agree (the executable is the one installed beside dagster-dbt)."""
    from dagster_dbt import DbtCliResource

    from dagster_project.project import DBT_EXECUTABLE, dbt_project
    from dagster_project.resources import DbtCli

    ours = DbtCli(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
    upstream = DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
    assert ours._cli_version == upstream._cli_version
    assert ours._initialize_dbt_core_adapter(["build"]) is None


def test_dbt_runs_in_process_and_a_failed_test_fails_the_command(sample_refresh, tmp_path, monkeypatch):
    """DbtCli.cli runs dbt on a thread of this process (no dbt process per refresh); a failing
    data test still fails the command with the test named, and the build file is free afterwards
    (dbt-duckdb's instance is closed, so the run's next steps can open the file)."""
    from dagster_dbt.core.dbt_cli_invocation import DagsterDbtCliRuntimeError

    from dagster_project.dbt_in_process import InProcessDbt
    from dagster_project.project import DBT_EXECUTABLE, dbt_project
    from dagster_project.resources import DbtCli
    from ingestion.db import connect

    build = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sample_refresh["warehouse"], build)
    monkeypatch.setenv("DISCLOSURE_BUILD_DB", str(build))
    dbt = DbtCli(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
    test_args = ["test", "--select", "mart_rankings,test_name:unique_combination"]

    ok = dbt.cli(test_args, target_path=tmp_path / "target")
    assert isinstance(ok.process, InProcessDbt)
    assert ok.wait().is_successful()

    con = connect(build)                   # the file opens with other settings: dbt let it go
    con.execute("insert into marts.mart_rankings select * from marts.mart_rankings limit 1")
    con.close()
    failed = dbt.cli(test_args, target_path=tmp_path / "target")
    with pytest.raises(DagsterDbtCliRuntimeError, match="unique_combination_mart_rankings"):
        failed.wait()
    assert failed.process.returncode == 1
    con = connect(build)
    assert con.execute("select count(*) from marts.mart_rankings").fetchone()[0] > 0
    con.close()
