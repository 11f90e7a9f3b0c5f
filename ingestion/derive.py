"""Derived subtotals of table 3. (placeholder, being written)"""
from .records import Metric


def derived_metrics(metrics: list[Metric], fmt: str) -> list[Metric]:
    return []
