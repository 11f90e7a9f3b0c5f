"""Dagster code location of the disclosure warehouse (`-m dagster_project`)."""
from .definitions import defs

__all__ = ["defs"]
