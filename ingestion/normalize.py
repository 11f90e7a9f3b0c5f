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

_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]{1,8})\)")
# Characters that occur only in traditional script and are frequent in these reports.
_TRAD_ONLY = set("務開與資請處報關據計說這個們會於為門機構條舉屬決應職權經濟營業總數點網頁數線")
_TRAD_MIN = 8
_NBSP = re.compile(r"[\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]")
_LABEL_DROP = re.compile(r"[\s\u00a0\u3000、，,。．.:：;；·•・|\"'“”‘’《》〈〉<>\[\]【】()（）〔〕{}_\-—–―~～/\\*]+")


@functools.lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # opencc-python-reimplemented

    return OpenCC("t2s")


def looks_traditional(text: str) -> bool:
    n = 0
    for ch in text:
        if ch in _TRAD_ONLY:
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
    text = _NBSP.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    text = _PINYIN.sub("", text)
    return text


@functools.lru_cache(maxsize=65536)
def label_key(label: str) -> str:
    """A label squeezed for matching: no whitespace/punctuation, 檔案→文件, 〇→零."""
    s = unicodedata.normalize("NFKC", label)
    s = _LABEL_DROP.sub("", s)
    return s.replace("檔案", "文件").replace("档案", "文件")
