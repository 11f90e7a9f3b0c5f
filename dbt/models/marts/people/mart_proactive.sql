{{ config(materialized='report_incremental', versions='int_people_report_versions') }}
-- depends_on: {{ ref('int_people_report_versions') }}
-- Kept report by report (materialization report_incremental): a report's rows are rebuilt when its
-- file, its parse or its int_people_reports row (is_current, open findings) changed.
-- Table 2 (主动公开政府信息情况) wide: one row per new-format report (trial_2019,
-- format_2021) and per other report with any Table 2 value, the columns of both
-- new formats (proactive.rules.issued -> rules_issued; trial_2019 columns are NULL in format_2021
-- reports and the reverse). Amounts keep the unit as printed (the *_unit columns).
{{ people_wide_mart('int_wide_proactive', people_proactive_keys(), ['admin_fees_fee_amount_unit', 'gov_procurement_procurement_amount_unit'], ['trial_2019', 'format_2021']) }}
