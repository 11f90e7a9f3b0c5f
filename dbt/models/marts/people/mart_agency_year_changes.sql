-- Year over year, long format: one row per agency, scope, headline metric and year with a value;
-- prev_year is the latest earlier year of the same agency and scope with a value for the metric
-- (not necessarily year − 1: years_apart says how far back it is).
{%- set metrics = people_headline_metrics() %}
with long as (
    {%- for m in metrics %}
    select agency, scope, report_year, source_format, is_approx_mapping,
           '{{ m }}' as metric, {{ m }} as value
    from {{ ref('mart_agency_year') }}
    where {{ m }} is not null
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),
lagged as (
    select
        *,
        lag(report_year) over w          as prev_year,
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
    prev_year,
    prev_value,
    value - prev_value                                  as change,
    case when prev_value <> 0 then value / prev_value end as ratio,
    report_year - prev_year                             as years_apart,
    source_format,
    prev_source_format,
    is_approx_mapping or coalesce(prev_is_approx_mapping, false) as is_approx_mapping
from lagged
