"""Province, city and county from the administrative divisions, on the corpus' agencies."""
from __future__ import annotations

import pytest

from ingestion.extract import extract_file
from ingestion.regions import resolve

from .conftest import DEV_DIR, SAMPLE_DIR


@pytest.mark.parametrize("agency, expected", [
    ("三明市人民政府", ("福建省", "三明市", None)),
    ("眉县人民政府", ("陕西省", "宝鸡市", "眉县")),
    ("鹤庆县人民政府", ("云南省", "大理白族自治州", "鹤庆县")),
    ("西宁市人民政府", ("青海省", "西宁市", None)),
    ("莆田市林业局", ("福建省", "莆田市", None)),
    ("福建省人民政府", ("福建省", None, None)),
    ("北京市朝阳区人民政府", ("北京市", None, "朝阳区")),   # a municipality has no city level
    ("朝阳区人民政府", (None, None, None)),                  # several 朝阳区: not guessed
])
def test_agency_names_resolve(agency, expected):
    assert resolve(agency) == expected


def test_ambiguous_county_is_settled_by_a_parent_in_the_text():
    assert resolve("鼓楼区人民政府", "福州市鼓楼区2020年政府信息公开工作年度报告")[:2] == ("福建省", "福州市")


def test_township_takes_the_county_its_report_names():
    res = extract_file(SAMPLE_DIR / "001_e05d40fea8412626.txt")
    assert (res.meta.agency, res.meta.region_province, res.meta.region_city, res.meta.region_county) == (
        "余坊乡人民政府", "福建省", "三明市", "将乐县")


def test_corpus_reports_get_their_province():
    """All but the 2025 平潭 pages: 平潭综合实验区 is no GB/T 2260 division and the page names no
    province near its start (its 2018 report cites 福建省 rules, and so resolves)."""
    missing = []
    for path in sorted(SAMPLE_DIR.glob("*.txt")) + sorted((DEV_DIR / "reports").glob("*")):
        if extract_file(path).meta.region_province is None:
            missing.append(path.name)
    assert missing == ["d92.txt", "d92w.html"]
