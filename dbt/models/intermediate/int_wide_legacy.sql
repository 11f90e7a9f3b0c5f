{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('stg_reports') }}
-- The legacy.* keys pivoted: one row per report with any legacy value.
-- Rows depend on their own report only: kept report by report (materialization report_incremental),
-- so a refresh rebuilds only the pivots of new or changed reports; mart_legacy_stats joins the report attributes.
{%- set keys = people_legacy_keys() %}
select
    report_id,
    {{ people_pivot(keys) }},
    max(unit) filter (where metric_key = 'legacy.fees_amount')     as fees_amount_unit,
    max(unit) filter (where metric_key = 'legacy.special_budget')  as special_budget_unit,
    {{ people_prose_filled('column_name') }} as prose_filled,
    count(*)                                  as n_values
from {{ ref('int_people_values') }}
where {{ report_bucket('report_id') }}
  and section = 'legacy'
group by report_id
