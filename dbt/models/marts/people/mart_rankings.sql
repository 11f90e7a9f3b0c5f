-- Rankings per year and headline metric (highest value = rank 1, ties share a rank): within the
-- province and administrative level (rank / of_n), and nationally within the level (rank_in_level /
-- of_n_in_level). Reports whose province was not resolved rank together under province '(unknown)'.
{%- set metrics = people_headline_metrics() %}
with long as (
    {%- for m in metrics %}
    select agency, scope, report_year, admin_level, region, region_province, source_format,
           is_approx_mapping, '{{ m }}' as metric, {{ m }} as value
    from {{ ref('mart_agency_year') }}
    where {{ m }} is not null
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)
select
    report_year,
    metric,
    coalesce(region_province, '(unknown)')              as province,
    coalesce(admin_level, '(unknown)')                  as admin_level,
    agency,
    scope,
    region,
    value,
    rank() over (partition by report_year, metric, coalesce(region_province, '(unknown)'), coalesce(admin_level, '(unknown)')
                 order by value desc)                   as rank,
    count(*) over (partition by report_year, metric, coalesce(region_province, '(unknown)'), coalesce(admin_level, '(unknown)'))
                                                        as of_n,
    rank() over (partition by report_year, metric, coalesce(admin_level, '(unknown)') order by value desc) as rank_in_level,
    count(*) over (partition by report_year, metric, coalesce(admin_level, '(unknown)'))  as of_n_in_level,
    source_format,
    is_approx_mapping
from long
