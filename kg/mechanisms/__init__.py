"""Mechanisms: the path engine (drug -> enantiomer/metabolite -> target -> process -> outcome, with signs and
the sign rule), target engagement (potency against plasma concentration), the same across drugs (compare) and the
evidence tables built on them."""

from kg.mechanisms.compare import compare, compare_paths
from kg.mechanisms.engagement import engagement
from kg.mechanisms.engine import paths

__all__ = ["compare", "compare_paths", "engagement", "paths"]
