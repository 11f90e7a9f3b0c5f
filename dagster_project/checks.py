"""Asset checks: the Great Expectations contract (blocking: publication waits for it) and the
consistency findings per rule family (non-blocking: a report that doesn't add up is a finding,
never a reason to hold the warehouse back)."""

import dagster as dg
import duckdb

from ingestion.db import connect

from .quality import CONTRACT_TABLES, run_contract_suites
from .resources import WarehouseResource

RULE_FAMILIES = {
    "R2": "table 2 (proactive disclosure) rules",
    "R3": "table 3 (applications) identities",
    "R4": "table 4 (reviews and lawsuits) identities",
    "O": "pre-2019 statistical table rules",
    "N": "prose against table",
    "X": "across reports (year on year, duplicates)",
}


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec("gx_contract", asset=dg.AssetKey(["marts", t]), blocking=True,
                             description=f"Great Expectations contract suite of marts.{t}")
           for t in CONTRACT_TABLES],
    can_subset=False,
)
def gx_contract(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    s = warehouse.settings()
    docs = s.data_dir / "data_docs"
    results = run_contract_suites(s.build_db, docs)
    for r in results:
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(["marts", r.table]), check_name="gx_contract", passed=r.success,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"rows_validated": r.rows, "scope": r.scope, "expectations_evaluated": r.evaluated,
                      "failed_expectations": ", ".join(r.failed) or "none",
                      "data_docs": dg.MetadataValue.path(str(docs / "index.html"))},
        )


def _family_counts(con: duckdb.DuckDBPyConnection, family: str, since_epoch: float) -> dict:
    """Counts of a rule family's findings; 'new' = first seen since the run started and not
    settled by triage (a confirmed or dismissed finding never fails the check)."""
    pattern = family + "%"
    total, errors, open_errors, new_errors = con.execute(
        """select count(*), count(*) filter (where severity = 'error'),
                  count(*) filter (where severity = 'error' and triage_status in ('open', 'needs_review')),
                  count(*) filter (where severity = 'error' and triage_status in ('open', 'needs_review')
                                   and epoch(first_seen_at) >= ?)
           from marts.fct_quality_issues where rule_id like ?""", [since_epoch, pattern]).fetchone()
    by_rule = dict(con.execute(
        "select rule_id, count(*) from marts.fct_quality_issues where rule_id like ? group by 1 order by 1",
        [pattern]).fetchall())
    return {"findings": total, "error_findings": errors, "open_error_findings": open_errors,
            "new_error_findings": new_errors, "by_rule": by_rule}


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(f"rules_{fam}", asset=dg.AssetKey(["marts", "fct_quality_issues"]), blocking=False,
                             description=f"Findings of the {desc}; fails on new error-level findings")
           for fam, desc in RULE_FAMILIES.items()],
    can_subset=False,
)
def rule_family_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    s = warehouse.settings()
    stats = context.instance.get_run_stats(context.run.run_id)
    since = (stats.start_time or stats.launch_time or 0) - 1
    con = connect(s.build_db, read_only=True)
    try:
        for fam in RULE_FAMILIES:
            c = _family_counts(con, fam, since)
            yield dg.AssetCheckResult(
                asset_key=dg.AssetKey(["marts", "fct_quality_issues"]), check_name=f"rules_{fam}",
                passed=c["new_error_findings"] == 0, severity=dg.AssetCheckSeverity.WARN,
                metadata={k: (dg.MetadataValue.json(v) if isinstance(v, dict) else v) for k, v in c.items()},
            )
    finally:
        con.close()
