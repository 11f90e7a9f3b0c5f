"""The pre-2019 政府信息公开情况统计表. (placeholder, being written)"""
from .records import Document, Metric, UnmappedCell


def has_legacy_table(doc: Document) -> bool:
    return False


def extract_legacy_table(doc: Document) -> tuple[list[Metric], list[UnmappedCell]]:
    return [], []
