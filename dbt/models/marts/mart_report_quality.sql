-- One row per report (every ingested file): findings by severity and by triage status, evaluated
-- and not-assessable rule instances, and a simple score.
-- open = triage_status open or needs_review (a decided finding whose numbers changed is open again);
-- confirmed and dismissed findings are never open.
-- score: 100 × (1 − weighted failures / weighted assessed instances), a strict (S) instance
-- weighing 3 and a soft (W) one 1; NULL when nothing could be assessed.
with evals as (
    select
        report_id,
        count(*) as n_evaluated,
        count(*) filter (where status = 'pass') as n_passed,
        count(*) filter (where status = 'fail') as n_failed,
        count(*) filter (where status = 'not_assessable') as n_not_assessable,
        sum(case when level = 'S' then 3 else 1 end) filter (where status in ('pass', 'fail')) as assessed_weight,
        sum(case when level = 'S' then 3 else 1 end) filter (where status = 'fail') as failed_weight
    from {{ ref('int_rule_evaluations') }}
    group by report_id
),
issues as (
    select
        report_id,
        count(*) as n_findings,
        count(*) filter (where severity = 'error') as n_errors,
        count(*) filter (where severity = 'warning') as n_warnings,
        count(*) filter (where severity = 'error' and triage_status in ('open', 'needs_review')) as n_open_errors,
        count(*) filter (where severity = 'warning' and triage_status in ('open', 'needs_review')) as n_open_warnings,
        count(*) filter (where triage_status = 'confirmed') as n_confirmed,
        count(*) filter (where triage_status = 'dismissed') as n_dismissed,
        count(*) filter (where triage_status = 'needs_review') as n_needs_review,
        string_agg(distinct rule_id, ', ' order by rule_id) as rules_failed
    from {{ ref('fct_quality_issues') }}
    where report_id is not null
    group by report_id
)
select
    d.report_id,
    d.source_file,
    d.agency,
    d.report_year,
    d.scope,
    d.format,
    d.parse_status,
    d.is_current,
    d.n_metrics,
    coalesce(i.n_findings, 0) as n_findings,
    coalesce(i.n_errors, 0) as n_errors,
    coalesce(i.n_warnings, 0) as n_warnings,
    coalesce(i.n_open_errors, 0) as n_open_errors,
    coalesce(i.n_open_warnings, 0) as n_open_warnings,
    coalesce(i.n_confirmed, 0) as n_confirmed,
    coalesce(i.n_dismissed, 0) as n_dismissed,
    coalesce(i.n_needs_review, 0) as n_needs_review,
    i.rules_failed,
    coalesce(e.n_evaluated, 0) as n_evaluated,
    coalesce(e.n_passed, 0) as n_passed,
    coalesce(e.n_failed, 0) as n_failed,
    coalesce(e.n_not_assessable, 0) as n_not_assessable,
    case when coalesce(e.assessed_weight, 0) = 0 then null
         else round(100.0 * (1 - coalesce(e.failed_weight, 0) / e.assessed_weight), 1) end as score
from {{ ref('dim_reports') }} as d
left join evals as e using (report_id)
left join issues as i using (report_id)
