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


def derived_metrics(metrics: list[Metric], fmt: str) -> list[Metric]:
    table: dict[str, Metric] = {}
    for m in metrics:
        if m.source == "table" and not m.is_derived and m.metric_key.startswith("applications."):
            table.setdefault(m.metric_key, m)
    if not table:
        return []
    values = {k: m.value for k, m in table.items() if m.value_status == VALUE}
    out: list[Metric] = []
    rows = {k.split(".")[1] for k in table}

    # R3.3: a blank/absent total with all six applicant cells filled
    for row in sorted(rows):
        key = f"applications.{row}.total"
        printed = table.get(key)
        if printed is not None and printed.value_status == VALUE:
            continue
        parts = [f"applications.{row}.{c}" for c in APPLICANTS6]
        if not all(p in values for p in parts) or not catalog.is_key(key, fmt):
            continue
        if printed is not None and printed.value_status not in ("blank", "placeholder"):
            continue
        v = sum(values[p] for p in parts)
        values[key] = v
        out.append(_derived(key, v, parts, values, table, "总计 (R3.3: sum of the six applicant cells)"))

    # group subtotals
    for group, subs in GROUPS.items():
        if group == "other" and fmt != "format_2021":
            continue
        for c in COLUMNS:
            key = f"applications.{group}.{c}"
            if key in table or not catalog.is_key(key, fmt):
                continue
            parts = [f"applications.{s}.{c}" for s in subs]
            if not all(p in values for p in parts):
                continue
            v = sum(values[p] for p in parts)
            out.append(_derived(key, v, parts, values, table, f"{group} subtotal (sum of sub-rows)"))
    return out


def _derived(key: str, v: float, parts: list[str], values: dict, table: dict, note: str) -> Metric:
    raw = " + ".join(_fmt(values[p]) for p in parts)
    first = table.get(parts[0])
    return Metric(key, v, raw, label=note.split(" ")[0], column_label=first.column_label if first else "",
                  source="table", table_id="table3", unit="件", is_derived=True, note=note)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)
