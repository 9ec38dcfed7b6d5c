"""`kg viz`: registered by the publish module (placeholder until it lands)."""
from __future__ import annotations


def register(verbs) -> None:
    """Adds the publish and export sub-parsers."""
