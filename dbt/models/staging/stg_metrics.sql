-- Every extracted metric row, blanks and placeholders included: renaming and typing only.
select
    report_id::varchar       as report_id,
    metric_key::varchar      as metric_key,
    value::double            as value,
    value_status::varchar    as value_status,
    unit::varchar            as unit,
    source::varchar          as source,
    approx::boolean          as approx,
    is_derived::boolean      as is_derived,
    raw_text::varchar        as raw_text,
    label::varchar           as label,
    column_label::varchar    as column_label,
    table_id::varchar        as table_id,
    note::varchar            as note,
    ordinal::integer         as ordinal
from {{ source('raw', 'metrics') }}
