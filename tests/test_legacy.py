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
