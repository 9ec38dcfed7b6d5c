"""`make benchmark`: run the benchmarks that finish in minutes (build and query speed against the baseline
revision, library queries, CLI start-up, endpoint throughput).

benchmarks/scale.py (1M / 10M triples) and benchmarks/viewer.py take longer and are run on their own.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_and_query  # noqa: E402 - the benchmarks folder is not a package
import queries  # noqa: E402

if __name__ == "__main__":
    build_and_query.main([])
    print()
    queries.main(sys.argv[1:])
