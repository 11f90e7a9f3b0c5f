"""Whole-body prose figures of new-era reports. (placeholder, being written)"""
from .records import Document, Metric, UnmappedCell


def extract_new_prose(doc: Document, fmt: str) -> tuple[list[Metric], list[UnmappedCell]]:
    return [], []
