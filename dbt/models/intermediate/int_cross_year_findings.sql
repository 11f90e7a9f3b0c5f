-- Findings of the rules across reports of one agency and scope in consecutive years
-- (evaluator = 'model:int_cross_year_findings'), on the current file of each report only:
--   X1  applications.carried_over.<c>(t) = applications.carried_forward.<c>(t−1);
--   X2  proactive.<item>.in_force(t) = in_force(t−1) + issued(t) − repealed(t), 2021 format;
--   X4  a copy-paste report: the same text (text_sha256) as last year's, or at least 90% of the
--       non-zero table cells both years print (at least 10 shared cells) identical;
--   X6  applications.new_received.total or proactive.admin_license.decisions grows more than 10×,
--       falls below a tenth, or drops to 0 (from a positive value).
-- A report pair is formed only when both years have exactly one current report for the agency and scope.
with current_reports as (
    select report_id, agency, coalesce(scope, '') as scope, report_year, format, source_file, text_sha256
    from {{ ref('dim_reports') }}
    where is_current and agency is not null and report_year is not null
    qualify count(*) over (partition by agency, coalesce(scope, ''), report_year) = 1
),
pairs as (
    select cur.report_id, cur.report_year, cur.format, prev.report_id as prev_report_id,
           prev.source_file as prev_source_file, prev.format as prev_format,
           cur.text_sha256 is not null and cur.text_sha256 = prev.text_sha256 as same_text
    from current_reports as cur
    join current_reports as prev
        on prev.agency = cur.agency and prev.scope = cur.scope and prev.report_year = cur.report_year - 1
),
tv as (
    -- only the reports of a pair: the semi-join spares the scan of the whole fact's rows for the
    -- joins below (a national year has few pairs)
    select report_id, metric_key, value, label, column_label
    from {{ ref('int_metric_values') }}
    where source = 'table' and not approx
      and report_id in (select report_id from pairs union all select prev_report_id from pairs)
),
x1 as (
    select
        p.report_id,
        'X1' as check_id,
        replace(co.metric_key, 'applications.carried_over.', '') as instance,
        co.metric_key || ', ' || cf.metric_key as metric_keys,
        cf.value as expected,
        co.value as actual,
        co.value - cf.value as difference,
        'X1 [' || replace(co.metric_key, 'applications.carried_over.', '') || ']: '
            || {{ printed_label('co', 'co.metric_key') }}
            || ' [' || co.metric_key || '] = ' || {{ fmt_num('co.value') }} || ' in ' || p.report_year::varchar
            || ', but last year''s report (' || p.prev_source_file || ') carried forward '
            || {{ fmt_num('cf.value') }} || ' [' || cf.metric_key || '].' as message
    from pairs as p
    join tv as co on co.report_id = p.report_id and co.metric_key like 'applications.carried\_over.%' escape '\'
    join tv as cf on cf.report_id = p.prev_report_id
        and cf.metric_key = replace(co.metric_key, 'carried_over', 'carried_forward')
    where p.format in ('trial_2019', 'format_2021') and p.prev_format in ('trial_2019', 'format_2021')
      and abs(co.value - cf.value) > 0.005
),
x2_items as (
    select unnest(['rules', 'normative_docs']) as item
),
x2 as (
    select
        p.report_id,
        'X2' as check_id,
        i.item as instance,
        concat_ws(', ', f.metric_key, pf.metric_key, iss.metric_key, rep.metric_key) as metric_keys,
        pf.value + iss.value - rep.value as expected,
        f.value as actual,
        f.value - (pf.value + iss.value - rep.value) as difference,
        'X2 [' || i.item || ']: 现行有效件数 [' || f.metric_key || '] = ' || {{ fmt_num('f.value') }}
            || ' in ' || p.report_year::varchar || ', but last year''s ' || {{ fmt_num('pf.value') }}
            || ' + 本年制发 ' || {{ fmt_num('iss.value') }} || ' − 本年废止 ' || {{ fmt_num('rep.value') }}
            || ' = ' || {{ fmt_num('pf.value + iss.value - rep.value') }} || ' (last year: ' || p.prev_source_file || ').' as message
    from pairs as p
    cross join x2_items as i
    join tv as f on f.report_id = p.report_id and f.metric_key = 'proactive.' || i.item || '.in_force'
    join tv as pf on pf.report_id = p.prev_report_id and pf.metric_key = 'proactive.' || i.item || '.in_force'
    join tv as iss on iss.report_id = p.report_id and iss.metric_key = 'proactive.' || i.item || '.issued'
    join tv as rep on rep.report_id = p.report_id and rep.metric_key = 'proactive.' || i.item || '.repealed'
    where p.format = 'format_2021' and p.prev_format = 'format_2021'
      and abs(f.value - (pf.value + iss.value - rep.value)) > 0.005
),
x4_cells as (
    select
        p.report_id,
        count(*) as n_shared,
        count(*) filter (where abs(c.value - l.value) <= 0.005) as n_identical
    from pairs as p
    join tv as c on c.report_id = p.report_id
    join tv as l on l.report_id = p.prev_report_id and l.metric_key = c.metric_key
    where c.value <> 0 or l.value <> 0
    group by p.report_id
),
x4 as (
    select
        p.report_id,
        'X4' as check_id,
        '' as instance,
        cast(null as varchar) as metric_keys,
        cast(coalesce(x.n_shared, 0) as double) as expected,
        cast(coalesce(x.n_identical, 0) as double) as actual,
        cast(coalesce(x.n_identical, 0) - coalesce(x.n_shared, 0) as double) as difference,
        'X4: this ' || p.report_year::varchar || ' report repeats last year''s (' || p.prev_source_file || '): '
            || case when p.same_text then 'the text is identical; ' else '' end
            || coalesce(x.n_identical, 0)::varchar || ' of the ' || coalesce(x.n_shared, 0)::varchar
            || ' non-zero table cells both years print are identical ('
            || coalesce(round(100.0 * x.n_identical / nullif(x.n_shared, 0))::int::varchar, '?') || '%): probably a copy-paste report.'
            as message
    from pairs as p
    left join x4_cells as x using (report_id)
    where p.same_text or (x.n_shared >= 10 and x.n_identical >= 0.9 * x.n_shared)
),
x6_keys as (
    select unnest(['applications.new_received.total', 'proactive.admin_license.decisions']) as metric_key
),
x6 as (
    select
        p.report_id,
        'X6' as check_id,
        k.metric_key as instance,
        k.metric_key as metric_keys,
        l.value as expected,
        c.value as actual,
        c.value - l.value as difference,
        'X6 [' || k.metric_key || ']: '
            || {{ printed_label('c', 'k.metric_key') }}
            || ' = ' || {{ fmt_num('c.value') }} || ' in ' || p.report_year::varchar || ' against '
            || {{ fmt_num('l.value') }} || ' last year (' || p.prev_source_file || '): '
            || case when c.value = 0 then 'a drop to 0'
                    when c.value > l.value then 'more than 10 times as many'
                    else 'less than a tenth' end
            || '. Check the statistical basis (or a real shock).' as message
    from pairs as p
    cross join x6_keys as k
    join tv as c on c.report_id = p.report_id and c.metric_key = k.metric_key
    join tv as l on l.report_id = p.prev_report_id and l.metric_key = k.metric_key
    where p.format in ('trial_2019', 'format_2021') and p.prev_format in ('trial_2019', 'format_2021')
      and l.value > 0
      and (c.value = 0 or c.value > 10 * l.value or c.value * 10 < l.value)
)
select * from x1
union all
select * from x2
union all
select * from x4
union all
select * from x6
