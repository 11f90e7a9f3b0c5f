"""Whole-body prose figures of pre-2019 reports. (placeholder, being written)"""
from .records import Document, Metric, UnmappedCell


def extract_legacy_prose(doc: Document) -> tuple[list[Metric], list[UnmappedCell]]:
    return [], []
