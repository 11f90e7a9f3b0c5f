{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('stg_reports') }}
-- Table 4 pivoted: one row per report with any Table 4 value, 15 columns.
-- Rows depend on their own report only: kept report by report (materialization report_incremental),
-- so a refresh rebuilds only the pivots of new or changed reports; mart_review_litigation joins the report attributes.
{%- set keys = people_table4_keys() %}
select
    report_id,
    {{ people_pivot(keys) }},
    {{ people_prose_filled('column_name') }} as prose_filled,
    count(*)                                  as n_values
from {{ ref('int_people_values') }}
where {{ report_bucket('report_id') }}
  and section in ('review', 'litigation_direct', 'litigation_after_review')
group by report_id
