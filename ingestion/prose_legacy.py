"""Whole-body prose figures of pre-2019 reports (`source='prose'`, `legacy.*` keys).

The body (header block, pipe rows and the statistical table left out) is flattened, split into
sentences (。！？) and clauses (，；), and each clause is matched against ordered rules
(`_RULES`: keyword + number + unit). Section headings (三、依申请公开…情况) give the context:
reply and request rules only fire in the application section (or a sentence naming 申请),
proactive rules never do.

Kept out, because the figure is not the body's or not the key's:
- sub-unit clauses (四区三县, 各县区, 市直部门, 各乡镇, 其中市政府 …), and every clause after one
  in the same sentence, unless the sub-units are named as the whole (全县各镇街, or three and
  more of them listed); a key met in a sub-unit clause of a sentence is dropped altogether
  (a figure split between the body and its sub-units is ambiguous);
- cumulative clauses (累计 / 历年 in a sentence that reaches back: 以来, 截至, 历年), and
  multi-year spans (2005-2008年);
- round approximations (80余条, 100多场次, 1万多人次) and 万 figures with decimals; other
  approximations (100738余条) are kept with approx=True;
- a key given two different values in the body.

Explicit zeros: 未收到…申请, 没有…行政复议/诉讼, 未收取费用 …, and a list of topics closed by
我局无此类情况.
"""
from __future__ import annotations

import dataclasses
import operator
import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from .normalize import text_lines
from .numbers import parse_number_text
from .records import Document, Metric, UnmappedCell

_CN = "零〇一二两三四五六七八九十百千"
_UNIT = r"万元|人次|场次|条|件|次|场|期|篇|个|人|起|宗|处|份|元"
N = (rf"(?P<pre>约|近|超过|逾)?(?P<num>\d+(?:\.\d+)?|[{_CN}]+)(?P<mult>万(?!元)|亿)?(?P<ap>余|多)?"
     rf"(?P<unit>{_UNIT})(?P<ap2>左右)?")
_GAP = r"[^，,；;。\d]"

# context: 'apply' = only in the application section, 'notapply' = never there, None = anywhere
_RULE_SPECS: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    # --- replies (application section)
    ("legacy.replies_already_public", rf"(?:属于)?已主动公开(?:范围)?(?:的)?(?:信息)?{N}", "apply", ("件", "条")),
    ("legacy.replies_partial", rf"同意部分公开(?:答复)?{N}||部分公开(?<!同意部分公开){N}", "apply", ("件", "条")),
    ("legacy.replies_denied", rf"不同意公开(?:答复)?{N}||不予公开(?:答复)?{N}||{N}不予公开答复", "apply", ("件", "条")),
    ("legacy.replies_granted", rf"同意(?:全部)?公开(?:答复)?{N}||予以(?<!不予以)(?:全部)?公开{N}", "apply", ("件", "条")),
    ("legacy.denied_not_gov_info", rf"不是《?条例》?所指(?:的)?政府信息{N}", "apply", ("件", "条")),
    ("legacy.replies_not_this_agency", rf"(?:不属于本(?:行政)?机关(?:公开)?(?:范围)?|非本(?:行政)?机关(?:掌握)?){N}", "apply", ("件", "条")),
    ("legacy.replies_not_exist", rf"信息不存在{N}", "apply", ("件", "条")),
    ("legacy.replies_needs_clarification", rf"告知作出更改补充{N}", "apply", ("件", "条")),
    ("legacy.replies_other_channel", rf"告知通过其他途径(?:办理)?{N}", "apply", ("件", "条")),
    ("legacy.replies_total", rf"已答复{N}", "apply", ("件", "条")),
    ("legacy.requests_closed_on_time", rf"按时办结{N}", "apply", ("件", "条")),
    ("legacy.requests_closed_extended", rf"延期办结{N}", "apply", ("件", "条")),
    ("legacy.requests_closed", rf"办结(?<![按期]办结){N}", "apply", ("件", "条")),
    # --- request channels
    ("legacy.requests_in_person", rf"(?:当面|现场)(?:提交|申请|提出){N}", "apply", ("件", "条")),
    ("legacy.requests_fax", rf"传真(?:提交|申请)?{N}", "apply", ("件", "条")),
    ("legacy.requests_email", rf"电子邮件(?:提交|申请)?{N}", "apply", ("件", "条")),
    ("legacy.requests_online", rf"(?:网上|网络|互联网)(?:提交|申请){N}", "apply", ("件", "条")),
    ("legacy.requests_letter", rf"信函(?:提交|申请)?{N}", "apply", ("件", "条")),
    ("legacy.requests_received",
     rf"(?:收到|受理|接到|接收){_GAP}{{0,24}}?(?:申请|依申请公开){_GAP}{{0,8}}?{N}||(?:收到|受理){_GAP}{{0,8}}?{N}{_GAP}{{0,4}}申请",
     None, ("件", "条", "宗", "个")),
    # --- review / litigation
    ("legacy.review_total", rf"行政复议(?:申请)?(?:案件)?(?:共)?{N}", None, ("件", "起", "宗", "个")),
    ("legacy.litigation_total", rf"(?:行政诉讼|提起诉讼)(?:案件)?(?:共)?{N}", None, ("件", "起", "宗", "个")),
    # --- responses and interpretation
    ("legacy.social_media_responses", rf"微博微信回应(?:事件)?{N}", "notapply", ("次", "件", "条")),
    ("legacy.other_responses", rf"其他方式回应(?:事件)?{N}", "notapply", ("次", "件", "条")),
    ("legacy.hotspot_responses", rf"回应(?:公众)?关注热点(?:和|或|及)?(?:重大)?舆情{N}", "notapply", ("次", "件", "条")),
    ("legacy.press_conferences",
     rf"(?:召开|举办|举行){_GAP}{{0,14}}?新闻发布(?:会|活动){_GAP}{{0,4}}?{N}||(?:召开|举办|举行){N}{_GAP}{{0,2}}新闻发布会||新闻发布会{N}",
     "notapply", ("次", "场次", "场", "期")),
    ("legacy.online_interviews", rf"在线访谈{_GAP}{{0,8}}?{N}||{N}{_GAP}{{0,3}}在线访谈", "notapply", ("期", "次", "场")),
    ("legacy.policy_interpretations",
     rf"政策解读(?:稿件|稿|文章|材料)?(?:发布)?{N}||{N}政策解读", "notapply", ("条", "篇", "件", "期", "次")),
    # --- normative documents
    ("legacy.normative_docs_issued",
     rf"(?:制定|制发|印发)(?:了)?{N}(?:行政)?规范性文件||(?:制定|制发)(?:行政)?规范性文件{N}", "notapply", ("件", "份", "个")),
    ("legacy.proactive_normative_docs", rf"主动公开(?:行政)?规范性文件{N}", "notapply", ("件", "份", "条", "个")),
    # --- channels (before the total: 通过网站主动公开政府信息…条 is the website figure)
    ("legacy.channel_gazette", rf"政府公报{N}||公报{_GAP}{{0,12}}?(?:公开|发布)(?:的)?(?:各类)?{_GAP}{{0,4}}?(?:政府)?(?:信息)?(?:达|共)?{N}", "notapply", ("条", "件")),
    ("legacy.channel_website",
     rf"(?:政府|门户)网站{N}||(?:网站|信息网|门户网){_GAP}{{0,12}}?(?:主动)?(?:公开|发布)(?:的)?(?:各类)?(?:政府)?(?:信息)?(?:达|共)?{N}", "notapply", ("条", "件")),
    ("legacy.channel_weibo", rf"政务微博{N}||微博{_GAP}{{0,12}}?(?:公开|发布)(?:的)?(?:各类)?{_GAP}{{0,4}}?(?:政府)?(?:信息)?(?:达|共)?{N}", "notapply", ("条", "件")),
    ("legacy.channel_wechat", rf"政务微信{N}||微信{_GAP}{{0,12}}?(?:公开|发布|推送)(?:的)?(?:各类)?{_GAP}{{0,4}}?(?:政府)?(?:信息)?(?:达|共)?{N}", "notapply", ("条", "件")),
    ("legacy.channel_other", rf"其他(?:方式|形式|渠道){_GAP}{{0,4}}?(?:公开)?(?:的)?(?:政府)?(?:信息)?{N}", "notapply", ("条", "件")),
    ("legacy.proactive_total",
     rf"主动公开(?:各类)?(?:政府)?(?:信息|文件)?(?:共计|共|达)?{N}||公开(?:各类)?政府信息(?:共计|共|达)?{N}||"
     rf"(?:共|全年)(?:更新)?(?:发布|公开)(?:了)?{N}(?:政府)?信息",
     "notapply", ("条", "件")),
    # --- staff, reading points, meetings, training
    ("legacy.staff_full_time", rf"专职(?:人员)?{N}", None, ("人",)),
    ("legacy.staff_part_time", rf"兼职(?:人员)?{N}", None, ("人",)),
    ("legacy.staff_total", rf"工作人员{N}", None, ("人",)),
    ("legacy.reading_points", rf"查阅(?:场所|点|中心|室){_GAP}{{0,4}}?{N}", None, ("个", "处")),
    ("legacy.dedicated_units", rf"专门(?:工作)?机构{_GAP}{{0,4}}?{N}", None, ("个",)),
    ("legacy.special_budget", rf"专项(?:工作)?经费{_GAP}{{0,4}}?{N}", None, ("万元",)),
    ("legacy.meetings", rf"(?:召开|举办){_GAP}{{0,16}}?(?:工作会议|专题会议){_GAP}{{0,4}}?{N}", None, ("次", "场", "场次")),
    ("legacy.trainings", rf"举办{_GAP}{{0,16}}?培训(?:班|会)?{_GAP}{{0,4}}?{N}", None, ("次", "场次", "期", "场", "个")),
    ("legacy.trainees", rf"(?:接受培训|参加(?:学习)?培训|培训)(?:人数|人员)?{_GAP}{{0,4}}?{N}", None, ("人次", "人")),
]
# literal words one of which a clause must hold before a rule's patterns are tried (speed)
_KW = {
    "legacy.replies_already_public": ("已主动公开",), "legacy.replies_partial": ("部分公开",),
    "legacy.replies_denied": ("不同意公开", "不予公开"), "legacy.replies_granted": ("同意", "予以"),
    "legacy.denied_not_gov_info": ("所指",), "legacy.replies_not_this_agency": ("不属于本", "非本"),
    "legacy.replies_not_exist": ("不存在",), "legacy.replies_needs_clarification": ("更改补充",),
    "legacy.replies_other_channel": ("其他途径",), "legacy.replies_total": ("已答复",),
    "legacy.requests_closed_on_time": ("按时办结",), "legacy.requests_closed_extended": ("延期办结",),
    "legacy.requests_closed": ("办结",),
    "legacy.requests_in_person": ("当面", "现场"), "legacy.requests_fax": ("传真",), "legacy.requests_email": ("电子邮件",),
    "legacy.requests_online": ("网上", "网络", "互联网"), "legacy.requests_letter": ("信函",),
    "legacy.requests_received": ("收到", "受理", "接到", "接收"), "legacy.review_total": ("复议",),
    "legacy.litigation_total": ("诉讼",), "legacy.social_media_responses": ("微博微信",),
    "legacy.other_responses": ("其他方式回应",), "legacy.hotspot_responses": ("热点",),
    "legacy.press_conferences": ("新闻发布",), "legacy.online_interviews": ("在线访谈",),
    "legacy.policy_interpretations": ("政策解读",), "legacy.normative_docs_issued": ("规范性文件",),
    "legacy.proactive_normative_docs": ("规范性文件",), "legacy.channel_gazette": ("公报",),
    "legacy.channel_website": ("网",), "legacy.channel_weibo": ("微博",), "legacy.channel_wechat": ("微信",),
    "legacy.channel_other": ("其他",), "legacy.proactive_total": ("公开", "发布"), "legacy.staff_full_time": ("专职",),
    "legacy.staff_part_time": ("兼职",), "legacy.staff_total": ("工作人员",), "legacy.reading_points": ("查阅",),
    "legacy.meetings": ("会议",), "legacy.dedicated_units": ("专门",), "legacy.special_budget": ("专项",), "legacy.trainings": ("培训",), "legacy.trainees": ("培训",),
}
_RULES = [(k, [re.compile(a) for a in p.split("||")], ctx, units, _KW[k]) for k, p, ctx, units in _RULE_SPECS]
_ALL_WORDS = tuple(sorted({w for ws in _KW.values() for w in ws}))
_RULES_OF_WORD = {w: frozenset(i for i, r in enumerate(_RULES) if w in r[4]) for w in _ALL_WORDS}
# The rule words of a clause, by one scan: `_WORD_SCAN` finds the longest word at each place it
# reaches, and resumes after it. A word it passes over is either inside a found one (so its rules
# are in `_RULES_WITHIN` of that one) or begins inside it and runs past its end (`_OVERLAPS`,
# 互联网上 → 网上: tested with `in`).
_WORD_SCAN = re.compile("|".join(sorted(_ALL_WORDS, key=lambda w: (-len(w), w))))
_RULES_WITHIN = {w: frozenset().union(*(_RULES_OF_WORD[v] for v in _ALL_WORDS if v in w)) for w in _ALL_WORDS}
_OVERLAPS = {w: tuple(v for v in _ALL_WORDS if v not in w and any(v.startswith(w[k:]) for k in range(1, len(w))))
             for w in _ALL_WORDS}
# a figure somewhere: numeral [万亿]? [余多]? unit. Only ever tested for existence, so it is
# matched from its unit back (units are rarer than numerals: far fewer attempts per text)
_FIG_UNIT = "[万人场条件次期篇个起宗处份元]"
_FIG_NUM = rf"[\d{_CN}]"
_HAS_FIGURE = re.compile(
    rf"{_FIG_UNIT}(?:(?<={_FIG_NUM}{_FIG_UNIT})|(?<={_FIG_NUM}[万亿]{_FIG_UNIT})|(?<={_FIG_NUM}[余多]{_FIG_UNIT})"
    rf"|(?<={_FIG_NUM}[万亿][余多]{_FIG_UNIT}))")
_APPLY_SENTENCE = re.compile(r"(?:收到|受理|接到|办理|答复)[^，,；;。]{0,12}申请|申请[^，,；;。]{0,6}(?:答复|办理)")
_APPLY_VERBS = ("收到", "受理", "接到", "办理", "答复")     # one is in every _APPLY_SENTENCE match, and 申请
_NORM_PUBLISHED = re.compile(rf"^(?:其中)?(?:已)?主动公开{N}")
# words tested with `in` (_has_any): a search for an alternation of plain words finds one exactly
# when one of them is in the text, and a few in-tests of a short clause are cheaper than its scan
_NOT_REQUEST_WORDS = ("复议", "诉讼", "咨询", "诉求", "热线", "信箱", "投诉", "审批", "许可", "办件", "来信", "来访", "留言")
_THIS_YEAR_WORDS = ("本年", "今年", "当年")
_CHANNEL_KEYS = {"legacy.channel_gazette": "公报", "legacy.channel_website": "网", "legacy.channel_weibo": "微博",
                 "legacy.channel_wechat": "微信", "legacy.channel_other": "其他"}
_CHANNEL_WORD = re.compile(r"公报|网站|信息网|门户网|微博|微信|其他方式|其他形式|其他渠道")
_PROACTIVE_EXCLUDE = re.compile(
    r"电子文档|电子化|清理|依申请|制作|获取|送交|栏目|专栏|点击|访问|回复|报刊|广播|电视|新闻|公开栏|公告栏|宣传栏|媒体|档案馆|图书馆|载体|平台|"
    r"领域|方面|围绕|涉及|重点|专项|专题")
_CHANNEL_EXCLUDE_WORDS = ("在线访谈", "访问量", "点击", "栏目", "专栏", "回应")
_YEAR_SPAN = re.compile(r"(?:19|20)\d{2}\s*[-—–~至到]\s*(?:19|20)?\d{2,4}\s*年")
_SPAN_DASHES = tuple("-—–~至到")      # one of them is in every _YEAR_SPAN
_CUM_CLAUSE_WORDS = ("累计", "历年", "以来")
_CUM_SENTENCE_WORDS = ("以来", "截至", "截止", "历年", "历史")


def _has_any(s: str, words: tuple[str, ...]) -> bool:
    """One of the words is in s (plain `in` tests: cheaper than a regex alternation)."""
    for w in words:
        if w in s:
            return True
    return False


def _has_all(s: str, words: tuple[str, ...]) -> bool:
    """Every one of the words is in s."""
    for w in words:
        if w not in s:
            return False
    return True


_SUB_UNIT = re.compile(
    r"[一二三四五六七八九十两\d]+(?:区|县|市)[一二三四五六七八九十两\d]+(?:区|县|市)|各县(?:市)?区|各区县|各县[(（][^)）]{1,6}[)）]|"
    r"各县市|县市区|各乡镇|各镇街|各街道|各乡[(（]|各乡|各镇|(?:市|县|区)直(?:各)?(?:部门|单位)|(?:市|县|区)本级|(?:市|县|区)级(?:各)?(?:部门|单位)|"
    r"其中(?:市|县|区)政府|乡镇(?:街道)?(?:政府)?和|各(?:县|区)政府")
# a character every _SUB_UNIT match holds, with what stands around it in that match: 各 before
# [县区乡镇街], [市县区] before 直, 级 or 本级, 其 before 中[市县区]政府, 乡 before 镇, a numeral
# before [区县市], or 县市区 (one leading class, so the scan is one fast pass; 其他, 各级, 直接 … are
# not taken, so most clauses are not searched for _SUB_UNIT at all)
_SUB_CHARS = re.compile(
    r"[各直级其乡区县市](?:(?<=各)(?=[县区乡镇街])|(?<=[市县区][直级])|(?<=[市县区]本级)|(?<=其)(?=中[市县区]政府)"
    r"|(?<=乡)(?=镇)|(?<=[一二三四五六七八九十两\d][区县市])|(?<=县)(?=市区))")
_WHOLE_BEFORE = re.compile(r"全(?:省|市|州|县|区|盟|旗)[^，,；;。]{0,3}$")
_HEADING = re.compile(r"([一二三四五六七八九十]{1,2}、[^。；;，,\n]{2,40}?(?:情况|措施|问题|概述|事项|附表|说明))")
# _HEADING found from its 、 (a literal first, so the scan jumps between them); the numerals before
# it are added back by `_headings`
_CN_ENUM = frozenset("一二三四五六七八九十")
_HEADING_AT = re.compile(r"、(?<=[一二三四五六七八九十]、)[^。；;，,\n]{2,40}?(?:情况|措施|问题|概述|事项|附表|说明)")
_SENT = re.compile(r"[^。！？!?]+[。！？!?]?")
# patterns open with a literal (a lookbehind after it) so that a scan jumps between candidates
_LIST_SEP = re.compile(r"、(?<=[条件次篇个期场%]、)")
_CLAUSE = re.compile(r"[^，,；;]+[，,；;]?")

# explicit zeros
_NEG = r"(?:未(?!来|经)|没有|无(?!论|法|需|须|偿|关)|尚未|均未|均没有|不存在|并未|从未)"
# (key, pattern, words one of which every match of the pattern holds: a clause without any is
# not searched, since these patterns open with no literal and their scan tests every character)
_ZERO_RULES = [
    ("legacy.requests_received", re.compile(rf"{_NEG}(?:收到|接到|受理|发生|接收)[^。；;，,复诉\d]{{0,30}}申请"), ("申请",)),
    ("legacy.review_total", re.compile(rf"{_NEG}[^。；;，,\d]{{0,40}}?复议"), ("复议",)),
    ("legacy.litigation_total", re.compile(rf"{_NEG}[^。；;，,\d]{{0,44}}?诉讼"), ("诉讼",)),
    ("legacy.fees_amount", re.compile(rf"{_NEG}[^。；;，,\d]{{0,30}}?(?:收费|收取|费用)|一律免费提供|免费提供政府信息"),
     ("收费", "收取", "费用", "免费提供")),
]
_SECRET = re.compile(rf"{N}不予公开(?:答复)?[，,]?(?:均)?属于(?:涉密|国家秘密)")
# _SECRET opens with no literal, so its scan tries a match at every character: only a sentence
# that holds these words of every match is searched
_SECRET_WORDS = ("不予公开", "属于", "密")
_NONE_OF_THESE = re.compile(r"(?:无|没有|未发生|均未发生)(?:此类|上述|以上|这些|这类)(?:情况|情形|事项)")
_NONE_OF_THESE_MIDDLE = ("此类", "上述", "以上", "这些", "这类")      # one is in every match (tested first)
_TOPICS = [("legacy.requests_received", re.compile(r"依申请|申请公开")), ("legacy.fees_amount", re.compile(r"收费")),
           ("legacy.review_total", re.compile(r"复议")), ("legacy.litigation_total", re.compile(r"诉讼"))]
_ALL_ONLINE = re.compile(r"^(?:均|全部|都)?(?:为|是|通过)(?:互联网|网上|网络|网站)(?:申请|提交)")
_ALL_CLOSED = re.compile(r"^(?:已)?(?:全部|均)(?:依法)?(?:按时|按期)?(?:办结|答复)")


# (text, metrics) of the last document: the legacy table reads the prose figures (to settle glued
# cells) before the prose itself is extracted. One tuple, replaced in a single assignment.
_LAST: tuple = (None, [])


def extract_legacy_prose(doc: Document) -> tuple[list[Metric], list[UnmappedCell]]:
    global _LAST
    text, metrics = _LAST
    if text is not doc.text:
        metrics = _extract(doc.text)
        _LAST = (doc.text, metrics)
    return [Metric(*_METRIC_FIELDS(m)) for m in metrics], []     # copies: callers own their records


_METRIC_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Metric)))


def _extract(text: str) -> list[Metric]:
    body = _prose_body(text)
    headings = _headings(body)
    found: dict[str, list[Metric]] = {}
    contexts: dict[str, str] = {}      # section heading -> _context
    hi = 0
    section = ""
    prev_sub = False
    # where the body has a figure, found once: its unit and the characters its lookbehind reads
    # are never a sentence end or a heading's last character, so a figure of the body inside a
    # sentence (or part of one) is exactly a figure of that sentence read alone
    figures = [m.start() for m in _HAS_FIGURE.finditer(body)]
    n_fig = len(figures)
    n_head = len(headings)
    for s0, full in _sentences(body):
        e0 = s0 + len(full)
        if hi == n_head or headings[hi][0] >= e0:
            # no heading in the sentence (the usual case): skip it at once when it holds no figure
            k = bisect_left(figures, s0)
            if not (k < n_fig and figures[k] < e0) and not _has_neg(full):
                prev_sub = prev_sub and full.startswith("其中")
                continue
        # a heading glued into the sentence (…栏目三、依申请公开情况2018年未收到…) splits it: the
        # part before belongs to the section above, the part after to the new one
        parts: list[tuple[str, str, int, int]] = []      # (text, section, body offsets of the text)
        start = 0
        while hi < n_head and headings[hi][0] < e0:
            pos, heading = headings[hi]
            hi += 1
            if pos >= s0:
                rel = pos - s0
                if rel > start:
                    parts.append((full[start:rel], section, s0 + start, s0 + rel))
                start = rel + len(heading)
            section = heading
        parts.append((full[start:], section, s0 + start, s0 + len(full)))
        for sent, sec, a, b in parts:
            inherit = prev_sub and sent.startswith("其中")
            k = bisect_left(figures, a)
            k_end = bisect_left(figures, b, k)
            if k == k_end and not _has_neg(full):
                prev_sub = inherit
                continue
            ctx = contexts.get(sec)
            if ctx is None:
                ctx = contexts[sec] = _context(sec)
            prev_sub = _sentence(sent, full, ctx, found, [p - a for p in figures[k:k_end]], inherit)
    metrics: list[Metric] = []
    for key, ms in found.items():
        values = {m.value for m in ms}
        if len(values) != 1:
            continue  # two different figures for one key: ambiguous
        metrics.append(ms[0])
    return metrics


def _headings(body: str) -> list[tuple[int, str]]:
    """(start, text) of every `_HEADING` match, in order: the same matches as its `finditer`."""
    out = []
    for m in _HEADING_AT.finditer(body):
        q = m.start()
        # the match starts at the first of at most two numerals before the 、
        p = q - 2 if q >= 2 and body[q - 2] in _CN_ENUM else q - 1
        out.append((p, body[p:m.end()]))
    return out


def _sentences(body: str) -> list[tuple[int, str]]:
    """(start, text) of every `_SENT` match, in order; by `str.split` when 。 is the only
    sentence end the body has (NFKC leaves ！？ as !?)."""
    if "!" in body or "?" in body or "！" in body or "？" in body:
        return [(m.start(), m.group(0)) for m in _SENT.finditer(body)]
    return _split_kept(body, "。")


def _split_kept(text: str, sep: str) -> list[tuple[int, str]]:
    """(start, piece) of the non-empty pieces of `text` cut after each `sep`, the `sep` kept:
    what `[^sep]+sep?` finds, by `str.split`."""
    out = []
    pos = 0
    pieces = text.split(sep)
    last = len(pieces) - 1
    for i, piece in enumerate(pieces):
        if piece:
            out.append((pos, piece + sep if i < last else piece))
        pos += len(piece) + 1
    return out


_BODY_MARK = re.compile(r"^\s*(?:=+\s*)?正文\s*[:：=]")
_HEADER_LINE = re.compile(r"^(?:标题|发布时间|发布机构|文号|栏目|原始链接|原文链接|来源|索引号)\s*[:：]")
_HEADER_FIRST = frozenset("标发文栏原来索")     # the first characters of those words
_TABLE_HEAD = re.compile(r"指\s*标\s*名\s*称|统\s*计\s*指\s*标")
# its two words apart: each opens with a literal, so a scan jumps between its first characters
# (a scan for the class [指统] reads every character, several times slower on a long line)
_TABLE_HEAD_WORDS = (re.compile(r"指\s*标\s*名\s*称"), re.compile(r"统\s*计\s*指\s*标"))
_THOUSANDS = re.compile(r"[,，](?<=\d[,，])(?=\d{3}(?!\d))")
_THOUSANDS_ASCII = re.compile(r",(?<=\d,)(?=\d{3}(?!\d))")     # the same for ',' alone (a literal first: faster)


def _prose_body(text: str) -> str:
    """The report's running text: no header block, no pipe rows, no statistical table."""
    lines = text_lines(text)
    start = 0
    for i, ln in enumerate(lines[:60] if "正文" in text else ()):
        if "正文" in ln and _BODY_MARK.match(ln):
            start = i + 1
            break
    out: list[str] = []
    in_table = False
    for i, ln in enumerate(lines[start:]):
        s = ln.strip()
        if not s or s[0] == "|":
            continue
        cut = _table_head(s) if ("标" in s and "指" in s) else None     # both words hold 指 and 标
        if cut and (len(s) < 16 or "计量单位" in s):
            in_table = True
            if cut.start():
                out.append(s[:cut.start()])
            continue
        if in_table:
            if len(s) > 60 and "。" in s:
                in_table = False
            else:
                continue
        if i < 60 and s[0] in _HEADER_FIRST and _HEADER_LINE.match(s):
            continue
        out.append(s)
    # thousands separators (1,234) must not split clauses; Taiwan-style 檔案 (→档案) is 文件
    body = "".join(out)
    body = (_THOUSANDS if "，" in body else _THOUSANDS_ASCII).sub("", body)
    return body.replace("规范性档案", "规范性文件") if "规范性档案" in body else body


def _table_head(s: str) -> re.Match | None:
    """`_TABLE_HEAD.search(s)`: the first of its two words' matches (they never start at the
    same place: one opens with 指, the other with 统)."""
    a, b = (w.search(s) for w in _TABLE_HEAD_WORDS)
    if a is None or (b is not None and b.start() < a.start()):
        return b
    return a


def _context(section: str) -> str:
    if _REVIEW_WORDS.search(section):
        return "review"
    if "申请" in section:
        return "apply"
    if "收费" in section or "费用" in section:
        return "fees"
    return "other"


def _sentence(sent: str, full: str, ctx: str, found: dict, fig_at: list[int], inherit_sub: bool = False) -> bool:
    """Collect the sentence's figures into `found`; return whether it ends about sub-units.
    `fig_at`: where `_HAS_FIGURE` matches in the sentence (found once over the body)."""
    spans_years = bool("年" in sent and _has_any(sent, _SPAN_DASHES) and _YEAR_SPAN.search(sent)
                       and "1月1日" not in sent)
    src = _LIST_SEP.sub("，", sent) if "、" in sent else sent
    clauses = _CLAUSE.findall(src)
    ends = list(accumulate(map(len, clauses)))
    if ends and ends[-1] != len(src):
        # clause ends in a row (or one first) leave gaps: take the positions from the matches
        spans = [(c.start(), c.group(0)) for c in _CLAUSE.finditer(src)]
        clauses = [c for _, c in spans]
        ends = [a + len(c) for a, c in spans]
    # which clauses hold a digit, a figure, a sub-unit character: one scan of the sentence each
    digits = _clauses_matching(_DIGIT, src, ends)
    # 、 -> ， keeps the figures where they are (neither is a character _HAS_FIGURE reads)
    figures = [False] * len(ends)
    for p in fig_at:
        figures[bisect_right(ends, p)] = True
    sub_chars = _clauses_matching(_SUB_CHARS, src, ends)
    # a clause is cumulative only if it holds a _CUM_CLAUSE_WORDS word, so the sentence does too
    cum_sentence = _has_any(sent, _CUM_CLAUSE_WORDS) and _has_any(sent, _CUM_SENTENCE_WORDS)
    # no negation in the whole sentence: none in any clause (、→， makes none), no zeros to read
    neg = _has_neg(full)
    apply_sentence = ctx == "apply" or (ctx == "other" and "申请" in sent and _has_any(sent, _APPLY_VERBS)
                                        and bool(_APPLY_SENTENCE.search(sent)))
    disclosure = "公开" in full
    staff = "人" in sent and _has_any(sent, _STAFF_WORDS)
    sub = inherit_sub
    first_numeric = True
    last_received: float | None = None
    last_issued = False
    body_hits: list[Metric] = []
    sub_keys: set[str] = set()
    for ci, clause in enumerate(clauses):
        sm = _SUB_UNIT.search(clause) if sub_chars[ci] else None
        if sm:
            # sub-units, unless named as the whole (全县各镇街) or three and more of them listed
            sub = not _WHOLE_BEFORE.search(clause[:sm.start()]) and len(_SUB_UNIT.findall(clause)) < 3
        has_fig = figures[ci]
        if not has_fig and last_received is None and not (neg and _has_neg(clause)):
            if first_numeric and digits[ci]:
                first_numeric = False
            continue
        has_num = digits[ci]
        cum = cum_sentence and _has_any(clause, _CUM_CLAUSE_WORDS) and not _has_any(clause, _THIS_YEAR_WORDS)
        if has_num and first_numeric:
            first_numeric = False
            if cum:
                return sub  # the sentence is about cumulative figures
        if cum or (spans_years and _YEAR_SPAN.search(clause)):
            continue
        lead = clauses[ci - 1] if ci > 0 and not digits[ci - 1] else ""
        hits = _clause_hits(clause, lead, ctx, apply_sentence, disclosure, staff) if has_fig else []
        # derived from the clause before: 共收到…1件,为互联网申请 / 受理…128件，全部依法按时办结
        if last_received is not None and not has_num:
            if _ALL_ONLINE.search(clause):
                hits.append(("legacy.requests_online", last_received, False, clause, None))
            m = _ALL_CLOSED.search(clause)
            if m and "办结" in m.group(0):
                hits.append(("legacy.requests_closed", last_received, False, clause, None))
                if "按时" in m.group(0) or "按期" in m.group(0):
                    hits.append(("legacy.requests_closed_on_time", last_received, False, clause, None))
        if last_issued and not any(h[0] == "legacy.proactive_normative_docs" for h in hits):
            m = _NORM_PUBLISHED.match(clause)
            if m and m.group("unit") in ("件", "份", "个"):
                v = _value(m)
                if v is not None:
                    hits.append(("legacy.proactive_normative_docs", v[0], v[1], clause, m.group("unit")))
                    hits = [h for h in hits if h[0] != "legacy.proactive_total"]
        if hits and any(h[0] in ("legacy.requests_online", "legacy.requests_closed") for h in hits):
            last_received = None       # used once
        last_issued = False
        for key, value, approx, raw, unit in hits:
            if sub:
                sub_keys.add(key)
                continue
            body_hits.append(Metric(key, value, raw.strip("，,；;"), "", "", "prose", "prose", unit, approx=approx))
            if key == "legacy.requests_received":
                last_received = value
            if key == "legacy.normative_docs_issued":
                last_issued = True
        if neg and not sub and (disclosure or ctx in ("review", "fees", "apply")):
            _zeros(clause, sent, ctx, found)
    # a figure split between the body and its sub-units in one sentence is ambiguous
    for mt in body_hits:
        if mt.metric_key not in sub_keys:
            found.setdefault(mt.metric_key, []).append(mt)
    m = _SECRET.search(sent) if not sub and ctx == "apply" and _has_all(sent, _SECRET_WORDS) else None
    if m:
        v = _value(m)
        if v is not None:
            found.setdefault("legacy.denied_state_secret", []).append(
                Metric("legacy.denied_state_secret", v[0], m.group(0), "", "", "prose", "prose", m.group("unit")))
    if not sub and neg and _has_any(full, _NONE_OF_THESE_MIDDLE) and _NONE_OF_THESE.search(full):
        for key, pat in _TOPICS:
            if pat.search(full):
                found.setdefault(key, []).append(Metric(key, 0.0, sent.strip(), "", "", "prose", "prose", None))
    return sub


def _clauses_matching(pat: re.Pattern, text: str, ends: list[int]) -> list[bool]:
    """Per clause of `text` (clauses end at `ends`), whether `pat` matches in it. Only for
    patterns whose matches and lookbehinds hold no clause separator: a match in the whole text
    is then exactly a match in the clause alone (and separators between clauses never match)."""
    out = [False] * len(ends)
    k = 0
    search = pat.search
    m = search(text)
    while m:
        p = m.start()
        while ends[k] <= p:
            k += 1
        out[k] = True
        m = search(text, ends[k])        # the next clause on
    return out


_DIGIT = re.compile(r"\d")      # one character (a class first: the scan jumps between digits)
_REVIEW_KEYS = frozenset({"legacy.review_total", "legacy.litigation_total"})
_STAFF_KEYS = frozenset({"legacy.staff_total", "legacy.staff_full_time", "legacy.staff_part_time"})
_STAFF_WORDS = ("工作机构", "专职", "兼职", "从事政府信息公开", "从事政务公开")     # a staff sentence holds one


def _clause_hits(clause: str, lead: str, ctx: str, apply_sentence: bool, disclosure_sentence: bool = True,
                 staff_sentence: bool = True) -> list:
    """The rules' figures in a clause that holds a figure (`_HAS_FIGURE`)."""
    hits = []
    used: list[tuple[int, int]] = []
    candidates: set[int] = set()
    for w in _WORD_SCAN.findall(clause):
        candidates |= _RULES_WITHIN[w]
        for v in _OVERLAPS[w]:
            if v in clause:
                candidates |= _RULES_WITHIN[v]
    if not candidates:
        return hits
    n_channels = -1         # `_n_channels(clause)`, counted when a rule first needs it
    for ri in sorted(candidates):
        key, pats, rctx, units, kws = _RULES[ri]
        if rctx == "apply" and not (ctx == "apply" or (ctx == "other" and apply_sentence)):
            continue
        if rctx == "notapply" and ctx in ("apply", "review"):
            continue
        if key in _CHANNEL_KEYS:
            if n_channels < 0:
                n_channels = _n_channels(clause)
            if n_channels > 1 or _has_any(clause, _CHANNEL_EXCLUDE_WORDS):
                continue
        if key == "legacy.proactive_total":
            if n_channels < 0:
                n_channels = _n_channels(clause)
            if _PROACTIVE_EXCLUDE.search(clause) or n_channels:
                # 以县政府门户网站为主阵地,主动公开政府信息2805条: the lead clause names the channel
                continue
        if key == "legacy.requests_received" and (_has_any(clause, _NOT_REQUEST_WORDS) or "公开" not in clause):
            continue
        if key in _REVIEW_KEYS and ctx != "review" and not disclosure_sentence:
            continue
        if key in _STAFF_KEYS and not staff_sentence:
            continue
        if key in ("legacy.review_total", "legacy.litigation_total") and "累计" in clause:
            continue
        done = False
        for pat in pats:
            for m in pat.finditer(clause):
                if m.group("unit") not in units:
                    continue
                span = m.span("num")
                if any(a <= span[0] < b for a, b in used):
                    continue
                done = True
                v = _value(m)
                if v is not None:
                    used.append(m.span())
                    hits.append((key, v[0], v[1], clause, m.group("unit")))
                break
            if done:
                break
    # only a proactive_total hit is renamed, and one was kept only if n_channels is 0
    if lead and any(h[0] == "legacy.proactive_total" for h in hits) and not any(h[0] in _CHANNEL_KEYS for h in hits):
        lw = {m.group(0) for m in _CHANNEL_WORD.finditer(lead)}
        if len(lw) == 1 and n_channels == 0 and ctx not in ("apply", "review"):
            word = next(iter(lw))
            key = next((k for k, w in _CHANNEL_KEYS.items() if w in word or (w == "网" and "网" in word)), None)
            for i, h in enumerate(hits):
                if h[0] == "legacy.proactive_total" and key:
                    hits[i] = (key,) + h[1:]
    return hits


def _n_channels(text: str) -> int:
    """How many different channels (公报, 网站, 微博 …) the text names."""
    if "网" not in text and "公报" not in text and "微" not in text and "其他" not in text:
        return 0        # every channel word holds one of these
    return len(set(m.group(0)[:2] for m in _CHANNEL_WORD.finditer(text)))


def _value(m: re.Match) -> tuple[float, bool] | None:
    num = m.group("num")
    mult = m.group("mult")
    v = parse_number_text(num, mult)
    if v is None:
        return None
    approx = bool(m.group("pre") or m.group("ap") or m.group("ap2"))
    if mult and (approx or "." in num):
        return None  # 1万多人次, 3.53万条次
    if approx and v % 10 == 0:
        return None  # 80余条, 100多场次: a round estimate, not the body's figure
    return v, approx


def _has_neg(s: str) -> bool:
    """A negation or 免费 (未|没有|无|不存在|免费) somewhere in s: plain `in` tests, cheaper than a regex."""
    return "未" in s or "无" in s or "没有" in s or "免费" in s or "不存在" in s


_REVIEW_WORDS = re.compile(r"复议|诉讼")
_FEE_WORDS = re.compile(r"收费|收取|费用|免费")


def _zeros(clause: str, sent: str, ctx: str, found: dict) -> None:
    if not _has_neg(clause):
        return
    for key, pat, words in _ZERO_RULES:
        if not _has_any(clause, words):
            continue
        m = pat.search(clause)
        if not m:
            continue
        if key == "legacy.requests_received" and _REVIEW_WORDS.search(m.group(0)):
            continue
        if key == "legacy.fees_amount" and not _FEE_WORDS.search(m.group(0)):
            continue
        found.setdefault(key, []).append(Metric(key, 0.0, clause.strip("，,；;"), "", "", "prose", "prose", None))
