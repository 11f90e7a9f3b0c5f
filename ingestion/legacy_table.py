"""The pre-2019 政府信息公开情况统计表 (national 2014 template, Fujian/provincial variants).

A table starts at its header (指标名称 / 统计指标 …, then 计量单位 and the value columns: one
统计数 / 年末统计 column, or a year column plus 历年累计). Three layouts are read into rows of
(label, unit, values):

- one cell per line: label fragments are joined until a unit or a number arrives; a new row
  starts after the numbers, at an enumerator (1. / (一) / 其中) or after a complete leaf label
  with no value (a blank cell);
- pipe rows (`| 主动公开文件数 | 条 | 2069 | 12106 |`, also what decode.py makes of HTML tables):
  cells are placed by the header's positions;
- cells run together (`主动公开文件数条206912106其中:1.政府网站公开数条…`): each row is
  label + unit + digits; two columns are split only where one split is left by the rules
  year ≤ 累计, no leading zero, a sub-row within its parent, or the report's prose figure;
  otherwise the metric is `ambiguous` with no number.

Labels are matched on `normalize.label_key` by ordered rules (`_RULES`): rows the catalog has no
key for (否决公开答复总数, 咨询, 网站访问量, 其他类型答复数, 信函、传真 combined …) go to
unmapped cells, as does the 累计 column of every row.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .normalize import label_key, text_lines
from .numbers import Cell, parse_cell
from .records import AMBIGUOUS, BLANK, VALUE, Document, Metric, UnmappedCell

TABLE_ID = "legacy_table"
_UNITS = ("万元", "人次", "件次", "条次", "元", "件", "条", "项", "个", "人", "次", "篇", "份", "场次", "场", "期")
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_UNIT_ONLY = re.compile(rf"^(?:{_UNIT_RE})$")
_CELL_UNIT = re.compile(rf"^(?P<v>.*?)\s*(?P<u>{_UNIT_RE})$")
_HEADER_START = re.compile(r"^(?:指标名称|统计指标|指标|指标项目|项目名称|统计项目)$")
_HEADER_TOKEN = re.compile(
    r"^(?:计量单位|计量|单位|统计数|数量|数值|本年度?|(?:19|20)\d{2}年?度?|年度?|历年累计|累计|年末统计|年未统计|合计|备注|本年|统计数据)$")
_ENUM = re.compile(r"^(?:其中|\d{1,2}[.、]|[(（](?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）]|[一二三四五六七八九十]{1,3}[、.])")
_CONTINUATION = re.compile(r"^[(（](?![一二三四五六七八九十\d]{1,3}[)）])")
# a line that ends a table (prose, a signature block): `_is_stop`
_STOP_START = re.compile(
    r"(?:单位负责人|负责人|审核人|填报人|填表人|填报日期|填表日期|联系电话|主题词|附件下载|扫一扫|打印|关闭|返回|说明[:：])|"
    r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月")
_STOP_END = ("领导小组", "人民政府", "办公室", "印发", "盖章", "盖章)")     # before at most one [:：]
_CN_YEAR = re.compile(r"年(?<=[〇○零一二]{4}年)")      # from its 年: the scan jumps between them
_FILLER = re.compile(r"^(?:填报单位|填表单位|报送单位|单位名称|统计时间|统计期限)")
_CAPTION = re.compile(r"(?:政府信息公开|信息公开)[^。，,]{0,12}(?:情况)?统计表$")
_PIPE = re.compile(r"^\s*\|(.*)\|\s*$")


# ------------------------------------------------------------------ label rules
# (pattern on label_key, key | None for a row without catalog key | '@upheld'/'@corrected'/'@other'
#  for the outcome rows whose key depends on the block above them)
_RULES: list[tuple[re.Pattern, str | None]] = [(re.compile(p), k) for p, k in [
    (r"全文电子化", None),
    (r"否决", None),
    (r"免予公开", None),
    (r"咨询", None),
    (r"访问量|点击量|浏览量", None),
    (r"查阅人数|查阅人次|利用件次|接待", None),
    (r"减免", None),
    (r"制作获取|制作和获取", None),
    (r"其他类型答复|其他答复", None),
    (r"信函传真|传真信函", None),
    (r"行政诉讼举报|诉讼举报", None),
    (r"复议.*诉讼|诉讼.*复议", None),
    (r"主要负责同志参加新闻发布会|负责同志参加新闻发布会", "legacy.press_conferences_principal"),
    (r"主要负责同志参加.*访谈|负责同志参加.*访谈", "legacy.online_interviews_principal"),
    (r"新闻发布会总?次数|举办新闻发布会|新闻发布会场次", "legacy.press_conferences"),
    (r"^(?:其中)?\d*新闻发布会(?:公开)?(?:政府信息)?数?$", None),
    (r"在线访谈", "legacy.online_interviews"),
    (r"政策解读", "legacy.policy_interpretations"),
    (r"微博微信回应|微信微博回应", "legacy.social_media_responses"),
    (r"其他方式回应", "legacy.other_responses"),
    (r"回应公众关注|重大舆情", "legacy.hotspot_responses"),
    (r"主动公开规范性文件", "legacy.proactive_normative_docs"),
    (r"制发规范性文件|制定规范性文件", "legacy.normative_docs_issued"),
    (r"政府公报", "legacy.channel_gazette"),
    (r"政府网站|门户网站|政务网站", "legacy.channel_website"),
    (r"微博", "legacy.channel_weibo"),
    (r"微信", "legacy.channel_wechat"),
    (r"其他方式公开|其他便于公众知晓|其他方式$", "legacy.channel_other"),
    (r"主动公开(?:政府)?(?:动态)?(?:信息|文件)(?:总)?数|主动公开(?:政府)?(?:信息|文件)$", "legacy.proactive_total"),
    (r"收到申请|受理.*申请.*总?数|申请总数|受理依申请公开", "legacy.requests_received"),
    (r"依申请公开(?:文件|信息)数", None),
    (r"当面", "legacy.requests_in_person"),
    (r"传真", "legacy.requests_fax"),
    (r"电子邮件|邮件", "legacy.requests_email"),
    (r"网络申请|网上申请|互联网申请|网络|网上", "legacy.requests_online"),
    (r"信函", "legacy.requests_letter"),
    (r"其他形式申请|其他方式申请|其他形式", "legacy.requests_other"),
    (r"按时办结", "legacy.requests_closed_on_time"),
    (r"延期办结", "legacy.requests_closed_extended"),
    (r"办结", "legacy.requests_closed"),
    (r"已主动公开", "legacy.replies_already_public"),
    (r"同意部分公开|部分公开", "legacy.replies_partial"),
    (r"不同意公开|不予公开答复", "legacy.replies_denied"),
    (r"不予公开", None),
    (r"同意公开", "legacy.replies_granted"),
    (r"国家秘密", "legacy.denied_state_secret"),
    (r"商业秘密", "legacy.denied_commercial_secret"),
    (r"个人隐私", "legacy.denied_privacy"),
    (r"危及国家安全|公共安全|社会稳定", "legacy.denied_security_stability"),
    (r"不是条例所指|不是.*所指政府信息|非政府信息", "legacy.denied_not_gov_info"),
    (r"法律法规规定的其他情形", "legacy.denied_other_law"),
    (r"不属于本|非本(?:行政)?机关|非本部门", "legacy.replies_not_this_agency"),
    (r"信息不存在", "legacy.replies_not_exist"),
    (r"更改补充|更改和补充", "legacy.replies_needs_clarification"),
    (r"其他途径", "legacy.replies_other_channel"),
    (r"答复总?数|对申请的答复", "legacy.replies_total"),
    (r"驳回", "legacy.litigation_upheld"),
    (r"维持", "@upheld"),
    (r"纠错|纠正", "@corrected"),
    (r"其他情形", "@other"),
    (r"举报|投诉", "legacy.complaints_total"),
    (r"行政申诉数$|行政申请数$|申诉数$", None),
    (r"行政复议", "legacy.review_total"),
    (r"行政诉讼", "legacy.litigation_total"),
    (r"收取的?费用|收费", "legacy.fees_amount"),
    (r"专门机构", "legacy.dedicated_units"),
    (r"查阅点|查阅场所|查阅中心", "legacy.reading_points"),
    (r"专职", "legacy.staff_full_time"),
    (r"兼职", "legacy.staff_part_time"),
    (r"工作人员数|从事政府信息公开工作人员", "legacy.staff_total"),
    (r"专项经费", "legacy.special_budget"),
    (r"会议", "legacy.meetings"),
    (r"培训班", "legacy.trainings"),
    (r"接受培训|培训人员|培训人次", "legacy.trainees"),
]]
# explanatory notes inside labels: (不同渠道和方式公开相同信息计1条), (不包括政府公报及政府网站…
_NOTE = re.compile(r"[(（][^()（）]{4,}(?:[)）]|$)")
_VETO = re.compile(r"否决")
_VETO_END = re.compile(r"^[一二三四五六七八九十]+|复议|诉讼|申诉|举报|投诉|咨询|收费|费用|机构|人员|经费|会议|培训|主动公开|申请总数|收到申请|答复总数")
_BLOCK_WORDS = (("行政复议", "review"), ("行政诉讼", "litigation"), ("举报投诉", "complaints"))
_BLOCK_OF = {"legacy.review_total": "review", "legacy.litigation_total": "litigation",
             "legacy.complaints_total": "complaints"}
_GROUP_HEADER = re.compile(r"情况$|^[一二三四五六七八九十]+[、.]?[^数]*$")
# sub-rows whose values cannot exceed their parent's (used only to settle glued digits)
_PARENT = {
    "legacy.channel_website": "legacy.proactive_total", "legacy.channel_gazette": "legacy.proactive_total",
    "legacy.channel_weibo": "legacy.proactive_total", "legacy.channel_wechat": "legacy.proactive_total",
    "legacy.channel_other": "legacy.proactive_total", "legacy.proactive_normative_docs": "legacy.proactive_total",
    "legacy.requests_in_person": "legacy.requests_received", "legacy.requests_online": "legacy.requests_received",
    "legacy.requests_fax": "legacy.requests_received", "legacy.requests_letter": "legacy.requests_received",
    "legacy.requests_email": "legacy.requests_received", "legacy.requests_other": "legacy.requests_received",
    "legacy.replies_granted": "legacy.replies_total", "legacy.replies_partial": "legacy.replies_total",
    "legacy.replies_denied": "legacy.replies_total", "legacy.replies_already_public": "legacy.replies_total",
}


def classify_label(label: str, block: str | None = None) -> tuple[bool, str | None]:
    """(matched, key). matched=False: no rule (an unknown row); key None: a known row without key."""
    matched, key = _first_rule(label)
    if key and key.startswith("@"):
        if block is None:
            return True, None
        return True, f"legacy.{block}_{key[1:]}"
    return matched, key


@functools.lru_cache(maxsize=65536)
def _first_rule(label: str) -> tuple[bool, str | None]:
    """The first rule matching the label (cached: detection, row splitting and extraction all
    classify the same labels)."""
    k = label_key(_NOTE.sub("", label))
    if not k:
        return False, None
    for pat, key in _RULES:
        if pat.search(k):
            return True, key
    return False, None


# ------------------------------------------------------------------ rows
@dataclass
class _Row:
    label_parts: list[str] = field(default_factory=list)
    unit: str | None = None
    cells: list[str | None] = field(default_factory=list)   # value cells as printed; None = blank
    glued_digits: str | None = None
    positional: bool = False

    @property
    def label(self) -> str:
        return "".join(self.label_parts).strip()


@dataclass
class _Table:
    columns: list[str]          # value column labels, in printed order
    cum_index: int | None       # which of them is the cumulative one
    rows: list[_Row]


@functools.lru_cache(maxsize=65536)
def _is_value(s: str) -> bool:
    """`_value_of(s) is not None`, without building the cell of a plain number (the usual one).
    Cached: the same few cell texts (0, 1, -, 无 …) come back in every table."""
    t = s.strip()
    return (t.isdigit() and t.isascii()) or _value_of(t) is not None


_VALUE_START = set("0123456789+-−—–―/／\\×xX无暂空·….nN增减")


def _value_of(s: str):
    """A value cell (number or placeholder, unit allowed): (Cell, unit) or None."""
    s = s.strip()
    if s and s[0] not in _VALUE_START:
        return None
    if s.isdigit() and s.isascii():     # the usual cell: what parse_cell gives, without its work
        return Cell(float(s), VALUE, None, s), None
    c = parse_cell(s)
    if c is not None and s:
        return c, c.unit
    m = _CELL_UNIT.match(s)
    if m and m.group("v"):
        c = parse_cell(m.group("v"))
        if c is not None and c.status != BLANK:
            return c, m.group("u")
    return None


def _find_headers(lines: list[str]) -> list[int]:
    out = []
    for i, ln in enumerate(lines):
        if "指" not in ln and "统" not in ln and ("项" not in ln or "称" not in ln):
            continue    # every header word holds 指 or 统, but 项目名称
        s = ln.strip()
        pm = _PIPE.match(s)
        first = pm.group(1).split("|")[0] if pm else s
        if pm and label_key(first) in ("序号", "项目", "") and pm.group(1).count("|") >= 2:
            first = pm.group(1).split("|")[1]      # | 序号 | 指标名称 | 单位 | 统计数 |
        k = label_key(first)
        if not pm and (" " in s or "\t" in s) and _HEADER_START.match(label_key(s.split()[0])):
            out.append(i)   # 指标名称    计量单位   2013年度   历年累计
            continue
        if not pm and k == "指" and i + 3 < len(lines):
            joined = "".join(label_key(lines[j]) for j in range(i, i + 4))
            if _HEADER_START.match(joined):
                out.append(i + 3)
                continue
        if _HEADER_START.match(k) or (len(k) <= 12 and k in ("指标名称计量单位", "统计指标单位统计数")):
            out.append(i)
        elif not pm and len(k) > 20 and (("指标名称" in k and "计量单位" in k) or "统计指标单位统计数" in k):
            out.append(i)  # glued header
    if not out and "统计表" in "\n".join(lines):
        # the header row was lost by the scrape: start after the table's caption
        for i, ln in enumerate(lines):
            s = ln.strip()
            if 6 <= len(s) <= 40 and s.endswith("统计表") and _CAPTION.search(s) and not _PIPE.match(s):
                out.append(i)
    return out


# (text, tables) of the last document: detection and extraction share one parse. One tuple,
# replaced in a single assignment, so threads never see one document's text with another's tables.
_LAST: tuple = (None, [])


def _parse_tables(doc: Document) -> list[_Table]:
    global _LAST
    text, tables = _LAST
    if text is doc.text:
        return tables
    tables = _parse_tables_uncached(doc)
    _LAST = (doc.text, tables)
    return tables


def _parse_tables_uncached(doc: Document) -> list[_Table]:
    if "指" not in doc.text and "统计" not in doc.text:
        return []
    lines = text_lines(doc.text)
    tables = []
    consumed = -1
    for h in _find_headers(lines):
        if h <= consumed:
            continue
        s = lines[h].strip()
        if _PIPE.match(s):
            t, end = _parse_pipe(lines, h)
        elif _GLUED_HEADER.search(label_key(s)) and len(label_key(s)) > 20:
            t, end = _parse_glued(s), h
        else:
            t, end = _parse_lines(lines, h)
        consumed = end
        if t and t.rows:
            tables.append(t)
    return tables


def _columns_from_header(tokens: list[str]) -> tuple[list[str], int | None]:
    cols: list[str] = []
    for t in tokens:
        k = label_key(t)
        if k in ("计量单位", "计量", "单位", "备注", "指标名称", "统计指标", "指标") or _FILLER.match(t.strip()):
            continue
        if cols and re.fullmatch(r"年度?|度", k) and re.fullmatch(r"(?:19|20)\d{2}", cols[-1]):
            cols[-1] += k
            continue
        cols.append(t.strip())
    cum = next((i for i, c in enumerate(cols) if "累计" in c), None)
    return cols or ["统计数"], cum


def _parse_lines(lines: list[str], h: int) -> tuple[_Table | None, int]:
    i = h + 1
    header: list[str] = []
    toks = lines[h].split()
    if len(toks) > 1 and _HEADER_START.match(label_key(toks[0])):
        header = toks[1:]
    while i < len(lines):
        s = lines[i].strip()
        if s and (_HEADER_TOKEN.match(label_key(s) or "-") or _FILLER.match(s)):
            header.append(s)
            i += 1
            continue
        if not s:
            i += 1
            continue
        break
    cols, cum = _columns_from_header(header)
    rows: list[_Row] = []
    cur: _Row | None = None
    has_values = False
    end = i
    while i < len(lines):
        s = lines[i].strip()
        i += 1
        if not s:
            continue
        if len(s) > 90 or _is_stop(s) or (s[0] == "|" and s[-1] == "|" and len(s) > 1):
            break  # prose, a signature block or another table
        row = _spaced_row(s)
        if row is not None:
            # label and cells on one line, separated by spaces (PDF-to-text layouts)
            cur = row
            rows.append(cur)
            has_values = True
            end = i
            continue
        v = _is_value(s)
        if v and cur is not None and cur.label_parts:
            cur.cells.append(s)
            has_values = True
            end = i
            continue
        if _UNIT_ONLY.match(s) and cur is not None and cur.label_parts and not cur.cells:
            cur.unit = s
            continue
        if v:
            continue  # a number with no label (page furniture)
        # a label fragment
        if cur is None or cur.cells or _starts_new(cur, s):
            cur = _Row([s])
            rows.append(cur)
        else:
            cur.label_parts.append(s)
        end = i
    if not has_values:
        return None, end
    return _Table(cols, cum if len(cols) > 1 else None, rows), end


@functools.lru_cache(maxsize=65536)
def _is_stop(s: str) -> bool:
    """A signature-block word opens s or closes it, or s holds a year in Chinese numerals
    (s holds no line break). Cached: a table's cell lines (0, 件, 条 …) come back in every table."""
    end = s[:-1] if s[-1:] in (":", "：") else s
    return (_STOP_START.match(s) is not None or end.endswith(_STOP_END)
            or ("年" in s and _CN_YEAR.search(s) is not None))


def _spaced_row(s: str) -> _Row | None:
    """`主动公开政府信息数  条  66045  225627` → a row; None when the line is not of that shape."""
    if " " not in s and "\t" not in s:
        return None
    toks = s.split()
    n = len(toks)
    k = n
    while k > 0 and _is_value(toks[k - 1]):
        k -= 1
    if k == n or k == 0:
        return None
    unit = None
    if _UNIT_ONLY.match(toks[k - 1]):
        unit = toks[k - 1]
        k -= 1
    label = "".join(toks[:k])
    if not label or not re.search(r"[\u4e00-\u9fff]", label) or _is_stop(label):
        return None
    return _Row([label], unit, toks[k + (1 if unit else 0):])


def _starts_new(cur: _Row, frag: str) -> bool:
    if _CONTINUATION.match(frag):
        return False
    if _ENUM.match(frag):
        return True
    lab = cur.label
    if not lab or _ENUM.fullmatch(label_key(lab) or "") or label_key(lab) in ("其中",):
        return False
    matched, key = classify_label(lab, "review")
    return matched and not _GROUP_HEADER.search(label_key(lab))


def _parse_pipe(lines: list[str], h: int) -> tuple[_Table | None, int]:
    head_cells = [c.strip() for c in _PIPE.match(lines[h].strip()).group(1).split("|")]
    cols, cum = _columns_from_header(head_cells[1:])
    try:
        unit_pos = next(j for j, c in enumerate(head_cells) if label_key(c) in ("计量单位", "单位", "计量"))
    except StopIteration:
        unit_pos = None
    first_val = (unit_pos + 1) if unit_pos is not None else 1
    serial = label_key(head_cells[0]) == "序号"
    rows: list[_Row] = []
    i = h + 1
    while i < len(lines):
        s = lines[i].strip()
        pm = _PIPE.match(s)
        if not pm:
            break
        i += 1
        cells = [c.strip() for c in pm.group(1).split("|")]
        if len(cells) == len(head_cells):
            label = " ".join(dict.fromkeys(c for ci, c in enumerate(cells[:first_val if unit_pos is None else unit_pos])
                                           if c and not (ci == 0 and serial)))
            unit = cells[unit_pos] if unit_pos is not None else None
            vals = cells[first_val:first_val + len(cols)]
            rows.append(_Row([label], unit or None, [v if v else None for v in vals], positional=True))
            continue
        lab, unit, vals = [], None, []
        for c in cells:
            if not vals and not _is_value(c) and not _UNIT_ONLY.match(c):
                if c:
                    lab.append(c)
            elif _UNIT_ONLY.match(c) and not vals:
                unit = c
            elif c:
                vals.append(c)
        if lab:
            rows.append(_Row(lab, unit, vals))
    return _Table(cols, cum if len(cols) > 1 else None, rows), i


_GLUED_HEADER = re.compile(r"计\s*量\s*单\s*位|统\s*计\s*指\s*标\s*单\s*位|指\s*标\s*名\s*称\s*单\s*位")
_GLUED_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_GLUED_UNIT_TAIL = re.compile(rf"(?:{_UNIT_RE})$")


def _parse_glued(line: str) -> _Table | None:
    """Cells run together: label [unit] digits label [unit] digits …; a digit followed by
    '.'/'、' and a character is the next label's enumerator, not part of the value."""
    m = _GLUED_HEADER.search(line)
    rest = line[m.end():]
    hm = re.match(r"\s*((?:(?:19|20)\d{2}\s*年?度?|统计数|本年度?|年末统计|年未统计))?\s*(历年累计|累计)?", rest)
    cols = [c for c in (hm.group(1), hm.group(2)) if c] or ["统计数"]
    cum = next((i for i, c in enumerate(cols) if "累计" in c), None)
    body = _NOTE.sub("", rest[hm.end():])   # notes such as (…计1条) hold digits of their own
    rows: list[_Row] = []
    pos = 0
    carry = ""
    prefix = ""
    for gm in _GLUED_DIGITS.finditer(body):
        label = prefix + carry + body[pos:gm.start()]
        digits = gm.group(0)
        pos = gm.end()
        carry = ""
        if body[pos:pos + 1] in (".", "、") and re.match(r"[\u4e00-\u9fff(（]", body[pos + 1:pos + 2] or "-"):
            carry, digits = digits[-1] + body[pos], digits[:-1]
            pos += 1
        if not label.strip():
            prefix = ""
            continue
        um = _GLUED_UNIT_TAIL.search(label)
        unit = um.group(0) if um else None
        if um:
            label = label[:um.start()]
        if not digits:
            matched, key = classify_label(label, "review")
            if key and not _GROUP_HEADER.search(label_key(label)):
                rows.append(_Row([label], unit, []))      # a blank cell
                prefix = ""
            else:
                prefix = label                             # 其中: / group header: joins the next label
            continue
        prefix = ""
        rows.append(_Row([label], unit, [], glued_digits=digits))
    return _Table(cols, cum if len(cols) > 1 else None, rows)


# ------------------------------------------------------------------ public API
def has_legacy_table(doc: Document) -> bool:
    """An old-style table: three keyed rows with cells, one of them outside the 复议/诉讼 block
    (new-format Table 4 labels alone never make a legacy table)."""
    n = 0
    specific = False
    for t in _parse_tables(doc):
        for r in t.rows:
            matched, key = classify_label(r.label, "review")
            if key and (r.cells or r.glued_digits is not None):
                n += 1
                specific = specific or not key.startswith(("legacy.review", "legacy.litigation", "legacy.complaints"))
                if n >= 3 and specific:
                    return True
    return False


def extract_legacy_table(doc: Document) -> tuple[list[Metric], list[UnmappedCell]]:
    metrics: list[Metric] = []
    unmapped: list[UnmappedCell] = []
    prose_vals: dict[str, float] | None = None
    for t in _parse_tables(doc):
        block: str | None = None
        veto = False
        resolved: dict[str, tuple[float, float | None]] = {}
        year_col = _year_column(t)
        year_label = t.columns[year_col] if t.columns else ""
        for ri, r in enumerate(t.rows):
            label = r.label
            lk = label_key(label)
            # a group cell merged into its first outcome row: 四、行政复议数量 | 维持具体行政行为数
            for word, blk in _BLOCK_WORDS:
                if word in lk:
                    block = blk
                    break
            matched, key = classify_label(label, block)
            if key in _BLOCK_OF:
                block = _BLOCK_OF[key]
            # the reasons listed under 否决公开答复总数 (定西 template: 免予公开范围1–6, 信息不存在,
            # 非本部门掌握 …) are not the catalog's reply categories
            if _VETO.search(lk):
                veto = True
            elif veto and (_VETO_END.search(lk) or key in _BLOCK_OF):
                veto = False
            elif veto and key:
                matched, key = True, None
            if not r.cells and r.glued_digits is None:
                if key and not _GROUP_HEADER.search(label_key(label)):
                    metrics.append(Metric(key, None, "", label, year_label, "table", TABLE_ID, r.unit,
                                          value_status=BLANK))
                continue
            if r.glued_digits is not None:
                if prose_vals is None and len(t.columns) > 1:
                    prose_vals = _prose_values(doc)
                cells = _split_glued(r.glued_digits, key, t, resolved, prose_vals or {})
                if cells is None:
                    if key:
                        metrics.append(Metric(key, None, r.glued_digits, label, year_label, "table", TABLE_ID,
                                              r.unit, value_status=AMBIGUOUS,
                                              note="cells run together; the split is not settled"))
                    else:
                        unmapped.append(UnmappedCell(TABLE_ID, label, "", r.glued_digits, None, r.unit, ri, None))
                    continue
            else:
                cells = _assign_columns(r, t)
            if len(cells) > max(len(t.columns), 1):
                # more cells than value columns: which one is the year's is not settled
                if key:
                    metrics.append(Metric(key, None, " ".join(c or "" for c in cells), label, "", "table", TABLE_ID,
                                          r.unit, value_status=AMBIGUOUS, note="more cells than value columns"))
                for ci, raw in enumerate(cells):
                    if raw is not None:
                        unmapped.append(UnmappedCell(TABLE_ID, label, "", raw, _cell(raw)[0], r.unit, ri, ci))
                continue
            for ci, raw in enumerate(cells):
                col_label = t.columns[ci] if ci < len(t.columns) else ""
                value, status, unit = _cell(raw)
                unit = unit or r.unit
                if key and ci == year_col:
                    metrics.append(Metric(key, value, raw or "", label, col_label, "table", TABLE_ID, unit,
                                          value_status=status))
                elif raw is not None:
                    unmapped.append(UnmappedCell(TABLE_ID, label, col_label, raw, value, unit, ri, ci))
            if key and cells:
                y = _cell(cells[year_col])[0] if year_col < len(cells) else None
                c = _cell(cells[t.cum_index])[0] if t.cum_index is not None and t.cum_index < len(cells) else None
                if y is not None:
                    resolved[key] = (y, c)
    return metrics, unmapped


_YEAR_IN = re.compile(r"(?:19|20)\d{2}")


def _year_column(t: _Table) -> int:
    """The covered year's column: not 累计, not 上年/同比; of several year columns the latest."""
    cands = [i for i, c in enumerate(t.columns) if i != t.cum_index and not re.search(r"上年|去年|同比|增减|备注", c)]
    if not cands:
        return 0
    years = [(int(m.group(0)), i) for i in cands for m in [_YEAR_IN.search(t.columns[i])] if m]
    if len(years) > 1:
        return max(years)[1]
    return cands[0]


@functools.lru_cache(maxsize=65536)
def _cell(raw: str | None) -> tuple[float | None, str, str | None]:
    """(value, status, unit) of a cell as printed (cached, as `_is_value`)."""
    if raw is None:
        return None, BLANK, None
    v = _value_of(raw)
    if v is None:
        return None, BLANK, None
    cell, unit = v
    return cell.value, cell.status, unit


def _assign_columns(r: _Row, t: _Table) -> list[str | None]:
    n = len(t.columns)
    if r.positional or n <= 1:
        return r.cells
    if len(r.cells) == 1:
        # merged identical cells or an empty cumulative cell: the single value is the year's
        year_col = _year_column(t)
        out: list[str | None] = [None] * n
        out[year_col] = r.cells[0]
        return out
    return r.cells[:n]


def _split_glued(digits: str, key: str | None, t: _Table, resolved: dict, prose: dict) -> list[str] | None:
    n = len(t.columns)
    if n <= 1:
        return [digits]
    cands = []
    for i in range(1, len(digits)):
        a, b = digits[:i], digits[i:]
        if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0"):
            continue
        if int(a) > int(b):
            continue
        cands.append((a, b))
    parent = resolved.get(_PARENT.get(key or "", ""))
    if len(cands) > 1 and parent:
        pa, pb = parent
        cands = [(a, b) for a, b in cands if int(a) <= pa and (pb is None or int(b) <= pb)]
    if len(cands) > 1 and key in prose:
        cands = [(a, b) for a, b in cands if float(a) == prose[key]]
    if len(cands) != 1 or t.cum_index is None or n != 2:
        return None
    a, b = cands[0]
    year_col = _year_column(t)
    out = [None] * n
    out[year_col] = a
    out[t.cum_index] = b
    return out


def _prose_values(doc: Document) -> dict[str, float]:
    from .prose_legacy import extract_legacy_prose

    out: dict[str, float] = {}
    for m in extract_legacy_prose(doc)[0]:
        if m.value is not None and not m.approx:
            out.setdefault(m.metric_key, m.value)
    return out
