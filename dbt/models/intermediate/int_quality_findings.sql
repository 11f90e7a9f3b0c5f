-- Every finding of the current build, before first_seen_at is attached: the failed instances of
-- the generic evaluation plus the findings of int_model_findings and int_cross_year_findings, with
-- severity from the rule catalog.
-- finding_id is a stable hash of report, check (rule) and instance.
with generic as (
    select report_id, check_id, instance, metric_keys, expected, actual, difference, message
    from {{ ref('int_rule_evaluations') }}
    where status = 'fail'
),
findings as (
    select * from generic
    union all
    select report_id, check_id, instance, metric_keys, expected, actual, difference, message
    from {{ ref('int_model_findings') }}
    union all
    select report_id, check_id, instance, metric_keys, expected, actual, difference, message
    from {{ ref('int_cross_year_findings') }}
)
select
    md5(coalesce(f.report_id, '') || '|' || f.check_id || '|' || coalesce(f.instance, '')) as finding_id,
    f.report_id,
    c.rule_id,
    f.check_id,
    c.severity,
    c.level,
    c.family,
    f.metric_keys,
    f.expected,
    f.actual,
    f.difference,
    nullif(f.instance, '') as instance,
    f.message
from findings as f
join {{ ref('rule_catalog') }} as c using (check_id)
