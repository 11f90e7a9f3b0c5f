{{ config(
    materialized='incremental',
    unique_key='finding_id',
    incremental_strategy='delete+insert',
    full_refresh=false,
    on_schema_change='append_new_columns'
) }}
-- When each finding was first and last seen. Incremental and never full-refreshed
-- (full_refresh=false), so first_seen_at survives re-runs and rebuilds of the marts: a finding
-- seen again keeps its first timestamp; a finding that disappears keeps its row (last_seen_at stops).
with current_findings as (
    select finding_id, report_id, rule_id, check_id from {{ ref('int_quality_findings') }}
)
select
    f.finding_id,
    f.report_id,
    f.rule_id,
    f.check_id,
    {% if is_incremental() %}
    coalesce(h.first_seen_at, {{ run_ts() }}) as first_seen_at,
    {% else %}
    {{ run_ts() }} as first_seen_at,
    {% endif %}
    {{ run_ts() }} as last_seen_at
from current_findings as f
{% if is_incremental() %}
left join {{ this }} as h using (finding_id)
{% endif %}
