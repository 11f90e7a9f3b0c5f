"""The metric catalog: the canonical metric keys (a dbt seed, owned by this project)."""
from __future__ import annotations

import csv
import functools
import os
from dataclasses import dataclass
from pathlib import Path

CATALOG_PATH = Path(os.environ.get(
    "DISCLOSURE_METRIC_CATALOG",
    Path(__file__).resolve().parent.parent / "dbt" / "seeds" / "metric_catalog.csv",
))

APPLICANTS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    key: str
    section: str
    label_zh: str
    unit: str
    formats: frozenset[str]
    kind: str          # reported / derived
    note: str


@functools.lru_cache(maxsize=1)
def load_catalog() -> dict[tuple[str, str], CatalogEntry]:
    """(key, format) -> entry. A key may be reported in one format and derived in another."""
    out: dict[tuple[str, str], CatalogEntry] = {}
    with open(CATALOG_PATH, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            fmts = frozenset(row["formats"].split())
            entry = CatalogEntry(row["key"], row["section"], row["label_zh"], row["unit"], fmts,
                                 row["kind"], row["note"])
            for f in fmts:
                out[(row["key"], f)] = entry
    return out


@functools.lru_cache(maxsize=1)
def all_keys() -> frozenset[str]:
    return frozenset(k for k, _ in load_catalog())


def lookup(key: str, fmt: str) -> CatalogEntry | None:
    return load_catalog().get((key, fmt))


@functools.lru_cache(maxsize=None)
def keys_for(fmt: str | None) -> frozenset[str]:
    """The keys `is_key(key, fmt)` accepts, as one set (for checking many keys)."""
    if fmt is None or fmt == "unknown":
        return all_keys()
    return frozenset(k for k, f in load_catalog() if f == fmt)


def is_key(key: str, fmt: str | None = None) -> bool:
    if fmt is None or fmt == "unknown":
        return key in all_keys()
    return (key, fmt) in load_catalog()
