"""`disclosure`: the command line of the warehouse.

    disclosure refresh            run the `refresh` job on the landing folder, print a summary
    disclosure prepare            parse the dbt project (manifest for Dagster), no database needed
    disclosure sql "select ..."   query the published warehouse read-only
    disclosure summary            counts of the published warehouse
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .project import REPO_ROOT, Settings


def _env(landing: str | None, warehouse: str | None) -> Settings:
    if landing:
        os.environ["DISCLOSURE_LANDING_DIR"] = str(Path(landing).resolve())
    if warehouse:
        os.environ["DISCLOSURE_WAREHOUSE"] = str(Path(warehouse).resolve())
    return Settings.resolve()


@click.group()
def main() -> None:
    """Warehouse of China's government information-disclosure annual reports."""


@main.command()
def prepare() -> None:
    """Parse the dbt project so Dagster finds dbt/target/manifest.json."""
    from .project import ensure_manifest

    click.echo(f"manifest: {ensure_manifest(force=True)}")


@main.command()
@click.option("--landing", help="landing folder (default: $DISCLOSURE_LANDING_DIR or the bundled sample)")
@click.option("--warehouse", help="published DuckDB file (default: $DISCLOSURE_WAREHOUSE or data/warehouse.duckdb)")
@click.option("--log-level", default="WARNING", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]), help="Dagster's console log level")
def refresh(landing: str | None, warehouse: str | None, log_level: str) -> None:
    """Run the whole refresh (the Dagster `refresh` job, in this process)."""
    settings = _env(landing, warehouse)
    os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / "dagster_home"))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    import dagster as dg

    from .definitions import defs

    job = defs.resolve_job_def("refresh")
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance, raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}})
    if not result.success:
        for ev in result.all_events:
            if ev.is_failure:
                click.echo(f"FAILED {ev.step_key}: {ev.message}", err=True)
        sys.exit(1)
    _print_summary(settings.warehouse)


def _print_summary(warehouse: Path) -> None:
    import duckdb

    from ingestion.publish import warehouse_summary

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        s = warehouse_summary(con)
        by_status = con.execute("select parse_status, count(*) from marts.dim_reports group by 1 order by 1").fetchall()
        by_rule = con.execute("select rule_id, severity, count(*) from marts.fct_quality_issues "
                              "group by 1, 2 order by 1").fetchall()
    finally:
        con.close()
    click.echo(f"warehouse: {warehouse}")
    click.echo(f"reports:   {s['reports']} ({', '.join(f'{k} {v}' for k, v in by_status)}; current {s['current_reports']})")
    click.echo(f"metrics:   {s['metrics']}")
    click.echo(f"findings:  {s['findings']} ({s['error_findings']} error)"
               + ("".join(f"\n  {r} [{sev}]: {n}" for r, sev, n in by_rule)))


@main.command()
@click.option("--warehouse", help="published DuckDB file")
def docs(warehouse: str | None) -> None:
    """Generate dbt docs (every model and column described) from a copy of the published
    warehouse, into `dbt_docs/` beside it; open its index.html or run `dbt docs serve`."""
    import shutil
    import tempfile

    from dbt.cli.main import dbtRunner

    from .project import DBT_DIR

    settings = _env(None, warehouse)
    if not settings.warehouse.exists():
        raise click.ClickException(f"no warehouse at {settings.warehouse}: run `disclosure refresh` first")
    out = settings.data_dir / "dbt_docs"
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "warehouse.duckdb"
        shutil.copyfile(settings.warehouse, copy)       # dbt opens it read-write; never the published file
        os.environ["DISCLOSURE_BUILD_DB"] = str(copy)
        res = dbtRunner().invoke(["docs", "generate", "--quiet", "--project-dir", str(DBT_DIR),
                                  "--profiles-dir", str(DBT_DIR), "--target-path", str(out)])
    if not res.success:
        raise click.ClickException(f"dbt docs generate failed: {res.exception}")
    click.echo(f"dbt docs: {out / 'index.html'}")


@main.command()
@click.option("--warehouse", help="published DuckDB file")
def summary(warehouse: str | None) -> None:
    """Counts of the published warehouse."""
    _print_summary(_env(None, warehouse).warehouse)


@main.command()
@click.argument("query")
@click.option("--warehouse", help="published DuckDB file")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
def sql(query: str, warehouse: str | None, fmt: str) -> None:
    """Run QUERY read-only against the published warehouse (never blocks a refresh)."""
    import duckdb

    settings = _env(None, warehouse)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        rel = con.sql(query)
        if rel is None:
            return
        if fmt == "table":
            click.echo(rel.to_df().to_string(index=False, max_colwidth=60))
        elif fmt == "csv":
            rel.to_df().to_csv(sys.stdout, index=False)
        else:
            click.echo(rel.to_df().to_json(orient="records", force_ascii=False))
    finally:
        con.close()


@main.group()
def triage() -> None:
    """Mark findings confirmed (the report is wrong) or dismissed (our reading was wrong, or an
    allowed exception). Decisions go to triage.jsonl beside the warehouse and are applied on
    every later refresh; a finding whose numbers change comes back for review."""


def _finding(warehouse: Path, finding_id: str) -> tuple:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute("select finding_id, rule_id, expected, actual, message from marts.fct_quality_issues "
                          "where finding_id = ?", [finding_id]).fetchone()
    finally:
        con.close()
    if row is None:
        raise click.ClickException(f"no finding {finding_id!r} in {warehouse}")
    return row


def _decide(decision: str, finding_id: str, reason: str, warehouse: str | None) -> None:
    from ingestion.triage import record_decision

    settings = _env(None, warehouse)
    fid, rule, expected, actual, message = _finding(settings.warehouse, finding_id)
    d = record_decision(settings.data_dir / "triage.jsonl", fid, decision, reason, expected, actual)
    click.echo(f"{d.decision}: {fid} [{rule}] {message}\n(applied on the next refresh; stored in "
               f"{settings.data_dir / 'triage.jsonl'})")


_finding_id = click.argument("finding_id")
_warehouse_opt = click.option("--warehouse", help="published DuckDB file")


@triage.command()
@_finding_id
@click.option("--reason", required=True, help="why the report is wrong (kept with the decision)")
@_warehouse_opt
def confirm(finding_id: str, reason: str, warehouse: str | None) -> None:
    """Mark FINDING_ID confirmed: the report itself is wrong."""
    _decide("confirmed", finding_id, reason, warehouse)


@triage.command()
@_finding_id
@click.option("--reason", required=True, help="why it is not an error (kept with the decision)")
@_warehouse_opt
def dismiss(finding_id: str, reason: str, warehouse: str | None) -> None:
    """Mark FINDING_ID dismissed: our reading was wrong, or an allowed exception."""
    _decide("dismissed", finding_id, reason, warehouse)


@triage.command(name="reopen")
@_finding_id
@click.option("--reason", default="", help="why")
@_warehouse_opt
def triage_reopen(finding_id: str, reason: str, warehouse: str | None) -> None:
    """Withdraw the decision on FINDING_ID: it is open for review again."""
    _decide("reopened", finding_id, reason, warehouse)


@triage.command(name="list")
@click.option("--status", type=click.Choice(["all", "open", "confirmed", "dismissed", "needs_review"]), default="open")
@click.option("--warehouse", help="published DuckDB file")
def triage_list(status: str, warehouse: str | None) -> None:
    """Findings of the published warehouse with their triage status."""
    import duckdb

    settings = _env(None, warehouse)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        df = con.execute("select finding_id, rule_id, severity, triage_status, expected, actual, message "
                         "from marts.fct_quality_issues order by severity, rule_id").df()
    finally:
        con.close()
    if status != "all":
        df = df[df["triage_status"] == status]
    click.echo(df.to_string(index=False, max_colwidth=80) if len(df) else f"no {status} findings")


if __name__ == "__main__":
    main()
