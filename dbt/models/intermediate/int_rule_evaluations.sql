-- The one generic evaluation: one row per report, check and instance.
-- Each side is the sum of its terms (optional keys without a value count 0; a side with no keys is 0),
-- compared with the rule's operator within its tolerance (0.005).
-- status: pass / fail / not_assessable (a required key has no value: a blank cell is not 0).
-- Instances where no key was extracted at all (the table is not in the report), R3.4 instances
-- without a printed 小计 column (applies_when = lhs_present), and R3.7 instances whose subtotal
-- is derived rather than printed (applies_when = lhs_printed) do not apply and are left out.
with rules as (
    select check_id, rule_id, level, severity, operator, applies_when, tolerance, description
    from {{ ref('rule_catalog') }}
    where evaluator = 'generic'
),
terms as (
    select
        t.*,
        (t.term_status = 'value') as has_value,
        t.metric_key || ' = ' || case when t.term_status = 'value' then {{ fmt_num('t.value') }}
                                     when t.is_optional then '0 (absent)'
                                     else t.value_status end as term_text
    from {{ ref('int_rule_instances') }} as t
),
agg as (
    select
        report_id,
        any_value(format) as format,
        check_id,
        instance,
        count(*) filter (where term_status <> 'absent') as n_present,
        count(*) filter (where not has_value and not is_optional) as n_missing,
        coalesce(sum(value) filter (where side = 'lhs' and has_value), 0) as lhs_value,
        coalesce(sum(value) filter (where side = 'rhs' and has_value), 0) as rhs_value,
        bool_or(side = 'lhs' and term_status <> 'absent') as lhs_present,
        bool_or(side = 'lhs' and has_value and not is_derived) as lhs_printed,
        string_agg(metric_key, ', ' order by side, term_pos) as metric_keys,
        string_agg(term_label || ' [' || term_text || ']', ' + ' order by term_pos) filter (where side = 'lhs') as lhs_text,
        string_agg(term_label || ' [' || term_text || ']', ' + ' order by term_pos) filter (where side = 'rhs') as rhs_text,
        string_agg(metric_key, ', ' order by side, term_pos) filter (where not has_value and not is_optional) as missing_keys,
        count(*) filter (where side = 'lhs') as n_lhs,
        count(*) filter (where side = 'rhs') as n_rhs
    from terms
    group by report_id, check_id, instance
),
evaluated as (
    select
        a.*,
        r.rule_id,
        r.level,
        r.severity,
        r.operator,
        r.tolerance,
        r.description,
        case
            when a.n_missing > 0 then 'not_assessable'
            when r.operator = '='  and abs(a.lhs_value - a.rhs_value) <= r.tolerance then 'pass'
            when r.operator = '<=' and a.lhs_value <= a.rhs_value + r.tolerance then 'pass'
            when r.operator = '>=' and a.lhs_value >= a.rhs_value - r.tolerance then 'pass'
            else 'fail'
        end as status
    from agg as a
    join rules as r using (check_id)
    where a.n_present > 0
      and (r.applies_when <> 'lhs_present' or a.lhs_present)
      and (r.applies_when <> 'lhs_printed' or a.lhs_printed)
)
select
    report_id,
    format,
    rule_id,
    check_id,
    instance,
    level,
    severity,
    operator,
    status,
    metric_keys,
    missing_keys,
    case when status = 'not_assessable' then null else rhs_value end as expected,
    case when status = 'not_assessable' then null else lhs_value end as actual,
    case when status = 'not_assessable' then null else lhs_value - rhs_value end as difference,
    case status
        when 'not_assessable' then
            check_id || coalesce(' [' || nullif(instance, '') || ']', '') || ' not assessable: no value for '
            || missing_keys || '. ' || description
        else
            check_id || coalesce(' [' || nullif(instance, '') || ']', '') || ': '
            || coalesce(lhs_text, '0') || case when n_lhs > 1 then ' = ' || {{ fmt_num('lhs_value') }} else '' end
            || case operator when '=' then ' should equal ' when '<=' then ' should be at most '
                             else ' should be at least ' end
            || coalesce(rhs_text, '0') || case when n_rhs > 1 then ' = ' || {{ fmt_num('rhs_value') }} else '' end
            || case when status = 'fail' then '; difference ' || {{ fmt_num('lhs_value - rhs_value') }} else '' end
            || '. ' || description
    end as message
from evaluated
