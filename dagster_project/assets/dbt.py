"""dbt models (staging, intermediate, marts), seeds and tests as Dagster assets and checks."""

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from ingestion.db import connect

from ..project import dbt_project, ensure_manifest
from ..resources import WarehouseResource


class Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str | None:
        return "warehouse"


@dbt_assets(manifest=ensure_manifest(), project=dbt_project, dagster_dbt_translator=Translator())
def dbt_warehouse(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` into the private build file (seeds, models and their tests)."""
    s = warehouse.prepare_build()
    target = s.build_db.parent / "dbt_target"
    yield from dbt.cli(["build"], context=context, target_path=target).stream()
    # only reached when every model and test succeeded (the stream raises otherwise)
    acknowledge_verified(s.build_db)


def acknowledge_verified(build_db) -> None:
    """Empty the `__unverified` lists of the report_incremental models: their reports passed this
    build's tests, so the next build tests only what it rebuilds (a failed build leaves the lists,
    and the next one tests those reports again)."""
    con = connect(build_db)
    try:
        for schema, table in con.execute("select table_schema, table_name from information_schema.tables "
                                         "where table_name like '%\\_\\_unverified' escape '\\'").fetchall():
            con.execute(f'delete from "{schema}"."{table}"')
    finally:
        con.close()
