{{ config(materialized='report_incremental', versions='int_people_report_versions') }}
-- depends_on: {{ ref('int_people_report_versions') }}
-- Kept report by report (materialization report_incremental): a report's rows are rebuilt when its
-- file, its parse or its int_people_reports row (is_current, open findings) changed.
-- The old-regulation statistics (政府信息公开情况统计表 and pre-2019 prose figures) wide: one row per
-- pre-2019 report (format legacy_table or legacy_narrative, or any legacy.* value), one column per
-- legacy.* key (legacy.requests_received -> requests_received). Amounts keep the printed unit.
{{ people_wide_mart('int_wide_legacy', people_legacy_keys(), ['fees_amount_unit', 'special_budget_unit'], ['legacy_table', 'legacy_narrative']) }}
