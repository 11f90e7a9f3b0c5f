{#- The SQL of int_rule_instances (the rule terms applied to reports), shared by the view
    int_rule_instances (whole, for inspection) and int_rule_evaluations (`bucketed=true`: only the
    reports of the current bucket, see materializations/report_incremental.sql). -#}
{#- with_labels=false leaves term_label out: the caller names only the terms of failing instances. -#}
{% macro rule_instances_sql(bucketed=false, with_labels=true) -%}
{%- set _bucket = (report_bucket if bucketed else _no_bucket) -%}
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
    {{ rule_catalog_keys() | indent(4) }}
),
format_terms as (
    -- applicability depends on the check, instance and format only: decide it once per format
    select f.format, t.*, ru.use_table, ru.use_prose, ck.metric_key is not null as in_catalog, ck.label_zh,
           coalesce(ck.is_signed, false) as is_signed
    from rules as ru
    cross join (select unnest(['legacy_table', 'legacy_narrative', 'trial_2019', 'format_2021', 'unknown']) as format) as f
    join {{ ref('int_rule_terms') }} as t on t.check_id = ru.check_id
    left join catalog_keys as ck on ck.metric_key = t.metric_key and ck.format = f.format
    where list_contains(ru.formats, f.format)
    qualify bool_and(in_catalog or is_optional) over (partition by f.format, t.check_id, t.instance)
),
metric_rows as (
    -- one row per report and key: the usable table and prose values, or the status of an extracted
    -- row without a usable value (blank, placeholder, ambiguous, approximate)
    select
        report_id,
        metric_key,
        any_value(value) filter (where source = 'table' and valued and not approx) as table_value,
        any_value(is_derived) filter (where source = 'table' and valued and not approx) as table_derived,
        any_value(value) filter (where source = 'prose' and valued and not approx) as prose_value,
        any_value(is_derived) filter (where source = 'prose' and valued and not approx) as prose_derived,
        bool_or(source = 'table') as table_present,
        bool_or(source = 'prose') as prose_present,
        arg_min(case when valued and approx then 'approx' else value_status end, ordinal)
            filter (where source = 'table' and not (valued and not approx)) as table_status,
        arg_min(case when valued and approx then 'approx' else value_status end, ordinal)
            filter (where source = 'prose' and not (valued and not approx)) as prose_status,
        {{ rule_printed_labels() }}
    from (
        {{ rule_metric_rows(_bucket) | indent(8) }}
    ) as m
    group by report_id, metric_key
),
joined as (
    select
        r.report_id,
        ft.format, ft.check_id, ft.instance, ft.side, ft.term_pos, ft.metric_key, ft.is_optional, ft.is_signed, ft.label_zh,
        case when ft.use_table and m.table_value is not null then m.table_value
             when ft.use_prose then m.prose_value end as value,
        case when ft.use_table and m.table_value is not null then m.table_derived
             when ft.use_prose then m.prose_derived end as is_derived,
        case when ft.use_table and m.table_value is not null then 'table'
             when ft.use_prose and m.prose_value is not null then 'prose' end as source,
        coalesce((ft.use_table and m.table_present) or (ft.use_prose and m.prose_present), false) as is_present,
        coalesce(case when ft.use_table then m.table_status end, case when ft.use_prose then m.prose_status end)
            as unvalued_status,
        m.label,
        m.column_label
    from {{ ref('stg_reports') }} as r
    join format_terms as ft on ft.format = r.format
    left join metric_rows as m on m.report_id = r.report_id and m.metric_key = ft.metric_key
    where {{ _bucket('r.report_id') }}
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
    is_signed,
    value,
    is_derived,
    source,
    case when value is not null then 'value' when is_present then 'no_value' else 'absent' end as term_status,
    case when value is not null then 'value' when is_present then coalesce(unvalued_status, 'approx') else 'absent' end
        as value_status
    {%- if with_labels %},
    {{ rule_term_label('joined') }} as term_label
    {%- endif %}
from joined
{%- endmacro %}

{% macro _no_bucket(column) -%}true{%- endmacro %}

{#- The metric catalog by format: one row per key and format the key belongs to, its Chinese
    label and whether it is signed (2019 本年增/减). -#}
{% macro rule_catalog_keys() -%}
select distinct key as metric_key, unnest(string_split(formats, ' ')) as format, label_zh,
       coalesce(note, '') like '%signed%' as is_signed
from {{ ref('metric_catalog') }}
{%- endmacro %}

{#- Every extracted row of the reports (bucket): the valued rows of int_metric_values and the rows
    of stg_metrics without a usable value (blank, placeholder, ambiguous). -#}
{% macro rule_metric_rows(bucket) -%}
select report_id, metric_key, source, value, is_derived, approx, label, column_label, ordinal,
       true as valued, 'value' as value_status
from {{ ref('int_metric_values') }}
where {{ bucket('report_id') }}
union all
select report_id, metric_key, source, value, is_derived, approx, label, column_label, ordinal,
       false as valued, value_status
from {{ ref('stg_metrics') }}
where (value_status <> 'value' or value is null)
  and {{ bucket('report_id') }}
{%- endmacro %}

{#- The printed row and column labels of a report's key (aggregates over rule_metric_rows):
    table rows first, then extraction order. -#}
{% macro rule_printed_labels() -%}
arg_min(label, case when source = 'table' then 0 else 1 end * 1000000 + ordinal) as label,
        arg_min(column_label, case when source = 'table' then 0 else 1 end * 1000000 + ordinal) as column_label
{%- endmacro %}

{#- How a term is named in a finding's message: the printed row and column labels (table rows
    first, then extraction order), else the catalog's Chinese label, else the key; a derived value
    says so. -#}
{% macro rule_term_label(t) -%}
    case
        when {{ t }}.is_derived then coalesce({{ t }}.label_zh, {{ t }}.metric_key) || ' (derived)'
        else {{ printed_label(t, t ~ '.label_zh, ' ~ t ~ '.metric_key') }}
    end
{%- endmacro %}
