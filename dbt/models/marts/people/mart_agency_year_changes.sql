{{ config(materialized='report_incremental', versions='int_people_report_versions',
          rebuild_key='hash(agency, scope)', groups_from='mart_agency_year', bucket_size=200000) }}
-- depends_on: {{ ref('int_people_report_versions') }}
-- Year over year, long format: one row per agency, scope, headline metric and year with a value;
-- prev_year is the latest earlier year of the same agency and scope with a value for the metric
-- (not necessarily year − 1: years_apart says how far back it is).
-- Kept agency by agency (report_incremental in group mode): a refresh rebuilds the rows of the
-- agencies (and scopes) whose reports changed, every year of them.
{%- set metrics = people_headline_metrics() %}
with long as (
    {%- for m in metrics %}
    select agency, scope, report_year, report_id, source_format, is_approx_mapping,
           '{{ m }}' as metric, {{ m }} as value
    from {{ ref('mart_agency_year') }}
    where {{ m }} is not null and {{ report_bucket('hash(agency, scope)') }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),
lagged as (
    select
        *,
        lag(report_year) over w          as prev_year,
        lag(report_id) over w            as prev_report_id,
        lag(value) over w                as prev_value,
        lag(source_format) over w        as prev_source_format,
        lag(is_approx_mapping) over w    as prev_is_approx_mapping
    from long
    window w as (partition by agency, scope, metric order by report_year)
)
select
    agency,
    scope,
    metric,
    report_year                                         as year,
    value,
    report_id,
    prev_year,
    prev_value,
    prev_report_id,
    value - prev_value                                  as change,
    case when prev_value <> 0 then value / prev_value end as ratio,
    report_year - prev_year                             as years_apart,
    source_format,
    prev_source_format,
    is_approx_mapping or coalesce(prev_is_approx_mapping, false) as is_approx_mapping
from lagged
