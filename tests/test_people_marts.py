"""The marts people query (dbt/models/marts/people), on a warehouse built by the real `refresh` job
from the bundled sample plus the dev corpus (tests/corpus/dev/reports), and one altered copy of the
余坊乡 report whose (七)总计 总计 cell is changed 0 → 3 (so that one report has open error findings).

- the wide marts hold exactly the fct_metrics values (source table, prose only where no table value);
- mart_agency_year against hand-computed values from the gold files (三明 2013–2025, 莆田 legacy years
  through the FORMATS.md §1.4 mapping, the d91/d91w and d92/d92w copies counted once);
- changes and rankings against the same hand-computed numbers;
- the exports beside the warehouse (every marts table, same row counts, CSV with a BOM);
- every column of the people marts is described, in English with a Chinese label.
"""
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from .helpers import YUFANG, query, run_refresh, yufang_with_altered_total

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"
DEV_REPORTS = REPO / "tests" / "corpus" / "dev" / "reports"
PEOPLE_YML = REPO / "dbt" / "models" / "marts" / "people" / "_people__models.yml"
CATALOG = REPO / "dbt" / "seeds" / "metric_catalog.csv"

PEOPLE_MARTS = ("mart_applications", "mart_review_litigation", "mart_proactive", "mart_legacy_stats",
                "mart_agency_year", "mart_agency_year_changes", "mart_rankings")
TABLE4 = ("review", "litigation_direct", "litigation_after_review")


# --------------------------------------------------------------------------- shared helpers

def build_landing(root: Path) -> Path:
    """Sample + dev corpus + the altered 余坊乡 copy (altered/), as in tests/test_refresh_job.py."""
    landing = root / "landing"
    shutil.copytree(SAMPLE, landing)
    shutil.copytree(DEV_REPORTS, landing / "dev")
    (landing / "altered").mkdir()
    (landing / "altered" / YUFANG).write_text(yufang_with_altered_total(3), encoding="utf-8")
    return landing


def dict_rows(path: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("people")
    landing = build_landing(tmp)
    wh = tmp / "wh" / "warehouse.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("DISCLOSURE_LANDING_DIR", str(landing))
    mp.setenv("DISCLOSURE_WAREHOUSE", str(wh))
    run_refresh()
    yield wh
    mp.undo()


# --------------------------------------------------------------------------- the catalog and the columns

def catalog() -> list[dict]:
    with open(CATALOG, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def wide_place(key: str) -> tuple[str, str, str | None]:
    """(mart, column, applicant) of a catalog key: the naming rule, written independently of the SQL."""
    parts = key.split(".")
    if parts[0] == "applications":
        return "mart_applications", parts[1], parts[2]
    if parts[0] in TABLE4:
        return "mart_review_litigation", "_".join(parts), None
    if parts[0] == "proactive":
        return "mart_proactive", "_".join(parts[1:]), None
    assert parts[0] == "legacy", key
    return "mart_legacy_stats", "_".join(parts[1:]), None


def test_every_catalog_key_has_its_wide_column(warehouse):
    cols = {(t, c) for t, c in query(warehouse, "select table_name, column_name from information_schema.columns"
                                                " where table_schema = 'marts'")}
    keys = {r["key"] for r in catalog()}
    for key in keys:
        mart, column, _ = wide_place(key)
        assert (mart, column) in cols, key
    assert wide_place("proactive.rules.issued") == ("mart_proactive", "rules_issued", None)
    assert ("mart_applications", "granted") in cols and ("mart_review_litigation", "review_upheld") in cols
    n_t4 = [c for t, c in cols if t == "mart_review_litigation" and c.startswith(TABLE4)]
    assert len(n_t4) == 15
    for mart in PEOPLE_MARTS[:4]:
        for c in ("agency", "admin_level", "region", "report_year", "format", "is_current", "has_open_errors",
                  "has_prose_fill", "prose_filled"):
            assert (mart, c) in cols, (mart, c)


def test_every_people_column_is_described_in_english_and_chinese(warehouse):
    spec = {m["name"]: m for m in yaml.safe_load(PEOPLE_YML.read_text(encoding="utf-8"))["models"]}
    assert set(spec) == set(PEOPLE_MARTS)
    han = re.compile(r"[\u4e00-\u9fff]")
    label_zh = {r["key"]: r["label_zh"] for r in reversed(catalog())}   # first label of a key wins
    for mart in PEOPLE_MARTS:
        assert spec[mart].get("description")
        described = {c["name"]: c["description"] for c in spec[mart]["columns"]}
        actual = [r[0] for r in query(warehouse, "select column_name from information_schema.columns where "
                                                 "table_schema = 'marts' and table_name = ? order by ordinal_position",
                                      [mart])]
        assert set(actual) == set(described), mart
        for c, d in described.items():
            assert re.search(r"[A-Za-z]{3}", d) and han.search(d), (mart, c, d)
    # the catalog label (label_zh) is in the description of its column; Table 3 rows carry the row
    # label without the applicant part (" × 自然人"), and （六）其他处理 its short label
    for key, zh in label_zh.items():
        mart, column, _ = wide_place(key)
        d = {c["name"]: c["description"] for c in spec[mart]["columns"]}[column]
        if mart == "mart_applications":
            zh = "(六)其他处理" if column == "other" else zh.split(" × ")[0]
        assert zh in d, (key, zh, d)


# --------------------------------------------------------------------------- wide marts = fct_metrics

def wide_cells(wh: Path) -> dict[tuple[str, str], tuple[float, bool]]:
    """(report_id, catalog key) -> (value, listed in prose_filled) for every non-NULL wide cell."""
    out: dict[tuple[str, str], tuple[float, bool]] = {}
    by_mart: dict[str, list[str]] = {}
    for r in catalog():
        by_mart.setdefault(wide_place(r["key"])[0], []).append(r["key"])
    for mart, keys in by_mart.items():
        for row in dict_rows(wh, f"select * from marts.{mart}"):
            prose = set((row["prose_filled"] or "").split(",")) - {""}
            for key in dict.fromkeys(keys):
                _, column, applicant = wide_place(key)
                if applicant is not None and row["applicant"] != applicant:
                    continue
                if row[column] is not None:
                    out[(row["report_id"], key)] = (row[column], column in prose)
    return out


def test_wide_marts_hold_exactly_the_fct_metrics_values(warehouse):
    fct = {}
    for rid, key, source, value in query(warehouse, "select report_id, metric_key, source, value from marts.fct_metrics"):
        fct[(rid, key, source)] = value
    wide = wide_cells(warehouse)
    n_table = 0
    for (rid, key, source), value in fct.items():
        if source == "table":
            n_table += 1
            assert wide.get((rid, key)) == (pytest.approx(value), False), (rid, key)
        elif (rid, key, "table") not in fct:      # a prose figure fills only a cell the table left empty
            assert wide.get((rid, key)) == (pytest.approx(value), True), (rid, key)
    assert n_table > 2000
    for (rid, key), (value, from_prose) in wide.items():
        assert (rid, key, "prose" if from_prose else "table") in fct, (rid, key)


def test_wide_mart_grain_and_report_attributes(warehouse):
    wh = warehouse
    assert query(wh, "select count(*) - count(distinct (report_id, applicant)) from marts.mart_applications") == [(0,)]
    for mart in ("mart_review_litigation", "mart_proactive", "mart_legacy_stats"):
        assert query(wh, f"select count(*) - count(distinct report_id) from marts.{mart}") == [(0,)]
    # every new-format report (3 sample files incl. the altered copy, d11-d19, d92, d92w) has its Table 2/4 row
    new_format = {YUFANG, "altered/" + YUFANG, "002_346cc34615171fd9.txt", "dev/d92.txt", "dev/d92w.html"} | {
        f"dev/d{n}.txt" for n in range(11, 20)}
    for mart in ("mart_review_litigation", "mart_proactive"):
        assert {r[0] for r in query(wh, f"select source_file from marts.{mart}")} == new_format, mart
    applicants = {r[0] for r in query(wh, "select distinct applicant from marts.mart_applications")}
    assert applicants <= {"natural_person", "commercial", "research", "social_org", "legal_service", "other_org",
                          "legal_subtotal", "total"}
    # d15 (三明 2021, format_2021): the 总计 row of Table 3, the derived subtotals and （六） sum
    row = dict_rows(wh, "select a.* from marts.mart_applications a where source_file = 'dev/d15.txt'"
                        " and applicant = 'total'")[0]
    assert (row["new_received"], row["granted"], row["partial"], row["denied_total"], row["unable_total"],
            row["rejected_total"], row["other"], row["total_handled"]) == (162, 99, 5, 24, 30, 1, 3, 162)
    assert (row["agency"], row["report_year"], row["format"], row["is_current"], row["has_open_errors"]) == \
        ("三明市人民政府", 2021, "format_2021", True, False)
    # d19 Table 4 (三明 2025): review 11/5/2/2/20, direct total 2, after review total 9
    t4 = dict_rows(wh, "select * from marts.mart_review_litigation where source_file = 'dev/d19.txt'")[0]
    assert [t4[f"review_{o}"] for o in ("upheld", "corrected", "other", "pending", "total")] == [11, 5, 2, 2, 20]
    assert (t4["litigation_direct_total"], t4["litigation_after_review_total"]) == (2, 9)
    # Table 2: trial_2019 columns in d11, format_2021 columns in d15
    p = {r["source_file"]: r for r in dict_rows(wh, "select * from marts.mart_proactive")}
    assert p["dev/d11.txt"]["normative_docs_made"] == 2124 and p["dev/d11.txt"]["normative_docs_issued"] is None
    assert p["dev/d15.txt"]["normative_docs_issued"] == 507 and p["dev/d15.txt"]["normative_docs_made"] is None
    assert p["dev/d11.txt"]["admin_license_decisions"] == 92210
    # legacy: every pre-2019 report has a row (12 dev files with d91w + 4 sample ones... by format)
    legacy = {r["source_file"]: r for r in dict_rows(wh, "select * from marts.mart_legacy_stats")}
    expected_files = {f"dev/d{n:02d}.txt" for n in range(1, 11)} | {"dev/d91.txt", "dev/d91w.html",
                                                                    "000_9f8ba8a52f8e1857.txt", "003_ef4534907dd60b3e.txt",
                                                                    "004_afa570849eb846dc.txt"}
    assert set(legacy) == expected_files
    assert (legacy["dev/d10.txt"]["requests_received"], legacy["dev/d10.txt"]["replies_granted"],
            legacy["dev/d10.txt"]["replies_already_public"]) == (777, 311, 52)
    # d10's 已主动公开 52 is a prose figure (the table has no such row): named in prose_filled
    assert legacy["dev/d10.txt"]["has_prose_fill"] and "replies_already_public" in legacy["dev/d10.txt"]["prose_filled"]
    assert legacy["dev/d09.txt"]["prose_filled"] == "policy_interpretations"   # 政策解读 only in the prose
    assert not legacy["003_ef4534907dd60b3e.txt"]["has_prose_fill"]


def test_has_open_errors(warehouse):
    flags = dict(query(warehouse, "select source_file, has_open_errors from marts.mart_applications"
                                  " where applicant = 'total'"))
    assert flags["altered/" + YUFANG] is True
    assert flags[YUFANG] is False
    assert {f for f, v in flags.items() if v} == {"altered/" + YUFANG}


# --------------------------------------------------------------------------- agency-year

# Hand-computed from the gold files (tests/corpus/dev/gold): 总计 column of Table 3; denied / unable /
# not processed are the sums of the sub-rows; litigation = direct + after review.
# (received, carried_over, granted, partial, denied, unable, not_processed, other, handled, carried_fwd,
#  review_total, review_corrected, litigation_total, normative_docs)
SANMING = {
    2019: ("gov_level", "trial_2019", (110, 1, 77, 7, 6, 12, 6, 1, 109, 2, 0, 0, 0, 2124)),      # d11
    2020: ("gov_level", "trial_2019", (106, 2, 63, 4, 7, 29, 2, 3, 108, 0, 1, 1, 0, 1013)),      # d13
    2021: ("gov_level", "format_2021", (162, 0, 99, 5, 24, 30, 1, 3, 162, 0, 0, 0, 0, 507)),     # d15
    2022: ("gov_level", "format_2021", (347, 0, 243, 11, 43, 42, 4, 3, 346, 1, 4, 0, 0, 487)),   # d16
    2023: ("region_aggregate", "format_2021", (302, 1, 159, 20, 26, 89, 5, 4, 303, 0, 6, 0, 8, 460)),  # d17
    2024: ("gov_level", "format_2021", (357, 0, 218, 21, 24, 71, 10, 2, 346, 11, 4, 0, 4, 427)),  # d18
    2025: ("gov_level", "format_2021", (400, 11, 172, 66, 26, 123, 7, 8, 402, 9, 20, 5, 11, 350)),  # d19
}
AY_COLS = ("requests_received", "carried_over", "granted", "partially_granted", "denied", "unable_to_provide",
           "not_processed", "other_handling", "total_handled", "carried_forward", "review_total",
           "review_corrected", "litigation_total", "normative_docs_issued")


def agency_year(wh: Path) -> dict[tuple[str, str, int], dict]:
    rows = dict_rows(wh, "select * from marts.mart_agency_year")
    out = {(r["agency"], r["scope"], r["report_year"]): r for r in rows}
    assert len(out) == len(rows), "one row per agency, scope and year"
    return out


def test_agency_year_sanming_new_era(warehouse):
    ay = agency_year(warehouse)
    for year, (scope, fmt, values) in SANMING.items():
        row = ay[("三明市人民政府", scope, year)]
        assert row["source_format"] == fmt and row["is_approx_mapping"] is False
        assert tuple(row[c] for c in AY_COLS) == values, year


def test_agency_year_legacy_through_the_mapping(warehouse):
    ay = agency_year(warehouse)
    # d10 莆田市人民政府 2018: 收到申请 777; 同意公开 311 + 已主动公开 52 → granted 363; 部分公开 166;
    # 不同意公开 26; 答复 777; 行政复议 4. No carry-over rows in the old table.
    r = ay[("莆田市人民政府", "region_aggregate", 2018)]
    assert (r["requests_received"], r["granted"], r["partially_granted"], r["denied"], r["total_handled"],
            r["review_total"], r["carried_over"], r["carried_forward"]) == (777, 363, 166, 26, 777, 4, None, None)
    assert r["is_approx_mapping"] is True and r["source_format"] == "legacy_table"
    # d07 莆田市统计局 2014: 4 received, 4 同意公开, 0 部分, 0 不同意, 4 replies, 359 proactive items
    r = ay[("莆田市统计局", "self", 2014)]
    assert (r["requests_received"], r["granted"], r["partially_granted"], r["denied"], r["total_handled"],
            r["proactive_items"]) == (4, 4, 0, 0, 4, 359)
    # 莆田市林业局: 2008 (d02, prose: 11 items, 0 requests), 2017 (d09 table: 1 request, 271 items),
    # 2020 (d14, trial_2019: all zero, 7 normative documents)
    assert ay[("莆田市林业局", "self", 2008)]["proactive_items"] == 11
    assert ay[("莆田市林业局", "self", 2008)]["requests_received"] == 0
    assert (ay[("莆田市林业局", "self", 2017)]["requests_received"], ay[("莆田市林业局", "self", 2017)]["proactive_items"]) == (1, 271)
    r = ay[("莆田市林业局", "self", 2020)]
    assert (r["requests_received"], r["normative_docs_issued"], r["is_approx_mapping"]) == (0, 7, False)
    # 三明 old-regulation years (aggregate): d06 2013 received 394, granted 377; d08 2015 received 128,
    # granted 35 + 77 already public = 112, partial 9, denied 1
    r13, r15 = ay[("三明市人民政府", "region_aggregate", 2013)], ay[("三明市人民政府", "region_aggregate", 2015)]
    assert (r13["requests_received"], r13["granted"], r13["proactive_items"]) == (394, 377, 34495)
    assert (r15["requests_received"], r15["granted"], r15["partially_granted"], r15["denied"]) == (128, 112, 9, 1)


def test_agency_year_counts_copies_once(warehouse):
    ay = agency_year(warehouse)
    pingtan = {k: v for k, v in ay.items() if k[0] == "平潭综合实验区管委会"}
    assert sorted((k[2], v["source_file"]) for k, v in pingtan.items()) == [(2018, "dev/d91w.html"), (2025, "dev/d92w.html")]
    r = pingtan[("平潭综合实验区管委会", "gov_level", 2025)]
    # d92w: new 154, granted 33, partial 38, handled 148, review corrected 3, lawsuits 6 + 3, 行政规范性文件 58
    assert (r["requests_received"], r["granted"], r["partially_granted"], r["total_handled"], r["review_corrected"],
            r["litigation_total"], r["normative_docs_issued"]) == (154, 33, 38, 148, 3, 9, 58)
    # the altered 余坊乡 copy is not current: 余坊乡 2019 is the original (handled 0)
    r = ay[("余坊乡人民政府", "gov_level", 2019)]
    assert (r["source_file"], r["total_handled"]) == (YUFANG, 0)
    current = query(warehouse, "select count(*) from marts.dim_reports where is_current and agency is not null")[0][0]
    assert len(ay) == current == 26


# --------------------------------------------------------------------------- changes and rankings

def test_agency_year_changes(warehouse):
    rows = query(warehouse, "select year, value, prev_year, prev_value, change, ratio from marts.mart_agency_year_changes"
                            " where agency = '三明市人民政府' and scope = 'gov_level' and metric = 'requests_received'"
                            " order by year")
    received = {y: v[2][0] for y, v in SANMING.items() if v[0] == "gov_level"}
    years = sorted(received)
    expected = []
    for i, y in enumerate(years):
        prev = years[i - 1] if i else None
        pv = received[prev] if prev else None
        expected.append((y, received[y], prev, pv, None if pv is None else received[y] - pv,
                         None if not pv else received[y] / pv))
    assert [(y, v, py, pv, c, None if r is None else pytest.approx(r)) for y, v, py, pv, c, r in rows] == expected
    # 2024 follows 2022 in the gov_level series (2023 is the aggregate report): 357 vs 347
    assert rows[4][:5] == (2024, 357, 2022, 347, 10)
    metrics = {r[0] for r in query(warehouse, "select distinct metric from marts.mart_agency_year_changes")}
    assert {"requests_received", "granted", "denied", "review_total", "litigation_total"} <= metrics


def test_rankings(warehouse):
    rows = query(warehouse, "select agency, value, rank, of_n from marts.mart_rankings where report_year = 2019"
                            " and metric = 'requests_received' and admin_level = '地级' order by rank")
    # 三明 110 (d11), 莆田市人民政府办公室 46 (d12)
    assert rows == [("三明市人民政府", 110, 1, 2), ("莆田市人民政府办公室", 46, 2, 2)]
    dup = query(warehouse, "select count(*) from marts.mart_rankings where agency = '平潭综合实验区管委会'"
                           " and report_year = 2025 and metric = 'requests_received'")
    assert dup == [(1,)]


# --------------------------------------------------------------------------- exports

def parquet_source(path: Path) -> str:
    """read_parquet of a mart's Parquet export: one file, or a folder of parts."""
    return f"read_parquet('{path / '*.parquet' if path.is_dir() else path}')"


def assert_holds_the_mart(con: duckdb.DuckDBPyConnection, table: str, source: str, types: bool = True) -> None:
    """`source` (a table expression) holds exactly the rows of `wh.marts.<table>` (the warehouse
    attached as `wh`), and with `types` the same columns and types."""
    if types:
        described = [con.execute(f"select list((column_name, column_type)) from (describe {src})").fetchone()[0]
                     for src in (f"wh.marts.{table}", f"select * from {source}")]
        assert described[0] == described[1], table
    for a, b in ((f"wh.marts.{table}", source), (source, f"wh.marts.{table}")):
        assert con.execute(f"select count(*) from (from {a} except all from {b})").fetchone()[0] == 0, table


def test_exports_beside_the_warehouse(warehouse):
    from ingestion.publish import parquet_export

    exports = warehouse.parent / "exports"
    tables = {r[0] for r in query(warehouse, "select table_name from information_schema.tables"
                                             " where table_schema = 'marts'")}
    assert set(PEOPLE_MARTS) <= tables
    assert parquet_export(exports, "fct_metrics").is_dir()            # the fact: a folder of parts
    assert parquet_export(exports, "dim_reports").is_file()
    con = duckdb.connect()
    try:
        con.execute(f"attach '{warehouse}' as wh (read_only)")
        for t in sorted(tables):
            n = query(warehouse, f"select count(*) from marts.{t}")[0][0]
            pq = parquet_source(parquet_export(exports, t))
            cs = exports / "csv" / f"{t}.csv"
            assert parquet_export(exports, t).exists() and cs.exists(), t
            assert con.execute(f"select count(*) from {pq}").fetchone()[0] == n, t
            # the Parquet file holds the mart itself: the same columns, types and rows
            assert_holds_the_mart(con, t, pq)
            raw = cs.read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf"), t
            with open(cs, encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.reader(fh))
            assert len(rows) == n + 1, t
            # the CSV holds the mart too: its header is the mart's columns, and read back with the
            # mart's types it gives the same rows
            cols = con.execute("select column_name, data_type from information_schema.columns where "
                               "table_catalog = 'wh' and table_schema = 'marts' and table_name = ? "
                               "order by ordinal_position", [t]).fetchall()
            assert rows[0] == [c for c, _ in cols], t
            spec = "{" + ", ".join(f"'{c}': '{ty}'" for c, ty in cols) + "}"
            assert_holds_the_mart(con, t, f"read_csv('{cs}', header = true, columns = {spec}, "
                                          "allow_quoted_nulls = false)", types=False)
    finally:
        con.close()


def test_marts_larger_than_an_excel_sheet_are_parquet_only(warehouse, tmp_path):
    """A mart over the CSV row limit (Excel's sheet) gets its Parquet file and no CSV; a re-export
    of unchanged marts links the previous files instead of writing them."""
    from ingestion.export_parts import members_path
    from ingestion.publish import export_marts, parquet_export

    counts = {t: query(warehouse, f"select count(*) from marts.{t}")[0][0] for (t,) in query(
        warehouse, "select table_name from information_schema.tables where table_schema = 'marts'")}
    limit = 50
    out = tmp_path / "exports"
    export_marts(warehouse, out, csv_max_rows=limit)
    big = {t for t, n in counts.items() if n > limit}
    assert "fct_metrics" in big and "rule_catalog" not in big
    for t in counts:
        assert parquet_export(out, t).exists(), t
        assert (out / "csv" / f"{t}.csv").exists() == (t not in big), t
    inodes = {t: parquet_export(out, t).stat().st_ino for t in counts if t != "fct_metrics"}
    parts = {p.name: p.stat().st_ino for p in parquet_export(out, "fct_metrics").iterdir()}
    export_marts(warehouse, out, csv_max_rows=limit)
    assert {t: parquet_export(out, t).stat().st_ino for t in inodes} == inodes
    assert {p.name: p.stat().st_ino for p in parquet_export(out, "fct_metrics").iterdir()} == parts
    assert members_path(out, "fct_metrics").is_file()        # the membership list comes along


def fact_parts(out: Path) -> dict[str, set[str]]:
    """report_id -> the part files of the fact's export holding its rows."""
    con = duckdb.connect()
    try:
        rows = con.execute(f"select distinct report_id, parse_filename(filename) from "
                           f"read_parquet('{out / 'parquet' / 'fct_metrics' / '*.parquet'}', filename = true)").fetchall()
    finally:
        con.close()
    parts: dict[str, set[str]] = {}
    for rid, name in rows:
        parts.setdefault(rid, set()).add(name)
    return parts


def assert_fact_export_is_the_mart(db: Path, out: Path) -> None:
    from ingestion.publish import parquet_export

    con = duckdb.connect()
    try:
        con.execute(f"attach '{db}' as wh (read_only)")
        assert_holds_the_mart(con, "fct_metrics", parquet_source(parquet_export(out, "fct_metrics")))
    finally:
        con.close()


def test_fact_export_parts_hold_whole_reports(warehouse, tmp_path):
    """The fact's export is a folder of parts of about `part_rows` rows; every report's rows are in
    one part, and the membership list beside the folder says which, with the report's row count."""
    from ingestion.export_parts import members_path
    from ingestion.publish import export_marts

    out = tmp_path / "exports"
    export_marts(warehouse, out, part_rows=300)
    assert_fact_export_is_the_mart(warehouse, out)
    parts = fact_parts(out)
    files = sorted(p.name for p in (out / "parquet" / "fct_metrics").iterdir())
    n_rows, n_reports = query(warehouse, "select count(*), count(distinct report_id) from marts.fct_metrics")[0]
    assert len(parts) == n_reports and all(len(p) == 1 for p in parts.values())
    members = query(warehouse, f"select report_id, part, rows from read_parquet('{members_path(out, 'fct_metrics')}')")
    counts = dict(query(warehouse, "select report_id, count(*) from marts.fct_metrics group by 1"))
    assert {rid: (f"part-{part:05d}.parquet", rows) for rid, part, rows in members} == \
        {rid: (next(iter(parts[rid])), counts[rid]) for rid in parts}
    # a part takes reports until it holds 300 rows: all but the last hold at least that, none much more
    per_part: dict[str, int] = {}
    for rid, (name,) in parts.items():
        per_part[name] = per_part.get(name, 0) + counts[rid]
    assert len(files) == len(per_part) > 3 and sum(per_part.values()) == n_rows
    assert all(300 <= n < 300 + max(counts.values()) for name, n in per_part.items() if name != files[-1])


def test_fact_export_rewrites_only_the_parts_of_changed_reports(warehouse, tmp_path):
    """A changed report's part is written again (under a new number, with the other reports it
    held) and so are new reports'; the other parts are hard links to the previous export's files.
    A removed report leaves the export. Each time the export is exactly the fact."""
    from ingestion.publish import export_marts

    db = tmp_path / "copy.duckdb"
    shutil.copyfile(warehouse, db)
    out = tmp_path / "exports"

    def export() -> dict[str, int]:
        export_marts(db, out, part_rows=300)
        assert_fact_export_is_the_mart(db, out)
        return {p.name: p.stat().st_ino for p in (out / "parquet" / "fct_metrics").iterdir()}

    def alter(*sql: str) -> None:
        con = duckdb.connect(str(db))
        try:
            for stmt in sql:
                con.execute(stmt)
        finally:
            con.close()

    def sizes() -> dict[str, int]:
        con = duckdb.connect()
        try:
            return dict(con.execute(f"select parse_filename(filename), count(*) from read_parquet("
                                    f"'{out / 'parquet' / 'fct_metrics' / '*.parquet'}', filename = true) "
                                    "group by 1").fetchall())
        finally:
            con.close()

    before = export()
    parts = fact_parts(out)
    small = {name for name, n in sizes().items() if n < 150}       # merged with new reports anyway
    changed = next(rid for rid in sorted(parts) if not parts[rid] & small)
    (old_part,) = parts[changed]
    alter(f"update staging.int_metric_values set value = value + 1 where report_id = '{changed}'",
          f"update staging.int_metric_values__built set report_version = report_version || '+' "
          f"where report_id = '{changed}'")
    after = export()
    assert old_part not in after
    assert {name: ino for name, ino in after.items() if name in before} == \
        {name: ino for name, ino in before.items() if name != old_part and name not in small}
    assert fact_parts(out)[changed] <= set(after) - set(before)

    small = {name for name, n in sizes().items() if n < 150}
    removed = next(rid for rid in sorted(fact_parts(out)) if rid != changed and not fact_parts(out)[rid] & small)
    (old_part,) = fact_parts(out)[removed]
    alter(f"delete from staging.int_metric_values where report_id = '{removed}'",
          f"delete from staging.int_metric_values__built where report_id = '{removed}'")
    before, after = after, export()
    assert removed not in fact_parts(out)
    assert {name: ino for name, ino in after.items() if name in before} == \
        {name: ino for name, ino in before.items() if name != old_part and name not in small}

    small = {name for name, n in sizes().items() if n < 150}
    alter(f"insert into staging.int_metric_values select * replace ('new-report' as report_id) "
          f"from staging.int_metric_values where report_id = '{changed}'",
          f"insert into staging.int_metric_values__built select * replace ('new-report' as report_id) "
          f"from staging.int_metric_values__built where report_id = '{changed}'")
    before, after = after, export()
    assert fact_parts(out)["new-report"] <= set(after) - set(before)
    assert {name: ino for name, ino in after.items() if name in before} == \
        {name: ino for name, ino in before.items() if name not in small}


def test_fact_export_without_usable_order_or_list_is_written_whole(warehouse, tmp_path, monkeypatch):
    """Rows too scattered to write part by part (here: shuffled storage and at most one part open),
    or a membership list that does not add up, make the export write the whole fact again: always
    exactly the fact."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    import ingestion.export_parts as export_parts
    from ingestion.publish import export_marts

    db = tmp_path / "copy.duckdb"
    shutil.copyfile(warehouse, db)
    out = tmp_path / "exports"
    members = export_parts.members_path(out, "fct_metrics")
    export_marts(db, out, part_rows=300)
    first = {p.name for p in (out / "parquet" / "fct_metrics").iterdir()}

    # a stale list: a report's count is off by one, so the kept parts would not add up to the fact
    table = pq.read_table(members)
    rows = table.column("rows").to_pylist()
    rows[0] += 1
    pq.write_table(table.set_column(table.schema.get_field_index("rows"), "rows", pa.array(rows, "int64")), members)
    con = duckdb.connect(str(db))
    con.execute("update staging.int_metric_values__built set report_version = report_version || '+' "
                "where report_id = (select max(report_id) from staging.int_metric_values__built)")
    con.close()
    export_marts(db, out, part_rows=300)
    assert_fact_export_is_the_mart(db, out)
    assert {p.name for p in (out / "parquet" / "fct_metrics").iterdir()} == first   # all again, from 0
    assert all(len(p) == 1 for p in fact_parts(out).values()) and members.is_file()

    # scattered rows: the fact cut every 300 rows whatever the report, and no list
    con = duckdb.connect(str(db))
    con.execute("create table staging.shuffled as select * from staging.int_metric_values order by hash(ordinal, metric_key)")
    con.execute("delete from staging.int_metric_values")
    con.execute("insert into staging.int_metric_values select * from staging.shuffled")
    con.execute("update staging.int_metric_values__built set report_version = report_version || '+'")
    con.close()
    monkeypatch.setattr(export_parts, "MAX_OPEN_PARTS", 1)
    export_marts(db, out, part_rows=300)
    assert_fact_export_is_the_mart(db, out)
    assert not members.exists()
    assert any(len(p) > 1 for p in fact_parts(out).values())


def test_fact_fingerprint_follows_its_report_versions(warehouse, tmp_path):
    """The export fingerprint of fct_metrics (a view over a report_incremental table) is taken from
    that table's list of report versions: it changes when one report's version changes, and without
    the list the rows themselves are hashed; a report_incremental mart uses its own list."""
    from ingestion.publish import mart_fingerprint

    db = tmp_path / "copy.duckdb"
    shutil.copyfile(warehouse, db)
    con = duckdb.connect(str(db))
    try:
        before = mart_fingerprint(con, "fct_metrics")
        assert before.rsplit("|", 2)[1] == str(query(warehouse, "select count(*) from marts.fct_metrics")[0][0])
        assert " of " in before.rsplit("|", 1)[1]            # from the version list
        assert mart_fingerprint(con, "fct_metrics") == before
        con.execute("update staging.int_metric_values__built set report_version = 'rebuilt' "
                    "where report_id = (select min(report_id) from staging.int_metric_values__built)")
        changed = mart_fingerprint(con, "fct_metrics")
        assert changed != before and changed.rsplit("|", 2)[:2] == before.rsplit("|", 2)[:2]
        con.execute("drop table staging.int_metric_values__built")
        hashed = mart_fingerprint(con, "fct_metrics")
        assert " of " not in hashed.rsplit("|", 1)[1] and hashed.rsplit("|", 2)[:2] == before.rsplit("|", 2)[:2]
        # a report_incremental mart (a table) stands for itself by its own list
        apps = mart_fingerprint(con, "mart_applications")
        assert " of " in apps.rsplit("|", 1)[1]
        con.execute("update staging.mart_applications__built set report_version = 'rebuilt' "
                    "where report_id = (select min(report_id) from staging.mart_applications__built)")
        assert mart_fingerprint(con, "mart_applications") != apps
        assert " of " not in mart_fingerprint(con, "mart_rankings").rsplit("|", 1)[1]   # no list: hashed
    finally:
        con.close()
