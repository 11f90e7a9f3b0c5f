-- The generic rules of the rule catalog expanded into terms: one row per check, instance
-- (expansion value, '' when the rule has none), side (lhs / rhs) and metric key.
-- Report-independent: a few hundred rows.
with rules as (
    select
        check_id,
        expansion,
        coalesce(expansion_values, '') as expansion_values,
        coalesce(lhs_keys, '') as lhs_keys,
        coalesce(rhs_keys, '') as rhs_keys,
        coalesce(optional_keys, '') as optional_keys
    from {{ ref('rule_catalog') }}
    where evaluator = 'generic'
),
instances as (
    select
        rules.*,
        unnest(case when expansion_values = '' then [''] else string_split(expansion_values, ' ') end) as instance
    from rules
),
raw_terms as (
    select check_id, expansion, instance, optional_keys, 'lhs' as side,
           unnest(string_split(lhs_keys, ' ')) as key_pattern,
           generate_subscripts(string_split(lhs_keys, ' '), 1) as term_pos
    from instances
    union all
    select check_id, expansion, instance, optional_keys, 'rhs' as side,
           unnest(string_split(rhs_keys, ' ')) as key_pattern,
           generate_subscripts(string_split(rhs_keys, ' '), 1) as term_pos
    from instances
),
optional as (
    select check_id, instance, unnest(string_split(optional_keys, ' ')) as key_pattern, expansion
    from instances
    where optional_keys <> ''
),
expanded as (
    select
        check_id, instance, side, term_pos,
        case when expansion is null then key_pattern
             else replace(key_pattern, '{' || expansion || '}', instance) end as metric_key
    from raw_terms
    where key_pattern <> ''
),
optional_expanded as (
    select distinct
        check_id, instance,
        case when expansion is null then key_pattern
             else replace(key_pattern, '{' || expansion || '}', instance) end as metric_key
    from optional
    where key_pattern <> ''
)
select
    e.check_id,
    e.instance,
    e.side,
    e.term_pos,
    e.metric_key,
    (o.metric_key is not null) as is_optional
from expanded as e
left join optional_expanded as o
    on o.check_id = e.check_id and o.instance = e.instance and o.metric_key = e.metric_key
