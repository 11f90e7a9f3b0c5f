-- Findings of the catalog rules that need more than sums (evaluator = 'model:int_model_findings'),
-- and those of int_report_findings (one report at a time: R3.5, N1, N5, N3, R2.2, R2.3, O14):
--   X7    copies of one report disagree: a non-current copy has another value than the current copy;
--   P1    a file that could not be parsed;
--   P2    a run-level pipeline finding (report_id NULL): an ingest run failed to parse some files.
with copies as (
    select c.report_id, c.copy_group, c.is_current, r.source_file, r.is_withdrawn
    from {{ ref('int_report_copies') }} as c
    join {{ ref('stg_reports') }} as r using (report_id)
    where c.copies_in_group > 1
),
x7 as (
    select
        o.report_id,
        'X7' as check_id,
        ov.metric_key || '|' || ov.source as instance,
        ov.metric_key as metric_keys,
        cv.value as expected,
        ov.value as actual,
        ov.value - cv.value as difference,
        'X7 [' || ov.metric_key || ']: this copy (' || o.source_file || ') prints '
            || {{ printed_label('ov', 'ov.metric_key') }} || ' = ' || {{ fmt_num('ov.value') }}
            || ' but the current copy of the same report (' || c.source_file || ') prints ' || {{ fmt_num('cv.value') }}
            || ' (' || ov.metric_key || ', source ' || ov.source || ').' as message
    from copies as o
    join copies as c on c.copy_group = o.copy_group and c.is_current and not o.is_current and not o.is_withdrawn
    join {{ ref('int_metric_values') }} as ov on ov.report_id = o.report_id
    join {{ ref('int_metric_values') }} as cv
        on cv.report_id = c.report_id and cv.metric_key = ov.metric_key and cv.source = ov.source
    where abs(ov.value - cv.value) > 0.005
),








p1 as (
    select
        report_id,
        'P1' as check_id,
        '' as instance,
        cast(null as varchar) as metric_keys,
        cast(null as double) as expected,
        cast(null as double) as actual,
        cast(null as double) as difference,
        'P1: ' || source_file || ' could not be parsed (format ' || format || ', parser ' || parser_version || ')'
            || coalesce(': ' || parse_error, '') || '.' as message
    from {{ ref('stg_reports') }}
    where parse_status = 'failed' and not is_withdrawn
),
runs as (
    select
        run_id,
        count(*) filter (where action in ('parsed', 'failed')) as n_parsed,
        count(*) filter (where action = 'failed') as n_failed
    from {{ ref('stg_parse_events') }}
    group by run_id
),
p2 as (
    select
        cast(null as varchar) as report_id,
        'P2' as check_id,
        coalesce(run_id, '') as instance,
        cast(null as varchar) as metric_keys,
        cast(n_parsed as double) as expected,
        cast(n_parsed - n_failed as double) as actual,
        cast(-n_failed as double) as difference,
        'P2 [run ' || coalesce(run_id, '?') || ']: ' || n_failed::varchar || ' of ' || n_parsed::varchar
            || ' files read in this ingest run could not be parsed.' as message
    from runs
    where n_failed > 0
)
select * from {{ ref('int_report_findings') }}
union all select * from x7
union all select * from p1
union all select * from p2
