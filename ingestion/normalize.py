"""Text normalisation shared by every extractor.

- NFKC folds full-width digits, letters and punctuation (０-９, （一）, ，) to half-width.
- Traditional characters (繁體 toggles, content-farm mirrors) become simplified (OpenCC t2s),
  only when the text shows traditional-only characters, since conversion is slow.
- Pinyin noise injected by mirrors ("政(zheng)府", "關(guān)") is stripped.
- `label_key` squeezes a label for matching: no whitespace or punctuation, 檔案→文件.
"""
from __future__ import annotations

import functools
import re
import unicodedata

# The "(" comes first (the lookbehind after it) so the scan jumps from one "(" to the next.
_PINYIN = re.compile(r"\((?<=[\u4e00-\u9fff]\()(?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]{1,8})\)")
# Characters that occur only in traditional script and are frequent in these reports.
_TRAD_ONLY = set("務開與資請處報關據計說這個們會於為門機構條舉屬決應職權經濟營業總數點網頁數線")
_TRAD_MIN = 8
_NBSP_CHARS = "\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff"     # become one space
_LABEL_DROP = re.compile(r"[\s\u00a0\u3000、，,。．.:：;；·•・|\"'“”‘’《》〈〉<>\[\]【】()（）〔〕{}_\-—–―~～/\\*]+")


@functools.lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # opencc-python-reimplemented

    return OpenCC("t2s")


_TRAD_RE = re.compile("[" + "".join(sorted(_TRAD_ONLY)) + "]")


def _nfkc_class() -> re.Pattern:
    """A character class of every BMP character NFKC changes or `_NBSP_CHARS` holds, and every
    astral one (built once, ~20 ms). One plain class, so the scan is a single fast pass."""
    ranges: list[list[int]] = []
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or (unicodedata.normalize("NFKC", ch) == ch and ch not in _NBSP_CHARS):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges)
    return re.compile(f"[{body}\\U00010000-\\U0010ffff]")


_NEEDS_NFKC = _nfkc_class()


def nfkc(text: str) -> str:
    """The `_NBSP_CHARS` made spaces, then `unicodedata.normalize("NFKC", text)`, in one scan
    and faster on long texts: NFKC of a whole CJK text is slow, but these texts hold only a few
    distinct characters it changes (full-width punctuation), so each is replaced by its own
    NFKC form with one `str.replace`. That keeps NFKC's result (NFKD of each replaced character
    is unchanged; no NFKC form holds a `_NBSP_CHARS` character but the two NFKC keeps, U+200B
    and U+FEFF); whatever is left for NFKC to do (combining sequences) is caught by
    `is_normalized`, which then runs the real thing."""
    m = _NEEDS_NFKC.search(text)
    while m:
        ch, at = m.group(), m.start()
        folded = " " if ch in _NBSP_CHARS else unicodedata.normalize("NFKC", ch)
        text = text.replace(ch, folded)
        m = _NEEDS_NFKC.search(text, at + len(folded))
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def looks_traditional(text: str) -> bool:
    n = 0
    for _ in _TRAD_RE.finditer(text):
        n += 1
        if n >= _TRAD_MIN:
            return True
    return False


def to_simplified(text: str) -> str:
    if not looks_traditional(text):
        return text
    return _t2s().convert(text)


def normalize_text(text: str) -> str:
    """Normalise a whole report's text (line structure kept)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = nfkc(text)       # the no-break and zero-width spaces too
    text = to_simplified(text)
    text = _PINYIN.sub("", text)
    return text


@functools.lru_cache(maxsize=65536)
def label_key(label: str) -> str:
    """A label squeezed for matching: no whitespace/punctuation, 檔案→文件, 〇→零."""
    s = unicodedata.normalize("NFKC", label)
    s = _LABEL_DROP.sub("", s)
    return s.replace("檔案", "文件").replace("档案", "文件")
