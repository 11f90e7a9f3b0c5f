{{ config(materialized='report_incremental', version_from='int_people_reports') }}
-- depends_on: {{ ref('stg_reports') }}
-- Kept report by report (materialization report_incremental): a report's rows are rebuilt when its
-- file, its parse or its int_people_reports row (is_current, open findings) changed.
-- Table 4 (行政复议、行政诉讼情况) wide: one row per new-format report (trial_2019,
-- format_2021) and per other report with any Table 4 value, 15 columns
-- (review_*, litigation_direct_*, litigation_after_review_* × upheld / corrected / other / pending / total).
{%- set keys = people_table4_keys() %}
with pivoted as (
    select * from {{ ref('int_wide_table4') }}
    where {{ report_bucket('report_id') }}
)
select
    {{ people_report_columns('r') }},
    {%- for key in keys %}
    p.{{ people_column(key) }},
    {%- endfor %}
    p.prose_filled is not null                    as has_prose_fill,
    p.prose_filled,
    coalesce(p.n_values, 0)                       as n_values
from {{ ref('int_people_reports') }} as r
left join pivoted as p using (report_id)
where {{ report_bucket('r.report_id') }}
  and (r.format in ('trial_2019', 'format_2021') or p.report_id is not null)
