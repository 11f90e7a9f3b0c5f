"""dbt models (staging, intermediate, marts), seeds and tests as Dagster assets and checks."""

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

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
