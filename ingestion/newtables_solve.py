"""Choosing among row readings with the table's own arithmetic (R3.1-R3.3, R3.7, R4.1).

Rows read exactly as printed are fixed, even when the report's arithmetic is wrong. A damaged
row keeps the readings that satisfy its row identity; the column identities then settle the
damaged rows jointly (bounded backtracking). A cell is a value only when every surviving joint
solution agrees on it; otherwise it is ambiguous.
"""
from __future__ import annotations

from .newtables_split import Cand, agree

NODE_CAP = 50_000
SOL_CAP = 2_000


def row_checker(cols: list[str]):
    """R3.3 / R3.4 for rows of these columns: a function cells -> (holds, was checked). Cells
    without a value are not checked."""
    pos = {c: i for i, c in enumerate(cols)}
    subs = [pos[c] for c in ("commercial", "research", "social_org", "legal_service", "other_org") if c in pos]
    checks: list[tuple[int, list[int]]] = []   # (index of the sum cell, indexes of its parts)
    if "total" in pos:
        parts = [pos["natural_person"]] if "natural_person" in pos else []
        parts += subs if subs else ([pos["legal_subtotal"]] if "legal_subtotal" in pos else [])
        if parts:
            checks.append((pos["total"], parts))
    if "legal_subtotal" in pos and subs:
        checks.append((pos["legal_subtotal"], subs))

    def check(cells) -> tuple[bool, bool]:
        checked = False
        for t, parts in checks:
            tc = cells[t]
            if tc.status != "value":
                continue
            vals = []       # the parts' values, while every part has one (a plain loop: run per reading)
            for i in parts:
                c = cells[i]
                if c.status != "value":
                    break
                vals.append(c.value)
            else:
                checked = True
                if abs(sum(vals) - tc.value) > 1e-6:
                    return False, True
        return True, checked

    return check


def block_check(cells: tuple[Cand, ...]) -> tuple[bool, bool]:
    """R4.1 on the 15 cells of table 4: (holds, was checked)."""
    checked = False
    for b in range(0, len(cells) - 4, 5):
        vals = []       # the block's values, while every cell has one
        for c in cells[b:b + 5]:
            if c.status != "value":
                break
            vals.append(c.value)
        else:
            checked = True
            if abs(sum(vals[:4]) - vals[4]) > 1e-6:
                return False, True
    return True, checked


def solve(cands: dict[str, list[tuple[Cand, ...]]], unverified: set[str],
          constraints: list[list[tuple[str, int]]], ncols: int) -> dict[str, list[Cand | None]]:
    """Per row, the agreed cells. `constraints`: linear identities sum(coef * row) == 0, checked
    per column wherever every cell involved has a value. Rows in `unverified` (a reading no
    row identity confirmed, e.g. joined numbers in a row without a 总计 column) count only if a
    column identity confirms them."""
    fixed = {r: c[0] for r, c in cands.items() if len(c) == 1 and r not in unverified}
    open_rows = [r for r, c in cands.items() if len(c) > 1 or (c and r in unverified)]
    out: dict[str, list[Cand | None]] = {r: list(c) for r, c in fixed.items()}
    for r, c in cands.items():
        if not c:
            out[r] = [None] * ncols
    if not open_rows:
        return out
    # only constraints that involve an open row and no unreadable row
    cons = [k for k in constraints
            if any(r in open_rows for r, _ in k) and all(r in fixed or r in open_rows for r, _ in k)]
    # order open rows so that constraints complete early
    order: list[str] = []
    for k in cons:
        for r, _ in k:
            if r in open_rows and r not in order:
                order.append(r)
    order += [r for r in open_rows if r not in order]
    pos = {r: i for i, r in enumerate(order)}
    due: dict[int, list[list[tuple[str, int]]]] = {}
    for k in cons:
        last = max(pos[r] for r, _ in k if r in pos)
        due.setdefault(last, []).append(k)

    assign: dict[str, tuple[Cand, ...]] = {}
    sols: list[dict[str, tuple[Cand, ...]]] = []
    nodes = [0]

    def check(k) -> bool:
        for j in range(ncols):
            tot = 0.0
            for r, coef in k:
                cell = (assign[r] if r in assign else fixed[r])[j]
                if cell.status != "value":
                    break
                tot += coef * cell.value
            else:
                if abs(tot) > 1e-6:
                    return False
        return True

    def bt(i: int) -> bool:
        if i == len(order):
            sols.append(dict(assign))
            return len(sols) < SOL_CAP
        r = order[i]
        for cand in cands[r]:
            nodes[0] += 1
            if nodes[0] > NODE_CAP:
                return False
            assign[r] = cand
            if all(check(k) for k in due.get(i, ())):
                if not bt(i + 1):
                    return False
        assign.pop(r, None)
        return True

    complete = bt(0)
    in_cons = {r for k in cons for r, _ in k}
    for r in open_rows:
        if not complete or not sols or (r in unverified and r not in in_cons):
            out[r] = [None] * ncols
        else:
            out[r] = agree([s[r] for s in sols], ncols)
    return out
