-- One row per ingested file: the version of the report that every `report_incremental` model
-- compares with the version it last built it from (macros/materializations/report_incremental.sql).
-- Computed once per build here instead of once or twice in each of those models.
select
    report_id,
    md5(concat_ws('|', loaded_at, content_sha256, parser_version, format, is_withdrawn)) as report_version
from {{ ref('stg_reports') }}
