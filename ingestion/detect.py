"""Format detection: from the labels, never from the year alone (FORMATS.md §1.3).

The new-format tables decide between `trial_2019` and `format_2021` (see
`tables_new.detect_new_format`); an old-style statistical table makes `legacy_table`
(`legacy_table.has_legacy_table`). Only a report with no table falls back to its covered year:
≤2018 `legacy_narrative`, 2019–2020 `trial_2019`, ≥2021 `format_2021`, no year `unknown`.
"""
from __future__ import annotations

from .records import Document


def detect_format(doc: Document, report_year: int | None) -> str:
    from . import legacy_table, tables_new

    new = tables_new.detect_new_format(doc)
    if new:
        return new
    if legacy_table.has_legacy_table(doc):
        return "legacy_table"
    return fallback_format(report_year)


def fallback_format(report_year: int | None) -> str:
    if report_year is None:
        return "unknown"
    if report_year <= 2018:
        return "legacy_narrative"
    if report_year <= 2020:
        return "trial_2019"
    return "format_2021"
