{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('int_report_versions') }}
-- One value per report and metric key for the people marts (marts/people): the table value, or
-- the prose figure only where the report has no table value for that key (source says which).
-- column_name is the wide-mart column of the key (see macros/people_keys.sql).
-- Built one bucket of reports at a time (materialization `report_incremental`): each row depends on its own
-- report only, and the window never holds the whole fact.
with ranked as (
    select
        m.report_id,
        m.metric_key,
        split_part(m.metric_key, '.', 1)                        as section,
        m.value,
        m.unit,
        m.source,
        m.approx,
        m.is_derived
    from {{ ref('fct_metrics') }} as m
    where {{ report_bucket('m.report_id') }}
    qualify row_number() over (
        partition by m.report_id, m.metric_key
        order by case m.source when 'table' then 0 else 1 end
    ) = 1
)
select
    report_id,
    metric_key,
    section,
    case when section = 'applications' then split_part(metric_key, '.', 2) end as application_row,
    case when section = 'applications' then split_part(metric_key, '.', 3) end as applicant,
    case
        when section = 'applications' then split_part(metric_key, '.', 2)
        when section in ('proactive', 'legacy') then replace(substr(metric_key, length(section) + 2), '.', '_')
        else replace(metric_key, '.', '_')
    end                                                         as column_name,
    value,
    unit,
    source,
    approx,
    is_derived
from ranked
