{#- Generic test: none of `columns` is NULL. One query per model instead of one per column: the
    columns are read in one scan (the fact is 17 M rows at 100,000 reports) and a refresh runs a
    few dozen tests fewer. A failing row shows which column is NULL (null_columns). -#}
{% test not_null_columns(model, columns) %}
select
    concat_ws(', ', {% for c in columns %}case when {{ c }} is null then '{{ c }}' end{{ ', ' if not loop.last }}{% endfor %}) as null_columns,
    *
from {{ model }}
where {% for c in columns %}{{ c }} is null{{ ' or ' if not loop.last }}{% endfor %}
{% endtest %}
