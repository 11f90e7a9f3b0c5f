"""Publish the build file atomically onto DISCLOSURE_WAREHOUSE (readers are never blocked)."""

import dagster as dg

from ingestion.publish import publish_warehouse

from ..resources import WarehouseResource
from .alerts import findings_alert
from .dbt import dbt_warehouse


@dg.asset(
    key=["published_warehouse"],
    deps=[*dbt_warehouse.keys, findings_alert],
    group_name="publish",
    kinds={"duckdb"},
    description="The DuckDB file analysts open read-only (a copy of the checked build, swapped in by rename) and its marts as Parquet and CSV files.",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    s = warehouse.prepare_build()
    exports = s.data_dir / "exports"
    summary = publish_warehouse(s.build_db, s.warehouse, exports)
    context.log.info(f"published {s.warehouse} and {exports}: {summary}")
    exported = [p for p in (exports / "parquet").iterdir() if p.suffix == ".parquet" or p.is_dir()]
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(s.warehouse)), **summary,
        "exports": dg.MetadataValue.path(str(exports)), "exported_tables": len(exported)})
