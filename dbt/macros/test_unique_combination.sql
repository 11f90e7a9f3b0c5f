{#- Generic test: the combination of `columns` is unique (no dbt_utils).
    Two passes, exact and cheap on a fact of tens of millions of rows: group by one 64-bit hash of
    the combination (no wide string keys in the hash table), then check the rows of the colliding
    hashes only, grouping by the columns themselves (NULLs group together, as in a plain GROUP BY).
    A hash collision without a duplicate finds nothing in the second pass.
    `rebuilt_by` (a report_incremental model, for combinations that include report_id): only the
    rows of the reports that model rebuilt since the last acknowledged successful build (its
    `__unverified` list; every report after a full build) are checked: the rows of the other
    reports passed when they were built and are unchanged, so a refresh with nothing new checks
    nothing again, and one after a failed test checks those reports again. -#}
{% test unique_combination(model, columns, rebuilt_by=none) %}
{%- set rows -%}
    {%- if rebuilt_by -%}
    (select * from {{ model }} where report_id in (select report_id from {{ _rebuilt_reports(rebuilt_by) }}))
    {%- else -%}
    {{ model }}
    {%- endif -%}
{%- endset %}
with dup_hashes as (
    select hash({{ columns | join(', ') }}) as combination_hash
    from {{ rows }}
    group by 1
    having count(*) > 1
)
select {{ columns | join(', ') }}, count(*) as n_rows
from {{ rows }}
where hash({{ columns | join(', ') }}) in (select combination_hash from dup_hashes)
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{% macro _rebuilt_reports(model_name) -%}
    {{ report_list_relation(ref(model_name), 'unverified') }}
{%- endmacro %}
