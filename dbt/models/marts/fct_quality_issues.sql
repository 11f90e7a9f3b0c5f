-- One row per finding, with the time it was first seen (kept across re-runs by int_finding_history)
-- and its triage status. last_seen_at stays in staging.int_finding_history, so a re-run that finds
-- the same things changes nothing here.
-- triage_status: open (no decision, or reopened); confirmed / dismissed (the latest decision, while
-- the finding's expected and actual are still the numbers decided on); needs_review (decided, but
-- the numbers have changed since).
with latest_decision as (
    select *
    from {{ ref('stg_triage_decisions') }}
    qualify row_number() over (partition by finding_id order by decided_at desc, decision) = 1
)
select
    f.finding_id,
    f.report_id,
    f.rule_id,
    f.check_id,
    f.severity,
    f.level,
    f.family,
    f.metric_keys,
    f.expected,
    f.actual,
    f.difference,
    f.instance,
    f.message,
    h.first_seen_at,
    case
        when d.finding_id is null or d.decision = 'reopened' then 'open'
        when coalesce(abs(d.expected - f.expected) <= 0.005, d.expected is null and f.expected is null)
         and coalesce(abs(d.actual - f.actual) <= 0.005, d.actual is null and f.actual is null)
            then d.decision
        else 'needs_review'
    end as triage_status,
    d.reason as triage_reason,
    d.decided_by as triaged_by,
    d.decided_at as triaged_at
from {{ ref('int_quality_findings') }} as f
join {{ ref('int_finding_history') }} as h using (finding_id)
left join latest_decision as d using (finding_id)
