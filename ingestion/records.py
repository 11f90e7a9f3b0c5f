"""Typed records that extraction produces and the loader writes to the raw layer."""
from __future__ import annotations

from dataclasses import dataclass, field

# value_status of a metric cell
VALUE = "value"            # a printed number (0 included)
BLANK = "blank"            # the cell was printed empty
PLACEHOLDER = "placeholder"  # '-', '/', '—', '无', ... printed instead of a number
AMBIGUOUS = "ambiguous"    # the text does not settle the number (e.g. glued digits with several splits)

FORMATS = ("legacy_table", "legacy_narrative", "trial_2019", "format_2021", "unknown")


@dataclass(slots=True)
class Metric:
    """One value for one catalog key, with where it came from."""

    metric_key: str
    value: float | None
    raw_text: str                 # the cell or sentence as printed
    label: str = ""               # row label as printed
    column_label: str = ""        # column label as printed
    source: str = "table"         # 'table' or 'prose'
    table_id: str = ""            # table2 / table3 / table4 / legacy_table / prose
    unit: str | None = None
    approx: bool = False
    is_derived: bool = False
    value_status: str = VALUE
    note: str = ""


@dataclass(slots=True)
class UnmappedCell:
    """A table cell (or row) that matches no catalog key, kept with its labels."""

    table_id: str
    row_label: str
    column_label: str
    raw_text: str
    value: float | None = None
    unit: str | None = None
    row_index: int | None = None
    col_index: int | None = None


@dataclass(slots=True)
class ReportMeta:
    agency: str | None = None
    admin_level: str | None = None       # 国务院部门 / 省级 / 地级 / 县级 / 乡级 / 部门
    parent_level: str | None = None      # for departments: the level of their government
    region_province: str | None = None
    region_city: str | None = None
    region_county: str | None = None
    report_year: int | None = None
    published_on: str | None = None      # ISO date
    scope: str | None = None             # self / gov_level / region_aggregate
    title: str | None = None
    year_source: str | None = None       # which rule of FORMATS.md §4 gave the year

    @property
    def region(self) -> str | None:
        parts = [p for p in (self.region_province, self.region_city, self.region_county) if p]
        return "".join(parts) or None


@dataclass(slots=True)
class Document:
    """A decoded report: its text (tables flattened to lines) and, for HTML, its tables."""

    text: str
    encoding: str
    doc_type: str                       # 'text' or 'html'
    tables: list[list[list[str]]] = field(default_factory=list)  # HTML tables, spans expanded


@dataclass(slots=True)
class ExtractionResult:
    format: str = "unknown"
    meta: ReportMeta = field(default_factory=ReportMeta)
    metrics: list[Metric] = field(default_factory=list)
    unmapped: list[UnmappedCell] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    parse_status: str = "parsed"        # parsed / partial / failed
    parse_error: str | None = None
    encoding: str | None = None
    doc_type: str | None = None
    text_sha256: str | None = None
