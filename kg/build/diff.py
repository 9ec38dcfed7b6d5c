"""`kg diff OLD NEW`: what changed between two builds, as a curator reads it in a review.

Each side is a build folder (its painkg.nt), a curated sources folder (checked and built in memory), or a git
revision of the checkout (its data/ built in memory by the current code). Assertions are matched by id and
compared field by field on their statement nodes; painkg:sourceFile is not a change (rows move when others are
inserted above them) but is shown to say where to look. References are compared by IRI.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.config import checkout
from kg.errors import UserError
from kg.store.backends import OxigraphStore, compact
from kg.validate import checked_graph

QUERIES = Path(__file__).resolve().parent / "queries"
LOCATION_FIELD = "sourceFile"
TRIPLE_FIELDS = ("subject", "predicate", "object")


@dataclass
class Side:
    """One side of the comparison: how it was read, its assertions (id -> field -> values), its references."""

    label: str
    assertions: dict[str, dict[str, list[str]]]
    references: dict[str, str]


@dataclass
class Change:
    field: str
    old: list[str]
    new: list[str]


@dataclass
class Diff:
    old: str
    new: str
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    references_added: list[dict] = field(default_factory=list)
    references_removed: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "old": self.old,
            "new": self.new,
            "assertions": {"added": self.added, "removed": self.removed, "changed": self.changed},
            "references": {"added": self.references_added, "removed": self.references_removed},
        }

    def summary(self) -> str:
        return (
            f"assertions: {len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed; "
            f"references: {len(self.references_added)} added, {len(self.references_removed)} removed"
        )

    def as_text(self) -> str:
        lines = [f"kg diff {self.old} -> {self.new}", self.summary()]
        lines += [f"+ {a['id']}  {_triple(a)}  ({a['where']})" for a in self.added]
        lines += [f"- {a['id']}  {_triple(a)}  ({a['where']})" for a in self.removed]
        for a in self.changed:
            lines.append(f"~ {a['id']}  ({a['where']})")
            lines += [f"    {c['field']}: {_values(c['old'])} -> {_values(c['new'])}" for c in a["changes"]]
        lines += [f"+ reference {r['id']}  {r['label']}" for r in self.references_added]
        lines += [f"- reference {r['id']}  {r['label']}" for r in self.references_removed]
        return "\n".join(lines) + "\n"


def _triple(assertion: dict) -> str:
    return " ".join(assertion[name] for name in TRIPLE_FIELDS)


def _values(values: list[str]) -> str:
    return " | ".join(values) if values else "(none)"


# ---------------------------------------------------------------- reading one side


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(term) -> str:
    """An IRI as a CURIE of the project prefix map (else the IRI), a literal as its lexical form."""
    import pyoxigraph as ox

    return compact(term.value) if isinstance(term, ox.NamedNode) else term.value


def _solutions(store: OxigraphStore, name: str):
    return store.run((QUERIES / name).read_text(encoding="utf-8"), {})


def read_store(label: str, store: OxigraphStore) -> Side:
    """Assertions and references of one graph."""
    assertions: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in _solutions(store, "diff-assertions.rq"):
        assertions[row["id"].value][_local_name(row["field"].value)].add(_text(row["value"]))
    references = {
        _text(row["reference"]): row["label"].value if row["label"] else "" for row in _solutions(store, "diff-references.rq")
    }
    return Side(label, {a: {f: sorted(v) for f, v in fields.items()} for a, fields in assertions.items()}, references)


def _git_data(root: Path, revision: str, into: Path) -> Path:
    """data/ of `revision` extracted into `into` (git archive), or a UserError naming the revision."""
    resolved = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], capture_output=True, text=True
    )
    if resolved.returncode != 0:
        raise UserError(f"{revision!r} is neither a build folder, a sources folder nor a git revision of {root}")
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", resolved.stdout.strip(), "--", "data"], capture_output=True
    )
    if archive.returncode != 0:
        raise UserError(f"git revision {revision} has no data/ folder: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / "data"


def read_side(spec: str) -> Side:
    """A build folder, a painkg.nt file, a curated sources folder or a git revision of the current checkout."""
    path = Path(spec)
    if path.is_dir() and (path / "painkg.nt").is_file():
        return read_store(f"{spec} (build)", OxigraphStore.from_ntriples(path / "painkg.nt"))
    if path.is_file() and path.suffix == ".nt":
        return read_store(f"{spec} (N-Triples)", OxigraphStore.from_ntriples(path))
    if path.is_dir() and (path / "schema").is_dir():
        return read_store(f"{spec} (sources)", OxigraphStore.from_graph(checked_graph(path)[1]))
    root = checkout()
    if root is None:
        raise UserError(
            f"{spec!r} is not a build folder or a sources folder, and the current folder is not in a "
            "painkg checkout where it could be a git revision"
        )
    with tempfile.TemporaryDirectory(prefix="painkg-diff-") as tmp:
        data = _git_data(root, spec, Path(tmp))
        return read_store(
            f"{spec} (git revision, data/ built with the current code)", OxigraphStore.from_graph(checked_graph(data)[1])
        )


# ---------------------------------------------------------------- comparing


def _summary(identifier: str, fields: dict[str, list[str]]) -> dict:
    row = {"id": identifier, **{name: " | ".join(fields.get(name, [])) for name in TRIPLE_FIELDS}}
    row["where"] = " | ".join(fields.get(LOCATION_FIELD, []))
    row["fields"] = {name: values for name, values in sorted(fields.items()) if name != LOCATION_FIELD}
    return row


def changes(old: dict[str, list[str]], new: dict[str, list[str]]) -> list[Change]:
    """Fields whose values differ, in field-name order (the location excepted)."""
    names = sorted((set(old) | set(new)) - {LOCATION_FIELD})
    return [Change(n, old.get(n, []), new.get(n, [])) for n in names if old.get(n, []) != new.get(n, [])]


def compare(old: Side, new: Side) -> Diff:
    diff = Diff(old.label, new.label)
    diff.added = [_summary(i, new.assertions[i]) for i in sorted(set(new.assertions) - set(old.assertions))]
    diff.removed = [_summary(i, old.assertions[i]) for i in sorted(set(old.assertions) - set(new.assertions))]
    for identifier in sorted(set(old.assertions) & set(new.assertions)):
        found = changes(old.assertions[identifier], new.assertions[identifier])
        if found:
            where = " | ".join(new.assertions[identifier].get(LOCATION_FIELD, []))
            diff.changed.append({"id": identifier, "where": where, "changes": [asdict(c) for c in found]})
    diff.references_added = [{"id": r, "label": new.references[r]} for r in sorted(set(new.references) - set(old.references))]
    diff.references_removed = [{"id": r, "label": old.references[r]} for r in sorted(set(old.references) - set(new.references))]
    return diff


def diff(old: str, new: str) -> Diff:
    """Compare two builds, sources folders or git revisions (see read_side)."""
    return compare(read_side(old), read_side(new))
