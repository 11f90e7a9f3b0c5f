{#- A number as a person reads it: integers without decimals, others with up to 4 decimals. -#}
{% macro fmt_num(expr) -%}
    (case
        when {{ expr }} is null then 'NULL'
        when {{ expr }} = round({{ expr }}) and abs({{ expr }}) < 1e15
            then cast(cast({{ expr }} as bigint) as varchar)
        else cast(round({{ expr }}, 4) as varchar)
     end)
{%- endmacro %}

{#- The timestamp the dbt invocation started (UTC), the same for every model of a run. -#}
{% macro run_ts() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}
