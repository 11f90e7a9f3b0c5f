-- Table cells without a catalog key: renaming and typing only.
select
    report_id::varchar      as report_id,
    table_id::varchar       as table_id,
    row_label::varchar      as row_label,
    column_label::varchar   as column_label,
    raw_text::varchar       as raw_text,
    value::double           as value,
    unit::varchar           as unit,
    row_index::integer      as row_index,
    col_index::integer      as col_index
from {{ source('raw', 'unmapped_cells') }}
