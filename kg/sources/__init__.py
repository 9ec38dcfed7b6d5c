"""Sources: read and check the curated TSV files, the schema and the prefix map; every problem names
file:line:field, and nothing later in the line runs until the sources are clean."""

from kg.sources.curated import Curated, load_curated

__all__ = ["Curated", "load_curated"]
