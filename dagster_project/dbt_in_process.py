"""`dbt build` in the run's own process (dbt's `dbtRunner`), streamed to Dagster by dagster-dbt.

dagster-dbt runs every dbt command in a new process: each refresh then pays dbt's import (about
2 s) and the loading of the project (about 1 s) before the first model, whatever the size of the
change. Here dbt runs on a thread of the run's process instead, with the parsed project kept for
the next refresh of the same process (re-parsed when a project file or a DISCLOSURE_/DBT_
environment variable changed). dagster-dbt's own `DbtCliInvocation` still turns dbt's events into
Dagster events: `InProcessDbt` stands in for its `subprocess.Popen`, handing it the same JSON event
lines a dbt process prints (only those it reads: node results and errors).

Limits: a dbt running on a thread cannot be interrupted; a terminated Dagster run stops waiting
for it and the thread ends with the run's process. `DISCLOSURE_DBT_SUBPROCESS=1` restores
dagster-dbt's subprocess (so does a selection too large for the command line, for which
dagster-dbt writes a selector into a temporary copy of the project)."""
from __future__ import annotations

import json
import os
import queue
import threading
from pathlib import Path

SUBPROCESS_ENV = "DISCLOSURE_DBT_SUBPROCESS"
# the events dagster-dbt turns into Dagster events (node results); errors are read for the message
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})

_parsed: dict[tuple, object] = {}      # at most one entry: the parsed project of the last key
_parse_lock = threading.Lock()


def _signature(project_dir: Path, profiles_dir: Path) -> tuple:
    """What a parsed dbt project depends on: its files (path, size, mtime) and the environment
    variables the profile or the models may read."""
    files = []
    for base in {project_dir, profiles_dir}:
        for p in sorted(base.rglob("*")):
            if p.is_file() and not {"target", "logs"} & set(p.relative_to(base).parts[:1]):
                st = p.stat()
                files.append((str(p), st.st_size, st.st_mtime_ns))
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(("DISCLOSURE_", "DBT_"))))
    return tuple(files), env


def parsed_project(project_dir: Path, profiles_dir: Path, target_path: Path):
    """dbt's parsed project (a `Manifest`), parsed in this process on first use and again when its
    signature changed."""
    from dbt.cli.main import dbtRunner

    key = _signature(project_dir, profiles_dir)
    with _parse_lock:
        if key not in _parsed:
            res = dbtRunner().invoke(["parse", "--quiet", "--project-dir", str(project_dir),
                                      "--profiles-dir", str(profiles_dir), "--target-path", str(target_path),
                                      "--log-path", str(target_path)])
            if not res.success:
                raise RuntimeError(f"dbt parse failed: {res.exception}")
            _parsed.clear()
            _parsed[key] = res.result
        return _parsed[key]


def _error_line(message: str) -> bytes:
    return json.dumps({"info": {"name": "InProcessError", "level": "error", "msg": message}, "data": {}},
                      ensure_ascii=False).encode()


def close_duckdb_environment() -> None:
    """Close dbt-duckdb's DuckDB instance. dbt-duckdb keeps it on a class attribute after the
    command, holding the build file open with dbt's settings: the next steps of the run (which open
    the file themselves, with other settings) could not open it otherwise."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager

    with manager._LOCK:
        env, manager._ENV = manager._ENV, None
    if env is not None:
        env.close()


class _EventLines:
    """The `stdout` of an `InProcessDbt`: the JSON event lines, until the command ended."""

    def __init__(self) -> None:
        self._lines: queue.Queue = queue.Queue()
        self.closed = False

    def put(self, line: bytes | None) -> None:
        self._lines.put(line)

    def __iter__(self):
        while (line := self._lines.get()) is not None:
            yield line

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.closed = True


class InProcessDbt:
    """A dbt command on a thread, with the parts of `subprocess.Popen` dagster-dbt uses."""

    def __init__(self, dbt_args: list[str], manifest) -> None:
        self.args = ["dbt", *dbt_args]
        self.stdout = _EventLines()
        self.returncode: int | None = None
        self._thread = threading.Thread(target=self._run, args=(dbt_args, manifest), name="dbt", daemon=True)
        self._thread.start()

    def _event(self, msg) -> None:
        if msg.info.name in RESULT_EVENTS or msg.info.level == "error":
            from dbt_common.events.functions import msg_to_json

            self.stdout.put(msg_to_json(msg).encode())

    def _run(self, dbt_args: list[str], manifest) -> None:
        from dbt.cli.main import dbtRunner

        try:
            res = dbtRunner(manifest=manifest, callbacks=[self._event]).invoke(dbt_args)
            if res.exception is not None:
                self.stdout.put(_error_line(f"{type(res.exception).__name__}: {res.exception}"))
            self.returncode = 0 if res.success else (2 if res.exception is not None else 1)
        except BaseException as exc:  # noqa: BLE001 - reported as dbt's own errors are
            self.stdout.put(_error_line(f"{type(exc).__name__}: {exc}"))
            self.returncode = 2
        finally:
            try:
                close_duckdb_environment()
            finally:
                self.stdout.put(None)

    def wait(self, timeout: float | None = None) -> int | None:
        self._thread.join(timeout)
        return self.returncode

    def send_signal(self, sig) -> None:
        """A thread cannot be interrupted: the run stops waiting (see the module's note)."""
