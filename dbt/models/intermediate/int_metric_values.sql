{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('int_report_versions') }}
-- Metric rows that carry a value (value_status = 'value'), one per report, key and source.
-- Blank, placeholder and ambiguous cells stay in stg_metrics and never become 0 here.
-- Should the extractor emit a key twice for one source, the printed row wins, then the first extracted.
-- Built one bucket of reports at a time (materialization `report_incremental`): every row depends on its own
-- report only, and the window below never holds the whole fact.
-- Rows are stored report by report (the ORDER BY: a slice is inserted in this order, and a rebuilt
-- report's rows are deleted and inserted again as a whole), so the fact's export can be cut into
-- Parquet parts that each hold whole reports and be rewritten only where reports changed
-- (ingestion/export_parts.py). It costs about a tenth of this model's build.
with valued as (
    select m.*
    from {{ ref('stg_metrics') }} as m
    where m.value_status = 'value'
      and m.value is not null
      and {{ report_bucket('m.report_id') }}
)
select
    v.report_id,
    v.metric_key,
    v.value,
    v.unit,
    v.source,
    v.approx,
    v.is_derived,
    v.raw_text,
    v.label,
    v.column_label,
    v.table_id,
    v.note,
    v.ordinal,
    r.format,
    count(*) over (partition by v.report_id, v.metric_key, v.source) as n_extracted
from valued as v
join {{ ref('stg_reports') }} as r using (report_id)
qualify row_number() over (
    partition by v.report_id, v.metric_key, v.source
    order by v.is_derived, v.ordinal
) = 1
order by v.report_id
