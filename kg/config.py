"""Where things live: the curated sources, the build folder and the graph shipped in the package.

The sources are found in this order: an explicit folder (`--data`), PAINKG_DATA, `data/` of the painkg checkout
the current folder is in (or below), and last the sources shipped with the package (kg/data/ in a wheel,
data/ beside the package in a source checkout). A wheel also ships the graph built from those sources
(kg/_graph/), so an installed package answers queries from any folder without building anything.
PAINKG_BUILD overrides the build folder: build/ of the checkout, else build/ in the current folder.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

VERSION = "0.3.0"  # the package's, the dataset's and its named graph's (pyproject.toml reads it; kg.__version__)
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
QUERIES_DIR = PACKAGE_DIR / "queries"
PACKAGED_DATA_DIR = PACKAGE_DIR / "data"  # the curated sources, copied in when a wheel is built (setup.py)
PACKAGED_GRAPH_DIR = PACKAGE_DIR / "_graph"  # painkg.nt, stats.json and void.ttl built from them at that time
PROJECT_NAME = "painkg"


@dataclass(frozen=True)
class Sources:
    """A curated sources folder and how it was chosen, in words for the user."""

    folder: Path
    origin: str

    def __str__(self) -> str:
        return f"sources: {self.folder} ({self.origin})"


def _is_checkout(folder: Path) -> bool:
    """A painkg checkout: pyproject.toml naming the project, with a data/ folder beside it."""
    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file() or not (folder / "data").is_dir():
        return False
    try:
        return tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("name") == PROJECT_NAME
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def checkout(start: Path | None = None) -> Path | None:
    """The painkg checkout that `start` (default: the current folder) is in, or None."""
    return _checkout_from(str(start or os.getcwd()))


@lru_cache(maxsize=32)
def _checkout_from(start: str) -> Path | None:
    """Looked up once per folder and process: data_dir() is asked for on every CURIE the model writes."""
    here = Path(start).resolve()
    return next((folder for folder in (here, *here.parents) if _is_checkout(folder)), None)


def packaged_data() -> Path:
    """The sources that came with the package: kg/data/ of a wheel, or data/ of the checkout it runs from."""
    return PACKAGED_DATA_DIR if PACKAGED_DATA_DIR.is_dir() else PROJECT_DIR / "data"


def packaged_graph() -> Path | None:
    """The folder holding the graph built from packaged_data() when the wheel was made (None in a checkout)."""
    return PACKAGED_GRAPH_DIR if (PACKAGED_GRAPH_DIR / "painkg.nt").is_file() else None


def sources(explicit: Path | None = None) -> Sources:
    """Which curated sources a command reads, and why (the CLI prints it)."""
    if explicit is not None:
        return Sources(Path(explicit), "--data")
    if os.environ.get("PAINKG_DATA"):
        return Sources(Path(os.environ["PAINKG_DATA"]), "PAINKG_DATA")
    root = checkout()
    if root is not None:
        return Sources(root / "data", f"the painkg checkout at {root}")
    return Sources(packaged_data(), "the sources shipped with the package")


def data_dir() -> Path:
    """The curated sources folder (see `sources`)."""
    return sources().folder


def build_dir() -> Path:
    """The default output folder for `kg build`: PAINKG_BUILD, build/ of the checkout, else ./build."""
    if os.environ.get("PAINKG_BUILD"):
        return Path(os.environ["PAINKG_BUILD"])
    root = checkout()
    return (root or Path.cwd()) / "build"
