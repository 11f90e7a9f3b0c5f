"""Whole-body figures of new-era reports stated in prose (FORMATS.md top paragraph, §2.3 N1).

Each figure goes to the key of the table cell it would fill, in the `.total` applicant column
(or an applicant column when the sentence names one: 其中自然人申请12件):
  收到/新收/受理 … 申请 N件 → applications.new_received.total (+ 其中 applicant split)
  上年结转 N件 → applications.carried_over.total;  办结 N件 → applications.total_handled.total
  结转下年度 / 结转至2026年 N件 → applications.carried_forward.total
  行政复议 N件 (其中结果维持 a件、结果纠正 b件、其他结果 c件、尚未审结 d件) → review.*
`source='prose'`, `approx=True` with 余/多/约/近/左右. Left out: sub-unit sentences (各乡镇共收到…,
各县区…), 诉讼 without the direct/after-review split, outcome lists that do not add up, and
any key for which two sentences give different numbers (the cell is unclear).
"""
from __future__ import annotations

import re

from .newtables_text import squeezed
from .numbers import parse_number_text
from .records import Document, Metric, UnmappedCell

_NUM = r"(?P<pre>约|近|超过|逾)?(?P<n>\d+(?:,\d{3})*|[零〇一二两三四五六七八九十百千]+)(?P<post>余|多)?"
_UNIT = r"(?:件|起|宗|个|条)(?P<lr>左右)?"

_NEW = re.compile(
    r"(?:收到|新收|受理|接收|接到)(?:了)?(?:各类|群众|公众|社会公众)?(?:的)?(?:政府信息公开|依申请公开|信息公开)"
    r"(?:申请|事项)?(?:共|总计|合计|累计)?(?:计)?" + _NUM + _UNIT)
_NEW_WORDS = ("收到", "新收", "受理", "接收", "接到")      # every _NEW match starts with one
_CARRIED = re.compile(r"上年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?(?:共)?" + _NUM + _UNIT)
_HANDLED = re.compile(r"(?:办结|答复办结)(?:了)?(?:依申请公开事项|政府信息公开申请|申请|事项)?(?:共)?" + _NUM + _UNIT)
_HANDLED_WORDS = ("办结", "答复办结")
_FORWARD = re.compile(r"结转(?:至|到)?(?:下一?年度?|下年|\d{4}年度?)(?:继续办理|办理)?(?:的)?(?:申请)?(?:共)?" + _NUM + _UNIT)
_REVIEW = re.compile(r"行政复议(?:案件|申请)?(?:数量|数)?(?:共|为)?" + _NUM + _UNIT)
_OUTCOMES = {
    "upheld": re.compile(r"(?:结果)?维持(?:原行政行为|原具体行政行为)?" + _NUM + _UNIT),
    "corrected": re.compile(r"(?:结果)?(?:被)?(?:依法)?纠(?:正|错)" + _NUM + _UNIT),
    "other": re.compile(r"其他(?:结果|情形)" + _NUM + _UNIT),
    "pending": re.compile(r"尚未审结" + _NUM + _UNIT),
}
_APPLICANT = re.compile(
    r"(?P<who>自然人|公民|个人|法人或其他组织|法人|商业企业|企业|科研机构|社会公益组织|法律服务机构|律师|其他组织|其他)"
    r"(?:[(（](?P<paren>[^)）]{1,12})[)）])?(?:提出|申请|提交)*(?:申请)?" + _NUM + _UNIT)
_WHO = {"自然人": "natural_person", "公民": "natural_person", "个人": "natural_person",
        "法人或其他组织": "legal_subtotal", "商业企业": "commercial", "企业": "commercial",
        "科研机构": "research", "社会公益组织": "social_org", "法律服务机构": "legal_service",
        "律师": "legal_service", "其他组织": "other_org", "其他": "other_org"}
# a sentence about parts of the body, not the whole (各乡镇共收到…, 各县区…)
_SUBUNIT = re.compile(r"各(?:乡镇|乡|镇|县区|区县|县市区|县|区|街道|部门|单位|直属单位)|所属|下属|其中[^。]{0,6}(?:乡|镇|县|区|部门)")
_WHOLE = re.compile(r"全(?:省|市|州|县|区|镇|乡|旗)|本(?:机关|级|局|委|办|单位)|我(?:局|委|办|市|县|区|乡|镇)")
_PRIOR = re.compile(r"上年|去年|上一年|同比|较\d{4}年|比\d{4}年")
_SENT_END = "。；;！!？?"
_SENT_END_RE = re.compile(f"[{_SENT_END}]")
_UP_TO_LAST_END = re.compile(f"(?s:.*)[{_SENT_END}]")     # greedy: ends just after the last one
_PRIOR_CUT = re.compile(r"[,，、:：]")
_COMMA = re.compile(r"[,，]")


def extract_new_prose(doc: Document, fmt: str) -> tuple[list[Metric], list[UnmappedCell]]:
    sq = squeezed(doc.text)      # the tables' view, when the text has one
    p = sq.whole() if sq is not None else squeeze(doc.text)
    found: dict[str, list[Metric]] = {}

    def add(key: str, m: re.Match, sent: str, unit: str = "件") -> None:
        v = parse_number_text(m.group("n"))
        if v is None:
            return
        approx = bool(m.group("pre") or m.group("post") or m.group("lr"))
        found.setdefault(key, []).append(Metric(key, v, sent, label=m.group(0), source="prose",
                                                table_id="prose", unit=unit, approx=approx))

    for rx, words, key in ((_NEW, _NEW_WORDS, "applications.new_received.total"),
                           (_CARRIED, None, "applications.carried_over.total"),
                           (_HANDLED, _HANDLED_WORDS, "applications.total_handled.total"),
                           (_FORWARD, None, "applications.carried_forward.total")):
        for m in (_find_from(rx, words, p) if words else rx.finditer(p)):
            sent, off = _sentence(p, m.start(), m.end())
            if _is_subunit(sent[:off]) or (rx is not _CARRIED and _prior(sent[:off])):
                continue  # a part of the body, or last year's figure
            add(key, m, sent)
            if rx is _NEW:
                _applicants(sent[off + len(m.group(0)):], m, sent, add)
    for m in _REVIEW.finditer(p):
        sent, off = _sentence(p, m.start(), m.end())
        if _is_subunit(sent[:off]) or _prior(sent[:off]):
            continue
        add("review.total", m, sent)
        _outcomes(sent[off + len(m.group(0)):], m, sent, add)
    metrics: list[Metric] = []
    for key, ms in found.items():
        if len({x.value for x in ms}) == 1:
            metrics.append(ms[0])
    return metrics, []


def _find_from(rx: re.Pattern, words: tuple[str, ...], p: str) -> list[re.Match]:
    """`rx.finditer(p)` for a pattern each match of which starts with one of `words`: only the
    places where a word starts are tried (str.find skips through the text; the regex scan of a
    pattern that opens with an alternation tests every character)."""
    starts = set()
    for w in words:
        i = p.find(w)
        while i >= 0:
            starts.add(i)
            i = p.find(w, i + 1)
    out = []
    end = 0
    for i in sorted(starts):
        if i >= end:
            m = rx.match(p, i)
            if m:
                out.append(m)
                end = m.end()
    return out


def squeeze(text: str) -> str:
    """The text without whitespace and '|' (what `re.sub(r"[\\s|]+", "", text)` gives, by str
    methods: much faster on table text, where every cell ends a line; str.split and regex \\s
    share one definition of whitespace)."""
    return "".join(text.split()).replace("|", "")


def _sentence(p: str, a: int, b: int) -> tuple[str, int]:
    """The sentence around p[a:b] and the offset of a inside it: from just after the last
    sentence end within 300 characters before a (else from the start of p) to the first one
    within 300 characters after b (else 300 characters on)."""
    m = _UP_TO_LAST_END.match(p, max(0, a - 300), a)
    lo = m.end() if m else 0
    m = _SENT_END_RE.search(p, b, b + 300)
    hi = m.start() if m else min(len(p), b + 300)
    return p[lo:hi], a - lo


def _prior(prefix: str) -> bool:
    """Last year's figure: 上年/去年/同比 in the words of the same clause just before it."""
    clause = _PRIOR_CUT.split(prefix)[-1] if prefix else ""
    return bool(_PRIOR.search(clause[-12:]))


def _is_subunit(prefix: str) -> bool:
    # the subject is in the words just before the figure, within the clause
    clause = _COMMA.split(prefix)[-1] if prefix else ""
    scope = clause[-40:]
    return bool(_SUBUNIT.search(scope)) and not _WHOLE.search(scope)


def _applicants(rest: str, total_m: re.Match, sent: str, add) -> None:
    """其中自然人申请12件，法人（商业企业）申请3件 … right after the total, same sentence."""
    m0 = re.match(r"[,，:：]?(?:其中|包括)[,，:：]?", rest)
    if not m0:
        return
    tail = rest[m0.end():]
    # stop at the next clause that is not an applicant item
    seen = set()
    pos = 0
    while True:
        m = _APPLICANT.match(tail, pos)
        if not m:
            break
        who = m.group("who")
        col = _WHO.get(who, "legal_subtotal")
        paren = m.group("paren") or ""
        if who in ("法人", "法人或其他组织", "法律服务机构", "其他组织", "其他", "企业") and paren:
            named = [n for n in ("商业企业", "科研机构", "社会公益组织", "法律服务机构") if n in paren]
            if len(named) == 1:
                col = _WHO[named[0]]
            elif who in ("法人", "法人或其他组织"):
                col = None  # a parenthesis that names no single column: unclear
        if col and col not in seen:
            seen.add(col)
            add(f"applications.new_received.{col}", m, sent)
        pos = m.end()
        sep = re.match(r"[,，、;；]", tail[pos:pos + 1])
        if not sep:
            break
        pos += 1


def _outcomes(rest: str, total_m: re.Match, sent: str, add) -> None:
    """其中：结果维持0件、结果纠错0件、其他结果7件、尚未审结0件 (same sentence, before any 诉讼)."""
    cut = rest.find("诉讼")
    part = rest if cut < 0 else rest[:cut]
    if not re.match(r"[,，:：]?(?:其中|包括)", part):
        return
    got = {}
    for k, rx in _OUTCOMES.items():
        m = rx.search(part)
        if m:
            got[k] = m
    total = parse_number_text(total_m.group("n"))
    vals = {k: parse_number_text(m.group("n")) for k, m in got.items()}
    if len(got) == 4 and total is not None and abs(sum(vals.values()) - total) < 1e-6:
        for k, m in got.items():
            add(f"review.{k}", m, sent)
