"""Province, city and county of a report, from the administrative divisions of China.

The divisions (GB/T 2260 codes and names of provinces, prefecture-level cities and counties)
are the data file shipped with the `cpca` package. A division named in the agency decides;
otherwise the division the report's text names most often (a township report names its
county). A name shared by several divisions (朝阳区, 鼓楼区 ...) is resolved only when the
agency or the text also names one of their parents; otherwise it is left unknown.
"""
from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, slots=True)
class Division:
    code: str       # 12 digits
    name: str

    @property
    def level(self) -> str:
        if self.code[2:] == "0" * 10:
            return "province"
        if self.code[4:] == "0" * 8:
            return "city"
        return "county"


_SKIP = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "城区", "郊区", "矿区"}


@functools.lru_cache(maxsize=1)
def _index():
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    path = resources.files("cpca") / "resources" / "adcodes.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            d = Division(row["adcode"], row["name"])
            by_code[d.code] = d
            if d.name in _SKIP:
                continue
            by_name.setdefault(d.name, []).append(d)
    # every name has at least two characters and ends in one of a few (县 区 市 旗 州 …)
    by_end: dict[str, list[str]] = {}
    for name in by_name:
        by_end.setdefault(name[-2:], []).append(name)
    last = re.compile("[" + "".join(sorted({n[-1] for n in by_name})) + "]")
    return by_code, by_name, (last, by_end)


def _find(ends, text: str) -> list[str]:
    """Division names in the text, longest match at each place, no overlaps. Every occurrence of
    every name is found from its last character (a scan for a handful of characters)."""
    last, by_end = ends
    hits = []
    for m in last.finditer(text, 1):
        e = m.end()
        for name in by_end.get(text[e - 2:e], ()):
            a = e - len(name)
            if a >= 0 and text.startswith(name, a):
                hits.append((a, e - 1, name))
    hits.sort(key=lambda h: (h[0], -len(h[2])))
    out, last_end = [], -1
    for start, end, name in hits:
        if start > last_end:
            out.append(name)
            last_end = end
    return out


def _parents(d: Division) -> tuple[Division | None, Division | None]:
    by_code = _index()[0]
    province = by_code.get(d.code[:2] + "0" * 10)
    city = by_code.get(d.code[:4] + "0" * 8) if d.level == "county" else None
    return province, city


def _choose(cands: list[Division], context: set[str]) -> Division | None:
    if len(cands) == 1:
        return cands[0]
    fitting = [d for d in cands if any(p is not None and p.name in context for p in _parents(d))]
    return fitting[0] if len(fitting) == 1 else None


def _expand(d: Division) -> tuple[str | None, str | None, str | None]:
    province, city = _parents(d)
    if d.level == "province":
        return d.name, None, None
    if d.level == "city":
        return province.name if province else None, d.name, None
    city_name = city.name if city is not None and city.name not in _SKIP else None
    return (province.name if province else None, city_name, d.name)


def resolve(agency: str | None, text: str = "", head_chars: int = 2000) -> tuple[str | None, str | None, str | None]:
    """(province, city, county) for a report, None where unknown. The text (its first
    `head_chars` characters) is read only when the agency alone does not settle it."""
    _, by_name, ends = _index()
    in_agency = _find(ends, agency or "")
    best = _most_specific(in_agency, set(in_agency), by_name)
    if best is not None:
        return _expand(best)
    in_text = _find(ends, text[:head_chars])
    context = set(in_agency) | set(in_text)
    best = _most_specific(in_agency, context, by_name)
    if best is None and in_text:
        counts: dict[str, int] = {}
        for name in in_text:
            counts[name] = counts.get(name, 0) + 1
        top = max(counts.values())
        leaders = [n for n, c in counts.items() if c == top]
        if len(leaders) == 1:
            best = _choose(by_name[leaders[0]], context)
    return _expand(best) if best else (None, None, None)


def _most_specific(names: list[str], context: set[str], by_name) -> Division | None:
    best = None
    for name in names:
        d = _choose(by_name[name], context)
        if d is not None and (best is None or len(d.code.rstrip("0")) > len(best.code.rstrip("0"))):
            best = d
    return best
