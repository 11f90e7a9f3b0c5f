"""Row and column labels of Tables 2-4 (FORMATS.md §1.1-1.3), as regexes over squeezed text.

Patterns match the text with whitespace and '|' removed but punctuation kept, so each
pattern allows the bracket/enumerator variants: （三） (三) 三、, 1. 1、 （1）.
"""
from __future__ import annotations

import re

# ---- Table 3 rows, in table order: (row id, core literal, prefix regex, prefix required).
# The core literals are found with one literal alternation (fast); the prefix (enumerator,
# group numeral, the words before the core) is matched backwards from the core, so that the
# previous row's cells end where this label starts. Group labels carry the subtotal key
# (a printed subtotal row, R3.7); '@' rows have no key.
def _sub(n: int, words: str = "") -> str:
    return rf"(?:[(（]{n}[)）]|{n}[.、．])?{words}$"


_CN_ARABIC = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}


def _grpb(cn: str, words: str = "") -> str:
    d = _CN_ARABIC[cn]
    return rf"(?:[(（]{d}[)）]|[(（]?{cn}[)）]?[、.．]?)?{words}$"


T3_ROWS: list[tuple[str, str, str | None, bool]] = [
    ("new_received", "本年新收", _grpb("一"), False),
    ("carried_over", "上年结转", _grpb("二"), False),
    ("@results", "本年度办理结果", _grpb("三"), False),
    ("granted", "予以公开", _grpb("一"), False),
    ("partial", "部分公开", _grpb("二"), False),
    ("denied_total", "不予公开", _grpb("三"), False),
    ("denied_state_secret", "属于国家秘密", _sub(1), False),
    ("denied_law_prohibited", "其他法律行政法规禁止公开", _sub(2), False),
    ("denied_three_safety", "三安全一稳定", _sub(3, r"危及[\"“”'‘]?"), False),
    ("denied_third_party", "保护第三方合法权益", _sub(4), False),
    ("denied_internal_affairs", "属于三类内部事务信息", _sub(5), False),
    ("denied_process_info", "属于四类过程性信息", _sub(6), False),
    ("denied_enforcement_file", "属于行政执法案卷", _sub(7), False),
    ("denied_query_matter", "属于行政查询事项", _sub(8), False),
    ("@sub_denied", "小计", None, False),
    ("unable_total", "无法提供", _grpb("四"), False),
    ("unable_not_held", "本机关不掌握相关政府信息", _sub(1), False),
    ("unable_need_creation", "没有现成信息需要另行制作", _sub(2), False),
    ("unable_unclear", "补正后申请内容仍不明确", _sub(3), False),
    ("@sub_unable", "小计", None, False),
    ("rejected_total", "不予处理", _grpb("五"), False),
    ("rejected_petition", "信访举报投诉类申请", _sub(1), False),
    ("rejected_duplicate", "重复申请", _sub(2), False),
    ("rejected_publication", "要求提供公开出版物", _sub(3), False),
    ("rejected_excessive", "无正当理由大量反复申请", _sub(4), False),
    ("rejected_confirm", "要求行政机关确认或重新出具已获取信息", _sub(5), False),
    ("@sub_rejected", "小计", None, False),
    ("other", "其他处理", _grpb("六"), False),
    ("other_no_correction", "逾期不补正", _sub(1, "(?:申请人)?(?:无正当理由)?"), False),
    ("other_no_fee", "逾期未按收费", _sub(2, "(?:申请人)?"), False),
    ("other_other", "其他", r"(?:[(（]3[)）]|3[.、．])$", True),
    ("@sub_other", "小计", None, False),
    ("total_handled", "总计", _grpb("七"), False),
    ("carried_forward", "结转下年度继续办理", _grpb("四"), False),
]
# the enumerator digit of each sub-row (1.属于国家秘密); ① becomes a bare 1 after NFKC
T3_ENUM = {rid: i + 1 for subs in (
    ("denied_state_secret", "denied_law_prohibited", "denied_three_safety", "denied_third_party",
     "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_query_matter"),
    ("unable_not_held", "unable_need_creation", "unable_unclear"),
    ("rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive", "rejected_confirm"),
    ("other_no_correction", "other_no_fee", "other_other")) for i, rid in enumerate(subs)}
SUBTOTAL_OF = {"@sub_denied": "denied_total", "@sub_unable": "unable_total",
               "@sub_rejected": "rejected_total", "@sub_other": "other"}
T3_INDEX = {r[0]: i for i, r in enumerate(T3_ROWS)}
# literal -> candidate rows (小计 serves every group; the caller picks by position)
T3_BY_LIT: dict[str, list[int]] = {}
for _i, _r in enumerate(T3_ROWS):
    T3_BY_LIT.setdefault(_r[1], []).append(_i)
T3_BACK = [re.compile(r[2]) if r[2] else None for r in T3_ROWS]
_lits = sorted(T3_BY_LIT, key=len, reverse=True)
T3_RE = re.compile("|".join(re.escape(x) for x in _lits))

GROUPS = {
    "denied_total": ["denied_state_secret", "denied_law_prohibited", "denied_three_safety",
                     "denied_third_party", "denied_internal_affairs", "denied_process_info",
                     "denied_enforcement_file", "denied_query_matter"],
    "unable_total": ["unable_not_held", "unable_need_creation", "unable_unclear"],
    "rejected_total": ["rejected_petition", "rejected_duplicate", "rejected_publication",
                       "rejected_excessive", "rejected_confirm"],
    "other": ["other_no_correction", "other_no_fee", "other_other"],
}

# ---- Table 3 columns (header names, squeezed)
T3_COL_RE = re.compile(r"法人或其他组织|社会公益组织|法律服务机构|商业企业|科研机构|自然人|总计|合计|小计|其他")
T3_TOP = {"自然人": "natural_person", "总计": "total", "合计": "total"}
T3_SUB = {"商业企业": "commercial", "科研机构": "research", "社会公益组织": "social_org",
          "法律服务机构": "legal_service", "其他": "other_org", "小计": "legal_subtotal"}
T3_DEFAULT_COLS = ["natural_person", "commercial", "research", "social_org", "legal_service",
                   "other_org", "total"]
COL_LABEL = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
             "social_org": "社会公益组织", "legal_service": "法律服务机构", "other_org": "其他",
             "legal_subtotal": "法人或其他组织", "total": "总计"}

# ---- Table 2 rows and the columns of each format
T2_ROWS: list[tuple[str, str]] = [
    ("rules", r"规章"),
    ("normative_docs", r"(?:行政)?规范性(?:文件|档案)"),
    ("admin_license", r"行政许可"),
    ("other_admin_services", r"其他对外管理服务事项"),
    ("admin_penalty", r"行政处罚"),
    ("admin_enforcement", r"行政强制"),
    ("admin_fees", r"行政事业性收费"),
    ("gov_procurement", r"政府集中采购"),
    ("@heading", r"第二十条第[^项]{1,6}项"),
    ("@info", r"信息内容"),
]
T2_RE = re.compile(r"(?=[规行其政第信])(?:" + "|".join(f"(?P<r{i}>{p})" for i, (_, p) in enumerate(T2_ROWS)) + ")")
# the table starts at its first sub-table heading (followed by 信息内容) or at 信息内容
_T2_COLS = r"(?:本年新|本年制发|上一年项目|本年处理决定|处理决定数量|本年收费|采购项目)"
T2_START_RE = re.compile(rf"第二十条第[^项]{{1,6}}项(?=.{{0,6}}信息内容.{{0,8}}{_T2_COLS})|信息内容(?=.{{0,8}}{_T2_COLS})")
T2_COLUMNS = {
    "trial_2019": {
        "rules": ["made", "published", "total_public"],
        "normative_docs": ["made", "published", "total_public"],
        "admin_license": ["prev_count", "change", "decisions"],
        "other_admin_services": ["prev_count", "change", "decisions"],
        "admin_penalty": ["prev_count", "change", "decisions"],
        "admin_enforcement": ["prev_count", "change", "decisions"],
        "admin_fees": ["prev_count", "change"],
        "gov_procurement": ["procurement_count", "procurement_amount"],
    },
    "format_2021": {
        "rules": ["issued", "repealed", "in_force"],
        "normative_docs": ["issued", "repealed", "in_force"],
        "admin_license": ["decisions"],
        "admin_penalty": ["decisions"],
        "admin_enforcement": ["decisions"],
        "admin_fees": ["fee_amount"],
    },
}
T2_COL_LABEL = {"made": "本年新制作数量", "published": "本年新公开数量", "total_public": "对外公开总数量",
                "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
                "prev_count": "上一年项目数量", "change": "本年增/减", "decisions": "处理决定数量",
                "fee_amount": "本年收费金额(单位:万元)", "procurement_count": "采购项目数量",
                "procurement_amount": "采购总金额"}
T2_ROW_LABEL = {"rules": "规章", "normative_docs": "规范性文件", "admin_license": "行政许可",
                "other_admin_services": "其他对外管理服务事项", "admin_penalty": "行政处罚",
                "admin_enforcement": "行政强制", "admin_fees": "行政事业性收费",
                "gov_procurement": "政府集中采购"}
HEADER_UNIT_RE = re.compile(r"[(（](?:单位[:：])?(万元|元)[)）]")

# ---- Format markers
# Words of each format's table 2, counted where table 2 starts. No word ends with the start of
# another, but for 政府集中采购 and 采购项目数量 (采购): printed as one (M2019_OVERLAP) they are one
# marker, so the number of markers is the sum of the words' counts less the overlaps'.
M2021_WORDS = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额")
M2019_WORDS = ("本年新制作数量", "本年新作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量",
               "政府集中采购", "其他对外管理服务事项")
M2019_OVERLAP = "政府集中采购项目数量"
M2021 = re.compile("|".join(M2021_WORDS))       # the same markers, one match each
M2019 = re.compile("|".join(M2019_WORDS))
M2021_T3 = re.compile(r"逾期不补正|逾期未按收费")
T3_PRESENT = re.compile(r"本年新收[^\d。]{0,12}?申请(?:数量|数)")
T4_HEAD = re.compile(r"结果维持")
T4_WORDS = re.compile(r"行政复议|行政诉讼|结果维持|结果纠正|其他结果|尚未审结|总计|未经复议直接起诉|复议后起诉|\(件\)|\(件）|（件\)|（件）")
T4_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
T4_COLS = ("upheld", "corrected", "other", "pending", "total")
T4_COL_LABEL = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                "total": "总计"}
T4_BLOCK_LABEL = {"review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
                  "litigation_after_review": "行政诉讼·复议后起诉"}
