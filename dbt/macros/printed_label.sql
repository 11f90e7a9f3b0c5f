{#- A cell's printed labels as a person reads them: row label · column label (either may be blank),
    else `fallback` (an SQL expression, e.g. the metric key). -#}
{% macro printed_label(t, fallback) -%}
    coalesce(nullif(concat_ws(' · ', nullif({{ t }}.label, ''), nullif({{ t }}.column_label, '')), ''), {{ fallback }})
{%- endmacro %}
