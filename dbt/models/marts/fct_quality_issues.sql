-- One row per finding, with the time it was first seen (kept across re-runs by int_finding_history).
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
    h.last_seen_at
from {{ ref('int_quality_findings') }} as f
join {{ ref('int_finding_history') }} as h using (finding_id)
