"""Extraction accuracy on the project's corpus with gold values: per report and in total.

    .venv/bin/python benchmarks/accuracy.py          # one line per report, then the totals
    .venv/bin/python benchmarks/accuracy.py -v       # also every wrong, missing and extra value
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingestion.evaluate import compare  # noqa: E402
from tests.conftest import corpus_cases  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    totals = {"correct": 0, "wrong": 0, "missing": 0, "extra": 0, "reports": 0, "meta_ok": 0}
    for name, report, gold in corpus_cases():
        c = compare(report, gold)
        totals["reports"] += 1
        totals["meta_ok"] += not c.meta_mismatch
        for k in ("correct", "wrong", "missing", "extra"):
            totals[k] += len(getattr(c, k))
        print(f"{name:22s} {c.got_format:17s} correct={len(c.correct):4d} wrong={len(c.wrong):3d} "
              f"missing={len(c.missing):3d} extra={len(c.extra):3d} {c.meta_mismatch or ''}")
        if args.verbose:
            for w in c.wrong:
                print(f"    WRONG   {w[0]}: gold {w[1]} got {w[2]}")
            for m in c.missing:
                print(f"    MISSING {m[0]}: gold {m[1]}")
            for e in c.extra:
                print(f"    EXTRA   {e[0]}: got {e[1]}")
    gold_n = totals["correct"] + totals["wrong"] + totals["missing"]
    print(f"\n{totals['reports']} reports, {gold_n} gold values: {totals['correct']} exact "
          f"({100 * totals['correct'] / max(gold_n, 1):.2f} %), {totals['wrong']} wrong, "
          f"{totals['missing']} missing, {totals['extra']} extra; metadata (agency, year, format) right on "
          f"{totals['meta_ok']}/{totals['reports']} reports")


if __name__ == "__main__":
    main()
