{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('int_report_versions') }}
-- Table 4 pivoted: one row per report with any Table 4 value, 15 columns.
-- Rows depend on their own report only: kept report by report (materialization report_incremental),
-- so a refresh rebuilds only the pivots of new or changed reports; mart_review_litigation joins the report attributes.
{{ people_report_pivot(people_table4_keys(), ['review', 'litigation_direct', 'litigation_after_review']) }}
