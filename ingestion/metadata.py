"""Report metadata: agency, level, region, year, publish date, scope. (placeholder, being written)"""
from .records import Document, ReportMeta


def extract_metadata(doc: Document) -> ReportMeta:
    return ReportMeta()
