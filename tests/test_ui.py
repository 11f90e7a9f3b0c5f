"""The UI path: `dagster dev` on 127.0.0.1, a refresh launched through the GraphQL API the UI
uses, the schedule and sensor listed, and every process started here stopped by PID."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests

from .conftest import REPO, SAMPLE_DIR

LOCATION = "disclosure_warehouse"
REPO_SELECTOR = {"repositoryLocationName": LOCATION, "repositoryName": "__repository__"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gql(url: str, query: str, variables: dict | None = None) -> dict:
    r = requests.post(f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=60)
    r.raise_for_status()
    body = r.json()
    assert "errors" not in body, body
    return body["data"]


def _reaches(deps: dict[str, set[str]], node: str, target: str) -> bool:
    """Is `target` upstream of `node` in the asset graph?"""
    seen, todo = set(), [node]
    while todo:
        n = todo.pop()
        if n == target:
            return True
        if n not in seen:
            seen.add(n)
            todo.extend(deps.get(n, ()))
    return False


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the tree (dagster dev was started with SIGINT restored, STACK.md §3), then
    SIGKILL whatever is left, by PID."""
    try:
        family = [proc.pid] + [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.time() + 10
    for pid in family:
        try:
            p = psutil.Process(pid)
            p.wait(timeout=max(0.1, deadline - time.time()))
        except psutil.TimeoutExpired:
            p.kill()
        except psutil.NoSuchProcess:
            pass


def test_refresh_launched_from_the_ui(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE_DIR, landing)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(home), "DISCLOSURE_LANDING_DIR": str(landing),
           "DISCLOSURE_WAREHOUSE": str(warehouse)}
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    dagster = str(Path(sys.executable).parent / "dagster")
    restore_sigint = "import os,signal,sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"
    log = open(tmp_path / "dagster_dev.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", restore_sigint, dagster, "dev", "-w", str(REPO / "workspace.yaml"),
         "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while True:
            try:
                if requests.get(f"{url}/server_info", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            assert proc.poll() is None, (tmp_path / "dagster_dev.log").read_text(errors="replace")[-3000:]
            assert time.time() < deadline, "dagster dev did not answer within 120 s"
            time.sleep(1)
        # wait until the code location is loaded
        for _ in range(120):
            data = _gql(url, "{ workspaceOrError { ... on Workspace { locationEntries { name "
                             "locationOrLoadError { __typename } } } } }")
            entries = {e["name"]: e["locationOrLoadError"]["__typename"]
                       for e in data["workspaceOrError"]["locationEntries"]}
            if entries.get(LOCATION) == "RepositoryLocation":
                break
            assert entries.get(LOCATION) != "PythonError", entries
            time.sleep(1)
        schedules = _gql(url, "query($s: RepositorySelector!) { schedulesOrError(repositorySelector: $s) "
                              "{ ... on Schedules { results { name cronSchedule } } } }", {"s": REPO_SELECTOR})
        sensors = _gql(url, "query($s: RepositorySelector!) { sensorsOrError(repositorySelector: $s) "
                            "{ ... on Sensors { results { name } } } }", {"s": REPO_SELECTOR})
        assert [s["name"] for s in schedules["schedulesOrError"]["results"]] == ["daily_refresh"]
        assert "landing_folder_sensor" in [s["name"] for s in sensors["sensorsOrError"]["results"]]

        nodes = _gql(url, "{ assetNodes { assetKey { path } dependencyKeys { path } "
                          "assetChecksOrError { ... on AssetChecks { checks { name } } } } }")["assetNodes"]
        deps = {"/".join(n["assetKey"]["path"]): {"/".join(d["path"]) for d in n["dependencyKeys"]} for n in nodes}
        lineage = ["landing_folder", "raw/landing_files", "raw/reports", "staging/stg_reports",
                   "marts/dim_reports", "published_warehouse"]
        for upstream, downstream in zip(lineage, lineage[1:]):
            assert _reaches(deps, downstream, upstream), f"no lineage {upstream} -> {downstream}"
        checks = {c["name"] for n in nodes for c in (n["assetChecksOrError"].get("checks") or [])}
        assert {"gx_contract", "rules_R3", "rules_X"} <= checks
        assert any(c.startswith("columns_contract_") for c in checks)   # dbt tests

        launched = _gql(url, """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
              __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message }
              ... on RunConfigValidationInvalid { errors { message } } ... on InvalidSubsetError { message } } }""",
                        {"p": {"selector": {**REPO_SELECTOR, "jobName": "refresh"}, "runConfigData": {}}})
        assert launched["launchRun"]["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["launchRun"]["run"]["runId"]
        status = None
        deadline = time.time() + 240
        while time.time() < deadline:
            status = _gql(url, "query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }",
                          {"id": run_id})["runOrError"]["status"]
            if status in ("SUCCESS", "FAILURE", "CANCELED"):
                break
            time.sleep(2)
        assert status == "SUCCESS", (tmp_path / "dagster_dev.log").read_text(errors="replace")[-4000:]
        # the landing sensor saw the new folder too; its run queued behind ours, never beside it
        runs = _gql(url, "{ runsOrError { ... on Runs { results { runId status tags { key value } } } } }")
        for run in runs["runsOrError"]["results"]:
            assert run["status"] != "FAILURE", run
        import duckdb

        con = duckdb.connect(str(warehouse), read_only=True)
        assert con.execute("select count(*) from marts.dim_reports").fetchone()[0] == 5
        con.close()
    finally:
        _stop(proc)
        log.close()
    assert proc.poll() is not None
