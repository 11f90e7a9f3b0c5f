{{ config(materialized='report_incremental', versions='int_people_report_versions') }}
-- depends_on: {{ ref('int_people_report_versions') }}
-- Kept report by report (materialization report_incremental): a report's rows are rebuilt when its
-- file, its parse or its int_people_reports row (is_current, open findings) changed.
-- One row per agency, scope and year covered, across all eras, from the is_current report only
-- (versions, mirrors and HTML/text copies of one report count once). New-era values are the
-- 总计 column of Table 3 and the Table 2/4 cells; old-regulation values follow the rough
-- old-to-new correspondence of FORMATS.md §1.4 (trend analysis only, is_approx_mapping = true).
-- A mapped sum (e.g. 同意公开 + 属于已主动公开范围) adds the parts that were printed; NULL when none was.
-- Reports without a known agency or year are left out (they have no agency-year).
with current_reports as (
    select *
    from {{ ref('int_people_reports') }}
    where is_current and agency is not null and report_year is not null
      and {{ report_bucket('report_id') }}
),
v as (
    select * from {{ ref('int_wide_agency_year') }}
    where {{ report_bucket('report_id') }}
),
joined as (
    select
        r.*,
        r.format in ('legacy_table', 'legacy_narrative')        as is_legacy,
        v.*
    from current_reports as r
    left join v using (report_id)
)
select
    agency,
    scope,
    report_year,
    report_id,
    source_file,
    admin_level,
    region,
    region_province,
    format                                                      as source_format,
    is_legacy                                                   as is_approx_mapping,
    has_open_errors,
    case when is_legacy then l_requests_received else n_new_received_total end                         as requests_received,
    case when is_legacy then null else n_carried_over_total end                                         as carried_over,
    case when is_legacy then {{ people_sum_parts('l_replies_granted', 'l_replies_already_public') }} else n_granted_total end as granted,
    case when is_legacy then l_replies_partial else n_partial_total end                                 as partially_granted,
    case when is_legacy then l_replies_denied else n_denied_total_total end                             as denied,
    case when is_legacy then {{ people_sum_parts('l_replies_not_this_agency', 'l_replies_not_exist') }} else n_unable_total_total end as unable_to_provide,
    case when is_legacy then l_replies_other_channel else n_rejected_total_total end                    as not_processed,
    case when is_legacy then l_replies_needs_clarification else n_other_total end                       as other_handling,
    case when is_legacy then l_replies_total else n_total_handled_total end                             as total_handled,
    case when is_legacy then null else n_carried_forward_total end                                      as carried_forward,
    case when is_legacy then l_review_total else n_review_total end                                     as review_total,
    case when is_legacy then l_review_upheld else n_review_upheld end                                   as review_upheld,
    case when is_legacy then l_review_corrected else n_review_corrected end                             as review_corrected,
    case when is_legacy then l_review_other else n_review_other end                                     as review_other,
    case when is_legacy then null else n_review_pending end                                             as review_pending,
    case when is_legacy then l_litigation_total else {{ people_sum_parts('n_litigation_direct_total', 'n_litigation_after_review_total') }} end as litigation_total,
    case when is_legacy then l_litigation_upheld else {{ people_sum_parts('n_litigation_direct_upheld', 'n_litigation_after_review_upheld') }} end as litigation_upheld,
    case when is_legacy then l_litigation_corrected else {{ people_sum_parts('n_litigation_direct_corrected', 'n_litigation_after_review_corrected') }} end as litigation_corrected,
    case when is_legacy then l_litigation_other else {{ people_sum_parts('n_litigation_direct_other', 'n_litigation_after_review_other') }} end as litigation_other,
    case when is_legacy then null else {{ people_sum_parts('n_litigation_direct_pending', 'n_litigation_after_review_pending') }} end as litigation_pending,
    case when is_legacy then l_proactive_total end                                                      as proactive_items,
    case when is_legacy then l_normative_docs_issued else coalesce(n_normative_docs_issued, n_normative_docs_made) end as normative_docs_issued,
    case when is_legacy then null else coalesce(n_rules_issued, n_rules_made) end                       as rules_issued,
    case when is_legacy then null else n_admin_license_decisions end                                    as admin_license_decisions,
    case when is_legacy then null else n_admin_penalty_decisions end                                    as admin_penalty_decisions,
    case when is_legacy then null else n_admin_enforcement_decisions end                                as admin_enforcement_decisions,
    prose_filled_keys is not null                                                                       as has_prose_fill,
    prose_filled_keys
from joined
