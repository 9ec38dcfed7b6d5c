"""The build backend: setuptools, plus the package's own runtime dependencies while a wheel or sdist is made.

A wheel ships the curated sources and the graph built from them (see setup.py), and that graph is built by
painkg's own code, so building the wheel needs what running painkg needs. Reading the list from
pyproject.toml keeps one list of dependencies. Editable installs build no graph and need nothing extra.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 - every hook not redefined here is setuptools' own

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def runtime_dependencies() -> list[str]:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]


def get_requires_for_build_wheel(config_settings=None):
    return _setuptools.get_requires_for_build_wheel(config_settings) + runtime_dependencies()


def get_requires_for_build_sdist(config_settings=None):
    return _setuptools.get_requires_for_build_sdist(config_settings) + runtime_dependencies()
