"""Candidate readings of one table row from its printed pieces (the digit-run splitter).

A row of n cells may reach us as exactly n pieces (the normal case), or damaged by the scrape:
- more pieces than cells: trailing/leading empty cells left by colspans (dropped), or numbers
  broken over two lines (`1` / `62` is 162): adjacent digit pieces are joined;
- fewer pieces than cells: cells run together (`15130000154`): a glued digit run is split into
  several numbers; or identical consecutive lines merged by the scrape (`46 / 0 / 46`): each
  piece stands for one or more equal adjacent cells.
Every reading is a tuple of `Cand` cells. The caller keeps only readings that satisfy the
table's arithmetic; a cell counts only when all surviving readings agree on it. Searches are
capped (`CAP`): past the cap the row is left ambiguous rather than guessed.
"""
from __future__ import annotations

from itertools import chain, combinations, product
from math import prod
from typing import NamedTuple

from .newtables_text import Piece

CAP = 20000


class Cand(NamedTuple):
    value: float | None
    status: str      # value / blank / placeholder
    raw: str
    unit: str | None = None


_STATUS = {"num": "value", "ph": "placeholder", "blank": "blank"}


_new_cand = tuple.__new__     # what Cand(...) calls, without its Python-level __new__ (hot: one per cell)


def _cand(p: Piece) -> Cand:
    return _new_cand(Cand, (p.value, _STATUS.get(p.kind, "value"), p.raw.strip(), p.unit))


class _DigitCells(dict):
    """Digit string -> its cell, made on first use. Short strings (most cells: 0, 1, 27, 302)
    are kept, so a row's cells are mostly dict hits; at most 11,110 of them are ever kept."""

    def __missing__(self, t: str) -> Cand:
        c = _new_cand(Cand, (float(t), "value", t, None))
        if len(t) <= 4:
            self[t] = c
        return c


_digit_cell = _DigitCells().__getitem__


def digit_row(digits: list[str]) -> tuple[Cand, ...]:
    """The cells of a row printed as plain digit strings, one per cell: what `readings` makes of
    their pieces ('exact')."""
    return tuple(map(_digit_cell, digits))


def _num(s: str) -> float | None:
    """A digit string as one printed number: no leading zero (except '0' and '0.x')."""
    if not s or (len(s) > 1 and s[0] == "0" and s[1] != "."):
        return None
    if s.count(".") > 1 or s.endswith(".") or s.startswith("."):
        return None
    return float(s)


def readings(pieces: list[Piece], n: int, dedup: bool = False) -> tuple[list[tuple[Cand, ...]], str]:
    """All readings of `pieces` as n cells, and how they were made: 'exact' (as printed),
    'join' (numbers broken over lines: only an identity can confirm them), 'trim' (empty
    trailing cells counted as blank cells: idem), 'split' (a glued
    digit run), 'expand' (merged identical lines), or 'none'."""
    ps = list(pieces)
    if len(ps) > n:
        while len(ps) > n and ps[-1].kind == "blank":
            ps.pop()
        while len(ps) > n and ps[0].kind == "blank":
            ps.pop(0)
    m = len(ps)
    if m == n:
        row = tuple(map(_cand, ps))
        if ps[0].kind == "blank" or ps[-1].kind == "blank":
            # an empty first/last cell: a real blank cell, or a lost cell plus a colspan
            # remnant or padding? Only an identity can tell ('trim' needs confirmation)
            return [row], "trim"
        return [row], "exact"
    if m == 0:
        return [], "none"
    if m > n:
        return _joins(ps, n), "join"
    out: list[tuple[Cand, ...]] = []
    mode = "none"
    if dedup and all(not p.hard_after and not p.glued for p in ps):
        out.extend(_expansions(ps, n))
        mode = "expand"
    if any(p.glued and p.digits for p in ps):
        out.extend(_splits(ps, n))
        mode = "split"
    # one reading may come from both mechanisms
    return list(dict.fromkeys(out)), mode


def _joins(ps: list[Piece], n: int) -> list[tuple[Cand, ...]]:
    m = len(ps)
    k = m - n
    bounds = [i for i in range(m - 1)
              if ps[i].kind == "num" and ps[i + 1].kind == "num" and ps[i].digits and ps[i + 1].digits
              and not ps[i].hard_after and "." not in ps[i].digits]
    if len(bounds) < k:
        return []
    base = [_cand(p) for p in ps]
    out = []
    count = 0
    for chosen in combinations(bounds, k):
        count += 1
        if count > CAP:
            return []
        cset = set(chosen)
        cells: list[Cand] = []
        i = 0
        ok = True
        while i < m:
            j = i
            s = ps[i].raw.strip()
            while j in cset:
                j += 1
                s += ps[j].raw.strip()
            if j > i:
                v = _num(s)
                if v is None:
                    ok = False
                    break
                cells.append(_new_cand(Cand, (v, "value", s, ps[j].unit)))
            else:
                cells.append(base[i])
            i = j + 1
        if ok:
            out.append(tuple(cells))
    return out


def _expansions(ps: list[Piece], n: int) -> list[tuple[Cand, ...]]:
    """Each piece repeated r_i >= 1 times, sum r_i = n (identical adjacent cells were merged)."""
    m = len(ps)
    base = [_cand(p) for p in ps]
    if m == 1:
        return [(base[0],) * n]       # one printed cell standing for the whole row
    out = []
    last = base[-1]
    for count, cuts in enumerate(combinations(range(1, n), m - 1), 1):
        if count > CAP:
            return []
        row: tuple[Cand, ...] = ()
        prev = 0
        for c, cut in zip(base, cuts):      # piece i fills the cells up to cut i, the last one the rest
            row += (c,) * (cut - prev)
            prev = cut
        out.append(row + (last,) * (n - prev))
    return out


class _TooMany(Exception):
    pass


def _split_one(s: str, parts: int, limit: list[int], unit: str | None = None) -> list[tuple[Cand, ...]]:
    """All ways to cut digit string s into `parts` valid numbers (decimals stay in one part), as
    cells: the last part carries `unit`. Each part's cell is made once and shared by every
    reading that holds it (cells are immutable). More readings than `limit[0]` raise `_TooMany`."""
    n = len(s)
    if n == parts and limit[0] >= 1 and "." not in s:
        # as many parts as digits (0000000 as 7 cells): the one cut, each digit a cell
        limit[0] -= 1
        return [tuple([_digit_cell(d) for d in s[:-1]] + [_new_cand(Cand, (float(s[-1]), "value", s[-1], unit))])]
    if n < parts:
        return []
    # Bottom up, by the number of parts k: `tails[a]` are the cuts of s[a:] into k parts, for
    # every a a cut into parts-k leading parts can reach (parts-k <= a <= n-k). Per a, the cuts in
    # the order of the first part's length, then of the rest's cuts. No list here is longer than
    # the final one (each is copied into it, one cell ahead, or is empty and cuts nothing), so
    # the limit is tested on the final list only.
    dots = [i for i, ch in enumerate(s) if ch == "."]
    tails: dict[int, list[tuple[Cand, ...]]] = {}
    for a in range(parts - 1, n):
        rest = s[a:]
        v = _num(rest)
        tails[a] = [(_new_cand(Cand, (v, "value", rest, unit)),)] if v is not None else []
    for k in range(2, parts + 1):
        nxt: dict[int, list[tuple[Cand, ...]]] = {}
        for a in range(parts - k, n - k + 1):
            res: list[tuple[Cand, ...]] = []
            max_cut = n - a - (k - 1)
            for d in dots:
                if d >= a:
                    max_cut = min(max_cut, d - a)    # the first dot ends no part but the last
                    break
            if s[a] == "0":
                max_cut = min(max_cut, 1)  # a leading 0 is a cell of its own
            for i in range(1, max_cut + 1):
                t = tails[a + i]
                if t:
                    cell = (_digit_cell(s[a:a + i]),)
                    res += [cell + tail for tail in t]
            nxt[a] = res
        tails = nxt
    out = tails[0]
    if len(out) > limit[0]:
        raise _TooMany  # never a truncated (and so falsely unique) set of readings
    limit[0] -= len(out)
    return out


def _splits(ps: list[Piece], n: int) -> list[tuple[Cand, ...]]:
    """Cut glued digit runs so that the row has n cells."""
    extra = n - len(ps)
    idx = [i for i, p in enumerate(ps) if p.glued and p.digits]
    # distribute the extra cells over the glued pieces
    alloc_list: list[dict[int, int]] = []

    def alloc(pos: int, left: int, cur: dict[int, int]):
        if len(alloc_list) > CAP:
            return
        if pos == len(idx):
            if left == 0:
                alloc_list.append(dict(cur))
            return
        i = idx[pos]
        maxk = len(ps[i].digits.split(".")[0]) - 1
        for k in range(0, min(left, maxk) + 1):
            cur[i] = k
            alloc(pos + 1, left - k, cur)
        cur.pop(i, None)

    alloc(0, extra, {})
    if len(alloc_list) > CAP:
        return []
    out = []
    budget = [CAP]
    for a in alloc_list:
        # per piece, its possible cells: the piece as printed, or each cut of its digit run
        options: list[list[tuple[Cand, ...]]] = []
        for i, p in enumerate(ps):
            k = a.get(i, 0)
            if k == 0:
                options.append([(_cand(p),)])
            else:
                try:
                    opts = _split_one(p.digits, k + 1, budget, p.unit)
                except _TooMany:
                    return []
                if not opts:
                    break
                options.append(opts)
        else:
            # every option list is non-empty, so the product only grows: its size is the peak
            if prod(map(len, options)) > CAP:
                return []
            if len(options) == 1:     # one glued piece is the whole row: its cuts are the readings
                out.extend(options[0])
            else:
                out.extend(tuple(chain.from_iterable(combo)) for combo in product(*options))
        if budget[0] <= 0:
            return []
    return out


def agree(rows: list[tuple[Cand, ...]], n: int) -> list[Cand | None]:
    """Per cell: the value all readings agree on, else None (ambiguous)."""
    if not rows:
        return [None] * n
    if len(rows) == 1:
        return list(rows[0][:n])
    out: list[Cand | None] = []
    for j in range(n):
        first = rows[0][j]
        value, status = first.value, first.status
        for r in rows[1:]:
            c = r[j]
            if not (c.value == value and c.status == status):
                out.append(None)
                break
        else:
            out.append(first)
    return out
