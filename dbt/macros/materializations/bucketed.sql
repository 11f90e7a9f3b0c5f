{#-
  Materialization `bucketed`: a table built in slices of reports, so memory stays bounded whatever
  the number of reports (DuckDB aggregates and ordered string_agg over tens of millions of rule
  terms do not fit otherwise). The model's SQL marks where its per-report inputs are filtered with
  `{{ report_bucket('report_id') }}`; the table is created from bucket 0 and each further bucket
  is inserted, in one transaction, then swapped in by rename like a plain table. The result is the
  union over the buckets, i.e. exactly what the unfiltered query gives, provided every row depends
  on the rows of its own report only (which is what the filter placement must guarantee).

  config:
    bucket_size    reports per bucket (default 10000; var `bucket_size` overrides)
    bucket_count_sql  a query giving the number of reports (default: count(*) of stg_reports)
-#}
{% macro report_bucket(column) -%}
  (hash({{ column }}) % __DBT_NBUCKETS__ = __DBT_BUCKET__)
{%- endmacro %}

{% materialization bucketed, adapter="duckdb" %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') %}
  {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
  {%- set preexisting_intermediate_relation = load_cached_relation(intermediate_relation) -%}
  {%- set backup_relation_type = 'table' if existing_relation is none else existing_relation.type -%}
  {%- set backup_relation = make_backup_relation(target_relation, backup_relation_type) -%}
  {%- set preexisting_backup_relation = load_cached_relation(backup_relation) -%}
  {% set grant_config = config.get('grants') %}

  {{ drop_relation_if_exists(preexisting_intermediate_relation) }}
  {{ drop_relation_if_exists(preexisting_backup_relation) }}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {%- set bucket_size = var('bucket_size', config.get('bucket_size', 10000)) | int -%}
  {%- set count_sql = config.get('bucket_count_sql', 'select count(*) from ' ~ ref('stg_reports')) -%}
  {%- set n_reports = run_query(count_sql).columns[0].values()[0] | int -%}
  {%- set n_buckets = [1, ((n_reports + bucket_size - 1) // bucket_size)] | max -%}
  {{ log(this ~ ': ' ~ n_reports ~ ' reports in ' ~ n_buckets ~ ' bucket(s)', info=False) }}

  {%- for b in range(n_buckets) -%}
    {%- set sql_b = compiled_code | replace('__DBT_NBUCKETS__', n_buckets ~ '') | replace('__DBT_BUCKET__', b ~ '') -%}
    {% if loop.first %}
      {% call statement('main') -%}
        {{- create_table_as(False, intermediate_relation, sql_b) }}
      {%- endcall %}
    {% else %}
      {% call statement('bucket_' ~ b) -%}
        insert into {{ intermediate_relation }} {{ sql_b }}
      {%- endcall %}
    {% endif %}
  {%- endfor -%}

  {% if existing_relation is not none %}
    {{ adapter.rename_relation(existing_relation, backup_relation) }}
  {% endif %}
  {{ adapter.rename_relation(intermediate_relation, target_relation) }}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) %}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}
  {% do persist_docs(target_relation, model) %}
  {{ adapter.commit() }}
  {{ drop_relation_if_exists(backup_relation) }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
