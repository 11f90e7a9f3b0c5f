{#- Generic test: a model's column contract in one query (one scan of the model, one dbt node and
    one Dagster check instead of one per column and kind: a refresh runs about forty tests fewer).
      not_null         columns that are never NULL
      unique           columns each of which holds no value twice (NULLs are not compared)
      accepted_values  {column: [values]}: the column holds only these values (NULL passes, as in
                       dbt's accepted_values)
    A failing row is the model's row with `problem`, which names every broken clause, e.g.
    'null: format; duplicate: report_id; not accepted: parse_status'. -#}
{% test columns_contract(model, not_null=[], unique=[], accepted_values={}) %}
{%- set clauses = [] -%}
{%- for c in not_null -%}
    {%- do clauses.append(("null: " ~ c, c ~ " is null")) -%}
{%- endfor -%}
{%- for c in unique -%}
    {%- do clauses.append(("duplicate: " ~ c, c ~ " in (select " ~ c ~ " from " ~ model ~ " group by 1 having count(*) > 1)")) -%}
{%- endfor -%}
{%- for c, values in accepted_values.items() -%}
    {%- set quoted = [] -%}
    {%- for v in values -%}{%- do quoted.append("'" ~ (v | string | replace("'", "''")) ~ "'") -%}{%- endfor -%}
    {%- do clauses.append(("not accepted: " ~ c, c ~ " is not null and " ~ c ~ "::varchar not in (" ~ quoted | join(", ") ~ ")")) -%}
{%- endfor %}
with judged as (
    -- each clause evaluated once per row
    select *{% for label, cond in clauses %}, ({{ cond }}) as __contract_{{ loop.index }}{% endfor %}
    from {{ model }}
)
select
    concat_ws('; ', {% for label, cond in clauses %}case when __contract_{{ loop.index }} then '{{ label }}' end{{ ', ' if not loop.last }}{% endfor %}) as problem,
    * exclude ({% for label, cond in clauses %}__contract_{{ loop.index }}{{ ', ' if not loop.last }}{% endfor %})
from judged
where {% for label, cond in clauses %}__contract_{{ loop.index }}{{ ' or ' if not loop.last }}{% endfor %}
{% endtest %}
