"""Tables 2-4 of the trial_2019 and format_2021 reports. (placeholder, being written)"""
from .records import Document, Metric, UnmappedCell


def detect_new_format(doc: Document) -> str | None:
    return None


def extract_new_tables(doc: Document, fmt: str) -> tuple[list[Metric], list[UnmappedCell]]:
    return [], []
