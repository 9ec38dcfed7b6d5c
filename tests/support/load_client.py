"""A bounded HTTP load on a SPARQL endpoint: a fixed number of GETs of one query from keep-alive clients.

The endpoint's load test and its benchmark both measure with this, so their figures mean the same thing.
It only talks to the URL it is given (tests and benchmarks start the server on 127.0.0.1) and stops by itself
after the requested count.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

KETAMINE_LABEL_QUERY = (
    "SELECT ?label WHERE { <http://purl.obolibrary.org/obo/CHEBI_6121> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)


@dataclass
class LoadResult:
    elapsed: float
    latencies: list[float] = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.elapsed

    def percentile_ms(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000

    def as_dict(self) -> dict:
        return {
            "requests": len(self.latencies),
            "errors": len(self.errors),
            "rps": self.requests_per_second,
            "p50_ms": statistics.median(self.latencies) * 1000,
            "p99_ms": self.percentile_ms(0.99),
        }


def _one_client(parsed, path: str, count: int, expect: bytes, result: LoadResult) -> None:
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    for _ in range(count):
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            response = connection.getresponse()
            body = response.read()
            if response.status != 200 or expect not in body:
                result.errors.append(response.status)
        except (OSError, http.client.HTTPException) as error:
            result.errors.append(repr(error))
            connection.close()
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        result.latencies.append(time.perf_counter() - started)
    connection.close()


def run_load(
    url: str, requests: int = 5000, clients: int = 8, query: str = KETAMINE_LABEL_QUERY, expect: bytes = b"ketamine"
) -> LoadResult:
    """`requests` GETs split over `clients` threads; an answer that is not 200 or lacks `expect` is an error."""
    parsed = urllib.parse.urlsplit(url)
    path = parsed.path + "?" + urllib.parse.urlencode({"query": query, **dict(urllib.parse.parse_qsl(parsed.query))})
    result = LoadResult(elapsed=0.0)
    threads = [
        threading.Thread(target=_one_client, args=(parsed, path, requests // clients, expect, result)) for _ in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result
