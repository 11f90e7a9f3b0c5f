{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('stg_reports') }}
-- Table 2 pivoted: one row per report with any Table 2 value, one column per proactive.* key.
-- Rows depend on their own report only: kept report by report (materialization report_incremental),
-- so a refresh rebuilds only the pivots of new or changed reports; mart_proactive joins the report attributes.
{%- set keys = people_proactive_keys() %}
select
    report_id,
    {{ people_pivot(keys) }},
    max(unit) filter (where metric_key = 'proactive.admin_fees.fee_amount')                 as admin_fees_fee_amount_unit,
    max(unit) filter (where metric_key = 'proactive.gov_procurement.procurement_amount')    as gov_procurement_procurement_amount_unit,
    {{ people_prose_filled('column_name') }} as prose_filled,
    count(*)                                  as n_values
from {{ ref('int_people_values') }}
where {{ report_bucket('report_id') }}
  and section = 'proactive'
group by report_id
