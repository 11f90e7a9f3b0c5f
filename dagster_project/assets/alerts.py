"""After each refresh: one digest of the new error-level findings to the alert channels."""
import dagster as dg

from ingestion.alerts import findings_digest, write_local_log, write_warehouse_log

from ..resources import WarehouseResource


@dg.asset(
    key=["alerts", "findings_digest"],
    deps=[dg.AssetKey(["marts", "fct_quality_issues"]), dg.AssetKey(["marts", "dim_reports"])],
    group_name="publish",
    kinds={"python"},
    description="Sends one digest of new error-level findings (counts per rule, worst reports, where "
                "to look) to DISCLOSURE_ALERT_URLS; never the same finding twice; every alert logged.",
)
def findings_alert(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    s = warehouse.settings()
    with warehouse.connect() as con:
        records = findings_digest(con, context.run_id, s.warehouse, s.data_dir / "data_docs" / "index.html")
        if records:
            write_warehouse_log(con, records)
    write_local_log(s.data_dir / "alerts.jsonl", records)
    status = {r.channel or "(none)": r.status for r in records}
    for r in records:
        if r.status == "failed":
            context.log.warning(f"alert channel {r.channel} failed: {r.error}")
    return dg.MaterializeResult(metadata={
        "new_error_findings": len(records[0].finding_ids) if records else 0,
        "channels": dg.MetadataValue.json(status),
    })
