"""Views: self-contained interactive HTML pages of the graph (vis-network inlined, layout computed in Python)."""

from kg.views.viewer import viz

__all__ = ["viz"]
