"""Tables 2-4 of the new-format reports: every gold value of the corpus, one fixture per layout,
the digit-run splitter, blank-is-not-zero, provenance, and derived subtotals."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion import catalog, derive, tables_new
from ingestion.decode import decode
from ingestion.evaluate import compare
from ingestion.extract import extract_file
from ingestion.newtables_split import readings
from ingestion.newtables_text import read_pieces
from ingestion.records import AMBIGUOUS, VALUE

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "corpus" / "dev"
FIX = ROOT / "tests" / "fixtures" / "new_format"

NEW_FORMAT_REPORTS = [
    (ROOT / "data/sample/001_e05d40fea8412626.txt", ROOT / "tests/gold/001_e05d40fea8412626.json"),
    *[(DEV / "reports" / f"d{i}.txt", DEV / "gold" / f"d{i}.json") for i in range(11, 20)],
    (DEV / "reports" / "d92.txt", DEV / "gold" / "d92.json"),
    (DEV / "reports" / "d92w.html", DEV / "gold" / "d92w.json"),
]

# Cells that the text alone does not settle (two readings fit; the gold comes from the archived
# HTML). They must come out ambiguous, never as a number.
KNOWN_AMBIGUOUS = {
    "d14": {"proactive.normative_docs.published", "proactive.other_admin_services.change",
            "proactive.admin_enforcement.change"},
}


def _doc(path: Path):
    return decode(path.read_bytes(), path.name)


def _table_values(metrics):
    out = {}
    for m in metrics:
        if m.value_status == VALUE and not m.is_derived and m.source == "table":
            out.setdefault(m.metric_key, m.value)
    return out


# ------------------------------------------------------------------ corpus gold
@pytest.mark.parametrize("report,gold", NEW_FORMAT_REPORTS, ids=lambda p: p.stem if isinstance(p, Path) else p)
def test_corpus_gold_values(report, gold):
    cmp = compare(report, gold)
    g = json.loads(gold.read_text(encoding="utf-8"))
    assert cmp.got_format == g["format"]
    assert cmp.wrong == []
    assert cmp.extra == []
    allowed = KNOWN_AMBIGUOUS.get(report.stem, set())
    assert {k for k, _ in cmp.missing} == allowed
    if allowed:
        res = extract_file(report)
        status = {m.metric_key: m.value_status for m in res.metrics if m.source == "table"}
        assert all(status[k] == AMBIGUOUS for k in allowed)


@pytest.mark.parametrize("report,gold", NEW_FORMAT_REPORTS, ids=lambda p: p.stem if isinstance(p, Path) else p)
def test_detection_and_keys(report, gold):
    g = json.loads(gold.read_text(encoding="utf-8"))
    doc = _doc(report)
    fmt = tables_new.detect_new_format(doc)
    assert fmt == g["format"]
    metrics, _ = tables_new.extract_new_tables(doc, fmt)
    for m in metrics:
        assert catalog.is_key(m.metric_key, fmt), m.metric_key
        assert m.source == "table" and m.table_id in ("table2", "table3", "table4")
        assert m.label and m.column_label
        if m.value_status == VALUE:
            assert m.raw_text


def test_legacy_reports_are_not_new_format():
    for i in ("01", "06", "07", "08", "09", "10", "91"):
        assert tables_new.detect_new_format(_doc(DEV / "reports" / f"d{i}.txt")) is None
    assert tables_new.detect_new_format(_doc(DEV / "reports" / "d91w.html")) is None


def test_mixed_format_report():
    """2021 columns in table 2 but one printed （六） row: format_2021, the row is kept as the
    reported applications.other (no second, derived row); the reverse mix is trial_2019."""
    text = (DEV / "reports" / "d15.txt").read_text(encoding="utf-8")
    a = text.index("（六）其他处理")
    b = text.index("（七）总计")
    mixed = text[:a] + "（六）其他处理\r\n3\r\n0\r\n0\r\n0\r\n0\r\n0\r\n3\r\n" + text[b:]
    doc = decode(mixed.encode("utf-8"), "mixed.txt")
    assert tables_new.detect_new_format(doc) == "format_2021"
    metrics, _ = tables_new.extract_new_tables(doc, "format_2021")
    other = [m for m in metrics if m.metric_key.startswith("applications.other.")]
    assert {m.metric_key: m.value for m in other}["applications.other.total"] == 3
    assert all(not m.is_derived for m in other)
    assert not any(m.metric_key.startswith("applications.other.")
                   for m in derive.derived_metrics(metrics, "format_2021"))
    text = (DEV / "reports" / "d13.txt").read_text(encoding="utf-8")
    a = text.index("（六）其他处理")
    b = text.index("（七）总计")
    sub = "".join(f"{lab}\r\n" + "".join(f"{v}\r\n" for v in vals) for lab, vals in (
        ("（六）其他处理\r\n1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [2, 0, 0, 0, 0, 0, 2]),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0] * 7),
        ("3.其他", [1, 0, 0, 0, 0, 0, 1])))
    doc = decode((text[:a] + sub + text[b:]).encode("utf-8"), "mixed2.txt")
    assert tables_new.detect_new_format(doc) == "trial_2019"
    metrics, unmapped = tables_new.extract_new_tables(doc, "trial_2019")
    assert not any(m.metric_key.startswith("applications.other") for m in metrics)
    assert any("逾期不补正" in u.row_label for u in unmapped)


def test_glued_row_with_several_splits_is_ambiguous():
    doc = _doc(DEV / "reports" / "d92.txt")
    metrics, _ = tables_new.extract_new_tables(doc, "format_2021")
    by = {m.metric_key: m for m in metrics}
    for c in ("issued", "repealed", "in_force"):
        m = by[f"proactive.normative_docs.{c}"]
        assert m.value is None and m.value_status == AMBIGUOUS and m.raw_text == "5845546"
    # the enumerator of the next label is not a value: 5.属于三类内部事务信息3000003|6.属于…
    assert by["applications.denied_internal_affairs.total"].value == 3
    assert by["applications.denied_process_info.natural_person"].value == 2
    # table 4 decoded by its block sums: 25 3 8 0 36 | 3 3 0 0 6 | 3 0 0 0 3
    assert [by[f"review.{c}"].value for c in ("upheld", "corrected", "other", "pending", "total")] == [25, 3, 8, 0, 36]


def test_merged_identical_lines_are_expanded():
    doc = _doc(DEV / "reports" / "d12.txt")
    metrics, _ = tables_new.extract_new_tables(doc, "trial_2019")
    by = {m.metric_key: m for m in metrics}
    assert [by[f"applications.new_received.{c}"].value for c in catalog.APPLICANTS] == [46, 0, 0, 0, 0, 0, 46]
    assert by["proactive.normative_docs.total_public"].value == 265
    assert by["proactive.other_admin_services.change"].value == 1
    assert all(m.value_status == VALUE for m in metrics)


def test_numbers_broken_over_lines_are_joined():
    doc = _doc(DEV / "reports" / "d15.txt")
    metrics, _ = tables_new.extract_new_tables(doc, "format_2021")
    by = {m.metric_key: m.value for m in metrics}
    assert by["applications.new_received.total"] == 162
    assert by["applications.unable_not_held.natural_person"] == 27
    assert by["applications.total_handled.natural_person"] == 160
    assert by["applications.total_handled.total"] == 162


# ------------------------------------------------------------------ splitter
def _vals(rows):
    return [tuple(c.value for c in r) for r in rows]


def test_splitter_glued_run_keeps_only_valid_numbers():
    ps = read_pieces("000", "章", "行")
    rows, mode = readings(ps, 3)
    assert mode != "exact" and _vals(rows) == [(0, 0, 0)]
    ps = read_pieces("5845546", "件", "第")
    rows, _ = readings(ps, 3)
    assert len(rows) > 1  # several splits: the caller records the cells as ambiguous


def test_splitter_joins_and_expansions():
    ps = read_pieces("\n160\n0\n0\n2\n0\n0\n1\n62\n")
    rows, mode = readings(ps, 7)
    assert mode != "exact" and (160, 0, 0, 2, 0, 0, 162) in _vals(rows)
    ps = read_pieces("\n46\n0\n46\n")
    rows, _ = readings(ps, 7, dedup=True)
    assert (46, 0, 0, 0, 0, 0, 46) in _vals(rows)
    assert readings(read_pieces("\n0\n"), 15, dedup=True)[0][0][14].value == 0


def test_pipe_blank_cells_and_trailing_empties():
    ps = read_pieces(" | 0 | | 3 | | |")
    rows, mode = readings(ps, 3)
    assert mode == "exact" and [c.status for c in rows[0]] == [VALUE, "blank", VALUE]
    ps = read_pieces(" | 0 | 0 | 0 | | |\n")
    rows, mode = readings(ps, 3)
    assert mode == "exact" and _vals(rows) == [(0, 0, 0)]


# ------------------------------------------------------------------ fixtures, one per layout
FIXTURES = sorted(p for p in FIX.iterdir() if p.suffix in (".txt", ".md", ".html"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_layout_fixture(path):
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    doc = _doc(path)
    fmt = tables_new.detect_new_format(doc)
    assert fmt == meta["format"]
    metrics, unmapped = tables_new.extract_new_tables(doc, fmt)
    got = _table_values(metrics)
    exp = meta["expected"]
    assert {k: got.get(k) for k in exp} == {k: float(v) for k, v in exp.items()}
    assert set(got) - set(exp) == set()  # no value for a cell the fixture leaves blank
    status = {m.metric_key: m for m in metrics}
    for k in meta.get("blank", []):
        assert status[k].value is None and status[k].value_status in ("blank", "placeholder")
    for k in meta.get("ambiguous", []):
        assert status[k].value is None and status[k].value_status == AMBIGUOUS and status[k].raw_text
    for label in meta.get("unmapped_rows", []):
        assert any(u.row_label == label for u in unmapped)
    assert all(not k.startswith("proactive.") or "其他主动公开" not in m.label for k, m in status.items())
    if meta.get("derived_totals"):
        derived = {m.metric_key: m for m in derive.derived_metrics(metrics, fmt)}
        for k in meta.get("blank", []):
            if k.startswith("applications.") and k.endswith(".total"):
                row = k.split(".")[1]
                parts = [got[f"applications.{row}.{c}"] for c in catalog.APPLICANTS[:6]]
                assert derived[k].value == sum(parts) and derived[k].is_derived


def test_amount_units_and_signed_changes():
    doc = _doc(FIX / "blanks_subtotal_signs_d13.txt")
    metrics, _ = tables_new.extract_new_tables(doc, "trial_2019")
    by = {m.metric_key: m for m in metrics}
    assert by["proactive.gov_procurement.procurement_amount"].unit == "元"
    assert by["proactive.admin_license.change"].raw_text == "+481"
    assert by["proactive.admin_enforcement.decisions"].raw_text == "-"
    doc = _doc(DEV / "reports" / "d16.txt")
    metrics, _ = tables_new.extract_new_tables(doc, "format_2021")
    fee = next(m for m in metrics if m.metric_key == "proactive.admin_fees.fee_amount")
    assert fee.value == pytest.approx(19167.08326) and fee.unit == "万元"


# ------------------------------------------------------------------ derived subtotals
def test_derived_subtotals_format_2021():
    doc = _doc(DEV / "reports" / "d15.txt")
    metrics, _ = tables_new.extract_new_tables(doc, "format_2021")
    d = {m.metric_key: m for m in derive.derived_metrics(metrics, "format_2021")}
    assert d["applications.denied_total.natural_person"].value == 0 + 4 + 1 + 2 + 9 + 1 + 2 + 5
    assert d["applications.unable_total.total"].value == 28 + 2 + 0
    assert d["applications.other.total"].value == 1 + 0 + 2
    assert all(m.is_derived and catalog.is_key(m.metric_key, "format_2021") for m in d.values())


def test_no_other_derived_in_trial_and_printed_subtotal_not_repeated():
    doc = _doc(FIX / "blanks_subtotal_signs_d13.txt")
    metrics, _ = tables_new.extract_new_tables(doc, "trial_2019")
    printed = {m.metric_key for m in metrics if m.metric_key.startswith("applications.denied_total.")}
    assert printed and all(not m.is_derived for m in metrics if m.metric_key in printed)
    d = derive.derived_metrics(metrics, "trial_2019")
    keys = [m.metric_key for m in d]
    assert not any(k in printed for k in keys)
    assert not any(k.startswith("applications.other.") for k in keys)
    assert "applications.unable_total.total" in keys  # not printed: derived


def test_blank_sub_row_gives_no_derived_value():
    doc = _doc(FIX / "blanks_subtotal_signs_d13.txt")
    metrics, _ = tables_new.extract_new_tables(doc, "trial_2019")
    # drop the printed subtotal to see what derive does with the '/' in 7.属于行政执法案卷 × 商业企业
    metrics = [m for m in metrics if not m.metric_key.startswith("applications.denied_total.")]
    keys = {m.metric_key for m in derive.derived_metrics(metrics, "trial_2019")}
    assert "applications.denied_total.commercial" not in keys
    assert "applications.denied_total.natural_person" in keys
