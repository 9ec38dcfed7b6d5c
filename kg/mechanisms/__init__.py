"""Mechanisms: the path engine (drug -> enantiomer/metabolite -> target -> process -> outcome, with signs and
the sign rule) and the evidence tables built on it."""
from kg.mechanisms.engine import paths

__all__ = ["paths"]
