"""Row and column labels of Tables 2-4 (FORMATS.md §1.1-1.3), as regexes over squeezed text.

Patterns match the text with whitespace and '|' removed but punctuation kept, so each
pattern allows the bracket/enumerator variants: （三） (三) 三、, 1. 1、 （1）.
"""
from __future__ import annotations

import re

_P = r"[(（]?"
_Q = r"[)）]?[、.．]?"


def _enum(n: int) -> str:
    # enumerator of a sub-row: '1.' '1、' '（1）' (never a bare digit: it could be a value)
    return rf"(?:[(（]{n}[)）]|{n}[.、．])?"


def _grp(cn: str) -> str:
    return rf"(?:{_P}{cn}{_Q})?"


# ---- Table 3 rows: (row id, regex). Group labels carry the subtotal key (printed subtotal rows).
T3_ROWS: list[tuple[str, str]] = [
    ("new_received", r"(?:一[、.．]?)?本年新收[^\d。]{0,12}?申请(?:数量|数)?"),
    ("carried_over", r"(?:二[、.．]?)?上年结转[^\d。]{0,12}?申请(?:数量|数)?"),
    ("@results", r"(?:三[、.．]?)?本年度办理结果"),
    ("granted", _grp("一") + r"予以公开"),
    ("partial", _grp("二") + r"部分公开(?:[(（][^)）\d]{0,30}[)）])?"),
    ("denied_total", _grp("三") + r"不予公开"),
    ("denied_state_secret", _enum(1) + r"属于国家秘密"),
    ("denied_law_prohibited", _enum(2) + r"其他法律行政法规禁止公开"),
    ("denied_three_safety", _enum(3) + r"危及[^\d]{0,2}三安全一稳定[^\d]{0,2}"),
    ("denied_third_party", _enum(4) + r"保护第三方合法权益"),
    ("denied_internal_affairs", _enum(5) + r"属于三类内部事务信息"),
    ("denied_process_info", _enum(6) + r"属于四类过程性信息"),
    ("denied_enforcement_file", _enum(7) + r"属于行政执法案卷"),
    ("denied_query_matter", _enum(8) + r"属于行政查询事项"),
    ("@sub_denied", r"小计"),
    ("unable_total", _grp("四") + r"无法提供"),
    ("unable_not_held", _enum(1) + r"本机关不掌握相关政府信息"),
    ("unable_need_creation", _enum(2) + r"没有现成信息需要另行制作"),
    ("unable_unclear", _enum(3) + r"补正后申请内容仍不明确"),
    ("@sub_unable", r"小计"),
    ("rejected_total", _grp("五") + r"不予处理"),
    ("rejected_petition", _enum(1) + r"信访举报投诉类申请"),
    ("rejected_duplicate", _enum(2) + r"重复申请"),
    ("rejected_publication", _enum(3) + r"要求提供公开出版物"),
    ("rejected_excessive", _enum(4) + r"无正当理由大量反复申请"),
    ("rejected_confirm", _enum(5) + r"要求行政机关确认或重新出具已获取信息"),
    ("@sub_rejected", r"小计"),
    ("other", _grp("六") + r"其他处理"),
    ("other_no_correction", _enum(1) + r"申请人无正当理由逾期不补正[^\d]{0,40}?申请"),
    ("other_no_fee", _enum(2) + r"申请人逾期未按收费通知要求缴纳费用[^\d]{0,40}?申请"),
    ("other_other", r"(?:[(（]3[)）]|3[.、．])其他"),
    ("@sub_other", r"小计"),
    ("total_handled", _grp("七") + r"总计"),
    ("carried_forward", r"(?:四[、.．]?)?结转下年度继续办理"),
]
SUBTOTAL_OF = {"@sub_denied": "denied_total", "@sub_unable": "unable_total",
               "@sub_rejected": "rejected_total", "@sub_other": "other"}
T3_INDEX = {rid: i for i, (rid, _) in enumerate(T3_ROWS)}
T3_RE = re.compile("|".join(f"(?P<r{i}>{p})" for i, (_, p) in enumerate(T3_ROWS)))

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
T2_RE = re.compile("|".join(f"(?P<r{i}>{p})" for i, (_, p) in enumerate(T2_ROWS)))
T2_START_RE = re.compile(r"第二十条第[^项]{1,6}项|信息内容")
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
M2021 = re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年收费金额")
M2019 = re.compile(r"本年新制?作数量|本年新公开数量|对外公开总数量|上一年项目数量|采购项目数量|政府集中采购|其他对外管理服务事项")
M2021_T3 = re.compile(r"逾期不补正|逾期未按收费")
T3_PRESENT = re.compile(r"本年新收[^\d。]{0,12}?申请(?:数量|数)")
T4_HEAD = re.compile(r"结果维持")
T4_WORDS = re.compile(r"行政复议|行政诉讼|结果维持|结果纠正|其他结果|尚未审结|总计|未经复议直接起诉|复议后起诉|[(（]件[)）]")
T4_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
T4_COLS = ("upheld", "corrected", "other", "pending", "total")
T4_COL_LABEL = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                "total": "总计"}
T4_BLOCK_LABEL = {"review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
                  "litigation_after_review": "行政诉讼·复议后起诉"}
