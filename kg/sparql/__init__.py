"""SPARQL: the competency-question library (kg/queries/*.rq) and the Python API over any store — `query`,
`describe`, `queries` — returning pandas DataFrames; plus the %%sparql notebook magic."""

from kg.sparql.library import describe, queries, query

__all__ = ["describe", "queries", "query"]
