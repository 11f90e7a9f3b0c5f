{{ config(materialized='report_incremental', bucket_size=5000) }}
-- bucket_size 5000: a slice's terms (about 2.4 M rows) stay within dbt's memory limit; slices
-- of 10,000 spilled to disk and took 17 % longer in all at 100,000 reports.
-- depends_on: {{ ref('int_report_versions') }}
-- The one generic evaluation: one row per report, check and instance.
-- Each side is the sum of its terms (optional keys without a value count 0; a side with no keys is 0),
-- compared with the rule's operator within its tolerance (0.005, plus rel_tolerance × the rhs).
-- status: pass / fail / not_assessable (a required key has no value: a blank cell is never 0).
-- Bounds: table counts are non-negative, so the known terms of a side with blanks are a lower bound
-- of that side. When that lower bound already exceeds the other, fully known side (the rhs of `=` or
-- `<=`, the lhs of `=` or `>=`), the violation is certain whatever the blanks hold: status fail,
-- is_bound true, expected / actual the known sums. Keys marked `signed` in the metric catalog
-- (2019 本年增/减) give no bound.
-- Left out, because they do not apply: instances where no key was extracted at all (the table is
-- not in the report); R3.4 instances without a printed 小计 column (applies_when = lhs_present);
-- R3.7 instances whose subtotal is derived rather than printed (applies_when = lhs_printed);
-- instances with a required key not extracted at all, for checks of a local variant
-- (applies_when = all_present, e.g. R3.3.legal on tables with a 法人或其他组织 column).
-- depends_on: {{ ref('int_rule_instances') }}
with instances as materialized (
    -- the terms of this bucket's reports (the SQL of int_rule_instances, filtered to the bucket),
    -- computed once for the sums and the messages
    {{ rule_instances_sql(bucketed=true, with_labels=false) | indent(4) }}
),
rules as (
    select check_id, rule_id, level, severity, operator, applies_when, description,
           tolerance, coalesce(rel_tolerance, 0) as rel_tolerance
    from {{ ref('rule_catalog') }}
    where evaluator = 'generic'
),
instance_keys as (
    -- report-independent: the keys of each instance, lhs first
    select check_id, instance,
           string_agg(metric_key, ', ' order by side, term_pos) as metric_keys,
           count(*) filter (where side = 'lhs') as n_lhs,
           count(*) filter (where side = 'rhs') as n_rhs
    from {{ ref('int_rule_terms') }}
    group by check_id, instance
),
agg as (
    select
        report_id,
        any_value(format) as format,
        check_id,
        instance,
        count(*) filter (where term_status <> 'absent') as n_present,
        count(*) filter (where term_status <> 'value' and not is_optional) as n_missing,
        count(*) filter (where term_status = 'absent' and not is_optional) as n_absent,
        count(*) filter (where side = 'lhs' and term_status <> 'value' and not is_optional) as n_missing_lhs,
        count(*) filter (where side = 'rhs' and term_status <> 'value' and not is_optional) as n_missing_rhs,
        count(*) filter (where term_status <> 'value' and not is_optional and is_signed) as n_missing_signed,
        coalesce(sum(value) filter (where side = 'lhs'), 0) as lhs_value,
        coalesce(sum(value) filter (where side = 'rhs'), 0) as rhs_value,
        bool_or(side = 'lhs' and term_status <> 'absent') as lhs_present,
        bool_or(side = 'lhs' and term_status = 'value' and not is_derived) as lhs_printed
    from instances
    group by report_id, check_id, instance
),
evaluated as (
    select
        a.*,
        r.rule_id, r.level, r.severity, r.operator, r.description,
        r.tolerance + r.rel_tolerance * abs(a.rhs_value) as tol,
        k.metric_keys, k.n_lhs, k.n_rhs
    from agg as a
    join rules as r using (check_id)
    join instance_keys as k using (check_id, instance)
    where a.n_present > 0
      and (r.applies_when <> 'lhs_present' or a.lhs_present)
      and (r.applies_when <> 'lhs_printed' or a.lhs_printed)
      and (r.applies_when <> 'all_present' or a.n_absent = 0)
),
judged as (
    select
        *,
        -- a certain violation despite blanks: the known (lower-bound) side exceeds the complete side
        n_missing > 0 and n_missing_signed = 0 and (
            (n_missing_lhs > 0 and n_missing_rhs = 0 and operator in ('=', '<=') and lhs_value > rhs_value + tol)
            or (n_missing_rhs > 0 and n_missing_lhs = 0 and operator in ('=', '>=') and rhs_value > lhs_value + tol)
        ) as is_bound,
        case
            when n_missing > 0 then 'not_assessable'
            when operator = '='  and abs(lhs_value - rhs_value) <= tol then 'pass'
            when operator = '<=' and lhs_value <= rhs_value + tol then 'pass'
            when operator = '>=' and lhs_value >= rhs_value - tol then 'pass'
            else 'fail'
        end as plain_status
    from evaluated
),
judged_status as (
    select * exclude (plain_status), case when is_bound then 'fail' else plain_status end as status
    from judged
),
failing_terms as (
    -- the terms of the instances that need a message (fail or not assessable)
    select t.*
    from instances as t
    semi join (select report_id, check_id, instance from judged_status where status <> 'pass') as e
        on e.report_id = t.report_id and e.check_id = t.check_id and e.instance = t.instance
),
term_labels as (
    -- their printed labels, looked up for those terms only (naming every term costs a third of the evaluation)
    select report_id, metric_key, {{ rule_printed_labels() }}
    from (
        {{ rule_metric_rows(report_bucket) | indent(8) }}
    ) as m
    semi join (select distinct report_id, metric_key from failing_terms) as k using (report_id, metric_key)
    group by report_id, metric_key
),
catalog_labels as (
    {{ rule_catalog_keys() | indent(4) }}
),
named_terms as (
    select l.*, {{ rule_term_label('l') }} as term_label
    from (
        select t.*, tl.label, tl.column_label, c.label_zh
        from failing_terms as t
        left join term_labels as tl on tl.report_id = t.report_id and tl.metric_key = t.metric_key
        left join catalog_labels as c on c.metric_key = t.metric_key and c.format = t.format
    ) as l
),
texts as (
    -- the printed labels and numbers, only for instances that need a message
    select
        t.report_id, t.check_id, t.instance,
        string_agg(t.term_label || ' [' || t.metric_key || ' = ' || case
                when t.term_status = 'value' then {{ fmt_num('t.value') }}
                when t.is_optional then '0, absent'
                else t.value_status end || ']', ' + ' order by t.term_pos) filter (where t.side = 'lhs') as lhs_text,
        string_agg(t.term_label || ' [' || t.metric_key || ' = ' || case
                when t.term_status = 'value' then {{ fmt_num('t.value') }}
                when t.is_optional then '0, absent'
                else t.value_status end || ']', ' + ' order by t.term_pos) filter (where t.side = 'rhs') as rhs_text,
        string_agg(t.metric_key || ' (' || t.value_status || ')', ', ' order by t.side, t.term_pos)
            filter (where t.term_status <> 'value' and not t.is_optional) as missing_keys
    from named_terms as t
    group by t.report_id, t.check_id, t.instance
)
select
    e.report_id,
    e.format,
    e.rule_id,
    e.check_id,
    e.instance,
    e.level,
    e.severity,
    e.operator,
    e.status,
    e.is_bound,
    e.metric_keys,
    x.missing_keys,
    case when e.status = 'not_assessable' then null else e.rhs_value end as expected,
    case when e.status = 'not_assessable' then null else e.lhs_value end as actual,
    case when e.status = 'not_assessable' then null else e.lhs_value - e.rhs_value end as difference,
    case e.status
        when 'pass' then null
        when 'not_assessable' then
            e.check_id || coalesce(' [' || nullif(e.instance, '') || ']', '') || ' not assessable: no value for '
            || x.missing_keys || '. ' || e.description
        else
            e.check_id || coalesce(' [' || nullif(e.instance, '') || ']', '') || ': '
            || coalesce(x.lhs_text, '0') || case when e.n_lhs > 1 then ' = ' || {{ fmt_num('e.lhs_value') }} else '' end
            || case e.operator when '=' then ' should equal ' when '<=' then ' should be at most '
                               else ' should be at least ' end
            || coalesce(x.rhs_text, '0') || case when e.n_rhs > 1 then ' = ' || {{ fmt_num('e.rhs_value') }} else '' end
            || '; difference ' || {{ fmt_num('e.lhs_value - e.rhs_value') }}
            || case when e.is_bound then ' (already with only the known terms; no value for ' || x.missing_keys
                    || ', and counts are never negative, so the rule fails whatever the blanks hold)' else '' end
            || '. ' || e.description
    end as message
from judged_status as e
left join texts as x
    on x.report_id = e.report_id and x.check_id = e.check_id and x.instance = e.instance
