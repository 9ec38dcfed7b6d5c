"""Figures measured by tests (load-test throughput, latencies), shown in pytest's terminal summary.

A test module registers `FIGURES` with `config.pluginmanager.register(FIGURES)`; each figure is also written to
test-artefacts/<name>.txt so it survives the run. Not a conftest: nothing here changes other tests.
"""

from __future__ import annotations

from pathlib import Path

ARTEFACTS = Path(__file__).resolve().parent.parent / "test-artefacts"


class Figures:
    name = "painkg-figures"

    def __init__(self):
        self.lines: list[str] = []

    def record(self, name: str, text: str) -> Path:
        """Keep a figure for the summary and write it to test-artefacts/<name>.txt."""
        ARTEFACTS.mkdir(exist_ok=True)
        path = ARTEFACTS / f"{name}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        self.lines.append(f"{name}: {text}")
        return path

    def pytest_terminal_summary(self, terminalreporter):
        if self.lines:
            terminalreporter.section("painkg measured figures")
            for line in self.lines:
                terminalreporter.write_line(line)


FIGURES = Figures()


def register(config) -> Figures:
    """Register once per session and return the shared collector."""
    if not config.pluginmanager.is_registered(FIGURES):
        config.pluginmanager.register(FIGURES, Figures.name)
    return FIGURES
