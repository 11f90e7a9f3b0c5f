-- One row per agency and scope: how its reports fare, on the current file of each report only
-- (dim_reports.is_current), so a report ingested twice, republished, or kept as HTML and text
-- counts once. Findings by severity and rule family; open = triage_status open or needs_review.
-- Files without a known agency are left out (they have no agency to summarise).
with reports as (
    select report_id, agency, coalesce(scope, '') as scope, report_year, format
    from {{ ref('dim_reports') }}
    where is_current and agency is not null
),
issues as (
    select q.*
    from {{ ref('fct_quality_issues') }} as q
    semi join reports as r using (report_id)
),
per_report as (
    select
        r.report_id,
        r.agency,
        r.scope,
        r.report_year,
        count(i.finding_id) filter (where i.severity = 'error' and i.triage_status in ('open', 'needs_review'))
            as n_open_errors
    from reports as r
    left join issues as i using (report_id)
    group by all
),
by_agency as (
    select
        agency,
        scope,
        count(*) as n_reports,
        count(distinct report_year) as n_years,
        min(report_year) as first_year,
        max(report_year) as last_year,
        string_agg(distinct report_year::varchar, ' ' order by report_year::varchar) as years_covered,
        count(*) filter (where n_open_errors > 0) as n_reports_with_open_errors
    from per_report
    group by agency, scope
),
findings as (
    select
        r.agency,
        r.scope,
        count(*) as n_findings,
        count(*) filter (where i.severity = 'error') as n_errors,
        count(*) filter (where i.severity = 'warning') as n_warnings,
        count(*) filter (where i.severity = 'error' and i.triage_status in ('open', 'needs_review')) as n_open_errors,
        count(*) filter (where i.severity = 'warning' and i.triage_status in ('open', 'needs_review')) as n_open_warnings,
        count(*) filter (where i.triage_status = 'dismissed') as n_dismissed,
        count(*) filter (where i.triage_status = 'confirmed') as n_confirmed,
        count(*) filter (where i.family = 'table2') as n_table2,
        count(*) filter (where i.family = 'table3') as n_table3,
        count(*) filter (where i.family = 'table4') as n_table4,
        count(*) filter (where i.family = 'legacy') as n_legacy,
        count(*) filter (where i.family = 'prose') as n_prose,
        count(*) filter (where i.family = 'cross_year') as n_cross_year,
        count(*) filter (where i.family = 'pipeline') as n_pipeline
    from issues as i
    join reports as r using (report_id)
    group by r.agency, r.scope
)
select
    a.agency,
    nullif(a.scope, '') as scope,
    a.n_reports,
    a.n_years,
    a.first_year,
    a.last_year,
    a.years_covered,
    coalesce(f.n_findings, 0) as n_findings,
    coalesce(f.n_errors, 0) as n_errors,
    coalesce(f.n_warnings, 0) as n_warnings,
    coalesce(f.n_open_errors, 0) as n_open_errors,
    coalesce(f.n_open_warnings, 0) as n_open_warnings,
    coalesce(f.n_confirmed, 0) as n_confirmed,
    coalesce(f.n_dismissed, 0) as n_dismissed,
    coalesce(f.n_table2, 0) as n_table2,
    coalesce(f.n_table3, 0) as n_table3,
    coalesce(f.n_table4, 0) as n_table4,
    coalesce(f.n_legacy, 0) as n_legacy,
    coalesce(f.n_prose, 0) as n_prose,
    coalesce(f.n_cross_year, 0) as n_cross_year,
    coalesce(f.n_pipeline, 0) as n_pipeline,
    a.n_reports_with_open_errors,
    round(a.n_reports_with_open_errors / a.n_reports, 3) as share_reports_open_errors
from by_agency as a
left join findings as f on f.agency = a.agency and f.scope = a.scope
