{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('int_report_versions') }}
-- The legacy.* keys pivoted: one row per report with any legacy value.
-- Rows depend on their own report only: kept report by report (materialization report_incremental),
-- so a refresh rebuilds only the pivots of new or changed reports; mart_legacy_stats joins the report attributes.
{{ people_report_pivot(people_legacy_keys(), ['legacy'], units=['legacy.fees_amount', 'legacy.special_budget']) }}
