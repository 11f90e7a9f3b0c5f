{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('int_report_versions') }}
-- Table 2 pivoted: one row per report with any Table 2 value, one column per proactive.* key.
-- Rows depend on their own report only: kept report by report (materialization report_incremental),
-- so a refresh rebuilds only the pivots of new or changed reports; mart_proactive joins the report attributes.
{{ people_report_pivot(people_proactive_keys(), ['proactive'],
                        units=['proactive.admin_fees.fee_amount', 'proactive.gov_procurement.procurement_amount']) }}
