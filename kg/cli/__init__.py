"""Command line: verbs map to functions, nothing else. Imports are lazy so `kg --help` starts fast."""

from kg.cli.main import main

__all__ = ["main"]
