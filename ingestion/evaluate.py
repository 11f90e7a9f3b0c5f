"""Compare an extraction with a gold file (tests and the accuracy benchmark use this)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .extract import effective_values, extract_file


@dataclass
class GoldComparison:
    report: str
    gold_format: str | None
    got_format: str
    correct: list[str] = field(default_factory=list)
    wrong: list[tuple[str, float, float]] = field(default_factory=list)   # key, gold, got
    missing: list[tuple[str, float]] = field(default_factory=list)
    extra: list[tuple[str, float]] = field(default_factory=list)
    meta_mismatch: dict[str, tuple] = field(default_factory=dict)

    @property
    def n_gold(self) -> int:
        return len(self.correct) + len(self.wrong) + len(self.missing)


def compare(report_path: str | Path, gold_path: str | Path) -> GoldComparison:
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    res = extract_file(report_path)
    got = effective_values(res)
    cmp = GoldComparison(gold.get("report", Path(report_path).stem), gold.get("format"), res.format)
    for key, gval in gold["metrics"].items():
        if key not in got:
            cmp.missing.append((key, gval))
        elif abs(got[key] - float(gval)) > 1e-6:
            cmp.wrong.append((key, gval, got[key]))
        else:
            cmp.correct.append(key)
    for key, v in got.items():
        if key not in gold["metrics"]:
            cmp.extra.append((key, v))
    for field_, attr in (("agency", "agency"), ("year", "report_year")):
        if field_ in gold and gold[field_] != getattr(res.meta, attr):
            cmp.meta_mismatch[field_] = (gold[field_], getattr(res.meta, attr))
    if gold.get("format") and gold["format"] != res.format:
        cmp.meta_mismatch["format"] = (gold["format"], res.format)
    return cmp
