"""Find the report files of a landing folder: path, size, sha256, mtime."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

REPORT_SUFFIXES = {".txt", ".text", ".htm", ".html", ".shtml", ".md", ""}


@dataclass(frozen=True, slots=True)
class ReportFile:
    path: str            # absolute path
    source_file: str     # relative to the landing folder, '/' separated
    size: int
    sha256: str
    mtime: float

    @property
    def report_id(self) -> str:
        return report_id_for(self.source_file)


def report_id_for(source_file: str) -> str:
    """Stable id of a report: its path relative to the landing folder."""
    return hashlib.sha256(source_file.encode("utf-8")).hexdigest()[:16]


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def discover(landing_dir: str | Path) -> list[ReportFile]:
    """Every regular, non-hidden file below the landing folder, sorted by relative path."""
    root = Path(landing_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"landing folder does not exist: {root}")
    out: list[ReportFile] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or Path(name).suffix.lower() not in REPORT_SUFFIXES:
                continue
            p = Path(dirpath) / name
            if not p.is_file() or p.is_symlink():
                continue
            st = p.stat()
            rel = p.relative_to(root).as_posix()
            out.append(ReportFile(str(p), rel, st.st_size, sha256_file(p), st.st_mtime))
    return out
