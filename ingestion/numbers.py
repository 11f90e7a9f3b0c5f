"""Numbers as printed in tables and prose.

`parse_cell` reads one table cell: digits (after NFKC), thousands separators, spaces inside
numbers, decimals, units (元, 万元, 件 ...), signed changes (+3, -8, 减少3, 增加2项) and the
placeholders that mean "nothing printed" ('-', '/', '—', '无', ...), which are kept apart from 0.
`parse_cn_number` reads a prose number: Arabic or Chinese numerals (cn2an), 万/亿
multipliers and the approximation marks 余/多/约/近/左右.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .records import BLANK, PLACEHOLDER, VALUE

PLACEHOLDERS = {"-", "--", "—", "——", "–", "―", "/", "／", "无", "×", "x", "X", "n/a", "N/A", "暂无", "空", "\\", "·", "…", "......"}
UNITS = ("万元", "人次", "元", "件", "条", "项", "个", "人", "次", "篇", "份", "起", "宗", "家")
_CELL = re.compile(
    r"^(?P<sign>[+\-−]|增加|减少|增|减)?\s*(?P<num>\d[\d,\s]*(?:\.\d+)?|\.\d+)\s*(?P<unit>万元|人次|元|件|条|项|个|人|次|篇|份|起|宗|家)?$"
)


_DASHES = re.compile(r"[-—–―/／\\]+")
_SPACED_THOUSANDS = re.compile(r"\d{1,3}(?:[ ,]\d{3})+(?:\.\d+)?")
_COMMA_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(slots=True)
class Cell:
    value: float | None
    status: str
    unit: str | None = None
    raw: str = ""


def parse_cell(raw: str) -> Cell | None:
    """Parse a table cell. None means 'this is not a number cell' (e.g. a label)."""
    s = (raw or "").strip().replace("\u00a0", " ").replace("．", ".").replace("，", ",")
    if s == "":
        return Cell(None, BLANK, None, raw or "")
    if s.isdigit() and s.isascii():           # the usual cell: plain ASCII digits
        return Cell(float(s), VALUE, None, raw)
    if s in PLACEHOLDERS or _DASHES.fullmatch(s):
        return Cell(None, PLACEHOLDER, None, raw)
    m = _CELL.match(s)
    if not m:
        return None
    num = m.group("num").replace(",", "").replace(" ", "")
    # "1 234" is one number, but "1 2" could be two cells: only accept grouped thousands.
    inner = m.group("num").strip()
    if " " in inner and not _SPACED_THOUSANDS.fullmatch(inner):
        return None
    if "," in inner and not _COMMA_THOUSANDS.fullmatch(inner):
        return None
    value = float(num)
    sign = m.group("sign")
    if sign in ("-", "−", "减少", "减"):
        value = -value
    return Cell(value, VALUE, m.group("unit"), raw)


_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟廿卅"
CN_NUMBER = rf"[{_CN_DIGITS}]+"
ARABIC_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
APPROX_BEFORE = ("约", "近", "超过", "逾")
APPROX_AFTER = ("余", "多", "左右")


@functools.lru_cache(maxsize=4096)
def cn_to_number(s: str) -> float | None:
    """Chinese numerals to a number: 十七 → 17, 二十余 → 20, 两 → 2, 廿三 → 23, 壹佰 → 100."""
    s = s.replace("廿", "二十").replace("卅", "三十").replace("两", "二").replace("〇", "零")
    if not s:
        return None
    try:
        import cn2an

        return float(cn2an.cn2an(s, "smart"))
    except Exception:
        # digit-by-digit years such as 二零二三
        table = {c: i for i, c in enumerate("零一二三四五六七八九")}
        if all(c in table for c in s):
            return float("".join(str(table[c]) for c in s))
        return None


def parse_number_text(num: str, mult: str | None = None) -> float | None:
    """A prose number (Arabic or Chinese) with an optional 万/亿 multiplier."""
    num = num.replace(",", "")
    if _PLAIN_NUMBER.fullmatch(num):
        v = float(num)
    else:
        v = cn_to_number(num)
        if v is None:
            return None
    if mult == "万":
        v *= 10_000
    elif mult == "亿":
        v *= 100_000_000
    return round(v, 6)
