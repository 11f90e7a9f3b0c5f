"""The dbt project on real DuckDB files: raw layer → `dbt seed` + `dbt build` → marts.

Two warehouses are built in a tmp dir:
- a synthetic one, whose raw tables are written directly with realistic rows (trial_2019 reports
  whose Table 3 adds up or not, a format_2021 report, a legacy_table report, an HTML copy and a
  withdrawn copy), so these tests do not depend on the progress of the extractors;
- the bundled sample corpus run through `ingestion.pipeline.ingest`, asserting only what holds
  whatever the extractors return today (schemas, 5 reports, contract columns, a passing build).
"""
from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
DBT_DIR = REPO / "dbt"
SAMPLE = REPO / "data" / "sample"
APPLICANTS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")
COLUMN_ZH = dict(zip(APPLICANTS, ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")))

# one target dir per test session (partial parsing across builds), outside the repo's dbt/target
_TARGET = Path(tempfile.mkdtemp(prefix="disclosure_dbt_target_"))
atexit.register(shutil.rmtree, _TARGET, True)
TIMINGS: list[tuple[str, float]] = []

CONTRACT = {
    "dim_reports": ["report_id", "source_file", "content_sha256", "agency", "admin_level", "region",
                    "report_year", "published_on", "format", "parse_status", "parse_error",
                    "parser_version", "is_current"],
    "fct_metrics": ["report_id", "metric_key", "value", "unit", "source", "approx", "is_derived",
                    "raw_text", "label", "column_label", "table_id", "format"],
    "fct_quality_issues": ["finding_id", "report_id", "rule_id", "severity", "metric_keys", "expected",
                           "actual", "difference", "instance", "message", "first_seen_at", "triage_status"],
    "mart_report_quality": ["report_id", "n_errors", "n_warnings", "n_not_assessable", "n_evaluated", "score"],
}


# --------------------------------------------------------------------------- dbt runner

def invoke_dbt(db_path: Path, *args: str):
    """Run one dbt command in-process against db_path (target and logs in a session tmp dir);
    returns dbt's result, failed or not."""
    from dbt.cli.main import dbtRunner

    old = os.environ.get("DISCLOSURE_BUILD_DB")
    os.environ["DISCLOSURE_BUILD_DB"] = str(db_path)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    try:
        return dbtRunner().invoke([
            *args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
            "--target-path", str(_TARGET), "--log-path", str(_TARGET / "logs"), "--quiet",
        ])
    finally:
        if old is None:
            os.environ.pop("DISCLOSURE_BUILD_DB", None)
        else:
            os.environ["DISCLOSURE_BUILD_DB"] = old


def run_dbt(db_path: Path, tmp: Path, *args: str) -> None:
    """`invoke_dbt`, which must succeed."""
    res = invoke_dbt(db_path, *args)
    assert res.success, f"dbt {' '.join(args)} failed: {res.exception or res.result}"


def build(db_path: Path, tmp: Path) -> None:
    """`dbt seed` then `dbt build` (which runs the seeds again, the models and all data tests)."""
    t0 = time.perf_counter()
    run_dbt(db_path, tmp, "seed")
    run_dbt(db_path, tmp, "build")
    TIMINGS.append((db_path.parent.name, round(time.perf_counter() - t0, 2)))


def q(db_path: Path, sql: str, *params):
    con = duckdb.connect(str(db_path))  # not read_only: dbt-duckdb may still hold it in-process
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


# --------------------------------------------------------------------------- synthetic raw layer

class RawWriter:
    """Writes realistic raw.* rows (DDL of ingestion/schema.py) without any extractor."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        from ingestion.schema import ddl_statements

        self.con = con
        for stmt in ddl_statements():
            con.execute(stmt)
        self.now = dt.datetime(2026, 11, 30, 12, 0, 0)

    def report(self, source_file: str, fmt: str, agency: str | None, year: int | None, *,
               text_key: str | None = None, doc_type: str = "text", status: str = "parsed",
               withdrawn: bool = False, published: str | None = None, scope: str = "self") -> str:
        rid = hashlib.sha256(source_file.encode()).hexdigest()[:16]
        self.con.execute(
            "insert into raw.reports (report_id, source_file, content_sha256, file_size, file_mtime, doc_type,"
            " encoding, text_sha256, format, parse_status, parse_error, parser_version, agency, admin_level,"
            " region, report_year, year_source, published_on, scope, title, n_metrics, n_unmapped,"
            " is_withdrawn, loaded_at) values (?, ?, ?, 1000, ?, ?, 'utf-8', ?, ?, ?, ?, '0.1.0', ?, '县级',"
            " '福建省三明市将乐县', ?, 'title', ?, ?, ?, 0, 0, ?, ?)",
            [rid, source_file, hashlib.sha256(source_file.encode() + b"bytes").hexdigest(), self.now, doc_type,
             hashlib.sha256((text_key or source_file).encode()).hexdigest(), fmt, status,
             "no table found" if status == "failed" else None, agency, year,
             published, scope, f"{agency}{year}年政府信息公开工作年度报告", withdrawn, self.now])
        return rid

    def metric(self, rid: str, key: str, value, *, label: str = "", column_label: str = "",
               table_id: str = "table3", derived: bool = False, source: str = "table",
               approx: bool = False, unit: str = "件") -> None:
        status = "value" if isinstance(value, (int, float)) else ("blank" if value in (None, "") else "placeholder")
        raw = "" if value is None else str(value)
        self.con.execute(
            "insert into raw.metrics values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL,"
            " (select count(*) from raw.metrics where report_id = ?))",
            [rid, key, float(value) if status == "value" else None, status, unit, source, approx, derived,
             raw, label, column_label, table_id, rid])

    def table3(self, rid: str, rows: dict[str, list], derive_other: bool = False,
               printed_subtotals: dict[str, list] | None = None) -> None:
        """rows: Table 3 row -> 7 values (applicant columns then 总计); None = blank cell."""
        for row, vals in rows.items():
            for col, v in zip(APPLICANTS, vals):
                self.metric(rid, f"applications.{row}.{col}", v, label=row, column_label=COLUMN_ZH[col])
        groups = {"denied_total": [r for r in rows if r.startswith("denied_")],
                  "unable_total": [r for r in rows if r.startswith("unable_")],
                  "rejected_total": [r for r in rows if r.startswith("rejected_")]}
        if derive_other:
            groups["other"] = [r for r in rows if r.startswith("other_")]
        for grp, subs in groups.items():
            if printed_subtotals and grp in printed_subtotals:
                for col, v in zip(APPLICANTS, printed_subtotals[grp]):
                    self.metric(rid, f"applications.{grp}.{col}", v, label=f"{grp} 小计",
                                column_label=COLUMN_ZH[col])
                continue
            for i, col in enumerate(APPLICANTS):
                vals = [rows[s][i] for s in subs]
                if subs and all(isinstance(v, (int, float)) for v in vals):
                    self.metric(rid, f"applications.{grp}.{col}", sum(vals), label=grp,
                                column_label=COLUMN_ZH[col], derived=True)

    def table4(self, rid: str, blocks: dict[str, list]) -> None:
        for b, vals in blocks.items():
            for part, v in zip(("upheld", "corrected", "other", "pending", "total"), vals):
                self.metric(rid, f"{b}.{part}", v, table_id="table4", label=b, column_label=part)


def trial_rows(granted_np=3, granted_com=1, blank_total_row=None) -> dict[str, list]:
    """A consistent trial_2019 Table 3: 5 new + 1 carried over = 5 handled + 1 carried forward."""
    z = [0] * 7
    rows = {
        "new_received": [4, 1, 0, 0, 0, 0, 5],
        "carried_over": [1, 0, 0, 0, 0, 0, 1],
        "granted": [granted_np, granted_com, 0, 0, 0, 0, granted_np + granted_com],
        "partial": list(z),
        **{f"denied_{k}": list(z) for k in ("state_secret", "law_prohibited", "three_safety", "third_party",
                                            "internal_affairs", "process_info", "enforcement_file",
                                            "query_matter")},
        "unable_not_held": [1, 0, 0, 0, 0, 0, 1],
        "unable_need_creation": list(z),
        "unable_unclear": list(z),
        **{f"rejected_{k}": list(z) for k in ("petition", "duplicate", "publication", "excessive", "confirm")},
        "other": list(z),
        "total_handled": [4, 1, 0, 0, 0, 0, 5],
        "carried_forward": [1, 0, 0, 0, 0, 0, 1],
    }
    if blank_total_row:
        rows[blank_total_row][6] = None
    return rows


def write_synthetic(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db))
    w = RawWriter(con)
    ids = {}
    # A: trial_2019, consistent; 总计 of 部分公开 left blank (R3.3 not assessable there)
    a = ids["a"] = w.report("2019/a.txt", "trial_2019", "余坊乡人民政府", 2019, text_key="A",
                            published="2020-01-20")
    w.table3(a, trial_rows(blank_total_row="partial"))
    w.table4(a, {"review": [1, 0, 0, 1, 2], "litigation_direct": [0, 0, 0, 0, 0],
                 "litigation_after_review": [0, 0, 0, 0, 0]})
    w.metric(a, "proactive.rules.published", 2, table_id="table2")
    w.metric(a, "proactive.rules.total_public", 10, table_id="table2")
    w.metric(a, "proactive.admin_license.prev_count", 3, table_id="table2", unit="项")
    w.metric(a, "proactive.admin_license.change", -2, table_id="table2", unit="项")
    w.metric(a, "applications.new_received.total", 5, source="prose", table_id="prose",
             label="本年新收政府信息公开申请5件")
    # A2: the HTML copy of A (same text): preferred as current; W: a withdrawn copy, never current
    a2 = ids["a_html"] = w.report("2019/a.html", "trial_2019", "余坊乡人民政府", 2019, text_key="A",
                                  doc_type="html", published="2020-01-20")
    w.table3(a2, trial_rows(blank_total_row="partial"))
    w.table4(a2, {"review": [1, 0, 0, 1, 2], "litigation_direct": [0, 0, 0, 0, 0],
                  "litigation_after_review": [0, 0, 0, 0, 0]})
    ids["a_withdrawn"] = w.report("mirror/a.txt", "trial_2019", "余坊乡人民政府", 2019, text_key="A",
                                  withdrawn=True, published="2021-03-01")
    # B: trial_2019 where the printed （七）总计 · 总计 says 9 instead of 5; table 4 off by one
    b = ids["b"] = w.report("2019/b.txt", "trial_2019", "鹤庆县人民政府", 2019)
    rows = trial_rows()
    rows["total_handled"][6] = 9
    w.table3(b, rows)
    w.table4(b, {"review": [1, 1, 0, 0, 3], "litigation_direct": [0, 0, 0, 0, 0],
                 "litigation_after_review": [0, 0, 0, 0, 0]})
    # C: format_2021, （六） derived from its three sub-rows; a printed 不予公开 小计 that is wrong
    c = ids["c"] = w.report("2021/c.txt", "format_2021", "西宁市人民政府", 2021)
    rows = trial_rows()
    del rows["other"]
    rows.update({"other_no_correction": [0] * 7, "other_no_fee": [0] * 7, "other_other": [0] * 7})
    rows["denied_state_secret"] = [1, 0, 0, 0, 0, 0, 1]
    rows["granted"] = [2, 1, 0, 0, 0, 0, 3]
    w.table3(c, rows, derive_other=True, printed_subtotals={"denied_total": [2, 0, 0, 0, 0, 0, 2]})
    w.metric(c, "proactive.rules.issued", 5, table_id="table2")
    w.metric(c, "proactive.rules.in_force", 2, table_id="table2")
    w.metric(c, "proactive.rules.repealed", 1, table_id="table2")
    w.metric(c, "proactive.normative_docs.issued", 1, table_id="table2")
    w.metric(c, "proactive.normative_docs.in_force", "—", table_id="table2")
    w.metric(c, "proactive.normative_docs.repealed", 0, table_id="table2")
    # D: legacy_table with staff and closed counts; fax cell blank; email/other channels absent
    d = ids["d"] = w.report("2017/d.txt", "legacy_table", "荆州市人民政府", 2017)
    for key, v, label in [
        ("legacy.staff_total", 172, "从事政府信息公开工作人员数"), ("legacy.staff_full_time", 21, "专职人员数"),
        ("legacy.staff_part_time", 150, "兼职人员数"),
        ("legacy.requests_closed", 48, "申请办结数"), ("legacy.requests_closed_on_time", 46, "按时办结数"),
        ("legacy.requests_closed_extended", 2, "延期办结数"),
        ("legacy.requests_received", 48, "收到申请数"), ("legacy.requests_in_person", 6, "当面申请数"),
        ("legacy.requests_fax", None, "传真申请数"), ("legacy.requests_online", 0, "网络申请数"),
        ("legacy.requests_letter", 42, "信函申请数"),
        ("legacy.press_conferences", 22, "参加或举办新闻发布会总次数"),
        ("legacy.press_conferences_principal", 25, "其中：主要负责同志参加新闻发布会次数"),
        ("legacy.proactive_total", 66045, "主动公开政府信息数"), ("legacy.proactive_normative_docs", 3145,
                                                             "其中：主动公开规范性文件数"),
        ("legacy.normative_docs_issued", 2139, "制发规范性文件总数"),
    ]:
        w.metric(d, key, v, table_id="legacy_table", label=label, unit="人" if "staff" in key else "件")
    w.metric(d, "legacy.requests_received", 50, source="prose", table_id="prose",
             label="", unit="件")   # the text says 50 requests, the table 48: N1
    # F: 余坊乡 2020, internally consistent, but it carries over 2 where 2019 carried forward 1 (X1)
    f = ids["f"] = w.report("2020/f.txt", "trial_2019", "余坊乡人民政府", 2020)
    rows = trial_rows()
    rows["new_received"] = [3, 1, 0, 0, 0, 0, 4]
    rows["carried_over"] = [2, 0, 0, 0, 0, 0, 2]
    w.table3(f, rows)
    # G: a Table 3 cut down to 自然人 + 法人或其他组织 (legal_subtotal): 总计 of （七） is 4, not 2 + 1
    g = ids["g"] = w.report("2019/g.txt", "trial_2019", "某区人民政府", 2019)
    for row, (np_, legal, tot) in {"new_received": (2, 1, 3), "carried_over": (0, 0, 0),
                                   "granted": (2, 1, 3), "total_handled": (2, 1, 4),
                                   "carried_forward": (0, 0, 0)}.items():
        for col, v in (("natural_person", np_), ("legal_subtotal", legal), ("total", tot)):
            w.metric(g, f"applications.{row}.{col}", v, label=row,
                     column_label={"legal_subtotal": "法人或其他组织"}.get(col, COLUMN_ZH.get(col, col)))
    # E: a failed parse
    ids["e"] = w.report("2015/e.txt", "unknown", None, None, status="failed")
    con.execute("insert into raw.parse_events values ('synthetic', ?, '2015/e.txt', 'x', '0.1.0', 'failed',"
                " 'failed', 'no table found', 1.0, ?)", [ids["e"], w.now])
    con.close()
    return ids


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dbt_synthetic")
    db = tmp / "build.duckdb"
    ids = write_synthetic(db)
    build(db, tmp)
    return db, tmp, ids


def findings(db, rid, rule_id=None):
    sql = ("select check_id, rule_id, severity, instance, expected, actual, difference, message, metric_keys"
           " from marts.fct_quality_issues where report_id = ?")
    params = [rid]
    if rule_id:
        sql += " and rule_id = ?"
        params.append(rule_id)
    return q(db, sql + " order by check_id, instance", *params)


# --------------------------------------------------------------------------- synthetic tests

def test_schemas_and_contract_columns(synthetic):
    db, _, _ = synthetic
    schemas = {r[0] for r in q(db, "select schema_name from information_schema.schemata")}
    assert {"raw", "staging", "marts"} <= schemas
    assert not {s for s in schemas if s.endswith("_marts") or s.endswith("_staging")}
    for table, cols in CONTRACT.items():
        got = {r[0] for r in q(db, "select column_name from information_schema.columns"
                                   " where table_schema = 'marts' and table_name = ?", table)}
        assert set(cols) <= got, (table, set(cols) - got)
    types = dict(q(db, "select column_name, data_type from information_schema.columns"
                       " where table_schema = 'marts' and table_name = 'fct_metrics'"))
    assert types["value"] == "DOUBLE" and types["approx"] == "BOOLEAN" and types["is_derived"] == "BOOLEAN"
    # staging and intermediate models live in staging; seeds in marts
    assert q(db, "select count(*) from information_schema.tables where table_schema = 'staging'"
                 " and table_name in ('stg_reports', 'int_rule_evaluations', 'int_finding_history')")[0][0] == 3
    assert q(db, "select count(*) from marts.rule_catalog")[0][0] >= 20


def test_dim_reports_is_current(synthetic):
    db, _, ids = synthetic
    cur = dict(q(db, "select report_id, is_current from marts.dim_reports"))
    assert len(cur) == 9
    assert cur[ids["a_html"]] is True          # html copy preferred over the identical text copy
    assert cur[ids["a"]] is False
    assert cur[ids["a_withdrawn"]] is False    # withdrawn files are never current
    assert all(cur[ids[k]] for k in ("b", "c", "d", "e", "f", "g"))
    assert q(db, "select count(*) from marts.dim_reports where is_current group by copy_group"
                 " having count(*) > 1") == []


def test_fct_metrics_only_values(synthetic):
    db, _, ids = synthetic
    assert q(db, "select count(*) from marts.fct_metrics where value is null")[0][0] == 0
    # the blank 总计 of 部分公开, the blank fax cell and the '—' placeholder are not in the fact
    for rid, key in ((ids["a"], "applications.partial.total"), (ids["d"], "legacy.requests_fax"),
                     (ids["c"], "proactive.normative_docs.in_force")):
        assert q(db, "select count(*) from marts.fct_metrics where report_id = ? and metric_key = ?",
                 rid, key)[0][0] == 0
        assert q(db, "select count(*) from staging.stg_metrics where report_id = ? and metric_key = ?",
                 rid, key)[0][0] == 1
    # table and prose rows of the same key are both kept
    assert q(db, "select count(*) from marts.fct_metrics where report_id = ? and metric_key ="
                 " 'applications.new_received.total'", ids["a"])[0][0] == 2
    # only catalog keys
    assert q(db, "select count(*) from marts.fct_metrics where metric_key not in"
                 " (select key from marts.metric_catalog)")[0][0] == 0


def test_consistent_report_has_no_errors(synthetic):
    db, _, ids = synthetic
    assert [f for f in findings(db, ids["a"]) if f[2] == "error"] == []
    na = q(db, "select check_id, instance from staging.int_rule_evaluations where report_id = ?"
               " and status = 'not_assessable' order by 1, 2", ids["a"])
    # the blank 总计 cell of 部分公开 makes R3.3 [partial] not assessable (never flagged as 0)
    assert ("R3.3", "partial") in na
    ev = dict(q(db, "select check_id, count(*) from staging.int_rule_evaluations where report_id = ?"
                    " and status = 'pass' group by 1", ids["a"]))
    assert ev["R3.1"] == 7 and ev["R3.2"] == 6 and ev["R4.1"] == 3 and ev["R2.4"] == 1
    assert ("R3.2", "total") in na          # 部分公开 · 总计 is blank, so the 总计 column cannot be summed
    # trial_2019 has no （六） sub-rows: R3.3 is not evaluated on them; R3.7 only on printed subtotals
    checked = {r[0] for r in q(db, "select instance from staging.int_rule_evaluations where report_id = ?"
                                   " and check_id = 'R3.3'", ids["a"])}
    assert "other" in checked and "other_no_fee" not in checked
    assert q(db, "select count(*) from staging.int_rule_evaluations where report_id = ?"
                 " and rule_id = 'R3.7'", ids["a"])[0][0] == 0
    # R2.5: 3 + (-2) >= 0 passes; the signed change is allowed
    assert q(db, "select status from staging.int_rule_evaluations where report_id = ? and check_id = 'R2.5'",
             ids["a"]) == [("pass",)]


def test_altered_total_is_flagged_with_both_numbers(synthetic):
    db, _, ids = synthetic
    got = {(f[0], f[3]): f for f in findings(db, ids["b"])}
    r31 = got[("R3.1", "total")]
    assert r31[2] == "error"
    assert (r31[4], r31[5], r31[6]) == (6.0, 10.0, 4.0)      # expected new+carried, actual handled+forward
    assert "applications.total_handled.total" in r31[8]
    assert "10" in r31[7] and "6" in r31[7] and "applications.total_handled.total = 9" in r31[7]
    assert "总计" in r31[7]
    r32 = got[("R3.2", "total")]
    assert (r32[4], r32[5]) == (5.0, 9.0)
    r33 = got[("R3.3", "total_handled")]
    assert (r33[4], r33[5]) == (5.0, 9.0)
    # the applicant columns that add up are not flagged
    assert ("R3.1", "natural_person") not in got
    # table 4: 行政复议 总计 3 vs 1 + 1 + 0 + 0
    r41 = got[("R4.1", "review")]
    assert (r41[4], r41[5], r41[2]) == (2.0, 3.0, "error")


def test_format_2021_rules(synthetic):
    db, _, ids = synthetic
    got = {(f[0], f[3]): f for f in findings(db, ids["c"])}
    r37 = got[("R3.7.denied", "total")]
    assert r37[1] == "R3.7" and (r37[4], r37[5]) == (1.0, 2.0)
    r21 = got[("R2.1", "rules")]
    assert r21[2] == "warning" and (r21[4], r21[5]) == (3.0, 5.0)
    # in_force printed as '—': not assessable, not flagged
    assert ("R2.1", "normative_docs") not in got
    assert q(db, "select status from staging.int_rule_evaluations where report_id = ?"
                 " and check_id = 'R2.1' and instance = 'normative_docs'", ids["c"]) == [("not_assessable",)]
    # （六） is derived from its sub-rows in 2021: R3.7.other does not apply (nothing printed)
    assert q(db, "select count(*) from staging.int_rule_evaluations where report_id = ?"
                 " and check_id = 'R3.7.other'", ids["c"])[0][0] == 0
    # R3.2 uses the derived （六） and the printed 不予公开 小计 (which is 1 too high in 自然人 and 总计)
    r32 = dict(q(db, "select instance, status from staging.int_rule_evaluations where report_id = ?"
                     " and check_id = 'R3.2'", ids["c"]))
    assert r32 == {c: ("fail" if c in ("natural_person", "total") else "pass") for c in APPLICANTS}


def test_legacy_rules(synthetic):
    db, _, ids = synthetic
    got = {(f[0], f[3]): f for f in findings(db, ids["d"])}
    o12 = got[("O12", None)]
    assert o12[2] == "error" and (o12[4], o12[5], o12[6]) == (171.0, 172.0, 1.0)
    assert "从事政府信息公开工作人员数" in o12[7] and "legacy.staff_full_time" in o12[7]
    assert got[("O9", "press_conferences")][2] == "error"
    assert got[("O8b", None)][2] == "warning"
    n1 = got[("N1", "legacy.requests_received")]
    assert n1[2] == "warning" and (n1[4], n1[5]) == (48.0, 50.0) and "收到申请数" in n1[7]
    assert ("O2", None) not in got and ("O8", None) not in got
    status = dict(q(db, "select check_id, status from staging.int_rule_evaluations where report_id = ?"
                        " and instance = ''", ids["d"]))
    assert status["O2"] == "pass"
    assert status["O1"] == "not_assessable"            # the fax cell is blank; email/other absent = 0
    mrq = q(db, "select n_errors, n_warnings, n_not_assessable, n_evaluated, score"
                " from marts.mart_report_quality where report_id = ?", ids["d"])[0]
    assert mrq[0] == 2 and mrq[1] >= 1 and mrq[2] >= 1 and mrq[3] >= 5 and 0 < mrq[4] < 100


def test_cut_down_table3(synthetic):
    db, _, ids = synthetic
    got = {(f[0], f[3]): f for f in findings(db, ids["g"])}
    r33 = got[("R3.3.legal", "total_handled")]
    assert r33[1] == "R3.3" and (r33[4], r33[5]) == (3.0, 4.0)
    assert ("R3.3.legal", "granted") not in got
    assert ("R3.1", "total") in got and ("R3.1", "legal_subtotal") not in got
    ev = dict(q(db, "select instance, status from staging.int_rule_evaluations where report_id = ?"
                    " and check_id = 'R3.1'", ids["g"]))
    assert ev == {"natural_person": "pass", "legal_subtotal": "pass", "total": "fail"}


def test_cross_year_carry_over(synthetic):
    db, _, ids = synthetic
    got = {(f[0], f[3]): f for f in findings(db, ids["f"])}
    assert {k for k in got if k[0] == "X1"} == {("X1", "natural_person"), ("X1", "total")}
    x1 = got[("X1", "total")]
    assert x1[2] == "warning" and (x1[4], x1[5]) == (1.0, 2.0) and "2019/a.html" in x1[7]
    assert [f for f in findings(db, ids["f"]) if f[2] == "error"] == []


def test_pipeline_findings(synthetic):
    db, _, ids = synthetic
    assert [f[0] for f in findings(db, ids["e"])] == ["P1"]
    run_level = q(db, "select rule_id, instance, severity from marts.fct_quality_issues where report_id is null")
    assert run_level == [("P2", "synthetic", "warning")]


def test_first_seen_at_survives_rebuild(synthetic):
    db, tmp, ids = synthetic
    before = dict(q(db, "select finding_id, first_seen_at from marts.fct_quality_issues"))
    assert before and all(v is not None for v in before.values())
    # a new finding appears between the runs: it gets a later first_seen_at, the others keep theirs
    con = duckdb.connect(str(db))
    con.execute("update raw.metrics set value = 99 where report_id = ? and metric_key = 'legacy.requests_closed'",
                [ids["d"]])
    # as the loader does when it replaces a report's rows: a new loaded_at (the report's version)
    con.execute("update raw.reports set loaded_at = loaded_at + interval 1 hour where report_id = ?", [ids["d"]])
    # triage: O12 dismissed on its current numbers; O9 confirmed on numbers it no longer has
    fid = dict(q(db, "select rule_id, finding_id from marts.fct_quality_issues where report_id = ?"
                     " and rule_id in ('O12', 'O9')", ids["d"]))
    con.execute("insert into raw.triage_decisions values (?, 'dismissed', 'part-timers counted twice', 'qa',"
                " '2026-11-30 10:00:00', 171, 172), (?, 'confirmed', 'typo', 'qa', '2026-11-30 10:00:00', 22, 26)",
                [fid["O12"], fid["O9"]])
    con.close()
    build(db, tmp)
    triage = dict(q(db, "select rule_id, triage_status from marts.fct_quality_issues where report_id = ?", ids["d"]))
    assert triage["O12"] == "dismissed" and triage["O9"] == "needs_review" and triage["O8b"] == "open"
    after = dict(q(db, "select finding_id, first_seen_at from marts.fct_quality_issues"))
    assert set(before) < set(after)
    assert all(after[k] == v for k, v in before.items())
    new = set(after) - set(before)
    assert all(after[k] > max(before.values()) for k in new)
    assert q(db, "select count(*) from marts.fct_quality_issues where rule_id = 'O2' and report_id = ?",
             ids["d"])[0][0] == 1
    # even a full refresh rebuilds the marts but not the history (int_finding_history: full_refresh=false)
    run_dbt(db, tmp, "build", "--full-refresh")
    again = dict(q(db, "select finding_id, first_seen_at from marts.fct_quality_issues"))
    assert again == after


def test_docs_generate_and_descriptions(synthetic):
    """`dbt docs generate` works and every model, seed, source and column has a description."""
    import json

    db, tmp, _ = synthetic
    run_dbt(db, tmp, "docs", "generate")
    manifest = json.loads((_TARGET / "manifest.json").read_text())
    catalog = json.loads((_TARGET / "catalog.json").read_text())
    missing = []
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")]
    for n in nodes + list(manifest["sources"].values()):
        if not n.get("description"):
            missing.append(n["unique_id"])
        cols = catalog["sources" if n["resource_type"] == "source" else "nodes"].get(n["unique_id"], {}).get("columns", {})
        assert cols, n["unique_id"]
        for c in cols:
            if not n["columns"].get(c.lower(), {}).get("description"):
                missing.append(f"{n['unique_id']}.{c}")
    assert missing == []


# --------------------------------------------------------------------------- the real sample corpus

def ingest_into(landing: Path, db: Path) -> None:
    from ingestion.pipeline import ingest

    con = duckdb.connect(str(db))
    try:
        ingest(str(landing), con, "test")
    finally:
        con.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dbt_sample")
    db = tmp / "build.duckdb"
    ingest_into(SAMPLE, db)
    build(db, tmp)
    return db, tmp


def test_sample_build(sample):
    db, _ = sample
    schemas = {r[0] for r in q(db, "select schema_name from information_schema.schemata")}
    assert {"raw", "staging", "marts"} <= schemas
    assert q(db, "select count(*) from marts.dim_reports")[0][0] == 5
    assert q(db, "select count(*) from marts.mart_report_quality")[0][0] == 5
    assert q(db, "select count(*) from marts.fct_metrics where value is null")[0][0] == 0
    assert q(db, "select count(*) from marts.fct_metrics where metric_key not in"
                 " (select key from marts.metric_catalog)")[0][0] == 0
    for table, cols in CONTRACT.items():
        got = {r[0] for r in q(db, "select column_name from information_schema.columns"
                                   " where table_schema = 'marts' and table_name = ?", table)}
        assert set(cols) <= got, (table, set(cols) - got)
    assert q(db, "select count(*) from marts.dim_reports where format not in"
                 " ('legacy_table', 'legacy_narrative', 'trial_2019', 'format_2021', 'unknown')")[0][0] == 0
    # once the legacy extractor reads 西宁 2017 (003), its known inconsistencies (gold) are found
    rid = q(db, "select report_id from marts.dim_reports where source_file = '003_ef4534907dd60b3e.txt'")[0][0]
    keys = {r[0] for r in q(db, "select metric_key from marts.fct_metrics where report_id = ?", rid)}
    if {"legacy.proactive_normative_docs", "legacy.normative_docs_issued"} <= keys:
        o8b = q(db, "select expected, actual, severity from marts.fct_quality_issues"
                    " where report_id = ? and rule_id = 'O8b'", rid)
        assert o8b == [(2139.0, 3145.0, "warning")]


def test_sample_altered_total(tmp_path):
    """A copy of 001 with one printed 总计 cell changed, beside the original: the copy is flagged
    under R3.1/R3.2/R3.3 with both numbers, and under X7 against the original, which stays current."""
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE, landing)
    lines = (SAMPLE / "001_e05d40fea8412626.txt").read_text(encoding="utf-8").split("\n")
    i = next(n for n, line in enumerate(lines) if line.strip().startswith("(七)总计"))
    # the 7th number after the row label is the 总计 column of （七）总计
    cells = [n for n in range(i + 1, i + 9) if lines[n].strip().rstrip("|").strip().isdigit()]
    assert len(cells) == 7 and lines[cells[6]].strip().startswith("0")
    lines[cells[6]] = "5 |"
    (landing / "altered").mkdir()
    (landing / "altered" / "001_e05d40fea8412626.txt").write_text("\n".join(lines), encoding="utf-8")
    db = tmp_path / "build.duckdb"
    ingest_into(landing, db)
    rid = q(db, "select report_id from raw.reports where source_file = 'altered/001_e05d40fea8412626.txt'")[0][0]
    if q(db, "select count(*) from raw.metrics where report_id = ? and value is not null and metric_key ="
             " 'applications.total_handled.total' and source = 'table'", rid)[0][0] == 0:
        pytest.skip("the extractor does not read trial_2019 Table 3 yet (placeholder)")
    build(db, tmp_path)
    assert q(db, "select count(*), count(*) filter (where is_current) from marts.dim_reports") == [(6, 5)]
    assert q(db, "select is_current from marts.dim_reports where report_id = ?", rid) == [(False,)]
    got = {(f[0], f[3]): f for f in findings(db, rid)}
    r31 = got[("R3.1", "total")]
    assert r31[2] == "error" and (r31[4], r31[5], r31[6]) == (0.0, 5.0, 5.0)
    assert "(七)总计" in r31[7] and "applications.total_handled.total = 5" in r31[7]
    assert (got[("R3.2", "total")][4], got[("R3.2", "total")][5]) == (0.0, 5.0)
    assert (got[("R3.3", "total_handled")][4], got[("R3.3", "total_handled")][5]) == (0.0, 5.0)
    x7 = got[("X7", "applications.total_handled.total|table")]
    assert (x7[4], x7[5], x7[2]) == (0.0, 5.0, "error")
    # the original is untouched by R3
    orig = q(db, "select report_id from marts.dim_reports where source_file = '001_e05d40fea8412626.txt'")[0][0]
    assert [f for f in findings(db, orig) if f[1].startswith("R3")] == []


def test_columns_contract_names_each_broken_clause(sample, tmp_path):
    """One `columns_contract` test per model checks its NOT NULL, unique and accepted-values
    columns in one query: on a copy of the sample build with a duplicated report, a NULL in a
    contract column and a value outside the accepted ones, dim_reports' contract fails and every
    failing row says which clauses it breaks."""
    db = tmp_path / "broken.duckdb"
    shutil.copyfile(sample[0], db)
    first, second, third = [r[0] for r in q(db, "select report_id from marts.dim_reports order by report_id limit 3")]
    con = duckdb.connect(str(db))
    con.execute("insert into marts.dim_reports select * from marts.dim_reports where report_id = ?", [first])
    con.execute("update marts.dim_reports set parser_version = null where report_id = ?", [second])
    con.execute("update marts.dim_reports set format = 'bogus' where report_id = ?", [third])
    con.close()
    res = invoke_dbt(db, "test", "--select", "dim_reports,test_name:columns_contract", "--store-failures")
    assert not res.success
    [failed] = [r for r in res.result.results if r.status == "fail"]
    assert failed.node.name.startswith("columns_contract_dim_reports") and failed.failures == 4
    rows = q(db, f"select report_id, problem from {failed.node.relation_name} order by report_id, problem")
    assert rows == sorted([(first, "duplicate: report_id; duplicate: source_file")] * 2
                          + [(second, "null: parser_version"), (third, "not accepted: format")])
