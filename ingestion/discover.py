"""Find the report files of a landing folder: path, size, sha256, mtime."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

REPORT_SUFFIXES = {".txt", ".text", ".htm", ".html", ".shtml", ".md", ""}


@dataclass(frozen=True, slots=True)
class ReportFile:
    path: str            # absolute path
    source_file: str     # relative to the landing folder, '/' separated
    size: int
    sha256: str
    mtime: float
    report_id: str = ""  # derived from source_file when not given

    def __post_init__(self) -> None:
        if not self.report_id:
            object.__setattr__(self, "report_id", report_id_for(self.source_file))


class KnownFile(NamedTuple):
    """What the last discovery recorded of a file (`raw.landing_files`, mtime as the local datetime
    stored there)."""
    size: int
    mtime: dt.datetime
    sha256: str
    path: str
    report_id: str

    def same_as(self, f: ReportFile) -> bool:
        """The file is recorded as it is now (size, mtime, sha256 and absolute path)."""
        return (self.size, self.mtime, self.sha256, self.path) == (
            f.size, dt.datetime.fromtimestamp(f.mtime), f.sha256, f.path)


def report_id_for(source_file: str) -> str:
    """Stable id of a report: its path relative to the landing folder."""
    return hashlib.sha256(source_file.encode("utf-8")).hexdigest()[:16]


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def discover(landing_dir: str | Path, known: dict[str, KnownFile] | None = None) -> list[ReportFile]:
    """Every regular, non-hidden file below the landing folder, sorted by relative path.

    `known` maps a relative path to what the last discovery recorded of it: a file whose size and
    mtime (to the microsecond) are unchanged keeps its sha256 and report_id without being read
    again, as git's index does. Without it every file is hashed."""
    known = known or {}
    root = Path(landing_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"landing folder does not exist: {root}")
    out: list[ReportFile] = []
    _scan(str(root), "", known, out)
    out.sort(key=lambda f: f.source_file)
    return out


def _scan(folder: str, prefix: str, known: dict[str, KnownFile], out: list[ReportFile]) -> None:
    """The report files of one folder and its subfolders (not hidden, not symlinks) into `out`:
    one scandir and one lstat per entry (DirEntry caches it), no Path objects."""
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for e in entries:
        if e.name.startswith("."):
            continue
        if e.is_dir(follow_symlinks=False):
            _scan(e.path, prefix + e.name + "/", known, out)
            continue
        if not e.is_file(follow_symlinks=False) or os.path.splitext(e.name)[1].lower() not in REPORT_SUFFIXES:
            continue
        st = e.stat(follow_symlinks=False)
        rel = prefix + e.name
        prev = known.get(rel)
        if prev and prev.size == st.st_size and prev.mtime == dt.datetime.fromtimestamp(st.st_mtime):
            out.append(ReportFile(e.path, rel, st.st_size, prev.sha256, st.st_mtime, prev.report_id))
        else:
            out.append(ReportFile(e.path, rel, st.st_size, sha256_file(e.path), st.st_mtime))
