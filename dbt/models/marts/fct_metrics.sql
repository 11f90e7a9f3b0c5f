{{ config(materialized='view') }}
-- A view over staging.int_metric_values (the same rows, minus n_extracted): the 20-million-row fact
-- at 100,000 reports is materialised once, not twice on every build. Its data tests (the contract)
-- run on this view, i.e. on the rows of the base table.
-- One row per report, metric key and source, only for cells and sentences that carry a value.
select
    report_id,
    metric_key,
    value,
    unit,
    source,
    approx,
    is_derived,
    raw_text,
    label,
    column_label,
    table_id,
    format,
    note,
    ordinal
from {{ ref('int_metric_values') }}
