{#-
  Materialization `report_incremental`: a table whose every row depends on the rows of ONE report
  only (the model's per-report inputs are filtered with `{{ report_bucket('report_id') }}`), kept
  up to date report by report.

  Beside the table, `<model>__changed` lists the reports the last build (re)built (all of them
  after a full build), `<model>__unverified` the reports rebuilt since the refresh last acknowledged
  a successful build (tests check only those: macros/test_unique_combination.sql; the Dagster dbt
  step empties these lists after a build whose tests all passed, so a failed test is checked again
  by the next build instead of being forgotten with its build's `__changed` list), and
  `<model>__built` lists the version of every report the table was built from
  (report_id, its version in int_report_versions: a hash of loaded_at, content, parser version,
  format and withdrawal) and the model's
  fingerprint (its compiled SQL and the checksums of every node upstream of it: seeds, models).

  * Incremental run (the table, its list and the same fingerprint exist): the reports whose
    version changed, that are new, or that left raw.reports are "changed"; their rows are deleted
    and rebuilt from the model's SQL restricted to them, and the list is updated, in one
    transaction. A refresh with nothing new rebuilds nothing; 1 % new files rebuild 1 % of the rows.
  * Full build (first build, `--full-refresh`, another fingerprint, or more than
    `full_rebuild_share` of the reports changed): the table is built in slices of `bucket_size`
    reports (memory stays bounded whatever the number of reports: DuckDB aggregates and ordered
    string_agg over tens of millions of rule terms do not fit otherwise), inserted one after the
    other in one transaction, then swapped in by rename like a plain table.

  Either way the table is exactly what the unfiltered query gives, provided every row depends on
  the rows of its own report only (which is what the filter placement must guarantee).

  Group mode (config `rebuild_key` and `groups_from`): for a table whose rows depend on a GROUP of
  reports (e.g. year-on-year changes: every year of one agency), each row carrying the report_id it
  comes from. The changed reports are found as above; the groups to rebuild are the keys
  (`rebuild_key`, an expression such as `hash(agency, scope)`) of the changed reports' rows in
  `groups_from` (the model the table is computed from) and in the table itself (a report that left
  or moved to another group); the rows of those groups are deleted and rebuilt from the model's
  SQL with `{{ report_bucket(<the same key expression>) }}` standing for "the key is one of them".
  Deleting and rebuilding the same set of keys keeps the table exact even if two groups share a
  hash. A full build is one slice.

  config:
    bucket_size         reports per slice of a full build (default 10000; var `bucket_size` overrides)
    rebuild_key         (group mode) SQL expression of a row's group, valid on the table and on groups_from
    groups_from         (group mode) the model whose rows (with report_id) the table is computed from
    versions            the model of the report versions to compare (report_id, report_version; default
                        int_report_versions, the file and its parse): int_people_report_versions for
                        tables that also carry cross-report facts of a report (is_current, open findings)
    full_rebuild_share  above this share of changed reports, rebuild in full (default 0.5)
-#}
{% macro report_bucket(column) -%}
  __REPORT_FILTER__({{ column }})__
{%- endmacro %}

{% macro _report_versions_relation() -%}
  {#- the versions the model compares with its `__built` list: config `versions`, a model with one
      row per report (report_id, report_version); int_report_versions (the file and its parse) by
      default. The model declares it: `-- depends_on: {{ ref('<that model>') }}` -#}
  {{ return(ref(config.get('versions', 'int_report_versions'))) }}
{%- endmacro %}

{#- The lists beside a report_incremental table live in the profile's schema (staging) whatever
    the model's schema, so that the marts schema holds marts only. -#}
{% macro report_list_relation(relation, suffix) -%}
  {{ return(api.Relation.create(database=relation.database, schema=target.schema,
                                identifier=relation.identifier ~ '__' ~ suffix, type='table')) }}
{%- endmacro %}

{% macro _report_model_fingerprint(model_node, code) -%}
  {#- the compiled SQL plus the checksum of every node upstream (seeds, models), transitively -#}
  {%- set seen = [] -%}
  {%- set queue = model_node.depends_on.nodes | list -%}
  {%- for _ in range(500) if queue | length > 0 -%}
    {%- set uid = queue.pop() -%}
    {%- if uid not in seen -%}
      {%- do seen.append(uid) -%}
      {%- set node = graph.nodes.get(uid) -%}
      {%- if node is not none -%}
        {%- do queue.extend(node.depends_on.nodes | default([])) -%}
      {%- endif -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set parts = [code] -%}
  {%- for uid in seen | sort -%}
    {%- set node = graph.nodes.get(uid) -%}
    {%- do parts.append(uid ~ '=' ~ (node.checksum.checksum if node is not none else '')) -%}
  {%- endfor -%}
  {{ return(local_md5(parts | join('\n'))) }}
{%- endmacro %}

{#- The list of the reports to (re)build, numbered into slices of bucket_size: those whose version
    differs from the `built` list (new, changed, gone), or every report when there is none. -#}
{% macro _write_changed_list(changed_relation, built, bucket_size) -%}
  {% call statement('changed_reports') -%}
    create or replace table {{ changed_relation }} as
    with cur as (select report_id, report_version from {{ _report_versions_relation() }}),
    changed as (
      {%- if built is not none %}
      select coalesce(cur.report_id, b.report_id) as report_id
      from cur
      full outer join {{ built }} as b using (report_id)
      where cur.report_version is distinct from b.report_version
      {%- else %}
      select report_id from cur
      {%- endif %}
    )
    select report_id, (row_number() over (order by report_id) - 1) // {{ bucket_size }} as bucket
    from changed
  {%- endcall %}
{%- endmacro %}

{% macro _report_filtered(code, replacement) -%}
  {{ return(modules.re.sub('__REPORT_FILTER__\\((.*?)\\)__', replacement, code)) }}
{%- endmacro %}

{#- an incremental build: the version list takes the rebuilt reports' new versions -#}
{% macro _update_built_list(existing_built, changed_relation, fingerprint) -%}
  {% call statement('built_list') -%}
    delete from {{ existing_built }} where report_id in (select report_id from {{ changed_relation }})
  {%- endcall %}
  {% call statement('built_list_insert') -%}
    insert into {{ existing_built }}
    select v.report_id, v.report_version, '{{ fingerprint }}' as fingerprint
    from {{ _report_versions_relation() }} as v
    where v.report_id in (select report_id from {{ changed_relation }})
  {%- endcall %}
{%- endmacro %}

{% materialization report_incremental, adapter="duckdb" %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
  {%- set backup_relation = make_backup_relation(target_relation, 'table') -%}
  {%- set built_relation = report_list_relation(this, 'built') -%}
  {%- set changed_relation = report_list_relation(this, 'changed') -%}
  {%- set existing_built = load_cached_relation(built_relation) -%}
  {%- set bucket_size = var('bucket_size', config.get('bucket_size', 10000)) | int -%}
  {%- set full_share = config.get('full_rebuild_share', 0.5) | float -%}
  {#- the fingerprint ignores the database name, which is the build file's name -#}
  {%- set fingerprint = _report_model_fingerprint(model, compiled_code | replace('"' ~ this.database ~ '".', '')) -%}

  {{ drop_relation_if_exists(load_cached_relation(intermediate_relation)) }}
  {{ drop_relation_if_exists(load_cached_relation(backup_relation)) }}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {#- which reports changed since the table was built (all of them when it must be built in full) -#}
  {%- set incremental = existing_relation is not none and existing_relation.is_table
                        and existing_built is not none and not should_full_refresh() -%}
  {%- if incremental -%}
    {%- set counts = run_query("select count(*) filter (where fingerprint <> '" ~ fingerprint ~ "'), count(*) from "
                               ~ existing_built).rows[0] -%}
    {%- set incremental = (counts[0] | int) == 0 and (counts[1] | int) > 0 -%}
  {%- endif -%}
  {{ _write_changed_list(changed_relation, existing_built if incremental else none, bucket_size) }}
  {%- set n_changed = run_query("select count(*) from " ~ changed_relation).columns[0].values()[0] | int -%}
  {%- set n_reports = run_query("select count(*) from " ~ _report_versions_relation()).columns[0].values()[0] | int -%}
  {%- if incremental and n_changed > full_share * n_reports and n_changed > bucket_size -%}
    {%- set incremental = false -%}
    {{ _write_changed_list(changed_relation, none, bucket_size) }}
    {%- set n_changed = n_reports -%}
  {%- endif -%}
  {%- set unverified_relation = report_list_relation(this, 'unverified') -%}
  {% call statement('unverified_list') -%}
    {%- if incremental %}
    create table if not exists {{ unverified_relation }} (report_id varchar);
    insert into {{ unverified_relation }}
    select report_id from {{ changed_relation }}
    where report_id not in (select report_id from {{ unverified_relation }})
    {%- else %}
    create or replace table {{ unverified_relation }} as select report_id from {{ changed_relation }}
    {%- endif %}
  {%- endcall %}
  {%- set n_buckets = [1, ((n_changed + bucket_size - 1) // bucket_size)] | max -%}
  {{ log(this ~ ': ' ~ ('incremental, ' if incremental else 'full build, ') ~ n_changed ~ ' of '
         ~ n_reports ~ ' reports in ' ~ n_buckets ~ ' slice(s)', info=True) }}

  {%- set rebuild_key = config.get('rebuild_key') -%}
  {%- if incremental and rebuild_key -%}
    {%- set groups_relation = report_list_relation(this, 'groups') -%}
    {% call statement('groups') -%}
      create or replace table {{ groups_relation }} as
      select {{ rebuild_key }} as group_key from {{ ref(config.get('groups_from')) }}
      where report_id in (select report_id from {{ changed_relation }})
      union
      select {{ rebuild_key }} as group_key from {{ target_relation }}
      where report_id in (select report_id from {{ changed_relation }})
    {%- endcall %}
    {% call statement('main') -%}
      delete from {{ target_relation }} where {{ rebuild_key }} in (select group_key from {{ groups_relation }})
    {%- endcall %}
    {%- if n_changed > 0 %}
    {% call statement('slice_0') -%}
      insert into {{ target_relation }} by name select * from (
      {{ _report_filtered(compiled_code, '(\\1 in (select group_key from ' ~ groups_relation ~ '))') }}
      )
    {%- endcall %}
    {%- endif %}
    {{ _update_built_list(existing_built, changed_relation, fingerprint) }}
  {%- elif incremental -%}
    {% call statement('main') -%}
      delete from {{ target_relation }} where report_id in (select report_id from {{ changed_relation }})
    {%- endcall %}
    {%- for b in range(n_buckets) if n_changed > 0 -%}
      {% call statement('slice_' ~ b) -%}
        insert into {{ target_relation }} by name select * from (
        {{ _report_filtered(compiled_code, '(\\1 in (select report_id from ' ~ changed_relation ~ ' where bucket = ' ~ b ~ '))') }}
        )
      {%- endcall %}
    {%- endfor -%}
    {{ _update_built_list(existing_built, changed_relation, fingerprint) }}
  {%- else -%}
    {%- for b in range(n_buckets) -%}
      {#- every report is in: a hash slice needs no join (the same partition as the list's buckets in size) -#}
      {%- set slice_filter = 'true' if n_buckets == 1 else '(hash(\\1) % ' ~ n_buckets ~ ' = ' ~ b ~ ')' -%}
      {%- set sql_b = _report_filtered(compiled_code, slice_filter) -%}
      {% if loop.first %}
        {% call statement('main') -%}
          {{- create_table_as(False, intermediate_relation, sql_b) }}
        {%- endcall %}
      {% else %}
        {% call statement('slice_' ~ b) -%}
          insert into {{ intermediate_relation }} by name select * from (
          {{ sql_b }}
          )
        {%- endcall %}
      {% endif %}
    {%- endfor -%}
    {% if existing_relation is not none %}
      {{ adapter.rename_relation(existing_relation, backup_relation) }}
    {% endif %}
    {{ adapter.rename_relation(intermediate_relation, target_relation) }}
    {% call statement('built_list') -%}
      create or replace table {{ built_relation }} as
      select report_id, report_version, '{{ fingerprint }}' as fingerprint
      from {{ _report_versions_relation() }}
    {%- endcall %}
  {%- endif -%}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do persist_docs(target_relation, model) %}
  {{ adapter.commit() }}
  {{ drop_relation_if_exists(backup_relation) }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
