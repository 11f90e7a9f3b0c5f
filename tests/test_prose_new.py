"""Whole-body prose figures of new-era reports (source='prose')."""
from __future__ import annotations

import json
from pathlib import Path

from ingestion.decode import decode
from ingestion.prose_new import extract_new_prose
from ingestion.records import Document

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "corpus" / "dev"


def _prose(path: Path, fmt: str) -> dict:
    doc = decode(path.read_bytes(), path.name)
    metrics, unmapped = extract_new_prose(doc, fmt)
    assert unmapped == []
    assert all(m.source == "prose" and m.table_id == "prose" for m in metrics)
    return {m.metric_key: m for m in metrics}


def _text(s: str) -> dict:
    metrics, _ = extract_new_prose(Document(text=s, encoding="utf-8", doc_type="text"), "format_2021")
    return {m.metric_key: m for m in metrics}


def test_narrative_report_gold():
    """鹤庆县 2019: prose only; the gold is the whole report."""
    gold = json.loads((ROOT / "tests/gold/002_346cc34615171fd9.json").read_text(encoding="utf-8"))
    got = _prose(ROOT / "data/sample/002_346cc34615171fd9.txt", "trial_2019")
    assert {k: m.value for k, m in got.items()} == {k: float(v) for k, v in gold["metrics"].items()}
    assert not any(k.startswith("litigation") for k in got)  # 无行政诉讼: no direct/after-review split


def test_prose_beside_tables_agrees_with_gold():
    got = _prose(DEV / "reports" / "d92.txt", "format_2021")
    gold = json.loads((DEV / "gold" / "d92.json").read_text(encoding="utf-8"))["metrics"]
    assert {k: m.value for k, m in got.items()} == {
        "applications.new_received.total": 154, "applications.total_handled.total": 148,
        "applications.carried_forward.total": 6, "review.total": 36}
    for k, m in got.items():
        assert gold[k] == m.value
    assert not any(k.startswith("litigation") for k in got)  # 行政诉讼9起 has no split


def test_prose_figures_of_three_reports():
    assert {k: m.value for k, m in _prose(DEV / "reports" / "d19.txt", "format_2021").items()} == {
        "applications.new_received.total": 400, "applications.carried_over.total": 11,
        "applications.carried_forward.total": 9, "review.total": 20}
    d16 = _prose(DEV / "reports" / "d16.txt", "format_2021")
    assert d16["applications.new_received.total"].value == 347
    assert d16["applications.total_handled.total"].value == 346
    d17 = _prose(DEV / "reports" / "d17.txt", "format_2021")
    assert d17["review.total"].value == 6 and "litigation_direct.total" not in d17


def test_approx_and_sub_units():
    got = _text("2023年，全市共收到政府信息公开申请300余件。各乡镇共收到政府信息公开申请12件。")
    assert got["applications.new_received.total"].value == 300
    assert got["applications.new_received.total"].approx
    assert len(got) == 1
    assert _text("各县区共收到政府信息公开申请45件。") == {}


def test_last_years_figure_is_not_this_years():
    got = _text("上年共收到政府信息公开申请120件。")
    assert "applications.new_received.total" not in got


def test_conflicting_sentences_are_left_out():
    got = _text("全年共收到政府信息公开申请17件。本年度共收到政府信息公开申请19件。上年结转3件。")
    assert "applications.new_received.total" not in got
    assert got["applications.carried_over.total"].value == 3


def test_review_outcomes_only_when_they_add_up():
    got = _text("被申请行政复议数量7件，其中：结果维持1件、结果纠错0件、其他结果7件、尚未审结0件。")
    assert got["review.total"].value == 7 and "review.upheld" not in got
    got = _text("发生行政复议十七件，其中结果维持10件、结果纠正2件、其他结果3件、尚未审结2件。")
    assert got["review.total"].value == 17 and got["review.pending"].value == 2
