-- Triage decisions on findings: renaming and typing only.
select
    finding_id::varchar    as finding_id,
    decision::varchar      as decision,
    reason::varchar        as reason,
    decided_by::varchar    as decided_by,
    decided_at::timestamp  as decided_at,
    expected::double       as expected,
    actual::double         as actual
from {{ source('raw', 'triage_decisions') }}
