{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('stg_reports') }}
-- Table 3 pivoted: one row per report and applicant type, one column per Table 3 row.
-- Rows depend on their own report only: kept report by report (materialization report_incremental),
-- so a refresh rebuilds only the pivots of new or changed reports; mart_applications joins the report attributes.
{%- set rows = people_application_rows() %}
select
    report_id,
    applicant,
    {{ people_pivot(rows, key_column='application_row') }},
    {{ people_prose_filled('column_name') }} as prose_filled,
    count(*)                                  as n_values
from {{ ref('int_people_values') }}
where {{ report_bucket('report_id') }}
  and section = 'applications'
group by report_id, applicant
