{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('int_report_versions') }}
-- The headline values of mart_agency_year pivoted, one row per report with any value: n_* the
-- new-era keys (总计 column of Table 3, Table 2 and Table 4 cells), l_* the old-regulation keys,
-- and which of them came from prose (prose_filled_keys).
-- Rows depend on their own report only: kept report by report (materialization report_incremental),
-- so a refresh rebuilds only the pivots of new or changed reports; mart_agency_year picks the
-- current report of each agency, scope and year and maps the eras.
{%- set new_keys = [
    'applications.new_received.total', 'applications.carried_over.total', 'applications.granted.total',
    'applications.partial.total', 'applications.denied_total.total', 'applications.unable_total.total',
    'applications.rejected_total.total', 'applications.other.total', 'applications.total_handled.total',
    'applications.carried_forward.total',
    'review.upheld', 'review.corrected', 'review.other', 'review.pending', 'review.total',
    'litigation_direct.upheld', 'litigation_direct.corrected', 'litigation_direct.other',
    'litigation_direct.pending', 'litigation_direct.total',
    'litigation_after_review.upheld', 'litigation_after_review.corrected', 'litigation_after_review.other',
    'litigation_after_review.pending', 'litigation_after_review.total',
    'proactive.rules.issued', 'proactive.rules.made', 'proactive.normative_docs.issued',
    'proactive.normative_docs.made', 'proactive.admin_license.decisions',
    'proactive.admin_penalty.decisions', 'proactive.admin_enforcement.decisions'] %}
{%- set legacy_keys = [
    'legacy.requests_received', 'legacy.replies_total', 'legacy.replies_already_public',
    'legacy.replies_granted', 'legacy.replies_partial', 'legacy.replies_denied',
    'legacy.replies_not_this_agency', 'legacy.replies_not_exist', 'legacy.replies_needs_clarification',
    'legacy.replies_other_channel',
    'legacy.review_total', 'legacy.review_upheld', 'legacy.review_corrected', 'legacy.review_other',
    'legacy.litigation_total', 'legacy.litigation_upheld', 'legacy.litigation_corrected',
    'legacy.litigation_other', 'legacy.proactive_total', 'legacy.normative_docs_issued'] %}
select
    report_id,
    {{ people_pivot(new_keys, prefix='n_') }},
    {{ people_pivot(legacy_keys, prefix='l_') }},
    string_agg(metric_key, ',' order by metric_key) filter (where source = 'prose') as prose_filled_keys
from {{ ref('int_people_values') }}
where {{ report_bucket('report_id') }}
  and metric_key in ({% for k in new_keys + legacy_keys %}'{{ k }}'{{ ',' if not loop.last }}{% endfor %})
group by report_id
