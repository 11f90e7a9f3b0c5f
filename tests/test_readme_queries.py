"""Every ```sql block of the README section "## Querying the warehouse", run against a warehouse
built by the real `refresh` job (twice) from the bundled sample plus the dev corpus
(tests/corpus/dev/reports), with three additions so that every question has an answer:
- altered/001_e05d40fea8412626.txt: the 余坊乡 report with its (七)总计 总计 cell changed 0 → 3
  (as in tests/test_refresh_job.py), so Table 3 no longer balances;
- broken/404.txt: a saved "page not found" page, which fails to parse;
- withdrawn/000_9f8ba8a52f8e1857.txt: a copy of the 眉县 report, present in the first refresh and
  removed before the second, so it is withdrawn.

The expected rows are written by hand from the gold files (tests/corpus/dev/gold, tests/gold) and the
alterations above, not copied from the query output.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from .test_people_marts import YUFANG, build_landing, run_refresh

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
MEIXIAN = "000_9f8ba8a52f8e1857.txt"
ALTERED = "altered/" + YUFANG
NOT_FOUND = "页面不存在或已被删除。\n请返回首页。\n"


def readme_sql_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Querying the warehouse\n")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end > 0 else None]
    return [b.strip() for b in re.findall(r"```sql\n(.*?)```", section, flags=re.S)]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("readme")
    landing = build_landing(tmp)
    (landing / "broken").mkdir()
    (landing / "broken" / "404.txt").write_text(NOT_FOUND, encoding="utf-8")
    (landing / "withdrawn").mkdir()
    shutil.copyfile(landing / MEIXIAN, landing / "withdrawn" / MEIXIAN)
    wh = tmp / "wh" / "warehouse.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("DISCLOSURE_LANDING_DIR", str(landing))
    mp.setenv("DISCLOSURE_WAREHOUSE", str(wh))
    run_refresh()
    (landing / "withdrawn" / MEIXIAN).unlink()
    run_refresh()
    yield wh
    mp.undo()


def run(wh: Path, sql: str):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def r3(x):
    return None if x is None else round(x, 3)


# 三明市人民政府 (dev gold d06, d08, d11, d13, d15-d19): requests received, granted, handled.
# Old-regulation years: granted = 同意公开 + 属于已主动公开范围 (d08: 35 + 77), handled = 申请答复数.
SANMING = [
    (2013, "region_aggregate", "legacy_table", True, 394, 377, 394),        # d06
    (2015, "region_aggregate", "legacy_table", True, 128, 35 + 77, 128),    # d08
    (2019, "gov_level", "trial_2019", False, 110, 77, 109),                 # d11
    (2020, "gov_level", "trial_2019", False, 106, 63, 108),                 # d13
    (2021, "gov_level", "format_2021", False, 162, 99, 162),                # d15
    (2022, "gov_level", "format_2021", False, 347, 243, 346),               # d16
    (2023, "region_aggregate", "format_2021", False, 302, 159, 303),        # d17 (aggregate report)
    (2024, "gov_level", "format_2021", False, 357, 218, 346),               # d18
    (2025, "gov_level", "format_2021", False, 400, 172, 402),               # d19
]

# new-format agency-years with something handled: (year, granted, partial, handled) per report
GRANTED = {
    2019: [(77, 7, 109), (11, 0, 50)],          # d11 三明, d12 莆田市人民政府办公室 (余坊乡, 鹤庆: nothing handled)
    2020: [(63, 4, 108)],                        # d13 (d14 莆田市林业局: all zero)
    2021: [(99, 5, 162)],                        # d15
    2022: [(243, 11, 346)],                      # d16
    2023: [(159, 20, 303)],                      # d17
    2024: [(218, 21, 346)],                      # d18
    2025: [(172, 66, 402), (33, 38, 148)],       # d19, d92w (d92 is a copy: counted once)
}


def expected_share():
    out = []
    for year, rows in sorted(GRANTED.items()):
        g, p, h = (sum(r[i] for r in rows) for i in range(3))
        out.append((year, g, p, h, round((g + p) / h, 3)))
    return out


def expected_changes():
    series = [(y, v) for y, scope, *_x, v, _g, _h in SANMING if scope == "gov_level"]
    out = []
    for i, (y, v) in enumerate(series):
        if i == 0:
            out.append((y, v, None, None, None, None))
        else:
            py, pv = series[i - 1]
            out.append((y, v, py, pv, v - pv, round(v / pv, 3)))
    return out


EXPECTED = [
    # 1. 地级 governments by 不予公开 in 2019: 三明 d11 6 (the 8 reasons sum to 6), 莆田办 d12 1
    lambda rows: rows == [("三明市人民政府", 6, 1, 2), ("莆田市人民政府办公室", 1, 2, 2)],
    # 2. 三明 since 2010
    lambda rows: rows == [(y, s, f, a, rec, g, h) for y, s, f, a, rec, g, h in SANMING],
    # 3. year over year, gov_level series (2023 is an aggregate report, so 2024 follows 2022)
    lambda rows: [(y, v, py, pv, c, r3(r)) for y, v, py, pv, c, r in rows] == expected_changes(),
    # 4. d19 new requests by applicant: 自然人 390, 其他 5, 商业企业 4, 法律服务机构 1, 科研 0, 社会公益 0
    lambda rows: rows == [("natural_person", "自然人", 390, 171, 392), ("other_org", "其他", 5, 0, 5),
                          ("commercial", "商业企业", 4, 0, 4), ("legal_service", "法律服务机构", 1, 1, 1),
                          ("research", "科研机构", 0, 0, 0), ("social_org", "社会公益组织", 0, 0, 0)],
    # 5. share granted per year
    lambda rows: rows == expected_share(),
    # 6. R3.1: only the altered copy, 总计 column: new + carried over = 0 + 0, handled + carried forward = 3 + 0
    lambda rows: [(f, a, y, i, {e, act}, s) for f, a, y, i, e, act, s in rows]
    == [(ALTERED, "余坊乡人民政府", 2019, "total", {0.0, 3.0}, "open")],
    # 7. open error findings: the altered copy, R3.1 (总计 column), R3.2 (总计 column: result rows sum
    #    to 0, not 3), R3.3 ((七)总计 row: applicant columns sum to 0, not 3), and X7 (a second file for
    #    余坊乡 2019 whose numbers differ from the current one)
    lambda rows: rows == [(ALTERED, "余坊乡人民政府", 2019, 4, "R3.1, R3.2, R3.3, X7")],
    # 8. N1: gold known_inconsistencies (d01 153 vs 161; d06 website 32922 vs 32992; d07 363 vs 359;
    #    d08 website 35335 vs 31648; d10 同意公开 259 vs 311; d11 办结 403 vs 109; 西宁 website 21541 vs
    #    54162 and 复议 2 vs 3) and two more 西宁 sentences: 全部按时办结 (48) vs 按时办结 46,
    #    政策解读文章40篇 vs 150. The copies (altered/, withdrawn/) have no N1 finding of their own.
    lambda rows: rows == [
        ("003_ef4534907dd60b3e.txt", "西宁市人民政府", 2017, "legacy.channel_website", 54162, 21541),
        ("003_ef4534907dd60b3e.txt", "西宁市人民政府", 2017, "legacy.policy_interpretations", 150, 40),
        ("003_ef4534907dd60b3e.txt", "西宁市人民政府", 2017, "legacy.requests_closed_on_time", 46, 48),
        ("003_ef4534907dd60b3e.txt", "西宁市人民政府", 2017, "legacy.review_total", 3, 2),
        ("dev/d01.txt", "莆田市文化广电新闻出版局", 2008, "legacy.proactive_total", 161, 153),
        ("dev/d06.txt", "三明市人民政府", 2013, "legacy.channel_website", 32992, 32922),
        ("dev/d07.txt", "莆田市统计局", 2014, "legacy.proactive_total", 359, 363),
        ("dev/d08.txt", "三明市人民政府", 2015, "legacy.channel_website", 31648, 35335),
        ("dev/d10.txt", "莆田市人民政府", 2018, "legacy.replies_granted", 311, 259),
        ("dev/d11.txt", "三明市人民政府", 2019, "applications.total_handled.total", 109, 403),
    ],
    # 9. reviews corrected: 三明 d13 1 + d19 5 = 6 of 0+0 (2013, 2015) + 0+1+0+4+6+4+20 = 35 reviews;
    #    平潭 d92w 3 of 36 (+ 0 in 2018): d92 and d91 are copies, counted once
    lambda rows: rows == [("三明市人民政府", 6, 35), ("平潭综合实验区管委会", 3, 36)],
    # 10. withdrawn and failed: the 404 page (no structure, its own copy group, so current) and the
    #     removed 眉县 copy (never current)
    lambda rows: rows == [("broken/404.txt", "failed", "no report structure found (format unknown, no metrics)",
                           False, True),
                          ("withdrawn/" + MEIXIAN, "parsed", None, True, False)],
]


def test_the_section_has_the_expected_blocks():
    blocks = readme_sql_blocks()
    assert len(blocks) == len(EXPECTED) >= 8
    text = README.read_text(encoding="utf-8")
    assert text.index("## The warehouse") < text.index("## Querying the warehouse") < text.index("## Quality")


@pytest.mark.parametrize("i", range(len(EXPECTED)))
def test_readme_query(warehouse, i):
    sql = readme_sql_blocks()[i]
    rows = run(warehouse, sql)
    assert EXPECTED[i](rows), f"query {i + 1}:\n{sql}\nreturned {rows}"
