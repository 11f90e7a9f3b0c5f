{{ config(materialized='report_incremental', version_from='int_people_reports') }}
-- depends_on: {{ ref('stg_reports') }}
-- Kept report by report (materialization report_incremental): a report's rows are rebuilt when its
-- file, its parse or its int_people_reports row (is_current, open findings) changed.
-- Table 2 (主动公开政府信息情况) wide: one row per new-format report (trial_2019,
-- format_2021) and per other report with any Table 2 value, the columns of both
-- new formats (proactive.rules.issued -> rules_issued; trial_2019 columns are NULL in format_2021
-- reports and the reverse). Amounts keep the unit as printed (the *_unit columns).
{%- set keys = people_proactive_keys() %}
with pivoted as (
    select * from {{ ref('int_wide_proactive') }}
    where {{ report_bucket('report_id') }}
)
select
    {{ people_report_columns('r') }},
    {%- for key in keys %}
    p.{{ people_column(key) }},
    {%- endfor %}
    p.admin_fees_fee_amount_unit,
    p.gov_procurement_procurement_amount_unit,
    p.prose_filled is not null                    as has_prose_fill,
    p.prose_filled,
    coalesce(p.n_values, 0)                       as n_values
from {{ ref('int_people_reports') }} as r
left join pivoted as p using (report_id)
where {{ report_bucket('r.report_id') }}
  and (r.format in ('trial_2019', 'format_2021') or p.report_id is not null)
