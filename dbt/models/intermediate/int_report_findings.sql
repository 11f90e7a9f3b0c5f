{{ config(materialized='report_incremental') }}
-- depends_on: {{ ref('int_report_versions') }}
-- Findings of the catalog rules that need more than sums and look at one report only
-- (evaluator = 'model:int_report_findings'):
--   R3.5  a Table 3 / Table 4 cell that is negative or not an integer;
--   N1    a figure in the prose differs from the table cell of the same key (exact figures only);
--   N5    a statement of zero in the prose (a prose figure of 0: 未发生, 无) against a non-zero table
--         cell of the same key (left out of N1, so it is flagged once);
--   N3    the outcome categories in the prose do not add up to the total handled (table total, else
--         prose): only where the prose gives every category, or where those it gives already exceed it;
--   R2.2  a 2021 fee amount (万元) of 10⁶ or more, probably written in 元;
--   R2.3  规章 counts reported by a county or township body, which has no rule-making power;
--   O14   fees collected (legacy.fees_amount > 0) with no request received.
-- Kept report by report (materialization report_incremental); int_model_findings adds the rules
-- that need several reports or the run (X7, P1, P2).
with metric_values as (
    select * from {{ ref('int_metric_values') }} where {{ report_bucket('report_id') }}
),
reports as (
    select * from {{ ref('stg_reports') }} where {{ report_bucket('report_id') }}
),
r35 as (
    select
        v.report_id,
        'R3.5' as check_id,
        v.metric_key as instance,
        v.metric_key as metric_keys,
        round(greatest(v.value, 0)) as expected,
        v.value as actual,
        v.value - round(greatest(v.value, 0)) as difference,
        'R3.5 [' || v.metric_key || ']: ' || {{ printed_label('v', 'v.metric_key') }}
            || ' is printed as ' || coalesce(v.raw_text, {{ fmt_num('v.value') }})
            || ' (' || v.metric_key || ' = ' || {{ fmt_num('v.value') }} || '), expected an integer >= 0'
            || ' (nearest: ' || {{ fmt_num('round(greatest(v.value, 0))') }} || ').' as message
    from metric_values as v
    where v.format in ('trial_2019', 'format_2021')
      and v.source = 'table'
      and (v.metric_key like 'applications.%' or v.metric_key like 'review.%' or v.metric_key like 'litigation\_%' escape '\')
      and (v.value < 0 or v.value <> round(v.value))
),
n1 as (
    select
        p.report_id,
        'N1' as check_id,
        p.metric_key as instance,
        p.metric_key as metric_keys,
        t.value as expected,
        p.value as actual,
        p.value - t.value as difference,
        'N1 [' || p.metric_key || ']: the text says ' || {{ fmt_num('p.value') }}
            || coalesce(' (“' || left(nullif(p.raw_text, ''), 120) || '”)', '')
            || ' but the table cell ' || {{ printed_label('t', 'p.metric_key') }}
            || ' [' || p.metric_key || '] says ' || {{ fmt_num('t.value') }} || '.' as message
    from metric_values as p
    join metric_values as t
        on t.report_id = p.report_id and t.metric_key = p.metric_key and t.source = 'table'
    where p.source = 'prose' and not p.approx and not t.approx and not t.is_derived
      and abs(p.value - t.value) > 0.005
      and not (p.value = 0 and t.value > 0)
),
n5 as (
    select
        p.report_id,
        'N5' as check_id,
        p.metric_key as instance,
        p.metric_key as metric_keys,
        t.value as expected,
        p.value as actual,
        p.value - t.value as difference,
        'N5 [' || p.metric_key || ']: the text states none'
            || coalesce(' (“' || left(nullif(p.raw_text, ''), 120) || '”)', '')
            || ' but the table cell ' || {{ printed_label('t', 'p.metric_key') }}
            || ' [' || p.metric_key || '] says ' || {{ fmt_num('t.value') }} || '.' as message
    from metric_values as p
    join metric_values as t
        on t.report_id = p.report_id and t.metric_key = p.metric_key and t.source = 'table'
    where p.source = 'prose' and not p.approx and not t.approx
      and p.value = 0 and t.value > 0
),
n3_keys as (
    -- the categories of each era and the total they make up
    select * from (values
        ('new', 'applications.total_handled.total', 'applications.granted.total'),
        ('new', 'applications.total_handled.total', 'applications.partial.total'),
        ('new', 'applications.total_handled.total', 'applications.denied_total.total'),
        ('new', 'applications.total_handled.total', 'applications.unable_total.total'),
        ('new', 'applications.total_handled.total', 'applications.rejected_total.total'),
        ('new', 'applications.total_handled.total', 'applications.other.total'),
        ('legacy', 'legacy.replies_total', 'legacy.replies_already_public'),
        ('legacy', 'legacy.replies_total', 'legacy.replies_granted'),
        ('legacy', 'legacy.replies_total', 'legacy.replies_partial'),
        ('legacy', 'legacy.replies_total', 'legacy.replies_denied'),
        ('legacy', 'legacy.replies_total', 'legacy.replies_not_this_agency'),
        ('legacy', 'legacy.replies_total', 'legacy.replies_not_exist'),
        ('legacy', 'legacy.replies_total', 'legacy.replies_needs_clarification'),
        ('legacy', 'legacy.replies_total', 'legacy.replies_other_channel')
    ) as t(era, total_key, category_key)
),
n3_sums as (
    select
        r.report_id,
        k.era,
        k.total_key,
        count(*) as n_categories,
        count(p.value) as n_given,
        sum(p.value) as prose_sum,
        string_agg(coalesce(c.label_zh, k.category_key) || ' ' || {{ fmt_num('p.value') }}, ' + '
                   order by k.category_key) filter (where p.value is not null) as prose_text
    from reports as r
    join n3_keys as k
        on k.era = case when r.format in ('trial_2019', 'format_2021') then 'new'
                        when r.format in ('legacy_table', 'legacy_narrative') then 'legacy' end
    left join metric_values as p
        on p.report_id = r.report_id and p.metric_key = k.category_key and p.source = 'prose' and not p.approx
    left join (select key, any_value(label_zh) as label_zh from {{ ref('metric_catalog') }} group by key) as c
        on c.key = k.category_key
    group by r.report_id, k.era, k.total_key
),
n3 as (
    select
        s.report_id,
        'N3' as check_id,
        '' as instance,
        s.total_key as metric_keys,
        t.value as expected,
        s.prose_sum as actual,
        s.prose_sum - t.value as difference,
        'N3: the outcomes listed in the text (' || s.prose_text || ') add up to ' || {{ fmt_num('s.prose_sum') }}
            || case when s.n_given < s.n_categories then ' with only ' || s.n_given::varchar || ' of '
                    || s.n_categories::varchar || ' categories given, already more than' else ', not' end
            || ' the total ' || {{ printed_label('t', 's.total_key') }}
            || ' [' || s.total_key || ', ' || t.source || '] = ' || {{ fmt_num('t.value') }} || '.' as message
    from n3_sums as s
    join metric_values as t
        on t.report_id = s.report_id and t.metric_key = s.total_key and not t.approx
    where s.n_given > 0
      and (s.n_given = s.n_categories and abs(s.prose_sum - t.value) > 0.005
           or s.prose_sum > t.value + 0.005)
    qualify row_number() over (partition by s.report_id order by case t.source when 'table' then 0 else 1 end) = 1
),
r22 as (
    select
        report_id, 'R2.2' as check_id, '' as instance, metric_key as metric_keys,
        cast(null as double) as expected, value as actual, cast(null as double) as difference,
        'R2.2: 行政事业性收费 · 本年收费金额（单位：万元） [' || metric_key || '] = ' || {{ fmt_num('value') }}
            || ' 万元 (' || coalesce(raw_text, '') || '), 10⁶ 万元 or more: probably written in 元.' as message
    from metric_values
    where metric_key = 'proactive.admin_fees.fee_amount' and format = 'format_2021' and value >= 1e6
),
r23 as (
    select
        v.report_id, 'R2.3' as check_id, v.metric_key as instance, v.metric_key as metric_keys,
        0.0 as expected, v.value as actual, v.value as difference,
        'R2.3 [' || v.metric_key || ']: ' || {{ printed_label('v', 'v.metric_key') }}
            || ' = ' || {{ fmt_num('v.value') }} || ', but ' || coalesce(r.agency, 'the issuing body') || ' ('
            || coalesce(r.admin_level, '?') || ') has no power to make 规章.' as message
    from metric_values as v
    join reports as r using (report_id)
    where v.metric_key like 'proactive.rules.%' and v.source = 'table' and v.value > 0
      and (r.admin_level in ('县级', '乡级') or r.parent_level in ('县级', '乡级'))
),
o14 as (
    select
        f.report_id, 'O14' as check_id, '' as instance, 'legacy.fees_amount, legacy.requests_received' as metric_keys,
        cast(null as double) as expected, f.value as actual, cast(null as double) as difference,
        'O14: 依申请公开信息收取的费用 [legacy.fees_amount] = ' || {{ fmt_num('f.value') }}
            || ' 万元 but 收到申请数 [legacy.requests_received] = 0: fees without requests (or 元 written in a 万元 cell).' as message
    from metric_values as f
    join metric_values as q
        on q.report_id = f.report_id and q.metric_key = 'legacy.requests_received' and q.source = f.source
    where f.metric_key = 'legacy.fees_amount' and f.source = 'table' and f.value > 0 and q.value = 0
)
select * from r35
union all select * from n1
union all select * from n5
union all select * from n3
union all select * from r22
union all select * from r23
union all select * from o14
