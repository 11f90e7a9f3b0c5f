"""Text helpers for the new-format tables: a squeezed view of the text and value pieces.

`Squeezed` removes whitespace and cell separators ('|', tabs) so that labels broken over lines
or cells ("自\\n然人", "商业 企业", "结\\n果\\n维\\n持") match one regex, while every match maps
back to the original text, where the value cells between two labels are read with their line
and cell structure (`read_pieces`).

A piece is one printed cell: a number (with its digit string, for the digit-run splitter), a
placeholder ('-', '/', '无' ...), an explicit blank cell (only between two separators of a pipe
or tab row) or text. `glued` marks a number printed without any separator next to label text
(`规章000行政规范性文件`): such a digit run may hold several cells.
"""
from __future__ import annotations

from bisect import bisect_right
import re
from itertools import accumulate
from dataclasses import dataclass

from .numbers import UNITS, parse_cell
from .records import BLANK, PLACEHOLDER, VALUE

_SEP_LINE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")  # markdown |---|---|
_DIGITS = re.compile(r"^[+\-]?\d+(?:\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")


class Squeezed:
    """The text without whitespace and '|', with a map back to original offsets (built on the
    first `orig` call: detection reads only `s`)."""

    __slots__ = ("text", "s", "_base", "_lines", "_s_starts", "_o_lens", "_line_runs")

    def __init__(self, text: str, base: int = 0):
        self.text = text
        part = text[base:] if base else text
        # str.split() cuts at exactly the characters the regex class \s matches (str.isspace)
        self.s = "".join((part.replace("|", " ") if "|" in part else part).split())
        self._base = base
        self._lines: list[str] = []
        self._s_starts: list[int] | None = None
        self._o_lens: list[int] | None = None
        self._line_runs: dict[int, tuple[list[int], list[int]]] = {}

    def whole(self) -> str:
        """The whole text squeezed the same way (`s` is its part from the table anchor on)."""
        head = self.text[:self._base]
        return "".join((head.replace("|", " ") if "|" in head else head).split()) + self.s

    def _build_map(self) -> list[int]:
        """Squeezed start of every line (and the total at the end) and the original length of
        the lines before it. Made by str methods over the whole text: ' ', '|' and '\t' removed
        leave the squeezed lines, unless the text holds some other whitespace (then line by line).
        A text whose only gaps are its line breaks (the usual one-cell-per-line table) needs the
        squeezed starts alone (`_o_lens` stays None)."""
        part = self.text[self._base:] if self._base else self.text
        self._lines = lines = part.split("\n")
        if len(part) - len(lines) + 1 == len(self.s):
            self._s_starts = s_starts = [0, *accumulate(map(len, lines))]
            return s_starts
        bare = part.replace(" ", "")
        for gap in "|\t":
            if gap in bare:
                bare = bare.replace(gap, "")
        if len(bare) - len(lines) + 1 == len(self.s):
            bare_lines = bare.split("\n")
        else:
            bare_lines = ["".join(ln.replace("|", " ").split()) for ln in lines]
        self._o_lens = [0, *accumulate(map(len, lines))]
        self._s_starts = s_starts = [0, *accumulate(map(len, bare_lines))]
        return s_starts

    def orig(self, i: int) -> int:
        """Original offset of squeezed offset i (i == len(s) maps to the end of the text)."""
        if i >= len(self.s):
            return len(self.text)
        s_starts = self._s_starts
        if s_starts is None:
            s_starts = self._build_map()
        if i < 0:
            return 0
        # the line holding squeezed char i: the last one starting at or before it (lines without
        # squeezed chars share their start with the next line, so they are never picked)
        k = bisect_right(s_starts, i) - 1
        if self._o_lens is None:
            return self._base + i + k       # no gaps but the k line breaks before it
        r = i - s_starts[k]
        o = self._base + self._o_lens[k] + k      # the line's original start (k line breaks before it)
        if s_starts[k + 1] - s_starts[k] == len(self._lines[k]):
            return o + r        # a line without gaps (the usual table line)
        runs = self._line_runs.get(k)
        if runs is None:
            runs = self._line_runs[k] = _runs(self._lines[k])
        j = bisect_right(runs[0], r) - 1
        return o + runs[1][j] + (r - runs[0][j])

    def between(self, a: int, b: int) -> str:
        """The original text from just after squeezed char a-1 to squeezed offset b:
        text[orig_end(a):orig(b)], in one call for a text whose only gaps are line breaks."""
        if self._o_lens is None and self._s_starts is not None and 0 < a <= b < len(self.s):
            # orig(i) = base + i + (lines before i's line), the line count by bisect as in orig
            s_starts = self._s_starts
            base = self._base
            return self.text[base + a - 1 + bisect_right(s_starts, a - 1):base + b - 1 + bisect_right(s_starts, b)]
        return self.text[self.orig_end(a) if a > 0 else 0:self.orig(b)]

    def orig_end(self, i: int) -> int:
        """Original offset just after squeezed char i-1 (for match ends)."""
        if i <= 0:
            return 0
        return self.orig(i - 1) + 1


def _runs(line: str) -> tuple[list[int], list[int]]:
    """Squeezed and original start, in the line, of each run of non-gap characters."""
    s_starts: list[int] = []
    o_starts: list[int] = []
    n = p = 0
    for run in (line.replace("|", " ") if "|" in line else line).split():
        p = line.find(run, p)       # only gap characters lie between two runs: the next hit is the run
        s_starts.append(n)
        o_starts.append(p)
        n += len(run)
        p += len(run)
    return s_starts, o_starts


_LAST: list = [None, None]


_ANCHORS = ("第二十条", "信息内容", "本年新收", "申请人情况", "复议后起诉", "未经复议")


def squeezed(text: str) -> Squeezed | None:
    """The squeezed view of the table part of `text` (from a little before the first table
    anchor), or None when the text has no new-format table anchor at all. Reused when
    detection and extraction read the same text."""
    if _LAST[0] is text:
        return _LAST[1]
    first = min((i for i in (text.find(a) for a in _ANCHORS) if i >= 0), default=-1)
    sq = Squeezed(text, max(0, first - 600)) if first >= 0 else None
    _LAST[0], _LAST[1] = text, sq
    return sq


@dataclass(slots=True)
class Piece:
    kind: str                 # 'num', 'ph' (placeholder), 'blank', 'text'
    raw: str
    value: float | None = None
    unit: str | None = None
    digits: str = ""          # digit string of an unsigned integer or decimal (splittable/joinable)
    hard_after: bool = False  # an explicit cell separator follows (pipe/tab)
    glued: bool = False       # touches label text with no separator

    @property
    def status(self) -> str:
        return {"num": VALUE, "ph": PLACEHOLDER, "blank": BLANK}.get(self.kind, VALUE)


# a number run into the label after it; a count unit after it (213件，…) marks prose instead
_LEAD_NUM = re.compile(r"^(\d+(?:\.\d+)?(?:万元|元)?)(?=[\u4e00-\u9fff])(?![件项条个次人份篇起宗家余多万亿])")
# its first digit first (the scan jumps between digits), the character before it behind that
_TAIL_NUM = re.compile(r"\d(?<=[\u4e00-\u9fff\u3001\uff09)\u201d]\d)\d*(?:\.\d+)?$")


# tokens known to read as one text piece (label and heading words, seen again in every report):
# their pieces are made without parse_cell and the number regexes; at most 4,096 are kept
_TEXT_WORDS: set[str] = set()


def _tokens(tok: str) -> list[Piece]:
    """A whitespace-free token; a number run together with label text is cut off it."""
    p = _token_piece(tok)
    if p.kind != "text" or tok in _TEXT_WORDS:
        return [p]
    m = _LEAD_NUM.match(tok)
    if m:
        head = _token_piece(m.group(1))
        head.glued = True
        return [head, Piece("text", tok[m.end():])]
    m = _TAIL_NUM.search(tok)
    if m:
        tail = _token_piece(m.group())
        tail.glued = True
        return [Piece("text", tok[:m.start()]), tail]
    if len(tok) <= 24 and len(_TEXT_WORDS) < 4096:     # label words, not whole sentences of prose
        _TEXT_WORDS.add(tok)
    return [p]


def _token_piece(tok: str) -> Piece:
    if tok.isdigit() and tok.isascii():
        return Piece("num", tok, float(tok), None, tok)
    if tok in _TEXT_WORDS:
        return Piece("text", tok)
    c = parse_cell(tok)
    if c is None:
        return Piece("text", tok)
    if c.status == VALUE:
        t = tok.strip()
        digits = t if _PLAIN_NUMBER.fullmatch(t) else ""
        return Piece("num", tok, c.value, c.unit, digits)
    if c.status == PLACEHOLDER:
        return Piece("ph", tok)
    return Piece("blank", tok)


def read_pieces(seg: str, left: str = "", right: str = "") -> list[Piece]:
    """Cells of a segment of original text, in order. `left`/`right` are the characters just
    outside the segment (to tell a glued digit run)."""
    out: list[Piece] = []
    if "|" not in seg and "\t" not in seg:
        # fast path: cells one per line or separated by spaces
        text = False        # a token other than plain digits (only those can make text pieces)
        for tok in seg.split():
            if tok.isdigit() and tok.isascii():
                out.append(Piece("num", tok, float(tok), None, tok))
            else:
                out.extend(_tokens(tok))
                text = True
        return _finish(out, seg, left, right, text)
    tabs = "\t" in seg
    for line in seg.split("\n"):
        if "|" in line or (tabs and "\t" in line):
            if not line.strip() or ("-" in line and _SEP_LINE.match(line)):
                continue
            cells = (line.replace("\t", "|") if tabs else line).split("|")
            last = len(cells) - 1
            for i, cell in enumerate(cells):
                c = cell.strip()
                if not c:
                    if 0 < i < last:
                        out.append(Piece("blank", cell, hard_after=True))
                    continue
                if c.isdigit() and c.isascii():      # the usual cell, as in the fast path
                    out.append(Piece("num", c, float(c), None, c, i < last))
                    continue
                p = _token_piece(c)
                if p.kind != "text":
                    ps = [p]
                elif " " in c:
                    sub = [_token_piece(t) for t in c.split()]
                    ps = sub if all(x.kind != "text" for x in sub) else [p]
                else:
                    ps = _tokens(c)
                ps[-1].hard_after = i < last
                out.extend(ps)
        else:
            for tok in line.split():
                if tok.isdigit() and tok.isascii():
                    out.append(Piece("num", tok, float(tok), None, tok))
                else:
                    out.extend(_tokens(tok))
    return _finish(out, seg, left, right)


def plain_cells(seg: str) -> tuple[str, list[str]] | None:
    """A segment printed as label words (tokens that read as text) and then plain digit tokens:
    the words joined (`value_run`'s lead) and the digit strings (its run, with nothing after it).
    Cell separators ('0 |', '| 11 | 0 | 0 |') are allowed with one word per cell and blank cells
    only after the digits (`_unpiped`): then the digits are the cells only when they are as many
    as the row has cells (trailing blank cells drop out, see `readings`), and their pieces differ
    from `read_pieces`' (no cell edges). None for any other segment: read it with `read_pieces`."""
    if "\t" in seg:
        return None
    blanks_after = False
    if "|" in seg:
        unpiped = _unpiped(seg)
        if unpiped is None:
            return None
        seg, blanks_after = unpiped
    toks = seg.split()
    joined = "".join(toks)
    if joined.isdigit() and joined.isascii():
        return "", toks         # the usual row: digit tokens alone
    i = len(toks)
    while i and toks[i - 1].isdigit() and toks[i - 1].isascii():
        i -= 1
    if blanks_after and i == len(toks):
        return None     # blank cells after no digit at all
    if not i:
        return "", toks
    for tok in toks[:i]:
        if not _is_text_word(tok):
            return None
    return "".join(toks[:i]), toks[i:]


def _unpiped(seg: str) -> tuple[str, bool] | None:
    """A segment with cell separators, as the same tokens without them, and whether blank cells
    (empty between two separators) follow them; None when a cell (or a line without separators)
    holds several words, a blank cell comes before a token, or a line may be a markdown rule:
    read it with `read_pieces`. By str methods and two regex scans over the whole segment."""
    if "-" in seg or _TWO_WORDS.search(seg):
        return None
    blank = _BLANK_CELL.search(seg)
    if blank is None:
        return seg.replace("|", " "), False
    if seg[blank.start():].replace("|", " ").strip():
        return None     # a token after a blank cell
    return seg.replace("|", " "), True


_TWO_WORDS = re.compile(r"[^\s|][^\S\n]+[^\s|]")     # two words with no separator or line break between
_BLANK_CELL = re.compile(r"\|[^\S\n]*\|")            # an empty cell between two separators


def _is_text_word(tok: str) -> bool:
    """`_tokens(tok)` is one text piece."""
    if tok in _TEXT_WORDS:
        return True
    ps = _tokens(tok)
    return len(ps) == 1 and ps[0].kind == "text"


def plain_run(seg: str, lead: str, digits: list[str], left: str = "", right: str = "") -> list[Piece]:
    """The cells `value_run(read_pieces(seg, left, right))` gives for a segment that `plain_cells`
    read as (lead, digits), without reading it again: its lead is text only and nothing follows
    the digits, so the run is the digit pieces, glued at an end as `_finish` marks them."""
    run = [Piece("num", t, float(t), None, t) for t in digits]
    if run:
        _mark_glued(None if lead else run[0], run[-1], seg, left, right)
    return run


def _finish(out: list[Piece], seg: str, left: str, right: str, text: bool = True) -> list[Piece]:
    # a unit printed as its own token belongs to the number before it
    merged: list[Piece] = out
    if text and any(p.kind == "text" for p in out):
        merged = []
        for p in out:
            if p.kind == "text" and p.raw.strip() in UNITS and merged and merged[-1].kind == "num" \
                    and merged[-1].unit is None:
                merged[-1].unit = p.raw.strip()
                merged[-1].raw += p.raw
                continue
            merged.append(p)
    if merged:
        _mark_glued(merged[0], merged[-1], seg, left, right)
    return merged


def _mark_glued(first: Piece | None, last: Piece | None, seg: str, left: str, right: str) -> None:
    """The segment's first and last pieces, when numbers printed against the label text just
    outside the segment (`left`, `right`: no space, line break or separator between), are glued."""
    if first is not None and first.kind == "num" and seg.lstrip(" ")[:1] not in ("\n", "|", "\t") \
            and _is_label_char(left):
        first.glued = True
    if last is not None and last.kind == "num" and seg.rstrip(" ")[-1:] not in ("\n", "|", "\t") \
            and _is_label_char(right):
        last.glued = True


def first_run(seg: str, left: str = "", right: str = "") -> list[Piece]:
    """The run of `value_run(read_pieces(seg, left, right))`, reading tokens only until the run
    ends (table 4's cells are followed by the rest of the report). The pieces are made as
    `read_pieces` makes them: a unit token joins the number before it, and the run's ends are
    glued where they are the segment's ends."""
    if "|" in seg or "\t" in seg:
        return value_run(read_pieces(seg, left, right))[1]
    pieces: list[Piece] = []
    at = -1         # index of the run's first piece, once it has started
    for tok in seg.split():
        for p in ([Piece("num", tok, float(tok), None, tok)] if tok.isdigit() and tok.isascii() else _tokens(tok)):
            if p.kind == "text":
                prev = pieces[-1] if pieces else None
                if prev is not None and prev.kind == "num" and prev.unit is None and p.raw.strip() in UNITS:
                    prev.unit = p.raw.strip()
                    prev.raw += p.raw
                    continue
                if at >= 0:     # text after the run: the run is over, and not at the segment's end
                    _mark_glued(pieces[0] if at == 0 else None, None, seg, left, right)
                    return pieces[at:]
            elif at < 0:
                at = len(pieces)
            pieces.append(p)
    if at < 0:
        return []
    _mark_glued(pieces[0] if at == 0 else None, pieces[-1], seg, left, right)
    return pieces[at:]


def _is_label_char(ch: str) -> bool:
    return bool(ch) and not ch.isspace() and ch not in "|\t"


def value_run(pieces: list[Piece]) -> tuple[str, list[Piece], list[Piece]]:
    """Split pieces into the text before the row's cells (the rest of the label, a group
    label), the cells, and what follows them (an unknown row, a note): the first text after a
    cell ends the row."""
    i = 0
    n = len(pieces)
    while i < n and pieces[i].kind == "text":
        i += 1
    j = i
    while j < n and pieces[j].kind != "text":
        j += 1
    lead = "".join(p.raw.strip() for p in pieces[:i]) if i else ""
    return lead, pieces[i:j], pieces[j:]


def merged_duplicates(text: str) -> bool:
    """True when no two consecutive non-empty lines are identical although the text has many
    short number lines: the scrape merged identical consecutive lines (the 莆田 crawl)."""
    prev = None
    numeric = 0
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            continue
        if s == prev and len(s) <= 12:
            return False
        if len(s) <= 12 and _DIGITS.match(s):
            numeric += 1
        prev = s
    return numeric >= 10
