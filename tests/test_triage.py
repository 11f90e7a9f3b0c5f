"""Triage that survives re-runs, end to end through the real `refresh` Dagster job (in process).

refresh → `disclosure triage dismiss <finding_id> --reason …` (the click command) → refresh: the
finding is `dismissed`, not counted as open in mart_report_quality / mart_agency_quality, the
rule-family asset check passes and counts it as settled, and no later alert digest includes it →
the report changes so the finding's numbers change → refresh: `needs_review` (open again) →
`disclosure triage reopen` → refresh: `open`.

The landing folder is the bundled sample plus one case made from the 余坊乡 2019 report (renamed
石坊乡) whose 行政复议 结果纠正 and 总计 cells are printed 1.5: two R3.5 error findings on a current report.
"""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from dagster_project.cli import main as cli

from .conftest import SAMPLE_DIR
from .helpers import query, run_refresh
from .test_rules import YUFANG, _zero_cells_to

CASE = "shifang_2019.txt"




def rule_checks(result) -> dict[str, tuple[bool, dict]]:
    return {ev.check_name: (ev.passed, {k: v.value for k, v in ev.metadata.items()})
            for ev in result.get_asset_check_evaluations() if ev.check_name.startswith("rules_")}


def case_text(cell: str) -> str:
    text = (SAMPLE_DIR / YUFANG).read_text(encoding="utf-8").replace("余坊乡", "石坊乡")
    return _zero_cells_to(text, {349: cell, 352: cell})


def status_of(wh, fid):
    return query(wh, "select triage_status, expected, actual from marts.fct_quality_issues where finding_id = ?", [fid])


def digests_with(wh, fid) -> int:
    return query(wh, "select count(*) from marts.alert_log where kind = 'findings_digest'"
                     " and list_contains(finding_ids, ?)", [fid])[0][0]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("triage")
    landing = tmp / "landing"
    shutil.copytree(SAMPLE_DIR, landing)
    (landing / CASE).write_text(case_text("1.5 |"), encoding="utf-8")
    warehouse = tmp / "wh" / "warehouse.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("DISCLOSURE_LANDING_DIR", str(landing))
    mp.setenv("DISCLOSURE_WAREHOUSE", str(warehouse))
    mp.delenv("DISCLOSURE_ALERT_URLS", raising=False)
    yield landing, warehouse
    mp.undo()


def test_dismiss_survives_refresh_and_changed_numbers_need_review(env):
    landing, wh = env
    first = run_refresh()
    rows = query(wh, """select q.finding_id, q.instance, q.severity, q.triage_status from marts.fct_quality_issues q
                        join marts.dim_reports r using (report_id)
                        where r.source_file = ? and q.rule_id = 'R3.5' order by q.instance""", [CASE])
    assert [(r[1], r[2], r[3]) for r in rows] == [("review.corrected", "error", "open"), ("review.total", "error", "open")]
    fid = rows[1][0]
    other = rows[0][0]
    assert rule_checks(first)["rules_R3"][0] is False              # new error findings: the check fails
    assert digests_with(wh, fid) == 1                               # and the first digest reports them

    # dismiss through the CLI (the decision goes to triage.jsonl beside the warehouse)
    res = CliRunner().invoke(cli, ["triage", "dismiss", fid, "--reason", "1.5 is how the agency prints half-cases"])
    assert res.exit_code == 0, res.output
    store = wh.parent / "triage.jsonl"
    decision = json.loads(store.read_text(encoding="utf-8").splitlines()[-1])
    assert (decision["finding_id"], decision["decision"], decision["actual"]) == (fid, "dismissed", 1.5)
    assert status_of(wh, fid)[0][0] == "open"                       # applied on the next refresh

    second = run_refresh()
    assert status_of(wh, fid) == [("dismissed", 2.0, 1.5)]
    assert status_of(wh, other)[0][0] == "open"
    assert query(wh, "select triage_reason from marts.fct_quality_issues where finding_id = ?", [fid]) == [
        ("1.5 is how the agency prints half-cases",)]
    mrq = query(wh, """select n_errors, n_open_errors, n_dismissed, n_needs_review from marts.mart_report_quality q
                       join marts.dim_reports r using (report_id) where r.source_file = ?""", [CASE])
    assert mrq == [(2, 1, 1, 0)]
    maq = query(wh, "select n_errors, n_open_errors, n_dismissed, n_reports_with_open_errors"
                    " from marts.mart_agency_quality where agency = '石坊乡人民政府'")
    assert maq == [(2, 1, 1, 1)]
    passed, meta = rule_checks(second)["rules_R3"]
    assert passed is True and meta["new_error_findings"] == 0
    assert meta["open_error_findings"] == meta["error_findings"] - 1  # the dismissed one is settled
    assert digests_with(wh, fid) == 1                               # no digest includes it again

    # the report changes: the finding's numbers change, so the decision no longer holds
    (landing / CASE).write_text(case_text("2.5 |"), encoding="utf-8")
    run_refresh()
    (status, expected, actual), = status_of(wh, fid)
    assert (status, actual) == ("needs_review", 2.5)
    assert expected != 2.0
    mrq = query(wh, """select n_open_errors, n_dismissed, n_needs_review from marts.mart_report_quality q
                       join marts.dim_reports r using (report_id) where r.source_file = ?""", [CASE])
    assert mrq == [(2, 0, 1)]
    assert digests_with(wh, fid) == 1

    # reopen: open again (the latest decision wins)
    res = CliRunner().invoke(cli, ["triage", "reopen", fid])
    assert res.exit_code == 0, res.output
    run_refresh()
    assert status_of(wh, fid)[0][0] == "open"
