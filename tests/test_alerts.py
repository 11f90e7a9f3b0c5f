"""Alerts: a real JSON webhook on 127.0.0.1 (apprise `json://`), one digest per new finding,
nothing new on a second refresh, and a channel that is down logged without failing the run."""
from __future__ import annotations

import json
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from .helpers import run_refresh, yufang_with_altered_total


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture()
def webhook():
    _Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"json://127.0.0.1:{server.server_address[1]}/hook", _Hook.received
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alter_total(landing):
    """A copy of the 余坊乡 report whose (七)总计 总计 cell says 3 instead of 0."""
    (landing / "altered.txt").write_text(yufang_with_altered_total(3), encoding="utf-8")


def test_digest_reaches_the_webhook_once_and_a_dead_channel_is_logged(tmp_warehouse, webhook, monkeypatch):
    landing, warehouse = tmp_warehouse
    url, received = webhook
    dead = f"json://127.0.0.1:{_closed_port()}/down"
    monkeypatch.setenv("DISCLOSURE_ALERT_URLS", f"{url}, {dead}")
    _alter_total(landing)
    run_refresh()                                       # the dead channel does not fail the run
    assert len(received) == 1
    digest = received[0]
    assert "new error-level findings" in digest["title"]
    assert "R3.2" in digest["message"] and "altered.txt" in digest["message"]
    con = duckdb.connect(str(warehouse), read_only=True)
    log = con.execute("select kind, channel, status, len(finding_ids) from marts.alert_log order by channel").fetchall()
    n_errors = con.execute("select count(*) from marts.fct_quality_issues where severity = 'error'").fetchone()[0]
    con.close()
    statuses = {(kind, status) for kind, _, status, _ in log}
    assert statuses == {("findings_digest", "sent"), ("findings_digest", "failed")}
    assert all(n == n_errors for *_, n in log)
    local = [json.loads(line) for line in (warehouse.parent / "alerts.jsonl").read_text().splitlines()]
    assert {r["status"] for r in local} == {"sent", "failed"}

    run_refresh()                                       # nothing new: nothing sent
    assert len(received) == 1

    (landing / "altered2.txt").write_text((landing / "altered.txt").read_text(encoding="utf-8")
                                          .replace("余坊乡", "余坊乡 ", 1), encoding="utf-8")
    run_refresh()                                       # a new report's findings: one more digest
    assert len(received) == 2
    assert "altered2.txt" in received[1]["message"] and "altered.txt\n" not in received[1]["message"]


def test_no_channel_still_logs(tmp_warehouse, monkeypatch):
    landing, warehouse = tmp_warehouse
    monkeypatch.delenv("DISCLOSURE_ALERT_URLS", raising=False)
    _alter_total(landing)
    run_refresh()
    local = [json.loads(line) for line in (warehouse.parent / "alerts.jsonl").read_text().splitlines()]
    assert [r["status"] for r in local] == ["no_channel"]
    assert local[0]["finding_ids"]


def test_failed_run_sends_a_failure_alert(tmp_warehouse, webhook, monkeypatch):
    """A real failed refresh (its landing folder is gone) fed to the run-failure sensor."""
    import dagster as dg

    from dagster_project.definitions import defs

    landing, warehouse = tmp_warehouse
    url, received = webhook
    monkeypatch.setenv("DISCLOSURE_ALERT_URLS", url)
    shutil.rmtree(landing)
    instance = dg.DagsterInstance.ephemeral()
    result = defs.resolve_job_def("refresh").execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    sensor = defs.resolve_sensor_def("refresh_failure_alert")
    ctx = dg.build_run_status_sensor_context(sensor_name=sensor.name, dagster_instance=instance,
                                             dagster_run=result.dagster_run, dagster_event=failure)
    sensor(ctx.for_run_failure())
    assert len(received) == 1 and "failed" in received[0]["title"]
    assert result.run_id in received[0]["message"]
    local = [json.loads(line) for line in (warehouse.parent / "alerts.jsonl").read_text().splitlines()]
    assert local[-1]["kind"] == "run_failure" and local[-1]["status"] == "sent"
