-- Rule terms applied to reports: one row per report, check, instance, side and metric key, with
-- the value the rule uses. A report gets a check when its format is among the rule's formats and
-- every required key of the instance exists in the metric catalog for that format (so 2021-only
-- rows are not checked in trial_2019 reports). Values come from int_metric_values (fct level) for
-- the rule's sources (table first); approximate values are never used.
-- term_status: value / no_value (printed blank, placeholder, ambiguous or approximate) / absent.
with rules as (
    select check_id, string_split(formats, ' ') as formats, string_split(coalesce(sources, 'table'), ' ') as sources
    from {{ ref('rule_catalog') }}
    where evaluator = 'generic'
),
catalog_keys as (
    select distinct key as metric_key, unnest(string_split(formats, ' ')) as format, label_zh
    from {{ ref('metric_catalog') }}
),
format_terms as (
    -- applicability depends on the check, instance and format only: decide it once per format
    select f.format, t.*, ru.sources, ck.metric_key is not null as in_catalog, ck.label_zh
    from rules as ru
    cross join (select unnest(['legacy_table', 'legacy_narrative', 'trial_2019', 'format_2021', 'unknown']) as format) as f
    join {{ ref('int_rule_terms') }} as t on t.check_id = ru.check_id
    left join catalog_keys as ck on ck.metric_key = t.metric_key and ck.format = f.format
    where list_contains(ru.formats, f.format)
    qualify bool_and(in_catalog or is_optional) over (partition by f.format, t.check_id, t.instance)
),
applicable as (
    select r.report_id, ft.*
    from {{ ref('stg_reports') }} as r
    join format_terms as ft on ft.format = r.format
),
picked as (
    select
        a.report_id, a.check_id, a.instance, a.side, a.metric_key,
        v.value, v.is_derived, v.source, v.label, v.column_label, v.raw_text
    from applicable as a
    join {{ ref('int_metric_values') }} as v
        on v.report_id = a.report_id and v.metric_key = a.metric_key
       and list_contains(a.sources, v.source) and not v.approx
    qualify row_number() over (
        partition by a.report_id, a.check_id, a.instance, a.side, a.metric_key
        order by case v.source when 'table' then 0 else 1 end
    ) = 1
),
printed as (
    -- any extracted row, with or without a value, for the rule's sources
    select a.report_id, a.check_id, a.instance, a.side, a.metric_key,
           first(m.label order by m.ordinal) as label, first(m.column_label order by m.ordinal) as column_label,
           first(m.raw_text order by m.ordinal) as raw_text, first(m.value_status order by m.ordinal) as value_status
    from applicable as a
    join {{ ref('stg_metrics') }} as m
        on m.report_id = a.report_id and m.metric_key = a.metric_key and list_contains(a.sources, m.source)
    group by all
)
select
    a.report_id,
    a.format,
    a.check_id,
    a.instance,
    a.side,
    a.term_pos,
    a.metric_key,
    a.is_optional,
    p.value,
    p.is_derived,
    p.source,
    case
        when p.value is not null then 'value'
        when pr.metric_key is not null then 'no_value'
        else 'absent'
    end as term_status,
    coalesce(pr.value_status, 'absent') as value_status,
    coalesce(p.raw_text, pr.raw_text) as raw_text,
    coalesce(
        nullif(concat_ws(' · ', nullif(coalesce(p.label, pr.label), ''), nullif(coalesce(p.column_label, pr.column_label), '')), ''),
        a.label_zh,
        a.metric_key
    ) as term_label
from applicable as a
left join picked as p
    on p.report_id = a.report_id and p.check_id = a.check_id and p.instance = a.instance
   and p.side = a.side and p.metric_key = a.metric_key
left join printed as pr
    on pr.report_id = a.report_id and pr.check_id = a.check_id and pr.instance = a.instance
   and pr.side = a.side and pr.metric_key = a.metric_key
