"""Errors a user or curator fixes: a one-line UserError (bad query name, bad parameter, exit 2), and the
Problems found in curated sources, each naming the file, line and field to fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class UserError(Exception):
    """A mistake in how a command or function was called; shown as one line, exit 2."""


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SourceError(Exception):
    """Raised when curated sources cannot be built; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s) in curated sources")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def relative(path: Path, root: Path) -> str:
    """Show a path relative to the data folder's parent when possible (data/entities/core.tsv)."""
    try:
        return str(path.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(path)
