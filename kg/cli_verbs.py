"""Registration of the verbs beyond build/validate (query, queries, describe, serve, viz, publish)."""
from __future__ import annotations


def register(verbs) -> None:
    """Each using-module adds its own sub-parser; kept here so cli.py stays a thin table."""
