"""Report metadata: agency, level, region, covered year, publish date, scope (FORMATS.md §4).

Sources, in order of trust:
- the report title: a `标题:` header line, else the first short line that reads like a title
  (… 2017年(度)政府信息公开工作年度报告), with the agency on the line before when the title starts
  with the year (眉县人民政府 / 2017年政府信息公开工作年度报告);
- the page header block (发布时间 / 发布日期 / 发布机构 / 原始链接): used where it helps, but a
  发布机构 or 来源 naming a spam domain (www.828365.com) or another body never overrides the title;
- the body: the 统计期限 sentence, the dominant year of the opening section, the first
  subject of the opening section (2019年,余坊乡紧紧围绕… → 余坊乡人民政府), signature dates.

The covered year is never the publish year: without title, 统计期限 or body year it is the
publish year − 1 (only for a publish month ≤ 6), recorded in `year_source`.
"""
from __future__ import annotations

import re
from collections import Counter

from .normalize import text_lines
from .records import Document, ReportMeta

_HEAD_LINES = 60
_TITLE_HDR = re.compile(r"^\s*(?:标题|题名|文章标题)\s*[:：]\s*(?P<t>.+?)\s*$")
_TITLE_LINE = re.compile(
    r"^(?P<pre>[^\s《》“”。,，;；]{0,40}?)\s*(?:关于)?\s*(?P<y>(?:19|20)\d{2})\s*年(?:度)?\s*"
    r"(?:度)?(?:本级)?(?:政府)?(?:信息公开|政务公开|政府信息与政务公开)[^。;；]{0,14}?(?:年度报告|年报|工作报告|报告提纲|报告)")
_TITLE_YEAR_FIRST = re.compile(
    r"^(?P<y>(?:19|20)\d{2})\s*年度?\s*(?P<post>[\u4e00-\u9fff()（）]{2,30}?)(?:政府信息公开|信息公开|政务公开)[^。;；]{0,14}?(?:年度报告|年报|工作报告|报告)")
_YEAR_TITLE = re.compile(r"((?:19|20)\d{2})\s*年度?")
_HDR_FIELD = re.compile(
    r"^\s*[•·●]?\s*(?P<k>发布时间|发布日期|成文日期|生成日期|发文日期|时间|日期|发布机构|发文机关|来源|信息来源|原始链接|原文链接|链接)\s*[:：]\s*(?P<v>.*?)\s*$")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_URL_TS = re.compile(r"/(?:t|T)?((?:19|20)\d{2})(\d{2})(\d{2})_")
_URL_YM = re.compile(r"/((?:19|20)\d{2})(\d{2})/")
_PERIOD = re.compile(
    r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日(?:起)?\s*[,，]?\s*(?:至|到|—|-|~)\s*(?:((?:19|20)\d{2})\s*年\s*)?12\s*月\s*31\s*日")
_BODY_YEAR = re.compile(r"(?<![\d〔\[(（])((?:19|20)\d{2})\s*年(?![\d]{0,2}月\d)")
_CN_DATE = re.compile(r"([二〇○零一两三四五六七八九][二〇○零一两三四五六七八九]{3})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_SPAM = re.compile(r"(?:www\.|\.com|\.net|\.cn\b|https?:|[a-z]{3,}\d|\d{5,})", re.I)
_OPENING_SUBJECT = re.compile(
    r"(?:19|20)\d{2}\s*年(?:度|以来)?\s*[,，]?\s*(?:我|全)?(?P<n>[\u4e00-\u9fff]{2,14}?(?:人民政府|管委会|街道办事处|街道|乡|镇|县|自治县|市|区|旗|局|委员会|委|办公室|办公厅|厅|中心))"
    r"(?:认真|紧紧|坚持|深入|全面|按照|根据|围绕|以|在|进一步|严格|高度|继续|始终|切实|着力|积极|不断|共)")
_SIGN_ORG = re.compile(r"^\s*(?P<n>[\u4e00-\u9fff]{2,30}?(?:人民政府办公室|人民政府办公厅|人民政府|管委会|管理委员会|街道办事处|局|委员会|委|办公室|办公厅|厅|中心|领导小组))\s*$")
_SITE_OWNER = re.compile(r"主办(?:单位)?\s*[:：]\s*(?P<n>[\u4e00-\u9fff]{2,20}?(?:人民政府|政府|管委会)(?:办公室|办公厅)?)(?![\u4e00-\u9fff])")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "两": 2}

_ZONE = re.compile(r"(?:综合实验区|综合试验区|经济技术开发区|高新技术产业开发区|开发区|高新区|新区|试验区|实验区|园区|保税区)$")
_DEPT_SUFFIX = re.compile(
    r"(?:办公室|办公厅|局|委员会|委|厅|中心|院|所|队|站|署|会|办|处|社|馆|公司|集团|支队|总队|分局|小组|部)$")
_GOV_SUFFIX = re.compile(r"(?:人民政府|管委会|管理委员会|街道办事处|行政公署)$")
_REGION_TAIL = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|县|区|州|盟|旗|乡|镇|街道|苏木|地区|林区|特区)$")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# a report on a whole region: one pattern per leading word (each scan then jumps between
# occurrences of its word, much faster than one alternation tried at every position), each with
# that word: a text without it is not searched (str.find, cheaper still than the scan)
_AGGREGATE = (
    ("全", re.compile(r"全(?:(?:省|市|州|县|区|盟|旗)各级(?:各部门|行政机关|政府|人民政府)|(?:省|市|县|区)\s*[(（]含[^)）]{0,10}[)）]|"
                     r"(?:市|县|区)(?:各镇街|各乡镇|各街道|各县))")),
    ("综合", re.compile(r"综合[^。]{0,24}(?:各县|各区|各市|县区|区县|县市区|各乡镇)")),
    ("汇总", re.compile(r"汇总[^。]{0,24}(?:各县|各区|各市|县区|区县|县市区|各乡镇)")),
    ("各县", re.compile(r"各县[(（]?市?[)）]?、?区?[)）]?(?:政府)?和(?:市|省|县|区)政府各部门")),
)


def extract_metadata(doc: Document) -> ReportMeta:
    text = doc.text
    lines = text_lines(text)
    head = lines[:_HEAD_LINES]
    meta = ReportMeta()
    fields = _header_fields(head)

    title, title_prev = _find_title(head)
    meta.title = title
    agency = None
    if title:
        m = _TITLE_LINE.search(title)
        pre = m.group("pre") if m else ""
        pre = _title_subject(pre.strip())
        if not pre:
            fm = _TITLE_YEAR_FIRST.match(title)
            if fm and _named_body(fm.group("post")):
                pre = fm.group("post")
        if pre and not _SPAM.search(pre):
            agency = pre
        elif title_prev and not _SPAM.search(title_prev) and len(title_prev) <= 30:
            agency = title_prev
        ym = _YEAR_TITLE.search(title[m.start("y"):] if m else title)
        if ym:
            meta.report_year = int(ym.group(1))
            meta.year_source = "title"
    if not agency:
        org = fields.get("发布机构") or fields.get("发文机关")
        if org and not _SPAM.search(org) and re.fullmatch(r"[\u4e00-\u9fff()（）]{3,40}", org):
            # the government's report is published by its office (条例 art. 49)
            agency = re.sub(r"(人民政府|管委会|管理委员会)(?:办公室|办公厅)$", r"\1", org)
    body_start = _body_start(lines)
    body = text if body_start == 0 and len(lines) <= 400 else "\n".join(lines[body_start:body_start + 400])
    if not agency:
        m = _OPENING_SUBJECT.search(body[:6000])
        if m and not m.group("n").startswith(("我", "本", "全", "各", "该", "其")):
            agency = m.group("n")
    if not agency:
        agency = _signature_org(lines)
    if not agency:
        # last resort: the portal's owner in the footer (主办:荆州市政府办公室 → 荆州市人民政府)
        m = _SITE_OWNER.search("\n".join(lines[-40:]))
        if m and not _SPAM.search(m.group("n")):
            agency = re.sub(r"(政府|管委会)(?:办公室|办公厅)$", r"\1", m.group("n"))
    meta.agency = normalize_agency(agency) if agency else None

    # ---- year covered
    if meta.report_year is None:
        m = _PERIOD.search(body[:20000])
        if m:
            meta.report_year = int(m.group(2) or m.group(1))
            meta.year_source = "statistical_period"
    if meta.report_year is None:
        y = _dominant_year(body[:4000])
        if y:
            meta.report_year = y
            meta.year_source = "body_dominant_year"

    # ---- publish date
    meta.published_on = _publish_date(fields, lines, meta.report_year)
    if meta.report_year is None and meta.published_on:
        y, mth = int(meta.published_on[:4]), int(meta.published_on[5:7])
        if mth <= 6:
            meta.report_year = y - 1
            meta.year_source = "publish_date_minus_1"

    _levels(meta)
    meta.scope = _scope(meta, body)
    return meta


# ------------------------------------------------------------------ pieces
# one of 时间 日期 机构 机关 来源 链接 is in every _HDR_FIELD key (tested inline in _header_fields)
_FIELD_SEP = re.compile(r"\s(?:\s+|(?<=\t))")     # 2+ spaces or a tab, from a space (a class first: faster)
_NEXT_FIELD = re.compile(r"(?:有效性|文号|发布机构|公文生成日期|索引号|备注|来源|栏目)\s*[:：]")


def _header_fields(head: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ln in head:
        if (":" not in ln and "：" not in ln) or not ("时间" in ln or "日期" in ln or "机构" in ln or "机关" in ln
                                                     or "来源" in ln or "链接" in ln):
            continue        # a field has its colon and one of these words
        if len(ln) > 200 and not _field_colon(ln):
            continue        # a paragraph of the body: no part of it can be a field (a scan saved)
        # several header fields can share one line (发布时间：有效性： 有效)
        for part in _FIELD_SEP.split(ln.strip()):
            m = _HDR_FIELD.match(part)
            if m and m.group("k") not in out:
                v = m.group("v")
                # a field glued to the next label (文号：发布机构：) has no value of its own
                v = _NEXT_FIELD.split(v)[0].strip()
                out[m.group("k")] = v
    return out


_KEY_ENDS = ("时间", "日期", "机构", "机关", "来源", "链接")     # every _HDR_FIELD key ends in one


def _field_colon(ln: str) -> bool:
    """A colon stands after one of `_KEY_ENDS` (whitespace between allowed, as `\\s*` does):
    without one, no part of the line matches `_HDR_FIELD`. By `str.find`, a few colons a line."""
    for colon in (":", "："):
        i = ln.find(colon)
        while i >= 0:
            j = i
            while j > 0 and ln[j - 1].isspace():
                j -= 1
            if ln[j - 2:j] in _KEY_ENDS:
                return True
            i = ln.find(colon, i + 1)
    return False


_YEAR_AT_END = re.compile(r"(?:19|20)\d{2}\s*年度?$")
_CJK_AT_END = re.compile(r"[\u4e00-\u9fff]$")


def _find_title(head: list[str]) -> tuple[str | None, str | None]:
    for ln in head:
        m = _TITLE_HDR.match(ln) if "题" in ln else None      # 标题 / 题名 / 文章标题
        if m:
            return m.group("t").strip(), None
    prev = None
    for i, ln in enumerate(head):
        s = ln.strip()
        if not s:
            continue
        # both title patterns need 信息公开 / 政务公开, so a line without 公开 is no title
        if len(s) <= 60 and "公开" in s and not s.startswith(("根据", "本报告", "按照", "依据", "现将", "为")) \
                and "《" not in s:
            m = _TITLE_LINE.search(s)
            if not (m and m.start() == 0):
                fm = _TITLE_YEAR_FIRST.match(s)
                if fm and _named_body(fm.group("post")):
                    return s, None
            if m and m.start() == 0:
                if not m.group("pre"):
                    prev = _prev_nonempty(head, i)
                    if prev and (len(prev) > 30 or not _CJK_AT_END.search(prev)
                                 or not (_GOV_SUFFIX.search(prev) or _DEPT_SUFFIX.search(prev) or _REGION_TAIL.search(prev))):
                        prev = None
                    # the first line of a title broken in two (平潭综合实验区2018年度 / 政府信息公开工作年度报告)
                return s, prev
        # title split over two lines
        nxt = _next_nonempty(head, i) if len(s) <= 40 and s.endswith(("年", "度")) else None
        if nxt and _YEAR_AT_END.search(s):
            joined = s + nxt
            m = _TITLE_LINE.search(joined)
            if m and m.start() == 0 and len(joined) <= 70:
                return joined, None
    return None, None


def _prev_nonempty(lines: list[str], i: int) -> str | None:
    for j in range(i - 1, max(-1, i - 4), -1):
        if lines[j].strip():
            return lines[j].strip()
    return None


def _next_nonempty(lines: list[str], i: int) -> str | None:
    for j in range(i + 1, min(len(lines), i + 3)):
        if lines[j].strip():
            return lines[j].strip()
    return None


_BODY_MARK = re.compile(r"^\s*(?:=+\s*)?正文\s*[:：=]|^=+\s*正文\s*=+")


def _body_start(lines: list[str]) -> int:
    for i, ln in enumerate(lines[:_HEAD_LINES]):
        if "正文" in ln and _BODY_MARK.match(ln):
            return i + 1
    return 0


def _named_body(s: str) -> bool:
    """A name between the year and 政府信息公开 (2017年度大田县政府信息公开…), not 本级 / 政府."""
    s = re.sub(r"(?:人民)?政府$", "", s)
    return len(s) >= 2 and bool(_REGION_TAIL.search(s) or _DEPT_SUFFIX.search(s) or _ZONE.search(s))


def _title_subject(pre: str) -> str:
    """The body a title speaks for: XX市人民政府关于… → XX市人民政府; …办公室关于印发XX县… → XX县."""
    if "关于" not in pre:
        return pre
    before, _, after = pre.partition("关于")
    after = re.sub(r"^(?:印发|公布|发布|转发)", "", after)
    return after or before


def normalize_agency(name: str) -> str:
    n = re.sub(r"\s+", "", name)
    n = re.sub(r"^(?:关于|中共)", "", n)
    n = n.replace("（", "(").replace("）", ")")
    # short forms: 眉县政府 → 眉县人民政府, XX区政府办 → XX区人民政府办公室
    n = re.sub(r"(?<=[省市县区州旗])政府(办公室|办公厅|办)?$",
               lambda m: "人民政府" + ({"办": "办公室"}.get(m.group(1) or "", m.group(1) or "")), n)
    if _GOV_SUFFIX.search(n):
        return n.replace("管理委员会", "管委会")
    if _ZONE.search(n):
        return n + "管委会"
    if n.endswith("街道"):
        return n + "办事处"
    if _DEPT_SUFFIX.search(n) and not _REGION_TAIL.search(n):
        return n
    if _REGION_TAIL.search(n):
        return n + "人民政府"
    return n


def _signature_org(lines: list[str]) -> str | None:
    for ln in reversed(lines[-40:]):
        m = _SIGN_ORG.match(ln)
        if m and not m.group("n").endswith("领导小组"):
            return m.group("n")
    return None


def _dominant_year(s: str) -> int | None:
    s = re.sub(r"《[^》]{0,80}》|〔[^〕]{0,10}〕|\[[^\]]{0,10}\]", "", s)
    c = Counter(int(m.group(1)) for m in _BODY_YEAR.finditer(s))
    if not c:
        return None
    (y, n), *rest = c.most_common(2) + [(None, 0)]
    if rest and rest[0][1] == n:
        return None
    return y


def _iso(y: int, m: int, d: int) -> str | None:
    if 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def _cn_int(s: str) -> int | None:
    if all(c in _CN_DIGIT for c in s) and len(s) == 4:
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGIT.get(s[1], 0)
    if len(s) == 3 and s[1] == "十":
        return _CN_DIGIT.get(s[0], 0) * 10 + _CN_DIGIT.get(s[2], 0)
    if len(s) == 2 and s[1] == "十":
        return _CN_DIGIT.get(s[0], 0) * 10
    if len(s) == 1 and s in _CN_DIGIT:
        return _CN_DIGIT[s]
    return None


def _publish_date(fields: dict[str, str], lines: list[str], year: int | None) -> str | None:
    def plausible(iso: str | None) -> bool:
        # a page date before the end of the covered year is a placeholder (2019-01-01 on a 2019 report)
        return bool(iso) and (year is None or int(iso[:4]) > year)

    for k in ("发布时间", "发布日期", "成文日期", "发文日期", "时间", "日期"):
        v = fields.get(k)
        if v:
            m = _DATE.search(v)
            if m:
                iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                if plausible(iso):
                    return iso
    # signature date near the end of the text
    tail = "".join(ln.strip() for ln in lines[-60:])
    cands = []
    for m in _DATE.finditer(tail):
        cands.append(_iso(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _CN_DATE.finditer(tail):
        y, mo, d = _cn_int(m.group(1)), _cn_int(m.group(2)), _cn_int(m.group(3))
        if y and mo and d:
            cands.append(_iso(y, mo, d))
    for iso in reversed(cands):
        if plausible(iso):
            return iso
    url = fields.get("原始链接") or fields.get("原文链接") or fields.get("链接") or ""
    m = _URL_TS.search(url)
    if m:
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if plausible(iso):
            return iso
    return None


def _levels(meta: ReportMeta) -> None:
    a = meta.agency
    if not a:
        return
    gov = re.sub(r"(?:人民政府|管委会|街道办事处|行政公署)(?:办公室|办公厅)?$", "", a)
    is_gov = gov != a
    region = gov if is_gov else _region_prefix(a)
    if region:
        _split_region(meta, region)
    level = _region_level(region) if region else None
    if is_gov:
        meta.admin_level = None if a.endswith(("管委会", "管委会办公室")) else level
    else:
        meta.admin_level = "部门"
        meta.parent_level = level if region else ("国务院部门" if a.startswith(("国家", "国务院")) else None)
        if a.startswith(("国家", "国务院", "中国", "海关总署")) and not region:
            meta.admin_level = "国务院部门"
            meta.parent_level = None


_REGION_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}?(?:自治区|自治州|自治县|省|市|县|区|州|盟|旗|乡|镇|街道))+")


def _region_prefix(a: str) -> str | None:
    m = _REGION_PREFIX.match(a)
    return m.group(0) if m else None


def _split_region(meta: ReportMeta, region: str) -> None:
    parts = re.findall(r"[\u4e00-\u9fff]+?(?:自治区|自治州|自治县|综合实验区|实验区|开发区|新区|省|市|县|区|州|盟|旗|乡|镇|街道)(?![市县区盟旗])", region)
    for p in parts:
        if p.endswith(("省", "自治区")) or p in _MUNICIPALITIES:
            meta.region_province = meta.region_province or p
            if p in _MUNICIPALITIES:
                meta.region_city = meta.region_city or p
        elif p.endswith(("市", "州", "盟")) and meta.region_city is None:
            meta.region_city = p
        elif p.endswith(("县", "区", "旗")) and meta.region_county is None:
            meta.region_county = p


def _region_level(region: str) -> str | None:
    if region in _MUNICIPALITIES or region.endswith(("省", "自治区")):
        return "省级"
    if region.endswith(("乡", "镇", "街道", "苏木")):
        return "乡级"
    if region.endswith(("县", "旗", "区", "林区", "特区")):
        return "县级"
    if region.endswith(("市", "州", "盟", "地区")):
        return "地级"
    return None


def _scope(meta: ReportMeta, body: str) -> str | None:
    head = body[:8000]
    if any(word in head and rx.search(head) for word, rx in _AGGREGATE):
        return "region_aggregate"
    a = meta.agency or ""
    if re.search(r"(?:人民政府|管委会|街道办事处|行政公署)$", a):
        return "gov_level"
    return "self" if a else None
