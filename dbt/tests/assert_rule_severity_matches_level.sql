-- The rule catalog: severity is error for strict (S) rules and warning for soft (W) ones;
-- a generic check has an operator and left-hand keys.
select check_id, level, severity, evaluator, operator, lhs_keys
from {{ ref('rule_catalog') }}
where (level = 'S' and severity <> 'error')
   or (level = 'W' and severity <> 'warning')
   or (evaluator = 'generic' and (operator is null or lhs_keys is null))
   or (evaluator <> 'generic' and evaluator not like 'model:%')
