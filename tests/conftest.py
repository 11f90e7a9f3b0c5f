"""Shared fixtures. The dbt manifest is parsed once if a clean clone has none."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "data" / "sample"
GOLD_DIR = REPO / "tests" / "gold"
DEV_DIR = REPO / "tests" / "corpus" / "dev"


def corpus_cases() -> list[tuple[str, Path, Path]]:
    """(name, report file, gold file) for every report of the project's corpus with gold."""
    cases = []
    for gold in sorted(GOLD_DIR.glob("*.json")):
        cases.append((gold.stem, SAMPLE_DIR / f"{gold.stem}.txt", gold))
    for gold in sorted((DEV_DIR / "gold").glob("*.json")):
        report = next(p for p in (DEV_DIR / "reports").glob(f"{gold.stem}.*"))
        cases.append((gold.stem, report, gold))
    return cases


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def pytest_configure(config):
    os.environ.setdefault("DAGSTER_HOME", str(REPO / "dagster_home"))
    from dagster_project.project import ensure_manifest  # noqa: PLC0415 (before defs are imported)

    ensure_manifest()   # parsed when missing or older than the dbt project under test


@pytest.fixture()
def tmp_warehouse(tmp_path, monkeypatch):
    """A private landing folder (a copy of the sample) and warehouse path for one test."""
    import shutil

    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE_DIR, landing)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    monkeypatch.setenv("DISCLOSURE_LANDING_DIR", str(landing))
    monkeypatch.setenv("DISCLOSURE_WAREHOUSE", str(warehouse))
    return landing, warehouse
