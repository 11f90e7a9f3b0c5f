-- The ingest log: renaming and typing only.
select
    run_id::varchar           as run_id,
    report_id::varchar        as report_id,
    source_file::varchar      as source_file,
    content_sha256::varchar   as content_sha256,
    parser_version::varchar   as parser_version,
    action::varchar           as action,
    parse_status::varchar     as parse_status,
    message::varchar          as message,
    duration_ms::double       as duration_ms,
    event_at::timestamp       as event_at
from {{ source('raw', 'parse_events') }}
