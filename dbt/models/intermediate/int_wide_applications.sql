{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('int_report_versions') }}
-- Table 3 pivoted: one row per report and applicant type, one column per Table 3 row.
-- Rows depend on their own report only: kept report by report (materialization report_incremental),
-- so a refresh rebuilds only the pivots of new or changed reports; mart_applications joins the report attributes.
{{ people_report_pivot(people_application_rows(), ['applications'], key_column='application_row', by=['applicant']) }}
