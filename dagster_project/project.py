"""Paths of the repository and the dbt project, and the warehouse settings from the environment."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from dagster_dbt import DbtProject

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_DIR = REPO_ROOT / "dbt"
SAMPLE_DIR = REPO_ROOT / "data" / "sample"
DEFAULT_WAREHOUSE = REPO_ROOT / "data" / "warehouse.duckdb"

# the dbt beside this interpreter (the venv need not be activated)
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt") if (Path(sys.executable).parent / "dbt").exists() else "dbt"

dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)


def manifest_is_stale() -> bool:
    """No manifest, or a dbt project file newer than it."""
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [DBT_DIR / "dbt_project.yml", DBT_DIR / "profiles.yml"]
    for sub in ("models", "seeds", "macros", "tests"):
        sources.extend(p for p in (DBT_DIR / sub).rglob("*") if p.is_file())
    return any(p.stat().st_mtime > built for p in sources if p.exists())


def ensure_manifest(force: bool = False) -> Path:
    """dbt's manifest.json, parsed now when it is missing or older than the dbt project, or
    always with `force` (dbt parse needs no database)."""
    manifest = dbt_project.manifest_path
    if force or manifest_is_stale():
        import tempfile

        from dbt.cli.main import dbtRunner

        os.environ.setdefault("DISCLOSURE_BUILD_DB", str(DEFAULT_WAREHOUSE.parent / ".build" / DEFAULT_WAREHOUSE.name))
        manifest.parent.mkdir(parents=True, exist_ok=True)
        # parse into a private folder, then rename: concurrent parses never leave a torn file
        with tempfile.TemporaryDirectory(dir=manifest.parent, prefix=".parse-") as tmp:
            res = dbtRunner().invoke(["parse", "--quiet", "--project-dir", str(DBT_DIR),
                                      "--profiles-dir", str(DBT_DIR), "--target-path", tmp])
            built = Path(tmp) / "manifest.json"
            if not res.success or not built.exists():
                raise RuntimeError(f"dbt parse failed, no manifest: {res.exception}")
            os.replace(built, manifest)
    return manifest


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse: Path       # the published file analysts open
    build_db: Path        # the private file the refresh writes
    data_dir: Path        # exports, data docs, alert log, triage decisions

    @classmethod
    def resolve(cls, landing_dir: str = "", warehouse: str = "", build_db: str = "") -> "Settings":
        """Explicit values first, then DISCLOSURE_LANDING_DIR / DISCLOSURE_WAREHOUSE, then the
        defaults (bundled sample, data/warehouse.duckdb). The build file is private: `.build/`
        beside the warehouse unless given explicitly (the refresh exports its path to dbt as
        DISCLOSURE_BUILD_DB)."""
        landing = Path(landing_dir or os.environ.get("DISCLOSURE_LANDING_DIR") or SAMPLE_DIR)
        wh = Path(warehouse or os.environ.get("DISCLOSURE_WAREHOUSE") or DEFAULT_WAREHOUSE).expanduser().resolve()
        build_path = Path(build_db).expanduser().resolve() if build_db else wh.parent / ".build" / wh.name
        return cls(landing.expanduser().resolve(), wh, build_path, wh.parent)
