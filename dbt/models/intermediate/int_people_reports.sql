-- One row per ingested file: the report attributes every people mart carries, and whether the
-- report has open error-level findings (severity error, triage_status not dismissed).
with open_errors as (
    select report_id, count(*) as n_open_errors
    from {{ ref('fct_quality_issues') }}
    where severity = 'error'
      and triage_status <> 'dismissed'
      and report_id is not null
    group by report_id
)
select
    r.report_id,
    r.source_file,
    r.agency,
    r.admin_level,
    r.region,
    r.region_province,
    r.report_year,
    r.format,
    r.scope,
    r.parse_status,
    r.is_current,
    coalesce(e.n_open_errors, 0)                                as n_open_errors,
    coalesce(e.n_open_errors, 0) > 0                            as has_open_errors
from {{ ref('dim_reports') }} as r
left join open_errors as e using (report_id)
