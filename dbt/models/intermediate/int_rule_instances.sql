{{ config(materialized="view") }}
-- A view of the whole, for inspection: int_rule_evaluations evaluates the same SQL
-- (macros/rule_instances.sql) one bucket of reports at a time.
{{ rule_instances_sql(bucketed=false) }}
