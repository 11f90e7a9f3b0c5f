"""Helpers shared by the tests that run the real refresh job and read its warehouse."""
from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from .conftest import SAMPLE_DIR

YUFANG = "001_e05d40fea8412626.txt"


def run_refresh(instance: dg.DagsterInstance | None = None):
    """The `refresh` job in process (resources read DISCLOSURE_* from the environment)."""
    from dagster_project.definitions import defs

    result = defs.resolve_job_def("refresh").execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert result.success, [ev.message for ev in result.all_events if ev.is_failure]
    return result


def query(path: Path, sql: str, params=None) -> list[tuple]:
    """A read-only query on a warehouse file, connection closed after."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, list(params or [])).fetchall()
    finally:
        con.close()


def yufang_with_altered_total(value: int = 3) -> str:
    """The 余坊乡 sample report with the 总计 cell of （七）总计 printed as `value` instead of 0."""
    text = (SAMPLE_DIR / YUFANG).read_text(encoding="utf-8")
    head, tail = text.split("(七)总计 |\n", 1)
    cells = tail.split("\n")
    assert cells[6] == "0 |"
    cells[6] = f"{value} |"
    return head + "(七)总计 |\n" + "\n".join(cells)
