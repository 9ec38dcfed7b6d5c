"""`%load_ext kg` then a `%%sparql` cell runs SPARQL on the graph and returns a DataFrame.

The magic line takes options and parameters: `%%sparql --store rdflib drug=PREFIX:local` or
`%%sparql --endpoint http://127.0.0.1:7878/sparql`. Parameters are bindings, as in kg.query.
"""

from __future__ import annotations

import shlex

from kg.errors import UserError


def parse_line(line: str) -> tuple[dict, dict]:
    """(options, parameters) from the magic line: --store/--endpoint/--graph options, KEY=VALUE parameters."""
    options, params = {}, {}
    words = iter(shlex.split(line))
    for word in words:
        if word in ("--store", "--endpoint", "--graph"):
            value = next(words, None)
            if value is None:
                raise UserError(f"%%sparql: {word} needs a value")
            options[word[2:]] = value
        elif "=" in word and not word.startswith("-"):
            key, _, value = word.partition("=")
            params[key] = value
        else:
            raise UserError(f"%%sparql: cannot read {word!r} (use --store, --endpoint, --graph or KEY=VALUE)")
    return options, params


def sparql(line: str, cell: str):
    """Run the cell's SPARQL (or a library query name) and return the DataFrame."""
    from kg.sparql.library import query

    options, params = parse_line(line)
    return query(cell.strip(), **options, **params)


def register(ipython) -> None:
    """Called by kg.load_ipython_extension."""
    ipython.register_magic_function(sparql, magic_kind="cell", magic_name="sparql")
