{#
  Key lists of the people marts (dbt/models/marts/people), written out from the keys of
  seeds/metric_catalog.csv (a static list: reading the seed with run_query at parse time is fragile).
  tests/test_people_marts.py fails when the catalog gains a key these lists do not have.
  Column names: the catalog key without its section prefix (applications.<row>.<applicant> -> <row>,
  proactive.rules.issued -> rules_issued, legacy.requests_received -> requests_received), Table 4 keys
  with the block kept (review.upheld -> review_upheld), dots replaced by underscores.
#}

{% macro people_application_rows() %}
    {{ return([
        'new_received', 'carried_over', 'granted', 'partial',
        'denied_state_secret', 'denied_law_prohibited', 'denied_three_safety', 'denied_third_party',
        'denied_internal_affairs', 'denied_process_info', 'denied_enforcement_file', 'denied_query_matter',
        'unable_not_held', 'unable_need_creation', 'unable_unclear', 'rejected_petition',
        'rejected_duplicate', 'rejected_publication', 'rejected_excessive', 'rejected_confirm',
        'other', 'other_no_correction', 'other_no_fee', 'other_other',
        'total_handled', 'carried_forward', 'denied_total', 'unable_total',
        'rejected_total'
    ]) }}
{% endmacro %}

{% macro people_applicants() %}
    {{ return([
        'natural_person', 'commercial', 'research', 'social_org',
        'legal_service', 'other_org', 'total', 'legal_subtotal'
    ]) }}
{% endmacro %}

{% macro people_table4_keys() %}
    {{ return([
        'review.upheld', 'review.corrected', 'review.other', 'review.pending', 'review.total',
        'litigation_direct.upheld', 'litigation_direct.corrected', 'litigation_direct.other', 'litigation_direct.pending', 'litigation_direct.total',
        'litigation_after_review.upheld', 'litigation_after_review.corrected', 'litigation_after_review.other', 'litigation_after_review.pending', 'litigation_after_review.total'
    ]) }}
{% endmacro %}

{% macro people_proactive_keys() %}
    {{ return([
        'proactive.rules.made', 'proactive.rules.published', 'proactive.rules.total_public',
        'proactive.rules.issued', 'proactive.rules.repealed', 'proactive.rules.in_force',
        'proactive.normative_docs.made', 'proactive.normative_docs.published', 'proactive.normative_docs.total_public',
        'proactive.normative_docs.issued', 'proactive.normative_docs.repealed', 'proactive.normative_docs.in_force',
        'proactive.admin_license.prev_count', 'proactive.admin_license.change', 'proactive.admin_license.decisions',
        'proactive.other_admin_services.prev_count', 'proactive.other_admin_services.change', 'proactive.other_admin_services.decisions',
        'proactive.admin_penalty.prev_count', 'proactive.admin_penalty.change', 'proactive.admin_penalty.decisions',
        'proactive.admin_enforcement.prev_count', 'proactive.admin_enforcement.change', 'proactive.admin_enforcement.decisions',
        'proactive.admin_fees.prev_count', 'proactive.admin_fees.change', 'proactive.admin_fees.fee_amount',
        'proactive.gov_procurement.procurement_count', 'proactive.gov_procurement.procurement_amount'
    ]) }}
{% endmacro %}

{% macro people_legacy_keys() %}
    {{ return([
        'legacy.proactive_total', 'legacy.proactive_normative_docs', 'legacy.normative_docs_issued',
        'legacy.channel_gazette', 'legacy.channel_website', 'legacy.channel_weibo',
        'legacy.channel_wechat', 'legacy.channel_other', 'legacy.hotspot_responses',
        'legacy.press_conferences', 'legacy.press_conferences_principal', 'legacy.online_interviews',
        'legacy.online_interviews_principal', 'legacy.policy_interpretations', 'legacy.social_media_responses',
        'legacy.other_responses', 'legacy.requests_received', 'legacy.requests_in_person',
        'legacy.requests_fax', 'legacy.requests_online', 'legacy.requests_letter',
        'legacy.requests_email', 'legacy.requests_other', 'legacy.requests_closed',
        'legacy.requests_closed_on_time', 'legacy.requests_closed_extended', 'legacy.replies_total',
        'legacy.replies_already_public', 'legacy.replies_granted', 'legacy.replies_partial',
        'legacy.replies_denied', 'legacy.denied_state_secret', 'legacy.denied_commercial_secret',
        'legacy.denied_privacy', 'legacy.denied_security_stability', 'legacy.denied_not_gov_info',
        'legacy.denied_other_law', 'legacy.replies_not_this_agency', 'legacy.replies_not_exist',
        'legacy.replies_needs_clarification', 'legacy.replies_other_channel', 'legacy.review_total',
        'legacy.review_upheld', 'legacy.review_corrected', 'legacy.review_other',
        'legacy.litigation_total', 'legacy.litigation_upheld', 'legacy.litigation_corrected',
        'legacy.litigation_other', 'legacy.complaints_total', 'legacy.complaints_upheld',
        'legacy.complaints_corrected', 'legacy.complaints_other', 'legacy.fees_amount',
        'legacy.dedicated_units', 'legacy.reading_points', 'legacy.staff_total',
        'legacy.staff_full_time', 'legacy.staff_part_time', 'legacy.special_budget',
        'legacy.meetings', 'legacy.trainings', 'legacy.trainees'
    ]) }}
{% endmacro %}

{% macro people_headline_metrics() %}
    {#- the metrics of marts.mart_agency_year compared in mart_agency_year_changes and mart_rankings -#}
    {{ return([
        'requests_received', 'granted', 'partially_granted', 'denied', 'unable_to_provide',
        'not_processed', 'total_handled', 'review_total', 'review_corrected',
        'litigation_total', 'litigation_corrected'
    ]) }}
{% endmacro %}

{% macro people_column(key) %}
    {#- the wide-mart column of a catalog key: proactive.rules.issued -> rules_issued, review.upheld -> review_upheld -#}
    {%- set parts = key.split('.') -%}
    {%- if parts[0] in ('proactive', 'legacy', 'applications') -%}
        {{ return(parts[1:] | join('_')) }}
    {%- else -%}
        {{ return(parts | join('_')) }}
    {%- endif -%}
{% endmacro %}

{% macro people_pivot(keys, key_column='metric_key', value_column='value', prefix='') %}
    {#- conditional aggregation: one column per key, named by people_column(key); written out at compile time -#}
    {%- for key in keys %}
        max({{ value_column }}) filter (where {{ key_column }} = '{{ key }}') as {{ prefix ~ people_column(key) }}{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}

{% macro people_prose_filled(key_column='metric_key') %}
    {#- comma-separated list of the keys of a group whose value came from prose (no table value) -#}
    string_agg({{ key_column }}, ',' order by {{ key_column }}) filter (where source = 'prose')
{% endmacro %}

{% macro people_report_columns(alias) %}
    {#- the report attributes every people mart starts with (from int_people_reports) -#}
    {{ alias }}.report_id,
    {{ alias }}.source_file,
    {{ alias }}.agency,
    {{ alias }}.admin_level,
    {{ alias }}.region,
    {{ alias }}.region_province,
    {{ alias }}.report_year,
    {{ alias }}.format,
    {{ alias }}.scope,
    {{ alias }}.is_current,
    {{ alias }}.has_open_errors
{%- endmacro %}

{% macro people_sum_parts(a, b) -%}
    {#- a + b over the parts that were printed; NULL when neither was -#}
    case when {{ a }} is null and {{ b }} is null then null else coalesce({{ a }}, 0) + coalesce({{ b }}, 0) end
{%- endmacro %}

{% macro people_report_pivot(keys, sections, key_column='metric_key', by=[], units=[]) %}
    {#- The per-report pivot of one wide mart (int_wide_*): one row per report (and `by` columns)
        with any value of `sections`, one column per key, the printed unit of the `units` keys
        (<column>_unit), the keys filled from prose, and the number of values. -#}
select
    report_id,
    {%- for col in by %}
    {{ col }},
    {%- endfor %}
    {{ people_pivot(keys, key_column=key_column) }},
    {%- for key in units %}
    max(unit) filter (where metric_key = '{{ key }}') as {{ people_column(key) }}_unit,
    {%- endfor %}
    {{ people_prose_filled('column_name') }} as prose_filled,
    count(*)                                  as n_values
from {{ ref('int_people_values') }}
where {{ report_bucket('report_id') }}
  and section in ({% for s in sections %}'{{ s }}'{{ ', ' if not loop.last }}{% endfor %})
group by report_id{% for col in by %}, {{ col }}{% endfor %}
{% endmacro %}

{% macro people_wide_mart(pivot_model, keys, unit_columns, formats) %}
    {#- A people mart of one table, wide, kept report by report: the report attributes, one column
        per key of the per-report pivot `pivot_model` (and its unit columns), one row per report of
        `formats` and per other report with any value of the table. -#}
with pivoted as (
    select * from {{ ref(pivot_model) }}
    where {{ report_bucket('report_id') }}
)
select
    {{ people_report_columns('r') }},
    {%- for key in keys %}
    p.{{ people_column(key) }},
    {%- endfor %}
    {%- for col in unit_columns %}
    p.{{ col }},
    {%- endfor %}
    p.prose_filled is not null                    as has_prose_fill,
    p.prose_filled,
    coalesce(p.n_values, 0)                       as n_values
from {{ ref('int_people_reports') }} as r
left join pivoted as p using (report_id)
where {{ report_bucket('r.report_id') }}
  and (r.format in ({% for f in formats %}'{{ f }}'{{ ', ' if not loop.last }}{% endfor %}) or p.report_id is not null)
{% endmacro %}
