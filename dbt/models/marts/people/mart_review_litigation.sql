{{ config(materialized='report_incremental', versions='int_people_report_versions') }}
-- depends_on: {{ ref('int_people_report_versions') }}
-- Kept report by report (materialization report_incremental): a report's rows are rebuilt when its
-- file, its parse or its int_people_reports row (is_current, open findings) changed.
-- Table 4 (行政复议、行政诉讼情况) wide: one row per new-format report (trial_2019,
-- format_2021) and per other report with any Table 4 value, 15 columns
-- (review_*, litigation_direct_*, litigation_after_review_* × upheld / corrected / other / pending / total).
{{ people_wide_mart('int_wide_table4', people_table4_keys(), [], ['trial_2019', 'format_2021']) }}
