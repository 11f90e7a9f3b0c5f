"""One report in, typed records out: decode → metadata → format → tables and prose → derived.

`extract_bytes` never raises for bad input: a file that cannot be read or parsed comes back
with `parse_status = 'failed'` and a clear `parse_error`; a report whose extractors raised on
one part keeps what the other parts gave, with `parse_status = 'partial'`.
"""
from __future__ import annotations

import hashlib
import traceback
from pathlib import Path

from . import catalog
from .decode import DecodeError, decode
from .detect import detect_format
from .records import VALUE, Document, ExtractionResult, UnmappedCell


def extract_file(path: str | Path) -> ExtractionResult:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        return ExtractionResult(parse_status="failed", parse_error=f"cannot read file: {exc}")
    return extract_bytes(data, p.name)


def extract_bytes(data: bytes, filename: str = "") -> ExtractionResult:
    try:
        doc = decode(data, filename)
    except DecodeError as exc:
        return ExtractionResult(parse_status="failed", parse_error=f"decode: {exc}")
    except Exception as exc:  # noqa: BLE001 - any reader crash is a recorded failure
        return ExtractionResult(parse_status="failed", parse_error=f"decode: {type(exc).__name__}: {exc}")
    return extract_document(doc)


def extract_document(doc: Document) -> ExtractionResult:
    from . import derive, legacy_table, metadata, prose_legacy, prose_new, tables_new

    res = ExtractionResult(encoding=doc.encoding, doc_type=doc.doc_type)
    res.text_sha256 = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    failures: list[str] = []

    def guarded(name, fn, *args):
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
            res.warnings.append(traceback.format_exc(limit=3))
            return None

    meta = guarded("metadata", metadata.extract_metadata, doc)
    if meta is not None:
        res.meta = meta
        guarded("region", _fill_region, res.meta, doc.text)
    fmt = guarded("detect", detect_format, doc, res.meta.report_year) or "unknown"
    res.format = fmt

    parts = []
    table3: dict = {}       # table 3's cells, handed from the tables to derive
    if fmt in ("trial_2019", "format_2021"):
        parts.append(guarded("tables", tables_new.extract_new_tables, doc, fmt, table3))
        if parts[-1] is None:
            table3 = None       # the tables failed: derive reads whatever metrics there are
        parts.append(guarded("prose", prose_new.extract_new_prose, doc, fmt))
    elif fmt in ("legacy_table", "legacy_narrative"):
        if fmt == "legacy_table":
            parts.append(guarded("legacy_table", legacy_table.extract_legacy_table, doc))
        parts.append(guarded("prose", prose_legacy.extract_legacy_prose, doc))
    for part in parts:
        if part is None:
            continue
        metrics, unmapped = part
        res.metrics.extend(metrics)
        res.unmapped.extend(unmapped)
    if fmt in ("trial_2019", "format_2021"):
        if table3 is not None:
            res.metrics.extend(guarded("derive", derive.derived_from_table3, table3, fmt) or [])
        else:
            res.metrics.extend(guarded("derive", derive.derived_metrics, res.metrics, fmt) or [])

    _enforce_catalog(res)
    if failures:
        res.parse_status = "partial"
        res.parse_error = "; ".join(failures)
    if fmt == "unknown" and not res.metrics:
        res.parse_status = "failed" if not failures else res.parse_status
        res.parse_error = res.parse_error or "no report structure found (format unknown, no metrics)"
    return res


def _fill_region(meta, text: str) -> None:
    """Province, city and county from the divisions of China where metadata left them open."""
    from .regions import resolve

    province, city, county = resolve(meta.agency, text)
    if meta.region_county and county and meta.region_county != county:
        return      # the two readings disagree: keep what metadata found, add nothing
    meta.region_province = meta.region_province or province
    meta.region_city = meta.region_city or city
    meta.region_county = meta.region_county or county


def _enforce_catalog(res: ExtractionResult) -> None:
    """Keys are never invented. At most one row with a value per (key, source), first wins;
    a printed blank or placeholder is kept beside a derived value for the same cell."""
    seen: set[tuple[str, str, bool]] = set()
    kept = []
    keys = catalog.keys_for(res.format)
    for m in res.metrics:
        key = m.metric_key
        if key not in keys:
            res.unmapped.append(UnmappedCell(m.table_id or m.source, m.label, m.column_label, m.raw_text,
                                             m.value, m.unit))
            res.warnings.append(f"not a catalog key for {res.format}: {key}")
            continue
        k = (key, m.source, m.value_status == VALUE)
        if k not in seen:
            seen.add(k)
            kept.append(m)
    res.metrics = kept


def effective_values(res: ExtractionResult) -> dict[str, float]:
    """One value per key as a reader of the report would give it: the table's reported cell,
    else the prose figure where the table has no such cell at all (a blank or unreadable table
    cell is not filled from prose). Derived values and non-values are left out."""
    out: dict[str, float] = {}
    in_table = {m.metric_key for m in res.metrics if m.source == "table" and not m.is_derived}
    for m in res.metrics:
        if m.value_status != VALUE or m.is_derived or m.source != "table":
            continue
        out.setdefault(m.metric_key, m.value)
    for m in res.metrics:
        if m.value_status != VALUE or m.is_derived or m.source != "prose" or m.metric_key in in_table:
            continue
        out.setdefault(m.metric_key, m.value)
    return out
