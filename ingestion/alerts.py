"""Alerts through apprise (Slack, e-mail, Teams, JSON webhooks ... one URL syntax).

Channels come from `DISCLOSURE_ALERT_URLS` (comma or whitespace separated apprise URLs). Every
alert, sent or failed, is appended to a local JSON-lines log and to `raw.alert_log` in the
warehouse, even with no channel configured. A channel that is down never raises.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from .schema import ensure_raw_schema


@dataclass
class AlertRecord:
    alert_id: str
    run_id: str | None
    kind: str
    channel: str | None
    status: str           # sent / failed / no_channel
    title: str
    body: str
    finding_ids: list[str] = field(default_factory=list)
    error: str | None = None
    sent_at: str = ""


def channel_urls(value: str | None = None) -> list[str]:
    raw = os.environ.get("DISCLOSURE_ALERT_URLS", "") if value is None else value
    return [u for u in re.split(r"[\s,]+", raw) if u]


def _redact(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}"


def send(title: str, body: str, kind: str, run_id: str | None = None, finding_ids: list[str] | None = None,
         urls: list[str] | None = None) -> list[AlertRecord]:
    """Send one alert to every channel; one record per channel (or one `no_channel` record)."""
    import apprise

    urls = channel_urls() if urls is None else urls
    alert_id = uuid.uuid4().hex[:16]
    now = dt.datetime.now().isoformat(timespec="seconds")
    records = []
    if not urls:
        records.append(AlertRecord(alert_id, run_id, kind, None, "no_channel", title, body,
                                   list(finding_ids or []), None, now))
    for url in urls:
        status, error = "failed", None
        try:
            ap = apprise.Apprise()
            if not ap.add(url):
                error = "apprise does not understand this URL"
            elif ap.notify(title=title, body=body):
                status = "sent"
            else:
                error = "the channel did not accept the notification"
        except Exception as exc:  # noqa: BLE001 - a broken channel must not fail the run
            error = f"{type(exc).__name__}: {exc}"
        records.append(AlertRecord(alert_id, run_id, kind, _redact(url), status, title, body,
                                   list(finding_ids or []), error, now))
    return records


def write_local_log(path: Path, records: list[AlertRecord]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")


def write_warehouse_log(con: duckdb.DuckDBPyConnection, records: list[AlertRecord]) -> None:
    ensure_raw_schema(con)
    con.executemany(
        "insert into raw.alert_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(r.alert_id, r.run_id, r.kind, r.channel, r.status, r.title, r.body, r.finding_ids, r.error,
          dt.datetime.fromisoformat(r.sent_at)) for r in records])


def already_alerted(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Findings a digest already reached: sent to a channel, or logged with no channel set."""
    ensure_raw_schema(con)
    rows = con.execute("select distinct unnest(finding_ids) from raw.alert_log "
                       "where kind = 'findings_digest' and status in ('sent', 'no_channel')").fetchall()
    return {r[0] for r in rows}


def findings_digest(con: duckdb.DuckDBPyConnection, run_id: str | None, warehouse: Path,
                    data_docs: Path | None = None, urls: list[str] | None = None,
                    limit_reports: int = 5) -> list[AlertRecord]:
    """One digest of the error-level findings no digest has reported yet (nothing if none)."""
    done = already_alerted(con)
    rows = con.execute("""
        select q.finding_id, q.rule_id, q.report_id, r.source_file, r.agency, r.report_year
        from marts.fct_quality_issues q left join marts.dim_reports r using (report_id)
        where q.severity = 'error' and coalesce(q.triage_status, 'open') in ('open', 'needs_review')
        order by q.rule_id, r.source_file""").fetchall()
    new = [r for r in rows if r[0] not in done]
    if not new:
        return []
    by_rule: dict[str, int] = {}
    by_report: dict[tuple, int] = {}
    for _, rule, rid, src, agency, year in new:
        by_rule[rule] = by_rule.get(rule, 0) + 1
        key = (src or rid or "(pipeline)", agency or "?", year or "?")
        by_report[key] = by_report.get(key, 0) + 1
    worst = sorted(by_report.items(), key=lambda kv: (-kv[1], kv[0][0]))[:limit_reports]
    title = f"disclosure warehouse: {len(new)} new error-level findings in {len(by_report)} reports"
    lines = ["New error-level findings, by rule:"]
    lines += [f"  {rule}: {n}" for rule, n in sorted(by_rule.items())]
    lines.append("Worst reports:")
    lines += [f"  {src} ({agency}, {year}): {n}" for (src, agency, year), n in worst]
    lines.append(f"Where to look: {warehouse} → marts.fct_quality_issues "
                 f"(disclosure sql \"select * from marts.fct_quality_issues where severity = 'error'\")")
    if data_docs:
        lines.append(f"Data Docs: {data_docs}")
    records = send(title, "\n".join(lines), "findings_digest", run_id, [r[0] for r in new], urls)
    return records
