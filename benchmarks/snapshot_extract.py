"""Every field of every extraction result, dumped deterministically, to check that a speed-up
changes no output.

Runs `ingestion.extract.extract_bytes` over the real corpus (data/sample/*.txt and
tests/corpus/dev/reports/*) and over a generated corpus (benchmarks/generate_corpus.py), and writes
one JSON line per file: the name and the whole `ExtractionResult` (format, metadata with the
derived region, metrics and unmapped cells with all their attributes in order, warnings, status,
error, encoding, document type, text hash). Floats are written with repr, so any change shows.

    .venv/bin/python benchmarks/snapshot_extract.py --gen /tmp/gen2k --out /tmp/snap_base.jsonl
    .venv/bin/python benchmarks/snapshot_extract.py --gen /tmp/gen2k --out /tmp/snap_new.jsonl
    diff /tmp/snap_base.jsonl /tmp/snap_new.jsonl && echo identical

Without --gen it renders 2,000 reports (seed 42, 5 % broken) into a temporary folder first.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _plain(obj):
    if dataclasses.is_dataclass(obj):
        out = {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        if hasattr(type(obj), "region"):
            out["region"] = obj.region
        return out
    if isinstance(obj, (list, tuple)):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, float):
        return repr(obj)
    return obj


def _files(gen: Path) -> list[tuple[str, Path]]:
    real = sorted((REPO / "data" / "sample").glob("*.txt"))
    real += sorted(p for p in (REPO / "tests" / "corpus" / "dev" / "reports").iterdir() if p.is_file())
    out = [(p.relative_to(REPO).as_posix(), p) for p in real]
    generated = sorted(p for p in gen.rglob("*") if p.is_file() and not p.name.startswith("manifest"))
    return out + [("gen/" + p.relative_to(gen).as_posix(), p) for p in generated]


def snapshot(gen: Path, out: Path) -> int:
    from ingestion.extract import extract_bytes

    files = _files(gen)
    with out.open("w", encoding="utf-8") as fh:
        for name, path in files:
            res = extract_bytes(path.read_bytes(), path.name)
            fh.write(json.dumps({"file": name, "result": _plain(res)}, ensure_ascii=False, sort_keys=True))
            fh.write("\n")
    return len(files)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gen", default=None, help="a generated corpus folder (default: render 2,000 reports)")
    ap.add_argument("--out", required=True, help="the JSON-lines file to write")
    a = ap.parse_args(argv)
    from benchmarks.generate_corpus import corpus_or_generated

    with corpus_or_generated(a.gen, 2000, prefix="snapshot_extract_") as gen:
        n = snapshot(gen, Path(a.out))
    print(f"{n} results written to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
