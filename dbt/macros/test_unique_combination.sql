{#- Generic test: the combination of `columns` is unique (no dbt_utils).
    Two passes, exact and cheap on a fact of tens of millions of rows: group by one 64-bit hash of
    the combination (no wide string keys in the hash table), then check the rows of the colliding
    hashes only, grouping by the columns themselves (NULLs group together, as in a plain GROUP BY).
    A hash collision without a duplicate finds nothing in the second pass. -#}
{% test unique_combination(model, columns) %}
with dup_hashes as (
    select hash({{ columns | join(', ') }}) as combination_hash
    from {{ model }}
    group by 1
    having count(*) > 1
)
select {{ columns | join(', ') }}, count(*) as n_rows
from {{ model }}
where hash({{ columns | join(', ') }}) in (select combination_hash from dup_hashes)
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
