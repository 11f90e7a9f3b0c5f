"""Decoding: every encoding to the same text; unreadable files fail clearly."""
from __future__ import annotations

import pytest

from ingestion.decode import DecodeError, decode, decode_bytes_to_str
from ingestion.extract import extract_bytes

from .conftest import DEV_DIR, SAMPLE_DIR

SAMPLE = SAMPLE_DIR / "001_e05d40fea8412626.txt"


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_encodings_decode_to_the_same_text(encoding):
    text = SAMPLE.read_text(encoding="utf-8")
    data = text.encode(encoding)
    assert decode(data).text == decode(text.encode("utf-8")).text
    got, enc = decode_bytes_to_str(data)
    assert got.lstrip("\ufeff") == text


def test_gb18030_copy_extracts_like_the_original():
    data = SAMPLE.read_bytes()
    a = extract_bytes(data, SAMPLE.name)
    b = extract_bytes(data.decode("utf-8").encode("gb18030"), SAMPLE.name)
    assert b.encoding == "gb18030"
    assert len(a.metrics) >= 198            # the gold values of this report and more
    assert [(m.metric_key, m.value) for m in a.metrics] == [(m.metric_key, m.value) for m in b.metrics]
    assert a.format == b.format and a.meta.agency == b.meta.agency


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"), (b"   \n\r\n", "empty"),
    (bytes(range(256)) * 40, "binary"), (b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 500, "binary"),
])
def test_unreadable_files_fail_with_a_clear_error(data, reason):
    with pytest.raises(DecodeError, match=reason):
        decode(data)
    res = extract_bytes(data, "broken.txt")
    assert res.parse_status == "failed"
    assert reason in res.parse_error


def test_full_width_and_traditional_text_is_normalised():
    doc = decode("政(zheng)府資訊公開與處理請求報告關於為機構網頁：１２３，（一）".encode("utf-8"))
    assert "政府" in doc.text and "123" in doc.text and "(一)" in doc.text
    assert "与" in doc.text and "处理" in doc.text


def test_html_tables_are_kept_as_tables():
    page = DEV_DIR / "reports" / "d92w.html"
    doc = decode(page.read_bytes(), page.name)
    assert doc.doc_type == "html"
    assert len(doc.tables) == 3
    table3 = doc.tables[1]
    assert all(len(row) == len(table3[0]) for row in table3)       # spans expanded to a grid
    new_received = next(r for r in table3 if r[0].startswith("一、本年新收"))
    assert new_received[-7:] == ["151", "3", "0", "0", "0", "0", "154"]
    assert "| 规章 | 0 | 0 | 0 |" in doc.text                          # and rendered in place
    assert "<td" not in doc.text and "function(" not in doc.text
