"""KGX's own validator, run offline: bmt and KGX get the Biolink Model the `biolink-model` package ships (its schema
YAML, and the JSON-LD prefix context generated from that schema) instead of fetching both from GitHub.

kgx builds a bmt Toolkit when it is imported and reads its JSON-LD context from a URL in its config; both are
given local values here before kgx is imported. `no_network` makes any socket connection fail, so a test proves
nothing is fetched.
"""

from __future__ import annotations

import socket
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

BIOLINK_YAML = files("biolink_model") / "schema" / "biolink_model.yaml"
NO_PREDICATE_MAPPINGS = {"predicate mappings": []}  # bmt's predicate map (mappings to other vocabularies): unused


@contextmanager
def no_network():
    original = socket.socket.connect

    def refuse(self, address):
        raise OSError(f"network access attempted during an offline check: {address}")

    socket.socket.connect = refuse
    try:
        yield
    finally:
        socket.socket.connect = original


def biolink_context() -> dict:
    """The prefix part of Biolink's JSON-LD context (what KGX reads it for), built from the packaged schema with
    linkml's SchemaView: every prefix of the model and of the schemas it imports."""
    from linkml_runtime.utils.schemaview import SchemaView

    namespaces = SchemaView(str(BIOLINK_YAML)).namespaces()
    return {prefix: {"@id": str(uri), "@prefix": True} for prefix, uri in namespaces.items()}


@contextmanager
def local_biolink_toolkit():
    """bmt.Toolkit() without arguments (as kgx calls it) reads the packaged model and the local predicate map."""
    from bmt.toolkit import Toolkit

    defaults = Toolkit.__init__.__defaults__
    Toolkit.__init__.__defaults__ = (str(BIOLINK_YAML), NO_PREDICATE_MAPPINGS)
    try:
        yield
    finally:
        Toolkit.__init__.__defaults__ = defaults


def kgx_errors(folder: Path, context: dict) -> set[tuple[str, str, str, str]]:
    """(level, error type, message, offending id) for every error KGX's Validator finds in folder/nodes.tsv and
    folder/edges.tsv, streamed through KGX's Transformer the way `kgx validate` does; `context` is the JSON-LD
    prefix context KGX checks CURIE prefixes against. Call inside local_biolink_toolkit()."""
    import kgx.config

    kgx.config.get_config()
    kgx.config.jsonld_context_map["biolink"] = context
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    validator = Validator()
    Transformer(stream=True).transform(
        input_args={"filename": [str(folder / "nodes.tsv"), str(folder / "edges.tsv")], "format": "tsv"}, inspector=validator
    )
    return {
        (level, kind, message, str(item))
        for level, kinds in validator.get_errors().items()
        for kind, messages in kinds.items()
        for message, items in messages.items()
        for item in items
    }
