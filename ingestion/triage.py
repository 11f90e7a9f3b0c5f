"""Triage decisions on findings, kept outside the rebuilt marts.

A person marks a finding `confirmed` (the report is wrong) or `dismissed` (our reading was
wrong, or an allowed exception) with a reason. Decisions are appended to a JSON-lines file
beside the warehouse (`triage.jsonl`, human-readable and easy to version) and loaded into
`raw.triage_decisions` on every refresh; the marts apply the latest decision per finding only
while the finding's numbers are the ones decided on — a changed finding comes back for review.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from .schema import ensure_raw_schema

DECISIONS = ("confirmed", "dismissed", "reopened")


@dataclass
class Decision:
    finding_id: str
    decision: str
    reason: str
    decided_by: str
    decided_at: str
    expected: float | None
    actual: float | None


def record_decision(store: Path, finding_id: str, decision: str, reason: str,
                    expected: float | None, actual: float | None, who: str | None = None) -> Decision:
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
    if decision != "reopened" and not reason.strip():
        raise ValueError("a reason is required")
    d = Decision(finding_id, decision, reason.strip(), who or getpass.getuser(),
                 dt.datetime.now().isoformat(timespec="seconds"), expected, actual)
    store.parent.mkdir(parents=True, exist_ok=True)
    with open(store, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(d), ensure_ascii=False) + "\n")
    return d


def read_decisions(store: Path) -> list[Decision]:
    if not store.exists():
        return []
    out = []
    for n, line in enumerate(store.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(Decision(**json.loads(line)))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{store}:{n}: unreadable triage decision: {exc}") from exc
    return out


def load_decisions(con: duckdb.DuckDBPyConnection, store: Path) -> int:
    """Replace raw.triage_decisions with the store's contents (the file is the truth)."""
    ensure_raw_schema(con)
    rows = read_decisions(store)
    table = pa.Table.from_pylist(
        [{**asdict(d), "decided_at": dt.datetime.fromisoformat(d.decided_at)} for d in rows],
        schema=pa.schema([("finding_id", pa.string()), ("decision", pa.string()), ("reason", pa.string()),
                          ("decided_by", pa.string()), ("decided_at", pa.timestamp("us")),
                          ("expected", pa.float64()), ("actual", pa.float64())]))
    con.execute("begin transaction")
    con.execute("delete from raw.triage_decisions")
    con.register("_triage", table)
    con.execute("insert into raw.triage_decisions select * from _triage")
    con.unregister("_triage")
    con.execute("commit")
    return len(rows)
