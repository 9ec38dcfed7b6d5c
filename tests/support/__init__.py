"""Test support: helpers and harnesses shared by test modules (and the benchmarks), never shipped in the package."""
