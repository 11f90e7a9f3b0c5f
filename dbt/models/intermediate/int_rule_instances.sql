-- Rule terms applied to reports: one row per report, check, instance, side and metric key, for
-- reports whose format the rule applies to and whose required keys all exist in the metric
-- catalog for that format (so 2021-only rows are not checked in trial_2019 reports). The value is
-- the fct-level value (int_metric_values) of the rule's sources, table first; approximate values
-- are never used.
-- term_status: value / no_value (extracted but blank, placeholder, ambiguous or approximate) / absent.
with rules as (
    select
        check_id,
        string_split(formats, ' ') as formats,
        list_contains(string_split(coalesce(sources, 'table'), ' '), 'table') as use_table,
        list_contains(string_split(coalesce(sources, 'table'), ' '), 'prose') as use_prose
    from {{ ref('rule_catalog') }}
    where evaluator = 'generic'
),
catalog_keys as (
    select distinct key as metric_key, unnest(string_split(formats, ' ')) as format, label_zh
    from {{ ref('metric_catalog') }}
),
format_terms as (
    -- applicability depends on the check, instance and format only: decide it once per format
    select f.format, t.*, ru.use_table, ru.use_prose, ck.metric_key is not null as in_catalog, ck.label_zh
    from rules as ru
    cross join (select unnest(['legacy_table', 'legacy_narrative', 'trial_2019', 'format_2021', 'unknown']) as format) as f
    join {{ ref('int_rule_terms') }} as t on t.check_id = ru.check_id
    left join catalog_keys as ck on ck.metric_key = t.metric_key and ck.format = f.format
    where list_contains(ru.formats, f.format)
    qualify bool_and(in_catalog or is_optional) over (partition by f.format, t.check_id, t.instance)
),
unvalued as (
    -- extracted rows without a usable value (blank, placeholder, ambiguous), one per report, key, source
    select report_id, metric_key, source,
           arg_min(value_status, ordinal) as value_status,
           arg_min(label, ordinal) as label,
           arg_min(column_label, ordinal) as column_label
    from {{ ref('stg_metrics') }}
    where value_status <> 'value' or value is null
    group by report_id, metric_key, source
),
joined as (
    select
        r.report_id,
        ft.format, ft.check_id, ft.instance, ft.side, ft.term_pos, ft.metric_key, ft.is_optional, ft.label_zh,
        case when ft.use_table and tv.report_id is not null and not tv.approx then tv.value
             when ft.use_prose and pv.report_id is not null and not pv.approx then pv.value end as value,
        case when ft.use_table and tv.report_id is not null and not tv.approx then tv.is_derived
             when ft.use_prose and pv.report_id is not null and not pv.approx then pv.is_derived end as is_derived,
        case when ft.use_table and tv.report_id is not null and not tv.approx then 'table'
             when ft.use_prose and pv.report_id is not null and not pv.approx then 'prose' end as source,
        (ft.use_table and (tv.report_id is not null or tu.report_id is not null))
            or (ft.use_prose and (pv.report_id is not null or pu.report_id is not null)) as is_present,
        coalesce(case when ft.use_table then tu.value_status end, case when ft.use_prose then pu.value_status end) as unvalued_status,
        coalesce(case when ft.use_table then tv.label end, case when ft.use_prose then pv.label end,
                 case when ft.use_table then tu.label end) as label,
        coalesce(case when ft.use_table then tv.column_label end, case when ft.use_prose then pv.column_label end,
                 case when ft.use_table then tu.column_label end) as column_label
    from {{ ref('stg_reports') }} as r
    join format_terms as ft on ft.format = r.format
    left join {{ ref('int_metric_values') }} as tv
        on tv.report_id = r.report_id and tv.metric_key = ft.metric_key and tv.source = 'table'
    left join {{ ref('int_metric_values') }} as pv
        on pv.report_id = r.report_id and pv.metric_key = ft.metric_key and pv.source = 'prose'
    left join unvalued as tu
        on tu.report_id = r.report_id and tu.metric_key = ft.metric_key and tu.source = 'table'
    left join unvalued as pu
        on pu.report_id = r.report_id and pu.metric_key = ft.metric_key and pu.source = 'prose'
)
select
    report_id,
    format,
    check_id,
    instance,
    side,
    term_pos,
    metric_key,
    is_optional,
    value,
    is_derived,
    source,
    case when value is not null then 'value' when is_present then 'no_value' else 'absent' end as term_status,
    case when value is not null then 'value' when is_present then coalesce(unvalued_status, 'approx') else 'absent' end
        as value_status,
    coalesce(nullif(concat_ws(' · ', nullif(label, ''), nullif(column_label, '')), ''), label_zh, metric_key) as term_label
from joined
