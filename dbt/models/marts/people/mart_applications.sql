{{ config(materialized='report_incremental', versions='int_people_report_versions') }}
-- depends_on: {{ ref('int_people_report_versions') }}
-- Kept report by report (materialization report_incremental): a report's rows are rebuilt when its
-- file, its parse or its int_people_reports row (is_current, open findings) changed.
-- Table 3 (收到和处理政府信息公开申请情况) wide: one row per report and applicant type, one column
-- per Table 3 row (applications.<row>.<applicant> -> <row>), including the derived subtotals
-- denied_total / unable_total / rejected_total and, in format_2021, other. Values from the table;
-- a prose figure only where the table has none, named in prose_filled.
{%- set rows = people_application_rows() %}
with pivoted as (
    select * from {{ ref('int_wide_applications') }}
    where {{ report_bucket('report_id') }}
)
select
    {{ people_report_columns('r') }},
    p.applicant,
    case p.applicant
        when 'natural_person' then '自然人'
        when 'commercial' then '商业企业'
        when 'research' then '科研机构'
        when 'social_org' then '社会公益组织'
        when 'legal_service' then '法律服务机构'
        when 'other_org' then '其他'
        when 'legal_subtotal' then '法人或其他组织 小计'
        when 'total' then '总计'
    end                                           as applicant_zh,
    {%- for row in rows %}
    p.{{ row }},
    {%- endfor %}
    p.prose_filled is not null                    as has_prose_fill,
    p.prose_filled,
    p.n_values
from pivoted as p
join {{ ref('int_people_reports') }} as r using (report_id)
where {{ report_bucket('r.report_id') }}
