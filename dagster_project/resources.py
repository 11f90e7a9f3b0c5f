"""Dagster resources, configured from environment variables."""
from __future__ import annotations

import contextlib
import importlib.metadata
import os
import shutil
from functools import cached_property
from pathlib import Path

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

    And `cli` runs the command in this process (`dbt_in_process`): after the first refresh of a
    process (a schedule's daemon runs each in a new one; `disclosure refresh` and in-process
    executions do not), a refresh no longer pays dbt's import and the parse of the project, about
    3.5 s however small the change.

    The private parts of dagster-dbt 0.29 used here (pinned in pyproject.toml) are the two methods
    above, the selection helpers of `asset_utils` that its own `cli` calls, and the fields of
    `DbtCliInvocation`; tests/test_refresh_job runs the dbt step through this class."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None

    def cli(self, args, *, raise_on_error=True, manifest=None, dagster_dbt_translator=None, context=None,
            target_path=None):
        """dagster-dbt's `cli`, with the command run in this process (see `dbt_in_process`): the
        same arguments and selection as dagster-dbt would give a dbt process, and its own
        `DbtCliInvocation` turning the events into Dagster events."""
        from dagster_dbt.asset_utils import (extract_runtime_selection_from_args,
                                             get_updated_cli_invocation_params_for_context)
        from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation
        from dagster_dbt.dagster_dbt_translator import DagsterDbtTranslator, validate_opt_translator
        from dagster_dbt.dbt_manifest import validate_manifest

        from . import dbt_in_process

        kwargs = dict(raise_on_error=raise_on_error, manifest=manifest,
                      dagster_dbt_translator=dagster_dbt_translator, context=context, target_path=target_path)
        if os.environ.get(dbt_in_process.SUBPROCESS_ENV) == "1":
            return super().cli(args, **kwargs)
        cleaned, selects, excludes = extract_runtime_selection_from_args(args)
        params = get_updated_cli_invocation_params_for_context(
            context=context, manifest=validate_manifest(manifest) if manifest else {},
            dagster_dbt_translator=validate_opt_translator(dagster_dbt_translator) or DagsterDbtTranslator(),
            runtime_selects=selects, runtime_excludes=excludes)
        if "--selector" in params.selection_args:   # a selector in a temporary copy of the project
            return super().cli(args, **kwargs)
        project_dir = Path(self.project_dir)
        profiles_dir = Path(self.profiles_dir or self.project_dir)
        target = Path(target_path or self._get_unique_target_path(context=context))
        if not target.is_absolute():
            target = project_dir / target
        dbt_args = [*self.global_config_flags, *cleaned, "--quiet", "--no-use-colors",
                    *(["--profile", self.profile] if self.profile else []),
                    *(["--target", self.target] if self.target else []),
                    *params.selection_args,
                    *(["--indirect-selection", params.indirect_selection] if params.indirect_selection else []),
                    "--project-dir", str(project_dir), "--profiles-dir", str(profiles_dir),
                    "--target-path", str(target), "--log-path", str(target)]
        parsed = dbt_in_process.parsed_project(project_dir, profiles_dir, target)
        return DbtCliInvocation(
            process=dbt_in_process.InProcessDbt(dbt_args, parsed), manifest=params.manifest,
            dagster_dbt_translator=params.dagster_dbt_translator, project_dir=project_dir, target_path=target,
            raise_on_error=raise_on_error, context=context, adapter=None, cli_version=self._cli_version,
            project=params.dbt_project)
