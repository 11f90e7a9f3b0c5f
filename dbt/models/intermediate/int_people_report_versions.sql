-- One row per ingested file: its version for the people marts (report_incremental models with
-- versions='int_people_report_versions'): the file's version (int_report_versions) together with its
-- row of int_people_reports (is_current, open findings), so that a report that stops being current
-- or whose findings change is rebuilt there too. Computed once per build for all of them.
select
    v.report_id,
    md5(v.report_version || '|' || coalesce(hash(p)::varchar, '')) as report_version
from {{ ref('int_report_versions') }} as v
left join {{ ref('int_people_reports') }} as p using (report_id)
