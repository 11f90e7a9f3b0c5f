"""An analyst's read-only session on the published file never blocks a refresh, and never sees
half of one: the build file is private and published by an atomic rename."""
from __future__ import annotations

import shutil

import duckdb

from .conftest import SAMPLE_DIR
from .helpers import run_refresh


def test_refresh_succeeds_while_a_reader_holds_the_published_file(tmp_warehouse):
    landing, warehouse = tmp_warehouse
    (landing / "000_9f8ba8a52f8e1857.txt").unlink()
    run_refresh()
    reader = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert reader.execute("select count(*) from marts.dim_reports").fetchone()[0] == 4
        shutil.copy(SAMPLE_DIR / "000_9f8ba8a52f8e1857.txt", landing)
        run_refresh()                                   # the reader's lock does not stop it
        # the open session keeps its snapshot, and keeps working
        assert reader.execute("select count(*) from marts.dim_reports").fetchone()[0] == 4
    finally:
        reader.close()
    fresh = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert fresh.execute("select count(*) from marts.dim_reports").fetchone()[0] == 5
    finally:
        fresh.close()
    assert not warehouse.with_name(warehouse.name + ".tmp").exists()
