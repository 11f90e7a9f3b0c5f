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


def _unsettled() -> frozenset[str]:
    """Characters NFKC leaves alone that can still make a text not NFKC (`is_normalized`
    False): combining marks (reordered), the second character of a canonical pair and the
    Hangul vowel and final jamo (composed with the character before them)."""
    out = set()
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        if unicodedata.combining(ch) or 0x1161 <= cp <= 0x1175 or 0x11A8 <= cp <= 0x11C2:
            out.add(ch)
        d = unicodedata.decomposition(ch)
        if d and not d.startswith("<") and len(d.split()) == 2:
            out.add(chr(int(d.split()[1], 16)))
    return frozenset(ch for ch in out if not ("\ud800" <= ch <= "\udfff"))


_UNSETTLED = _unsettled()


def _scan_class(extra: frozenset[str]) -> re.Pattern:
    """A character class of every BMP character NFKC changes or `_NBSP_CHARS` holds, every one
    of `extra`, and every astral one (built once, ~20 ms). One plain class, so the scan is a
    single fast pass."""
    ranges: list[list[int]] = []
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or (unicodedata.normalize("NFKC", ch) == ch and ch not in _NBSP_CHARS
                                      and ch not in extra):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges)
    return re.compile(f"[{body}\\U00010000-\\U0010ffff]")


_SCAN_TRAD = _scan_class(_UNSETTLED | frozenset(_TRAD_ONLY))
_SCAN = _scan_class(_UNSETTLED)


def nfkc(text: str) -> tuple[str, bool]:
    """The `_NBSP_CHARS` made spaces, then `unicodedata.normalize("NFKC", text)`, in one scan
    and faster on long texts; and whether the result holds `_TRAD_MIN` traditional-only
    characters (`looks_traditional`), counted in the same scan.

    NFKC of a whole CJK text is slow, but these texts hold only a few distinct characters it
    changes (full-width punctuation), so each is replaced by its own NFKC form with one
    `str.replace`. That keeps NFKC's result (NFKD of each replaced character is unchanged; no
    NFKC form holds a `_NBSP_CHARS` character but the two NFKC keeps, U+200B and U+FEFF).
    Whatever is left for NFKC to do (combining sequences) needs an `_UNSETTLED` or astral
    character: only then `is_normalized` looks, and runs the real thing where it must."""
    check = False
    trad = 0
    scan = _SCAN_TRAD
    m = scan.search(text)
    while m:
        ch, at = m.group(), m.start()
        if ch in _TRAD_ONLY:
            trad += 1
            if trad >= _TRAD_MIN:
                scan = _SCAN
            m = scan.search(text, at + 1)
            continue
        if ch in _UNSETTLED:
            check = True
            m = scan.search(text, at + 1)
            continue
        folded, unsettled, n_trad = _fold(ch)
        text = text.replace(ch, folded)
        if unsettled:
            check = True
        # the copy of `folded` here is not scanned (the later ones are)
        trad += n_trad
        if trad >= _TRAD_MIN:
            scan = _SCAN
        m = scan.search(text, at + len(folded))
    if check and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
        return text, looks_traditional(text)
    return text, trad >= _TRAD_MIN


@functools.lru_cache(maxsize=4096)
def _fold(ch: str) -> tuple[str, bool, int]:
    """What `nfkc` replaces ch with, whether that holds a character `_SCAN` finds, and how many
    `_TRAD_ONLY` characters it holds (cached: the same few full-width characters in every text)."""
    folded = " " if ch in _NBSP_CHARS else unicodedata.normalize("NFKC", ch)
    return folded, _SCAN.search(folded) is not None, sum(1 for c in folded if c in _TRAD_ONLY)


def looks_traditional(text: str) -> bool:
    n = 0
    for _ in _TRAD_RE.finditer(text):
        n += 1
        if n >= _TRAD_MIN:
            return True
    return False


# (text, its lines) of the last text split by `text_lines`: metadata, the legacy table and the legacy
# prose each read the same report line by line. One tuple, replaced in a single assignment.
_LAST_LINES: tuple = (None, [])


def text_lines(text: str) -> list[str]:
    """`text.split("\n")`, made once for the readers of one document: the same list while the
    text is the same object. Callers read the list, never change it."""
    global _LAST_LINES
    last, lines = _LAST_LINES
    if last is not text:
        lines = text.split("\n")
        _LAST_LINES = (text, lines)
    return lines


def normalize_text(text: str) -> str:
    """Normalise a whole report's text (line structure kept)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, traditional = nfkc(text)       # the no-break and zero-width spaces too
    if traditional:
        text = _t2s().convert(text)
    text = _PINYIN.sub("", text)
    return text


@functools.lru_cache(maxsize=65536)
def label_key(label: str) -> str:
    """A label squeezed for matching: no whitespace/punctuation, 檔案→文件, 〇→零."""
    s = unicodedata.normalize("NFKC", label)
    s = _LABEL_DROP.sub("", s)
    return s.replace("檔案", "文件").replace("档案", "文件")
