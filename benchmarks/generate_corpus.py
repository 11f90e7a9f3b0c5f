"""Synthetic corpus generator for benchmarks and scale tests (never for accuracy: that is measured
on the real reports).

Renders N government information-disclosure annual reports from templates of every format and
layout the extractors handle:

- ``format_2021`` and ``trial_2019`` reports with Tables 2-4
  - ``cells``: one cell per line, exactly the layout of data/sample/001_e05d40fea8412626.txt
    (cells end in `` |``, runs of pipes between header rows, the truncated ``本年新`` header cells
    of the trial Table 2, ASCII brackets);
  - ``pipe``: one table row per line (``| 规章 | 0 | 0 | 0 |``), merged cells pushed into the first
    data row (``| 三、本年度办理结果 | （一）予以公开 | …``), empty trailing pipes of colspans;
  - ``html``: a portal page with real ``<table>``s using rowspan/colspan like
    tests/corpus/dev/reports/d92w.html;
- ``legacy_table`` reports with the 政府信息公开情况统计表 one cell per line (like
  data/sample/003_ef4534907dd60b3e.txt);
- ``legacy_narrative`` prose reports (like data/sample/000_*.txt and 004_*.txt).

Numbers are random but consistent: every identity of FORMATS §2.1 (R3.1 R3.2 R3.3 R3.6 R4.1 R4.2,
and the soft R2.1 R2.4 R2.5) and §2.2 (O1-O13) holds, and the prose restates the printed cells (N1).
Every agency has one report (no cross-year pairs, so the X rules have nothing to compare). A chosen
share of the reports that have a table gets one printed total changed by +k so that a known set of
rules fires (see BREAKS; the manifest lists the rules of each planted break).

Deterministic: the same (seed, n, broken_share, start) gives byte-identical files, whatever the
number of worker processes. Report i's identity (format, layout, agency, year) depends only on
(seed, i) and the identities before it, so ``start=n`` extends a corpus with new, distinct reports.

CLI:  python benchmarks/generate_corpus.py --out DIR --n 10000 --seed 42 --broken-share 0.05
API:  generate(out_dir, n, seed, broken_share) -> manifest (dict)
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

GENERATOR_VERSION = "1"
MANIFEST_JSON_MAX = 20000          # above this many reports the entries go to manifest.jsonl

FORMAT_WEIGHTS = (("format_2021", 45), ("trial_2019", 20), ("legacy_table", 20), ("legacy_narrative", 15))
LAYOUT_WEIGHTS = (("cells", 50), ("pipe", 25), ("html", 25))     # new formats only
YEARS = {"format_2021": (2021, 2025), "trial_2019": (2019, 2020), "legacy_table": (2014, 2018),
         "legacy_narrative": (2008, 2018)}
EXT = {"cells": ".txt", "pipe": ".txt", "html": ".html", "legacy_cells": ".txt", "prose": ".txt"}

# break kind -> (formats, rules expected to fire, weight). Every change is +k on one printed total.
BREAKS = {
    "t3_grand_total": (("trial_2019", "format_2021"), ("R3.1", "R3.2", "R3.3"), 3),
    "t3_column_total": (("trial_2019", "format_2021"), ("R3.1", "R3.2", "R3.3"), 2),
    "t3_new_received_total": (("trial_2019", "format_2021"), ("R3.1", "R3.3"), 2),
    "t4_total": (("trial_2019", "format_2021"), ("R4.1",), 3),
    "legacy_closed_total": (("legacy_table",), ("O2", "O5"), 1),     # O5 (W): 答复数 ≈ 办结数 also breaks;
    # O6 (W) too when the new 办结数 is more than 20% above 收到申请数 (added per report)
    "legacy_staff_total": (("legacy_table",), ("O12",), 1),
}
BREAKABLE = {"trial_2019", "format_2021", "legacy_table"}

# ---------------------------------------------------------------- names
_SYL = ("安 宝 北 长 城 川 大 德 东 丰 福 阜 高 广 海 和 河 华 怀 黄 会 吉 嘉 建 江 金 锦 靖 康 乐 临 龙 隆 泸 鹿 罗 茂 梅 明 南 "
        "宁 平 浦 庆 清 泉 仁 荣 瑞 沙 山 上 石 寿 顺 泰 台 桃 天 通 同 万 武 西 仙 祥 兴 秀 阳 永 玉 元 云 枣 昭 中 遵 岳 汉 "
        "兰 凤 桂 柳 湘 潭 松 杨 盛 文 溪 峰 岭 源 昌 宜 资 绥 沁 涟 霞 望 定 襄").split()
_BUREAUS = ("教育局 财政局 民政局 司法局 审计局 统计局 水利局 林业局 商务局 应急管理局 自然资源局 生态环境局 交通运输局 "
            "农业农村局 文化和旅游局 市场监督管理局 人力资源和社会保障局 住房和城乡建设局 医疗保障局 退役军人事务局 "
            "卫生健康委员会 发展和改革委员会 科学技术局 工业和信息化局 城市管理局 行政审批局 体育局 人民防空办公室").split()
_SURNAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高".split()
_GIVEN = "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 涛 明 超 秀 霞 平 刚 华 辉 鹏 燕".split()


def _place(rng: random.Random) -> str:
    a, b = rng.choice(_SYL), rng.choice(_SYL)
    while b == a:
        b = rng.choice(_SYL)
    return a + b


def _agency(rng: random.Random) -> tuple[str, str]:
    """(agency name as printed in the title, kind)."""
    r = rng.random()
    if r < 0.22:
        return _place(rng) + rng.choice(("县", "县", "区", "市")) + "人民政府", "county"
    if r < 0.30:
        return _place(rng) + "市人民政府", "city"
    if r < 0.72:
        return _place(rng) + rng.choice(("市", "县", "区")) + rng.choice(_BUREAUS), "department"
    if r < 0.92:
        return _place(rng) + "县" + _place(rng) + rng.choice(("镇", "乡")) + "人民政府", "township"
    return _place(rng) + "区" + _place(rng) + "街道办事处", "street"


def _short(agency: str) -> str:
    for suf in ("人民政府", "办事处"):
        if agency.endswith(suf):
            return agency[: -len(suf)]
    return agency


@dataclass(frozen=True, slots=True)
class Identity:
    index: int
    format: str
    layout: str
    agency: str
    kind: str
    year: int
    published_on: str
    published_time: str
    file: str


def _pick(rng: random.Random, weights) -> str:
    total = sum(w for _, w in weights)
    x = rng.random() * total
    for name, w in weights:
        x -= w
        if x < 0:
            return name
    return weights[-1][0]


def _identity(seed: int, i: int, taken: set) -> Identity:
    rng = random.Random(seed * 1_000_003 + i * 7 + 1)
    fmt = _pick(rng, FORMAT_WEIGHTS)
    layout = _pick(rng, LAYOUT_WEIGHTS) if fmt in ("trial_2019", "format_2021") else (
        "legacy_cells" if fmt == "legacy_table" else "prose")
    y0, y1 = YEARS[fmt]
    while True:
        year = rng.randint(y0, y1)
        agency, kind = _agency(rng)
        if agency not in taken:      # one report per agency: no cross-year pairs, so no X rule applies
            taken.add(agency)
            break
    month = rng.choice((1, 1, 1, 2, 3, 3))
    day = rng.randint(1, 28)
    pub = f"{year + 1}-{month:02d}-{day:02d}"
    hms = f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    file = f"g{i // 1000:03d}/{i:06d}{EXT[layout]}"
    return Identity(i, fmt, layout, agency, kind, year, pub, hms, file)


def plan_identities(seed: int, start: int, n: int) -> list[Identity]:
    """Identities of reports start..start+n-1 (those before `start` are replayed for uniqueness)."""
    taken: set = set()
    out = []
    for i in range(start + n):
        ident = _identity(seed, i, taken)
        if i >= start:
            out.append(ident)
    return out


def plan_breaks(seed: int, start: int, idents: list[Identity], broken_share: float) -> dict[int, str]:
    """Exactly round(n * broken_share) broken reports (capped by the reports that have a table)."""
    rng = random.Random(seed * 7_919 + start * 13 + 5)
    breakable = [d.index for d in idents if d.format in BREAKABLE]
    want = min(len(breakable), int(round(len(idents) * broken_share)))
    chosen = sorted(rng.sample(breakable, want)) if want else []
    by_index = {d.index: d for d in idents}
    out = {}
    for i in chosen:
        fmt = by_index[i].format
        kinds = [(k, w) for k, (fmts, _, w) in BREAKS.items() if fmt in fmts]
        out[i] = _pick(rng, kinds)
    return out


# ---------------------------------------------------------------- consistent numbers
APPLICANTS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org")
RESULT_ROWS_COMMON = ("granted", "partial", "denied_state_secret", "denied_law_prohibited", "denied_three_safety",
                      "denied_third_party", "denied_internal_affairs", "denied_process_info",
                      "denied_enforcement_file", "denied_query_matter", "unable_not_held", "unable_need_creation",
                      "unable_unclear", "rejected_petition", "rejected_duplicate", "rejected_publication",
                      "rejected_excessive", "rejected_confirm")
RESULT_ROWS = {"trial_2019": RESULT_ROWS_COMMON + ("other",),
               "format_2021": RESULT_ROWS_COMMON + ("other_no_correction", "other_no_fee", "other_other")}
_RESULT_W = {"granted": 30, "partial": 6, "denied_state_secret": 0.3, "denied_law_prohibited": 0.5,
             "denied_three_safety": 0.5, "denied_third_party": 1, "denied_internal_affairs": 1.5,
             "denied_process_info": 1.5, "denied_enforcement_file": 0.6, "denied_query_matter": 0.8,
             "unable_not_held": 18, "unable_need_creation": 3, "unable_unclear": 1.5, "rejected_petition": 3,
             "rejected_duplicate": 2, "rejected_publication": 0.4, "rejected_excessive": 0.5,
             "rejected_confirm": 0.6, "other": 3, "other_no_correction": 2, "other_no_fee": 0.3, "other_other": 1.5}
_COL_SHARE = {"commercial": 0.08, "research": 0.01, "social_org": 0.01, "legal_service": 0.04, "other_org": 0.05}
BLOCKS = ("review", "litigation_direct", "litigation_after_review")
OUTCOMES = ("upheld", "corrected", "other", "pending")


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split an integer total into len(weights) non-negative integers summing to it."""
    if total <= 0:
        return [0] * len(weights)
    s = sum(weights)
    base = [int(total * w / s) for w in weights]
    rem = total - sum(base)
    if rem:
        for j in rng.choices(range(len(weights)), weights=weights, k=rem):
            base[j] += 1
    return base


def _table3(rng: random.Random, fmt: str, v: dict) -> None:
    rows = RESULT_ROWS[fmt]
    size = rng.random()
    if size < 0.22:
        np_new = 0
    elif size < 0.6:
        np_new = rng.randint(1, 25)
    elif size < 0.9:
        np_new = rng.randint(25, 400)
    else:
        np_new = rng.randint(400, 4000)
    weights = [_RESULT_W[r] * (0.3 + rng.random()) for r in rows]
    for c in APPLICANTS:
        if c == "natural_person":
            new = np_new
        else:
            new = int(np_new * _COL_SHARE[c] * rng.random() * 2) if np_new and rng.random() < 0.6 else 0
        co = rng.randint(0, max(0, new // 12)) if new and rng.random() < 0.5 else 0
        avail = new + co
        cf = rng.randint(0, avail // 8) if avail >= 8 and rng.random() < 0.6 else 0
        handled = avail - cf
        parts = _split(rng, handled, [w * (0.6 + 0.8 * rng.random()) for w in weights]) if handled else [0] * len(rows)
        v[f"applications.new_received.{c}"] = new
        v[f"applications.carried_over.{c}"] = co
        v[f"applications.carried_forward.{c}"] = cf
        v[f"applications.total_handled.{c}"] = handled
        for r, x in zip(rows, parts):
            v[f"applications.{r}.{c}"] = x
    for r in ("new_received", "carried_over", *rows, "total_handled", "carried_forward"):
        v[f"applications.{r}.total"] = sum(v[f"applications.{r}.{c}"] for c in APPLICANTS)


def _table4(rng: random.Random, v: dict) -> None:
    busy = rng.random()
    for b in BLOCKS:
        hi = 0 if busy < 0.45 else (4 if busy < 0.85 else 40)
        if b != "review":
            hi //= 2
        vals = [rng.randint(0, hi) if rng.random() < 0.7 else 0 for _ in OUTCOMES]
        for o, x in zip(OUTCOMES, vals):
            v[f"{b}.{o}"] = x
        v[f"{b}.total"] = sum(vals)


def _fee_text(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return "0"
    dec = rng.choice((0, 1, 2, 2, 4))
    x = rng.uniform(0.01, 3000) if r < 0.9 else rng.uniform(3000, 60000)
    return f"{x:.{dec}f}" if dec else str(int(x))


def _table2(rng: random.Random, fmt: str, kind: str, v: dict, t: dict) -> None:
    makes_rules = kind == "city"
    big = {"township": 0.05, "street": 0.05, "department": 0.6, "county": 1, "city": 3}[kind]
    if fmt == "format_2021":
        for item, hi in (("rules", 4 if makes_rules else 0), ("normative_docs", int(40 * big) + 1)):
            issued = rng.randint(0, hi)
            repealed = rng.randint(0, hi)
            in_force = issued + rng.randint(0, hi * 12)
            v[f"proactive.{item}.issued"], v[f"proactive.{item}.repealed"] = issued, repealed
            v[f"proactive.{item}.in_force"] = in_force
        v["proactive.admin_license.decisions"] = rng.randint(0, int(20000 * big))
        v["proactive.admin_penalty.decisions"] = rng.randint(0, int(5000 * big))
        v["proactive.admin_enforcement.decisions"] = rng.randint(0, int(400 * big))
        ft = _fee_text(rng)
        t["proactive.admin_fees.fee_amount"] = ft
        v["proactive.admin_fees.fee_amount"] = float(ft)
    else:
        for item, hi in (("rules", 4 if makes_rules else 0), ("normative_docs", int(40 * big) + 1)):
            made = rng.randint(0, hi)
            published = rng.randint(0, made)
            v[f"proactive.{item}.made"], v[f"proactive.{item}.published"] = made, published
            v[f"proactive.{item}.total_public"] = published + rng.randint(0, hi * 10)
        for item, hi in (("admin_license", 300), ("other_admin_services", 200), ("admin_penalty", 150),
                         ("admin_enforcement", 30), ("admin_fees", 40)):
            hi = int(hi * big) + 1
            prev = rng.randint(0, hi)
            change = rng.randint(-min(prev, hi // 5 + 1), hi // 5 + 1) if rng.random() < 0.5 else 0
            v[f"proactive.{item}.prev_count"], v[f"proactive.{item}.change"] = prev, change
            if item != "admin_fees":
                v[f"proactive.{item}.decisions"] = rng.randint(0, hi * 40)
        cnt = rng.randint(0, int(30 * big) + 1)
        v["proactive.gov_procurement.procurement_count"] = cnt
        v["proactive.gov_procurement.procurement_amount"] = rng.randint(1, 90000) * cnt if cnt else 0


def _legacy(rng: random.Random, kind: str, v: dict) -> None:
    big = {"township": 0.05, "street": 0.05, "department": 0.4, "county": 1, "city": 4}[kind]
    chans = {"gazette": rng.randint(0, int(800 * big)), "website": rng.randint(50, int(30000 * big) + 60),
             "weibo": rng.randint(0, int(3000 * big)), "wechat": rng.randint(0, int(8000 * big)),
             "other": rng.randint(0, int(5000 * big))}
    for k, x in chans.items():
        v[f"legacy.channel_{k}"] = x
    mx, sm = max(chans.values()), sum(chans.values())
    total = rng.randint(mx, sm)                                        # O7
    v["legacy.proactive_total"] = total
    issued = rng.randint(0, int(200 * big) + 2)
    v["legacy.normative_docs_issued"] = issued
    v["legacy.proactive_normative_docs"] = rng.randint(0, min(issued, total))   # O8, O8b
    pc = rng.randint(0, int(30 * big) + 1)
    oi = rng.randint(0, int(20 * big) + 1)
    v["legacy.press_conferences"], v["legacy.press_conferences_principal"] = pc, rng.randint(0, pc)   # O9
    v["legacy.online_interviews"], v["legacy.online_interviews_principal"] = oi, rng.randint(0, oi)
    pi, sr, orr = rng.randint(0, int(200 * big) + 1), rng.randint(0, int(500 * big)), rng.randint(0, int(500 * big))
    v["legacy.policy_interpretations"], v["legacy.social_media_responses"], v["legacy.other_responses"] = pi, sr, orr
    v["legacy.hotspot_responses"] = rng.randint(0, pc + oi + pi + sr + orr)   # O10
    ch = [rng.randint(0, int(20 * big) + 2) for _ in range(4)]
    for k, x in zip(("in_person", "fax", "online", "letter"), ch):
        v[f"legacy.requests_{k}"] = x
    received = sum(ch)                                                  # O1
    v["legacy.requests_received"] = received
    closed = received - (rng.randint(0, received // 10) if received >= 10 else 0)
    ext = rng.randint(0, closed // 6) if closed >= 6 else 0
    v["legacy.requests_closed"], v["legacy.requests_closed_extended"] = closed, ext
    v["legacy.requests_closed_on_time"] = closed - ext                 # O2
    v["legacy.replies_total"] = closed                                  # O5
    cats = ("already_public", "granted", "partial", "denied", "not_this_agency", "not_exist",
            "needs_clarification", "other_channel")
    parts = _split(rng, closed, [w * (0.4 + rng.random()) for w in (3, 10, 2, 1.5, 3, 2, 1, 1)])
    for k, x in zip(cats, parts):
        v[f"legacy.replies_{k}"] = x                                    # O3
    reasons = ("state_secret", "commercial_secret", "privacy", "security_stability", "not_gov_info", "other_law")
    for k, x in zip(reasons, _split(rng, v["legacy.replies_denied"], [2, 1, 2, 1, 2, 1])):
        v[f"legacy.denied_{k}"] = x                                     # O4
    for b in ("review", "litigation"):
        parts = [rng.randint(0, 3) if rng.random() < 0.3 else 0 for _ in range(3)]
        for k, x in zip(("upheld", "corrected", "other"), parts):
            v[f"legacy.{b}_{k}"] = x
        v[f"legacy.{b}_total"] = sum(parts)                             # O11
    v["legacy.complaints_total"] = rng.randint(0, 2) if rng.random() < 0.2 else 0
    v["legacy.fees_amount"] = 0
    v["legacy.dedicated_units"] = rng.randint(1, int(60 * big) + 1)
    v["legacy.reading_points"] = rng.randint(1, int(40 * big) + 1)
    full, part = rng.randint(1, int(30 * big) + 2), rng.randint(0, int(150 * big) + 2)
    v["legacy.staff_full_time"], v["legacy.staff_part_time"] = full, part
    v["legacy.staff_total"] = full + part                               # O12
    v["legacy.special_budget"] = rng.randint(0, int(60 * big) + 1)
    v["legacy.meetings"] = rng.randint(0, int(60 * big) + 1)
    tr = rng.randint(0, int(30 * big) + 1)
    v["legacy.trainings"] = tr
    v["legacy.trainees"] = tr * rng.randint(5, 60) if tr else 0          # O13


@dataclass(slots=True)
class Report:
    ident: Identity
    values: dict            # consistent values, by catalog key
    printed: dict           # the values as printed (= values except the planted break)
    texts: dict             # printed text of decimal cells, by key
    brk: dict | None        # the planted break
    variant: int = 0


def _break_key(rng: random.Random, kind: str, fmt: str) -> str:
    if kind == "t3_grand_total":
        return "applications.total_handled.total"
    if kind == "t3_column_total":
        return "applications.total_handled." + rng.choice(APPLICANTS)
    if kind == "t3_new_received_total":
        return "applications.new_received.total"
    if kind == "t4_total":
        return rng.choice(BLOCKS) + ".total"
    if kind == "legacy_closed_total":
        return "legacy.requests_closed"
    return "legacy.staff_total"


def build_report(ident: Identity, seed: int, break_kind: str | None, variant: int = 0) -> Report:
    """The consistent numbers of one report and the printed ones (with the planted break)."""
    rng = random.Random((seed * 1_000_003 + ident.index) * 31 + 17 + variant * 1_000_000_007)
    v: dict = {}
    t: dict = {}
    if ident.format in ("trial_2019", "format_2021"):
        _table2(rng, ident.format, ident.kind, v, t)
        _table3(rng, ident.format, v)
        _table4(rng, v)
    elif ident.format == "legacy_table":
        _legacy(rng, ident.kind, v)
    else:
        _legacy(rng, ident.kind, v)      # the narrative states a few of these in prose
    printed = dict(v)
    brk = None
    if break_kind:
        key = _break_key(rng, break_kind, ident.format)
        k = rng.choice((1, 1, 2, 3, 5, 10, rng.randint(1, 99)))
        printed[key] = v[key] + k
        rules = list(BREAKS[break_kind][1])
        if break_kind == "legacy_closed_total" and printed[key] > v["legacy.requests_received"] * 1.2 + 0.005:
            rules.append("O6")     # (W) 办结数 more than 20% above 收到申请数
        brk = {"kind": break_kind, "rules": rules, "key": key,
               "printed": printed[key], "consistent": v[key], "delta": k}
    return Report(ident, v, printed, t, brk, variant)


# ---------------------------------------------------------------- prose
_P_OPEN = ("根据《中华人民共和国政府信息公开条例》(以下简称《条例》)和上级关于做好{y}年度政府信息公开工作年度报告编制和发布工作的要求,"
           "{a}编制本报告。本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。报告电子版可在{s}门户网站政府信息公开专栏查阅。"
           "如对本报告有任何疑问,请与{a}办公室联系。")
_P_OPEN_LEGACY = ("根据《中华人民共和国政府信息公开条例》(以下简称《条例》)和省市《政府信息公开规定》等相关要求,现向社会公开{s}{y}年政府信息公开工作年度报告。"
                  "本报告由概述、主动公开政府信息情况、依申请公开政府信息情况、政府信息公开的收费及减免情况、因政府信息公开申请行政复议和提起行政诉讼的情况、"
                  "政府信息公开工作存在的主要问题及改进措施等部分组成。本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。")
_SENT = (
    "{y}年,{s}坚持以公开为常态、不公开为例外,认真贯彻落实政务公开各项决策部署,围绕中心工作持续深化政府信息公开,政务公开工作取得了新的成效。",
    "健全完善政务公开工作机制,及时调整政务公开工作领导小组,明确分管领导和具体工作人员,形成了主要领导亲自抓、分管领导具体抓、工作人员抓落实的工作格局。",
    "严格落实信息发布保密审查制度,坚持先审查、后公开和一事一审原则,全年未发生泄密事件和因信息公开不当引发的负面舆情。",
    "聚焦重点领域信息公开,及时公开财政预决算、重大建设项目、公共资源配置、社会公益事业建设等信息,切实保障人民群众的知情权、参与权和监督权。",
    "加大政策解读力度,坚持政策文件与解读方案、解读材料同步组织、同步审签、同步部署,通过图文解读、视频解读等多种形式提高解读质量。",
    "积极回应社会关切,建立健全舆情收集、研判、处置和回应机制,对涉及本地区的政务舆情做到及时发现、及时回应、妥善处置。",
    "规范依申请公开办理流程,严格按照登记、审核、办理、答复、归档的程序办理政府信息公开申请,确保答复内容准确、程序合法、格式规范。",
    "加强政府信息管理,对现行有效的规范性文件进行全面清理,及时公开清理结果,并在门户网站集中发布现行有效的规范性文件目录。",
    "推进政务公开平台建设,优化门户网站栏目设置,完善信息检索功能,加强政务新媒体的规范管理,提升平台的权威性和便民性。",
    "强化监督保障,将政务公开工作纳入年度绩效考核,定期开展检查和通报,对发现的问题督促限期整改,推动政务公开工作落地落实。",
    "加强业务培训,组织政务公开工作人员参加上级举办的业务培训班,并通过以会代训等方式提升工作人员的业务能力和工作水平。",
    "深化基层政务公开标准化规范化建设,梳理公开事项清单,编制公开目录,进一步规范公开内容、公开方式和公开时限。",
    "持续推进办事服务公开,全面公开政务服务事项的办事指南、办理流程、申请材料和办理时限,让企业和群众办事更加便捷。",
    "做好人大代表建议和政协委员提案办理结果公开工作,对涉及公共利益、公众权益的建议提案办理复文全文公开。",
    "围绕优化营商环境,集中公开涉企政策文件,开设政策专栏,方便市场主体及时了解和享受各项惠企政策。",
    "加强政府网站内容保障,落实信息更新、内容审核和日常监测制度,确保网站信息准确、及时、安全。",
    "组织开展《条例》宣传活动,通过门户网站、微信公众号、宣传栏等载体,营造社会公众充分知情、有序参与、全面监督的良好氛围。",
    "进一步完善政府信息公开指南和目录,及时更新机构职能、联系方式、办公地址等基础信息,方便公众查询和申请。",
)
_SUBHEADS_NEW = ("(一)主动公开方面", "(二)依申请公开方面", "(三)政府信息管理方面", "(四)平台建设方面", "(五)监督保障方面")
_PROBLEMS = (
    "{y}年,{s}政府信息公开工作取得了一定成效,但对照上级要求和公众期待,仍存在一些不足:一是公开内容的全面性和及时性有待提升;"
    "二是政策解读的形式还不够丰富;三是工作人员业务能力有待进一步加强。",
    "下一步,我们将着力做好以下工作:一是进一步拓展公开深度和广度,加大重点领域信息公开力度;二是创新政策解读形式,提升解读质量;"
    "三是加强业务培训,打造一支业务精、能力强的政务公开工作队伍。",
)
_OTHER_NEW = ("{y}年,{s}未收取信息处理费。", "本年度无其他需要报告的事项。", "无")


def _pick_sents(rng: random.Random, k: int, y: int, s: str) -> list[str]:
    return [x.format(y=y, s=s) for x in rng.sample(_SENT, k)]


def _new_prose(rng: random.Random, rep: Report) -> dict:
    # the prose restates the printed cells (a planted break stays a table-identity break, not an N1 one)
    d, v = rep.ident, rep.printed
    y, a, s = d.year, d.agency, _short(d.agency)
    total = v["applications.new_received.total"]
    overall = [_P_OPEN.format(y=y, a=a, s=s)]
    figs = {
        0: f"全年共主动公开各类政府信息{rng.randint(40, 9000)}条,其中行政规范性文件"
           f"{v.get('proactive.normative_docs.issued', v.get('proactive.normative_docs.made', 0))}件。",
        1: (f"{y}年共收到政府信息公开申请{total}件,上年结转{v['applications.carried_over.total']}件,"
            f"办结{v['applications.total_handled.total']}件,结转下年度继续办理{v['applications.carried_forward.total']}件。"
            if total else f"{y}年未收到政府信息公开申请。"),
    }
    rv = v["review.total"]
    lit = v["litigation_direct.total"] + v["litigation_after_review.total"]
    if rv or lit:
        figs[1] += f"全年发生政府信息公开行政复议{rv}件、行政诉讼{lit}件。"
    sub = []
    for j, h in enumerate(_SUBHEADS_NEW):
        body = _pick_sents(rng, rng.randint(2, 5), y, s)
        if j in figs:
            body.insert(1, figs[j])
        sub.append((h, "".join(body)))
    return {"open": overall, "overall": sub,
            "problems": [p.format(y=y, s=s) for p in _PROBLEMS], "other": rng.choice(_OTHER_NEW).format(y=y, s=s)}


# ---------------------------------------------------------------- labels
def _brk(s: str, ascii_style: bool) -> str:
    if ascii_style:
        return s.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ",")
    return s


T3_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开", "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "1.属于国家秘密", "denied_law_prohibited": "2.其他法律行政法规禁止公开",
    "denied_three_safety": "3.危及“三安全一稳定”", "denied_third_party": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息", "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_file": "7.属于行政执法案卷", "denied_query_matter": "8.属于行政查询事项",
    "unable_not_held": "1.本机关不掌握相关政府信息", "unable_need_creation": "2.没有现成信息需要另行制作",
    "unable_unclear": "3.补正后申请内容仍不明确", "rejected_petition": "1.信访举报投诉类申请",
    "rejected_duplicate": "2.重复申请", "rejected_publication": "3.要求提供公开出版物",
    "rejected_excessive": "4.无正当理由大量反复申请", "rejected_confirm": "5.要求行政机关确认或重新出具已获取信息",
    "other": "（六）其他处理",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_no_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_other": "3.其他", "total_handled": "（七）总计", "carried_forward": "四、结转下年度继续办理",
}
GROUP_OF = {"denied_state_secret": "（三）不予公开", "unable_not_held": "（四）无法提供",
            "rejected_petition": "（五）不予处理", "other_no_correction": "（六）其他处理"}
GROUP_SIZE = {"denied_state_secret": 8, "unable_not_held": 3, "rejected_petition": 5, "other_no_correction": 3}
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
COLS_LEGAL = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T4_OUT = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _t3_rows(fmt: str) -> list[str]:
    return ["new_received", "carried_over", *RESULT_ROWS[fmt], "total_handled", "carried_forward"]


def _t2_spec(fmt: str):
    """[(clause, header cells, [(row label, [keys])])] of Table 2."""
    if fmt == "format_2021":
        return [
            ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
             [("规章", [f"proactive.rules.{c}" for c in ("issued", "repealed", "in_force")]),
              ("行政规范性文件", [f"proactive.normative_docs.{c}" for c in ("issued", "repealed", "in_force")])]),
            ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", ["proactive.admin_license.decisions"])]),
            ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", ["proactive.admin_penalty.decisions"]),
                                                     ("行政强制", ["proactive.admin_enforcement.decisions"])]),
            ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", ["proactive.admin_fees.fee_amount"])]),
        ]
    three = ("prev_count", "change", "decisions")
    return [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("规章", [f"proactive.rules.{c}" for c in ("made", "published", "total_public")]),
          ("规范性文件", [f"proactive.normative_docs.{c}" for c in ("made", "published", "total_public")])]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", [f"proactive.admin_license.{c}" for c in three]),
          ("其他对外管理服务事项", [f"proactive.other_admin_services.{c}" for c in three])]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政处罚", [f"proactive.admin_penalty.{c}" for c in three]),
          ("行政强制", [f"proactive.admin_enforcement.{c}" for c in three])]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"],
         [("行政事业性收费", ["proactive.admin_fees.prev_count", "proactive.admin_fees.change"])]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"],
         [("政府集中采购", ["proactive.gov_procurement.procurement_count", "proactive.gov_procurement.procurement_amount"])]),
    ]


class _Recorder:
    """Stands in for a Report while a table template is built: records the keys in print order."""

    __slots__ = ("ident", "keys")

    def __init__(self, ident: Identity):
        self.ident = ident
        self.keys: list[str] = []


_HOLE = "\x00"


def _num(rep, key: str) -> str:
    if type(rep) is _Recorder:
        rep.keys.append(key)
        return _HOLE
    t = rep.texts.get(key)
    if t is not None and rep.printed[key] == rep.values[key]:
        return t
    x = rep.printed[key]
    return str(int(x)) if float(x).is_integer() else repr(x)


_TEMPLATES: dict = {}


def _filled(part, rep: Report) -> str:
    """A table rendered through a cached template: the layout's text with the numbers put in."""
    ck = (part, rep.ident.format)
    tm = _TEMPLATES.get(ck)
    if tm is None:
        rec = _Recorder(rep.ident)
        body = part(rec)
        body = "\n".join(body) if isinstance(body, list) else body
        tm = (body.replace("{", "{{").replace("}", "}}").replace(_HOLE, "{}"), tuple(rec.keys))
        _TEMPLATES[ck] = tm
    fmt, keys = tm
    p, t = rep.printed, rep.texts
    if t or rep.brk:
        vals = [_num(rep, k) for k in keys]
    else:
        vals = [p[k] for k in keys]          # all integers
    return fmt.format(*vals)


# ---------------------------------------------------------------- layouts
def _header_txt(rep: Report, rng: random.Random) -> list[str]:
    d = rep.ident
    title = _title(d, rng)
    sep = rng.choice((":", "：", ": "))
    return [f"当前位置: 首页 / 政务公开 / 政府信息公开平台 / 政府信息公开年报 / {d.year}", "",
            title, "", f"发布时间{sep}{d.published_on} {d.published_time}" + rng.choice(("", "  来源:" + _short(d.agency))),
            ""]


def _title(d: Identity, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.6:
        return f"{d.agency}{d.year}年政府信息公开工作年度报告"
    if r < 0.85:
        return f"{d.agency}{d.year}年度政府信息公开工作年度报告"
    return f"{d.agency}关于{d.year}年度政府信息公开工作年度报告"


def _cells_t2(rep: Report) -> list[str]:
    fmt = rep.ident.format
    out = []
    for clause, heads, rows in _t2_spec(fmt):
        out.append(_brk(clause, True) + " |")
        out.append("|||")
        out.append("信息内容 |")
        if fmt == "trial_2019" and heads[0] == "本年新制作数量":
            heads = ["本年新", "本年新", heads[2]]          # the truncated header cells of 001
        out.extend(_brk(h, True) + " |" for h in heads)
        pad = fmt == "trial_2019" and len(heads) == 2
        if pad:
            out.append("|")
        for label, keys in rows:
            out.append(label + " |")
            out.extend(_num(rep, k) + " |" for k in keys)
            if pad:
                out.append("|")
    if fmt == "trial_2019":
        out.pop()   # 001 ends (九)项 on its last value
    return out


def _cells_t3(rep: Report) -> list[str]:
    fmt = rep.ident.format
    out = [_brk(T3_NOTE, True) + " |", "申请人情况 |", "||||||||", "自然人 |", "法人或其他组织 |", "总计 |",
           "|||||||", *(c + " |" for c in COLS_LEGAL), "|||||"]
    rows = _t3_rows(fmt)
    for j, r in enumerate(rows):
        first_of_group = r in GROUP_OF or r == "granted"
        if r == "granted":
            out.append("三、本年度办理结果 |")
        elif r in GROUP_OF:
            out.append(_brk(GROUP_OF[r], True) + " |")
        out.append(_brk(T3_LABELS[r], True) + " |")
        out.extend(_num(rep, f"applications.{r}.{c}") + " |" for c in (*APPLICANTS, "total"))
        if j < len(rows) - 1:
            out.append("|" if first_of_group else "||")
    return out


def _cells_t4(rep: Report) -> list[str]:
    out = ["行政复议 |", "行政诉讼 |", "|||||||||||||", *(h + " |" for h in T4_OUT), "未经复议直接起诉 |",
           "复议后起诉 |", "||||||||", *(h + " |" for h in T4_OUT), *(h + " |" for h in T4_OUT), "|||||"]
    for b in BLOCKS:
        out.extend(_num(rep, f"{b}.{o}") + " |" for o in (*OUTCOMES, "total"))
    return out


def _pipe(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _pipe_t2(rep: Report) -> list[str]:
    out = []
    for clause, heads, rows in _t2_spec(rep.ident.format):
        out.append(_pipe([clause]) + "||")
        out.append(_pipe(["信息内容", *heads]) + ("||" if len(heads) < 3 else ""))
        for label, keys in rows:
            out.append(_pipe([label, *(_num(rep, k) for k in keys)]) + ("||" if len(keys) < 3 else ""))
    return out


def _pipe_t3(rep: Report) -> list[str]:
    out = [_pipe([T3_NOTE, "申请人情况"]) + "||||||", _pipe(["自然人", "法人或其他组织", "总计"]),
           _pipe(COLS_LEGAL)]
    for r in _t3_rows(rep.ident.format):
        vals = [_num(rep, f"applications.{r}.{c}") for c in (*APPLICANTS, "total")]
        lead = []
        if r == "granted":
            lead.append("三、本年度办理结果")
        if r in GROUP_OF:
            lead.append(GROUP_OF[r])
        out.append(_pipe([*lead, T3_LABELS[r], *vals]))
    return out


def _pipe_t4(rep: Report) -> list[str]:
    vals = [_num(rep, f"{b}.{o}") for b in BLOCKS for o in (*OUTCOMES, "total")]
    return [_pipe(["行政复议", "行政诉讼"]), _pipe([*T4_OUT, "未经复议直接起诉", "复议后起诉"]),
            _pipe([*T4_OUT, *T4_OUT]), _pipe(vals)]


def render_new_text(rep: Report, layout: str) -> str:
    rng = random.Random(rep.ident.index * 101 + 7 + rep.variant)
    pr = _new_prose(rng, rep)
    lines = _header_txt(rep, rng)
    lines.append(pr["open"][0])
    lines.append("一、总体情况")
    for h, body in pr["overall"]:
        lines.append(h if layout == "cells" else h.replace("(", "（").replace(")", "）"))
        lines.append(body)
    cells = layout == "cells"
    lines.append("二、主动公开政府信息情况")
    lines.append(_filled(_cells_t2 if cells else _pipe_t2, rep))
    lines.append("三、收到和处理政府信息公开申请情况")
    lines.append(_filled(_cells_t3 if cells else _pipe_t3, rep))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines.append(_filled(_cells_t4 if cells else _pipe_t4, rep))
    lines.append("五、存在的主要问题及改进情况")
    lines += pr["problems"]
    lines.append("六、其他需要报告的事项")
    lines.append(pr["other"])
    lines.append("扫一扫在手机上查看当前页面")
    return "\n".join(lines) + "\n"


_TD = '<td valign="center"'
_TABLE = '<table style="border-collapse: collapse; border: none;" cellspacing="0" align="center" border="1"><tbody>'


def _td(text: str, colspan: int = 1, rowspan: int = 1) -> str:
    attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return f'{_TD}{attrs}><p>{text}</p></td>'


def _html_t2(rep: Report) -> str:
    rows = []
    for clause, heads, rws in _t2_spec(rep.ident.format):
        rows.append("<tr>" + _td(clause, 4) + "</tr>")
        span = 3 - len(heads)   # the last header (and value) cell spans what is left
        rows.append("<tr>" + _td("信息内容") + "".join(_td(h, 1 + (span if j == len(heads) - 1 else 0))
                                                       for j, h in enumerate(heads)) + "</tr>")
        for label, keys in rws:
            rows.append("<tr>" + _td(label) + "".join(_td(_num(rep, k), 1 + (span if j == len(keys) - 1 else 0))
                                                      for j, k in enumerate(keys)) + "</tr>")
    return _TABLE + "".join(rows) + "</tbody></table>"


def _html_t3(rep: Report) -> str:
    fmt = rep.ident.format
    rs = _t3_rows(fmt)
    n_results = len(RESULT_ROWS[fmt]) + 1     # + （七）总计
    rows = ["<tr>" + _td(T3_NOTE, 3, 3) + _td("申请人情况", 7) + "</tr>",
            "<tr>" + _td("自然人", 1, 2) + _td("法人或其他组织", 5) + _td("总计", 1, 2) + "</tr>",
            "<tr>" + "".join(_td(c[:2] + "</p><p>" + c[2:] if len(c) > 2 else c) for c in COLS_LEGAL) + "</tr>"]
    for r in rs:
        vals = "".join(_td(_num(rep, f"applications.{r}.{c}")) for c in (*APPLICANTS, "total"))
        head = ""
        if r in ("new_received", "carried_over", "carried_forward"):
            head = _td(T3_LABELS[r], 3)
        else:
            if r == "granted":
                head += _td("三、本年度办理结果", 1, n_results)
            if r in GROUP_OF:
                head += _td(GROUP_OF[r], 1, GROUP_SIZE[r]) + _td(T3_LABELS[r])
            elif r in ("granted", "partial", "total_handled") or (r == "other" and fmt == "trial_2019"):
                head += _td(T3_LABELS[r], 2)
            else:
                head += _td(T3_LABELS[r])
        rows.append("<tr>" + head + vals + "</tr>")
    return _TABLE + "".join(rows) + "</tbody></table>"


def _html_t4(rep: Report) -> str:
    br = ("结果<br/>维持", "结果<br/>纠正", "其他<br/>结果", "尚未<br/>审结", "总计")
    rows = ["<tr>" + _td("行政复议", 5) + _td("行政诉讼", 10) + "</tr>",
            "<tr>" + "".join(_td(h, 1, 2) for h in T4_OUT) + _td("未经复议直接起诉", 5) + _td("复议后起诉", 5) + "</tr>",
            "<tr>" + "".join(_td(h) for h in br + br) + "</tr>",
            "<tr>" + "".join(_td(_num(rep, f"{b}.{o}")) for b in BLOCKS for o in (*OUTCOMES, "total")) + "</tr>"]
    return _TABLE + "".join(rows) + "</tbody></table>"


_HTML_HEAD = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8" name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=1.0" />
    <meta http-equiv="x-UA-Compatible" content="IE=Edge" />
    <meta name="SiteName" content="{site}"/>
    <meta name="ColumnName" content="政府信息公开年报"/>
    <meta name="ArticleTitle" content="{title}"/>
    <meta name="PubDate" content="{pub}"/>
    <meta name="ContentSource" content="{source}"/>
    <title>{title}_政府信息公开年报_{site}</title>
    <link rel="stylesheet" type="text/css" href="/images/trt_ui_v2.css">
    <script type="text/javascript" src="/images/jquery.min.js"></script>
    <script type="text/javascript">var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script");
      hm.src = "https://hm.baidu.com/hm.js?0a1b2c3d4e5f"; var s = document.getElementsByTagName("script")[0];
      s.parentNode.insertBefore(hm, s); }})();</script>
    <style>.article_content p {{ line-height: 2em; }} .nav_base li {{ float: left; }}</style>
  </head>
  <body>
    <div class="header_base"><div class="logo"><img src="/images/logo.png" alt="{site}"/></div>
      <ul class="nav_base"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zwfw/">政务服务</a></li></ul>
    </div>
    <div class="crumb_base">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zfxxgk/">政府信息公开</a> &gt; 政府信息公开年报</div>
    <div class="article_base">
      <div class="article_title"><h1>{title}</h1></div>
      <div class="article_info"><span>发布时间：{pub}</span>&nbsp;&nbsp;<span>来源：{source}</span></div>
      <div class="article_area">
        <div class="article_content"><div class=TRS_Editor>"""

_HTML_TAIL = """</div></div>
      </div>
      <div class="article_qrcode"><p>扫一扫在手机上查看当前页面</p><div class="ewm-img" id="qrcode"></div></div>
    </div>
    <div class="footer_base"><p>主办单位：{source}&nbsp;&nbsp;网站标识码：{code}</p><p>地址：{site}行政中心&nbsp;&nbsp;邮编：{zip}</p></div>
    <script type="text/javascript">$(function() {{ $("#qrcode").qrcode({{ width: 100, height: 100, text: window.location.href }}); }});</script>
  </body>
</html>
"""


def render_html(rep: Report) -> str:
    d = rep.ident
    rng = random.Random(d.index * 101 + 7 + rep.variant)
    pr = _new_prose(rng, rep)
    title = _title(d, rng)
    src = d.agency + ("" if d.kind == "department" else "办公室")
    site = _short(d.agency) + ("人民政府" if d.kind != "department" else "")

    def p(x: str) -> str:
        return f'<p style="text-indent: 2em;">{x}</p>'

    full = lambda s: s.replace("(", "（").replace(")", "）")  # noqa: E731
    parts = [_HTML_HEAD.format(site=site, title=title, pub=f"{d.published_on} {d.published_time[:5]}", source=src),
             p(pr["open"][0]), p("一、总体情况&nbsp;")]
    for h, body in pr["overall"]:
        parts.append(p(full(h) + "。" + body))
    parts += [p("二、主动公开政府信息情况"), _filled(_html_t2, rep), p("三、收到和处理政府信息公开申请情况"),
              _filled(_html_t3, rep), p("四、政府信息公开行政复议、行政诉讼情况"), _filled(_html_t4, rep)]
    parts.append(p("五、存在的主要问题及改进情况"))
    parts += [p(x) for x in pr["problems"]]
    parts += [p("六、其他需要报告的事项"), p(pr["other"]), "<p>&nbsp;</p><p><br/></p>",
              _HTML_TAIL.format(source=src, site=site, code=f"{rng.randint(1000000000, 9999999999)}",
                                zip=f"{rng.randint(100000, 850000)}")]
    return "".join(parts)


# legacy statistical table (like 003): (label lines, key or None for a group row, unit)
LEGACY_ROWS = [
    (["一、主动公开情况"], None, None),
    (["(一)主动公开政府信息数", "      (不同渠道和方式公开相同信息计1条)"], "legacy.proactive_total", None),
    (["其中:主动公开规范性文件数"], "legacy.proactive_normative_docs", None),
    (["制发规范性文件总数"], "legacy.normative_docs_issued", None),
    (["(二)通过不同渠道和方式公开政府信息的情况"], None, None),
    (["1.政府公报公开政府信息数"], "legacy.channel_gazette", None),
    (["2.政府网站公开政府信息数"], "legacy.channel_website", None),
    (["3.政务微博公开政府信息数"], "legacy.channel_weibo", None),
    (["4.政务微信公开政府信息数"], "legacy.channel_wechat", None),
    (["5.其他方式公开政府信息数"], "legacy.channel_other", None),
    (["二、回应解读情况"], None, None),
    (["(一)回应公众关注热点或重大舆情数", "", "(不同方式回应同一热点或舆情计1次)"], "legacy.hotspot_responses", None),
    (["(二)通过不同渠道和方式回应解读的情况"], None, None),
    (["1.参加或举办新闻发布会总次数"], "legacy.press_conferences", None),
    (["其中:主要负责同志参加新闻发布会次数"], "legacy.press_conferences_principal", None),
    (["2.政府网站在线访谈次数"], "legacy.online_interviews", None),
    (["其中:主要负责同志参加政府网站在线访谈次数"], "legacy.online_interviews_principal", None),
    (["3.政策解读稿件发布数"], "legacy.policy_interpretations", None),
    (["4.微博微信回应事件数"], "legacy.social_media_responses", None),
    (["5.其他方式回应事件数"], "legacy.other_responses", None),
    (["三、依申请公开情况"], None, None),
    (["(一)收到申请数"], "legacy.requests_received", None),
    (["1.当面申请数"], "legacy.requests_in_person", None),
    (["2.传真申请数"], "legacy.requests_fax", None),
    (["3.网络申请数"], "legacy.requests_online", None),
    (["4.信函申请数"], "legacy.requests_letter", None),
    (["(二)申请办结数"], "legacy.requests_closed", None),
    (["1.按时办结数"], "legacy.requests_closed_on_time", None),
    (["2.延期办结数"], "legacy.requests_closed_extended", None),
    (["(三)申请答复数"], "legacy.replies_total", None),
    (["1.属于已主动公开范围数"], "legacy.replies_already_public", None),
    (["2.同意公开答复数"], "legacy.replies_granted", None),
    (["3.同意部分公开答复数"], "legacy.replies_partial", None),
    (["4.不同意公开答复数"], "legacy.replies_denied", None),
    ([" 其中:涉及国家秘密"], "legacy.denied_state_secret", None),
    (["涉及商业秘密"], "legacy.denied_commercial_secret", None),
    (["涉及个人隐私"], "legacy.denied_privacy", None),
    (["危及国家安全、公共安全、经济安全和社会稳定"], "legacy.denied_security_stability", None),
    (["不是《条例》所指政府信息"], "legacy.denied_not_gov_info", None),
    (["法律法规规定的其他情形"], "legacy.denied_other_law", None),
    (["5.不属于本行政机关公开数"], "legacy.replies_not_this_agency", None),
    (["6.申请信息不存在数"], "legacy.replies_not_exist", None),
    (["7.告知作出更改补充数"], "legacy.replies_needs_clarification", None),
    (["8.告知通过其他途径办理数"], "legacy.replies_other_channel", None),
    (["四、行政复议数量"], "legacy.review_total", None),
    (["(一)维持具体行政行为数"], "legacy.review_upheld", None),
    (["(二)被依法纠错数"], "legacy.review_corrected", None),
    (["(三)其他情形数"], "legacy.review_other", None),
    (["五、行政诉讼数量"], "legacy.litigation_total", None),
    (["(一)维持具体行政行为或者驳回原告诉讼请求数"], "legacy.litigation_upheld", None),
    (["(二)被依法纠错数"], "legacy.litigation_corrected", None),
    (["(三)其他情形数"], "legacy.litigation_other", None),
    (["六、举报投诉数量"], "legacy.complaints_total", None),
    (["七、依申请公开信息收取的费用"], "legacy.fees_amount", "万元"),
    (["八、机构建设和保障经费情况"], None, None),
    (["(一)政府信息公开工作专门机构数"], "legacy.dedicated_units", None),
    (["(二)设置政府信息公开查阅点数"], "legacy.reading_points", None),
    (["(三)从事政府信息公开工作人员数"], "legacy.staff_total", None),
    (["1.专职人员数(不包括政府公报及政府网站工作人员数)"], "legacy.staff_full_time", None),
    (["2.兼职人员数"], "legacy.staff_part_time", None),
    (["(四)政府信息公开专项经费", "", "(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)"], "legacy.special_budget", "万元"),
    (["九、政府信息公开会议和培训情况"], None, None),
    (["(一)召开政府信息公开工作会议或专题会议数"], "legacy.meetings", None),
    (["(二)举办各类培训班数"], "legacy.trainings", None),
    (["(三)接受培训人员数"], "legacy.trainees", "人次"),
]
LEGACY_TABLE_KEYS = [k for _, k, _ in LEGACY_ROWS if k]

_LEG_SECTIONS = ("一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、行政复议、诉讼和申诉情况",
                 "五、政府信息公开相关费用情况", "六、存在的主要问题", "七、下一步工作措施")


def _legacy_prose(rng: random.Random, rep: Report, narrative: bool) -> tuple[list[str], dict]:
    """Section paragraphs and the prose figures they state (key -> (value, approx)); they restate
    the printed cells."""
    d, v = rep.ident, rep.printed
    y, s = d.year, _short(d.agency)
    stated: dict = {}
    paras = {sec: [] for sec in _LEG_SECTIONS}
    paras[_LEG_SECTIONS[0]] = [f"{y}年,{s}政府信息公开工作在上级的坚强领导下,认真贯彻落实《条例》,不断夯实公开载体、拓展公开内容、完善工作机制,"
                               "政府信息公开工作取得了新的进展。"] + ["".join(_pick_sents(rng, 3, y, s)) for _ in range(rng.randint(3, 6))]
    tot = v["legacy.proactive_total"]
    if narrative and rng.random() < 0.35 and tot >= 100:
        rounded = tot // 100 * 100
        paras[_LEG_SECTIONS[1]].append(f"{y}年,{s}共主动公开政府信息{rounded}余条,其中通过政府网站公开{v['legacy.channel_website']}条。")
        stated["legacy.proactive_total"] = (rounded, True)
    else:
        paras[_LEG_SECTIONS[1]].append(f"{y}年,{s}共主动公开政府信息{tot}条,其中通过政府网站公开{v['legacy.channel_website']}条,"
                                       f"通过政府公报公开{v['legacy.channel_gazette']}条。")
        stated["legacy.proactive_total"] = (tot, False)
    stated["legacy.channel_website"] = (v["legacy.channel_website"], False)
    paras[_LEG_SECTIONS[1]].append("".join(_pick_sents(rng, 3, y, s)))
    paras[_LEG_SECTIONS[2]].append("".join(_pick_sents(rng, 2, y, s)))
    rec = v["legacy.requests_received"]
    if rec:
        paras[_LEG_SECTIONS[2]].append(
            f"{y}年,共收到政府信息公开申请{rec}件,其中当面申请{v['legacy.requests_in_person']}件、网络申请{v['legacy.requests_online']}件、"
            f"信函申请{v['legacy.requests_letter']}件。共办结{v['legacy.requests_closed']}件,其中同意公开{v['legacy.replies_granted']}件。")
        stated.update({"legacy.requests_received": (rec, False), "legacy.requests_closed": (v["legacy.requests_closed"], False)})
    else:
        paras[_LEG_SECTIONS[2]].append(f"{y}年,未收到政府信息公开申请。")
        stated["legacy.requests_received"] = (0, False)
    rv, lit = v["legacy.review_total"], v["legacy.litigation_total"]
    if rv or lit:
        paras[_LEG_SECTIONS[3]].append(f"{y}年,因政府信息公开申请行政复议{rv}件、提起行政诉讼{lit}件。")
        stated.update({"legacy.review_total": (rv, False), "legacy.litigation_total": (lit, False)})
    else:
        paras[_LEG_SECTIONS[3]].append(f"{y}年,未发生因政府信息公开申请行政复议、提起行政诉讼的情况。")
        stated.update({"legacy.review_total": (0, False), "legacy.litigation_total": (0, False)})
    paras[_LEG_SECTIONS[4]].append(f"{y}年,{s}未收取依申请政府信息公开有关费用。")
    paras[_LEG_SECTIONS[5]].append(_PROBLEMS[0].format(y=y, s=s))
    paras[_LEG_SECTIONS[6]].append(_PROBLEMS[1].format(y=y, s=s))
    out = []
    for sec in _LEG_SECTIONS:
        out += ["", sec, ""]
        for ptext in paras[sec]:
            out += [ptext, ""]
    return out, stated


def _legacy_table(rep) -> list[str]:
    lines = ["政府信息公开情况统计表", "", "填报单位(盖章):", "", "统 计 指 标", "", "单位", "", "统计数", ""]
    for labels, key, unit in LEGACY_ROWS:
        lines += [*labels, ""]
        if key is None:
            lines += ["", ""]
            continue
        if unit:
            lines += [unit, ""]
        lines += [_num(rep, key), ""]
    return lines[:-1]


def render_legacy(rep: Report) -> tuple[str, dict]:
    d = rep.ident
    rng = random.Random(d.index * 101 + 7 + rep.variant)
    narrative = d.format == "legacy_narrative"
    lines = ["政府信息", "公开指南", "", "政府信息", "公开制度", ""] if narrative else ["中央政府门户网站 | 省政府", "", f"{d.published_on}", ""]
    lines += [_title(d, rng), "", f"发布时间: {d.published_on} {d.published_time[:5]}", "",
              _P_OPEN_LEGACY.format(y=d.year, s=_short(d.agency)), ""]
    body, stated = _legacy_prose(rng, rep, narrative)
    lines += body
    if not narrative:
        lines.append(_filled(_legacy_table, rep))
        lines += ["", f"单位负责人:{rng.choice(_SURNAMES)}{rng.choice(_GIVEN)}{rng.choice(_GIVEN)}       "
                  f"审核人:{rng.choice(_SURNAMES)}{rng.choice(_GIVEN)}      填报人:{rng.choice(_SURNAMES)}{rng.choice(_GIVEN)}", "",
                  f"联系电话:0{rng.randint(100, 999)}-{rng.randint(2000000, 8999999)}                 "
                  f"填报日期:{d.published_on[:4]}-{int(d.published_on[5:7])}-{int(d.published_on[8:10])}", "", ""]
    lines += ["扫一扫在手机打开当前页", "", "返回顶部", ""]
    return "\n".join(lines), stated


def render(rep: Report) -> tuple[str, dict | None]:
    """The file text of a report, and the prose figures a narrative states."""
    lay = rep.ident.layout
    if lay in ("cells", "pipe"):
        return render_new_text(rep, lay), None
    if lay == "html":
        return render_html(rep), None
    text, stated = render_legacy(rep)
    return text, stated


# ---------------------------------------------------------------- corpus
def manifest_entry(rep: Report, size: int, stated: dict | None, with_values: bool) -> dict:
    d = rep.ident
    e = {"file": d.file, "index": d.index, "variant": rep.variant, "format": d.format, "layout": d.layout,
         "agency": d.agency, "agency_kind": d.kind, "year": d.year, "published_on": d.published_on,
         "bytes": size, "break": rep.brk}
    if with_values:
        keys = LEGACY_TABLE_KEYS if d.format == "legacy_table" else (
            [] if d.format == "legacy_narrative" else list(rep.values))
        e["values"] = {k: rep.printed[k] for k in keys}
        if d.format in ("trial_2019", "format_2021", "legacy_table"):
            e["consistent_values"] = {k: rep.values[k] for k in keys}
        if stated:
            e["prose_values"] = {k: {"value": val, "approx": ap} for k, (val, ap) in stated.items()}
    return e


def _work(args) -> list[dict]:
    out_dir, seed, items, with_values = args
    out = Path(out_dir)
    made_dirs: set = set()
    entries = []
    for ident, kind, variant in items:
        rep = build_report(ident, seed, kind, variant)
        text, stated = render(rep)
        data = text.encode("utf-8")
        p = out / ident.file
        if p.parent not in made_dirs:
            p.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(p.parent)
        with open(p, "wb") as fh:
            fh.write(data)
        entries.append(manifest_entry(rep, len(data), stated, with_values))
    return entries


def _run(out_dir: Path, seed: int, items: list, with_values: bool, workers: int) -> list[dict]:
    if workers <= 1 or len(items) < 400:
        return _work((str(out_dir), seed, items, with_values))
    import multiprocessing as mp

    chunk = max(100, len(items) // (workers * 8))
    chunks = [items[j:j + chunk] for j in range(0, len(items), chunk)]
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    pool = ctx.Pool(workers)
    try:
        parts = pool.map(_work, [(str(out_dir), seed, c, with_values) for c in chunks])
        pool.close()            # let the workers end on their own (terminate() would signal them)
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return [e for part in parts for e in part]


def generate(out_dir, n: int, seed: int = 42, broken_share: float = 0.05, *, start: int = 0,
             workers: int | None = None, with_values: bool = False, manifest_path=None) -> dict:
    """Render reports start..start+n-1 into out_dir and write the manifest; returns the manifest
    (header plus `reports`, one entry per file)."""
    t0 = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    idents = plan_identities(seed, start, n)
    breaks = plan_breaks(seed, start, idents, broken_share)
    items = [(d, breaks.get(d.index), 0) for d in idents]
    entries = _run(out, seed, items, with_values, workers or os.cpu_count() or 1)
    manifest = _header(seed, start, n, broken_share, entries, time.perf_counter() - t0)
    write_manifest(manifest, Path(manifest_path) if manifest_path else out / "manifest.json")
    return manifest


def rewrite(out_dir, entries: list[dict], seed: int, variant: int = 1, workers: int | None = None,
            with_values: bool = False) -> list[dict]:
    """Re-render existing reports (same identity and break kind) with new numbers: a changed file."""
    idents = {e["index"]: e for e in entries}
    items = []
    ident_list = plan_identities(seed, min(idents), max(idents) - min(idents) + 1)
    for d in ident_list:
        if d.index in idents:
            e = idents[d.index]
            items.append((d, e["break"]["kind"] if e.get("break") else None, variant))
    return _run(Path(out_dir), seed, items, with_values, workers or os.cpu_count() or 1)


def _header(seed, start, n, share, entries, seconds) -> dict:
    from collections import Counter

    return {"generator_version": GENERATOR_VERSION, "seed": seed, "start": start, "n": n, "broken_share": share,
            "broken": sum(1 for e in entries if e["break"]),
            "by_format": dict(sorted(Counter(e["format"] for e in entries).items())),
            "by_layout": dict(sorted(Counter(e["layout"] for e in entries).items())),
            "bytes": sum(e["bytes"] for e in entries), "seconds": round(seconds, 3), "reports": entries}


def write_manifest(manifest: dict, path: Path) -> Path:
    """manifest.json (header + reports) for small corpora; for more than MANIFEST_JSON_MAX reports the
    header goes to manifest.json with `reports_file` and the entries to manifest.jsonl beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = manifest["reports"]
    if len(entries) <= MANIFEST_JSON_MAX:
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=0), encoding="utf-8")
        return path
    jl = path.with_suffix(".jsonl")
    with open(jl, "w", encoding="utf-8") as fh:
        for e in entries:
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    head = {k: v for k, v in manifest.items() if k != "reports"} | {"reports_file": jl.name}
    path.write_text(json.dumps(head, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@contextlib.contextmanager
def corpus_or_generated(folder: str | None, n: int, seed: int = 42, prefix: str = "corpus_") -> Iterator[Path]:
    """`folder` when one is given; else a temporary corpus of `n` generated reports (5 % broken,
    manifest beside it), removed afterwards."""
    if folder:
        yield Path(folder)
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        corpus = Path(tmp) / "landing"
        t = time.perf_counter()
        generate(corpus, n, seed, 0.05, manifest_path=Path(tmp) / "manifest.json")
        print(f"(generated {n} reports in {time.perf_counter() - t:.1f} s)")
        yield corpus


def load_manifest(path) -> dict:
    """Read a manifest written by write_manifest (a folder means its manifest.json)."""
    p = Path(path)
    if p.is_dir():
        p = p / "manifest.json"
    m = json.loads(p.read_text(encoding="utf-8"))
    if "reports_file" in m:
        with open(p.parent / m["reports_file"], encoding="utf-8") as fh:
            m["reports"] = [json.loads(line) for line in fh if line.strip()]
    return m


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output folder (a landing folder)")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--broken-share", type=float, default=0.05)
    ap.add_argument("--start", type=int, default=0, help="first report index (extend a corpus with new reports)")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    ap.add_argument("--with-values", action="store_true", help="write every printed value into the manifest")
    ap.add_argument("--manifest", default=None, help="manifest path (default OUT/manifest.json)")
    a = ap.parse_args(argv)
    m = generate(a.out, a.n, a.seed, a.broken_share, start=a.start, workers=a.workers, with_values=a.with_values,
                 manifest_path=a.manifest)
    mb = m["bytes"] / 1e6
    print(f"generated {m['n']} reports ({mb:.1f} MB, {m['bytes'] / max(1, m['n']) / 1024:.1f} KB avg) in {m['seconds']:.2f} s "
          f"= {m['n'] / max(m['seconds'], 1e-9):,.0f} reports/s; broken {m['broken']}; "
          f"formats {m['by_format']}; layouts {m['by_layout']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
