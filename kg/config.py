"""Where things live: the curated data folder and the default build folder.

PAINKG_DATA / PAINKG_BUILD override them, so tests can build from a broken copy of the data
without touching the real sources.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
QUERIES_DIR = PACKAGE_DIR / "queries"

def data_dir() -> Path:
    """The curated sources folder (data/ beside the package unless PAINKG_DATA says otherwise)."""
    return Path(os.environ.get("PAINKG_DATA", PROJECT_DIR / "data"))


def build_dir() -> Path:
    """The default output folder for `kg build`."""
    return Path(os.environ.get("PAINKG_BUILD", PROJECT_DIR / "build"))
