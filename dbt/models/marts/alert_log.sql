{{ config(materialized='view') }}
-- Every alert the refresh sent or tried to send (findings digests, run failures), as logged by
-- ingestion/alerts.py in raw.alert_log. A view, so the published file shows the alerts of the
-- refresh that built it (the digest is logged after dbt build).
select
    alert_id::varchar      as alert_id,
    run_id::varchar        as run_id,
    kind::varchar          as kind,
    channel::varchar       as channel,
    status::varchar        as status,
    title::varchar         as title,
    body::varchar          as body,
    finding_ids            as finding_ids,
    error::varchar         as error,
    sent_at::timestamp     as sent_at
from {{ source('raw', 'alert_log') }}
