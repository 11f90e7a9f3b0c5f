"""Report metadata (metadata.py): agency and covered year of every corpus report, every format,
and one fixture per source of trouble (tests/fixtures/legacy/meta_*)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ingestion.decode import decode
from ingestion.metadata import extract_metadata, normalize_agency

REPO = Path(__file__).resolve().parent.parent
FIX = REPO / "tests" / "fixtures" / "legacy"
DEV = REPO / "tests" / "corpus" / "dev"

REPORTS = [(p, REPO / "tests" / "gold" / f"{p.stem}.json") for p in sorted((REPO / "data" / "sample").glob("*.txt"))]
REPORTS += [(p, DEV / "gold" / f"{p.stem}.json") for p in sorted((DEV / "reports").iterdir())]


def _meta(path: Path):
    return extract_metadata(decode(path.read_bytes(), path.name))


@pytest.mark.parametrize("report,gold", REPORTS, ids=[r.stem for r, _ in REPORTS])
def test_agency_and_year(report: Path, gold: Path):
    g = json.loads(gold.read_text(encoding="utf-8"))
    m = _meta(report)
    assert m.agency == g["agency"]
    assert m.report_year == g["year"]
    assert m.year_source in ("title", "statistical_period", "body_dominant_year", "publish_date_minus_1")
    assert m.published_on is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", m.published_on)
    # the covered year is never the publish year
    if m.published_on:
        assert int(m.published_on[:4]) > m.report_year


META_FIXTURES = sorted(p for p in FIX.glob("meta_*") if p.suffix != ".json")


@pytest.mark.parametrize("path", META_FIXTURES, ids=[p.stem for p in META_FIXTURES])
def test_meta_fixture(path: Path):
    spec = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    m = _meta(path)
    for field, value in spec["meta"].items():
        assert getattr(m, field) == value, (field, getattr(m, field), value)


@pytest.mark.parametrize("raw,norm", [
    ("余坊乡", "余坊乡人民政府"), ("西宁市", "西宁市人民政府"), ("眉县人民政府", "眉县人民政府"),
    ("平潭综合实验区", "平潭综合实验区管委会"), ("莆田市人民政府办公室", "莆田市人民政府办公室"),
    ("莆田市林业局", "莆田市林业局"), ("某某街道", "某某街道办事处"),
])
def test_normalize_agency(raw: str, norm: str):
    assert normalize_agency(raw) == norm


def test_spam_domain_never_becomes_the_agency():
    p = next((REPO / "data" / "sample").glob("004_*.txt"))
    m = _meta(p)
    assert m.agency == "荆州市人民政府" and "www" not in (m.agency or "")
    assert m.scope == "region_aggregate"


@pytest.mark.parametrize("name", ["d06", "d08", "d10", "d17"])
def test_city_wide_reports_are_region_aggregates(name: str):
    # tests/corpus/dev/README.md: aggregate reports for a whole city (all levels of government)
    assert _meta(next((DEV / "reports").glob(f"{name}.*"))).scope == "region_aggregate"


@pytest.mark.parametrize("name,scope", [("d01", "self"), ("d12", "self"), ("d15", "gov_level")])
def test_department_and_government_scope(name: str, scope: str):
    assert _meta(next((DEV / "reports").glob(f"{name}.*"))).scope == scope
