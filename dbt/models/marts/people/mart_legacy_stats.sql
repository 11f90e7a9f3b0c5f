{{ config(materialized='report_incremental', version_from='int_people_reports') }}
-- depends_on: {{ ref('stg_reports') }}
-- Kept report by report (materialization report_incremental): a report's rows are rebuilt when its
-- file, its parse or its int_people_reports row (is_current, open findings) changed.
-- The old-regulation statistics (政府信息公开情况统计表 and pre-2019 prose figures) wide: one row per
-- pre-2019 report (format legacy_table or legacy_narrative, or any legacy.* value), one column per
-- legacy.* key (legacy.requests_received -> requests_received). Amounts keep the printed unit.
{%- set keys = people_legacy_keys() %}
with pivoted as (
    select * from {{ ref('int_wide_legacy') }}
    where {{ report_bucket('report_id') }}
)
select
    {{ people_report_columns('r') }},
    {%- for key in keys %}
    p.{{ people_column(key) }},
    {%- endfor %}
    p.fees_amount_unit,
    p.special_budget_unit,
    p.prose_filled is not null                    as has_prose_fill,
    p.prose_filled,
    coalesce(p.n_values, 0)                       as n_values
from {{ ref('int_people_reports') }} as r
left join pivoted as p using (report_id)
where {{ report_bucket('r.report_id') }}
  and (r.format in ('legacy_table', 'legacy_narrative') or p.report_id is not null)
