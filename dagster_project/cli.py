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


if __name__ == "__main__":
    main()
