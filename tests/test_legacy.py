"""Pre-2019 reports: the 统计表 (legacy_table.py) and the whole-body prose figures (prose_legacy.py).

Every gold value of every legacy corpus report is asserted through `evaluate.compare` (the full
extraction); one small fixture per layout variant (tests/fixtures/legacy/, expected values in the
JSON next to each file) pins the mechanism itself.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion.decode import decode
from ingestion.evaluate import compare
from ingestion.legacy_table import extract_legacy_table, has_legacy_table
from ingestion.prose_legacy import extract_legacy_prose
from ingestion.records import AMBIGUOUS, BLANK, PLACEHOLDER, VALUE

REPO = Path(__file__).resolve().parent.parent
FIX = REPO / "tests" / "fixtures" / "legacy"
DEV = REPO / "tests" / "corpus" / "dev"


def _seed(prefix: str) -> tuple[Path, Path]:
    report = next((REPO / "data" / "sample").glob(f"{prefix}_*.txt"))
    return report, REPO / "tests" / "gold" / f"{report.stem}.json"


def _dev(name: str) -> tuple[Path, Path]:
    report = next((DEV / "reports").glob(f"{name}.*"))
    return report, DEV / "gold" / f"{name}.json"


LEGACY_REPORTS = [_seed(s) for s in ("000", "003", "004")] + [
    _dev(d) for d in ("d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08", "d09", "d10", "d91", "d91w")]
NEW_FORMAT_REPORTS = [_seed(s) for s in ("001", "002")] + [
    _dev(d) for d in ("d11", "d12", "d13", "d14", "d15", "d16", "d17", "d18", "d19", "d92", "d92w")]

# Cells printed in the table that the gold file leaves out without a note (seed 003's gold has
# press_conferences 22 and online_interviews 20 but not their 其中:主要负责同志 rows, nor rows 4 and 5
# of the same 回应解读 block, although d08's gold uses both keys). Reported to the lead; the
# extractor keeps them because the table prints them.
KNOWN_EXTRA = {
    "003_ef4534907dd60b3e": {"legacy.press_conferences_principal", "legacy.online_interviews_principal",
                             "legacy.social_media_responses", "legacy.other_responses"},
}


def _doc(path: Path):
    return decode(path.read_bytes(), path.name)


@pytest.mark.parametrize("report,gold", LEGACY_REPORTS, ids=[r.stem for r, _ in LEGACY_REPORTS])
def test_every_gold_value(report: Path, gold: Path):
    c = compare(report, gold)
    assert c.wrong == [], c.wrong
    assert c.missing == [], c.missing
    assert {k for k, _ in c.extra} <= KNOWN_EXTRA.get(gold.stem, set()), c.extra
    assert c.meta_mismatch == {}, c.meta_mismatch


@pytest.mark.parametrize("report,gold", NEW_FORMAT_REPORTS, ids=[r.stem for r, _ in NEW_FORMAT_REPORTS])
def test_new_format_reports_have_no_legacy_table(report: Path, gold: Path):
    assert not has_legacy_table(_doc(report))


def _fixtures(kind: str) -> list[Path]:
    out = []
    for j in sorted(FIX.glob("*.json")):
        spec = json.loads(j.read_text(encoding="utf-8"))
        if kind in spec:
            out.append(next(p for p in FIX.glob(j.stem + ".*") if p.suffix != ".json"))
    return out


TABLE_FIXTURES = _fixtures("metrics")
PROSE_FIXTURES = _fixtures("prose")


def _spec(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", TABLE_FIXTURES, ids=[p.stem for p in TABLE_FIXTURES])
def test_table_fixture(path: Path):
    spec = _spec(path)
    doc = _doc(path)
    assert has_legacy_table(doc)
    metrics, unmapped = extract_legacy_table(doc)
    by_key = {}
    for m in metrics:
        by_key.setdefault(m.metric_key, m)
    for key, value in spec["metrics"].items():
        assert key in by_key, key
        assert by_key[key].value_status == VALUE, (key, by_key[key])
        assert by_key[key].value == value, (key, by_key[key].value, value)
        assert by_key[key].source == "table"
    for key in spec.get("blank", []):
        assert by_key[key].value is None and by_key[key].value_status == BLANK, key
    for key in spec.get("placeholder", []):
        assert by_key[key].value is None and by_key[key].value_status == PLACEHOLDER, key
    for key in spec.get("ambiguous", []):
        assert by_key[key].value is None and by_key[key].value_status == AMBIGUOUS, key
    for key, unit in spec.get("units", {}).items():
        assert by_key[key].unit == unit, (key, by_key[key].unit)
    if "column_label" in spec:
        assert {m.column_label for m in metrics} == {spec["column_label"]}
    cells = {(u.row_label, u.column_label, u.raw_text) for u in unmapped}
    for row_label, column_label, raw in spec["unmapped"]:
        assert (row_label, column_label, raw) in cells, (row_label, column_label, raw, sorted(cells)[:8])
    # no cell of the 累计 column ever becomes a metric
    assert not any("累计" in m.column_label for m in metrics)


@pytest.mark.parametrize("path", PROSE_FIXTURES, ids=[p.stem for p in PROSE_FIXTURES])
def test_prose_fixture(path: Path):
    spec = _spec(path)
    doc = _doc(path)
    metrics, _ = extract_legacy_prose(doc)
    by_key = {m.metric_key: m for m in metrics}
    for key, value in spec["prose"].items():
        assert key in by_key, key
        assert by_key[key].value == value, (key, by_key[key].value, value)
        assert by_key[key].source == "prose"
        assert by_key[key].approx == (key in spec.get("approx", [])), key
    for key in spec["absent"]:
        assert key not in by_key, (key, by_key.get(key))
    if "meta" in spec:
        from ingestion.metadata import extract_metadata

        meta = extract_metadata(doc)
        for field, value in spec["meta"].items():
            assert getattr(meta, field) == value, (field, getattr(meta, field))


def test_glued_digits_never_give_a_number_without_a_settling_rule():
    doc = _doc(FIX / "glued_ambiguous.txt")
    metrics, _ = extract_legacy_table(doc)
    for m in metrics:
        if m.value_status == AMBIGUOUS:
            assert m.value is None and m.raw_text.isdigit()


def test_subunit_figures_are_not_the_body():
    # 四区三县共收到政府信息公开申请7件 … must not give 7 (nor 3 / 4) anywhere
    metrics, _ = extract_legacy_prose(_doc(FIX / "prose_subunits.txt"))
    assert 7 not in {m.value for m in metrics if m.metric_key == "legacy.requests_received"}
    assert all(m.value != 3 for m in metrics if m.metric_key == "legacy.requests_in_person")


def _text_doc(text: str):
    return decode(text.encode("utf-8"), "inline.txt")


def test_veto_reasons_are_not_reply_categories():
    # 定西-style rows (FORMATS §1.4): 否决公开答复总数 and its reasons have no catalog key
    doc = _text_doc("指标名称\n计量单位\n统计数\n对申请的答复总数\n条\n10\n其中：1.同意公开答复数\n条\n5\n"
                    "2.否决公开答复总数\n条\n3\n其中：免予公开范围1\n条\n1\n信息不存在\n条\n1\n非本部门掌握\n条\n1\n"
                    "行政复议数\n件\n0\n")
    metrics, unmapped = extract_legacy_table(doc)
    assert {m.metric_key: m.value for m in metrics} == {
        "legacy.replies_total": 10, "legacy.replies_granted": 5, "legacy.review_total": 0}
    assert {u.row_label for u in unmapped} >= {"2.否决公开答复总数", "信息不存在", "非本部门掌握"}


def test_pipe_rows_with_serial_column_and_thousands():
    doc = _text_doc("| 序号 | 指标名称 | 计量单位 | 2016年度 | 历年累计 |\n"
                    "| 1 | 主动公开文件数 | 条 | 1,234 | 5678 |\n"
                    "| 2 | 其中:1.政府网站公开数 | 条 | 1200 | 5000 |\n"
                    "| 3 | 受理政府信息公开申请总数 | 条 | 无 | 23 |\n")
    metrics, unmapped = extract_legacy_table(doc)
    got = {m.metric_key: (m.value, m.value_status, m.label) for m in metrics}
    assert got["legacy.proactive_total"] == (1234, VALUE, "主动公开文件数")
    assert got["legacy.channel_website"][0] == 1200
    assert got["legacy.requests_received"][:2] == (None, PLACEHOLDER)
    assert ("主动公开文件数", "历年累计", "5678") in {(u.row_label, u.column_label, u.raw_text) for u in unmapped}


def test_latest_year_column_is_the_covered_year():
    doc = _text_doc("| 指标名称 | 单位 | 2016年 | 2017年 |\n| 主动公开文件数 | 条 | 90 | 120 |\n"
                    "| 行政复议数 | 件 | 1 | 2 |\n| 行政诉讼数 | 件 | 0 | 3 |\n")
    metrics, unmapped = extract_legacy_table(doc)
    assert {m.metric_key: m.value for m in metrics} == {
        "legacy.proactive_total": 120, "legacy.review_total": 2, "legacy.litigation_total": 3}
    assert {u.column_label for u in unmapped} == {"2016年"}


@pytest.mark.parametrize("text,key,value", [
    ("三、依申请公开情况\n全年共收到政府信息公开申请1,234件。", "legacy.requests_received", 1234),
    ("二、主动公开情况\n全年主动公开政府信息二十三条。", "legacy.proactive_total", 23),
    ("四、行政复议情况\n本年度未发生因政府信息公开申请行政复议的情况。", "legacy.review_total", 0),
    ("五、收费情况\n本机关依申请提供政府信息，未收取任何费用。", "legacy.fees_amount", 0),
])
def test_prose_numbers(text: str, key: str, value: float):
    metrics, _ = extract_legacy_prose(_text_doc(text))
    assert {m.metric_key: m.value for m in metrics}.get(key) == value


@pytest.mark.parametrize("text,key", [
    ("四、行政复议情况\n无论是行政复议还是诉讼，我局都高度重视。", "legacy.review_total"),
    ("二、主动公开情况\n全年围绕脱贫攻坚领域公开政府信息52条。", "legacy.proactive_total"),
    ("一、概述\n行政服务中心共受理各类审批申请12345件。", "legacy.requests_received"),
    ("二、主动公开情况\n全年主动公开政府信息8万余条。", "legacy.proactive_total"),
    ("三、依申请公开情况\n各乡镇共收到政府信息公开申请7件。", "legacy.requests_received"),
    ("三、依申请公开情况\n县市区共收到政府信息公开申请150件。", "legacy.requests_received"),
])
def test_prose_leaves_out_unclear_figures(text: str, key: str):
    metrics, _ = extract_legacy_prose(_text_doc(text))
    assert key not in {m.metric_key for m in metrics}


def test_space_separated_rows():
    # PDF-to-text layout: label, unit and cells on one line
    doc = _text_doc("政府信息公开情况统计表\n指标名称    计量单位   2013年度   历年累计\n"
                    "主动公开文件数   条   34495   225627\n其中：1.政府网站公开数   条   32992   178079\n"
                    "2.政府公报公开数   条   0\n行政复议数   件   0   1\n")
    assert has_legacy_table(doc)
    metrics, unmapped = extract_legacy_table(doc)
    assert {m.metric_key: m.value for m in metrics} == {
        "legacy.proactive_total": 34495, "legacy.channel_website": 32992, "legacy.channel_gazette": 0,
        "legacy.review_total": 0}
    assert {m.column_label for m in metrics} == {"2013年度"}
    assert ("主动公开文件数", "历年累计", "225627") in {(u.row_label, u.column_label, u.raw_text) for u in unmapped}


def test_more_cells_than_columns_is_ambiguous():
    # a number broken over two lines (OCR) in a one-column table must not give either half
    doc = _text_doc("指标名称\n单位\n统计数\n主动公开政府信息数\n条\n1\n62\n收到申请数\n件\n4\n申请办结数\n件\n4\n")
    metrics, _ = extract_legacy_table(doc)
    got = {m.metric_key: m for m in metrics}
    assert got["legacy.proactive_total"].value is None and got["legacy.proactive_total"].value_status == AMBIGUOUS
    assert got["legacy.requests_received"].value == 4


def test_prose_enumerated_channels_and_budget():
    text = ("二、主动公开政府信息情况\n2016年，全市共主动公开政府信息5000条，其中政府公报100条、政府网站4000条、"
            "政务微博300条、政务微信500条、其他方式100条。设立政府信息公开专门机构12个，政府信息公开专项经费20.5万元。")
    metrics, _ = extract_legacy_prose(_text_doc(text))
    assert {m.metric_key: m.value for m in metrics} == {
        "legacy.proactive_total": 5000, "legacy.channel_gazette": 100, "legacy.channel_website": 4000,
        "legacy.channel_weibo": 300, "legacy.channel_wechat": 500, "legacy.channel_other": 100,
        "legacy.dedicated_units": 12, "legacy.special_budget": 20.5}
