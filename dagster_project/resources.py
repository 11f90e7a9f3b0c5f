"""Dagster resources, configured from environment variables."""
from __future__ import annotations

import contextlib
import os
import shutil

import dagster as dg

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
