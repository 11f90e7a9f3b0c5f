"""Landing folder → raw layer."""

import dagster as dg

from ingestion import PARSER_VERSION
from ingestion.discover import discover
from ingestion.pipeline import ingest_files, known_landing_files, landing_files, record_landing_files
from ingestion.triage import load_decisions

from ..resources import WarehouseResource

LANDING_FOLDER = dg.AssetSpec(
    key=["landing_folder"],
    description="The folder of raw report files (DISCLOSURE_LANDING_DIR). Never modified.",
    group_name="ingest",
    kinds={"file"},
)

RAW_OUTPUTS = {
    "reports": "One row per ingested file: metadata, format, parse status and error.",
    "metrics": "Every extracted cell or prose figure with provenance; blanks kept with their status.",
    "unmapped_cells": "Table cells and rows that match no catalog key, kept with their labels.",
    "parse_events": "What each run did with each file: parsed, skipped_unchanged, failed, withdrawn.",
}


@dg.asset(
    key=["raw", "landing_files"],
    deps=[LANDING_FOLDER],
    group_name="ingest",
    kinds={"python", "duckdb"},
    description="Discover the landing folder's files: relative path, size, sha256, mtime.",
)
def report_files(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    s = warehouse.settings()
    with warehouse.connect() as con:
        known = known_landing_files(con)
        files = discover(s.landing_dir, known)      # unchanged size + mtime: sha256 kept
        written = record_landing_files(con, files, known)
    return dg.MaterializeResult(metadata={
        "landing_dir": str(s.landing_dir), "files": len(files), "rows_written": written,
        "bytes": sum(f.size for f in files),
    })


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", name], description=desc, deps=[["raw", "landing_files"]],
                        group_name="ingest", kinds={"python", "duckdb"}) for name, desc in RAW_OUTPUTS.items()],
    can_subset=False,
)
def raw_reports(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Extract every new or changed file (in parallel) and load the raw layer in bulk."""
    with warehouse.connect() as con:
        files = landing_files(con)
        summary = ingest_files(files, con, context.run_id)
        totals = dict(con.execute(
            "select parse_status, count(*) from raw.reports where not is_withdrawn group by 1").fetchall())
    context.log.info(f"ingest: {summary.as_dict()}")
    meta = {"parser_version": PARSER_VERSION, **{k: v for k, v in summary.as_dict().items() if k != "seconds"},
            "seconds": summary.seconds, "reports_by_status": totals}
    for name in RAW_OUTPUTS:
        yield dg.MaterializeResult(asset_key=["raw", name], metadata=meta if name == "reports" else {})


@dg.asset(
    key=["raw", "triage_decisions"],
    group_name="ingest",
    kinds={"python", "duckdb"},
    description="Triage decisions on findings (confirmed / dismissed, with reasons), loaded from "
                "triage.jsonl beside the warehouse; kept outside the rebuilt marts.",
)
def triage_decisions(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    s = warehouse.settings()
    store = s.data_dir / "triage.jsonl"
    with warehouse.connect() as con:
        n = load_decisions(con, store)
    return dg.MaterializeResult(metadata={"store": dg.MetadataValue.path(str(store)), "decisions": n})
