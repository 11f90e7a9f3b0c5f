"""The code location: assets, checks, the `refresh` job, schedule and sensors."""
from __future__ import annotations

import dagster as dg

from .assets.dbt import dbt_warehouse
from .assets.alerts import findings_alert
from .assets.ingest import LANDING_FOLDER, raw_reports, report_files, triage_decisions
from .assets.publish import published_warehouse
from .checks import gx_contract, rule_family_checks
from .project import DBT_EXECUTABLE, dbt_project
from .resources import DbtCli, WarehouseResource
from .sensors import build_failure_sensor, build_landing_sensor, build_schedule

refresh_job = dg.define_asset_job(
    name="refresh",
    selection=dg.AssetSelection.assets(report_files, raw_reports, triage_decisions, dbt_warehouse,
                                       findings_alert, published_warehouse),
    description="Ingest the landing folder, build the dbt models and tests, run the checks, publish.",
    executor_def=dg.in_process_executor,   # every step writes the same DuckDB build file
    tags={"disclosure/writes": "warehouse"},  # dagster.yaml queues these one at a time
)

defs = dg.Definitions(
    assets=[LANDING_FOLDER, report_files, raw_reports, triage_decisions, dbt_warehouse, findings_alert,
            published_warehouse],
    asset_checks=[gx_contract, rule_family_checks],
    jobs=[refresh_job],
    schedules=[build_schedule(refresh_job)],
    sensors=[build_landing_sensor(refresh_job), build_failure_sensor(refresh_job)],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": DbtCli(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    },
)
