-- At most one current file per group of copies; withdrawn files are never current.
select copy_group, count(*) filter (where is_current) as n_current,
       count(*) filter (where is_current and is_withdrawn) as n_withdrawn_current
from {{ ref('dim_reports') }}
group by copy_group
having count(*) filter (where is_current) > 1
    or count(*) filter (where is_current and is_withdrawn) > 0
