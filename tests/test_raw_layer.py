"""The raw layer: bulk, keyed by report, incremental by content, bad files recorded."""
from __future__ import annotations

import shutil
import time

import duckdb
import pytest

import ingestion
from ingestion.pipeline import ingest

from .conftest import SAMPLE_DIR


@pytest.fixture()
def landing(tmp_path):
    d = tmp_path / "landing"
    shutil.copytree(SAMPLE_DIR, d)
    return d


def _counts(con):
    return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
            for t in ("reports", "metrics", "unmapped_cells")}


def _events(con, run_id):
    return dict(con.execute("select action, count(*) from raw.parse_events where run_id = ? group by 1",
                            [run_id]).fetchall())


def test_second_run_parses_nothing_and_changes_nothing(landing, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    t0 = time.perf_counter()
    first = ingest(landing, con, "run1")
    wall = time.perf_counter() - t0
    assert first.parsed == 5 and first.failed == 0
    # the stages' seconds partition the run: extract and load make up extract_load, discover the rest
    sec = first.seconds
    assert min(sec.values()) >= 0 and abs(sec["extract"] + sec["load"] - sec["extract_load"]) < 0.01
    assert abs(sec["discover"] + sec["extract_load"] - wall) < 0.01
    before = _counts(con)
    rows_before = con.execute("select * from raw.metrics order by all").fetchall()
    second = ingest(landing, con, "run2")
    assert second.parsed == 0 and second.skipped_unchanged == 5
    assert _counts(con) == before
    assert con.execute("select * from raw.metrics order by all").fetchall() == rows_before
    assert _events(con, "run2") == {"skipped_unchanged": 5}
    assert con.execute("select count(distinct report_id) from raw.reports").fetchone()[0] == 5


def test_changed_file_and_new_parser_version_reparse(landing, tmp_path, monkeypatch):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingest(landing, con, "run1")
    before = _counts(con)
    f = landing / "001_e05d40fea8412626.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\n附件:无\n", encoding="utf-8")
    s = ingest(landing, con, "run2")
    assert s.parsed == 1 and s.skipped_unchanged == 4
    assert _counts(con) == before                      # replaced, not duplicated
    monkeypatch.setattr(ingestion, "PARSER_VERSION", "test-next")
    import ingestion.pipeline as pl
    import ingestion.warehouse as wh
    monkeypatch.setattr(pl, "PARSER_VERSION", "test-next")
    monkeypatch.setattr(wh, "PARSER_VERSION", "test-next")
    s = ingest(landing, con, "run3")
    assert s.parsed == 5
    assert con.execute("select distinct parser_version from raw.reports").fetchall() == [("test-next",)]


def test_bad_files_are_recorded_and_the_run_goes_on(landing, tmp_path):
    (landing / "empty.txt").write_bytes(b"")
    (landing / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (landing / "notes.txt").write_text("会议通知\n请各单位准时参加。\n", encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    s = ingest(landing, con, "run1")
    assert s.files == 8
    rows = dict(con.execute("select source_file, parse_status || ': ' || coalesce(parse_error, '') "
                            "from raw.reports").fetchall())
    assert rows["empty.txt"].startswith("failed: decode: empty file")
    assert rows["binary.txt"].startswith("failed: decode: binary")
    assert rows["notes.txt"].startswith("failed")
    assert sum(1 for v in rows.values() if v.startswith("parsed")) == 5
    assert _events(con, "run1")["failed"] == 3


def test_removed_file_is_withdrawn_not_deleted(landing, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingest(landing, con, "run1")
    n_metrics = _counts(con)["metrics"]
    (landing / "003_ef4534907dd60b3e.txt").unlink()
    s = ingest(landing, con, "run2")
    assert s.withdrawn == 1
    assert con.execute("select is_withdrawn from raw.reports where source_file = '003_ef4534907dd60b3e.txt'"
                       ).fetchone() == (True,)
    assert _counts(con)["metrics"] == n_metrics           # its history is kept
    shutil.copy(SAMPLE_DIR / "003_ef4534907dd60b3e.txt", landing)
    ingest(landing, con, "run3")
    assert con.execute("select count(*) from raw.reports where is_withdrawn").fetchone()[0] == 0


def test_discover_reuses_sha256_of_unchanged_files_only(landing, tmp_path, monkeypatch):
    """A file whose size and mtime are unchanged since the last discovery is not read again; a
    changed one (same size, new mtime) is hashed afresh and re-parsed."""
    import os

    import ingestion.discover as disc
    from ingestion.pipeline import known_landing_files

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingest(landing, con, "run1")
    hashed = []
    real = disc.sha256_file
    monkeypatch.setattr(disc, "sha256_file", lambda p, *a: hashed.append(os.path.basename(p)) or real(p, *a))
    f = landing / "001_e05d40fea8412626.txt"
    st = f.stat()
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("0 |", "1 |", 1), encoding="utf-8")            # same size, new content
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    files = disc.discover(landing, known_landing_files(con))
    assert hashed == [f.name]
    assert len(files) == 5
    # the report ids taken over from the last discovery are the ones the paths give
    assert [x.report_id for x in files] == [disc.report_id_for(x.source_file) for x in files]
    s = ingest(landing, con, "run2")
    assert s.parsed == 1 and s.skipped_unchanged == 4


def test_landing_files_rewrites_only_what_changed(landing, tmp_path):
    """raw.landing_files after a delta write (new, changed and removed files) holds exactly what
    a full rewrite gives; a discovery with nothing new writes nothing."""
    import os

    from ingestion.discover import discover
    from ingestion.pipeline import known_landing_files, record_landing_files

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingest(landing, con, "run1")
    cols = "source_file, report_id, file_path, file_size, content_sha256, file_mtime"
    known = known_landing_files(con)
    assert record_landing_files(con, discover(landing, known), known) == 0
    first = con.execute(f"select {cols}, discovered_at from raw.landing_files order by 1").fetchall()

    names = sorted(p.name for p in landing.iterdir())
    (landing / names[0]).unlink()                                        # removed
    changed = landing / names[1]
    changed.write_bytes(changed.read_bytes() + b"\n")                   # changed
    (landing / "new_copy.txt").write_bytes((landing / names[2]).read_bytes())   # new
    os.utime(landing / "new_copy.txt", ns=(0, 1_000_000_000))

    known = known_landing_files(con)
    files = discover(landing, known)
    assert record_landing_files(con, files, known) == 2
    delta = con.execute(f"select {cols} from raw.landing_files order by 1").fetchall()
    # the unchanged files' rows are untouched, discovered_at included
    kept = [r for r in first if r[0] not in (names[0], names[1])]
    assert con.execute(f"select {cols}, discovered_at from raw.landing_files where source_file in "
                       f"(select unnest(?)) order by 1", [[r[0] for r in kept]]).fetchall() == kept
    record_landing_files(con, files)                                     # the full rewrite
    full = con.execute(f"select {cols} from raw.landing_files order by 1").fetchall()
    assert delta == full and len(full) == len(names)
    assert {r[0] for r in full} == set(names[1:]) | {"new_copy.txt"}
