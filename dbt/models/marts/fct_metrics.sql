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
