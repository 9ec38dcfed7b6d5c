"""`kg viz`: registered by the viewer module (placeholder until it lands)."""
from __future__ import annotations


def register(verbs) -> None:
    """Adds the viz sub-parser."""
