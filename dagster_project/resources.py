"""Dagster resources, configured from environment variables."""
from __future__ import annotations

import contextlib
import importlib.metadata
import os
import shutil
from functools import cached_property

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

from ingestion.db import connect

from .project import Settings


class WarehouseResource(dg.ConfigurableResource):
    """The landing folder, the published warehouse file and the private build file.

    Empty strings mean: take `DISCLOSURE_LANDING_DIR` and `DISCLOSURE_WAREHOUSE` from the
    environment at run time (defaults: the bundled sample and `data/warehouse.duckdb`); the
    build file is `.build/<name>` beside the warehouse.
    """

    landing_dir: str = ""
    warehouse_path: str = ""
    build_path: str = ""

    def settings(self) -> Settings:
        return Settings.resolve(self.landing_dir, self.warehouse_path, self.build_path)

    def prepare_build(self) -> Settings:
        """Make sure the build file exists; start it from the published file when there is one,
        so the incremental state (what was parsed already) survives a lost build folder."""
        s = self.settings()
        s.build_db.parent.mkdir(parents=True, exist_ok=True)
        s.warehouse.parent.mkdir(parents=True, exist_ok=True)
        if not s.build_db.exists() and s.warehouse.exists():
            shutil.copyfile(s.warehouse, s.build_db)
        os.environ["DISCLOSURE_BUILD_DB"] = str(s.build_db)   # dbt's profile reads it
        return s

    @contextlib.contextmanager
    def connect(self, read_only: bool = False):
        s = self.prepare_build()
        con = connect(s.build_db, read_only=read_only)
        try:
            yield con
        finally:
            con.close()


class DbtCli(DbtCliResource):
    """dagster-dbt's resource without two start-up costs of every `dbt.cli()` call that this
    project does not use (about 3 s of every refresh, however small):

    * `_cli_version` runs `dbt --version` in a new process (dbt's whole import) to learn the
      version of the dbt executable; ours is the dbt-core installed beside dagster-dbt, whose
      version the package metadata gives;
    * `_initialize_dbt_core_adapter` loads the profile, the project and every macro to hand the
      invocation an adapter, which only `fetch_row_counts()` / `fetch_column_metadata()` use (we
      call neither; dagster-dbt itself goes on without one when creating it fails).

    Both are private methods of dagster-dbt 0.29 (pinned in pyproject.toml); tests/test_refresh_job
    runs the dbt step through this class."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None
