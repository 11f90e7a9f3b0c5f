-- Values are >= 0 except keys whose catalog note says 'signed' (本年增/减 may be negative).
-- A data finding, not a contract breach: warn (R3.5 reports the Table 3/4 cells as findings).
{{ config(severity='warn') }}
select m.report_id, m.metric_key, m.value, m.raw_text
from {{ ref('fct_metrics') }} as m
where m.value < 0
  and m.metric_key not in (
      select key from {{ ref('metric_catalog') }} where coalesce(note, '') like '%signed%'
  )
