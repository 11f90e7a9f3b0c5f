"""The daily schedule, the landing-folder sensor and the run-failure alert sensor."""

import hashlib
import os

import dagster as dg

from .project import Settings

REFRESH_CRON = os.environ.get("DISCLOSURE_REFRESH_CRON", "0 6 * * *")


def landing_fingerprint(settings: Settings) -> tuple[str, int]:
    """A cheap fingerprint of the landing folder: every file's relative path, size and mtime."""
    h = hashlib.sha256()
    n = 0
    root = settings.landing_dir
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            p = os.path.join(dirpath, name)
            try:
                st = os.stat(p)
            except OSError:
                continue
            h.update(f"{os.path.relpath(p, root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
            n += 1
    return h.hexdigest(), n


def build_schedule(job) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="daily_refresh", job=job, cron_schedule=REFRESH_CRON,
        execution_timezone=os.environ.get("DISCLOSURE_REFRESH_TZ", "Asia/Shanghai"),
        description=f"Refresh the warehouse on a schedule (cron from DISCLOSURE_REFRESH_CRON, now {REFRESH_CRON!r}).",
        default_status=dg.DefaultScheduleStatus.STOPPED,
    )


def build_landing_sensor(job) -> dg.SensorDefinition:
    @dg.sensor(name="landing_folder_sensor", job=job, minimum_interval_seconds=30,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="Starts a refresh when files appear, change or disappear in the landing folder.")
    def landing_folder_sensor(context: dg.SensorEvaluationContext):
        settings = Settings.resolve()
        if not settings.landing_dir.is_dir():
            return dg.SkipReason(f"landing folder {settings.landing_dir} does not exist")
        fp, n = landing_fingerprint(settings)
        if fp == context.cursor:
            return dg.SkipReason(f"no change in {n} files")
        context.update_cursor(fp)
        return dg.RunRequest(run_key=fp, tags={"trigger": "landing_folder", "files": str(n)})

    return landing_folder_sensor


def build_failure_sensor(job) -> dg.SensorDefinition:
    @dg.run_failure_sensor(name="refresh_failure_alert", monitored_jobs=[job],
                           default_status=dg.DefaultSensorStatus.RUNNING,
                           description="Alerts the channels of DISCLOSURE_ALERT_URLS when a refresh run fails.")
    def refresh_failure_alert(context: dg.RunFailureSensorContext):
        notify_run_failure(context.dagster_run.run_id, context.failure_event.message or "run failed")

    return refresh_failure_alert


def notify_run_failure(run_id: str, message: str) -> None:
    """Send and log a run-failure alert; the warehouse log is best effort (the build may be broken)."""
    import duckdb

    from ingestion.alerts import send, write_local_log, write_warehouse_log

    settings = Settings.resolve()
    records = send(f"disclosure warehouse: refresh run {run_id[:8]} failed",
                   f"Run {run_id} of the refresh job failed.\n{message}\n"
                   f"The published warehouse {settings.warehouse} was left as it was.", "run_failure", run_id)
    write_local_log(settings.data_dir / "alerts.jsonl", records)
    try:
        con = duckdb.connect(str(settings.build_db))
        try:
            write_warehouse_log(con, records)
        finally:
            con.close()
    except duckdb.Error:
        pass
