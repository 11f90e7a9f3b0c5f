-- Groups the files that say the same report and picks the one that counts (is_current).
-- Copy group: agency + year + scope when agency and year are known, else the normalised text hash,
-- else the file itself. Ranking inside a group (withdrawn files are never current):
-- parsed > partial > failed, more metrics, html before text, latest published, then source_file.
with reports as (
    select
        *,
        case
            when agency is not null and report_year is not null
                then 'meta:' || agency || '|' || report_year::varchar || '|' || coalesce(scope, '')
            when text_sha256 is not null then 'text:' || text_sha256
            else 'file:' || report_id
        end as copy_group
    from {{ ref('stg_reports') }}
),
ranked as (
    select
        *,
        count(*) over (partition by copy_group) as copies_in_group,
        case when is_withdrawn then null else row_number() over (
            partition by copy_group, is_withdrawn
            order by
                case parse_status when 'parsed' then 0 when 'partial' then 1 else 2 end,
                n_metrics desc,
                case doc_type when 'html' then 0 when 'text' then 1 else 2 end,
                published_on desc nulls last,
                source_file
        ) end as copy_rank
    from reports
)
select
    report_id,
    copy_group,
    copies_in_group,
    copy_rank,
    coalesce(copy_rank = 1, false) as is_current
from ranked
