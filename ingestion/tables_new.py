"""Tables 2-4 of the trial_2019 and format_2021 reports (FORMATS.md §1.1-1.3, §3).

The text is read through a squeezed view (`newtables_text.Squeezed`): row labels are found in
order with the regexes of `newtables_labels`, and the cells of a row are the pieces printed
between its label and the next label. Damaged rows (cells run together, numbers broken over
lines, identical lines merged by the scrape) get several readings (`newtables_split`), and the
table's arithmetic picks the one that fits (`newtables_solve`); when more than one fits, the
cells they disagree on are recorded as ambiguous, never guessed.

Every layout goes through the same path: one cell per line, pipe / markdown / tab rows (blank
cells between separators are kept as blank), HTML (decode renders each table as pipe rows at
its position), whole rows on one line, and text with no separators at all.
"""
from __future__ import annotations

from . import catalog
from .newtables_labels import (COL_LABEL, GROUPS, HEADER_UNIT_RE, M2019_OVERLAP, M2019_WORDS, M2021_T3, M2021_WORDS,
                               SUBTOTAL_OF, T2_COL_LABEL, T2_COLUMNS, T2_ROWS, T2_RE, T2_START_RE, T3_COL_RE,
                               T3_BACK, T3_BY_LIT, T3_DEFAULT_COLS, T3_ENUM, T3_PRESENT, T3_RE, T3_ROWS, T3_SUB, T3_TOP,
                               T4_BLOCK_LABEL, T4_BLOCKS, T4_COL_LABEL, T4_COLS, T4_HEAD, T4_WORDS)
from .newtables_solve import block_check, row_checker, solve
from .newtables_split import Cand, agree, digit_row, readings
from .newtables_text import (Piece, Squeezed, first_run, merged_duplicates, plain_cells, plain_run, read_pieces,
                             squeezed, value_run)
from .records import AMBIGUOUS, Document, Metric, UnmappedCell


# ------------------------------------------------------------------ detection
def detect_new_format(doc: Document) -> str | None:
    sq = squeezed(doc.text)
    return _detect(sq.s) if sq is not None else None


def _detect(s: str) -> str | None:
    # the labels of table 2 are counted only where table 2 starts
    t2_start = T2_START_RE.search(s) is not None
    n21 = _count_markers(s, M2021_WORDS) if t2_start else 0
    n19 = _count_markers(s, M2019_WORDS) - s.count(M2019_OVERLAP) if t2_start else 0
    t3 = T3_PRESENT.search(s) is not None and "予以公开" in s
    t4 = T4_HEAD.search(s) is not None and ("复议后起诉" in s or "未经复议直接起诉" in s)
    has_t2 = (n21 or n19) and t2_start
    if not (has_t2 or t3 or t4):
        return None
    if has_t2 and n21 != n19:
        return "format_2021" if n21 > n19 else "trial_2019"
    if t3:
        return "format_2021" if M2021_T3.search(s) else "trial_2019"
    return None


def _count_markers(s: str, words: tuple[str, ...]) -> int:
    """len(re.findall) of the words' alternation, by str.count (see newtables_labels.M2019_WORDS)."""
    return sum([s.count(w) for w in words])


# ------------------------------------------------------------------ extraction
def extract_new_tables(doc: Document, fmt: str, table3: dict[str, dict[str, Metric]] | None = None
                       ) -> tuple[list[Metric], list[UnmappedCell]]:
    """Tables 2-4. `table3`, when given, is filled with row -> column -> metric of table 3's
    cells, in the order of the metrics: what `derive.derived_from_table3` reads (the only table
    metrics with `applications.` keys, so derive need not find them among all the metrics)."""
    sq = squeezed(doc.text)
    if sq is None:
        return [], []
    metrics: list[Metric] = []
    unmapped: list[UnmappedCell] = []
    s = sq.s
    m3 = T3_PRESENT.search(s)
    t3_start = m3.start() if m3 else None
    m2 = T2_START_RE.search(s, 0, t3_start if t3_start is not None else len(s))
    # merged identical lines are judged on the table lines only
    t_from = m2.start() if m2 else (t3_start or 0)
    t_to = s.find("五、", t3_start if t3_start is not None else t_from)
    dedup = merged_duplicates(sq.text[sq.orig(t_from):sq.orig(t_to if t_to >= 0 else len(s))])
    if m2:
        _table2(sq, fmt, dedup, m2.start(), t3_start if t3_start is not None else len(s), metrics, unmapped)
    t4_from = 0
    if t3_start is not None:
        t3_end = s.find("行政复议", t3_start)
        t3_end = len(s) if t3_end < 0 else t3_end
        _table3(sq, fmt, dedup, t3_start, t3_end, metrics, unmapped, table3)
        t4_from = t3_end
    elif m2:
        t4_from = m2.start()
    _table4(sq, fmt, dedup, t4_from, metrics, unmapped)
    return metrics, unmapped


def _segment(sq: Squeezed, a: int, b: int, text: str | None = None) -> list[Piece]:
    """Pieces printed between squeezed offsets a (end of a label) and b (start of the next);
    `text`: that part of the original text when already cut (`_segment_text`)."""
    s = sq.s
    if text is None:
        text = _segment_text(sq, a, b)
    return read_pieces(text, s[a - 1] if a > 0 else "", s[b] if b < len(s) else "")


def _segment_text(sq: Squeezed, a: int, b: int) -> str:
    return sq.between(a, b)


def _row_pieces(sq: Squeezed, a: int, b: int, text: str, plain) -> tuple[str, list[Piece], list[Piece]]:
    """`value_run` of the segment's pieces (`_segment`); a segment `plain_cells` has read (`plain`)
    gives its run from those digits, not by reading the text again."""
    if plain is None or "|" in text:      # separators: pieces have cell edges (hard_after), blanks
        return value_run(_segment(sq, a, b, text))
    s = sq.s
    lead, digits = plain
    return lead, plain_run(text, lead, digits, s[a - 1] if a > 0 else "", s[b] if b < len(s) else ""), []


def _raw(run: list[Piece]) -> str:
    return " ".join(p.raw.strip() for p in run if p.raw.strip()) or ""


_new_metric = object.__new__     # a Metric with no field set yet: every field must be set after it


def _metric(key, cell: Cand | None, run, label, col_label, table_id, unit) -> Metric:
    if cell is None:
        return Metric(key, None, _raw(run), label, col_label, "table", table_id, unit, False, False,
                      AMBIGUOUS, "several readings fit the table arithmetic")
    return Metric(key, cell.value, cell.raw, label, col_label, "table", table_id, cell.unit or unit, False, False,
                  cell.status)


_KEYS: dict[tuple[str, str, str, str], str | None] = {}


def _key(fmt: str, prefix: str, row: str, col: str) -> str | None:
    """The catalog key prefix.row.col for this format, or None (cached: called per cell)."""
    k = (fmt, prefix, row, col)
    if k not in _KEYS:
        key = f"{prefix}.{row}.{col}" if row else f"{prefix}.{col}"
        _KEYS[k] = key if catalog.is_key(key, fmt) else None
    return _KEYS[k]


_ROW_KEYS: dict[tuple, tuple[str | None, ...]] = {}


def _row_keys(fmt: str, prefix: str, row: str, cols: tuple[str, ...]) -> tuple[str | None, ...]:
    """`_key` of each column of a row (cached: one lookup per row instead of one per cell)."""
    k = (fmt, prefix, row, cols)
    keys = _ROW_KEYS.get(k)
    if keys is None:
        keys = _ROW_KEYS[k] = tuple(_key(fmt, prefix, row, c) for c in cols)
    return keys


_UNITS: dict[tuple[str, str], str | None] = {}


def _unit(key: str, fmt: str) -> str | None:
    """The catalog unit of a key (None: 'as stated' or no entry); cached: called per cell."""
    k = (key, fmt)
    if k not in _UNITS:
        e = catalog.lookup(key, fmt)
        _UNITS[k] = None if e is None or e.unit == "as stated" else e.unit
    return _UNITS[k]


def _leftover(rest: list[Piece], table_id: str, unmapped: list[UnmappedCell], row_index: int) -> None:
    """Cells after an unknown label inside a table (local extra rows such as 其他主动公开文件):
    kept as unmapped cells with that label. Blank cells (colspan remnants) are not recorded."""
    label = ""
    col = 0
    for p in rest:
        if p.kind == "text":
            label = p.raw.strip() if col else label + p.raw.strip()
            col = 0
            continue
        if p.kind == "blank":
            continue
        unmapped.append(UnmappedCell(table_id, label, "", p.raw.strip(), p.value, p.unit, row_index, col))
        col += 1


# ------------------------------------------------------------------ table 2
def _table2(sq, fmt, dedup, start, end, metrics, unmapped) -> None:
    s = sq.s
    cols_of = T2_COLUMNS.get(fmt, {})
    found = []
    for m in T2_RE.finditer(s, start, end):
        found.append((m.start(), m.end(), T2_ROWS[int(m.lastgroup[1:])][0]))
    header_unit = None
    seen: set[str] = set()
    for k, (a, b, rid) in enumerate(found):
        nxt = found[k + 1][0] if k + 1 < len(found) else end
        if rid == "@heading":
            header_unit = None
            continue
        if rid == "@info":
            hu = HEADER_UNIT_RE.search(s, b, nxt)
            header_unit = hu.group(1) if hu else None
            continue
        if rid in seen:
            continue
        seen.add(rid)
        cols = cols_of.get(rid)
        seg = _segment_text(sq, b, nxt)
        plain = plain_cells(seg)
        if plain is not None and cols is not None and len(plain[1]) == len(cols):
            lead, digits = plain
            run = cells = digit_row(digits)     # the usual row: as `readings` and `agree` read it
            label = s[a:b] + lead
        else:
            lead, run, rest = _row_pieces(sq, b, nxt, seg, plain)
            label = s[a:b] + lead
            if rest:
                _leftover(rest, "table2", unmapped, k)
            if cols is None:
                for j, p in enumerate(run):
                    unmapped.append(UnmappedCell("table2", label, "", p.raw.strip(), p.value, p.unit, k, j))
                continue
            if not run:
                continue
            cands, mode = readings(run, len(cols), dedup)
            # no identity in table 2: a number joined across lines would be a guess
            cells = agree(cands, len(cols)) if cands and mode not in ("join", "trim") else [None] * len(cols)
        for j, col in enumerate(cols):
            key = _key(fmt, "proactive", rid, col)
            if key is None:
                continue
            unit = _unit(key, fmt)
            if col in ("fee_amount", "procurement_amount"):
                unit = header_unit or unit
            metrics.append(_metric(key, cells[j], run, label, T2_COL_LABEL[col], "table2", unit))


# ------------------------------------------------------------------ table 3
def _t3_columns(s: str, start: int) -> tuple[list[str], list[str]]:
    lo = max(0, start - 400)
    head = s[lo:start]
    i = head.rfind("申请人情况")
    if i >= 0:
        head = head[i:]
    names = T3_COL_RE.findall(head)
    # start at the first applicant name (the corner note may say 其他)
    while names and names[0] not in ("自然人", "法人或其他组织"):
        names.pop(0)
    if not names:
        return list(T3_DEFAULT_COLS), [COL_LABEL[c] for c in T3_DEFAULT_COLS]
    top = [n for n in names if n in T3_TOP or n == "法人或其他组织"]
    subs = [n for n in names if n in T3_SUB]
    cols: list[str] = []
    labels: list[str] = []
    for n in top:
        if n == "法人或其他组织":
            if subs:
                cols += [T3_SUB[x] for x in subs]
                labels += subs
            else:
                cols.append("legal_subtotal")
                labels.append(n)
        elif T3_TOP[n] not in cols:
            cols.append(T3_TOP[n])
            labels.append(n)
    if "法人或其他组织" not in top and subs:
        at = 1 if cols[:1] == ["natural_person"] else 0
        cols[at:at] = [T3_SUB[x] for x in subs]
        labels[at:at] = subs
    if len(set(cols)) != len(cols):
        return list(T3_DEFAULT_COLS), [COL_LABEL[c] for c in T3_DEFAULT_COLS]
    return cols, labels


def _table3(sq, fmt, dedup, start, end, metrics, unmapped, table3=None) -> None:
    s = sq.s
    cols, col_labels = _t3_columns(s, start)
    n = len(cols)
    found = _t3_labels(sq, start, end)
    rows: dict[str, tuple[list[Piece] | tuple[Cand, ...], str]] = {}
    exact: set[str] = set()     # rows of plain digits, read without pieces
    nexts = [f[0] for f in found[1:]] + [end]       # where each row's cells end: the next label
    for k, ((a, b, rid), nxt) in enumerate(zip(found, nexts)):
        seg = sq.between(b, nxt)
        plain = plain_cells(seg)
        if plain is not None:
            lead, digits = plain
            if not digits:
                continue
            if len(digits) == n and rid not in rows and not rid.startswith("@"):
                rows[rid] = (digit_row(digits), s[a:b] + lead)
                exact.add(rid)
                continue
        lead, run, rest = _row_pieces(sq, b, nxt, seg, plain)
        if rest:
            _leftover(rest, "table3", unmapped, k)
        if not run:
            continue
        label = s[a:b] + lead
        if rid.startswith("@") or rid in rows:
            for j, p in enumerate(run):
                unmapped.append(UnmappedCell("table3", label, "", p.raw.strip(), p.value, p.unit, k, j))
            continue
        rows[rid] = (run, label)
    if not rows:
        return
    row_check = row_checker(cols)
    cands: dict[str, list] = {}
    unverified: set[str] = set()
    modes: dict[str, str] = {}
    for rid, (run, _) in rows.items():
        c, mode = ([run], "exact") if rid in exact else readings(run, n, dedup)
        modes[rid] = mode
        if mode != "exact":
            checks = [row_check(x) for x in c]
            if mode == "trim" or (mode == "join" and not all(ch for _, ch in checks)):
                unverified.add(rid)
            c = [x for x, (ok, _) in zip(c, checks) if ok]
        cands[rid] = c
    if any(md != "exact" for md in modes.values()):
        # the scrape damaged this table: a row that reads exactly but breaks its own identity is
        # more likely damaged too (a broken number plus a lost cell) than a reporting error
        for rid, md in modes.items():
            if md == "exact" and not row_check(cands[rid][0])[0]:
                cands[rid] = []
        solved = solve(cands, unverified, _t3_constraints(rows), n)
    else:
        # every row read exactly as printed: each is fixed, nothing to solve (what solve returns)
        solved = {rid: c[0] for rid, c in cands.items()}
    cols_t = tuple(cols)
    add = metrics.append
    for rid, (run, label) in rows.items():
        row_cells = None
        for j, (key, c, col_label) in enumerate(zip(_row_keys(fmt, "applications", rid, cols_t), solved[rid],
                                                    col_labels)):
            if key is None:
                unmapped.append(UnmappedCell("table3", label, col_label, c.raw if c else _raw(run),
                                             c.value if c else None, "件", None, j))
                continue
            if c is None:
                m = _metric(key, None, run, label, col_label, "table3", "件")
            else:
                # _metric's value branch, inline: this loop makes most of a report's metrics, and
                # filling the slots of a bare instance costs about half of a call to __init__
                m = _new_metric(Metric)
                m.metric_key = key
                m.value = c.value
                m.raw_text = c.raw
                m.label = label
                m.column_label = col_label
                m.source = "table"
                m.table_id = "table3"
                m.unit = c.unit or "件"
                m.approx = False
                m.is_derived = False
                m.value_status = c.status
                m.note = ""
            add(m)
            if table3 is not None:
                if row_cells is None:
                    row_cells = table3[rid] = {}
                row_cells[cols_t[j]] = m


# per table-3 row index: (row id as recorded, prefix regex, enumerator digit, prefix required)
_T3_INFO = [(SUBTOTAL_OF.get(r[0], r[0]), T3_BACK[i], T3_ENUM.get(r[0]), r[3]) for i, r in enumerate(T3_ROWS)]


def _t3_labels(sq: Squeezed, start: int, end: int) -> list[tuple[int, int, str]]:
    """(label start, label end, row id) in table order; out-of-order hits are ignored."""
    s = sq.s
    found = []
    last = -1
    prev_end = -1
    info = _T3_INFO
    for m in T3_RE.finditer(s, start, end):
        for idx in T3_BY_LIT[m.group()]:      # the first row with this literal after the last one
            if idx > last:
                break
        else:
            continue
        a = m.start()
        rid, back, digit, required = info[idx]
        if back is not None:
            bm = back.search(s, a - 14 if a - 14 > start else start, a)
            if bm is not None:
                a = bm.start()
            elif required and not _bare_enum(sq, a, digit):
                continue
            if digit is not None and not (s[a].isdigit() or s[a] in "(（") and _bare_enum(sq, a, digit):
                a -= 1      # (_bare_enum is False for a row without an enumerator digit)
        if a < prev_end:
            continue
        last = idx
        prev_end = m.end()
        found.append((a, prev_end, rid))
    return found


def _bare_enum(sq: Squeezed, a: int, digit: int | None) -> bool:
    """The sub-row's enumerator printed as a bare digit (① after NFKC): the expected digit
    starts a token of the original text and touches the label."""
    if digit is None or a < 1 or sq.s[a - 1] != str(digit):
        return False
    o = sq.orig(a - 1)
    before = sq.text[o - 1] if o > 0 else "\n"
    return sq.orig(a) == o + 1 and (before.isspace() or before in "|\t")


def _t3_constraints(rows: dict) -> list[list[tuple[str, int]]]:
    have = set(rows)
    out: list[list[tuple[str, int]]] = []
    a = [("new_received", 1), ("carried_over", 1), ("total_handled", -1), ("carried_forward", -1)]
    if all(r in have for r, _ in a):
        out.append(a)
    b: list[tuple[str, int]] | None = [("total_handled", 1), ("granted", -1), ("partial", -1)]
    for g, subs in GROUPS.items():
        if all(x in have for x in subs):
            b += [(x, -1) for x in subs]
            if g in have:
                out.append([(g, 1)] + [(x, -1) for x in subs])
        elif g in have:
            b.append((g, -1))
        else:
            b = None
            break
    if b is not None and all(r in have for r, _ in b[:3]):
        out.append(b)
    return out


# ------------------------------------------------------------------ table 4
def _table4(sq, fmt, dedup, start, metrics, unmapped) -> None:
    s = sq.s
    h = T4_HEAD.search(s, start)
    if not h:
        return
    # the cells follow the last header word; the header ends where the first cell starts
    pos = h.end()
    last_end = pos
    limit = min(len(s), pos + 600)
    for m in T4_WORDS.finditer(s, pos, limit):
        if any(map(str.isdigit, s[last_end:m.start()])):      # a digit between two header words
            break
        last_end = m.end()
    head = s[h.start():last_end]
    if "尚未审结" not in head or "总计" not in head:
        return  # outcome words in prose, not the table header
    to = min(len(s), last_end + 400)
    # the cells, read only as far as they go (what value_run of the segment's pieces gives as its run)
    run = first_run(_segment_text(sq, last_end, to), s[last_end - 1] if last_end > 0 else "",
                    s[to] if to < len(s) else "")
    if not run:
        return
    n = len(T4_BLOCKS) * len(T4_COLS)
    cands, mode = readings(run, n, dedup)
    if mode != "exact":
        checks = [block_check(c) for c in cands]
        if mode == "trim" or (mode == "join" and not all(ch for _, ch in checks)):
            cands = []
        cands = [c for c, (ok, _) in zip(cands, checks) if ok]
    cells = agree(cands, n) if cands else [None] * n
    j = 0
    for b in T4_BLOCKS:
        for c in T4_COLS:
            key = _key(fmt, b, "", c)
            if key is not None:
                metrics.append(_metric(key, cells[j], run, T4_BLOCK_LABEL[b], T4_COL_LABEL[c], "table4", "件"))
            j += 1
