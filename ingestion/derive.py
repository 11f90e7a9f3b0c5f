"""Derived values of table 3 (FORMATS.md §1.1, R3.2, R3.3, R3.7).

- R3.3: where a row's 总计 cell is blank, a placeholder or absent but all six applicant cells
  have values, the total is their sum.
- Group subtotals `applications.denied_total/unable_total/rejected_total.<c>` and, in
  format_2021, `applications.other.<c>`: the sum of the group's sub-rows, only when every
  sub-row has a value in that column (a blank sub-row gives no derived value).
A key the table already printed (a printed subtotal row, a printed total) is never derived a
second time. Derived values carry `is_derived=True` and `source='table'`.
"""
from __future__ import annotations

from operator import itemgetter

from . import catalog
from .records import VALUE, Metric

GROUPS = {
    "denied_total": ("denied_state_secret", "denied_law_prohibited", "denied_three_safety",
                     "denied_third_party", "denied_internal_affairs", "denied_process_info",
                     "denied_enforcement_file", "denied_query_matter"),
    "unable_total": ("unable_not_held", "unable_need_creation", "unable_unclear"),
    "rejected_total": ("rejected_petition", "rejected_duplicate", "rejected_publication",
                       "rejected_excessive", "rejected_confirm"),
    "other": ("other_no_correction", "other_no_fee", "other_other"),
}
APPLICANTS6 = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org")
COLUMNS = APPLICANTS6 + ("legal_subtotal", "total")
_APPLICANTS6_SET = frozenset(APPLICANTS6)


def derived_metrics(metrics: list[Metric], fmt: str) -> list[Metric]:
    return _derive(*_printed(metrics), fmt)


def derived_from_table3(cells: dict[str, dict[str, Metric]], fmt: str) -> list[Metric]:
    """`derived_metrics` of a report's metrics, from table 3's cells (row -> column -> metric,
    as `tables_new.extract_new_tables` hands them over): the same values, without a pass over
    every metric of the report."""
    values = {row: {c: m.value for c, m in cols.items() if m.value_status == VALUE} for row, cols in cells.items()}
    return _derive(cells, values, fmt)


def _derive(printed: dict[str, dict[str, Metric]], values: dict[str, dict[str, float]], fmt: str) -> list[Metric]:
    if not printed:
        return []
    keys = catalog.keys_for(fmt)
    out: list[Metric] = []

    # R3.3: a blank/absent total with all six applicant cells filled
    for row, cols in printed.items():
        v = values[row]
        tot = cols.get("total")
        if "total" in v or (tot is not None and tot.value_status not in ("blank", "placeholder")):
            continue
        if not v.keys() >= _APPLICANTS6_SET:
            continue
        key = f"applications.{row}.total"
        if key not in keys:
            continue
        v["total"] = sum(v[c] for c in APPLICANTS6)
        out.append(_derived(key, v["total"], [v[c] for c in APPLICANTS6], cols.get("natural_person"),
                            "总计", "总计 (R3.3: sum of the six applicant cells)"))

    # group subtotals
    for group, subs in GROUPS.items():
        if group == "other" and fmt != "format_2021":
            continue
        sub_vals = [values.get(x) for x in subs]
        if None in sub_vals:
            continue
        done = printed.get(group, {})
        first = printed[subs[0]]
        filled = set(sub_vals[0]).intersection(*sub_vals[1:])    # columns every sub-row has a value in
        note = _GROUP_NOTE[group]
        for c, key, value_of in _GROUP_KEYS[group]:
            if c in done or c not in filled or key not in keys:
                continue
            parts = list(map(value_of, sub_vals))       # the column's value in each sub-row
            out.append(_derived(key, sum(parts), parts, first.get(c), group, note))
    return out


def _printed(metrics: list[Metric]) -> tuple[dict[str, dict[str, Metric]], dict[str, dict[str, float]]]:
    """Row -> column -> the first table metric of that cell, and row -> column -> its value
    where that metric is a value."""
    printed: dict[str, dict[str, Metric]] = {}
    values: dict[str, dict[str, float]] = {}
    row_col = _ROW_COL.get
    for m in metrics:
        if m.source != "table" or m.is_derived:
            continue
        rc = row_col(m.metric_key, _MISS)
        if rc is _MISS:
            rc = _row_col(m.metric_key)
        if rc is None:
            continue
        row, col = rc
        cols = printed.get(row)
        if cols is None:
            cols = printed[row] = {}
            values[row] = {}
        if col not in cols:
            cols[col] = m
            if m.value_status == VALUE:
                values[row][col] = m.value
    return printed, values


# per group: (column, its subtotal key, a getter of the column's value) in column order, and the
# note of its derived values
_GROUP_KEYS = {g: [(c, f"applications.{g}.{c}", itemgetter(c)) for c in COLUMNS] for g in GROUPS}
_GROUP_NOTE = {g: f"{g} subtotal (sum of sub-rows)" for g in GROUPS}
_MISS = object()
_ROW_COL: dict[str, tuple[str, str] | None] = {}


def _row_col(key: str) -> tuple[str, str] | None:
    """(row, column) of an `applications.<row>.<column>` key, else None (cached: once per key)."""
    rc = None
    if key.startswith("applications."):
        _, row, col = key.split(".", 2)
        rc = (row, col)
    _ROW_COL[key] = rc
    return rc


class _NumberText(dict):
    """A cell value as the sum text prints it: 3.0 -> '3', 2.5 -> '2.5'. Whole numbers below
    10,000 are kept once made (equal values print alike: 3 == 3.0 == -0.0 + 3)."""

    def __missing__(self, x: float) -> str:
        if float(x).is_integer():
            t = str(int(x))
            if -10000 < x < 10000:
                self[x] = t
            return t
        return str(x)


_number_text = _NumberText().__getitem__


def _derived(key: str, v: float, parts: list[float], like: Metric | None, label: str, note: str) -> Metric:
    raw = " + ".join(map(_number_text, parts))
    return Metric(key, v, raw, label, like.column_label if like else "", "table", "table3", "件",
                  False, True, VALUE, note)
